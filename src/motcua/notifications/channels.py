"""Delivery channels as plugins (ARCHITECTURE.md §4.6): e-mail through Django's mail backend, SMS
through the gateway class named by settings.MOTCUA_SMS_CHANNEL (a local fake by default)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from django.conf import settings
from django.core.mail import send_mail
from django.utils.module_loading import import_string

from motcua.notifications.constants import NotificationChannel

if TYPE_CHECKING:
    from motcua.notifications.models import Notification


class Channel(Protocol):
    def send(self, notification: Notification) -> None:
        """Deliver the message, or raise: the caller records the failure and may retry."""


class EmailChannel:
    def send(self, notification: Notification) -> None:
        send_mail(
            notification.subject,
            notification.body,
            settings.DEFAULT_FROM_EMAIL,
            [notification.recipient],
            fail_silently=False,
        )


class OutboxSmsChannel:
    """Demo and test gateway: nothing leaves the server; the notification row is the outbox that the
    back office shows. A real gateway is another class with the same ``send``."""

    def send(self, notification: Notification) -> None:
        return None


def channel_for(name: str) -> Channel:
    if name == NotificationChannel.EMAIL:
        return EmailChannel()
    if name == NotificationChannel.SMS:
        sms: type[Channel] = import_string(settings.MOTCUA_SMS_CHANNEL)
        return sms()
    raise ValueError(f"unknown notification channel {name!r}")
