"""Show a refused service's reasons on the form that asked for the action, or as messages on the page
a POST redirects back to."""

from __future__ import annotations

from typing import Any

from django.contrib import messages

from motcua.core.exceptions import DomainError


def add_domain_errors(form: Any, exc: DomainError, *, fields_only: bool = False) -> None:
    """Put ``exc.details`` on the form's fields; what names no field goes to the form as a whole,
    unless ``fields_only`` (when the page shows the message elsewhere)."""
    details = exc.details if isinstance(exc.details, dict) else {}
    if not details and not fields_only:
        details = {"": [exc.message]}
    for field, errors in details.items():
        if fields_only and field not in form.fields:
            continue
        for error in errors if isinstance(errors, list) else [errors]:
            form.add_error(field if field in form.fields else None, str(error))


def message_form_errors(request: Any, form: Any) -> None:
    """Each error of an invalid form as an error message (a POST that redirects back to its page)."""
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, str(error))


def message_domain_error(request: Any, exc: DomainError) -> None:
    """A refusal as error messages: its field messages when it has some, else its own message."""
    details = exc.details if isinstance(exc.details, dict) else {}
    for message in [error for errors in details.values() for error in errors] or [exc.message]:
        messages.error(request, str(message))
