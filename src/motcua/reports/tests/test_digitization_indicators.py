"""The digitization indicators (issue 14 §6) on a hand-built history: every value exact, the figures the
writer recorded, the dossiers behind each number, the scorecard's digitization group, the exports and the
rebuild of the counts from the events."""

from __future__ import annotations

import io
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from motcua.catalog.models import Procedure, Sector
from motcua.dossiers.models import DossierEvent
from motcua.identity.constants import Role
from motcua.reports.constants import IndicatorKey as K
from motcua.reports.drilldown import CERTIFICATION_FINISHED, CROSSED, DENOMINATORS, STORE_HELD, dossiers_behind
from motcua.reports.exports import filters_text, indicators_pdf, indicators_xlsx
from motcua.reports.indicators import Scope, indicators_for
from motcua.reports.scorecard import scorecard_for
from motcua.workflow.constants import Action
from motcua.workflow.models import COUNTERS, DossierDayStat, DossierMonthStat
from motcua.workflow.stats import stats_rebuild
from tests.digitization import PAPER_COPY, digitization_history
from tests.factories import make_staff
from tests.intake import HCM

MARCH = (date(2026, 3, 1), date(2026, 3, 31))
NOW = datetime(2026, 3, 11, 10, 0, tzinfo=HCM)
D = Decimal
DIGITIZATION = (
    K.DIGITIZED_SHARE,
    K.E_RESULT_SHARE,
    K.REUSE_SHARE,
    K.NOT_ASKED_AGAIN,
    K.ECOPY_OFFERED,
    K.ECOPY_USED,
    K.BACKFILE,
    K.MOVED_ELECTRONIC,
)


@pytest.fixture
def history(province, people, settings, tmp_path, monday_morning):
    return digitization_history(province, people, settings, tmp_path, monday_morning)


@pytest.fixture
def supervisor(province):
    return make_staff(Role.SUPERVISOR, province["province"], include_subagencies=True)


def figures(scope: Scope) -> dict[str, tuple[Any, ...]]:
    report = indicators_for(scope, now=NOW)
    return {key: (report[key].value, report[key].numerator, report[key].denominator) for key in DIGITIZATION}


def test_the_writer_records_what_each_reception_and_result_counts(history) -> None:
    d = history["dossiers"]
    by_code = {code: name for name, code in d.items()}
    received = {
        by_code[e.dossier.code]: e.payload
        for e in DossierEvent.objects.filter(action=Action.RECEIVE).select_related("dossier")
    }
    figures_of = {
        name: tuple(p[k] for k in ("components", "digitized_components", "reused", "store_held", "asked_again"))
        for name, p in received.items()
    }
    assert figures_of == {
        "a1": (2, 2, 0, 0, 0),  # the store was empty
        "a2": (2, 2, 1, 2, 1),  # GCS taken; TKKS uploaded again although the store held it
        "a3": (2, 2, 2, 2, 0),  # both taken: not asked again
        "a4": (2, 0, 0, 2, 2),  # originals only seen: not digitized, and asked again for both
        "a5": (2, 2, 0, 0, 0),  # citizen 2's store was empty
        "a6": (2, 1, 0, 2, 2),  # a paper copy kept: not digitized; a5 had filled citizen 2's store
        "c1": (0, 0, 0, 0, 0),  # nothing to give: nothing left on paper
        "c2": (1, 1, 0, 0, 0),
    }
    assert {name: p["digitized"] for name, p in received.items()} == {
        "a1": True,
        "a2": True,
        "a3": True,
        "a4": False,
        "a5": True,
        "a6": False,
        "c1": True,
        "c2": True,
    }
    issued = {
        by_code[e.dossier.code]: e.payload
        for e in DossierEvent.objects.filter(action=Action.ISSUE_RESULT).select_related("dossier")
    }
    assert issued == {
        "a1": {
            "electronic": True,
            "certification": False,
            "certified_copy": False,
            "crossed": True,
            "paper_kept": False,
        },
        "a2": {
            "electronic": True,
            "certification": False,
            "certified_copy": False,
            "crossed": False,
            "paper_kept": False,
        },
        "a6": {
            "electronic": True,
            "certification": False,
            "certified_copy": False,
            "crossed": True,
            "paper_kept": True,
        },
        "c1": {
            "electronic": True,
            "certification": True,
            "certified_copy": False,
            "crossed": False,
            "paper_kept": False,
        },
        "c2": {
            "electronic": True,
            "certification": True,
            "certified_copy": True,
            "crossed": False,
            "paper_kept": False,
        },
    }


def test_every_digitization_indicator_of_the_commune(history) -> None:
    report = indicators_for(Scope(history["commune_a"], *MARCH), now=NOW)
    assert figures(Scope(history["commune_a"], *MARCH)) == {
        K.DIGITIZED_SHARE: (D("75.00"), 6, 8),  # a4 and a6 not digitized
        K.E_RESULT_SHARE: (D("100.00"), 5, 5),
        K.REUSE_SHARE: (D("25.00"), 2, 8),  # a2, a3
        K.NOT_ASKED_AGAIN: (D("25.00"), 1, 4),  # of a2, a3, a4, a6 only a3
        K.ECOPY_OFFERED: (D("100.00"), 1, 1),  # commune A offers both certifications
        K.ECOPY_USED: (D("50.00"), 1, 2),  # c2 of c1, c2
        K.BACKFILE: (D(2), None, None),  # the desk officer's two in March
        K.MOVED_ELECTRONIC: (D("50.00"), 1, 2),  # a1 (consulted) of a1, a6 (paper carried)
    }
    marks = {key: report[key].met for key in DIGITIZATION}
    assert marks == {
        K.DIGITIZED_SHARE: False,  # < 100 %
        K.E_RESULT_SHARE: True,
        K.REUSE_SHARE: False,  # < 50 %
        K.NOT_ASKED_AGAIN: False,  # < 80 %
        K.ECOPY_OFFERED: True,  # 100 %
        K.ECOPY_USED: True,  # 50 % ≥ 20 %
        K.BACKFILE: None,  # no target
        K.MOVED_ELECTRONIC: False,  # < 80 %
    }


def test_the_province_adds_the_department(history) -> None:
    values = figures(Scope(history["province"], *MARCH))
    assert values[K.ECOPY_OFFERED] == (D("50.00"), 1, 2)  # the department certifies on paper only
    assert values[K.BACKFILE] == (D(3), None, None)  # and its specialist digitized one earlier result
    assert values[K.NOT_ASKED_AGAIN] == (D("25.00"), 1, 4)


def test_other_periods_and_filters(history) -> None:
    february = figures(Scope(history["province"], date(2026, 2, 1), date(2026, 2, 28)))
    assert february[K.BACKFILE] == (D(1), None, None)
    assert february[K.REUSE_SHARE] == (None, 0, 0)
    assert february[K.ECOPY_OFFERED] == (D("50.00"), 1, 2)  # offerings are a stock, not a flow
    certification = Sector.objects.get(code="CHUNGTHUC").pk
    in_sector = figures(Scope(history["commune_a"], *MARCH, sector_id=certification))
    assert in_sector[K.ECOPY_USED] == (D("50.00"), 1, 2)
    assert in_sector[K.DIGITIZED_SHARE] == (D("100.00"), 2, 2)
    assert in_sector[K.BACKFILE] == (None, None, None)  # an earlier result belongs to no sector
    paper = Procedure.objects.get(code=PAPER_COPY).pk
    one = figures(Scope(history["province"], *MARCH, procedure_id=paper))
    assert one[K.ECOPY_OFFERED] == (D("50.00"), 1, 2)  # of the two agencies offering it, one offers e-copies
    assert one[K.ECOPY_USED] == (D("0.00"), 0, 1)
    births = Sector.objects.get(code="HOTICH").pk
    assert figures(Scope(history["province"], *MARCH, sector_id=births))[K.ECOPY_OFFERED] == (None, 0, 0)


def test_the_digitization_group_of_the_scorecard_is_measured(history) -> None:
    groups = {g.code: g for g in scorecard_for(indicators_for(Scope(history["commune_a"], *MARCH), now=NOW))}
    group = groups["digitization"]
    assert [(i.code, i.value, i.score) for i in group.items] == [
        ("digitized", D("75.00"), D("7.50")),  # 75 ÷ 80 × 8
        ("e_results", D("100.00"), D("7.00")),
        ("reuse", D("25.00"), D("2.19")),  # 25 ÷ 80 × 7
    ]
    assert (group.score, group.measured, group.unmeasured_points) == (D("16.69"), True, D(0))


def test_every_number_has_as_many_dossiers_behind_it(history, supervisor) -> None:
    d = history["dossiers"]
    scope = Scope(history["commune_a"], *MARCH)
    report = indicators_for(scope, now=NOW)

    def behind(key: str) -> set[str]:
        return set(dossiers_behind(supervisor, key, scope).values_list("code", flat=True))

    for key in (K.DIGITIZED_SHARE, K.REUSE_SHARE, K.NOT_ASKED_AGAIN, K.ECOPY_USED, K.MOVED_ELECTRONIC):
        assert (key, len(behind(key)), len(behind(DENOMINATORS[key]))) == (
            key,
            report[key].numerator,
            report[key].denominator,
        )
    assert behind(K.REUSE_SHARE) == {d["a2"], d["a3"]}
    assert behind(K.NOT_ASKED_AGAIN) == {d["a3"]}
    assert behind(STORE_HELD) == {d["a2"], d["a3"], d["a4"], d["a6"]}
    assert behind(K.ECOPY_USED) == {d["c2"]}
    assert behind(CERTIFICATION_FINISHED) == {d["c1"], d["c2"]}
    assert behind(K.MOVED_ELECTRONIC) == {d["a1"]}
    assert behind(CROSSED) == {d["a1"], d["a6"]}
    assert behind(K.DIGITIZED_SHARE) == {d[n] for n in ("a1", "a2", "a3", "a5", "c1", "c2")}
    for key in (K.ECOPY_OFFERED, K.BACKFILE):  # agencies and documents, not dossiers
        assert behind(key) == set()


def table(model: type = DossierDayStat) -> list[tuple[Any, ...]]:
    keys = ("day", "agency_id", "receiving_agency_id", "procedure_id", "channel")
    return sorted(model.objects.values_list(*keys, *COUNTERS))


def test_the_counts_rebuilt_from_the_events_equal_the_kept_ones(history) -> None:
    daily, monthly = table(), table(DossierMonthStat)
    totals = {name: sum(getattr(row, name) for row in DossierDayStat.objects.all()) for name in COUNTERS}
    assert {k: totals[k] for k in COUNTERS[-7:]} == {
        "reused": 2,
        "store_held": 4,
        "not_asked_again": 1,
        "certification_finished": 2,
        "certified_ecopies": 1,
        "crossed": 2,
        "crossed_electronic": 1,
    }
    stats_rebuild()
    assert table() == daily
    assert table(DossierMonthStat) == monthly


def test_the_exports_carry_the_digitization_rows(history) -> None:
    scope = Scope(history["commune_a"], *MARCH)
    book = load_workbook(io.BytesIO(indicators_xlsx(scope, filters_text=filters_text(scope), now=NOW)))
    rows = {row[0]: list(row[1:]) for row in book["Chỉ tiêu"].iter_rows(min_row=8, values_only=True)}
    assert rows["Tỷ lệ hồ sơ tiếp nhận có mọi thành phần được số hóa"] == [75, "%", 6, 8, "≥ 100,00", "Không đạt"]
    assert rows["Tỷ lệ hồ sơ tiếp nhận có giấy tờ lấy từ kho dữ liệu"] == [25, "%", 2, 8, "≥ 50,00", "Không đạt"]
    assert rows["Tỷ lệ người dân không phải nộp lại giấy tờ kho dữ liệu đã có"] == [
        25,
        "%",
        1,
        4,
        "≥ 80,00",
        "Không đạt",
    ]
    assert rows["Tỷ lệ cơ quan chứng thực cung cấp bản sao điện tử"] == [100, "%", 1, 1, "≥ 100,00", "Đạt"]
    assert rows["Tỷ lệ kết quả chứng thực là bản sao điện tử"] == [50, "%", 1, 2, "≥ 20,00", "Đạt"]
    assert rows["Số kết quả giải quyết trước đây được số hóa vào kho"] == [2, "giấy tờ", None, None, None, None]
    assert rows["Tỷ lệ hồ sơ liên thông được luân chuyển điện tử"] == [50, "%", 1, 2, "≥ 80,00", "Không đạt"]
    score = {
        row[0].strip(): list(row[1:]) for row in book["Bảng điểm"].iter_rows(min_row=8, values_only=True) if row[0]
    }
    assert score["Số hóa hồ sơ, kết quả"][:3] == [22, None, 16.69]
    assert score["Tỷ lệ khai thác, sử dụng lại dữ liệu số hóa (đạt 80 % được tối đa)"][:3] == [7, 25, 2.19]
    pdf = indicators_pdf(scope, filters_text=filters_text(scope), now=NOW)
    text = " ".join(" ".join((page.extract_text() or "").split()) for page in PdfReader(io.BytesIO(pdf)).pages)
    for phrase in (
        "Tỷ lệ hồ sơ tiếp nhận có giấy tờ lấy từ kho dữ liệu 25,00 % 2/8 ≥ 50,00 Không đạt",
        "Tỷ lệ người dân không phải nộp lại giấy tờ kho dữ liệu đã có 25,00 % 1/4 ≥ 80,00 Không đạt",
        "Số kết quả giải quyết trước đây được số hóa vào kho 2 giấy tờ",
        "Tỷ lệ cơ quan chứng thực cung cấp bản sao điện tử 100,00 % 1/1 ≥ 100,00 Đạt",
        "Tỷ lệ hồ sơ liên thông được luân chuyển điện tử 50,00 % 1/2 ≥ 80,00 Không đạt",
    ):
        assert phrase in text, phrase
