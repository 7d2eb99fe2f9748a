"""National portal sync through the outbox: delivered in order per dossier, exactly once at the portal,
retried with backoff, dead letters after the last attempt or on a refusal, resent by an administrator.
Every test talks HTTP to the fake portal (core/fakes.py), never to a mock."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from motcua.core import periodic
from motcua.core.models import AuditEntry
from motcua.core.outbound import canonical_json
from motcua.integrations.models import SyncMessage
from motcua.integrations.national import sync
from motcua.integrations.national.fake_sync import summary
from motcua.integrations.national.sync import (
    NotDead,
    retry_delay,
    sync_deliver,
    sync_dossier_resend,
    sync_message_resend,
    sync_resume,
)
from motcua.workflow.services import dossier_receive, dossier_submit_online
from tests.factories import make_staff
from tests.intake import birth_application


def rows() -> list[tuple[int, str, str, int]]:
    return list(SyncMessage.objects.order_by("sequence").values_list("sequence", "kind", "status", "attempts"))


@pytest.fixture
def portal(fake_service: Any, settings: Any) -> Any:
    server = fake_service("national_portal")
    settings.MOTCUA_NATIONAL_SYNC_ENABLED = True
    settings.MOTCUA_NATIONAL_SYNC_RETRY_BASE_SECONDS = 10
    settings.MOTCUA_NATIONAL_SYNC_RETRY_MAX_SECONDS = 60
    settings.MOTCUA_NATIONAL_SYNC_MAX_ATTEMPTS = 4
    return server


@pytest.fixture
def act(people: Any, monday_morning: Any, django_capture_on_commit_callbacks: Any) -> Any:
    """Submit online and receive at the desk, each committed (its sync task runs at the commit)."""

    def run() -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            dossier = dossier_submit_online(actor=people["citizen"], application=birth_application())
        with django_capture_on_commit_callbacks(execute=True):
            return dossier_receive(actor=people["desk"], code=dossier.code)

    return run


def test_each_event_goes_to_the_portal_in_order_with_the_record_before_it(portal, act) -> None:
    dossier = act()
    assert rows() == [
        (1, "dossier", "delivered", 1),
        (2, "event", "delivered", 1),
        (3, "dossier", "delivered", 1),  # reception changes the national status: the record goes again
        (4, "event", "delivered", 1),
    ]
    state = portal.app.state
    assert summary(state) == {
        "dossiers": 1,
        "events": 2,
        "received": 4,
        "duplicates": 0,
        "out_of_order": 0,
        "rejected": 0,
    }
    assert state["sequences"] == {dossier.code: [1, 2, 3, 4]}
    record = state["dossiers"][dossier.code]
    assert (record["TrangThaiHoSo"], record["NgayTiepNhan"], record["NgayHenTra"]) == (
        2,
        "20260309090000",
        "20260310090000",
    )
    assert [(e["MaThaoTac"], e["TrangThai"]) for e in state["events"][dossier.code]] == [("submit", 1), ("receive", 2)]
    first = SyncMessage.objects.get(sequence=1)
    assert (first.message_id, first.lag_ms, first.delivered_at) == (f"{dossier.code}.1", 0, timezone.now())


def test_nothing_is_queued_when_the_sync_is_off(portal, act, settings) -> None:
    settings.MOTCUA_NATIONAL_SYNC_ENABLED = False
    act()
    assert (SyncMessage.objects.count(), portal.app.calls) == (0, [])


def test_the_backoff_doubles_up_to_its_cap(settings) -> None:
    settings.MOTCUA_NATIONAL_SYNC_RETRY_BASE_SECONDS = 10
    settings.MOTCUA_NATIONAL_SYNC_RETRY_MAX_SECONDS = 60
    assert [retry_delay(n).total_seconds() for n in range(1, 6)] == [10, 20, 40, 60, 60]


def test_a_failing_portal_is_retried_on_schedule_and_the_later_messages_wait(portal, act, monday_morning) -> None:
    portal.app.set_faults(failure_rate=1.0)
    dossier = act()
    # The head failed once (503), nothing after it was tried: order is kept.
    assert rows() == [
        (1, "dossier", "pending", 1),
        (2, "event", "pending", 0),
        (3, "dossier", "pending", 0),
        (4, "event", "pending", 0),
    ]
    head = SyncMessage.objects.get(sequence=1)
    assert (head.next_attempt_at, head.last_http_status) == (timezone.now() + timedelta(seconds=10), 503)
    assert head.last_error.endswith("HTTP 503")

    monday_morning.shift(timedelta(seconds=9))
    assert sync_resume().sent == 0  # not due yet
    monday_morning.shift(timedelta(seconds=1))
    assert (sync_resume().sent, rows()[0]) == (1, (1, "dossier", "pending", 2))
    head.refresh_from_db()
    assert head.next_attempt_at == timezone.now() + timedelta(seconds=20)

    portal.app.set_faults()  # the portal is back
    monday_morning.shift(timedelta(seconds=20))
    done = sync_resume()
    assert (done.sent, done.delivered) == (4, 4)
    assert [status for _s, _k, status, _a in rows()] == ["delivered"] * 4
    assert portal.app.state["sequences"] == {dossier.code: [1, 2, 3, 4]}
    assert portal.app.state["out_of_order"] == []


def test_a_message_is_a_dead_letter_after_its_last_attempt_and_holds_back_its_dossier(
    portal, act, monday_morning
) -> None:
    portal.app.set_faults(failure_rate=1.0)
    act()
    for wait in (10, 20, 40):  # attempts 2, 3, 4 (the last)
        monday_morning.shift(timedelta(seconds=wait))
        assert sync_resume().sent == 1
    assert rows()[0] == (1, "dossier", "dead", 4)
    monday_morning.shift(timedelta(hours=1))
    portal.app.set_faults()
    assert sync_resume().sent == 0  # the dead letter blocks its dossier
    assert portal.app.state["received"] == 0
    dead = SyncMessage.objects.get(sequence=1)
    assert (dead.dead_at, dead.next_attempt_at) == (timezone.now() - timedelta(hours=1), None)


def test_a_refusal_is_a_dead_letter_at_once_and_a_resend_after_the_fix_delivers_in_order(
    portal, act, settings, django_capture_on_commit_callbacks
) -> None:
    settings.MOTCUA_NATIONAL_PORTAL_SECRET = "a-secret-the-portal-does-not-know"
    dossier = act()
    assert rows()[0] == (1, "dossier", "dead", 1)  # 401 is not retryable
    dead = SyncMessage.objects.get(sequence=1)
    assert (dead.last_http_status, portal.app.state["rejected"]) == (401, 1)

    admin = make_staff("administrator", dossier.receiving_agency)
    settings.MOTCUA_NATIONAL_PORTAL_SECRET = "demo-national-portal-secret"  # the cause is fixed
    audits = AuditEntry.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        sync_message_resend(actor=admin, message_pk=dead.pk)  # its task sends the dossier at the commit
    assert [status for _s, _k, status, _a in rows()] == ["delivered"] * 4
    assert portal.app.state["sequences"] == {dossier.code: [1, 2, 3, 4]}
    entry = AuditEntry.objects.latest("id")
    assert (AuditEntry.objects.count(), entry.action, entry.actor, entry.data) == (
        audits + 1,
        "national_sync.resend",
        admin,
        {"attempts": 1, "last_error": dead.last_error, "last_http_status": 401},
    )
    with pytest.raises(NotDead):
        sync_message_resend(actor=admin, message_pk=dead.pk)
    assert AuditEntry.objects.count() == audits + 1


def test_resending_a_dossier_sends_its_dead_letters_and_then_the_rest(
    portal, act, settings, monday_morning, django_capture_on_commit_callbacks
) -> None:
    portal.app.set_faults(failure_rate=1.0)
    dossier = act()
    settings.MOTCUA_NATIONAL_SYNC_MAX_ATTEMPTS = 1
    monday_morning.shift(timedelta(seconds=10))
    sync_resume()
    assert rows()[0][2] == "dead"
    portal.app.set_faults()
    admin = make_staff("administrator", dossier.receiving_agency)
    with django_capture_on_commit_callbacks(execute=True):
        assert sync_dossier_resend(actor=admin, dossier_id=dossier.pk) == 1
    assert [status for _s, _k, status, _a in rows()] == ["delivered"] * 4
    assert AuditEntry.objects.latest("id").data == {"messages": [SyncMessage.objects.get(sequence=1).pk]}
    with pytest.raises(NotDead):
        sync_dossier_resend(actor=admin, dossier_id=dossier.pk)


def test_a_sender_that_died_after_sending_is_taken_over_and_the_portal_stores_the_message_once(
    portal, act, monday_morning, settings
) -> None:
    portal.app.set_faults(failure_rate=1.0)
    dossier = act()
    portal.app.set_faults()
    monday_morning.shift(timedelta(seconds=10))
    # A sender claims the head and posts it, then dies before recording the acknowledgement.
    claim = sync._claim()
    assert claim is not None
    row = SyncMessage.objects.get(pk=claim.pk)
    sync.post_to_portal(row.kind, sync.build_payload(row))
    assert sync_resume().sent == 0  # its claim holds for the call's timeout and a margin
    monday_morning.shift(timedelta(seconds=settings.MOTCUA_NATIONAL_SYNC_TIMEOUT_SECONDS + 30))
    assert sync_resume().delivered == 4
    state = portal.app.state
    assert (summary(state)["received"], state["duplicates"], state["duplicate_ids"]) == (4, 1, [f"{dossier.code}.1"])
    assert rows()[0] == (1, "dossier", "delivered", 3)


def test_a_retry_sends_the_same_bytes_under_the_same_id(portal, act, monday_morning) -> None:
    portal.app.set_faults(failure_rate=1.0)
    act()
    head = SyncMessage.objects.get(sequence=1)
    frozen = canonical_json(head.payload)
    portal.app.set_faults()
    monday_morning.shift(timedelta(seconds=10))
    sync_resume()
    head.refresh_from_db()
    assert canonical_json(head.payload) == frozen


def test_the_worker_runs_the_periodic_sync_job() -> None:
    jobs = {job.name: job for job in periodic.registered()}
    assert (jobs["integrations.national_sync"].job, jobs["integrations.national_sync"].every) == (
        sync_resume,
        timedelta(seconds=5),
    )


def test_sending_with_the_sync_off_sends_nothing(portal, act, settings) -> None:
    portal.app.set_faults(failure_rate=1.0)
    act()
    settings.MOTCUA_NATIONAL_SYNC_ENABLED = False
    assert sync_deliver().sent == 0
