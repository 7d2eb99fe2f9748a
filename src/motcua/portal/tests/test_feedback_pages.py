"""The public feedback pages: send (once, throttled), the code page, look up by code, published answers."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from motcua.feedback.constants import FeedbackChannel, FeedbackStatus, FeedbackSubject
from motcua.feedback.models import Feedback
from motcua.feedback.services import FeedbackInput, feedback_answer, feedback_publish, feedback_submit
from motcua.identity.constants import Role
from motcua.workflow.services import dossier_submit_online
from tests.factories import make_staff
from tests.intake import HCM, birth_application

FRIDAY_4PM = datetime(2026, 3, 13, 16, 0, tzinfo=HCM)
SEND = reverse("portal:feedback-send")


@pytest.fixture
def friday(province: dict[str, Any]) -> Any:
    with time_machine.travel(FRIDAY_4PM, tick=False) as traveller:
        yield traveller


def form(**overrides: str) -> dict[str, str]:
    values = {
        "form_token": "tok-" + "a" * 28,
        "subject": "other",
        "agency": "H99.101",
        "title": "Đèn đường thôn Trung hỏng",
        "content": "Đèn đường thôn Trung hỏng đã hai tuần.",
        "sender_name": "Nguyễn Thị Lan",
        "sender_phone": "0912345678",
        "consent_to_publish": "on",
    }
    values.update(overrides)
    return values


def test_an_anonymous_sender_gets_the_code_and_the_deadline_and_a_double_tap_sends_once(friday: Any) -> None:
    client = Client()
    response = client.post(SEND, form())
    feedback = Feedback.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:feedback-sent", kwargs={"code": feedback.code})

    again = client.post(SEND, form(title="Gửi lại"))  # the same page sent a second time
    assert again["Location"] == response["Location"]
    assert Feedback.objects.count() == 1

    page = client.get(response["Location"])
    assert page.status_code == 200
    text = page.content.decode()
    assert f'<dd class="code" id="feedback-code">{feedback.code}</dd>' in text
    assert '<dd id="feedback-due">27/03/2026 16:00</dd>' in text
    assert '<dd id="feedback-unit">Xã An</dd>' in text
    assert (feedback.channel, feedback.sender, feedback.agency.code) == (FeedbackChannel.PORTAL, None, "H99.101")
    # Another browser cannot open the page of that code (codes are not listed).
    assert Client().get(response["Location"]).status_code == 404


def test_a_signed_in_citizen_finds_their_details_filled_in(people: dict[str, Any]) -> None:
    client = Client()
    client.force_login(people["citizen"])
    page = client.get(SEND).content.decode()
    citizen = people["citizen"]
    assert f'name="sender_name" value="{citizen.full_name}"' in page
    assert 'name="sender_phone" value="0912345678"' in page
    assert f'name="sender_email" value="{citizen.email}"' in page


def test_feedback_about_a_dossier_goes_to_its_competent_agency(people: dict[str, Any], monday_morning: Any) -> None:
    dossier = dossier_submit_online(actor=people["citizen"], application=birth_application())
    client = Client()
    client.force_login(people["citizen"])
    response = client.post(SEND, form(subject="dossier", agency="H99.102", dossier_code=dossier.code.lower()))
    assert response.status_code == 302
    feedback = Feedback.objects.get()
    assert (feedback.dossier, feedback.agency, feedback.procedure) == (
        dossier,
        dossier.competent_agency,
        dossier.procedure,
    )
    assert feedback.sender == people["citizen"]


def test_bad_input_is_explained_in_vietnamese_and_records_nothing(friday: Any) -> None:
    response = Client().post(SEND, form(sender_phone="", subject="dossier", dossier_code="H99.101-000000-0000"))
    assert response.status_code == 400
    text = response.content.decode()
    assert "Không có hồ sơ nào mang mã này. Hãy kiểm tra mã trên giấy tiếp nhận." in text
    assert Feedback.objects.count() == 0
    response = Client().post(SEND, form(sender_phone="", sender_email=""))
    assert response.status_code == 400
    assert "Hãy cho số điện thoại hoặc địa chỉ thư điện tử để nhận được câu trả lời." in response.content.decode()
    assert Feedback.objects.count() == 0


def test_anonymous_senders_are_throttled_per_address(settings: Any, friday: Any) -> None:
    settings.FEEDBACK_RATE_LIMIT = "2/h"
    client = Client()
    codes = [client.post(SEND, form(form_token=f"tok-{n}" + "b" * 28)).status_code for n in range(3)]
    assert codes == [302, 302, 429]
    assert Feedback.objects.count() == 2


def test_staff_send_from_the_back_office_not_the_portal(province: dict[str, Any]) -> None:
    client = Client()
    client.force_login(make_staff(Role.DESK_OFFICER, province["commune_a"]))
    assert client.post(SEND, form()).status_code == 403
    assert Feedback.objects.count() == 0


@pytest.fixture
def answered(province: dict[str, Any], friday: Any) -> Feedback:
    feedback = feedback_submit(
        actor=None,
        channel=FeedbackChannel.PORTAL,
        data=FeedbackInput(
            subject=FeedbackSubject.OTHER,
            title="Đèn đường thôn Trung hỏng",
            content="Đèn đường thôn Trung hỏng đã hai tuần.",
            sender_name="Nguyễn Thị Lan",
            sender_phone="0912345678",
            agency=province["commune_a"],
        ),
    )
    friday.shift(3600 * 24 * 3)  # Monday 16:00
    specialist = make_staff(Role.SPECIALIST, province["commune_a"])
    return feedback_answer(actor=specialist, feedback=feedback, answer="Đã thay bóng đèn ngày 16/3.")


def test_the_lookup_shows_the_status_deadline_and_answer(answered: Feedback) -> None:
    url = reverse("portal:feedback-lookup")
    text = Client().get(url, {"code": answered.code.lower()}).content.decode()
    assert '<span class="badge" id="feedback-status">Đã trả lời</span>' in text
    assert '<dd id="feedback-due">27/03/2026 16:00</dd>' in text
    assert '<dd id="feedback-answered-at">16/03/2026 16:00</dd>' in text
    assert "<p>Đã thay bóng đèn ngày 16/3.</p>" in text
    assert "0912345678" not in text and "Nguyễn Thị Lan" not in text

    missing = Client().get(url, {"code": "PAZZZZZZZZ"})
    assert 'id="feedback-not-found"' in missing.content.decode()


def test_the_published_list_shows_question_and_answer_but_never_the_sender(
    province: dict[str, Any], answered: Feedback
) -> None:
    url = reverse("portal:feedback-list")
    assert f'id="published-{answered.code}"' not in Client().get(url).content.decode()  # not published yet
    feedback_publish(actor=make_staff(Role.UNIT_LEADER, province["commune_a"]), feedback=answered)

    text = Client().get(url).content.decode()
    assert f'id="published-{answered.code}"' in text
    assert '<h2 class="feedback-title">Đèn đường thôn Trung hỏng</h2>' in text
    assert "Xã An · nhận 13/03/2026 · trả lời 16/03/2026" in text
    assert "Nguyễn Thị Lan" not in text and "0912345678" not in text
    assert f'id="published-{answered.code}"' in Client().get(url, {"q": "bóng đèn", "unit": "H99.101"}).content.decode()
    assert f'id="published-{answered.code}"' not in Client().get(url, {"unit": "H99.102"}).content.decode()
    assert f'id="published-{answered.code}"' not in Client().get(url, {"q": "cầu cống"}).content.decode()
    assert Feedback.objects.get().status == FeedbackStatus.ANSWERED
