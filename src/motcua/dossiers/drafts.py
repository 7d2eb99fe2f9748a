"""Drafts of online applications: saved as typed, checked only when the dossier is submitted."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from motcua.catalog.models import Procedure
from motcua.core.exceptions import PermissionDenied, ValidationFailed
from motcua.dossiers.constants import ReturnMethod
from motcua.dossiers.draft_models import DossierDraft
from motcua.identity.constants import AccountKind
from motcua.identity.models import User

# A draft is scratch data, not a record: bound its size, check nothing else.
DRAFT_VALUE_MAX_CHARS = 5000
DRAFT_ADDRESS_MAX_CHARS = 255


@dataclass
class DraftData:
    agency_code: str = ""
    form_data: dict[str, Any] = field(default_factory=dict)
    return_method: str = ""
    return_address: str = ""


def draft_for(applicant: Any, procedure: Procedure) -> DossierDraft | None:
    if not getattr(applicant, "pk", None):
        return None
    return DossierDraft.objects.select_related("agency").filter(applicant=applicant, procedure=procedure).first()


def _kept_values(procedure: Procedure, values: dict[str, Any]) -> dict[str, Any]:
    """Values of the e-form's own fields that were filled in; too long a value is refused."""
    version = procedure.current_version
    names = set(((version.form_schema if version else {}) or {}).get("properties") or {})
    kept: dict[str, Any] = {}
    too_long: dict[str, list[str]] = {}
    for name, value in values.items():
        if name not in names or value in (None, "", False):
            continue
        if not isinstance(value, str | bool | int | float):
            value = str(value)
        if isinstance(value, str) and len(value) > DRAFT_VALUE_MAX_CHARS:
            too_long[name] = [_("This value is too long to be kept in a draft.")]
            continue
        kept[name] = value
    if too_long:
        raise ValidationFailed(details=too_long, code="draft_too_large")
    return kept


def draft_save(*, applicant: User, procedure: Procedure, data: DraftData) -> DossierDraft:
    """Keep what the applicant typed so far (one draft per applicant and procedure)."""
    if applicant.kind not in (AccountKind.CITIZEN, AccountKind.ORGANISATION):
        raise PermissionDenied(_("Only citizens and organisations submit dossiers online."))
    if len(data.return_address) > DRAFT_ADDRESS_MAX_CHARS:
        raise ValidationFailed(
            details={"return_address": [_("This value is too long to be kept in a draft.")]}, code="draft_too_large"
        )
    form_data = _kept_values(procedure, data.form_data)
    agency = procedure.agencies.filter(code=data.agency_code, is_active=True).first() if data.agency_code else None
    draft, _created = DossierDraft.objects.update_or_create(
        applicant=applicant,
        procedure=procedure,
        defaults={
            "agency": agency,
            "form_data": form_data,
            "return_method": data.return_method if data.return_method in ReturnMethod.values else "",
            "return_address": data.return_address.strip(),
        },
    )
    return draft


def draft_discard(*, applicant: User, procedure: Procedure) -> None:
    """Forget the draft, e.g. once the dossier has been submitted."""
    DossierDraft.objects.filter(applicant=applicant, procedure=procedure).delete()
