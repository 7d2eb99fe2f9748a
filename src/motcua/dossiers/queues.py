"""Reads for the desk's intake work: the queue of online submissions, the officer's desks, walk-in applicants."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from motcua.agencies.models import Desk
from motcua.catalog.models import Offering, Procedure
from motcua.catalog.selectors import procedures_search
from motcua.core.identifiers import mask
from motcua.core.schema_forms import ordered_properties
from motcua.core.text import fold_words
from motcua.dossiers.constants import Status
from motcua.dossiers.models import Dossier
from motcua.dossiers.personal_data import handling_agency_ids, personal_data_visible
from motcua.dossiers.selectors import dossiers_visible_to
from motcua.identity.constants import AccountKind, Role
from motcua.identity.models import User
from motcua.identity.selectors import agencies_for, has_role


def intake_queue(user: Any) -> QuerySet[Dossier]:
    """Submissions waiting for reception at the agencies where ``user`` is a desk officer, oldest first."""
    desks = agencies_for(user, [Role.DESK_OFFICER]).values("pk")
    return (
        dossiers_visible_to(user)
        .filter(status=Status.SUBMITTED, receiving_agency__in=desks)
        .order_by("submitted_at", "id")
    )


# E-form titles (folded) that ask for a person's full name, and those that name the requester.
_FULL_NAME = ("ho ten", "ho va ten", "ho chu dem ten", "full name")
_REQUESTER = ("nguoi yeu cau", "nguoi nop", "requester", "applicant")


def subject_name(dossier: Dossier) -> str:
    """Whom the dossier is about, to tell queue rows apart: the first e-form answer whose field asks for
    a full name ("Họ, chữ đệm, tên của trẻ", key ``ho_ten_*``) of someone other than the requester (the
    child in a birth registration, the deceased in a death registration); else the applicant's name."""
    data = dossier.form_data or {}
    for key, spec in ordered_properties(dossier.procedure_version.form_schema or {}):
        title = " ".join(fold_words(str(spec.get("title") or "")))
        words = " ".join(fold_words(key.replace("_", " ")))
        if not (any(m in title for m in _FULL_NAME) or words.startswith("ho ten")):
            continue
        if any(m in title for m in _REQUESTER) or words.endswith("yeu cau"):
            continue
        value = data.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return dossier.applicant_name


@dataclass(frozen=True)
class QueueRow:
    dossier: Dossier
    subject: str  # whom the dossier is about (``subject_name``)
    applicant_id: str  # in full for the desk that handles it, masked otherwise
    applicant_phone: str
    full: bool


def queue_rows(user: Any, dossiers: list[Dossier]) -> list[QueueRow]:
    """Rows of the intake queue: the subject's name and the applicant's numbers (one query for all)."""
    handling = handling_agency_ids(user)
    rows = []
    for dossier in dossiers:
        full = personal_data_visible(user, dossier, handling=handling)
        number, phone = dossier.applicant_id_number, dossier.applicant_phone
        rows.append(
            QueueRow(
                dossier, subject_name(dossier), number if full else mask(number), phone if full else mask(phone), full
            )
        )
    return rows


def desk_procedures(user: Any, *, query: str = "", everywhere: bool = False) -> QuerySet[Procedure]:
    """Published procedures a desk officer receives: those offered by their agencies, found by the
    catalog's search (without regard to diacritics), best match first.

    ``everywhere``: every procedure of the province, for a dossier received across boundaries (phi địa
    giới), which the desk may also receive.
    """
    found = procedures_search(query=query)
    if everywhere:
        return found
    agencies = agencies_for(user, [Role.DESK_OFFICER]).values("pk")
    return found.filter(pk__in=Offering.objects.filter(agency__in=agencies).values("procedure_id"))


def desks_of(user: Any) -> QuerySet[Desk]:
    """Active desks of the agencies where ``user`` is a desk officer (where they may receive dossiers)."""
    return (
        Desk.objects.filter(agency__in=agencies_for(user, [Role.DESK_OFFICER]).values("pk"), is_active=True)
        .select_related("agency")
        .order_by("code")
    )


def walk_in_applicant(user: Any, applicant_id: int) -> User | None:
    """The citizen or organisation account a desk officer enters a dossier for (None if not one)."""
    if not has_role(user, [Role.DESK_OFFICER]):
        return None
    applicants = User.objects.filter(kind__in=[AccountKind.CITIZEN, AccountKind.ORGANISATION], is_active=True)
    return applicants.filter(pk=applicant_id).first()
