"""Background side effects of accounts: mails that must not make a request slower for a known address."""

from __future__ import annotations

from django_tasks import task

from motcua.identity.services import password_reset_send, registration_attempt_notify


@task()
def password_reset_mail_task(email: str) -> None:
    password_reset_send(email=email)


@task()
def registration_attempt_notice_task(user_id: int) -> None:
    registration_attempt_notify(user_id=user_id)
