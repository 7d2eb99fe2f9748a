"""The desk queue's public screens: the kiosk where people take a number, and the TV display of the numbers
called (queueing; docs/citizen-voice/queue.md).

The kiosk issues tickets only on a browser a desk officer enabled as a kiosk of that desk (a signed cookie,
``queueing.kiosk``); the display is open to all and shows numbers and counters only, never a name.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from motcua.agencies.models import Desk
from motcua.core.exceptions import DomainError
from motcua.queueing.kiosk import (
    COOKIE_NAME,
    kiosk_device,
    kiosk_last_ticket,
    kiosk_over_limit,
    kiosk_remember,
    kiosk_tap,
)
from motcua.queueing.models import ServiceGroup, Ticket
from motcua.queueing.selectors import desk_by_code, groups_with_waiting, last_calls, waiting_ahead
from motcua.queueing.services import ticket_issue


def _desk(desk_code: str) -> Desk:
    desk = desk_by_code(desk_code)
    if desk is None:
        raise Http404
    return desk


@never_cache
@require_http_methods(["GET", "POST"])
def kiosk(request: HttpRequest, desk_code: str) -> HttpResponse:
    """Big buttons, one per service group; a tap issues a ticket and shows it, ready to print."""
    desk = _desk(desk_code)
    device = kiosk_device(request.COOKIES.get(COOKIE_NAME), desk)
    if device is None:
        return render(request, "portal/queue/kiosk_disabled.html", {"desk": desk}, status=403 if request.POST else 200)
    if request.method == "POST":
        group = ServiceGroup.objects.filter(desk=desk, pk=_int(request.POST.get("group"))).first()
        if group is None:
            messages.error(request, _("Choose one of the services shown."))
            return redirect("portal:queue-kiosk", desk_code=desk.code)
        if not kiosk_tap(device):
            # A second tap within two seconds: the person gets the ticket the first tap issued.
            last = kiosk_last_ticket(device)
            if last is not None:
                return redirect("portal:queue-ticket", desk_code=desk.code, ticket_id=last)
            messages.info(request, _("Your number is being printed. Please wait a moment."))
            return redirect("portal:queue-kiosk", desk_code=desk.code)
        if kiosk_over_limit(device):
            messages.error(request, _("Too many numbers were taken on this kiosk just now. Please wait a minute."))
            return redirect("portal:queue-kiosk", desk_code=desk.code)
        try:
            ticket = ticket_issue(group=group)
        except DomainError as exc:
            messages.error(request, str(exc.message))
            return redirect("portal:queue-kiosk", desk_code=desk.code)
        kiosk_remember(device, ticket.pk)
        return redirect("portal:queue-ticket", desk_code=desk.code, ticket_id=ticket.pk)
    return render(request, "portal/queue/kiosk.html", {"desk": desk, "lines": groups_with_waiting(desk)})


def _int(value: str | None) -> int:
    try:
        return int(value or "")
    except ValueError:
        return 0


@never_cache
@require_GET
def kiosk_ticket(request: HttpRequest, desk_code: str, ticket_id: int) -> HttpResponse:
    """The printable ticket (80 mm receipt paper), shown on the kiosk that issued today's ticket."""
    desk = _desk(desk_code)
    if kiosk_device(request.COOKIES.get(COOKIE_NAME), desk) is None:
        return redirect("portal:queue-kiosk", desk_code=desk.code)
    ticket = Ticket.objects.select_related("group").filter(pk=ticket_id, desk=desk, day=timezone.localdate()).first()
    if ticket is None:
        raise Http404
    context = {"desk": desk, "ticket": ticket, "ahead": waiting_ahead(ticket)}
    return render(request, "portal/queue/ticket.html", context)


@require_GET
def display(request: HttpRequest, desk_code: str) -> HttpResponse:
    """The TV screen: the last numbers called and their counters; the page polls ``display_feed``."""
    desk = _desk(desk_code)
    waiting = sum(line.waiting for line in groups_with_waiting(desk))
    return render(request, "portal/queue/display.html", {"desk": desk, "calls": last_calls(desk), "waiting": waiting})


@never_cache
@require_GET
def display_feed(request: HttpRequest, desk_code: str) -> JsonResponse:
    """The last calls as JSON (about 1 kB; polled every 2 s by each screen: two small indexed queries)."""
    desk = _desk(desk_code)
    calls = last_calls(desk)
    waiting = sum(line.waiting for line in groups_with_waiting(desk))
    return JsonResponse({"calls": [call.as_json() for call in calls], "waiting": waiting})
