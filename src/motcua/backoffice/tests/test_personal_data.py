"""Issue 12: the desk that handles a dossier sees the applicant's numbers in full, each view audited;
others see them masked. Queue rows tell dossiers apart by whom they concern."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from django.urls import reverse

from motcua.core.models import AuditEntry
from motcua.dossiers.models import Dossier
from motcua.dossiers.queues import subject_name
from motcua.identity.models import User
from motcua.workflow.services import dossier_submit_online
from tests.factories import row_counts
from tests.intake import birth_application


def submitted(people: dict[str, Any], **overrides: Any) -> Dossier:
    return dossier_submit_online(actor=people["citizen"], application=birth_application(**overrides))


def reads() -> list[tuple[str, str, str, dict[str, Any]]]:
    return list(
        AuditEntry.objects.filter(action="dossier_personal_data_read")
        .order_by("id")
        .values_list("actor__username", "object_id", "summary", "data")
    )


def test_the_handling_desk_sees_full_numbers_and_the_view_is_audited(client, people, monday_morning) -> None:
    dossier = submitted(people)
    client.force_login(people["desk"])
    response = client.get(reverse("backoffice:dossier", kwargs={"code": dossier.code}))
    html = response.content.decode()
    assert '<dd id="applicant-id">042190001234</dd>' in html
    assert '<dd id="applicant-phone">0912345678</dd>' in html
    assert reads() == [
        (
            people["desk"].username,
            dossier.code,
            f"dossier_page: {dossier.code}",
            {"where": "dossier_page", "dossiers": [dossier.code]},
        )
    ]
    assert "042190001234" not in str(reads())  # the log names the dossier, never the numbers


def test_other_staff_see_masked_numbers_and_leave_no_read_entry(client, people, monday_morning) -> None:
    User.objects.filter(pk=people["citizen"].pk).update(email="an@example.vn")  # the factory's holds the ID
    people["citizen"].refresh_from_db()
    dossier = submitted(people)
    client.force_login(people["specialist"])  # sees the dossier (same agency) but does not handle the desk
    before = row_counts()
    response = client.get(reverse("backoffice:dossier", kwargs={"code": dossier.code}))
    assert response.status_code == 200
    assert (response.context["applicant_id"], response.context["applicant_phone"]) == ("*********234", "*******678")
    html = response.content.decode()
    assert "042190001234" not in html and "0912345678" not in html
    assert '<dd class="masked" id="applicant-id">*********234</dd>' in html
    assert row_counts() == before


def test_the_intake_queue_shows_full_numbers_and_the_subject_and_audits_once(client, people, monday_morning) -> None:
    first = submitted(people)
    monday_morning.shift(90 * 60)
    second = submitted(people, form_data={"ho_ten_tre": "Nguyễn Thị Bé", "ngay_sinh": "2026-03-02"})
    client.force_login(people["desk"])
    response = client.get(reverse("backoffice:intake-queue"))
    rows = response.context["rows"]
    assert [(r.dossier.code, r.subject, r.applicant_id, r.applicant_phone, r.full) for r in rows] == [
        (first.code, "Nguyễn Văn An", "042190001234", "0912345678", True),
        (second.code, "Nguyễn Thị Bé", "042190001234", "0912345678", True),
    ]
    html = response.content.decode()
    assert '<td class="subject">Nguyễn Thị Bé</td>' in html
    assert '<time datetime="2026-03-09T10:30:00+07:00">10:30 09/03/2026</time>' in html
    assert 'Thủ tục đăng ký khai sinh <span class="code">1.001193</span>' in html
    assert reads() == [
        (
            people["desk"].username,
            "",
            f"intake_queue: {first.code}, {second.code}",
            {"where": "intake_queue", "dossiers": [first.code, second.code]},
        )
    ]


def test_an_empty_queue_records_no_read(client, people) -> None:
    client.force_login(people["desk"])
    before = row_counts()
    assert list(client.get(reverse("backoffice:intake-queue")).context["rows"]) == []
    assert row_counts() == before


def _dossier(schema: dict[str, Any], data: dict[str, Any]) -> Any:
    return SimpleNamespace(
        form_data=data, applicant_name="Trần Thị Mẹ", procedure_version=SimpleNamespace(form_schema=schema)
    )


@pytest.mark.parametrize(
    ("properties", "data", "expected"),
    [
        # The requester's own name comes first in the demo forms: skipped for the child's.
        (
            {
                "ho_ten_nguoi_yeu_cau": {"title": "Họ, chữ đệm, tên người yêu cầu"},
                "ho_ten_tre": {"title": "Họ, chữ đệm, tên của trẻ"},
            },
            {"ho_ten_nguoi_yeu_cau": "Trần Thị Mẹ", "ho_ten_tre": "Lê Minh Khang"},
            "Lê Minh Khang",
        ),
        (
            {"ho_ten_nguoi_chet": {"title": "Họ, chữ đệm, tên người đã chết"}},
            {"ho_ten_nguoi_chet": "Lê Văn Cụ"},
            "Lê Văn Cụ",
        ),
        ({"child": {"title": "Họ và tên"}}, {"child": "  Phạm An  "}, "Phạm An"),
        # No name field, an empty answer, or only the requester's: the applicant.
        ({"so_ban": {"title": "Số bản"}}, {"so_ban": 2}, "Trần Thị Mẹ"),
        ({"ho_ten_tre": {"title": "Họ tên trẻ"}}, {"ho_ten_tre": ""}, "Trần Thị Mẹ"),
        ({"ho_ten_nguoi_yeu_cau": {"title": "Họ tên"}}, {"ho_ten_nguoi_yeu_cau": "X"}, "Trần Thị Mẹ"),
    ],
)
def test_subject_name_rule(properties, data, expected) -> None:
    assert subject_name(_dossier({"type": "object", "properties": properties}, data)) == expected
