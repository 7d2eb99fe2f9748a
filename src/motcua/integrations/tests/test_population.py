"""Population database look-up at the desk: the adapter against the fake (real HTTP), the audit row, the
minimal data, the walk-in page's "Tra cứu CSDL dân cư" action."""

from __future__ import annotations

import logging
from datetime import date

import pytest
import requests
from django.urls import reverse

from motcua.core.exceptions import ValidationFailed
from motcua.core.models import AuditEntry
from motcua.core.outbound import OutboundError
from motcua.identity.models import User
from motcua.integrations.population import Outcome, PersonRecord, fetch_person, population_record_lookup

pytestmark = pytest.mark.django_db


def test_the_adapter_returns_only_the_fields_the_desk_needs(fake_service) -> None:
    server = fake_service("population")

    person = fetch_person("022190001234", requested_by="H99.101.MC")

    assert person == PersonRecord(
        personal_id="022190001234",
        full_name="Nguyễn Thị Lan",
        date_of_birth=date(1990, 3, 14),
        address="Thôn Trung, xã demo",
    )
    assert not hasattr(person, "ethnicity")  # the fake sent it; nothing keeps it
    assert server.app.state["lookups"] == [
        {"personal_id": "022190001234", "purpose": "one_stop_reception", "requested_by": "H99.101.MC"}
    ]


def test_an_unknown_id_is_none_and_a_wrong_secret_is_refused_by_the_service(fake_service, settings) -> None:
    server = fake_service("population")
    assert fetch_person("001099999999", requested_by="x") is None

    settings.MOTCUA_POPULATION_SECRET = "not-the-secret"
    with pytest.raises(OutboundError) as refused:
        fetch_person("022190001234", requested_by="x")
    assert (refused.value.http_status, refused.value.retryable, server.app.state["refused"]) == (401, False, 1)


def test_each_look_up_is_audited_with_the_masked_id_and_its_outcome(fake_service, people, caplog) -> None:
    fake_service("population")
    desk = people["desk"]

    with caplog.at_level(logging.INFO, logger="motcua.integrations.population"):
        found = population_record_lookup(actor=desk, personal_id="001095012345", desk_code="H99.101.MC")
        missing = population_record_lookup(actor=desk, personal_id="001099999999", desk_code="H99.101.MC")

    assert (found.outcome, found.person and found.person.full_name) == (Outcome.FOUND, "Lê Văn An")
    assert (missing.outcome, missing.person) == (Outcome.NOT_FOUND, None)
    rows = list(AuditEntry.objects.filter(action="population_lookup").order_by("id"))
    assert [(r.actor, r.object_id, r.data) for r in rows] == [
        (
            desk,
            "*********345",
            {"personal_id": "*********345", "outcome": "found", "desk": "H99.101.MC", "dossier": ""},
        ),
        (
            desk,
            "*********999",
            {"personal_id": "*********999", "outcome": "not_found", "desk": "H99.101.MC", "dossier": ""},
        ),
    ]
    logged = caplog.text
    assert "*********345" in logged and "001095012345" not in logged and "Lê Văn An" not in logged
    assert "Lê Văn An" not in str([(r.summary, r.data) for r in rows])


def test_service_down_is_an_outcome_not_an_error(fake_service, people) -> None:
    server = fake_service("population")
    requests.post(server.url + "/_fake/faults", json={"failure_rate": 1.0}, timeout=5)

    result = population_record_lookup(actor=people["desk"], personal_id="022190001234", desk_code="H99.101.MC")

    assert (result.outcome, result.person) == (Outcome.UNAVAILABLE, None)
    assert "nhập thông tin theo thẻ căn cước bằng tay" in result.message
    assert AuditEntry.objects.get(action="population_lookup").data["outcome"] == "unavailable"


def test_a_malformed_id_is_refused_before_any_call_and_leaves_no_trace(fake_service, people) -> None:
    server = fake_service("population")
    for bad in ("12345", "02219000123A", ""):
        with pytest.raises(ValidationFailed):
            population_record_lookup(actor=people["desk"], personal_id=bad)
    assert (server.app.calls, AuditEntry.objects.filter(action="population_lookup").count()) == ([], 0)


# The walk-in page --------------------------------------------------------------------------------------

WALK_IN = "backoffice:walk-in"


def account_post(**overrides: str) -> dict[str, str]:
    data = {"kind": "citizen", "full_name": "", "personal_id": "079203004567", "phone": "0901234567", "address": ""}
    return {**data, **overrides}


def test_the_look_up_prefills_name_and_address_and_shows_the_birth_date(client, fake_service, people) -> None:
    fake_service("population")
    client.force_login(people["desk"])
    accounts = User.objects.count()

    response = client.post(reverse(WALK_IN), {**account_post(), "lookup": "1"})

    assert response.status_code == 200
    form = response.context["form"]
    assert (form["full_name"].value(), form["address"].value(), form["personal_id"].value(), form["phone"].value()) == (
        "Phạm Thị Bình",
        "Ấp Bình Thạnh, xã Tân Phú, tỉnh Đồng Nai",
        "079203004567",
        "0901234567",
    )
    html = response.content.decode()
    assert 'id="population-birth">30/01/2003<' in html
    assert "Tra cứu CSDL dân cư" in html
    assert User.objects.count() == accounts  # a look-up opens no account
    entry = AuditEntry.objects.get(action="population_lookup")
    assert (entry.actor, entry.data["desk"], entry.data["outcome"]) == (people["desk"], "H99.101.MC", "found")


@pytest.mark.parametrize(
    ("personal_id", "failure_rate", "message"),
    [
        ("001099999999", 0.0, "không có người mang số định danh này"),
        ("022190001234", 1.0, "không kết nối được"),
    ],
)
def test_not_found_or_down_keeps_the_typing_with_a_vietnamese_message(
    client, fake_service, people, personal_id, failure_rate, message
) -> None:
    server = fake_service("population")
    requests.post(server.url + "/_fake/faults", json={"failure_rate": failure_rate}, timeout=5)
    client.force_login(people["desk"])

    response = client.post(
        reverse(WALK_IN), {**account_post(personal_id=personal_id, full_name="Tên gõ tay"), "lookup": "1"}
    )

    assert response.status_code == 400
    assert response.context["form"]["full_name"].value() == "Tên gõ tay"
    assert message in response.content.decode().lower()
