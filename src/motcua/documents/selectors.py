"""Reads of the data store. An owner reads their own store; staff read it only through a dossier."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from motcua.agencies.models import Agency
from motcua.documents import codes
from motcua.documents.models import DataStore, DigitizationCharge, DigitizationFee, DigitizedDocument, ShareLink
from motcua.dossiers.models import Dossier
from motcua.dossiers.selectors import dossiers_for_staff, dossiers_visible_to
from motcua.identity.constants import AccountKind, Role
from motcua.identity.selectors import agencies_for


def owner_documents(owner_id_number: str) -> QuerySet[DigitizedDocument]:
    return DigitizedDocument.objects.filter(store__owner_id_number=owner_id_number)


def reuse_proposals(*, owner_id_number: str, type_codes: list[str], on: date) -> dict[str, list[DigitizedDocument]]:
    """For each document type, the owner's documents of that type still valid on ``on``, newest first.

    One query on the (store, type, valid_until) index, whatever the size of the whole store."""
    wanted = sorted({codes.code_part(c) for c in type_codes if c})
    if not wanted or not owner_id_number:
        return {}
    found: dict[str, list[DigitizedDocument]] = defaultdict(list)
    rows = (
        owner_documents(owner_id_number)
        .filter(type_code__in=wanted)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=on))
        .only(
            "id", "store", "code", "type_code", "name", "issuer", "issued_on", "valid_until", "origin", "digitized_at"
        )
        .order_by("type_code", "-digitized_at", "-id")
    )
    for row in rows:
        found[row.type_code].append(row)
    return dict(found)


# --- a dossier's digitized components and charges (the back office dossier page) --------------------


def digitized_of_documents(document_ids: list[int]) -> dict[int, DigitizedDocument]:
    """The store entry of each of these dossier documents that has one (one query), by document id."""
    if not document_ids:
        return {}
    rows = DigitizedDocument.objects.filter(dossier_document_id__in=document_ids).select_related("digitized_by")
    return {row.dossier_document_id: row for row in rows if row.dossier_document_id is not None}


def digitized_for(user: Any, code: str, digitized_id: int) -> DigitizedDocument | None:
    """A store copy of a component of a dossier ``user`` may see (staff: through the dossier only)."""
    visible = dossiers_visible_to(user).filter(code=code).values("pk")
    return (
        DigitizedDocument.objects.select_related("dossier")
        .filter(pk=digitized_id, dossier__in=visible, dossier_document__isnull=False)
        .first()
    )


def digitization_charges(dossier: Dossier) -> list[DigitizationCharge]:
    return list(DigitizationCharge.objects.filter(dossier=dossier).select_related("charged_by"))


def digitization_fee_for(agency: Agency) -> DigitizationFee | None:
    """The fee in force at the agency: its own, else its nearest parent's, else the deployment's."""
    ancestors = agency.lineage
    rows = DigitizationFee.objects.filter(is_active=True).filter(Q(agency_id__in=ancestors) | Q(agency__isnull=True))
    fees = {fee.agency_id: fee for fee in rows}
    for pk in reversed(ancestors):
        if pk in fees:
            return fees[pk]
    return fees.get(None)


def charges_digitization(user: Any, dossier: Dossier) -> bool:
    """Whether ``user`` is a desk officer of the agency that received the dossier (who charges the fee)."""
    return agencies_for(user, [Role.DESK_OFFICER]).filter(pk=dossier.receiving_agency_id).exists()


def owner_id_for(user: Any) -> str:
    """The store a signed-in applicant owns: an organisation's by its enterprise code, a person's by their
    personal ID (as ``workflow.services`` names the applicant of their dossiers); "" when none is known."""
    if not getattr(user, "is_authenticated", False):
        return ""
    if user.kind == AccountKind.ORGANISATION:
        return str(user.tax_code or "")
    if user.kind == AccountKind.CITIZEN:
        return str(user.personal_id or "")
    return ""


def my_documents(user: Any) -> QuerySet[DigitizedDocument]:
    """The signed-in owner's documents, newest first (none for staff or an account without an ID)."""
    owner = owner_id_for(user)
    if not owner:
        return DigitizedDocument.objects.none()
    return owner_documents(owner).order_by("-digitized_at", "-id")


def my_document(user: Any, code: str) -> DigitizedDocument | None:
    return my_documents(user).filter(code=code).first()


def my_share_links(user: Any, *, document_ids: list[int] | None = None) -> QuerySet[ShareLink]:
    """The owner's share links (of ``document_ids`` when given), newest first."""
    owner = owner_id_for(user)
    if not owner:
        return ShareLink.objects.none()
    links = ShareLink.objects.filter(document__store__owner_id_number=owner)
    if document_ids is not None:
        links = links.filter(document_id__in=document_ids)
    return links.select_related("document").order_by("-created_at", "-id")


# --- staff: a store only through a dossier of its owner ---------------------------------------------------


def store_through_dossier(user: Any, dossier_code: str) -> tuple[Dossier, DataStore] | None:
    """The dossier ``dossier_code`` if ``user`` sees it as staff (``dossiers.selectors.staff_sees``), with
    its applicant's store; None otherwise, or when the applicant has no store yet (the caller answers 404,
    never 403: whether a store exists is not revealed)."""
    dossier = dossiers_for_staff(user).filter(code=dossier_code).only("pk", "code", "applicant_id_number").first()
    if dossier is None or not dossier.applicant_id_number:
        return None
    store = DataStore.objects.filter(owner_id_number=dossier.applicant_id_number).first()
    return None if store is None else (dossier, store)


def types_held(*, owner_id_number: str, type_codes: list[str], at: datetime) -> set[str]:
    """Which of ``type_codes`` the owner's store held at ``at``: a document of that type digitized by then
    and still valid on that local day (the "applicants not asked again" indicator: docs/digitization.md).

    One query on the (store, type, valid_until) index."""
    wanted = sorted({codes.code_part(c) for c in type_codes if c})
    if not wanted or not owner_id_number:
        return set()
    on = timezone.localdate(at)
    return set(
        owner_documents(owner_id_number)
        .filter(type_code__in=wanted, digitized_at__lte=at)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=on))
        .order_by()
        .values_list("type_code", flat=True)
        .distinct()
    )
