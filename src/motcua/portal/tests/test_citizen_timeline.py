"""Issue 12: the citizen's timeline shows no internal step and is worded for citizens; the return method
reads "Nhận kết quả" until the result is really returned. The staff timeline stays complete."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from motcua.dossiers.models import Dossier
from motcua.workflow.processing import dossier_forward, dossier_issue_result, dossier_reject, dossier_take
from motcua.workflow.services import dossier_submit_online
from motcua.workflow.timeline import citizen_timeline, dossier_timeline
from tests.books import at, returned_dossier
from tests.intake import birth_application
from tests.processing import process_staff, received_birth_dossier

INTERNAL = (
    "Chuyển bước tiếp theo",
    "Nhận xử lý",
    "Lấy ý kiến",
    "Trả lời xin ý kiến",
    "Phê duyệt và ký số",
    "Vào số và ban hành",
)


@pytest.fixture
def staff(province, people, settings, tmp_path, monday_morning):
    return process_staff(province, settings, tmp_path)


def labels(entries: list[Any]) -> list[tuple[str, str]]:
    return [(e.action_label, e.note) for e in entries]


def test_the_citizen_sees_only_meaningful_events_in_citizen_words(people, staff, monday_morning) -> None:
    dossier = returned_dossier(people, staff, monday_morning)
    dossier = Dossier.objects.prefetch_related("events").get(pk=dossier.pk)
    assert labels(citizen_timeline(dossier)) == [
        ("Đã nộp hồ sơ", ""),
        ("Hồ sơ đã được tiếp nhận và đang được giải quyết", ""),
        ("Đã có kết quả", ""),
        ("Đã trả kết quả: Trực tiếp tại Bộ phận Một cửa", ""),
    ]
    assert [e.at for e in citizen_timeline(dossier)][-1] == at(10, 8, 40)
    # The staff timeline keeps every step.
    assert [e.action for e in dossier_timeline(dossier)] == [
        "submit",
        "receive",
        "forward",
        "take",
        "consult",
        "answer_consultation",
        "forward",
        "approve",
        "issue_result",
        "return_result",
    ]


def test_a_refusal_shows_its_reasons_when_the_letter_is_issued(people, staff, monday_morning) -> None:
    code = received_birth_dossier(people).code
    dossier_forward(actor=people["desk"], code=code)
    dossier_take(actor=people["specialist"], code=code)
    dossier_forward(actor=people["specialist"], code=code, assignee=staff["leader"])
    dossier_reject(actor=staff["leader"], code=code, reason="Giấy chứng sinh không hợp lệ", assignee=staff["clerk"])
    decided = Dossier.objects.prefetch_related("events").get(code=code)
    assert [e.action for e in citizen_timeline(decided)] == ["submit", "receive"]  # not told before it is issued
    dossier_issue_result(actor=staff["clerk"], code=code)
    issued = Dossier.objects.prefetch_related("events").get(code=code)
    assert labels(citizen_timeline(issued))[-1] == (
        "Đã có văn bản trả lời không giải quyết, nêu rõ lý do",
        "Giấy chứng sinh không hợp lệ",
    )


def test_my_dossier_page_before_reception_says_how_the_result_will_be_received(client, people, monday_morning) -> None:
    dossier = dossier_submit_online(actor=people["citizen"], application=birth_application(return_method="electronic"))
    client.force_login(people["citizen"])
    page = client.get(reverse("portal:my-dossier", kwargs={"code": dossier.code})).content.decode()
    assert '<dt>Nhận kết quả</dt><dd id="result-return">Bản điện tử</dd>' in page
    assert "Đã trả kết quả" not in page


def test_my_dossier_page_after_the_return_says_when_and_how(client, people, staff, monday_morning) -> None:
    dossier = returned_dossier(people, staff, monday_morning)
    client.force_login(people["citizen"])
    page = client.get(reverse("portal:my-dossier", kwargs={"code": dossier.code})).content.decode()
    assert '<dt>Đã trả kết quả</dt><dd id="result-return">Trực tiếp tại Bộ phận Một cửa — 10/03/2026 08:40</dd>' in page
    assert "Nhận kết quả" not in page
    for word in INTERNAL:
        assert word not in page


def test_the_tracking_page_uses_the_citizen_timeline(client, people, staff, monday_morning) -> None:
    dossier = returned_dossier(people, staff, monday_morning)
    response = client.post(reverse("portal:track"), {"code": dossier.code, "factor": "5678"})
    assert [e.action for e in response.context["timeline"]] == ["submit", "receive", "issue_result", "return_result"]
    body = response.content.decode()
    assert body.count('class="timeline-event"') == 4
    for word in INTERNAL:
        assert word not in body
