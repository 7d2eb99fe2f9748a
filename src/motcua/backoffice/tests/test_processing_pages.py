"""Processing pages: the inbox, the dossier processing page and its actions, the result download, and
the process editor. Actions go through the pages; refusals show the reason and change nothing."""

from __future__ import annotations

import re
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from motcua.catalog.models import Process
from motcua.core.models import AuditEntry
from motcua.dossiers.constants import NationalStatus, Status
from motcua.dossiers.models import Consultation, Dossier, DossierResult
from motcua.identity.constants import Role
from motcua.signing import verify_pdf
from motcua.workflow.inbox import Urgency
from motcua.workflow.processing import dossier_consult, dossier_forward, dossier_take
from motcua.workflow.results import result_file
from tests.factories import make_staff, row_counts
from tests.intake import HCM, PDF, PNG
from tests.processing import process_staff, received_birth_dossier

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
INBOX = reverse("backoffice:inbox")


@pytest.fixture
def staff(province, people, settings, tmp_path, monday_morning):
    # Certificates are issued at the frozen time, so they are valid when the leader signs.
    return process_staff(province, settings, tmp_path)


def page_url(code: str) -> str:
    return reverse("backoffice:processing-dossier", kwargs={"code": code})


def act(client: Any, code: str, action: str, data: dict[str, Any] | None = None, **extra: Any) -> Any:
    url = reverse("backoffice:processing-action", kwargs={"code": code, "action": action})
    return client.post(url, data or {}, **extra)


def state(code: str) -> tuple[Any, ...]:
    d = Dossier.objects.get(code=code)
    return (d.status, d.national_status, d.step_position, d.assignee_id)


def snapshot(code: str) -> tuple[Any, ...]:
    d = Dossier.objects.get(code=code)
    return (
        d.status,
        d.national_status,
        d.due_at,
        d.original_due_at,
        d.step_position,
        d.holder_agency_id,
        d.assignee_id,
        d.step_due_at,
        list(d.events.values_list("action", flat=True)),
        row_counts(),
        AuditEntry.objects.count(),
    )


def media_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def codes(response: Any) -> list[str]:
    return [row.dossier.code for row in response.context["rows"]]


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=HCM)


# --- the inbox ----------------------------------------------------------------------------------------


def test_inbox_tabs_show_what_each_person_holds(client, people, staff, monday_morning) -> None:
    desk, specialist, specialist2 = people["desk"], people["specialist"], staff["specialist2"]
    first = received_birth_dossier(people)
    second = received_birth_dossier(people)
    dossier_forward(actor=desk, code=second.code)  # to the specialists' pool

    client.force_login(desk)
    mine = client.get(INBOX)
    assert mine.status_code == 200
    assert codes(mine) == [first.code]
    row = mine.context["rows"][0]
    assert (row.applicant_id, row.step_name) == ("*********234", "Tiếp nhận và chuyển xử lý")
    # The step (15 minutes) runs until 09:15; the result is due tomorrow 09:00: within one working day.
    assert (row.step_badge.urgency, row.due_badge.urgency) == (Urgency.ON_TRACK, Urgency.AT_RISK)
    html = mine.content.decode()
    assert "042190001234" not in html
    assert f'href="{page_url(first.code)}"' in html

    client.force_login(specialist)
    assert codes(client.get(INBOX, {"scope": "pool"})) == [second.code]
    assert codes(client.get(INBOX)) == []
    dossier_take(actor=specialist, code=second.code)
    taken = client.get(INBOX, {"scope": "mine"})
    assert codes(taken) == [second.code]
    assert taken.context["rows"][0].step_name == "Thẩm định và dự thảo kết quả"
    client.force_login(specialist2)
    assert codes(client.get(INBOX, {"scope": "unit"})) == [second.code]
    assert codes(client.get(INBOX, {"scope": "pool"})) == []
    assert codes(client.get(INBOX, {"scope": "mine"})) == []


def test_inbox_search_and_urgency_filter(client, people, staff, monday_morning) -> None:
    first = received_birth_dossier(people)
    second = received_birth_dossier(people)
    client.force_login(people["desk"])
    assert codes(client.get(INBOX, {"q": second.code})) == [second.code]
    assert codes(client.get(INBOX, {"q": "042190001234"})) == [first.code, second.code]
    assert codes(client.get(INBOX, {"q": "Không có ai"})) == []
    assert codes(client.get(INBOX, {"urgency": Urgency.AT_RISK})) == [first.code, second.code]
    assert codes(client.get(INBOX, {"urgency": Urgency.OVERDUE})) == []
    monday_morning.move_to(at(10, 9))  # the result is now due
    overdue = client.get(INBOX, {"urgency": Urgency.OVERDUE})
    assert codes(overdue) == [first.code, second.code]
    assert [(r.step_badge.urgency, r.due_badge.urgency) for r in overdue.context["rows"]] == [
        (Urgency.OVERDUE, Urgency.OVERDUE)
    ] * 2
    assert overdue.context["query"] == "scope=mine&urgency=overdue"


@pytest.mark.parametrize("count", [3, 30])
def test_inbox_runs_a_fixed_number_of_queries(
    count, client, people, staff, monday_morning, django_assert_num_queries
) -> None:
    for _ in range(count):
        received_birth_dossier(people)
    client.force_login(people["desk"])
    client.get(INBOX)  # the process's steps are cached once per process, not per row
    # session, user, the second factor's device, role grants (read once per request), count, page
    with django_assert_num_queries(6):
        response = client.get(INBOX)
    assert len(response.context["rows"]) == min(count, 25)
    assert response.context["page"].paginator.count == count


def test_consultations_tab_lists_questions_to_my_agencies(client, people, staff, monday_morning) -> None:
    dossier = received_birth_dossier(people)
    dossier_forward(actor=people["desk"], code=dossier.code, assignee=people["specialist"])
    dossier_consult(
        actor=people["specialist"], code=dossier.code, agency_codes=["H99.01"], question="Xác minh?", hours=4
    )

    client.force_login(staff["dept_specialist"])
    response = client.get(INBOX, {"scope": "consultations"})
    rows = response.context["consultation_rows"]
    assert [(r.consultation.dossier.code, r.consultation.agency.code, r.badge.urgency) for r in rows] == [
        (dossier.code, "H99.01", Urgency.ON_TRACK)
    ]
    assert f'href="{page_url(dossier.code)}"' in response.content.decode()
    assert codes(client.get(INBOX, {"scope": "unit"})) == []  # the dossier itself stays with the commune
    client.force_login(people["specialist"])
    assert client.get(INBOX, {"scope": "consultations"}).context["consultation_rows"] == []


# --- the dossier processing page ----------------------------------------------------------------------


def test_the_whole_way_through_the_pages(client, people, staff, monday_morning) -> None:
    desk, specialist, leader, clerk, dept = (
        people["desk"],
        people["specialist"],
        staff["leader"],
        staff["clerk"],
        staff["dept_specialist"],
    )
    code = received_birth_dossier(people).code

    client.force_login(desk)
    page = client.get(page_url(code))
    assert list(page.context["action_forms"]) == ["forward", "request_supplement", "stop"]
    forward = page.context["action_forms"]["forward"]
    assert [c[0] for c in forward.fields["assignee"].choices] == [
        "",
        *sorted(
            [str(specialist.pk), str(staff["specialist2"].pk)],
            key=lambda pk: next(u.full_name for u in (specialist, staff["specialist2"]) if str(u.pk) == pk),
        ),
    ]
    assert "draft" not in forward.fields  # the next step is the specialist's, not a leader's
    response = act(client, code, "forward", {"assignee": str(specialist.pk), "note": "Chuyển thẩm định"})
    assert (response.status_code, response["Location"]) == (302, page_url(code))
    assert state(code) == (Status.IN_PROGRESS, NationalStatus.PROCESSING, 2, specialist.pk)

    client.force_login(specialist)
    page = client.get(page_url(code))
    assert list(page.context["action_forms"]) == [
        "forward",
        "send_back",
        "request_supplement",
        "consult",
        "request_payment",
        "stop",
    ]
    consult = page.context["action_forms"]["consult"]
    assert "H99.101" not in [c for c, _label in consult.fields["agencies"].choices]  # not itself
    assert "draft" in page.context["action_forms"]["forward"].fields  # the leader's step is next
    response = act(client, code, "consult", {"agencies": ["H99.01"], "question": "Xác minh nơi cư trú?", "hours": "4"})
    assert response.status_code == 302
    consultation = Consultation.objects.get(dossier__code=code)
    # 09:00 + 4 working hours, lunch excluded
    assert (consultation.agency.code, consultation.due_at) == ("H99.01", at(9, 14, 30))
    response = act(client, code, "forward", {"assignee": str(leader.pk), "note": ""})
    assert response.status_code == 302
    assert state(code) == (Status.IN_PROGRESS, NationalStatus.PROCESSING, 3, leader.pk)

    # The leader may not decide while a consulted agency has not answered: the reason, nothing changed.
    client.force_login(leader)
    before, files = snapshot(code), media_files()
    response = act(client, code, "approve", {"note": "", "assignee": str(clerk.pk)}, **EN)
    assert response.status_code == 409
    assert response.context["error"] == "Wait for every consulted agency to answer before deciding."
    assert "Wait for every consulted agency" in response.content.decode()
    assert (snapshot(code), media_files()) == (before, files)

    client.force_login(dept)
    page = client.get(page_url(code))
    assert page.status_code == 200
    assert list(page.context["action_forms"]) == ["answer_consultation"]
    upload = SimpleUploadedFile("y-kien.pdf", PDF, content_type="application/pdf")
    response = act(client, code, "answer_consultation", {"answer": "Đúng nơi cư trú.", "attachments": [upload]})
    assert response.status_code == 302
    consultation.refresh_from_db()
    assert (consultation.answer, consultation.answered_by_id) == ("Đúng nơi cư trú.", dept.pk)

    client.force_login(leader)
    page = client.get(page_url(code))
    [shown] = page.context["consultations"]
    assert (shown.consultation.answer, [f.original_name for f in shown.files]) == ("Đúng nơi cư trú.", ["y-kien.pdf"])
    assert list(page.context["action_forms"]) == [
        "send_back",
        "request_supplement",
        "consult",
        "request_payment",
        "approve",
        "reject",
        "stop",
        "apologize",
    ]
    assert [c[0] for c in page.context["action_forms"]["approve"].fields["assignee"].choices] == ["", str(clerk.pk)]
    # Signing without having opened the preview is refused, and changes nothing.
    before, files = snapshot(code), media_files()
    response = act(client, code, "approve", {"note": "Đủ điều kiện", "assignee": str(clerk.pk)}, **EN)
    assert response.status_code == 409
    assert response.context["error"].startswith("The result changed since you opened its preview")
    assert (snapshot(code), media_files()) == (before, files)
    preview = client.get(reverse("backoffice:processing-preview", kwargs={"code": code}))
    assert (preview.status_code, preview["Content-Type"]) == (200, "application/pdf")
    assert preview["Content-Disposition"] == f'inline; filename="{code}-xem-truoc.pdf"'
    response = act(client, code, "approve", {"note": "Đủ điều kiện", "assignee": str(clerk.pk)})
    assert response.status_code == 302
    assert state(code) == (Status.IN_PROGRESS, NationalStatus.PROCESSING, 4, clerk.pk)
    result = DossierResult.objects.get(dossier__code=code)
    report = verify_pdf(result_file(result))
    assert [(s.signer_name, s.intact, s.valid) for s in report.signatures] == [("Hoàng Văn Lãnh", True, True)]

    client.force_login(clerk)
    assert list(client.get(page_url(code)).context["action_forms"]) == [
        "send_back",
        "request_supplement",
        "request_payment",
        "issue_result",
        "stop",
    ]
    assert act(client, code, "issue_result").status_code == 302
    result.refresh_from_db()
    assert (result.number, result.issued_by_id) == ("KQ.H99.000001", clerk.pk)
    assert state(code) == (Status.RESULT_READY, NationalStatus.DONE, 5, None)

    client.force_login(desk)
    page = client.get(page_url(code))
    assert list(page.context["action_forms"]) == ["return_result"]
    assert page.context["result"].number == "KQ.H99.000001"
    response = act(client, code, "return_result", {"via": "electronic", "note": ""})
    assert response.status_code == 302
    assert state(code)[:2] == (Status.RETURNED, NationalStatus.RETURNED)
    page = client.get(page_url(code))
    assert page.context["action_forms"] == {}
    assert [row.entry.action for row in page.context["events"]] == [
        "submit",
        "receive",
        "forward",
        "consult",
        "forward",
        "answer_consultation",
        "approve",
        "issue_result",
        "return_result",
    ]
    assert [f.original_name for f in page.context["events"][5].files] == ["y-kien.pdf"]


def test_staff_download_of_the_result_is_audited(client, people, staff, monday_morning) -> None:
    code = received_birth_dossier(people).code
    dossier_forward(actor=people["desk"], code=code, assignee=people["specialist"])
    dossier_forward(actor=people["specialist"], code=code, assignee=staff["leader"])
    client.force_login(staff["leader"])
    client.get(reverse("backoffice:processing-preview", kwargs={"code": code}))
    assert act(client, code, "approve", {"note": "", "assignee": ""}).status_code == 302
    url = reverse("backoffice:processing-result", kwargs={"code": code})

    client.force_login(people["other_desk"])
    assert client.get(url).status_code == 404
    assert AuditEntry.objects.filter(action="dossier_result_read").count() == 0

    client.force_login(people["desk"])
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert verify_pdf(response.content).all_valid
    assert "no-store" in response["Cache-Control"]
    result = DossierResult.objects.get(dossier__code=code)
    entries = list(AuditEntry.objects.filter(action="dossier_result_read"))
    assert [(e.actor, e.object_type, e.object_id, e.data) for e in entries] == [
        (people["desk"], "dossiers.DossierResult", str(result.pk), {"dossier": code, "sha256": result.sha256})
    ]


def test_outsiders_get_404_and_consulted_agencies_see_the_dossier(client, people, staff, monday_morning) -> None:
    dossier = received_birth_dossier(people)
    code = dossier.code
    document = dossier.documents.first()
    document_url = reverse("backoffice:processing-document", kwargs={"code": code, "document_id": document.pk})
    before = snapshot(code)
    for outsider in (people["other_desk"], staff["dept_specialist"]):
        client.force_login(outsider)
        assert client.get(page_url(code)).status_code == 404
        assert act(client, code, "forward", {"assignee": ""}).status_code == 404
        assert client.get(document_url).status_code == 404
    assert snapshot(code) == before

    dossier_forward(actor=people["desk"], code=code, assignee=people["specialist"])
    dossier_consult(actor=people["specialist"], code=code, agency_codes=["H99.01"], question="?", hours=4)
    client.force_login(staff["dept_specialist"])
    assert client.get(page_url(code)).status_code == 200
    response = client.get(document_url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert AuditEntry.objects.filter(action="dossier_document_read", actor=staff["dept_specialist"]).count() == 1
    assert client.get(INBOX, {"scope": "nonsense"}).context["scope"] == "mine"
    assert act(client, code, "no-such-action").status_code == 404


def test_take_from_the_pool_and_a_colleague_is_refused(client, people, staff, monday_morning) -> None:
    code = received_birth_dossier(people).code
    dossier_forward(actor=people["desk"], code=code)  # the pool
    client.force_login(people["specialist"])
    assert list(client.get(page_url(code)).context["action_forms"]) == [
        "take",
        "forward",
        "send_back",
        "request_supplement",
        "consult",
        "request_payment",
        "stop",
    ]
    assert act(client, code, "take").status_code == 302
    assert state(code)[3] == people["specialist"].pk

    client.force_login(staff["specialist2"])
    assert client.get(page_url(code)).context["action_forms"] == {}
    before = snapshot(code)
    response = act(client, code, "take", **EN)
    assert response.status_code == 403
    assert response.context["error"] == "You may not take this action on this dossier."
    assert snapshot(code) == before


def test_send_back_needs_a_reason_and_returns_to_the_previous_holder(client, people, staff, monday_morning) -> None:
    code = received_birth_dossier(people).code
    dossier_forward(actor=people["desk"], code=code, assignee=people["specialist"])
    dossier_forward(actor=people["specialist"], code=code, assignee=staff["leader"])
    client.force_login(staff["leader"])
    before = snapshot(code)
    response = act(client, code, "send_back", {"reason": "   "})
    assert response.status_code == 400
    assert response.context["action_forms"]["send_back"].errors == {"reason": ["Trường này là bắt buộc."]}
    assert snapshot(code) == before
    assert act(client, code, "send_back", {"reason": "Bổ sung thẩm định"}).status_code == 302
    assert state(code) == (Status.IN_PROGRESS, NationalStatus.PROCESSING, 2, people["specialist"].pk)


def test_supplement_request_from_the_processing_page(client, people, staff, monday_morning) -> None:
    code = received_birth_dossier(people).code
    dossier_forward(actor=people["desk"], code=code, assignee=people["specialist"])
    client.force_login(people["specialist"])
    response = act(client, code, "request_supplement", {"missing": "Giấy chứng sinh\n\n Bản sao CCCD \n", "note": ""})
    assert response.status_code == 302
    dossier = Dossier.objects.get(code=code)
    assert (dossier.status, dossier.national_status) == (Status.SUPPLEMENT_REQUESTED, NationalStatus.SUPPLEMENT)
    assert dossier.events.last().payload == {"missing": ["Giấy chứng sinh", "Bản sao CCCD"]}
    assert "request_supplement" not in client.get(page_url(code)).context["action_forms"]


def test_financial_obligation_through_the_page(client, people, staff, monday_morning) -> None:
    code = received_birth_dossier(people).code
    dossier_forward(actor=people["desk"], code=code, assignee=people["specialist"])
    client.force_login(people["specialist"])
    before = snapshot(code)
    response = act(client, code, "request_payment", {"amount": "0", "note": "Lệ phí"})
    assert response.status_code == 400
    assert list(response.context["action_forms"]["request_payment"].errors) == ["amount"]
    assert snapshot(code) == before

    assert act(client, code, "request_payment", {"amount": "8000", "note": "Lệ phí"}).status_code == 302
    dossier = Dossier.objects.get(code=code)
    assert (dossier.status, dossier.national_status) == (Status.FINANCIAL_OBLIGATION, NationalStatus.FINANCIAL)
    assert dossier.events.last().payload == {"amount": 8000}
    assert list(client.get(page_url(code)).context["action_forms"]) == ["confirm_payment"]
    assert act(client, code, "confirm_payment", {"note": "Đã nộp"}).status_code == 302
    assert state(code)[:2] == (Status.IN_PROGRESS, NationalStatus.PROCESSING)


def test_stop_and_reject(client, people, staff, monday_morning) -> None:
    stopped = received_birth_dossier(people).code
    rejected = received_birth_dossier(people).code
    for code in (stopped, rejected):
        dossier_forward(actor=people["desk"], code=code, assignee=people["specialist"])
    dossier_forward(actor=people["specialist"], code=rejected, assignee=staff["leader"])
    client.force_login(staff["leader"])
    assert act(client, stopped, "stop", {"reason": "Không đủ điều kiện giải quyết"}).status_code == 302
    assert state(stopped)[:2] == (Status.STOPPED, NationalStatus.STOPPED)
    assert act(client, rejected, "reject", {"reason": "Không đủ điều kiện", "assignee": ""}).status_code == 302
    result = DossierResult.objects.get(dossier__code=rejected)
    assert result.decision == "refused"
    assert verify_pdf(result_file(result)).all_valid


def test_apology_sets_a_new_due_time_once(client, people, staff, monday_morning) -> None:
    code = received_birth_dossier(people).code
    original = Dossier.objects.get(code=code).due_at
    client.force_login(people["desk"])
    assert "apologize" not in client.get(page_url(code)).context["action_forms"]
    client.force_login(staff["leader"])
    page = client.get(page_url(code))
    assert "apologize" in page.context["action_forms"]
    assert reverse("backoffice:apology-letter", kwargs={"code": code}) not in page.content.decode()
    data = {"reason": "Chờ xác minh", "new_due_at_0": "2026-03-12", "new_due_at_1": "16:00"}
    assert act(client, code, "apologize", data).status_code == 302
    dossier = Dossier.objects.get(code=code)
    assert (dossier.due_at, dossier.original_due_at) == (at(12, 16), original)
    html = client.get(page_url(code)).content.decode()
    assert f'href="{reverse("backoffice:apology-letter", kwargs={"code": code})}"' in html
    assert f'href="{reverse("backoffice:control-slip", kwargs={"code": code})}"' in html

    before = snapshot(code)
    response = act(client, code, "apologize", {**data, "new_due_at_0": "2026-03-13"}, **EN)
    assert response.status_code == 409
    assert response.context["error"] == "A dossier's due time may be reset only once (Decree 118/2025/NĐ-CP)."
    assert snapshot(code) == before


def test_apology_with_an_earlier_due_time_shows_the_reason(client, people, staff, monday_morning) -> None:
    code = received_birth_dossier(people).code
    client.force_login(staff["leader"])
    before = snapshot(code)
    data = {"reason": "Chờ xác minh", "new_due_at_0": "2026-03-09", "new_due_at_1": "16:00"}
    response = act(client, code, "apologize", data, **EN)
    assert response.status_code == 400
    assert response.context["action_forms"]["apologize"].errors == {
        "new_due_at": ["The new due time must be later than the current one and than now."]
    }
    assert snapshot(code) == before


def test_a_draft_result_must_be_a_pdf(client, people, staff, monday_morning) -> None:
    code = received_birth_dossier(people).code
    dossier_forward(actor=people["desk"], code=code, assignee=people["specialist"])
    client.force_login(people["specialist"])
    before, files = snapshot(code), media_files()
    upload = SimpleUploadedFile("du-thao.png", PNG, content_type="image/png")
    response = act(client, code, "forward", {"assignee": str(staff["leader"].pk), "note": "", "draft": upload}, **EN)
    assert response.status_code == 400
    assert response.context["action_forms"]["forward"].errors == {"draft": ["The draft result must be a PDF file."]}
    assert (snapshot(code), media_files()) == (before, files)


def test_consulting_an_unknown_choice_is_a_form_error(client, people, staff, monday_morning) -> None:
    code = received_birth_dossier(people).code
    dossier_forward(actor=people["desk"], code=code, assignee=people["specialist"])
    client.force_login(people["specialist"])
    before = snapshot(code)
    response = act(client, code, "consult", {"agencies": ["H99.101"], "question": "?", "hours": "4"})
    assert response.status_code == 400
    assert list(response.context["action_forms"]["consult"].errors) == ["agencies"]
    assert snapshot(code) == before


# --- the process editor -------------------------------------------------------------------------------


@pytest.fixture
def admin(province: dict[str, Any]) -> Any:
    return make_staff(Role.ADMINISTRATOR, province["province"], include_subagencies=True)


def editor_url(procedure: str = "1.001193", agency: str = "H99.101") -> str:
    return reverse("backoffice:process-editor", kwargs={"procedure_code": procedure, "agency_code": agency})


def steps_post(rows: list[tuple[str, str, str, str]], initial: int = 5) -> dict[str, str]:
    data = {
        "steps-TOTAL_FORMS": str(len(rows)),
        "steps-INITIAL_FORMS": str(initial),
        "steps-MIN_NUM_FORMS": "0",
        "steps-MAX_NUM_FORMS": "1000",
    }
    for i, (name, role, unit, hours) in enumerate(rows):
        data.update(
            {
                f"steps-{i}-name": name,
                f"steps-{i}-role": role,
                f"steps-{i}-unit": unit,
                f"steps-{i}-hours": hours,
                f"steps-{i}-ORDER": str(i + 1),
            }
        )
    return data


STEPS = [
    ("Tiếp nhận", Role.DESK_OFFICER, "", "0.5"),
    ("Thẩm định", Role.SPECIALIST, "", "4.5"),
    ("Phê duyệt", Role.UNIT_LEADER, "", "2"),
    ("Vào số", Role.CLERK, "", "0.5"),
    ("Trả kết quả", Role.DESK_OFFICER, "", "0.5"),
]


def test_process_list_shows_the_process_in_force(client, people, admin, monday_morning) -> None:
    received_birth_dossier(people)  # generates the default process of 1.001193 at H99.101
    client.force_login(admin)
    response = client.get(reverse("backoffice:processes"))
    assert response.status_code == 200
    rows = {(r.procedure.code, r.agency.code): r for r in response.context["rows"]}
    birth = rows[("1.001193", "H99.101")]
    assert (birth.process.number, birth.process.generated, len(birth.steps)) == (1, True, 5)
    assert rows[("1.001193", "H99.102")].process is None
    filtered = client.get(reverse("backoffice:processes"), {"q": "2.000528"})
    assert [(r.procedure.code, r.agency.code) for r in filtered.context["rows"]] == [("2.000528", "H99.101")]


def test_process_editor_publishes_a_new_version(client, people, admin, monday_morning) -> None:
    received_birth_dossier(people)
    client.force_login(admin)
    page = client.get(editor_url())
    assert page.status_code == 200
    assert [f["name"].value() for f in page.context["formset"].forms[:5]] == [
        "Tiếp nhận và chuyển xử lý",
        "Thẩm định và dự thảo kết quả",
        "Phê duyệt và ký số",
        "Vào số và ban hành kết quả",
        "Trả kết quả",
    ]

    response = client.post(editor_url(), steps_post(STEPS))
    assert (response.status_code, response["Location"]) == (302, editor_url())
    process = Process.objects.get(procedure__code="1.001193", agency__code="H99.101", status="published")
    assert (process.number, process.generated) == (2, False)
    assert list(process.steps.values_list("name", "role", "unit_id", "hours")) == [
        ("Tiếp nhận", "desk_officer", None, Decimal("0.50")),
        ("Thẩm định", "specialist", None, Decimal("4.50")),
        ("Phê duyệt", "unit_leader", None, Decimal("2.00")),
        ("Vào số", "clerk", None, Decimal("0.50")),
        ("Trả kết quả", "desk_officer", None, Decimal("0.50")),
    ]
    assert [f["name"].value() for f in client.get(editor_url()).context["formset"].forms[:5]] == [
        name for name, *_rest in STEPS
    ]


def test_process_editor_shows_why_a_process_is_invalid(client, people, admin, monday_morning) -> None:
    client.force_login(admin)
    before = row_counts()
    wrong = [("Thẩm định", Role.SPECIALIST, "", "9"), *STEPS[1:]]
    response = client.post(editor_url(), steps_post(wrong, initial=5), **EN)
    assert response.status_code == 400
    assert response.context["errors"] == [
        "A process starts with the desk receiving and ends with the desk returning the result.",
        "The steps take 16.5 working hours, more than the procedure's 8.",
    ]
    assert "A process starts with the desk receiving" in response.content.decode()
    assert row_counts() == before


def test_process_editor_is_scoped_to_the_administrators_agencies(client, province, catalog, monday_morning) -> None:
    commune_admin = make_staff(Role.ADMINISTRATOR, province["commune_b"])
    client.force_login(commune_admin)
    assert client.get(editor_url(agency="H99.101")).status_code == 404
    assert client.get(editor_url(agency="H99.102")).status_code == 200
    assert [(r.procedure.code, r.agency.code) for r in client.get(reverse("backoffice:processes")).context["rows"]] == [
        ("1.001193", "H99.102")
    ]


def blank_extra_rows(data: dict[str, str], rows: int = 2, **filled: str) -> dict[str, str]:
    """What the browser sends for the editor's extra rows: the role select's first option, the rest empty."""
    first = int(data["steps-TOTAL_FORMS"])
    for i in range(first, first + rows):
        data.update({f"steps-{i}-name": "", f"steps-{i}-role": Role.DESK_OFFICER, f"steps-{i}-unit": ""})
        data.update({f"steps-{i}-hours": "", f"steps-{i}-ORDER": ""})
        data.update({f"steps-{i}-{key}": value for key, value in filled.items()} if i == first else {})
    data["steps-TOTAL_FORMS"] = str(first + rows)
    return data


def test_process_editor_publishes_with_the_blank_extra_rows_left_blank(client, people, admin, monday_morning) -> None:
    received_birth_dossier(people)
    client.force_login(admin)
    page = client.get(editor_url())
    assert page.context["formset"].total_form_count() == 7  # five steps and two blank rows
    response = client.post(editor_url(), blank_extra_rows(steps_post(STEPS)))
    assert (response.status_code, response["Location"]) == (302, editor_url())
    process = Process.objects.get(procedure__code="1.001193", agency__code="H99.101", status="published")
    assert process.number == 2
    assert list(process.steps.values_list("position", "name", "role")) == [
        (1, "Tiếp nhận", "desk_officer"),
        (2, "Thẩm định", "specialist"),
        (3, "Phê duyệt", "unit_leader"),
        (4, "Vào số", "clerk"),
        (5, "Trả kết quả", "desk_officer"),
    ]


def test_process_editor_refuses_a_half_filled_extra_row(client, people, admin, monday_morning) -> None:
    received_birth_dossier(people)
    client.force_login(admin)
    before = (row_counts(), list(Process.objects.values_list("pk", "number", "status")))
    response = client.post(editor_url(), blank_extra_rows(steps_post(STEPS), hours="1"), **EN)
    assert response.status_code == 400
    formset = response.context["formset"]
    assert formset.forms[5].errors == {"name": ["This field is required."]}
    assert formset.forms[6].errors == {}
    assert (row_counts(), list(Process.objects.values_list("pk", "number", "status"))) == before


def to_the_desk_for_return(people: dict[str, Any], staff: dict[str, Any], **application: Any) -> str:
    from motcua.workflow.processing import dossier_approve, dossier_issue_result
    from motcua.workflow.services import dossier_receive, dossier_submit_online
    from tests.intake import birth_application

    dossier = dossier_submit_online(actor=people["citizen"], application=birth_application(**application))
    code = dossier_receive(actor=people["desk"], code=dossier.code).code
    dossier_forward(actor=people["desk"], code=code, assignee=people["specialist"])
    dossier_forward(actor=people["specialist"], code=code, assignee=staff["leader"])
    dossier_approve(actor=staff["leader"], code=code, assignee=staff["clerk"])
    dossier_issue_result(actor=staff["clerk"], code=code)
    return code


@pytest.mark.parametrize("chosen", ["post", "desk"])
def test_the_return_method_is_preselected_from_the_applicant_s_choice(
    client, people, staff, monday_morning, chosen
) -> None:
    extra = {"return_address": "Số 1 đường Hạ Long, xã An"} if chosen == "post" else {}
    code = to_the_desk_for_return(people, staff, return_method=chosen, **extra)
    client.force_login(people["desk"])
    page = client.get(page_url(code))
    form = page.context["action_forms"]["return_result"]
    assert form["via"].value() == chosen
    html = page.content.decode()
    radios = re.findall(r'<input type="radio" name="via" value="(\w+)"[^>]*?( checked)?>', html)
    assert radios == [(v, " checked" if v == chosen else "") for v in ("desk", "post", "electronic")]


def test_an_unknown_return_method_is_refused_and_changes_nothing(client, people, staff, monday_morning) -> None:
    code = to_the_desk_for_return(people, staff, return_method="desk")
    client.force_login(people["desk"])
    before = snapshot(code)
    response = act(client, code, "return_result", {"via": "pigeon", "note": ""}, **EN)
    assert response.status_code == 400
    assert list(response.context["action_forms"]["return_result"].errors) == ["via"]
    assert snapshot(code) == before


def test_specialist_and_leader_see_the_e_form_documents_and_history(client, people, staff, monday_morning) -> None:
    code = received_birth_dossier(people).code
    dossier_forward(actor=people["desk"], code=code, assignee=people["specialist"])
    client.force_login(people["specialist"])
    page = client.get(page_url(code))
    assert [(a.label, a.value) for a in page.context["answers"]] == [
        ("Họ tên trẻ", "Nguyễn Văn An"),
        ("Ngày sinh", "01/03/2026"),
    ]
    html = page.content.decode()
    assert '<dt>Họ tên trẻ</dt><dd data-field="ho_ten_tre">Nguyễn Văn An</dd>' in html
    dossier = Dossier.objects.get(code=code)
    for document in dossier.documents.all():
        url = reverse("backoffice:processing-document", kwargs={"code": code, "document_id": document.pk})
        assert url in html
        assert client.get(url).status_code == 200
    assert [row.entry.action for row in page.context["events"]] == ["submit", "receive", "forward"]
    assert "result-preview" not in html  # the specialist does not sign: no preview to open
    preview_url = reverse("backoffice:processing-preview", kwargs={"code": code})
    assert client.get(preview_url).status_code == 404

    dossier_forward(actor=people["specialist"], code=code, assignee=staff["leader"])
    client.force_login(staff["leader"])
    page = client.get(page_url(code))
    html = page.content.decode()
    assert [a.value for a in page.context["answers"]] == ["Nguyễn Văn An", "01/03/2026"]
    assert f'id="result-preview" target="_blank" rel="noopener" href="{preview_url}"' in html
    client.force_login(people["other_desk"])
    assert client.get(preview_url).status_code == 404  # outside the dossier's agencies
