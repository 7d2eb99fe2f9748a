"""Show a refused service's reasons on the form that asked for the action."""

from __future__ import annotations

from typing import Any

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
