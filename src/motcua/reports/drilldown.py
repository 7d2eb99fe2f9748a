"""The dossiers behind a number of the dashboard, and which units' figures a staff member may read.

Each figure of ``reports.indicators`` counts events of the workflow writer (a reception, a result
issued, a refusal...) by the local day they happened, attributed to the dossier's competent agency,
procedure and channel, or counts the open dossiers now. The selectors here apply the same rules to the
events and dossiers themselves, so the length of a list equals the number it was opened from.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from django.db.models import F, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.agencies.models import Agency
from motcua.dossiers.constants import OPEN_STATUSES, Channel
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.identity.selectors import agencies_for
from motcua.reports.constants import IndicatorKey
from motcua.reports.indicators import Scope, overdue
from motcua.workflow.constants import Action, ReturnVia
from motcua.workflow.stats import LOCAL, PAYLOAD_CONDITIONS, compare_by

# Lists that are not the numerator of an indicator: the denominators of the shares, and the dossiers
# received at the scope's own desks (the numerator of desk productivity).
FINISHED = "finished"
RETURNED = "returned"
RECEIVED_AT_DESKS = "received_at_desks"
STORE_HELD = "store_held"
CERTIFICATION_FINISHED = "certification_finished"
CROSSED = "crossed"
EXTRA_LABELS: dict[str, Any] = {
    FINISHED: _("Results issued"),
    RETURNED: _("Results returned"),
    RECEIVED_AT_DESKS: _("Received at the unit's desks"),
    STORE_HELD: _("Received while the data store held a required document"),
    CERTIFICATION_FINISHED: _("Certification results issued"),
    CROSSED: _("Results issued of dossiers that crossed agencies"),
}

# For a share, the list behind its denominator (its numerator is the list of the share's own key).
DENOMINATORS: dict[str, str] = {
    IndicatorKey.ONLINE_SHARE: IndicatorKey.RECEIVED,
    IndicatorKey.ON_TIME_SHARE: FINISHED,
    IndicatorKey.TIMELINESS: IndicatorKey.RECEIVED,
    IndicatorKey.E_RESULT_SHARE: FINISHED,
    IndicatorKey.RETURNED_ELECTRONIC_SHARE: RETURNED,
    IndicatorKey.DIGITIZED_SHARE: IndicatorKey.RECEIVED,
    IndicatorKey.REUSE_SHARE: IndicatorKey.RECEIVED,
    IndicatorKey.NOT_ASKED_AGAIN: STORE_HELD,
    IndicatorKey.ECOPY_USED: CERTIFICATION_FINISHED,
    IndicatorKey.MOVED_ELECTRONIC: CROSSED,
}
# Indicators whose numbers are procedures, agencies, people or documents, not dossiers: nothing to list.
NOT_DOSSIERS = frozenset(
    {
        IndicatorKey.ONLINE_PROCEDURES_OFFERED,
        IndicatorKey.ONLINE_PROCEDURES_USED,
        IndicatorKey.ECOPY_OFFERED,
        IndicatorKey.BACKFILE,
        # The national sync's figures are read from its outbox (messages), not listed as dossiers.
        IndicatorKey.SYNC_SHARE,
        IndicatorKey.SYNC_LAG_P95,
        IndicatorKey.SYNC_DEAD_LETTERS,
        # Payments (issue 16): procedures and amounts of money, read from the payment requests.
        IndicatorKey.ONLINE_PAID_SHARE,
        IndicatorKey.ONLINE_PAYMENT_PROCEDURES_SHARE,
        IndicatorKey.COLLECTED_ONLINE,
        IndicatorKey.COLLECTED_CASH,
        IndicatorKey.COLLECTED_TRANSFER,
        # The citizen's voice (issue 17): feedback, ratings and queue tickets have their own lists.
        IndicatorKey.FEEDBACK_RECEIVED,
        IndicatorKey.FEEDBACK_ON_TIME_SHARE,
        IndicatorKey.FEEDBACK_OPEN_OVERDUE,
        IndicatorKey.RATINGS,
        IndicatorKey.SATISFACTION_SHARE,
        IndicatorKey.TICKETS_CALLED,
        IndicatorKey.QUEUE_WAIT_AVERAGE,
        IndicatorKey.QUEUE_SERVICE_AVERAGE,
    }
)

_EVENTS: dict[str, Q] = {
    IndicatorKey.RECEIVED: Q(action=Action.RECEIVE),
    IndicatorKey.RECEIVED_DESK: Q(action=Action.RECEIVE),
    IndicatorKey.RECEIVED_ONLINE: Q(action=Action.RECEIVE),
    IndicatorKey.RECEIVED_POSTAL: Q(action=Action.RECEIVE),
    IndicatorKey.ONLINE_SHARE: Q(action=Action.RECEIVE),
    IndicatorKey.DIGITIZED_SHARE: PAYLOAD_CONDITIONS["digitized"],
    IndicatorKey.REUSE_SHARE: PAYLOAD_CONDITIONS["reused"],
    IndicatorKey.NOT_ASKED_AGAIN: PAYLOAD_CONDITIONS["not_asked_again"],
    STORE_HELD: PAYLOAD_CONDITIONS["store_held"],
    IndicatorKey.ECOPY_USED: PAYLOAD_CONDITIONS["certified_ecopies"],
    CERTIFICATION_FINISHED: PAYLOAD_CONDITIONS["certification_finished"],
    IndicatorKey.MOVED_ELECTRONIC: PAYLOAD_CONDITIONS["crossed_electronic"],
    CROSSED: PAYLOAD_CONDITIONS["crossed"],
    IndicatorKey.SUPPLEMENTS: Q(action=Action.REQUEST_SUPPLEMENT),
    IndicatorKey.REFUSED: Q(action=Action.REFUSE),
    IndicatorKey.WITHDRAWN: Q(action=Action.WITHDRAW),
    IndicatorKey.STOPPED: Q(action=Action.STOP),
    IndicatorKey.APOLOGIES: Q(action=Action.APOLOGIZE),
    IndicatorKey.E_RESULT_SHARE: PAYLOAD_CONDITIONS["issued_electronic"],
    IndicatorKey.RETURNED_ELECTRONIC_SHARE: Q(action=Action.RETURN_RESULT, payload__via=ReturnVia.ELECTRONIC),
    RETURNED: Q(action=Action.RETURN_RESULT),
    FINISHED: Q(action=Action.ISSUE_RESULT),
    RECEIVED_AT_DESKS: Q(action=Action.RECEIVE),
}
_CHANNELS: dict[str, str] = {
    IndicatorKey.RECEIVED_DESK: Channel.DESK,
    IndicatorKey.RECEIVED_ONLINE: Channel.ONLINE,
    IndicatorKey.ONLINE_SHARE: Channel.ONLINE,
    IndicatorKey.RECEIVED_POSTAL: Channel.POSTAL,
}
_TIMELINESS_KEYS = frozenset(
    {IndicatorKey.FINISHED_EARLY, IndicatorKey.FINISHED_ON_TIME, IndicatorKey.FINISHED_LATE, IndicatorKey.ON_TIME_SHARE}
)
_OPEN_KEYS = frozenset({IndicatorKey.OPEN_NOT_DUE, IndicatorKey.OPEN_OVERDUE})
LISTABLE = frozenset({*_EVENTS, *_TIMELINESS_KEYS, *_OPEN_KEYS, IndicatorKey.TIMELINESS})


def label_of(key: str) -> str:
    if key in EXTRA_LABELS:
        return str(EXTRA_LABELS[key])
    return str(IndicatorKey(key).label)


def readable_units(user: Any) -> list[Agency]:
    """The units whose figures ``user`` may read, in tree order.

    A unit's figures include its sub-agencies, so a unit is offered when the user may see it and every
    agency below it (``identity.selectors.agencies_for``: any role on the agency, or a grant with
    sub-agencies on an ancestor). Two queries.
    """
    visible = agencies_for(user)
    agencies = list(visible.order_by("path"))
    if not agencies:
        return []
    hidden_children = Agency.objects.filter(parent__in=visible.values("pk")).exclude(pk__in=visible.values("pk"))
    blocked = {
        int(part) for path in hidden_children.values_list("path", flat=True) for part in path.strip("/").split("/")
    }
    return [agency for agency in agencies if agency.pk not in blocked]


def _local_bounds(scope: Scope) -> tuple[datetime, datetime]:
    """The period's first instant and the first instant after it, in local time (as the daily counts)."""
    start = datetime.combine(scope.start, time.min, tzinfo=LOCAL)
    end = datetime.combine(scope.end + timedelta(days=1), time.min, tzinfo=LOCAL)
    return start, end


def _timeliness_condition(key: str) -> tuple[dict[str, Any], Q]:
    """Annotations and condition on ISSUE_RESULT events, as ``workflow.stats`` buckets them."""
    if compare_by() == "date":
        extra = {"at_day": TruncDate("at", tzinfo=LOCAL), "due_day": TruncDate("due_at", tzinfo=LOCAL)}
        early = Q(due_at__isnull=False, at_day__lt=F("due_day"))
        late = Q(due_at__isnull=False, at_day__gt=F("due_day"))
    else:
        extra = {}
        early = Q(due_at__isnull=False, at__lt=F("due_at"))
        late = Q(due_at__isnull=False, at__gt=F("due_at"))
    conditions: dict[str, Q] = {
        IndicatorKey.FINISHED_EARLY: early,
        IndicatorKey.FINISHED_LATE: late,
        IndicatorKey.FINISHED_ON_TIME: ~(early | late),
        IndicatorKey.ON_TIME_SHARE: ~late,
        IndicatorKey.TIMELINESS: ~late,
    }
    return extra, Q(action=Action.ISSUE_RESULT) & conditions[key]


def _with_event(scope: Scope, condition: Q, extra: dict[str, Any] | None = None) -> Q:
    """Dossiers with an event matching ``condition`` in the period (an uncorrelated subquery, which the
    database hashes once, also when combined with OR)."""
    start, end = _local_bounds(scope)
    events = DossierEvent.objects.filter(at__gte=start, at__lt=end)
    if extra:
        events = events.annotate(**extra)
    return Q(pk__in=events.filter(condition).values("dossier_id"))


def dossiers_behind(actor: Any, key: str, scope: Scope, now: datetime | None = None) -> QuerySet[Dossier]:
    """The dossiers counted by ``key`` (an ``IndicatorKey``: for a share, its numerator; or one of the
    denominators ``FINISHED``, ``RETURNED``, ``RECEIVED_AT_DESKS``) over ``scope``, newest first.

    Empty when ``actor`` may not read the unit's figures (``readable_units``) or the key lists no
    dossiers (procedure shares). Counts equal the indicators' numbers: each dossier is counted once,
    because each counted action happens at most once in a dossier's life.
    """
    if key not in LISTABLE or scope.agency.pk not in {agency.pk for agency in readable_units(actor)}:
        return Dossier.objects.none()
    field = "receiving_agency" if key == RECEIVED_AT_DESKS else "competent_agency"
    rows = Dossier.objects.filter(**{f"{field}__path__startswith": scope.agency.path})
    if scope.sector_id is not None:
        rows = rows.filter(procedure__sector_id=scope.sector_id)
    if scope.procedure_id is not None:
        rows = rows.filter(procedure_id=scope.procedure_id)
    now = now or timezone.now()
    if key in _OPEN_KEYS:
        rows = rows.filter(status__in=OPEN_STATUSES)
        rows = rows.filter(overdue(now)) if key == IndicatorKey.OPEN_OVERDUE else rows.exclude(overdue(now))
    elif key == IndicatorKey.TIMELINESS:
        # Open and not yet due among those received in the period, or finished in time in the period.
        start, end = _local_bounds(scope)
        timely_open = Q(status__in=OPEN_STATUSES, received_at__gte=start, received_at__lt=end) & ~overdue(now)
        extra, finished = _timeliness_condition(key)
        rows = rows.filter(timely_open | _with_event(scope, finished, extra))
    elif key in _TIMELINESS_KEYS:
        extra, finished = _timeliness_condition(key)
        rows = rows.filter(_with_event(scope, finished, extra))
    else:
        if key in _CHANNELS:
            rows = rows.filter(channel=_CHANNELS[key])
        rows = rows.filter(_with_event(scope, _EVENTS[key]))
    return rows.select_related("procedure", "competent_agency").order_by("-submitted_at", "-pk")
