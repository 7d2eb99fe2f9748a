"""The postal service on the pages: a dossier brought by post received at the desk (channel 3), the fee
and the extra delay told before return by post is chosen, the tracking number and carrier's status on the
citizen's page, the tracking page and the back office."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from motcua.dossiers.constants import NATIONAL_CHANNEL, Channel
from motcua.dossiers.models import Dossier
from motcua.integrations.postal_services import postal_tariff_set, shipment_status_apply
from motcua.workflow.constants import ReturnVia
from motcua.workflow.processing import dossier_return_result
from motcua.workflow.services import dossier_receive_at_desk
from tests.factories import row_counts
from tests.intake import HCM, PDF, birth_application, birth_documents
from tests.processing import process_staff

from .test_postal import at, issued_by_post

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def staff(province, people, settings, tmp_path, monday_morning):
    return process_staff(province, settings, tmp_path)


def walk_in_post(people: dict[str, Any], **overrides: Any) -> dict[str, Any]:
    first, second = birth_documents()
    data = {
        "desk": "H99.101.MC",
        "agency": "H99.101",
        "eform-ho_ten_tre": "Nguyễn Văn An",
        "eform-ngay_sinh": "2026-03-01",
        "return_method": "post",
        "return_address": "12 Lê Lợi, Xã An",
        "channel": "postal",
        "postal_order_number": "BCCI-2026-000123",
        f"file_{first.pk}": SimpleUploadedFile("to-khai.pdf", PDF),
        f"paper_{second.pk}": "certified_copy",
    }
    data.update(overrides)
    return data


def walk_in_url(people: dict[str, Any]) -> str:
    return reverse("backoffice:walk-in-dossier", kwargs={"applicant_id": people["citizen"].pk}) + "?procedure=1.001193"


def test_a_dossier_brought_by_post_is_received_with_channel_3_and_its_order_number(
    client, people, monday_morning
) -> None:
    client.force_login(people["desk"])
    page = client.get(walk_in_url(people), **EN).content.decode()
    assert "Through the public postal service" in page and 'name="postal_order_number"' in page

    response = client.post(walk_in_url(people), walk_in_post(people))

    assert response.status_code == 302
    dossier = Dossier.objects.get()
    assert (dossier.channel, NATIONAL_CHANNEL[dossier.channel], dossier.channel_reference, dossier.desk.code) == (
        Channel.POSTAL,
        3,
        "BCCI-2026-000123",
        "H99.101.MC",
    )
    shown = client.get(response["Location"]).content.decode()
    assert 'id="postal-order-number">BCCI-2026-000123<' in shown


def test_postal_channel_without_order_number_is_refused_and_changes_nothing(client, people, monday_morning) -> None:
    client.force_login(people["desk"])
    before = row_counts()

    response = client.post(walk_in_url(people), walk_in_post(people, postal_order_number=""))

    assert response.status_code == 400
    assert "số phiếu gửi của bưu điện" in response.content.decode().lower()
    after = row_counts()
    after.pop("dossiers.StagedUpload", None), before.pop("dossiers.StagedUpload", None)  # the scan kept for the retry
    assert after == before


def test_the_service_takes_the_channel_and_a_desk_dossier_keeps_no_reference(people, monday_morning) -> None:
    first, second = birth_documents()
    application = birth_application(uploads=[])
    by_post = dossier_receive_at_desk(
        officer=people["desk"],
        applicant=people["citizen"],
        desk_code="H99.101.MC",
        application=application,
        originals_seen=[first.pk, second.pk],
        channel=Channel.POSTAL,
        channel_reference=" VN123456789 ",
    )
    at_desk = dossier_receive_at_desk(
        officer=people["desk"],
        applicant=people["citizen"],
        desk_code="H99.101.MC",
        application=birth_application(uploads=[]),
        originals_seen=[first.pk, second.pk],
        channel_reference="ignored",
    )
    assert [(d.channel, d.channel_reference) for d in (by_post, at_desk)] == [
        ("postal", "VN123456789"),
        ("desk", ""),
    ]


def test_the_fee_and_the_extra_delay_are_shown_before_choosing_return_by_post(client, people, province) -> None:
    postal_tariff_set(actor=None, agency=None, fee=30_000, extra_working_days=2)
    client.force_login(people["citizen"])

    page = client.get("/thu-tuc/1.001193/nop-ho-so/").content.decode()

    assert "Cước chuyển phát: 30.000 đ, thêm 2 ngày làm việc" in page
    assert page.index('id="postal-tariff"') < page.index('name="return_address"')


def test_the_desk_sees_the_tariff_of_each_agency_when_they_differ(client, people, province) -> None:
    postal_tariff_set(actor=None, agency=None, fee=30_000, extra_working_days=2)
    postal_tariff_set(actor=None, agency=province["commune_a"], fee=22_000, extra_working_days=1)
    client.force_login(people["desk"])

    page = client.get(walk_in_url(people), **EN).content.decode()

    assert "Postal fee: 22.000 đ, 1 more working days" in page


def test_the_tracking_number_and_carrier_status_show_to_the_citizen_and_on_the_tracking_page(
    client, run_tasks, fake_service, people, staff
) -> None:
    fake_service("post")
    code = issued_by_post(people, staff)
    dossier_return_result(actor=people["desk"], code=code, via=ReturnVia.POST)
    run_tasks()
    shipment_status_apply(tracking_number="EB000000014VN", status="in_transit", at=at(10, 30), source="callback")

    client.force_login(people["citizen"])
    mine = client.get(reverse("portal:my-dossier", kwargs={"code": code})).content.decode()
    client.logout()
    tracked = client.post(reverse("portal:track"), {"code": code, "factor": "5678"}).content.decode()

    for html in (mine, tracked):
        assert 'id="shipment-tracking">EB000000014VN<' in html
        assert 'id="shipment-status">Đang vận chuyển<' in html
        assert 'datetime="2026-03-10T10:30:00+07:00">10:30 10/03/2026<' in html
    assert 'id="form-shipment-retry"' not in mine
    assert HCM  # times are shown in Hà Nội time
