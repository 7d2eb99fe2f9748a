"""Issuing and calling queue tickets (DOMAIN.md §11; the waiting-time target of the plans: ≤ 30 minutes in
2022, ≤ 15 minutes by 2025).

The only writer of ``Ticket.status``. Numbers restart each local day per service group. A counter calls the
oldest waiting ticket of the groups it serves, or one by its number; each call is a conditional UPDATE from
a callable state, so two counters calling at once never get the same ticket (the loser takes the next one).
On PostgreSQL the candidate row is read ``FOR UPDATE SKIP LOCKED`` so that counters do not wait on one
another.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.audit import audit
from motcua.core.exceptions import NotFound, PermissionDenied, ValidationFailed
from motcua.identity.constants import Role
from motcua.identity.selectors import covers
from motcua.queueing.constants import CALLABLE_STATUSES, TicketStatus
from motcua.queueing.exceptions import GroupClosed, QueueEmpty, TicketNotCallable, TicketNotCalled
from motcua.queueing.models import Counter, ServiceGroup, Ticket, TicketSequence

# A call that lost its ticket to another counter tries the next one; more rivals than this at once is
# not a desk.
CALL_ATTEMPTS = 20


def _check_officer(actor: Any, counter: Counter) -> None:
    if not covers(actor, [Role.DESK_OFFICER], counter.desk.agency):
        raise PermissionDenied(_("Only a desk officer of this desk calls its numbers."))


@transaction.atomic
def ticket_issue(*, group: ServiceGroup) -> Ticket:
    """A new ticket of ``group``, numbered after the last one of the day (the sequence row is locked, so
    two kiosks never print the same number)."""
    if not group.is_active:
        raise GroupClosed()
    now = timezone.now()
    day = timezone.localdate(now)
    ticket = Ticket.objects.create(
        desk_id=group.desk_id, group=group, day=day, number=_next_number(group, day), issued_at=now
    )
    ticket.group = group
    return ticket


def _next_number(group: ServiceGroup, day: date) -> int:
    """The group's next number of ``day``, inside the caller's transaction: the sequence row stays locked
    until it commits, so two kiosks (or an import beside a kiosk) never get the same number."""
    TicketSequence.objects.get_or_create(group=group, day=day)
    sequence = TicketSequence.objects.select_for_update().get(group=group, day=day)
    sequence.last = F("last") + 1
    sequence.save(update_fields=["last"])
    sequence.refresh_from_db(fields=["last"])
    return sequence.last


def _seconds(start: datetime, end: datetime) -> int:
    return max(0, int((end - start).total_seconds()))


def _take(
    ticket_id: int, issued_at: datetime, counter: Counter, actor: Any, now: datetime, from_statuses: tuple[str, ...]
) -> bool:
    """Make the ticket called at ``counter`` if it is still in ``from_statuses``; False when another counter
    was quicker. The first call fixes the waiting time."""
    taken = Ticket.objects.filter(pk=ticket_id, status__in=from_statuses).update(
        status=TicketStatus.CALLED, counter=counter, officer=actor, announced_at=now
    )
    if taken:
        Ticket.objects.filter(pk=ticket_id, called_at__isnull=True).update(
            called_at=now, wait_seconds=_seconds(issued_at, now)
        )
    return bool(taken)


def call_next(*, actor: Any, counter: Counter) -> Ticket:
    """Call the oldest ticket of today waiting for one of the counter's groups."""
    _check_officer(actor, counter)
    today = timezone.localdate()
    groups = list(counter.groups.filter(is_active=True).values_list("pk", flat=True))
    for _attempt in range(CALL_ATTEMPTS):
        with transaction.atomic():
            waiting = Ticket.objects.filter(
                desk_id=counter.desk_id, day=today, status=TicketStatus.WAITING, group_id__in=groups
            ).order_by("issued_at", "id")
            if connection.features.has_select_for_update_skip_locked:
                waiting = waiting.select_for_update(skip_locked=True)
            row = waiting.values_list("pk", "issued_at").first()
            if row is None:
                raise QueueEmpty()
            candidate, issued_at = row
            now = timezone.now()
            if _take(candidate, issued_at, counter, actor, now, (TicketStatus.WAITING,)):
                ticket = Ticket.objects.select_related("group").get(pk=candidate)
                audit(actor=actor, action="queue.call", obj=ticket, summary=f"{ticket.label} → {counter.number}")
                return ticket
    raise QueueEmpty()


@transaction.atomic
def call_number(*, actor: Any, counter: Counter, label: str) -> Ticket:
    """Call today's ticket ``label`` ("A007") of this desk: a waiting one, or a no-show who came back."""
    _check_officer(actor, counter)
    text = label.strip().upper()
    letters = text.rstrip("0123456789")
    digits = text[len(letters) :]
    if not letters or not digits:
        raise ValidationFailed(details={"label": [_("Enter a number like A007.")]})
    ticket = (
        Ticket.objects.select_related("group")
        .filter(desk_id=counter.desk_id, day=timezone.localdate(), group__code=letters, number=int(digits))
        .first()
    )
    if ticket is None:
        raise NotFound(_("No ticket %(label)s was issued today.") % {"label": text}, code="ticket_not_found")
    if not _take(ticket.pk, ticket.issued_at, counter, actor, timezone.now(), CALLABLE_STATUSES):
        raise TicketNotCallable()
    ticket.refresh_from_db()
    audit(actor=actor, action="queue.call", obj=ticket, summary=f"{ticket.label} → {counter.number}")
    return ticket


@transaction.atomic
def ticket_recall(*, actor: Any, ticket: Ticket) -> Ticket:
    """Announce a ticket called at the actor's counter once more (the display shows it again on top)."""
    return _finish(actor, ticket, TicketStatus.CALLED, recall=True)


@transaction.atomic
def ticket_served(*, actor: Any, ticket: Ticket) -> Ticket:
    return _finish(actor, ticket, TicketStatus.SERVED)


@transaction.atomic
def ticket_no_show(*, actor: Any, ticket: Ticket) -> Ticket:
    return _finish(actor, ticket, TicketStatus.NO_SHOW)


def _finish(actor: Any, ticket: Ticket, status: str, *, recall: bool = False) -> Ticket:
    counter = ticket.counter
    if counter is None:
        raise TicketNotCalled()
    _check_officer(actor, counter)
    now = timezone.now()
    changes: dict[str, Any] = {"announced_at": now} if recall else {"status": status, "finished_at": now}
    if status == TicketStatus.SERVED:
        # Service runs from the last announcement: a number called again (recalled, or a no-show back and
        # called by number) was not being served while nobody came to the counter.
        announced_at = Ticket.objects.filter(pk=ticket.pk).values_list("announced_at", flat=True).first() or now
        changes["service_seconds"] = _seconds(announced_at, now)
    if not Ticket.objects.filter(pk=ticket.pk, status=TicketStatus.CALLED, counter=counter).update(**changes):
        raise TicketNotCalled()
    ticket.refresh_from_db()
    audit(actor=actor, action=f"queue.{'recall' if recall else status}", obj=ticket, summary=ticket.label)
    return ticket


@transaction.atomic
def queue_setup_ensure(
    *, desks: list[Any], groups: list[tuple[str, str]], counters: list[tuple[int, list[str]]]
) -> tuple[int, int]:
    """Give each of ``desks`` these service groups (letter, name) and counters (number, letters served),
    leaving existing ones as they are (administrators may have changed them). Returns (groups, counters)
    created. A constant number of queries for any number of desks (the demo sets up a whole province)."""
    desk_ids = [desk.pk for desk in desks]
    have_groups = set(ServiceGroup.objects.filter(desk_id__in=desk_ids).values_list("desk_id", "code"))
    ServiceGroup.objects.bulk_create(
        ServiceGroup(desk_id=desk_id, code=code, name=name, position=position)
        for desk_id in desk_ids
        for position, (code, name) in enumerate(groups, start=1)
        if (desk_id, code) not in have_groups
    )
    have_counters = set(Counter.objects.filter(desk_id__in=desk_ids).values_list("desk_id", "number"))
    new_counters = [
        Counter(desk_id=desk_id, number=number)
        for desk_id in desk_ids
        for number, _codes in counters
        if (desk_id, number) not in have_counters
    ]
    Counter.objects.bulk_create(new_counters)
    if new_counters:
        group_ids = {
            (desk_id, code): pk
            for pk, desk_id, code in ServiceGroup.objects.filter(desk_id__in=desk_ids).values_list(
                "pk", "desk_id", "code"
            )
        }
        made = Counter.objects.filter(desk_id__in=desk_ids, number__in=[number for number, _codes in counters])
        served = dict(counters)
        links = [
            Counter.groups.through(counter_id=counter.pk, servicegroup_id=group_ids[(counter.desk_id, code)])
            for counter in made
            if (counter.desk_id, counter.number) not in have_counters
            for code in served[counter.number]
            if (counter.desk_id, code) in group_ids
        ]
        Counter.groups.through.objects.bulk_create(links)
    return len({(d, c) for d in desk_ids for c, _n in groups} - have_groups), len(new_counters)


@transaction.atomic
def ticket_record_past(
    *,
    group: ServiceGroup,
    issued_at: datetime,
    called_at: datetime | None = None,
    counter: Counter | None = None,
    officer: Any = None,
    finished_at: datetime | None = None,
    served: bool = True,
) -> Ticket:
    """A ticket of a past day, with its times, as an older queue system recorded it (history imports, the
    demo). Numbered after that day's last ticket; waits and service times derived as the live services do.
    Refused when the times are out of order or in the future."""
    now = timezone.now()
    times = [t for t in (issued_at, called_at, finished_at) if t is not None]
    if times != sorted(times) or times[-1] > now or (finished_at is not None and called_at is None):
        raise ValidationFailed(details={"times": [_("The times of a ticket must follow one another, in the past.")]})
    if (called_at is None) != (counter is None):
        raise ValidationFailed(details={"counter": [_("A called ticket names its counter, and only it.")]})
    day = timezone.localdate(issued_at)
    number = _next_number(group, day)
    fields: dict[str, Any] = {"issued_at": issued_at}
    if called_at is not None:
        fields.update(
            status=TicketStatus.CALLED,
            called_at=called_at,
            announced_at=called_at,
            wait_seconds=_seconds(issued_at, called_at),
            counter=counter,
            officer=officer,
        )
    if finished_at is not None and called_at is not None:
        fields.update(status=TicketStatus.SERVED if served else TicketStatus.NO_SHOW, finished_at=finished_at)
        if served:
            fields["service_seconds"] = _seconds(called_at, finished_at)
    ticket = Ticket.objects.create(desk_id=group.desk_id, group=group, day=day, number=number, **fields)
    ticket.group = group
    return ticket
