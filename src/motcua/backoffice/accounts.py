"""Opening an applicant's account at the desk, shared by the account page and walk-in reception."""

from __future__ import annotations

from typing import Any, cast

from django.http import HttpRequest
from django.utils import timezone

from motcua.core.exceptions import DomainError
from motcua.core.form_errors import add_domain_errors
from motcua.identity.forms import DeskApplicantForm
from motcua.identity.models import User
from motcua.identity.services import applicant_create_at_desk


def open_account(request: HttpRequest, form: DeskApplicantForm) -> tuple[User, str] | None:
    """(account, one-time password) when the posted form opens one; None with errors on the form otherwise.

    The password is shown once, to be printed or read to the applicant; it is never stored in clear.
    """
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        return applicant_create_at_desk(
            actor=cast(User, request.user), data=form.applicant_data(), kind=form.cleaned_data["kind"]
        )
    except DomainError as exc:
        add_domain_errors(form, exc)
        return None


def handover_context(opened: tuple[User, str], **extra: Any) -> dict[str, Any]:
    user, password = opened
    return {"applicant": user, "created": user, "password": password, "at": timezone.now(), **extra}
