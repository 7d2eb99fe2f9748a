"""Satisfaction in the back office (issue 17, item 2): the desk tablet on which the citizen rates the
service when collecting the result, and the ratings report of supervisors and unit leaders.

The tablet pages are full screen, without the back office's menu: the citizen taps one of three big
answers, sees a thank-you screen, which returns by itself to a waiting screen for the next citizen.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from motcua.backoffice.access import staff_required
from motcua.core.exceptions import DomainError
from motcua.dossiers.models import Dossier
from motcua.dossiers.selectors import dossier_for
from motcua.identity.constants import Role
from motcua.identity.selectors import agencies_for
from motcua.satisfaction.choices import LEVEL_CHOICES, CriteriaFields
from motcua.satisfaction.constants import RatingChannel
from motcua.satisfaction.exceptions import AlreadyRated, NotRateable
from motcua.satisfaction.models import Criterion
from motcua.satisfaction.report import rating_report
from motcua.satisfaction.selectors import is_rateable, is_rated, may_open_desk_tablet
from motcua.satisfaction.services import rating_record

REPORT_ROLES = (Role.SUPERVISOR, Role.UNIT_LEADER)
THANKS_SECONDS = 6  # the thank-you screen, then back to the waiting screen
MAX_PERIOD_DAYS = 366


# --- the desk tablet -----------------------------------------------------------------------------------


class TabletForm(CriteriaFields, forms.Form):
    """The overall level comes from the big button tapped; the criteria above it are optional."""

    level = forms.ChoiceField(choices=LEVEL_CHOICES, error_messages={"required": _("Tap one of the three answers.")})


def _tablet(
    request: HttpRequest, state: str, *, dossier: Dossier | None = None, form: Any = None, status: int = 200
) -> HttpResponse:
    context = {
        "state": state,
        "dossier": dossier,
        "form": form,
        "levels": LEVEL_CHOICES,
        "thanks_seconds": THANKS_SECONDS,
    }
    return render(request, "backoffice/rating/tablet.html", context, status=status)


@never_cache
@require_GET
@staff_required(Role.DESK_OFFICER)
def rating_desk_waiting(request: HttpRequest) -> HttpResponse:
    return _tablet(request, "waiting")


@never_cache
@staff_required(Role.DESK_OFFICER)
def rating_desk(request: HttpRequest, code: str) -> HttpResponse:
    dossier = dossier_for(request.user, code)
    if dossier is None:
        raise Http404
    if not may_open_desk_tablet(request.user, dossier):
        raise PermissionDenied
    if is_rated(dossier):
        return _tablet(request, "thanks" if request.GET.get("cam-on") else "rated", dossier=dossier)
    if not is_rateable(dossier):
        return _tablet(request, "not_ready", dossier=dossier)
    form = TabletForm(
        request.POST if request.method == "POST" else None, criteria=list(Criterion.objects.filter(is_active=True))
    )
    if request.method != "POST":
        return _tablet(request, "open", dossier=dossier, form=form)
    if not form.is_valid():
        return _tablet(request, "open", dossier=dossier, form=form, status=400)
    try:
        rating_record(
            dossier=dossier,
            level=form.cleaned_data["level"],
            channel=RatingChannel.DESK,
            actor=request.user,
            scores=form.scores(),
        )
    except AlreadyRated:
        return _tablet(request, "rated", dossier=dossier, status=409)
    except NotRateable:
        return _tablet(request, "not_ready", dossier=dossier, status=409)
    except DomainError as error:
        form.add_error(None, str(error.message))
        return _tablet(request, "open", dossier=dossier, form=form, status=error.status)
    return redirect(f"{reverse('backoffice:rating-desk', kwargs={'code': dossier.code})}?cam-on=1")


# --- the report ----------------------------------------------------------------------------------------


class ReportForm(forms.Form):
    unit = forms.TypedChoiceField(label=_("Unit"), coerce=int, required=False)
    start = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, units: list[Any], today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["unit"].choices = [(unit.pk, unit.name) for unit in units]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start = data.get("start") or self.today.replace(day=1)
        end = data.get("end") or self.today
        if start > end:
            self.add_error("end", _("The end of the period comes before its start."))
        elif (end - start).days >= MAX_PERIOD_DAYS:
            self.add_error("end", _("Choose a period of at most one year."))
        data["start"], data["end"] = start, end
        return data


@require_GET
@staff_required(*REPORT_ROLES)
def rating_report_page(request: HttpRequest) -> HttpResponse:
    """Supervisors and unit leaders: the ratings of a unit they cover and of its sub-agencies they cover."""
    units = list(agencies_for(request.user, REPORT_ROLES).order_by("path"))
    today = timezone.localdate()
    data: dict[str, Any] = {"unit": units[0].pk if units else None, "start": today.replace(day=1), "end": today}
    form = ReportForm(request.GET or None, units=units, today=today, initial=data)
    context: dict[str, Any] = {"form": form, "report": None}
    if not units:
        return render(request, "backoffice/rating/report.html", context)
    if form.is_bound:
        if not form.is_valid():
            return render(request, "backoffice/rating/report.html", context, status=400)
        data = form.cleaned_data
    unit = next((u for u in units if u.pk == data.get("unit")), units[0])
    covered = [u.pk for u in units if u.path.startswith(unit.path)]
    report = rating_report(agency_ids=covered, start=data["start"], end=data["end"])
    context.update(
        unit=unit,
        report=report,
        levels=LEVEL_CHOICES,
        criteria_rows=[(c.name, report.total.criterion_counts(c.code)) for c in report.criteria],
        tables=[
            (_("Per unit"), "rating-units", report.units),
            (_("Per desk"), "rating-desks", report.desks),
            (_("Per desk officer"), "rating-officers", report.officers),
        ],
    )
    return render(request, "backoffice/rating/report.html", context)
