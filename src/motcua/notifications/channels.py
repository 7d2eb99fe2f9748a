"""Delivery channels as plugins (ARCHITECTURE.md §4.6): e-mail through Django's mail backend (SMTP in
production), SMS through the gateway class named by settings.MOTCUA_SMS_CHANNEL (the brand-name SMS
gateway of notifications.sms_gateway, or the local outbox)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.utils.html import linebreaks, urlize
from django.utils.module_loading import import_string

from motcua.notifications.constants import NotificationChannel

if TYPE_CHECKING:
    from motcua.notifications.models import Notification


class Channel(Protocol):
    def send(self, notification: Notification) -> str | None:
        """Deliver the message, or raise: the caller records the failure and may retry
        (``notifications.exceptions.MessageRefused``: never). May return the provider's message id."""


class EmailChannel:
    """Plain text, as written, with an HTML alternative of the same text (paragraphs, links)."""

    def send(self, notification: Notification) -> str | None:
        message = EmailMultiAlternatives(
            notification.subject, notification.body, settings.DEFAULT_FROM_EMAIL, [notification.recipient]
        )
        html = linebreaks(urlize(notification.body, autoescape=True))
        message.attach_alternative(f'<!doctype html><html lang="vi"><body>{html}</body></html>', "text/html")
        message.send(fail_silently=False)
        return None


class OutboxSmsChannel:
    """Local use: nothing leaves the server; the notification row is the outbox that the back office
    shows. The brand-name gateway is notifications.sms_gateway.GatewaySmsChannel."""

    def send(self, notification: Notification) -> str | None:
        return None


def channel_for(name: str) -> Channel:
    if name == NotificationChannel.EMAIL:
        return EmailChannel()
    if name == NotificationChannel.SMS:
        sms: type[Channel] = import_string(settings.MOTCUA_SMS_CHANNEL)
        return sms()
    raise ValueError(f"unknown notification channel {name!r}")
