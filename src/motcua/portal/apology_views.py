"""Public apologies for late dossiers (``/xin-loi/``): the apology letters units sent, published without
what would identify the applicant to a stranger (``reports.public``)."""

from __future__ import annotations

from datetime import date
from typing import Any, cast
from urllib.parse import urlencode

from django import forms
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from motcua.agencies.models import Agency
from motcua.portal.stats_views import unit_choices
from motcua.reports.public import apology_events, public_apology

PAGE_SIZE = 20


MONTHS_OFFERED = 36  # older letters are still listed, newest first, without a month chosen


def recent_months(today: date, count: int = MONTHS_OFFERED) -> list[tuple[str, str]]:
    """("YYYY-MM", "MM/YYYY") for this month and the ``count - 1`` before it, newest first."""
    months = []
    year, month = today.year, today.month
    for _step in range(count):
        months.append((f"{year:04d}-{month:02d}", f"{month:02d}/{year:04d}"))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months


class ApologyFilterForm(forms.Form):
    unit = forms.ChoiceField(label=gettext_lazy("Unit"), required=False)
    month = forms.ChoiceField(label=gettext_lazy("Month"), required=False)

    def __init__(self, data: Any, *, agencies: list[Agency], today: date) -> None:
        super().__init__(data)
        self.agencies = {agency.code: agency for agency in agencies}
        cast(forms.ChoiceField, self.fields["unit"]).choices = unit_choices(agencies)
        cast(forms.ChoiceField, self.fields["month"]).choices = [("", _("All months")), *recent_months(today)]

    def clean_month(self) -> date | None:
        value = self.cleaned_data.get("month") or ""
        if not value:
            return None
        year, month = (int(part) for part in value.split("-"))  # one of the choices: already checked
        return date(year, month, 1)

    def agency(self) -> Agency | None:
        return self.agencies.get(self.cleaned_data.get("unit") or "") or next(iter(self.agencies.values()), None)


@require_GET
def apologies_page(request: HttpRequest) -> HttpResponse:
    agencies = list(Agency.objects.filter(is_active=True).order_by("path"))
    form = ApologyFilterForm(request.GET, agencies=agencies, today=timezone.localdate())
    if not form.is_valid():
        return render(request, "portal/apologies/list.html", {"form": form}, status=400)
    agency = form.agency()
    context: dict[str, Any] = {"form": form, "agency": agency}
    if agency is not None:
        month = form.cleaned_data["month"]
        page = Paginator(apology_events(agency, month=month), PAGE_SIZE).get_page(request.GET.get("page"))
        query = {"unit": agency.code, **({"month": f"{month:%Y-%m}"} if month else {})}
        context.update(
            page=page, apologies=[public_apology(event) for event in page.object_list], query=urlencode(query)
        )
    return render(request, "portal/apologies/list.html", context)
