import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation

from motcua.dossiers.tracking import masked_name
from motcua.workflow.services import (
    dossier_receive,
    dossier_receive_at_desk,
    dossier_refuse,
    dossier_request_supplement,
    dossier_submit_online,
    dossier_submit_supplement,
)
from tests.intake import birth_application, pdf

CODE = "H99.101-260309-0001"
TRACK = "/tra-cuu/"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')
NEUTRAL = "No dossier matches this code and these digits. Check both and try again."


@pytest.fixture(autouse=True)
def _no_earlier_failures(_media_and_cache) -> None:
    # Every test runs at the same frozen minute, so a cache left over by an earlier test (locmem
    # caches are process-wide) would carry its failure counts into this one.
    cache.clear()


@pytest.fixture
def received(people, monday_morning):
    """A walk-in dossier received at the desk of Xã An on Monday 09:00 (due Tuesday 09:00)."""
    return dossier_receive_at_desk(
        officer=people["desk"],
        applicant=people["citizen"],
        desk_code="H99.101.MC",
        application=birth_application(),
        originals_seen=[],
    )


def look_up(client, code: str, factor: str, url: str = TRACK):
    with translation.override("en"):
        return client.post(url, {"code": code, "factor": factor}, HTTP_ACCEPT_LANGUAGE="en")


def events(body: str) -> int:
    return body.count('class="timeline-event"')


def test_the_qr_address_shows_the_form_with_the_code_filled_in(client, received) -> None:
    response = client.get(reverse("portal:track-dossier", kwargs={"code": CODE}))

    assert response.status_code == 200
    assert f'value="{CODE}"' in response.content.decode()
    assert response.context["dossier"] is None
    assert "no-cache" in response["Cache-Control"]


def test_code_and_phone_digits_show_status_due_time_and_timeline(client, people, received) -> None:
    response = look_up(client, CODE, "5678", url=f"{TRACK}{CODE}/")
    body = response.content.decode()

    assert response.status_code == 200
    assert response.context["dossier"] == received
    for text in (CODE, "Thủ tục đăng ký khai sinh", "Xã An", "Accepted", "09/03/2026 09:00", "10/03/2026 09:00"):
        assert text in body
    assert events(body) == 2
    assert [(e.action, e.status_label) for e in response.context["timeline"]] == [
        ("submit", "Newly registered"),
        ("receive", "Accepted"),
    ]
    # Personal data never shows: only the initials of the name.
    citizen = people["citizen"]
    assert masked_name(citizen.full_name) in body
    for secret in (citizen.full_name, "042190001234", "0912345678", citizen.email):
        assert secret not in body


def test_id_number_digits_work_as_well(client, received) -> None:
    response = look_up(client, CODE, "1234")
    assert response.status_code == 200
    assert response.context["dossier"] == received


def test_wrong_code_and_wrong_digits_get_the_same_neutral_page(client, received) -> None:
    wrong_code = look_up(client, "H99.101-260309-0002", "5678")
    wrong_digits = look_up(client, CODE, "0000")

    assert wrong_code.status_code == wrong_digits.status_code == 200
    assert NEUTRAL in wrong_code.content.decode()
    assert CSRF.sub("", wrong_code.content.decode()) == CSRF.sub("", wrong_digits.content.decode())
    assert CODE not in wrong_digits.content.decode()  # the typed values are not echoed back


def test_malformed_digits_are_a_form_error(client, received) -> None:
    response = look_up(client, CODE, "567")

    assert response.status_code == 400
    assert response.context["form"].errors["factor"]
    assert response.context["dossier"] is None


def test_only_public_notes_appear_in_the_timeline(client, people, monday_morning) -> None:
    dossier = dossier_submit_online(actor=people["citizen"], application=birth_application())
    dossier_receive(actor=people["desk"], code=dossier.code)
    dossier_request_supplement(
        actor=people["desk"], code=dossier.code, missing=["Giấy chứng sinh bản chính"], note="Thiếu giấy chứng sinh"
    )
    monday_morning.shift(timedelta(hours=1))
    dossier_submit_supplement(
        actor=people["citizen"], code=dossier.code, uploads=[pdf("bo-sung.pdf")], note="Số nhà 12, gọi 0912345678"
    )
    refused = dossier_submit_online(actor=people["citizen"], application=birth_application())
    dossier_refuse(actor=people["desk"], code=refused.code, reason="Sai thẩm quyền")

    body = look_up(client, dossier.code, "5678").content.decode()
    assert events(body) == 4
    assert "Thiếu giấy chứng sinh" in body
    assert "Số nhà 12" not in body and "0912345678" not in body
    assert "10/03/2026 10:00" in body  # due time moved by the hour the clock was paused

    body = look_up(client, refused.code, "5678").content.decode()
    assert "Sai thẩm quyền" in body
    assert "Not accepted" in body


def test_ten_failures_block_the_address_even_for_a_right_look_up(client, received) -> None:
    for _ in range(10):  # another code: one code's own limit (test_tracking_throttle) is not at play
        assert look_up(client, "H99.101-260309-0999", "0000").status_code == 200

    blocked = look_up(client, CODE, "5678")
    assert blocked.status_code == 429
    assert "Too many unsuccessful look-ups" in blocked.content.decode()
    assert blocked.context["dossier"] is None
    # Another address is not affected.
    with translation.override("en"):
        other = client.post(TRACK, {"code": CODE, "factor": "5678"}, REMOTE_ADDR="10.0.0.2")
    assert other.status_code == 200
    assert other.context["dossier"] == received


def test_successful_look_ups_do_not_count(client, received) -> None:
    for _ in range(15):
        assert look_up(client, CODE, "5678").status_code == 200
    for _ in range(9):
        assert look_up(client, CODE, "0000").status_code == 200
    assert look_up(client, CODE, "5678").context["dossier"] == received
