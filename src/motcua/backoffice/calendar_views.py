"""Back-office month view of the working-time calendar, where administrators set days off and make-up days."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.agencies.calendar import calendar_day_remove, calendar_day_set, calendar_horizon, effective_days
from motcua.agencies.calendar_models import CalendarDayKind
from motcua.agencies.models import Agency
from motcua.backoffice.access import staff_required
from motcua.core.exceptions import DomainError
from motcua.core.form_errors import add_domain_errors
from motcua.identity.constants import Role
from motcua.identity.selectors import agencies_for

REMOVE = "remove"
MIN_YEAR, MAX_YEAR = 1900, 2100  # a query string outside these falls back to the current month
WEEKDAYS = [
    gettext_lazy("Monday"),
    gettext_lazy("Tuesday"),
    gettext_lazy("Wednesday"),
    gettext_lazy("Thursday"),
    gettext_lazy("Friday"),
    gettext_lazy("Saturday"),
    gettext_lazy("Sunday"),
]


class CalendarDayForm(forms.Form):
    date = forms.DateField(
        label=gettext_lazy("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    action = forms.ChoiceField(
        label=gettext_lazy("Action"),
        widget=forms.RadioSelect,
        choices=[
            (CalendarDayKind.DAY_OFF, gettext_lazy("Mark as a day off")),
            (CalendarDayKind.EXTRA_WORKING_DAY, gettext_lazy("Mark as an extra working day")),
            (REMOVE, gettext_lazy("Remove the day set at this level")),
        ],
    )
    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("What the day is, e.g. the holiday or the decision that sets it."),
    )


@dataclass(frozen=True)
class DayCell:
    day: date
    in_month: bool
    kind: str  # "working", "weekend", "day_off" or "extra_working_day"
    name: str
    decided_by: str  # agency code, or "" for the deployment calendar
    set_here: bool  # a row at the level being viewed: the form can remove it
    today: bool


def _month_of(request: HttpRequest) -> tuple[int, int]:
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year", today.year))
        month = int(request.GET.get("month", today.month))
    except ValueError:
        return today.year, today.month
    if not (1 <= month <= 12 and MIN_YEAR <= year <= MAX_YEAR):
        return today.year, today.month
    return year, month


def _weeks(year: int, month: int, agency: Agency | None) -> list[list[DayCell]]:
    weeks = calendar.Calendar(firstweekday=calendar.MONDAY).monthdatescalendar(year, month)
    days = effective_days(agency, first=weeks[0][0], last=weeks[-1][-1])
    here = agency.code if agency is not None else None
    today = timezone.localdate()
    rows = []
    for week in weeks:
        cells = []
        for day in week:
            row = days.get(day)
            kind = row.kind if row else ("working" if day.weekday() < 5 else "weekend")
            cells.append(
                DayCell(
                    day=day,
                    in_month=day.month == month,
                    kind=kind,
                    name=row.name if row else "",
                    decided_by=(row.agency_code or "") if row else "",
                    set_here=row is not None and row.agency_code == here,
                    today=day == today,
                )
            )
        rows.append(cells)
    return rows


def _page_url(year: int, month: int, agency: Agency | None) -> str:
    query: dict[str, Any] = {"year": year, "month": month}
    if agency is not None:
        query["agency"] = agency.code
    return f"{reverse('backoffice:calendar')}?{urlencode(query)}"


def _shift(year: int, month: int, months: int) -> tuple[int, int]:
    index = year * 12 + month - 1 + months
    return index // 12, index % 12 + 1


def _success_message(action: str, day: date) -> str:
    if action == CalendarDayKind.DAY_OFF:
        text = _("%(date)s is now a day off.")
    elif action == CalendarDayKind.EXTRA_WORKING_DAY:
        text = _("%(date)s is now an extra working day.")
    else:
        text = _("The day set on %(date)s was removed.")
    return text % {"date": day.strftime("%d/%m/%Y")}


@staff_required(Role.ADMINISTRATOR)
def calendar_month(request: HttpRequest) -> HttpResponse:
    """Month grid of the deployment calendar (or an agency's); POST sets or removes one day."""
    year, month = _month_of(request)
    scope = agencies_for(request.user, [Role.ADMINISTRATOR]).order_by("path")
    agency: Agency | None = None
    if code := request.GET.get("agency", "").strip():
        agency = scope.filter(code=code.upper()).first()
        if agency is None:
            raise PermissionDenied  # not an agency this administrator looks after
    # The deployment calendar binds every agency: only an administrator of a top-level agency edits it.
    can_edit = agency is not None or scope.filter(parent__isnull=True).exists()

    form = CalendarDayForm(request.POST or None, initial={"date": date(year, month, 1)})
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if form.is_valid():
            day, action = form.cleaned_data["date"], form.cleaned_data["action"]
            try:
                if action == REMOVE:
                    calendar_day_remove(actor=request.user, date=day, agency=agency)
                else:
                    calendar_day_set(
                        actor=request.user, date=day, kind=action, name=form.cleaned_data["name"], agency=agency
                    )
            except DomainError as exc:
                add_domain_errors(form, exc)
            else:
                messages.success(request, _success_message(action, day))
                return redirect(_page_url(day.year, day.month, agency))

    first, last = calendar_horizon()
    previous, following = _shift(year, month, -1), _shift(year, month, 1)
    context = {
        "form": form,
        "year": year,
        "month": month,
        "month_start": date(year, month, 1),
        "weekdays": WEEKDAYS,
        "weeks": _weeks(year, month, agency),
        "agency": agency,
        "agencies": scope,
        "can_edit": can_edit,
        "inside_horizon": first <= date(year, month, 1) <= last,
        "horizon": (first, last),
        "action_url": _page_url(year, month, agency),
        "previous_url": _page_url(*previous, agency),
        "next_url": _page_url(*following, agency),
        "today_url": _page_url(timezone.localdate().year, timezone.localdate().month, agency),
    }
    return render(request, "backoffice/calendar_month.html", context, status=400 if form.errors else 200)
