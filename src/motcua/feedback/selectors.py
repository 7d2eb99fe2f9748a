"""Reads of feedback: the public's (by code, the published answers) and the staff's (scoped to their units)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Value, When

from motcua.agencies.models import Agency
from motcua.catalog.models import Procedure
from motcua.dossiers.models import Dossier
from motcua.feedback.constants import FeedbackStatus
from motcua.feedback.models import Feedback
from motcua.feedback.services import HANDLING_ROLES
from motcua.identity.selectors import agencies_for


class Urgency:
    """The same badges as the dossiers' inbox (workflow.inbox), for an open feedback's deadline."""

    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OVERDUE = "overdue"
    NONE = "none"  # closed: no running deadline


def feedback_urgency(feedback: Feedback, now: datetime) -> str:
    if feedback.status != FeedbackStatus.OPEN:
        return Urgency.NONE
    if now >= feedback.due_at:
        return Urgency.OVERDUE
    if feedback.warn_at is not None and now >= feedback.warn_at:
        return Urgency.AT_RISK
    return Urgency.ON_TRACK


# --- the public -------------------------------------------------------------------------------------------


def feedback_by_code(code: str) -> Feedback | None:
    """One feedback by the code its sender was given (the code is the sender's receipt)."""
    code = code.strip().upper()
    if not code:
        return None
    return Feedback.objects.select_related("agency").filter(code=code).first()


def feedback_sent_with(form_token: str) -> Feedback | None:
    """The feedback a form page already sent (its idempotency key)."""
    return Feedback.objects.filter(form_token=form_token).first() if form_token else None


def published_feedback(*, search: str = "", agency: Agency | None = None) -> QuerySet[Feedback]:
    """Answers published on the portal, the newest first; ``search`` in the question and the answer,
    ``agency``: that unit and the units under it."""
    rows = Feedback.objects.filter(published_at__isnull=False, status=FeedbackStatus.ANSWERED)
    if agency is not None:
        rows = rows.filter(agency__path__startswith=agency.path)
    for word in search.split()[:8]:
        rows = rows.filter(Q(title__icontains=word) | Q(content__icontains=word) | Q(answer__icontains=word))
    return rows.select_related("agency").order_by("-published_at", "-id")


def receiving_agencies() -> QuerySet[Agency]:
    """Units the public may address feedback to."""
    return Agency.objects.filter(is_active=True).order_by("path")


def feedback_procedures() -> QuerySet[Procedure]:
    """Procedures of the catalog the public may name (those in force)."""
    return Procedure.objects.filter(current_version__isnull=False).order_by("name", "code")


def dossier_by_code(code: str) -> Dossier | None:
    """The dossier a feedback is about; only its competent agency is used (nothing of it is shown)."""
    code = code.strip().upper()
    return Dossier.objects.select_related("competent_agency", "procedure").filter(code=code).first() if code else None


# --- the staff ---------------------------------------------------------------------------------------------


def feedback_units(actor: Any) -> QuerySet[Agency]:
    """The units whose feedback ``actor`` handles."""
    return agencies_for(actor, HANDLING_ROLES).order_by("path")


def feedback_visible_to(actor: Any) -> QuerySet[Feedback]:
    """Feedback of the units the actor handles (their sub-units when granted with them)."""
    return Feedback.objects.filter(agency__in=feedback_units(actor)).select_related("agency")


def feedback_for(actor: Any, code: str) -> Feedback | None:
    return feedback_visible_to(actor).select_related("procedure", "dossier").filter(code=code.strip().upper()).first()


@dataclass(frozen=True)
class FeedbackQuery:
    status: str = ""
    agency: Agency | None = None
    urgency: str = ""  # Urgency.OVERDUE / AT_RISK: open feedback only
    search: str = ""


def feedback_filter(rows: QuerySet[Feedback], query: FeedbackQuery, now: datetime) -> QuerySet[Feedback]:
    """The list's filters; open feedback first, the soonest due first, then the latest received."""
    if query.status:
        rows = rows.filter(status=query.status)
    if query.agency is not None:
        rows = rows.filter(agency__path__startswith=query.agency.path)
    if query.urgency == Urgency.OVERDUE:
        rows = rows.filter(status=FeedbackStatus.OPEN, due_at__lte=now)
    elif query.urgency == Urgency.AT_RISK:
        rows = rows.filter(status=FeedbackStatus.OPEN, warn_at__lte=now, due_at__gt=now)
    search = query.search.strip()
    if search:
        rows = rows.filter(Q(code__iexact=search) | Q(title__icontains=search) | Q(sender_name__icontains=search))
    open_first = Case(When(status=FeedbackStatus.OPEN, then=Value(0)), default=Value(1), output_field=IntegerField())
    return rows.order_by(open_first, "due_at", "-id")


@dataclass(frozen=True)
class FeedbackCounts:
    open: int
    overdue: int
    at_risk: int
    answered: int
    answered_on_time: int
    declined: int


def feedback_counts(rows: QuerySet[Feedback], now: datetime) -> FeedbackCounts:
    """The figures above the list, in one query."""
    is_open = Q(status=FeedbackStatus.OPEN)
    counts = rows.aggregate(
        open=Count("pk", filter=is_open),
        overdue=Count("pk", filter=is_open & Q(due_at__lte=now)),
        at_risk=Count("pk", filter=is_open & Q(warn_at__lte=now, due_at__gt=now)),
        answered=Count("pk", filter=Q(status=FeedbackStatus.ANSWERED)),
        answered_on_time=Count(
            "pk",
            filter=Q(status__in=[FeedbackStatus.ANSWERED, FeedbackStatus.DECLINED], answered_at__lte=F("due_at")),
        ),
        declined=Count("pk", filter=Q(status=FeedbackStatus.DECLINED)),
    )
    return FeedbackCounts(**counts)
