"""Return of results by post: the pickup ordered after the return (real HTTP to the fake carrier), the
signed status callback, polling, statuses in any order, the refusal and the staff's retry, the tariff."""

from __future__ import annotations

from datetime import datetime, timedelta
from itertools import permutations
from typing import Any

import pytest
import requests
from django.urls import reverse
from django.utils import translation

from motcua.core.exceptions import NotFound
from motcua.core.models import AuditEntry
from motcua.core.outbound import canonical_json
from motcua.integrations.fake_post import s10_tracking_number
from motcua.integrations.postal import PickupOrder, callback_headers, order_pickup, track
from motcua.integrations.postal_models import PostalTariff, Shipment, ShipmentStatus, ShipmentUpdate
from motcua.integrations.postal_selectors import tariff_for, tariff_text
from motcua.integrations.postal_services import (
    postal_tariff_set,
    shipment_retry,
    shipment_status_apply,
    shipments_poll,
)
from motcua.workflow.constants import ReturnVia
from motcua.workflow.processing import dossier_approve, dossier_forward, dossier_issue_result, dossier_return_result
from motcua.workflow.services import dossier_receive, dossier_submit_online
from tests.intake import HCM, birth_application
from tests.processing import process_staff

CALLBACK = "/api/v1/postal/status"
ADDRESS = "12 Lê Lợi, Xã An, Tỉnh Thử"


@pytest.fixture
def staff(province, people, settings, tmp_path, monday_morning):
    return process_staff(province, settings, tmp_path)


def issued_by_post(people: dict[str, Any], staff: dict[str, Any]) -> str:
    """A dossier whose applicant chose return by post, its result issued and waiting at the desk."""
    dossier = dossier_submit_online(
        actor=people["citizen"], application=birth_application(return_method="post", return_address=ADDRESS)
    )
    code = dossier_receive(actor=people["desk"], code=dossier.code).code
    dossier_forward(actor=people["desk"], code=code, assignee=people["specialist"])
    dossier_forward(actor=people["specialist"], code=code, assignee=staff["leader"])
    dossier_approve(actor=staff["leader"], code=code, note="Đủ điều kiện", assignee=staff["clerk"])
    dossier_issue_result(actor=staff["clerk"], code=code)
    return code


def post_status(client: Any, payload: dict[str, Any], *, headers: dict[str, str] | None = None) -> Any:
    body = canonical_json(payload)
    signed = headers if headers is not None else callback_headers(body)
    extra = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in signed.items()}
    return client.post(CALLBACK, data=body, content_type="application/json", **extra)


def at(hour: int, minute: int = 0, day: int = 10) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=HCM)


# The adapter against the fake ------------------------------------------------------------------------


def test_an_order_gets_an_s10_tracking_number_and_ordering_again_gets_the_same(fake_service) -> None:
    server = fake_service("post")
    order = PickupOrder("H99.101-260309-0001", "Nguyễn Thị Lan", "0912345678", ADDRESS, "H99.101", "Một cửa", "")

    first, again = order_pickup(order), order_pickup(order)

    assert first == again == s10_tracking_number(1) == "EB000000014VN"
    assert server.app.state["parcels"][first]["recipient"] == {
        "name": "Nguyễn Thị Lan",
        "phone": "0912345678",
        "address": ADDRESS,
    }
    requests.post(
        f"{server.url}/_fake/shipments/{first}/status",
        json={"status": "accepted", "at": at(8).isoformat(), "callback": False},
        timeout=5,
    )
    assert [(s.status, s.at) for s in track(first)] == [("accepted", at(8))]


def test_the_carrier_refuses_requests_signed_with_another_secret(fake_service, settings) -> None:
    server = fake_service("post")
    settings.MOTCUA_POST_SECRET = "wrong"
    with pytest.raises(Exception) as refused:
        order_pickup(PickupOrder("X-1", "A", "", ADDRESS, "H99", "Một cửa", ""))
    assert (refused.value.http_status, refused.value.retryable) == (401, False)  # type: ignore[attr-defined]
    assert (server.app.state["bad_signatures"], server.app.state["parcels"]) == (1, {})


# Return by post orders the pickup after the commit ----------------------------------------------------


def test_returning_by_post_orders_the_pickup_with_the_tariff_of_the_day(
    run_tasks, fake_service, people, staff, province
) -> None:
    server = fake_service("post")
    postal_tariff_set(actor=None, agency=None, fee=30_000, extra_working_days=2)
    postal_tariff_set(actor=None, agency=province["commune_a"], fee=25_000, extra_working_days=1)
    code = issued_by_post(people, staff)

    dossier_return_result(actor=people["desk"], code=code, via=ReturnVia.POST)
    run_tasks()  # the pickup task queued with the return

    shipment = Shipment.objects.get()
    assert (
        shipment.dossier.code,
        shipment.tracking_number,
        shipment.status,
        shipment.address,
        shipment.fee,
        shipment.extra_working_days,
        shipment.attempts,
    ) == (code, "EB000000014VN", ShipmentStatus.ORDERED, ADDRESS, 25_000, 1, 1)
    parcel = server.app.state["parcels"]["EB000000014VN"]
    assert (parcel["reference"], parcel["callback_url"]) == (code, "http://127.0.0.1:8000/api/v1/postal/status")
    # The legal due time is untouched by the carrier's days.
    assert shipment.dossier.due_at == datetime(2026, 3, 10, 9, 0, tzinfo=HCM)


def test_a_return_at_the_desk_orders_nothing(run_tasks, fake_service, people, staff) -> None:
    server = fake_service("post")
    code = issued_by_post(people, staff)
    dossier_return_result(actor=people["desk"], code=code, via=ReturnVia.DESK)
    assert run_tasks() >= 0
    assert (Shipment.objects.count(), server.app.calls) == (0, [])


def test_a_refused_order_shows_on_the_shipment_and_staff_retry_it(
    run_tasks, fake_service, people, staff, client
) -> None:
    server = fake_service("post")
    requests.post(server.url + "/_fake/refuse", json={"message": "Địa chỉ ngoài vùng phục vụ."}, timeout=5)
    code = issued_by_post(people, staff)

    dossier_return_result(actor=people["desk"], code=code, via=ReturnVia.POST)
    run_tasks()  # the pickup task queued with the return

    shipment = Shipment.objects.get()
    assert (shipment.status, shipment.tracking_number, shipment.last_error) == (
        ShipmentStatus.REFUSED,
        "",
        "Địa chỉ ngoài vùng phục vụ.",
    )
    client.force_login(people["desk"])
    page = client.get(reverse("backoffice:dossier", kwargs={"code": code})).content.decode()
    assert 'id="form-shipment-retry"' in page and "Địa chỉ ngoài vùng phục vụ." in page

    requests.post(server.url + "/_fake/refuse", json={"refuse": False}, timeout=5)
    response = client.post(reverse("backoffice:dossier-shipment-retry", kwargs={"code": code}))
    run_tasks()

    assert response.status_code == 302
    shipment.refresh_from_db()
    assert (shipment.status, shipment.tracking_number, shipment.last_error) == (
        ShipmentStatus.ORDERED,
        "EB000000014VN",
        "",
    )
    assert AuditEntry.objects.filter(action="shipment_retry", actor=people["desk"]).count() == 1


def test_only_staff_who_see_the_dossier_may_retry_and_an_ordered_one_is_not_retried(
    run_tasks, fake_service, people, staff
) -> None:
    fake_service("post")
    code = issued_by_post(people, staff)
    dossier_return_result(actor=people["desk"], code=code, via=ReturnVia.POST)
    run_tasks()  # the pickup task queued with the return
    before = (Shipment.objects.values_list("status", "attempts").get(), AuditEntry.objects.count())

    with pytest.raises(NotFound, match="Không tìm thấy hồ sơ"):
        shipment_retry(actor=people["other_desk"], code=code)
    with pytest.raises(Exception) as ordered:
        shipment_retry(actor=people["desk"], code=code)

    assert ordered.value.code == "shipment_not_retryable"  # type: ignore[attr-defined]
    assert (Shipment.objects.values_list("status", "attempts").get(), AuditEntry.objects.count()) == before


def test_the_carrier_down_leaves_the_order_pending_and_the_poll_orders_it(
    run_tasks, fake_service, people, staff
) -> None:
    server = fake_service("post")
    requests.post(server.url + "/_fake/faults", json={"failure_rate": 1.0}, timeout=5)
    code = issued_by_post(people, staff)
    dossier_return_result(actor=people["desk"], code=code, via=ReturnVia.POST)
    run_tasks()  # the pickup task queued with the return
    shipment = Shipment.objects.get()
    assert (shipment.status, shipment.attempts, shipment.last_error) == (
        ShipmentStatus.PENDING,
        1,
        f"POST {server.url}/v1/pickups: HTTP 503",
    )

    requests.post(server.url + "/_fake/faults", json={"failure_rate": 0}, timeout=5)
    assert shipments_poll() == {"ordered": 1, "tracked": 1, "moved": 0, "failed": 0}
    shipment.refresh_from_db()
    assert (shipment.status, shipment.tracking_number, shipment.attempts) == (
        ShipmentStatus.ORDERED,
        "EB000000014VN",
        2,
    )


# Status updates: signed, idempotent, never backwards --------------------------------------------------


@pytest.fixture
def ordered(run_tasks, fake_service, people, staff) -> tuple[Any, Shipment]:
    server = fake_service("post")
    code = issued_by_post(people, staff)
    dossier_return_result(actor=people["desk"], code=code, via=ReturnVia.POST)
    run_tasks()  # the pickup task queued with the return
    return server, Shipment.objects.get()


def test_a_signed_callback_moves_the_status_and_a_repeat_changes_nothing(client, ordered) -> None:
    _server, shipment = ordered
    payload = {"tracking_number": shipment.tracking_number, "status": "in_transit", "at": at(10).isoformat()}

    first = post_status(client, payload)
    second = post_status(client, payload)

    assert (first.status_code, first.json()) == (
        200,
        {
            "tracking_number": "EB000000014VN",
            "status": "in_transit",
            "status_at": "2026-03-10T10:00:00+07:00",
            "applied": True,
        },
    )
    assert (second.status_code, second.json()["applied"]) == (200, False)
    assert list(ShipmentUpdate.objects.values_list("status", "at", "source")) == [("in_transit", at(10), "callback")]


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"X-Client-Id": "demo-province", "X-Timestamp": "1773021600", "X-Signature": "0" * 64},
        "wrong-client",
        "old",
        "other-body",
    ],
)
def test_a_callback_not_signed_by_the_carrier_is_refused_and_changes_nothing(client, ordered, headers) -> None:
    _server, shipment = ordered
    payload = {"tracking_number": shipment.tracking_number, "status": "delivered", "at": at(10).isoformat()}
    body = canonical_json(payload)
    if headers == "wrong-client":
        headers = {**callback_headers(body), "X-Client-Id": "someone-else"}
    elif headers == "old":
        headers = callback_headers(body, timestamp=int((at(9, day=9) - timedelta(hours=1)).timestamp()))
    elif headers == "other-body":
        headers = callback_headers(canonical_json({**payload, "status": "returned"}))
    before = (Shipment.objects.values_list("status", "status_at").get(), ShipmentUpdate.objects.count())

    response = post_status(client, payload, headers=headers)

    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "signature_invalid"
    assert (Shipment.objects.values_list("status", "status_at").get(), ShipmentUpdate.objects.count()) == before


def test_bad_payloads_are_problems(client, ordered) -> None:
    _server, shipment = ordered
    unknown = post_status(client, {"tracking_number": "EB999999995VN", "status": "delivered", "at": at(10).isoformat()})
    bad_status = post_status(
        client, {"tracking_number": shipment.tracking_number, "status": "lost", "at": at(10).isoformat()}
    )
    assert (unknown.status_code, unknown.json()["code"]) == (404, "shipment_not_found")
    assert (bad_status.status_code, bad_status.json()["code"]) == (400, "validation_failed")
    assert ShipmentUpdate.objects.count() == 0


STEPS = [("accepted", at(8)), ("in_transit", at(10)), ("failed", at(14)), ("delivered", at(9, day=11))]


@pytest.mark.parametrize("order", list(permutations(range(4))))
def test_statuses_in_any_order_end_at_the_latest(ordered, order) -> None:
    _server, shipment = ordered
    for index in order:
        status, when = STEPS[index]
        shipment_status_apply(tracking_number=shipment.tracking_number, status=status, at=when, source="callback")
    shipment.refresh_from_db()
    assert (shipment.status, shipment.status_at) == (ShipmentStatus.DELIVERED, at(9, day=11))
    assert sorted(ShipmentUpdate.objects.values_list("status", flat=True)) == [
        "accepted",
        "delivered",
        "failed",
        "in_transit",
    ]


def test_poll_and_callback_together_record_each_status_once(client, ordered) -> None:
    server, shipment = ordered
    tracking = shipment.tracking_number
    for status, when in STEPS[:2]:
        requests.post(
            f"{server.url}/_fake/shipments/{tracking}/status",
            json={"status": status, "at": when.isoformat(), "callback": False},
            timeout=5,
        )
    post_status(client, {"tracking_number": tracking, "status": "in_transit", "at": at(10).isoformat()})

    assert shipments_poll() == {"ordered": 0, "tracked": 1, "moved": 0, "failed": 0}  # accepted came too late
    assert shipments_poll() == {"ordered": 0, "tracked": 1, "moved": 0, "failed": 0}

    shipment.refresh_from_db()
    assert (shipment.status, shipment.status_at) == (ShipmentStatus.IN_TRANSIT, at(10))
    assert list(ShipmentUpdate.objects.order_by("at").values_list("status", "source")) == [
        ("accepted", "poll"),
        ("in_transit", "callback"),
    ]
    requests.post(
        f"{server.url}/_fake/shipments/{tracking}/status",
        json={"status": "delivered", "at": at(9, day=11).isoformat(), "callback": False},
        timeout=5,
    )
    assert shipments_poll()["moved"] == 1
    assert shipments_poll() == {"ordered": 0, "tracked": 0, "moved": 0, "failed": 0}  # delivered: not asked again


# The tariff ---------------------------------------------------------------------------------------------


@translation.override("en")
def test_the_nearest_tariff_up_the_tree_applies(province) -> None:
    assert tariff_for(province["commune_a"]) is None
    assert tariff_text(None) == "Postal delivery is charged by the postal service."
    default = postal_tariff_set(actor=None, agency=None, fee=30_000, extra_working_days=2)
    department = postal_tariff_set(actor=None, agency=province["department"], fee=40_000, extra_working_days=3)
    assert (tariff_for(province["commune_a"]), tariff_for(province["unit"]), tariff_for(province["department"])) == (
        default,
        department,
        department,
    )
    postal_tariff_set(actor=None, agency=None, fee=32_000, extra_working_days=2)
    assert PostalTariff.objects.filter(agency=None).count() == 1
    assert tariff_text(tariff_for(province["commune_b"])) == (
        "Postal fee: 32.000 đ, 2 more working days (not counted in the legal processing time)."
    )
