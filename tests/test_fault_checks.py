"""The checks of the fault test (bench/fault.py) find what they look for: a lost or duplicated dossier, a
code gap, a counter out of step, a message missing, sent twice or sent to no row. Each case starts from a
clean state the same checks pass, so none of them can pass whatever the database holds."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

from motcua.dossiers.models import Dossier, DossierCounter, DossierEvent
from motcua.integrations.models import SyncMessage, SyncStatus
from motcua.integrations.national.sync import sync_deliver
from motcua.notifications.services import notification_send, notifications_for_event
from motcua.workflow.services import dossier_submit_online
from tests.intake import birth_application

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
from fault import SMS_LOG, Submission, check_codes, check_dossiers, check_notifications, check_sync

KEYS = ["a" * 32, "b" * 32, "c" * 32]


@pytest.fixture
def run(people: dict[str, Any], settings: Any, tmp_path: Path, monday_morning: Any) -> dict[str, Any]:
    """Three online submissions with their keys, their messages sent through the channels the fault test
    counts (the file e-mail backend under tmp_path/mail, the recording SMS gateway)."""
    settings.VAR_DIR = tmp_path
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = tmp_path / "mail"
    settings.MOTCUA_SMS_CHANNEL = "fault.RecordingSmsChannel"
    citizen = people["citizen"]
    for key in KEYS:
        dossier_submit_online(actor=citizen, application=birth_application(), idempotency_key=key)
    for event in DossierEvent.objects.filter(dossier__applicant=citizen):
        for notification in notifications_for_event(event_id=event.pk):
            notification_send(notification_id=notification.pk)
    submissions = []
    for key in KEYS:
        code = Dossier.objects.get(idempotency_key=f"{citizen.pk}:{key}").code
        submissions.append(Submission(key=key, answers=["201"], codes={code}, final=201))
    return {"citizen": citizen, "submissions": submissions, "var": tmp_path}


CLEAN_DOSSIERS = {"lost": 0, "duplicated": 0, "answer code ≠ stored code": 0}
CLEAN_CODES = {"sequences": 1, "dossiers": 3, "gaps": 0, "duplicates": 0, "counters off": 0}
CLEAN_NOTIFICATIONS = {
    "expected": 6,
    "rows": 6,
    "sent once": 6,
    "missing": 0,
    "duplicated": 0,
    "delivered, row not marked sent": 0,
    "unexpected rows or deliveries": 0,
}


def test_a_clean_run_passes_every_check(run: dict[str, Any]) -> None:
    citizen_id = run["citizen"].pk
    assert check_dossiers(citizen_id, run["submissions"]) == CLEAN_DOSSIERS
    assert check_codes() == CLEAN_CODES
    assert check_notifications(citizen_id, run["submissions"], run["var"]) == CLEAN_NOTIFICATIONS
    assert len((run["var"] / SMS_LOG).read_text().split()) == 3
    assert len(list((run["var"] / "mail").iterdir())) >= 1


def test_an_answered_key_without_its_row_is_lost(run: dict[str, Any]) -> None:
    answered = [*run["submissions"], Submission(key="d" * 32, answers=["201"], codes={"X"}, final=201)]
    assert check_dossiers(run["citizen"].pk, answered) == CLEAN_DOSSIERS | {"lost": 1}


def test_a_row_under_a_key_never_sent_is_a_duplicate(run: dict[str, Any]) -> None:
    citizen = run["citizen"]
    dossier_submit_online(actor=citizen, application=birth_application(), idempotency_key="e" * 32)
    assert check_dossiers(citizen.pk, run["submissions"]) == CLEAN_DOSSIERS | {"duplicated": 1}


def test_an_answer_with_another_code_is_counted(run: dict[str, Any]) -> None:
    run["submissions"][0].codes.add("H99.101-260309-0009")
    assert check_dossiers(run["citizen"].pk, run["submissions"]) == CLEAN_DOSSIERS | {"answer code ≠ stored code": 1}


def test_a_skipped_number_is_a_gap_and_a_counter_ahead_is_off(run: dict[str, Any]) -> None:
    last = Dossier.objects.get(code="H99.101-260309-0003")
    Dossier.objects.filter(pk=last.pk).update(code="H99.101-260309-0004")
    assert check_codes() == CLEAN_CODES | {"gaps": 1, "counters off": 1}
    Dossier.objects.filter(pk=last.pk).update(code="H99.101-260309-0003")
    DossierCounter.objects.update(last=4)
    assert check_codes() == CLEAN_CODES | {"counters off": 1}


def test_a_message_sent_twice_or_never_is_counted(run: dict[str, Any]) -> None:
    citizen_id, submissions, var = run["citizen"].pk, run["submissions"], run["var"]
    log = var / SMS_LOG
    first, second, third = log.read_text().split()
    log.write_text(f"{first}\n{first}\n{second}\n")  # the first SMS twice, the third never
    assert check_notifications(citizen_id, submissions, var) == CLEAN_NOTIFICATIONS | {
        "sent once": 4,
        "missing": 1,
        "duplicated": 1,
    }
    log.write_text(f"{first}\n{second}\n{third}\n{third}0\n")  # a delivery of no row of the run
    for path in (var / "mail").iterdir():
        path.unlink()  # no e-mail delivered
    assert check_notifications(citizen_id, submissions, var) == CLEAN_NOTIFICATIONS | {
        "sent once": 3,
        "missing": 3,
        "unexpected rows or deliveries": 1,
    }


def test_the_messages_of_a_dossier_not_of_the_run_are_not_counted(run: dict[str, Any], people: Any) -> None:
    """A dossier the national intake pulls in during the run notifies its own applicant: not a stray."""
    other = dossier_submit_online(actor=people["citizen"], application=birth_application(), idempotency_key=None)
    for event in DossierEvent.objects.filter(dossier=other):
        for notification in notifications_for_event(event_id=event.pk):
            notification_send(notification_id=notification.pk)
    assert check_notifications(run["citizen"].pk, run["submissions"], run["var"]) == CLEAN_NOTIFICATIONS


def test_the_sync_check_counts_what_the_portal_lacks_and_what_was_not_delivered(
    people: Any, settings: Any, fake_service: Any
) -> None:
    portal = fake_service("national_portal")
    settings.MOTCUA_NATIONAL_SYNC_ENABLED = True
    for key in KEYS[:2]:
        dossier_submit_online(actor=people["citizen"], application=birth_application(), idempotency_key=key)
    assert sync_deliver().delivered == 4  # each dossier's record, then its submission
    clean = {
        "messages": 4,
        "undelivered": 0,
        "portal dossiers": 2,
        "portal events": 2,
        "duplicates answered": 0,
        "out of order": 0,
        "errors": 0,
    }
    assert check_sync(portal.url) == clean
    portal.app.state["events"].popitem()  # the portal lost an event
    assert check_sync(portal.url) == clean | {"portal events": 1, "errors": 1}
    SyncMessage.objects.filter(sequence=2).update(status=SyncStatus.PENDING)
    assert check_sync(portal.url) == clean | {"portal events": 1, "undelivered": 2, "errors": 3}
