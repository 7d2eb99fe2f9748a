"""Who may look at a dossier in processing, and at its result (ARCHITECTURE.md §4.5, §4.8).

Staff see a dossier by the one rule of ``dossiers.selectors.staff_sees`` (receiving, competent or holding
agency, or an agency whose opinion was asked); the applicant downloads the result once it is issued.
Staff downloads of the result are audited.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch

from motcua.core.audit import audit
from motcua.dossiers.constants import Status
from motcua.dossiers.models import REUSE_SOURCE, Consultation, Dossier, DossierDocument, DossierEvent, DossierResult
from motcua.dossiers.selectors import dossiers_for_staff

# The applicant sees the result from the moment it is issued (Đã xử lý xong) on.
RESULT_VISIBLE = frozenset({Status.RESULT_READY, Status.RETURNED})


def dossier_for_staff(user: Any, code: str) -> Dossier | None:
    """The dossier ``code`` with what its processing page shows, when ``user`` may see it."""
    return (
        dossiers_for_staff(user)
        .filter(code=code)
        .select_related(
            "procedure",
            "procedure_version",
            "receiving_agency",
            "competent_agency",
            "holder_agency",
            "assignee",
            "desk",
        )
        .prefetch_related(
            Prefetch("events", queryset=DossierEvent.objects.select_related("actor", "holder_agency", "assignee")),
            Prefetch("documents", queryset=DossierDocument.objects.select_related(REUSE_SOURCE).order_by("id")),
            Prefetch(
                "consultations",
                queryset=Consultation.objects.select_related("agency", "requested_by", "answered_by"),
            ),
        )
        .first()
    )


def document_for_staff(user: Any, code: str, document_id: int) -> DossierDocument | None:
    """A stored file of a dossier ``user`` may see in processing (consulted agencies included)."""
    visible = dossiers_for_staff(user).filter(code=code).values("pk")
    documents = DossierDocument.objects.select_related("dossier").filter(dossier__in=visible, pk=document_id)
    return documents.exclude(file="").first()


def dossier_result(dossier: Dossier) -> DossierResult | None:
    """The dossier's result document, if one was decided (a reverse one-to-one: None, not an exception)."""
    result = DossierResult.objects.select_related("signed_by", "issued_by").filter(dossier=dossier).first()
    if result is not None:
        result.dossier = dossier  # already loaded: no second query when it is read
    return result


def result_for_staff(user: Any, code: str) -> DossierResult | None:
    visible = dossiers_for_staff(user).filter(code=code).values("pk")
    return DossierResult.objects.select_related("dossier").filter(dossier__in=visible).first()


def result_read_record(*, actor: Any, result: DossierResult) -> None:
    """Every staff download of a result leaves an audit entry (who read which result, when)."""
    audit(
        actor=actor,
        action="dossier_result_read",
        obj=result,
        summary=f"{result.dossier.code} {result.number}".strip(),
        data={"dossier": result.dossier.code, "sha256": result.sha256},
    )


def result_shown_to_applicant(dossier: Dossier) -> DossierResult | None:
    """The result as the applicant sees it: only once issued (result ready or returned)."""
    if dossier.status not in RESULT_VISIBLE:
        return None
    return dossier_result(dossier)


def result_for_applicant(user: Any, code: str) -> DossierResult | None:
    """The issued result of ``user``'s own dossier ``code``; None for anybody else."""
    if not getattr(user, "is_authenticated", False):
        return None
    dossier = Dossier.objects.filter(code=code, applicant=user).first()
    return result_shown_to_applicant(dossier) if dossier is not None else None
