"""Report pages: the dashboard of a unit, the dossiers behind each of its numbers, the targets editor.

The dashboard reads the daily counts and the open dossiers only (``reports.indicators``, ``reports.trends``),
so its cost does not grow with the number of dossiers; every number links to the list of the dossiers it
counts (``reports.drilldown``), which has exactly as many rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import floatformat
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from motcua.backoffice.access import staff_required
from motcua.backoffice.report_forms import (
    DashboardForm,
    DossierListForm,
    ReportFilters,
    TargetCopyForm,
    TargetForm,
    TargetYearForm,
    month_end,
)
from motcua.catalog.models import Sector
from motcua.core.charts import Column, Series, bar_chart
from motcua.core.exceptions import DomainError
from motcua.core.form_errors import add_domain_errors, message_domain_error, message_form_errors
from motcua.core.identifiers import mask
from motcua.dossiers.models import Dossier
from motcua.identity.constants import Role
from motcua.identity.selectors import covers
from motcua.reports.constants import Comparator, IndicatorKey, Unit
from motcua.reports.drilldown import (
    DENOMINATORS,
    LISTABLE,
    RECEIVED_AT_DESKS,
    dossiers_behind,
    label_of,
    readable_units,
)
from motcua.reports.indicators import Indicator, IndicatorReport, Scope, indicators_for
from motcua.reports.models import ScoreItem, Target
from motcua.reports.scope_query import REPORT_ROLES
from motcua.reports.scorecard import GroupScore, scorecard_for
from motcua.reports.services import PERCENT_INDICATORS, target_delete, target_set, targets_copy_year
from motcua.reports.trends import RankRow, monthly_trend, unit_ranking

PAGE_SIZE = 25
K = IndicatorKey
HEADLINES = (
    K.RECEIVED,
    K.ONLINE_SHARE,
    K.ON_TIME_SHARE,
    K.OPEN_OVERDUE,
    K.TIMELINESS,
    K.DIGITIZED_SHARE,
    K.E_RESULT_SHARE,
    K.REUSE_SHARE,
)
DOSSIER_LIST = "backoffice:dashboard-dossiers"


def _dossier_page(code: str) -> str:
    """The processing page of a dossier where it exists, else the reception page."""
    try:
        return reverse("backoffice:processing-dossier", kwargs={"code": code})
    except NoReverseMatch:
        return reverse("backoffice:dossier", kwargs={"code": code})


def _export_url(name: str) -> str | None:
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


def list_link(key: str, query: dict[str, str], **changes: str) -> str:
    return f"{reverse(DOSSIER_LIST)}?{urlencode({'key': key, **query, **changes})}"


@dataclass(frozen=True)
class Mark:
    """Met / not met, in words and colour (never colour alone)."""

    css: str
    symbol: str
    text: str


def mark_of(indicator: Indicator) -> Mark:
    if indicator.target is None:
        return Mark("none", "", _("No target"))
    if indicator.met is None:
        return Mark("none", "–", _("Not measurable in this period"))
    if indicator.met:
        return Mark("met", "✓", _("Met"))
    return Mark("not-met", "✗", _("Not met"))


@dataclass(frozen=True)
class IndicatorRow:
    indicator: Indicator
    mark: Mark
    value_link: str  # the list behind the value (counts) or its numerator (shares); "" when none
    numerator_link: str
    denominator_link: str

    @property
    def target_text(self) -> str:
        if self.indicator.target is None:
            return ""
        sign = "≥" if self.indicator.comparator == Comparator.AT_LEAST else "≤"
        unit = " %" if self.indicator.unit == Unit.PERCENT else ""
        return f"{sign} {_number(self.indicator.target)}{unit}"


def _number(value: Any) -> str:
    return str(floatformat(value, "-2g"))


def _indicator_row(indicator: Indicator, query: dict[str, str]) -> IndicatorRow:
    key = indicator.key
    numerator_key = RECEIVED_AT_DESKS if key == K.DESK_PRODUCTIVITY else key
    listable = numerator_key in LISTABLE
    value_link = list_link(numerator_key, query) if listable and key != K.DESK_PRODUCTIVITY else ""
    numerator = list_link(numerator_key, query) if listable and indicator.numerator is not None else ""
    denominator = list_link(DENOMINATORS[key], query) if key in DENOMINATORS else ""
    return IndicatorRow(indicator, mark_of(indicator), value_link, numerator, denominator)


def _filters_text(filters: ReportFilters) -> str:
    parts = [f"{filters.agency.name} ({filters.agency.code})", f"{filters.start:%d/%m/%Y} – {filters.end:%d/%m/%Y}"]
    if filters.sector is not None:
        parts.append(filters.sector.name)
    if filters.procedure is not None:
        parts.append(f"{filters.procedure.code} {filters.procedure.name}")
    return " · ".join(parts)


def _scope(filters: ReportFilters) -> Scope:
    return Scope(
        agency=filters.agency,
        start=filters.start,
        end=filters.end,
        sector_id=filters.sector.pk if filters.sector else None,
        procedure_id=filters.procedure.pk if filters.procedure else None,
    )


def _trend(scope: Scope, query: dict[str, str]) -> dict[str, Any]:
    points = monthly_trend(scope, months=12)
    series = [
        Series(_("Received")),
        Series(_("Received online")),
        Series(_("Finished early or on time")),
        Series(_("Finished late")),
    ]
    keys = (K.RECEIVED, K.RECEIVED_ONLINE, K.ON_TIME_SHARE, K.FINISHED_LATE)
    columns, rows = [], []
    for point in points:
        month = {"from": point.month.isoformat(), "to": month_end(point.month.year, point.month.month).isoformat()}
        links = tuple(list_link(key, query, **month) for key in keys)
        values = (point.received, point.online, point.finished_in_time, point.finished_late)
        columns.append(Column(f"{point.month:%m/%Y}", values, links))
        rows.append({"label": f"{point.month:%m/%Y}", "cells": list(zip(values, links, strict=True))})
    chart = bar_chart(
        columns,
        series,
        title=_("Dossiers by month"),
        description=_("Dossiers received, received online, finished in time and finished late, per month."),
        ident="trend",
    )
    return {"chart": chart, "series": series, "rows": rows}


def _rank_line(row: RankRow, query: dict[str, str]) -> dict[str, Any]:
    """A sub-unit's line: each of its numbers links to the sub-unit's own list."""
    links = {
        name: list_link(key, query, agency=row.agency.code)
        for name, key in (
            ("received", K.RECEIVED),
            ("online", K.ONLINE_SHARE),
            ("on_time", K.ON_TIME_SHARE),
            ("overdue", K.OPEN_OVERDUE),
            ("timely", K.TIMELINESS),
        )
    }
    return {"row": row, **links}


def _scorecard(report: IndicatorReport, rows: dict[str, IndicatorRow]) -> list[tuple[GroupScore, list[Any]]]:
    """The scorecard's groups, each item with the list behind the share that scores it."""
    measured_by = dict(ScoreItem.objects.exclude(indicator="").order_by().values_list("code", "indicator"))
    lines = []
    for group in scorecard_for(report):
        items = []
        for item in group.items:
            row = rows.get(measured_by.get(item.code, ""))
            items.append((item, (row.numerator_link or row.value_link) if row is not None else ""))
        lines.append((group, items))
    return lines


@require_GET
@staff_required()
def dashboard(request: HttpRequest) -> HttpResponse:
    """A unit's indicators over a period against their targets, the national scorecard, the monthly
    trend and the ranking of its sub-units, for the units whose figures the viewer may read."""
    agencies = readable_units(request.user)
    sectors = list(Sector.objects.order_by("name"))
    form = DashboardForm(request.GET, today=timezone.localdate(), agencies=agencies, sectors=sectors)
    context: dict[str, Any] = {"form": form, "agencies": agencies}
    if agencies and form.is_valid():
        filters = form.result()
        scope, query, now = _scope(filters), filters.query(), timezone.now()
        report = indicators_for(scope, now=now)
        rows = {key: _indicator_row(item, query) for key, item in report.indicators.items()}
        context.update(
            filters=filters,
            filters_text=_filters_text(filters),
            report=report,
            headlines=[rows[key] for key in HEADLINES],
            rows=list(rows.values()),
            scorecard=_scorecard(report, rows),
            trend=_trend(scope, query),
            ranking=[_rank_line(row, query) for row in unit_ranking(scope, now=now, report=report)],
            export_url=_export_url("backoffice:report-export")
            if covers(request.user, REPORT_ROLES, filters.agency)
            else None,
            query=urlencode(query),
        )
    return render(request, "backoffice/reports/dashboard.html", context)


@dataclass(frozen=True)
class DossierRow:
    dossier: Dossier
    link: str
    applicant_id: str


@require_GET
@staff_required()
def dashboard_dossiers(request: HttpRequest) -> HttpResponse:
    """The dossiers behind one number of the dashboard, as many as the number, newest first."""
    agencies = readable_units(request.user)
    sectors = list(Sector.objects.order_by("name"))
    today = timezone.localdate()
    keys = [(key, label_of(key)) for key in (*K.values, *sorted(LISTABLE - set(K.values))) if key in LISTABLE]
    form = DossierListForm(
        request.GET,
        keys=keys,
        default_start=today.replace(day=1),
        default_end=month_end(today.year, today.month),
        agencies=agencies,
        sectors=sectors,
    )
    context: dict[str, Any] = {"form": form, "agencies": agencies}
    if agencies and form.is_valid():
        filters = form.result()
        key = form.cleaned_data["key"]
        query = filters.query()
        dossiers = dossiers_behind(request.user, key, _scope(filters)).select_related("procedure")
        page = Paginator(dossiers, PAGE_SIZE).get_page(request.GET.get("page"))
        context.update(
            key=key,
            label=label_of(key),
            filters=filters,
            filters_text=_filters_text(filters),
            page=page,
            rows=[DossierRow(d, _dossier_page(d.code), mask(d.applicant_id_number)) for d in page.object_list],
            query=urlencode({"key": key, **query}),
            dashboard_url=f"{reverse('backoffice:dashboard')}?{urlencode(query)}",
        )
    return render(request, "backoffice/reports/dossiers.html", context)


# --- targets ------------------------------------------------------------------------------------------


def _targets_url(year: int) -> str:
    return f"{reverse('backoffice:targets')}?{urlencode({'year': year})}"


def _target_values(form: TargetForm) -> dict[str, Any]:
    data = form.cleaned_data
    return {
        "indicator": data["indicator"],
        "level": data.get("level") or "",
        "agency": data.get("agency"),
        "comparator": data["comparator"],
        "value": data["value"],
        "source": data.get("source") or "",
    }


@require_http_methods(["GET", "POST"])
@staff_required(Role.ADMINISTRATOR)
def targets(request: HttpRequest) -> HttpResponse:
    """The targets of a year, a form to add one, and a form to copy the year to another."""
    year_form = TargetYearForm(request.GET or {"year": timezone.localdate().year})
    year = year_form.cleaned_data["year"] if year_form.is_valid() else timezone.localdate().year
    form = TargetForm(request.POST if request.method == "POST" else None, initial={"comparator": Comparator.AT_LEAST})
    if request.method == "POST" and form.is_valid():
        try:
            target = target_set(actor=request.user, year=year, **_target_values(form))
        except DomainError as refused:
            add_domain_errors(form, refused)
        else:
            messages.success(request, _("The target was saved: %(target)s.") % {"target": target_label(target)})
            return redirect(_targets_url(year))
    rows = Target.objects.filter(year=year).select_related("agency").order_by("indicator", "level", "agency__code")
    context = {
        "year": year,
        "year_form": year_form,
        "form": form,
        "copy_form": TargetCopyForm(initial={"from_year": year, "to_year": year + 1}),
        "targets": rows,
        "percent_keys": PERCENT_INDICATORS,
        "previous_year": year - 1,
        "next_year": year + 1,
    }
    return render(request, "backoffice/reports/targets.html", context, status=400 if form.errors else 200)


def target_label(target: Target) -> str:
    sign = "≥" if target.comparator == Comparator.AT_LEAST else "≤"
    return f"{IndicatorKey(target.indicator).label} {sign} {_number(target.value)}"


@require_http_methods(["GET", "POST"])
@staff_required(Role.ADMINISTRATOR)
def target_edit(request: HttpRequest, target_id: int) -> HttpResponse:
    """Change a target's figure, comparison and source (what it measures and for whom stay)."""
    target = Target.objects.select_related("agency").filter(pk=target_id).first()
    if target is None:
        raise Http404
    initial = {
        "indicator": target.indicator,
        "level": target.level,
        "agency": target.agency.code if target.agency else "",
        "comparator": target.comparator,
        "value": target.value,
        "source": target.source,
    }
    form = TargetForm(request.POST if request.method == "POST" else None, initial=initial, fixed=True)
    if request.method == "POST" and form.is_valid():
        try:
            target_set(actor=request.user, year=target.year, **_target_values(form))
        except DomainError as refused:
            add_domain_errors(form, refused)
        else:
            messages.success(request, _("The target was saved: %(target)s.") % {"target": target_label(target)})
            return redirect(_targets_url(target.year))
    context = {"target": target, "form": form, "back": _targets_url(target.year)}
    return render(request, "backoffice/reports/target_edit.html", context, status=400 if form.errors else 200)


@staff_required(Role.ADMINISTRATOR)
@require_POST
def target_remove(request: HttpRequest, target_id: int) -> HttpResponse:
    target = Target.objects.filter(pk=target_id).first()
    if target is None:
        raise Http404
    year = target.year
    try:
        target_delete(actor=request.user, target_id=target_id)
    except DomainError as refused:
        messages.error(request, str(refused.message))
    else:
        messages.success(request, _("The target was deleted."))
    return redirect(_targets_url(year))


@staff_required(Role.ADMINISTRATOR)
@require_POST
def targets_copy(request: HttpRequest) -> HttpResponse:
    form = TargetCopyForm(request.POST)
    back = _targets_url(timezone.localdate().year)
    if not form.is_valid():
        message_form_errors(request, form)
        return redirect(back)
    from_year, to_year = form.cleaned_data["from_year"], form.cleaned_data["to_year"]
    try:
        copied = targets_copy_year(actor=request.user, from_year=from_year, to_year=to_year)
    except DomainError as refused:
        message_domain_error(request, refused)
        return redirect(_targets_url(from_year))
    message = ngettext(
        "%(count)d target of %(from)d was copied to %(to)d.",
        "%(count)d targets of %(from)d were copied to %(to)d.",
        copied,
    )
    messages.success(request, message % {"count": copied, "from": from_year, "to": to_year})
    return redirect(_targets_url(to_year))
