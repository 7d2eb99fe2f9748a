"""Notifications are never lost: failed ones are sent again with a backoff, a dead worker's task is taken
again without sending twice, and the tests run the production task path (issue 13, item 5)."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from motcua.core import periodic
from motcua.core.models import TaskLease
from motcua.core.task_worker import claim_next, requeue_expired, run_ready_tasks
from motcua.notifications.models import Notification
from motcua.notifications.services import notification_send, notifications_resend
from motcua.notifications.tests.test_notifications import EMAIL, PHONE, FailingSms, rows  # noqa: F401
from motcua.workflow.services import dossier_submit_online
from tests.intake import birth_application

SMS_OK = "motcua.notifications.channels.OutboxSmsChannel"
SMS_DOWN = f"{__name__}.FailingSms"


@pytest.fixture
def submitted(people, monday_morning, django_capture_on_commit_callbacks):
    def submit():
        with django_capture_on_commit_callbacks(execute=True):
            return dossier_submit_online(actor=people["citizen"], application=birth_application())

    return submit


def test_the_tests_run_the_production_queue_and_worker(submitted, settings) -> None:
    """The notification task is a row of the database queue, written with the dossier, and the
    worker's claim-and-run ran it (its attempts recorded, its lease released)."""
    assert settings.TASKS["default"]["BACKEND"] == "motcua.core.task_queue.DatabaseQueue"
    dossier = submitted()
    task_row = DBTaskResult.objects.get()
    assert (task_row.task_path, task_row.args_kwargs, task_row.status, task_row.worker_ids) == (
        "motcua.notifications.tasks.notify_event_task",
        {"args": [], "kwargs": {"event_id": dossier.events.get().pk}},
        "SUCCESSFUL",
        ["in-process"],
    )
    assert (TaskLease.objects.count(), rows()) == (
        0,
        [("submit", "email", EMAIL, "sent", 1), ("submit", "sms", PHONE, "sent", 1)],
    )


def test_a_failed_notification_is_sent_again_by_the_periodic_job_after_its_backoff(
    submitted, monday_morning, settings
) -> None:
    settings.MOTCUA_SMS_CHANNEL = SMS_DOWN
    settings.MOTCUA_NOTIFICATION_RETRY_BASE_SECONDS = 60
    submitted()
    assert rows()[1] == ("submit", "sms", PHONE, "failed", 1)
    schedule = periodic.Schedule()

    monday_morning.shift(timedelta(seconds=59))
    schedule.run_due()  # the backoff is not over: nothing is sent
    assert rows()[1] == ("submit", "sms", PHONE, "failed", 1)

    monday_morning.shift(timedelta(seconds=1))
    schedule.last_run.clear()
    schedule.run_due()  # the gateway is still down: a second failure, the next wait is 120 s
    assert rows()[1] == ("submit", "sms", PHONE, "failed", 2)

    settings.MOTCUA_SMS_CHANNEL = SMS_OK
    monday_morning.shift(timedelta(seconds=119))
    assert notifications_resend() == 0
    monday_morning.shift(timedelta(seconds=1))
    assert notifications_resend() == 1
    assert rows() == [("submit", "email", EMAIL, "sent", 1), ("submit", "sms", PHONE, "sent", 3)]
    assert len(mail.outbox) == 1  # the e-mail was not sent again


def test_a_notification_is_given_up_after_its_last_attempt(submitted, monday_morning, settings) -> None:
    settings.MOTCUA_SMS_CHANNEL = SMS_DOWN
    settings.MOTCUA_NOTIFICATION_MAX_ATTEMPTS = 3
    submitted()
    for _ in range(5):
        monday_morning.shift(timedelta(hours=1))
        notifications_resend()
    sms = Notification.objects.get(channel="sms")
    assert (sms.status, sms.attempts, sms.last_error) == ("failed", 3, "ConnectionError: gateway down")


def test_a_send_in_flight_is_not_started_twice_and_a_dead_senders_one_is_sent_later(
    submitted, monday_morning, settings
) -> None:
    settings.MOTCUA_NOTIFICATION_IN_FLIGHT_SECONDS = 120
    settings.MOTCUA_SMS_CHANNEL = SMS_DOWN
    submitted()
    sms = Notification.objects.get(channel="sms")
    # Another worker claimed the send (attempts 2) and is talking to the gateway right now.
    Notification.objects.filter(pk=sms.pk).update(status="pending", attempts=2, attempted_at=timezone.now())
    settings.MOTCUA_SMS_CHANNEL = SMS_OK

    assert notification_send(notification_id=sms.pk).attempts == 2  # not claimed: not sent
    monday_morning.shift(timedelta(seconds=120))
    assert notifications_resend() == 0
    monday_morning.shift(timedelta(seconds=1))  # that worker died before marking it: sent again
    assert notifications_resend() == 1
    assert rows()[1] == ("submit", "sms", PHONE, "sent", 3)


def test_a_notification_task_of_a_dead_worker_is_taken_again_and_sends_once(
    people, monday_morning, settings, django_capture_on_commit_callbacks
) -> None:
    """Finding: a task RUNNING when its worker died stayed RUNNING for ever, its notification unsent."""
    settings.TASKS = {"default": {"BACKEND": "motcua.core.task_queue.DatabaseQueue"}}  # a real worker's queue
    with django_capture_on_commit_callbacks(execute=True):
        dossier_submit_online(actor=people["citizen"], application=birth_application())
    claim_next("worker-killed")  # claimed, then SIGKILL before it ran
    assert (DBTaskResult.objects.get().status, len(mail.outbox), Notification.objects.count()) == ("RUNNING", 0, 0)

    monday_morning.shift(timedelta(seconds=settings.MOTCUA_TASK_LEASE_SECONDS + 1))
    assert (requeue_expired(), run_ready_tasks(worker_id="worker-restarted")) == (1, 1)

    task_row = DBTaskResult.objects.get()
    assert (task_row.status, task_row.worker_ids) == ("SUCCESSFUL", ["worker-killed", "worker-restarted"])
    assert rows() == [("submit", "email", EMAIL, "sent", 1), ("submit", "sms", PHONE, "sent", 1)]
    assert len(mail.outbox) == 1
    assert run_ready_tasks() == 0


def test_the_notification_resend_is_a_registered_periodic_job() -> None:
    jobs = {job.name: job for job in periodic.registered()}
    assert (jobs["notifications.resend"].job, jobs["notifications.resend"].every) == (
        notifications_resend,
        timedelta(minutes=1),
    )


def test_tasks_left_in_the_queue_run_with_the_run_tasks_fixture(people, monday_morning, run_tasks) -> None:
    """Without django_capture_on_commit_callbacks the test's transaction never commits: the task waits
    in the queue, as it would for a worker, until run_tasks() runs it through the worker's code."""
    dossier_submit_online(actor=people["citizen"], application=birth_application())
    assert (DBTaskResult.objects.get().status, Notification.objects.count()) == ("READY", 0)

    assert (run_tasks(), run_tasks()) == (1, 0)
    assert (DBTaskResult.objects.get().worker_ids, len(rows()), len(mail.outbox)) == (["test-worker"], 2, 1)
