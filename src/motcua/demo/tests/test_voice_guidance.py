"""The demo's words on the birth registration's online guide: loaded once, never over an administrator's."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from motcua.agencies.services import agency_import
from motcua.catalog.guide import procedure_guide
from motcua.catalog.guide_models import OnlineGuide
from motcua.catalog.models import Procedure
from motcua.catalog.services import catalog_import, online_guide_save
from motcua.demo import voice_guidance
from motcua.demo.province import demo_agencies

DATA = Path(__file__).resolve().parents[1] / "demo_data"


def load_catalog() -> None:
    agency_import(actor=None, rows=list(enumerate(json.loads((DATA / "agencies.json").read_text()), start=1)))
    catalog_import(actor=None, document=json.loads((DATA / "catalog.json").read_text()))


def test_the_demo_guide_notes_load_once(db: Any) -> None:
    load_catalog()
    places = demo_agencies()

    voice_guidance.load(places)
    voice_guidance.load(places)

    guide = procedure_guide("1.001193")
    assert guide is not None and OnlineGuide.objects.count() == 1
    assert guide.intro.startswith("Cha, mẹ nên đăng ký khai sinh cho con trong 60 ngày")
    assert guide.notes == (
        "Cần hỗ trợ khi nộp trực tuyến: gọi Ủy ban nhân dân phường Hồng Gai, số điện thoại "
        f"{places['commune'].phone}, trong giờ hành chính. Tại bộ phận một cửa có máy tính và cán bộ hướng dẫn "
        "nộp hồ sơ trực tuyến."
    )


def test_an_administrators_guide_is_left_alone(db: Any) -> None:
    load_catalog()
    online_guide_save(actor=None, procedure=Procedure.objects.get(code="1.001193"), intro="Riêng.", notes="")

    voice_guidance.load(demo_agencies())

    assert OnlineGuide.objects.get().intro == "Riêng."
