"""Reads of the data store. An owner reads their own store; staff read it only through a dossier."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from django.db.models import Q, QuerySet

from motcua.documents import codes
from motcua.documents.models import DataStore, DigitizedDocument, ShareLink
from motcua.dossiers.models import Dossier
from motcua.dossiers.selectors import dossiers_for_staff
from motcua.identity.constants import AccountKind


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
        .only("id", "code", "type_code", "name", "issuer", "issued_on", "valid_until", "origin", "digitized_at")
        .order_by("type_code", "-digitized_at", "-id")
    )
    for row in rows:
        found[row.type_code].append(row)
    return dict(found)


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
