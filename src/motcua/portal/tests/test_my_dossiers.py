import re
from datetime import datetime, timedelta

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from motcua.dossiers.constants import NationalStatus, Status
from motcua.dossiers.models import Dossier, DossierDocument, DossierEvent
from motcua.workflow.services import dossier_receive, dossier_request_supplement, dossier_submit_online
from tests.factories import make_citizen
from tests.intake import HCM, PDF, PNG, birth_application

CODE = "H99.101-260309-0001"
PAGE = f"/ho-so-cua-toi/{CODE}/"
GIF = b"GIF89a\x01\x00\x01\x00\x00\x00\x00;"


def stored_files() -> set[str]:
    if not default_storage.exists("dossiers"):
        return set()
    folders, _files = default_storage.listdir("dossiers")
    return {f"{folder}/{name}" for folder in folders for name in default_storage.listdir(f"dossiers/{folder}")[1]}


def snapshot(dossier: Dossier) -> tuple:
    dossier.refresh_from_db()
    return (
        dossier.status,
        dossier.due_at,
        dossier.paused_at,
        dossier.pauses,
        list(dossier.events.values_list("action", flat=True)),
        DossierDocument.objects.count(),
        stored_files(),
    )


@pytest.fixture
def submitted(people, monday_morning) -> Dossier:
    return dossier_submit_online(actor=people["citizen"], application=birth_application())


@pytest.fixture
def citizen_client(client, people):
    client.force_login(people["citizen"])
    return client


def english(client, method: str, url: str, data=None):
    with translation.override("en"):
        return getattr(client, method)(url, data or {}, HTTP_ACCEPT_LANGUAGE="en")


def test_anonymous_is_sent_to_log_in_and_staff_to_the_back_office(client, people, submitted) -> None:
    for url in ("/ho-so-cua-toi/", PAGE, f"{PAGE}tai-lieu/{submitted.documents.first().pk}/"):
        response = client.get(url)
        assert (response.status_code, response["Location"].split("?")[0]) == (302, "/dang-nhap/")
    client.force_login(people["desk"])
    for url in ("/ho-so-cua-toi/", PAGE, f"{PAGE}tai-lieu/{submitted.documents.first().pk}/"):
        assert client.get(url).status_code == 403


def test_the_list_shows_only_my_dossiers_newest_first(citizen_client, people, submitted, monday_morning) -> None:
    monday_morning.shift(timedelta(hours=1))
    second = dossier_submit_online(actor=people["citizen"], application=birth_application())
    dossier_submit_online(actor=make_citizen(), application=birth_application())  # someone else's

    response = english(citizen_client, "get", "/ho-so-cua-toi/")

    assert response.status_code == 200
    assert [d.code for d in response.context["page"]] == [second.code, CODE]
    body = response.content.decode()
    assert "H99.101-260309-0003" not in body
    assert f'href="/ho-so-cua-toi/{CODE}/"' in body
    assert "Thủ tục đăng ký khai sinh" in body and "Newly registered" in body
    assert 'href="/ho-so-cua-toi/"' in body  # the "My dossiers" link in the menu


@pytest.mark.parametrize("count", [1, 10])
def test_the_list_costs_the_same_queries_for_1_or_10_dossiers(
    citizen_client, people, monday_morning, django_assert_num_queries, count
) -> None:
    for _ in range(count):
        dossier_submit_online(actor=people["citizen"], application=birth_application())
    # session, user, count, page of dossiers with procedure and agencies
    with django_assert_num_queries(4):
        response = citizen_client.get("/ho-so-cua-toi/")
    assert len(response.context["page"]) == count


def test_the_dossier_page_shows_documents_timeline_and_the_withdraw_form(citizen_client, submitted) -> None:
    response = english(citizen_client, "get", PAGE)

    assert response.status_code == 200
    body = response.content.decode()
    assert [(d.name, d.original_name, d.size) for d in response.context["documents"]] == [
        ("Tờ khai đăng ký khai sinh", "to-khai.pdf", len(PDF)),
        ("Giấy chứng sinh", "giay-chung-sinh.pdf", len(PDF)),
    ]
    first = submitted.documents.order_by("id").first()
    assert f'href="{PAGE}tai-lieu/{first.pk}/"' in body
    assert body.count('class="timeline-event"') == 1
    assert response.context["can_withdraw"] is True
    assert f'action="{PAGE}rut/"' in body
    assert "supplement-title" not in body


def test_my_own_file_downloads_as_an_attachment(citizen_client, submitted) -> None:
    document = submitted.documents.order_by("id").first()
    response = citizen_client.get(f"{PAGE}tai-lieu/{document.pk}/")

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="to-khai.pdf"'
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF


def test_another_citizen_gets_404_for_my_dossier_and_my_files(client, submitted) -> None:
    client.force_login(make_citizen())
    document = submitted.documents.order_by("id").first()

    assert client.get(PAGE).status_code == 404
    assert client.get(f"{PAGE}tai-lieu/{document.pk}/").status_code == 404
    assert client.post(f"{PAGE}rut/", {"reason": "x"}).status_code == 404
    assert client.post(f"{PAGE}bo-sung/", {"attachments": SimpleUploadedFile("a.pdf", PDF)}).status_code == 404
    assert snapshot(submitted)[0] == Status.SUBMITTED


def test_a_document_of_another_dossier_is_not_reachable_through_mine(citizen_client, people, submitted) -> None:
    other = dossier_submit_online(actor=make_citizen(), application=birth_application())
    foreign = other.documents.first()
    assert citizen_client.get(f"{PAGE}tai-lieu/{foreign.pk}/").status_code == 404


def test_withdraw_through_the_page(citizen_client, submitted) -> None:
    response = citizen_client.post(f"{PAGE}rut/", {"reason": "Công dân yêu cầu rút hồ sơ"})

    assert (response.status_code, response["Location"]) == (302, PAGE)
    submitted.refresh_from_db()
    assert (submitted.status, submitted.national_status) == (Status.WITHDRAWN, NationalStatus.WITHDRAWN)
    event = submitted.events.order_by("id").last()
    assert (event.action, event.note) == ("withdraw", "Công dân yêu cầu rút hồ sơ")
    page = english(citizen_client, "get", PAGE)
    assert page.context["can_withdraw"] is False
    assert f'action="{PAGE}rut/"' not in page.content.decode()


def test_withdraw_without_a_reason_changes_nothing(citizen_client, submitted) -> None:
    before = snapshot(submitted)
    response = english(citizen_client, "post", f"{PAGE}rut/", {"reason": "  "})

    assert response.status_code == 400
    assert response.context["withdraw_form"].errors["reason"]
    assert snapshot(submitted) == before


def test_withdrawing_twice_is_refused_with_the_workflow_message(citizen_client, submitted) -> None:
    citizen_client.post(f"{PAGE}rut/", {"reason": "Không cần nữa"})
    before = snapshot(submitted)

    response = english(citizen_client, "post", f"{PAGE}rut/", {"reason": "Lần nữa"})

    assert response.status_code == 409
    assert "This action is not allowed for the dossier in its current state." in response.content.decode()
    assert snapshot(submitted) == before


@pytest.fixture
def supplement_requested(people, submitted, monday_morning) -> Dossier:
    dossier_receive(actor=people["desk"], code=CODE)  # Monday 09:00, due Tuesday 09:00
    monday_morning.shift(timedelta(hours=1))
    dossier = dossier_request_supplement(
        actor=people["desk"], code=CODE, missing=["Giấy chứng sinh bản chính", "Tờ khai có chữ ký"], note=""
    )
    monday_morning.shift(timedelta(hours=2))  # Monday 12:00: two hours paused
    return dossier


def test_the_page_lists_what_is_missing_with_an_upload_form(citizen_client, supplement_requested) -> None:
    response = english(citizen_client, "get", PAGE)
    body = response.content.decode()

    assert response.context["supplement_items"] == ["Giấy chứng sinh bản chính", "Tờ khai có chữ ký"]
    assert "<li>Giấy chứng sinh bản chính</li>" in body
    assert f'action="{PAGE}bo-sung/"' in body
    assert 'enctype="multipart/form-data"' in body
    assert re.search(r'<input type="file" name="attachments"[^>]* multiple', body)


def test_supplement_upload_resumes_the_clock(citizen_client, supplement_requested) -> None:
    files = [SimpleUploadedFile("giay-chung-sinh.pdf", PDF), SimpleUploadedFile("to-khai.png", PNG)]
    response = citizen_client.post(f"{PAGE}bo-sung/", {"attachments": files, "note": "Đã bổ sung"})

    assert (response.status_code, response["Location"]) == (302, PAGE)
    dossier = supplement_requested
    dossier.refresh_from_db()
    assert (dossier.status, dossier.national_status, dossier.paused_at) == (
        Status.RECEIVED,
        NationalStatus.ACCEPTED,
        None,
    )
    # Paused 10:00-12:00 on Monday: 1.5 working hours (the lunch break from 11:30 does not count).
    assert dossier.due_at == datetime(2026, 3, 10, 10, 30, tzinfo=HCM)
    assert len(dossier.pauses) == 1
    added = dossier.documents.filter(for_supplement=True).order_by("id")
    assert [(d.original_name, d.content_type) for d in added] == [
        ("giay-chung-sinh.pdf", "application/pdf"),
        ("to-khai.png", "image/png"),
    ]
    assert len(stored_files()) == 4
    assert DossierEvent.objects.filter(dossier=dossier).order_by("id").last().action == "submit_supplement"


def test_a_gif_is_refused_and_nothing_is_stored(citizen_client, supplement_requested) -> None:
    before = snapshot(supplement_requested)
    files = [SimpleUploadedFile("ok.pdf", PDF), SimpleUploadedFile("anh.gif", GIF, content_type="image/gif")]

    response = english(citizen_client, "post", f"{PAGE}bo-sung/", {"attachments": files})

    assert response.status_code == 400
    assert "Only PDF, JPEG or PNG files are accepted." in response.content.decode()
    assert snapshot(supplement_requested) == before
    assert before[0] == Status.SUPPLEMENT_REQUESTED


def test_supplement_without_a_file_is_a_form_error(citizen_client, supplement_requested) -> None:
    before = snapshot(supplement_requested)
    response = english(citizen_client, "post", f"{PAGE}bo-sung/", {"note": "quên file"})

    assert response.status_code == 400
    assert response.context["supplement_form"].errors["attachments"]
    assert snapshot(supplement_requested) == before


def test_supplement_when_none_was_asked_is_refused(citizen_client, submitted) -> None:
    before = snapshot(submitted)
    response = english(citizen_client, "post", f"{PAGE}bo-sung/", {"attachments": SimpleUploadedFile("a.pdf", PDF)})

    assert response.status_code == 409
    assert "This action is not allowed for the dossier in its current state." in response.content.decode()
    assert snapshot(submitted) == before
