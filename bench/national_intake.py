"""National intake: dossiers submitted on the (fake) national portal pulled into the desks' queues.

The fake portal runs as a real HTTP server on 127.0.0.1 in this process (core/fakes.py), with N birth
registration dossiers of N different citizens waiting, each with two PDF files. One
``national_intake_pull`` takes them all: signed GETs of the pages, two signed downloads per dossier, the
upload checks (pikepdf opens each file), the citizen's account opened, ``dossier_submit_online_once``
(files stored, code issued, event), the intake row and the acknowledgement task queued; then the queued
acknowledgements are sent (one signed POST each, as the worker would). Reported: dossiers per second of
the pull, and of the acknowledgements.

Baseline, in the same run and database: the same N dossiers submitted by the same citizens' accounts
straight through ``dossier_submit_online`` with the same two files in memory (what an online submission
on our own portal costs). The ratio (pull rate ÷ baseline rate) is what the network, the downloads and
the accounts add. Target: at least 5 dossiers/s, so that one pull (at most 20 pages of 50) ends within its
5-minute period even on this shared 2-core machine.

Database: ``DATABASE_URL`` if set; otherwise the local PostgreSQL when it answers, else SQLite (``--sqlite``
forces it). Run from the project root: ``.venv/bin/python bench/national_intake.py [--dossiers 200]``.
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import sys
import tempfile
import time
from typing import Any

from _django import ROOT, prefer_local_postgres, report, setup_django, teardown_django

TARGET = 5.0  # dossiers per second: a pull of 1,000 (its bound) within its 5-minute period


def _item(n: int) -> dict[str, Any]:
    personal_id = f"0421950{n:05d}"
    return {
        "MaHoSo": f"G22.01-260309-{n:06d}",
        "MaTTHC": "1.001193",
        "MaCoQuan": "H99.101",
        "NgayNop": "20260309083000",
        "LoaiDoiTuong": "1",
        "ChuHoSo": {"HoTen": f"Công dân {n}", "SoDinhDanh": personal_id, "SoDienThoai": f"09{n:08d}"},
        "HinhThucNhanKetQua": "3",
        "DuLieuBieuMau": {"ho_ten_tre": f"Trẻ {n}", "ngay_sinh": "2026-03-01"},
        "TepDinhKem": [
            {"MaGiayTo": "TKKS", "TenTep": "to-khai.pdf"},
            {"MaGiayTo": "GCS", "TenTep": "giay-chung-sinh.pdf"},
        ],
    }


def run(count: int) -> None:
    from django.conf import settings

    from motcua.catalog.models import RequiredDocument
    from motcua.catalog.services import catalog_import
    from motcua.core import fakes
    from motcua.dossiers.services import Upload
    from motcua.identity.models import User
    from motcua.integrations.intake_models import NationalIntake
    from motcua.integrations.intake_services import national_intake_acknowledge, national_intake_pull
    from motcua.integrations.national import fake_intake
    from motcua.workflow.services import Application, dossier_submit_online

    sys.path.insert(0, str(ROOT))
    from tests.factories import make_province_tree, small_catalog

    make_province_tree()
    catalog_import(actor=None, document=small_catalog())
    settings.MOTCUA_NATIONAL_INTAKE_PAGE_SIZE = 50
    with fakes.running("national_portal") as server:
        settings.MOTCUA_NATIONAL_PORTAL_URL = server.url
        fake_intake.clear(server.app)
        for n in range(1, count + 1):
            fake_intake.submit(server.app, _item(n))
        began = time.perf_counter()
        pull = national_intake_pull(actor=None)
        pulled = time.perf_counter() - began
        assert pull.ok and pull.counts == {"imported": count, "failed": 0, "skipped": 0}, (pull.counts, pull.error)
        ids = list(NationalIntake.objects.values_list("pk", flat=True))
        began = time.perf_counter()
        for intake_id in ids:
            national_intake_acknowledge(intake_id=intake_id)
        acknowledged = time.perf_counter() - began
        assert len(server.app.state["acks"]) == count
        files = server.app.state["files"]
        first = (files["1-1"], files["1-2"])

    documents = list(
        RequiredDocument.objects.filter(version__procedure__code="1.001193")
        .order_by("position")
        .values_list("pk", flat=True)
    )
    citizens = list(User.objects.filter(username__startswith="0421950").order_by("username"))
    began = time.perf_counter()
    for citizen in citizens:
        uploads = [
            Upload(name=f"{pk}.pdf", stream=io.BytesIO(data), size=len(data), required_document_id=pk)
            for pk, data in zip(documents, first, strict=True)
        ]
        application = Application(
            procedure_code="1.001193",
            agency_code="H99.101",
            form_data={"ho_ten_tre": "Trẻ", "ngay_sinh": "2026-03-01"},
            uploads=uploads,
        )
        dossier_submit_online(actor=citizen, application=application)
    direct = time.perf_counter() - began

    rate, ack_rate, baseline = count / pulled, count / acknowledged, count / direct
    print(f"pull: {count} dossiers in {pulled:.2f} s = {rate:.1f} dossiers/s ({1000 * pulled / count:.1f} ms each)")
    print(f"acknowledgements: {ack_rate:.1f}/s ({1000 * acknowledged / count:.1f} ms each)")
    print(f"baseline, the same submissions in process: {baseline:.1f} dossiers/s ({1000 * direct / count:.1f} ms each)")
    report(bench="national_intake", value=rate, unit="dossiers/s", baseline=baseline, target=TARGET, met=rate >= TARGET)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dossiers", type=int, default=200)
    parser.add_argument("--sqlite", action="store_true", help="use SQLite even when PostgreSQL answers")
    args = parser.parse_args()
    engine = "sqlite" if args.sqlite else prefer_local_postgres()
    media = tempfile.mkdtemp(prefix="motcua-bench-media-")
    os.environ["MOTCUA_MEDIA_ROOT"] = media
    setup_django()
    from django.conf import settings

    settings.MEDIA_ROOT = media
    print(f"database: {engine}")
    try:
        run(args.dossiers)
    finally:
        teardown_django()
        shutil.rmtree(media, ignore_errors=True)


if __name__ == "__main__":
    main()
