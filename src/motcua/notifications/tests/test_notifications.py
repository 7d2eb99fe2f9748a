from datetime import datetime, timedelta

import pytest
from django.core import mail

from motcua.core.site import rating_token
from motcua.dossiers.models import DossierEvent
from motcua.notifications.models import Notification
from motcua.notifications.services import notification_send, notifications_for_event
from motcua.notifications.tasks import enqueue_notification, notify_event_task
from motcua.workflow import writer
from motcua.workflow.constants import ReturnVia
from motcua.workflow.processing import (
    dossier_apologize,
    dossier_approve,
    dossier_forward,
    dossier_issue_result,
    dossier_return_result,
    dossier_stop,
)
from motcua.workflow.services import (
    dossier_receive,
    dossier_receive_at_desk,
    dossier_refuse,
    dossier_request_supplement,
    dossier_submit_online,
    dossier_submit_supplement,
    dossier_withdraw,
)
from motcua.workflow.transitions import SupplementOnlyOnce, TransitionNotAllowed
from tests.intake import HCM, birth_application, birth_documents, pdf
from tests.processing import process_staff

CODE = "H99.101-260309-0001"
TRACKING_URL = f"http://127.0.0.1:8000/tra-cuu/{CODE}/"
EMAIL = "042190001234@example.vn"  # the factory's address for the `people` citizen
PHONE = "0912345678"


class FailingSms:
    def send(self, notification: Notification) -> None:
        raise ConnectionError("gateway down")


def rows() -> list[tuple]:
    return list(
        Notification.objects.order_by("id").values_list("event__action", "channel", "recipient", "status", "attempts")
    )


def contains(text: str, *fragments: str) -> bool:
    """Messages are checked by the data they carry, not by their (translated) wording."""
    return all(fragment in text for fragment in fragments)


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run the work, then its on-commit hooks (the test's transaction never commits)."""

    def run(work, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return work(*args, **kwargs)

    return run


def test_the_writer_announces_events_to_notifications() -> None:
    assert writer.on_event_committed.count(enqueue_notification) == 1


def test_online_submission_and_reception_notify_by_email_and_sms(people, monday_morning, committed) -> None:
    dossier = committed(dossier_submit_online, actor=people["citizen"], application=birth_application())
    committed(dossier_receive, actor=people["desk"], code=dossier.code)

    assert dossier.code == CODE
    assert rows() == [
        ("submit", "email", EMAIL, "sent", 1),
        ("submit", "sms", PHONE, "sent", 1),
        ("receive", "email", EMAIL, "sent", 1),
        ("receive", "sms", PHONE, "sent", 1),
    ]
    submitted_email, submitted_sms, received_email, received_sms = Notification.objects.order_by("id")
    assert CODE in submitted_email.subject
    assert contains(submitted_email.body, CODE, TRACKING_URL, "Thủ tục đăng ký khai sinh", "Xã An", "Người dùng")
    assert contains(submitted_sms.body, CODE, TRACKING_URL)
    assert contains(received_email.subject, CODE, "10/03/2026 09:00")
    assert contains(received_email.body, CODE, "10/03/2026 09:00", TRACKING_URL)
    assert contains(received_sms.body, CODE, "10/03/2026 09:00")
    assert all(len(n.body) <= 160 and "\n" not in n.body for n in (submitted_sms, received_sms))
    assert all(n.sent_at is not None and n.last_error == "" for n in Notification.objects.all())
    assert [(m.to, m.subject, m.body, m.from_email) for m in mail.outbox] == [
        ([EMAIL], submitted_email.subject, submitted_email.body, "motcua@localhost"),
        ([EMAIL], received_email.subject, received_email.body, "motcua@localhost"),
    ]


def test_running_the_task_again_sends_nothing_twice(people, monday_morning, committed) -> None:
    dossier = committed(dossier_submit_online, actor=people["citizen"], application=birth_application())
    event = dossier.events.get()

    notify_event_task.enqueue(event_id=event.pk)
    notify_event_task.call(event_id=event.pk)

    assert rows() == [("submit", "email", EMAIL, "sent", 1), ("submit", "sms", PHONE, "sent", 1)]
    assert len(mail.outbox) == 1


def test_a_failed_channel_is_recorded_and_a_later_run_retries_it(people, monday_morning, committed, settings) -> None:
    settings.MOTCUA_SMS_CHANNEL = f"{__name__}.FailingSms"
    dossier = committed(dossier_submit_online, actor=people["citizen"], application=birth_application())

    assert rows() == [("submit", "email", EMAIL, "sent", 1), ("submit", "sms", PHONE, "failed", 1)]
    sms = Notification.objects.get(channel="sms")
    assert (sms.last_error, sms.sent_at) == ("ConnectionError: gateway down", None)

    settings.MOTCUA_SMS_CHANNEL = "motcua.notifications.channels.OutboxSmsChannel"
    notify_event_task.enqueue(event_id=dossier.events.get().pk)

    assert rows() == [("submit", "email", EMAIL, "sent", 1), ("submit", "sms", PHONE, "sent", 2)]
    sms.refresh_from_db()
    assert (sms.last_error, sms.sent_at is not None) == ("", True)
    assert len(mail.outbox) == 1  # the e-mail, sent the first time, is not sent again


def test_a_sent_notification_is_never_sent_again(people, monday_morning, committed) -> None:
    committed(dossier_submit_online, actor=people["citizen"], application=birth_application())
    email = Notification.objects.get(channel="email")

    again = notification_send(notification_id=email.pk)

    assert (again.status, again.attempts, len(mail.outbox)) == ("sent", 1, 1)


def test_refusal_supplement_and_withdrawal_tell_the_reason_and_the_items(people, monday_morning, committed) -> None:
    refused = committed(dossier_submit_online, actor=people["citizen"], application=birth_application())
    committed(dossier_refuse, actor=people["desk"], code=refused.code, reason="Không thuộc thẩm quyền")
    completed = committed(dossier_submit_online, actor=people["citizen"], application=birth_application())
    committed(dossier_receive, actor=people["desk"], code=completed.code)
    committed(
        dossier_request_supplement,
        actor=people["desk"],
        code=completed.code,
        missing=["Giấy chứng sinh bản chính", "Bản sao sổ hộ khẩu"],
        note="",
    )
    committed(dossier_submit_supplement, actor=people["citizen"], code=completed.code, uploads=[pdf("bo-sung.pdf")])
    committed(dossier_withdraw, actor=people["citizen"], code=completed.code, reason="Công dân yêu cầu rút hồ sơ")

    emails = {
        (n.dossier.code, n.event.action): n.body
        for n in Notification.objects.filter(channel="email").select_related("dossier", "event")
    }
    assert set(emails) == {
        (refused.code, "submit"),
        (refused.code, "refuse"),
        (completed.code, "submit"),
        (completed.code, "receive"),
        (completed.code, "request_supplement"),
        (completed.code, "withdraw"),  # submitting the supplement is the applicant's own act: no message
    }
    assert "Không thuộc thẩm quyền" in emails[(refused.code, "refuse")]
    assert "- Giấy chứng sinh bản chính\n- Bản sao sổ hộ khẩu" in emails[(completed.code, "request_supplement")]
    assert "Công dân yêu cầu rút hồ sơ" in emails[(completed.code, "withdraw")]
    assert Notification.objects.filter(channel="sms").count() == 6
    assert all(len(n.body) <= 160 for n in Notification.objects.filter(channel="sms"))
    assert Notification.objects.exclude(status="sent").count() == 0


def test_refused_actions_notify_nobody(people, monday_morning, committed) -> None:
    dossier = committed(dossier_submit_online, actor=people["citizen"], application=birth_application())
    committed(dossier_refuse, actor=people["desk"], code=dossier.code, reason="Không thuộc thẩm quyền")
    before = (rows(), len(mail.outbox), DossierEvent.objects.count())

    with pytest.raises(TransitionNotAllowed):
        committed(dossier_receive, actor=people["desk"], code=dossier.code)

    assert (rows(), len(mail.outbox), DossierEvent.objects.count()) == before


def test_a_second_supplement_request_notifies_nobody(people, monday_morning, committed) -> None:
    dossier = committed(dossier_submit_online, actor=people["citizen"], application=birth_application())
    committed(dossier_receive, actor=people["desk"], code=dossier.code)
    committed(dossier_request_supplement, actor=people["desk"], code=dossier.code, missing=["Khác"], note="")
    monday_morning.shift(timedelta(hours=1))
    committed(dossier_submit_supplement, actor=people["citizen"], code=dossier.code, uploads=[pdf("bo-sung.pdf")])
    before = (rows(), len(mail.outbox))

    with pytest.raises(SupplementOnlyOnce):
        committed(dossier_request_supplement, actor=people["desk"], code=dossier.code, missing=["X"], note="")

    assert (rows(), len(mail.outbox)) == before


def test_a_walk_in_dossier_is_notified_when_received_only(people, monday_morning, committed) -> None:
    citizen = people["citizen"]
    citizen.email = ""
    citizen.save(update_fields=["email"])
    dossier = committed(
        dossier_receive_at_desk,
        officer=people["desk"],
        applicant=citizen,
        desk_code="H99.101.MC",
        application=birth_application(uploads=[]),
        originals_seen=[d.pk for d in birth_documents()],  # no scans: the originals were seen at the desk
    )

    assert rows() == [("receive", "sms", PHONE, "sent", 1)]  # no e-mail address, no online submission
    assert dossier.code in Notification.objects.get().body
    assert mail.outbox == []


def test_an_event_of_no_interest_creates_nothing(people, monday_morning) -> None:
    dossier = dossier_submit_online(actor=people["citizen"], application=birth_application())
    dossier_receive(actor=people["desk"], code=dossier.code)
    dossier_request_supplement(actor=people["desk"], code=dossier.code, missing=["Khác"], note="")
    dossier_submit_supplement(actor=people["citizen"], code=dossier.code, uploads=[pdf("bo-sung.pdf")])
    supplement_given = dossier.events.get(action="submit_supplement")

    assert notifications_for_event(event_id=supplement_given.pk) == []
    assert notifications_for_event(event_id=0) == []
    assert Notification.objects.count() == 0


def test_result_apology_and_stop_tell_the_applicant(province, people, monday_morning, committed, settings, tmp_path):
    staff = process_staff(province, settings, tmp_path)
    desk, specialist, leader, clerk = people["desk"], people["specialist"], staff["leader"], staff["clerk"]
    done = committed(dossier_submit_online, actor=people["citizen"], application=birth_application())
    committed(dossier_receive, actor=desk, code=done.code)
    committed(
        dossier_apologize,
        actor=leader,
        code=done.code,
        reason="Chờ xác minh",
        new_due_at=datetime(2026, 3, 12, 16, 0, tzinfo=HCM),
    )
    committed(dossier_forward, actor=desk, code=done.code, assignee=specialist)
    committed(dossier_forward, actor=specialist, code=done.code, assignee=leader)
    committed(dossier_approve, actor=leader, code=done.code, assignee=clerk)
    committed(dossier_issue_result, actor=clerk, code=done.code)
    committed(dossier_return_result, actor=desk, code=done.code, via=ReturnVia.ELECTRONIC)
    stopped = committed(dossier_submit_online, actor=people["citizen"], application=birth_application())
    committed(dossier_receive, actor=desk, code=stopped.code)
    committed(dossier_stop, actor=leader, code=stopped.code, reason="Không đủ điều kiện")

    emails = {
        (n.dossier.code, n.event.action): n.body
        for n in Notification.objects.filter(channel="email").select_related("dossier", "event")
    }
    assert sorted(action for code, action in emails if code == done.code) == [
        "apologize",
        "issue_result",
        "receive",
        "return_result",
        "submit",
    ]
    # Issue 17: the result's messages invite the applicant to rate, with the dossier's signed link.
    link = f"http://127.0.0.1:8000/danh-gia/{rating_token(done.code)}/"
    invitation = f"Mời bạn đánh giá mức độ hài lòng về việc giải quyết hồ sơ: {link}"
    returned_sms = Notification.objects.get(channel="sms", event__action="return_result").body
    assert invitation in emails[(done.code, "issue_result")] and invitation in emails[(done.code, "return_result")]
    assert returned_sms == f"Ho so {done.code} da tra KQ. Danh gia: {link}"
    assert link not in Notification.objects.get(channel="sms", event__action="issue_result").body  # one segment
    assert "Chờ xác minh" in emails[(done.code, "apologize")]
    assert "10/03/2026 09:00" in emails[(done.code, "apologize")]  # the original due time
    assert "12/03/2026 16:00" in emails[(done.code, "apologize")]
    assert "KQ.H99.000001" in emails[(done.code, "issue_result")]
    assert "Cổng" in emails[(done.code, "issue_result")] or "Hồ sơ của tôi" in emails[(done.code, "issue_result")]
    assert "Không đủ điều kiện" in emails[(stopped.code, "stop")]
    assert all(len(n.body) <= 160 for n in Notification.objects.filter(channel="sms"))


def test_links_in_e_mails_and_sms_follow_the_site_url(people, monday_morning, committed, settings) -> None:
    settings.SITE_URL = "http://127.0.0.1:8080"
    committed(dossier_submit_online, actor=people["citizen"], application=birth_application())

    email, sms = Notification.objects.order_by("id")
    url = f"http://127.0.0.1:8080/tra-cuu/{CODE}/"
    assert contains(email.body, url) and contains(sms.body, url)
    assert ":8000" not in email.body + sms.body
