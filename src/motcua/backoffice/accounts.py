"""Opening an applicant's account at the desk, shared by the account page and walk-in reception."""

from __future__ import annotations

import re
from typing import Any, cast

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.exceptions import DomainError
from motcua.core.form_errors import add_domain_errors
from motcua.core.identifiers import PERSONAL_ID, PHONE, TAX_CODE, normalize_phone
from motcua.identity.constants import AccountKind
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


# Mobile numbers start 03, 05, 07, 08 or 09; a 10-digit number starting otherwise is read as an
# enterprise code (whose first two digits are a province code).
_MOBILE = re.compile(r"^(\+84|0)[35789][0-9]{8}$")


def typed_identifier(query: str) -> tuple[dict[str, str], str]:
    """What the officer typed in the applicant search, as initial values of the account form, and the
    line telling them whose account they are about to open (({}, "") when it is none of the three)."""
    q = query.strip()
    phone = normalize_phone(q)
    if PERSONAL_ID.match(q):
        hint = _("Citizen without an account: open an account for personal ID %(number)s.")
        return {"kind": AccountKind.CITIZEN, "personal_id": q}, hint % {"number": q}
    if _MOBILE.match(phone) or (PHONE.match(phone) and not TAX_CODE.match(q)):
        hint = _("Nobody has an account with this phone: open an account for phone %(number)s.")
        return {"phone": phone}, hint % {"number": phone}
    if TAX_CODE.match(q):
        hint = _("Organisation without an account: open an account for enterprise code %(number)s.")
        return {"kind": AccountKind.ORGANISATION, "tax_code": q}, hint % {"number": q}
    return {}, ""
