"""The public statistics page (``/thong-ke/``): how the province, or one of its units, handled procedures
over a year or a month. No login; figures only, never a person (``reports.public``)."""

from __future__ import annotations

from calendar import monthrange
from datetime import date
from typing import Any, cast
from urllib.parse import urlencode

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from motcua.agencies.models import Agency
from motcua.core.charts import Column, Series, bar_chart
from motcua.reports.public import PublicStats, public_stats

FIRST_YEAR = 2015  # the one-stop shop's electronic era; earlier years have no counts


def unit_choices(agencies: list[Agency]) -> list[tuple[str, str]]:
    """The agency tree in a plain select (indented by depth): readable on a phone, no script needed."""
    root_depth = min((agency.path.count("/") for agency in agencies), default=0)
    return [(agency.code, "\u00a0\u00a0" * (agency.path.count("/") - root_depth) + agency.name) for agency in agencies]


class StatsForm(forms.Form):
    """A unit (default: the province, the root of the tree), a year (default: this one) and optionally a
    month of it. Periods are whole calendar months or years, as on the dashboard."""

    unit = forms.ChoiceField(label=gettext_lazy("Unit"), required=False)
    year = forms.TypedChoiceField(label=gettext_lazy("Year"), coerce=int, required=False)
    month = forms.TypedChoiceField(
        label=gettext_lazy("Month"),
        coerce=int,
        required=False,
        empty_value=None,
        choices=[("", gettext_lazy("Whole year")), *[(m, str(m)) for m in range(1, 13)]],
    )

    def __init__(self, data: Any, *, agencies: list[Agency], today: date) -> None:
        super().__init__(data)
        self.today = today
        self.agencies = {agency.code: agency for agency in agencies}
        cast(forms.ChoiceField, self.fields["unit"]).choices = unit_choices(agencies)
        cast(forms.ChoiceField, self.fields["year"]).choices = [
            (y, str(y)) for y in range(today.year, FIRST_YEAR - 1, -1)
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        year = data.get("year") or self.today.year
        month = data.get("month")
        if (year, month or 1) > (self.today.year, self.today.month):
            self.add_error("month", _("This month has not begun yet."))
        data["year"] = year
        data["agency"] = self.agencies.get(data.get("unit") or "") or next(iter(self.agencies.values()), None)
        if month:
            data["start"], data["end"] = date(year, month, 1), date(year, month, monthrange(year, month)[1])
        else:
            data["start"], data["end"] = date(year, 1, 1), date(year, 12, 31)
        return data


def _chart(stats: PublicStats) -> Any:
    series = [Series(_("Received")), Series(_("Finished late"), "#b42318")]
    columns = [Column(f"{point.month:%m/%y}", (point.received, point.finished_late)) for point in stats.trend]
    return bar_chart(
        columns,
        series,
        title=_("Dossiers received and finished late, by month"),
        description=_("The twelve months up to the end of the period; the table below gives the same figures."),
        width=720,
        height=240,
        ident="public-trend",
    )


@require_GET
def public_stats_page(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    agencies = list(Agency.objects.filter(is_active=True).order_by("path"))
    form = StatsForm(request.GET, agencies=agencies, today=today)  # bound even when empty: the defaults
    if not form.is_valid():
        return render(request, "portal/stats/page.html", {"form": form}, status=400)
    data = form.cleaned_data
    agency = data["agency"]
    context: dict[str, Any] = {"form": form}
    if agency is not None:
        stats = public_stats(agency, data["start"], data["end"])
        ancestors = [a for a in agencies if agency.path.startswith(a.path) and a.pk != agency.pk]
        context.update(
            agency=agency,
            ancestors=ancestors,
            stats=stats,
            chart=_chart(stats),
            ranked=[row for row in stats.ranking if row.rank is not None],
            unranked=[row for row in stats.ranking if row.rank is None],
            period_query=urlencode({k: v for k, v in (("year", data["year"]), ("month", data.get("month"))) if v}),
        )
    return render(request, "portal/stats/page.html", context)
