"""Refusals of the notifications app."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from motcua.core.exceptions import DomainError, NotFound, ValidationFailed


class MessageRefused(Exception):
    """A channel's refusal of the message itself (a number that is not a mobile, an unknown brand name):
    sending it again cannot succeed, so the row fails for good instead of waiting for a resend."""


class TemplateInvalid(ValidationFailed):
    code = "template_invalid"
    default_message = _("The message template cannot be used.")


class ReceiptSignatureInvalid(DomainError):
    """The delivery receipt is not signed with the receipt secret, or its timestamp is too old."""

    code = "bad_signature"
    status = 401
    default_message = _("The receipt's signature is missing, stale or wrong.")


class ReceiptInvalid(ValidationFailed):
    code = "invalid_receipt"
    default_message = _("The delivery receipt is not valid.")


class UnknownMessage(NotFound):
    code = "unknown_message"
    default_message = _("No SMS with this reference was sent.")
