"""Domain errors: each carries a stable machine code (used by the API) and a translatable message."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    """A refused business action. ``code`` is stable and public; ``message`` is shown to people."""

    code = "domain_error"
    status = 400
    default_message: Any = _("The action was refused.")

    def __init__(self, message: Any = None, *, code: str | None = None, details: Any = None) -> None:
        self.message = message if message is not None else self.default_message
        if code:
            self.code = code
        self.details = details
        super().__init__(str(self.message))


class ValidationFailed(DomainError):
    """Input that breaks a rule; ``details`` maps field names (or row numbers) to messages."""

    code = "validation_failed"
    default_message = _("Some values are not valid.")


class NotFound(DomainError):
    code = "not_found"
    status = 404
    default_message = _("Not found.")


class PermissionDenied(DomainError):
    code = "permission_denied"
    status = 403
    default_message = _("You do not have permission to do this.")
