"""The desk queue in the back office: a desk officer picks a counter and calls numbers; a desk officer
turns a device into the desk's kiosk; supervisors and unit leaders read the queue report.

Every call and finish goes through ``queueing.services`` (the one writer of a ticket's status).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from motcua.backoffice.access import staff_required
from motcua.backoffice.report_forms import agency_choices
from motcua.core.exceptions import DomainError
from motcua.identity.constants import Role
from motcua.identity.selectors import has_role
from motcua.queueing.exceptions import QueueEmpty, TicketNotCalled
from motcua.queueing.kiosk import COOKIE_MAX_AGE, COOKIE_NAME, kiosk_enable
from motcua.queueing.models import Counter, Ticket
from motcua.queueing.report import queue_report
from motcua.queueing.selectors import counter_waiting, counters_for, current_ticket, desk_by_code, desks_for
from motcua.queueing.services import call_next, call_number, ticket_no_show, ticket_recall, ticket_served
from motcua.reports.constants import IndicatorKey
from motcua.reports.indicators import targets_for
from motcua.reports.scope_query import REPORT_ROLES, report_agencies

SESSION_COUNTER = "queue_counter"
MAX_REPORT_DAYS = 366


@require_GET
@staff_required(Role.DESK_OFFICER, *REPORT_ROLES)
def queue_home(request: HttpRequest) -> HttpResponse:
    """The officer's counters and desks (choose a counter, enable a kiosk), and the link to the report."""
    chosen = request.session.get(SESSION_COUNTER)
    context = {
        "counters": counters_for(request.user),
        "desks": desks_for(request.user),
        "chosen": chosen,
        "may_report": has_role(request.user, REPORT_ROLES),
    }
    return render(request, "backoffice/queue/home.html", context)


@require_POST
@staff_required(Role.DESK_OFFICER)
def kiosk_enable_view(request: HttpRequest, desk_code: str) -> HttpResponse:
    """Make this browser a kiosk of the desk: a signed cookie for a year, then the kiosk page."""
    desk = desk_by_code(desk_code)
    if desk is None:
        raise Http404
    try:
        value = kiosk_enable(actor=request.user, desk=desk)
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return redirect("backoffice:queue")
    response = redirect("portal:queue-kiosk", desk_code=desk.code)
    response.set_cookie(
        COOKIE_NAME,
        value,
        max_age=COOKIE_MAX_AGE,
        path=reverse("portal:queue-kiosk", kwargs={"desk_code": desk.code}).removesuffix("lay-so/"),
        secure=request.is_secure(),
        httponly=True,
        samesite="Lax",
    )
    messages.success(request, _("This device is now a ticket kiosk of %(desk)s.") % {"desk": desk.name})
    return response


def _counter(request: HttpRequest, counter_id: int) -> Counter:
    """One of the officer's counters (404 otherwise: other desks' counters are not revealed)."""
    for counter in counters_for(request.user):
        if counter.pk == counter_id:
            return counter
    raise Http404


@require_GET
@staff_required(Role.DESK_OFFICER)
def counter_page(request: HttpRequest, counter_id: int) -> HttpResponse:
    counter = _counter(request, counter_id)
    request.session[SESSION_COUNTER] = counter.pk  # the officer's counter until they choose another
    context = {"counter": counter, "current": current_ticket(counter), "lines": counter_waiting(counter)}
    return render(request, "backoffice/queue/counter.html", context)


ACTIONS = {"next", "number", "recall", "served", "no-show"}


@require_POST
@staff_required(Role.DESK_OFFICER)
def counter_action(request: HttpRequest, counter_id: int, action: str) -> HttpResponse:
    if action not in ACTIONS:
        raise Http404
    counter = _counter(request, counter_id)
    back = redirect("backoffice:queue-counter", counter_id=counter.pk)
    try:
        if action == "next":
            ticket = call_next(actor=request.user, counter=counter)
            messages.success(request, _("Calling %(label)s to counter %(counter)s.") % _names(ticket, counter))
        elif action == "number":
            ticket = call_number(actor=request.user, counter=counter, label=request.POST.get("label", ""))
            messages.success(request, _("Calling %(label)s to counter %(counter)s.") % _names(ticket, counter))
        else:
            ticket = _called_ticket(request, counter)
            if action == "recall":
                ticket_recall(actor=request.user, ticket=ticket)
                messages.success(request, _("%(label)s called again.") % _names(ticket, counter))
            elif action == "served":
                ticket_served(actor=request.user, ticket=ticket)
                messages.success(request, _("%(label)s served.") % _names(ticket, counter))
            else:
                ticket_no_show(actor=request.user, ticket=ticket)
                messages.success(request, _("%(label)s marked absent.") % _names(ticket, counter))
    except QueueEmpty:
        messages.info(request, _("No one is waiting for this counter."))
    except DomainError as exc:
        details = exc.details if isinstance(exc.details, dict) else {}
        for message in [m for errors in details.values() for m in errors] or [exc.message]:
            messages.error(request, str(message))
    return back


def _names(ticket: Ticket, counter: Counter) -> dict[str, Any]:
    return {"label": ticket.label, "counter": counter.number}


def _called_ticket(request: HttpRequest, counter: Counter) -> Ticket:
    """The ticket named by the form (the page shows one), or the counter's current one."""
    ticket_id = request.POST.get("ticket", "")
    query = Ticket.objects.select_related("group").filter(counter=counter)
    ticket = query.filter(pk=int(ticket_id)).first() if ticket_id.isdigit() else current_ticket(counter)
    if ticket is None:
        raise TicketNotCalled()
    return ticket


class QueueReportForm(forms.Form):
    agency = forms.ChoiceField(label=gettext_lazy("Unit"))
    start = forms.DateField(label=gettext_lazy("From"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=gettext_lazy("To"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, data: Any, *, agencies: list[Any], today: date) -> None:
        defaults = {"start": today.replace(day=1).isoformat(), "end": today.isoformat()}
        if agencies:
            defaults["agency"] = agencies[0].code
        super().__init__({**defaults, **{k: v for k, v in data.items() if v}})
        cast(forms.ChoiceField, self.fields["agency"]).choices = agency_choices(agencies)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end:
            if end < start:
                self.add_error("end", _("The end of the period must not be before its start."))
            elif (end - start).days >= MAX_REPORT_DAYS:
                self.add_error("end", _("Choose a period of at most a year."))
        return data


@require_GET
@staff_required(*REPORT_ROLES)
def queue_report_page(request: HttpRequest) -> HttpResponse:
    """Tickets and waiting times of the units the reader watches, over a period of local days."""
    agencies = list(report_agencies(request.user))
    today = timezone.localdate()
    form = QueueReportForm(request.GET, agencies=agencies, today=today)
    report = None
    if agencies and form.is_valid():
        agency = next(a for a in agencies if a.code == form.cleaned_data["agency"])
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
        target = targets_for(agency, end.year).get(IndicatorKey.QUEUE_WAIT_AVERAGE)
        target_minutes = None if target is None else Decimal(target.value)
        report = queue_report(agency_paths=[agency.path], first_day=start, last_day=end, target_minutes=target_minutes)
    sections = []
    if report is not None:
        sections = [
            (_("Total"), "queue-total", [report.total]),
            (_("Per desk"), "queue-desks", report.desks),
            (_("Per counter"), "queue-counters", report.counters),
            (_("Per officer"), "queue-officers", report.officers),
            (_("Per hour of the day (issued)"), "queue-hours", report.hours),
        ]
    context = {
        "form": form,
        "report": report,
        "agencies": agencies,
        "sections": sections,
        "target_set": report is not None and report.target_minutes is not None,
    }
    return render(request, "backoffice/queue/report.html", context)
