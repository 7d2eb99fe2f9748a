"""Forms of the report pages: the dashboard's filters, the list behind a number, the targets editor."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from motcua.agencies.constants import AgencyLevel
from motcua.agencies.models import Agency
from motcua.catalog.models import Procedure, Sector
from motcua.reports.constants import Comparator, IndicatorKey
from motcua.reports.services import FIRST_YEAR, LAST_YEAR, SOURCE_MAX_LENGTH

MAX_YEARS = 5
MONTH, QUARTER, YEAR, RANGE = "month", "quarter", "year", "range"
PERIODS = [(MONTH, _("Month")), (QUARTER, _("Quarter")), (YEAR, _("Year")), (RANGE, _("Custom range"))]


def years_later(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def month_end(year: int, month: int) -> date:
    first_of_next = date(year + month // 12, month % 12 + 1, 1)
    return first_of_next - timedelta(days=1)


def agency_choices(agencies: Sequence[Agency]) -> list[tuple[str, str]]:
    """Agencies in tree order, indented by depth (paths are "/1/7/42/")."""
    top = min((a.path.count("/") for a in agencies), default=0)
    return [(a.code, f"{'— ' * (a.path.count('/') - top)}{a.name} ({a.code})") for a in agencies]


@dataclass(frozen=True)
class ReportFilters:
    agency: Agency
    start: date
    end: date
    sector: Sector | None = None
    procedure: Procedure | None = None

    def query(self) -> dict[str, str]:
        """The parameters every link of the dashboard carries (the list behind a number, the exports)."""
        values = {"agency": self.agency.code, "from": self.start.isoformat(), "to": self.end.isoformat()}
        if self.sector is not None:
            values["sector"] = self.sector.code
        if self.procedure is not None:
            values["procedure"] = self.procedure.code
        return values


class _ScopeForm(forms.Form):
    """Agency (among those the viewer may read), sector, procedure code; the period comes from subclasses."""

    agency = forms.ChoiceField(label=_("Unit"), help_text=_("Figures include the unit's sub-agencies."))
    sector = forms.ChoiceField(label=_("Sector"), required=False)
    procedure = forms.CharField(
        label=_("Procedure code"),
        required=False,
        max_length=20,
        help_text=_("Optional, e.g. 1.001193."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "decimal"}),
    )

    def __init__(self, data: Any, *, agencies: Sequence[Agency], sectors: Sequence[Sector], **kwargs: Any) -> None:
        if agencies and "agency" not in data:
            # The viewer's top unit: the shallowest, then the first in tree order.
            data["agency"] = min(agencies, key=lambda a: (a.path.count("/"), a.path)).code
        super().__init__(data, **kwargs)
        self.agencies = {a.code: a for a in agencies}
        self.sectors = {s.code: s for s in sectors}
        cast(forms.ChoiceField, self.fields["agency"]).choices = agency_choices(agencies)
        cast(forms.ChoiceField, self.fields["sector"]).choices = [
            ("", _("All sectors")),
            *((s.code, s.name) for s in sectors),
        ]

    def clean_procedure(self) -> Procedure | None:
        code = self.cleaned_data["procedure"].strip()
        if not code:
            return None
        procedure = Procedure.objects.filter(code=code).first()
        if procedure is None:
            raise forms.ValidationError(_("No procedure has the code “%(code)s”."), params={"code": code})
        return procedure

    def filters(self, start: date, end: date) -> ReportFilters:
        data = self.cleaned_data
        return ReportFilters(
            agency=self.agencies[data["agency"]],
            start=start,
            end=end,
            sector=self.sectors.get(data.get("sector") or ""),
            procedure=data.get("procedure"),
        )


def _check_range(form: forms.Form, start: date | None, end: date | None) -> None:
    if start is None or end is None:
        return
    if end < start:
        form.add_error("to", _("The end of the period must not be before its start."))
    elif end >= years_later(start, MAX_YEARS):
        form.add_error(
            "to", _("A report covers at most %(years)d years; choose a shorter period.") % {"years": MAX_YEARS}
        )


class DashboardForm(_ScopeForm):
    """The dashboard's filters: a preset period (a month, a quarter, a year) or a custom range.

    Links from the dashboard carry the resolved ``from`` and ``to`` dates, which also open the dashboard
    on a custom range."""

    period = forms.ChoiceField(label=_("Period"), choices=PERIODS)
    year = forms.IntegerField(label=_("Year"), min_value=FIRST_YEAR, max_value=LAST_YEAR)
    month = forms.TypedChoiceField(
        label=_("Month"), coerce=int, choices=[(m, str(m)) for m in range(1, 13)], required=False
    )
    quarter = forms.TypedChoiceField(
        label=_("Quarter"), coerce=int, choices=[(q, str(q)) for q in range(1, 5)], required=False
    )

    def __init__(self, data: Any, *, today: date, **kwargs: Any) -> None:
        data = dict(data.items()) if data else {}
        if data.get("from") and data.get("to") and not data.get("period"):
            data["period"] = RANGE  # a link with its own dates
        defaults = {"period": MONTH, "year": today.year, "month": today.month, "quarter": (today.month - 1) // 3 + 1}
        for name, value in defaults.items():
            data.setdefault(name, value)
        super().__init__(data, **kwargs)
        self.fields["from"] = forms.DateField(
            label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
        )
        self.fields["to"] = forms.DateField(
            label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
        )
        self.order_fields(["agency", "sector", "procedure", "period", "year", "quarter", "month", "from", "to"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        period, year = data.get("period"), data.get("year")
        if period == RANGE:
            for name in ("from", "to"):
                if not data.get(name):
                    self.add_error(name, _("Give both dates of a custom range."))
            _check_range(self, data.get("from"), data.get("to"))
        elif year is not None:
            if period == YEAR:
                data["from"], data["to"] = date(year, 1, 1), date(year, 12, 31)
            elif period == QUARTER and data.get("quarter"):
                first = 3 * (data["quarter"] - 1) + 1
                data["from"], data["to"] = date(year, first, 1), month_end(year, first + 2)
            elif period == MONTH and data.get("month"):
                data["from"], data["to"] = date(year, data["month"], 1), month_end(year, data["month"])
            else:
                self.add_error("month" if period == MONTH else "quarter", _("Choose one."))
        return data

    def result(self) -> ReportFilters:
        return self.filters(self.cleaned_data["from"], self.cleaned_data["to"])


class DossierListForm(_ScopeForm):
    """The list behind a number: the dashboard's resolved filters and the number's key."""

    key = forms.ChoiceField(label=_("Figure"))

    def __init__(
        self, data: Any, *, keys: Sequence[tuple[str, str]], default_start: date, default_end: date, **kwargs: Any
    ) -> None:
        data = dict(data.items()) if data else {}
        data.setdefault("from", default_start.isoformat())
        data.setdefault("to", default_end.isoformat())
        data.setdefault("key", IndicatorKey.RECEIVED)
        super().__init__(data, **kwargs)
        cast(forms.ChoiceField, self.fields["key"]).choices = list(keys)
        self.fields["from"] = forms.DateField(label=_("From"))
        self.fields["to"] = forms.DateField(label=_("To"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        _check_range(self, data.get("from"), data.get("to"))
        return data

    def result(self) -> ReportFilters:
        return self.filters(self.cleaned_data["from"], self.cleaned_data["to"])


# --- targets ------------------------------------------------------------------------------------------


class TargetForm(forms.Form):
    """A target: what it measures, for which units, and the figure to reach."""

    indicator = forms.ChoiceField(label=_("Indicator"), choices=IndicatorKey.choices)
    level = forms.ChoiceField(
        label=_("Level"),
        required=False,
        choices=[("", _("Every level")), *AgencyLevel.choices],
        help_text=_("Leave empty for every unit, or give one agency below instead."),
    )
    agency = forms.CharField(
        label=_("Agency code"),
        required=False,
        max_length=60,
        help_text=_("Only for a target of one agency, e.g. H99.101."),
    )
    comparator = forms.ChoiceField(label=_("Comparison"), choices=Comparator.choices)
    value = forms.DecimalField(label=_("Target value"), max_digits=10, decimal_places=2)
    source = forms.CharField(
        label=_("Source"),
        required=False,
        max_length=SOURCE_MAX_LENGTH,
        help_text=_("The plan or decision that sets it."),
    )

    def __init__(self, *args: Any, fixed: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if fixed:  # editing: what the target is about stays; its figure, comparison and source change
            for name in ("indicator", "level", "agency"):
                self.fields[name].disabled = True
                self.fields[name].help_text = ""

    def clean_agency(self) -> Agency | None:
        code = (self.cleaned_data.get("agency") or "").strip().upper()
        if not code:
            return None
        agency = Agency.objects.filter(code=code).first()
        if agency is None:
            raise forms.ValidationError(_("No agency has the code “%(code)s”."), params={"code": code})
        return agency


class TargetYearForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=FIRST_YEAR, max_value=LAST_YEAR)


class TargetCopyForm(forms.Form):
    from_year = forms.IntegerField(label=_("Copy the targets of"), min_value=FIRST_YEAR, max_value=LAST_YEAR)
    to_year = forms.IntegerField(label=_("to the year"), min_value=FIRST_YEAR, max_value=LAST_YEAR)
