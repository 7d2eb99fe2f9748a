"""Writes to the procedure catalog: imports, drafts and publication of versions."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.agencies.models import Agency
from motcua.catalog.constants import VersionStatus
from motcua.catalog.content import ProcedureContent, parse_catalog, parse_procedure, parse_time
from motcua.catalog.exceptions import CatalogImportRejected, DraftInvalid, GuideTextInvalid, VersionImmutable
from motcua.catalog.guide_models import GUIDE_TEXT_MAX_LENGTH, OnlineGuide
from motcua.catalog.models import (
    Fee,
    Offering,
    Procedure,
    ProcedureCase,
    ProcedureVersion,
    RequiredDocument,
    ResultType,
    Sector,
)
from motcua.catalog.selectors import exchange_item, version_content
from motcua.core.audit import audit
from motcua.core.text import fold

_LEADING_WORDS = ("thu tuc ",)


def name_key(name: str) -> str:
    """Folded name without the leading “Thủ tục”, so that ranking compares what people type."""
    key = fold(name)
    for word in _LEADING_WORDS:
        if key.startswith(word):
            key = key[len(word) :]
    return key


@dataclass
class CatalogImportReport:
    sectors_created: int = 0
    created: int = 0
    new_versions: int = 0
    unchanged: int = 0
    codes: list[str] = field(default_factory=list)


def _create_with_cases(
    model: type[RequiredDocument] | type[Fee],
    version: ProcedureVersion,
    items: list[dict[str, Any]],
    cases: dict[str, ProcedureCase],
) -> None:
    """Documents or fees of a new draft, with the cases they are limited to."""
    rows = [
        model(version=version, position=i, **{k: v for k, v in item.items() if k != "cases"})
        for i, item in enumerate(items)
    ]
    model.objects.bulk_create(rows)  # type: ignore[arg-type]
    through = model.cases.through
    links = [
        through(**{f"{model._meta.model_name}_id": row.pk, "procedurecase_id": cases[code].pk})
        for row, item in zip(rows, items, strict=True)
        for code in item["cases"]
    ]
    through.objects.bulk_create(links)  # type: ignore[arg-type]


def _create_version(procedure: Procedure, content: ProcedureContent, sectors: dict[str, Sector]) -> ProcedureVersion:
    number = (procedure.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    data = dict(content.version)
    data["sector"] = sectors[data["sector"]]
    data["time_amount"] = Decimal(data["time_amount"]) if data["time_amount"] is not None else None
    data["cutoff"] = parse_time(data["cutoff"])
    version = ProcedureVersion.objects.create(procedure=procedure, number=number, status=VersionStatus.DRAFT, **data)
    cases = {}
    for i, raw in enumerate(content.cases):
        case = dict(raw)
        timing = case.pop("processing_time")
        case["time_amount"] = Decimal(timing["amount"]) if timing["amount"] is not None else None
        case["time_unit"] = timing["unit"]
        cases[case["code"]] = ProcedureCase(version=version, position=i, **case)
    ProcedureCase.objects.bulk_create(cases.values())
    _create_with_cases(RequiredDocument, version, content.documents, cases)
    _create_with_cases(Fee, version, content.fees, cases)
    ResultType.objects.bulk_create(
        ResultType(version=version, position=i, **result) for i, result in enumerate(content.result_types)
    )
    return version


def _publish(version: ProcedureVersion) -> None:
    procedure = version.procedure
    ProcedureVersion.objects.filter(procedure=procedure, status=VersionStatus.PUBLISHED).exclude(pk=version.pk).update(
        status=VersionStatus.RETIRED
    )
    ProcedureVersion.objects.filter(pk=version.pk).update(status=VersionStatus.PUBLISHED, published_at=timezone.now())
    version.status = VersionStatus.PUBLISHED
    procedure.current_version = version
    procedure.name = version.name
    procedure.sector_id = version.sector_id
    procedure.online_mode = version.online_mode
    procedure.levels = version.levels
    procedure.name_key = name_key(version.name)
    procedure.search_text = " ".join([procedure.code, fold(version.name), fold(version.sector.name)])
    procedure.save()


def _set_offerings(procedure: Procedure, agency_codes: list[str]) -> None:
    wanted = set(Agency.objects.filter(code__in=agency_codes).values_list("pk", flat=True))
    current = set(Offering.objects.filter(procedure=procedure).values_list("agency_id", flat=True))
    Offering.objects.filter(procedure=procedure, agency_id__in=current - wanted).delete()
    Offering.objects.bulk_create(Offering(procedure=procedure, agency_id=pk) for pk in wanted - current)


@transaction.atomic
def catalog_import(*, actor: Any, document: Any) -> CatalogImportReport:
    """Import a catalog document (JSON, or XLSX converted by ``catalog.xlsx``); all or nothing.

    A procedure whose content differs from its published version gets a new published version; the
    old one is retired but kept, because dossiers point at it. Identical content changes nothing.
    """
    parsed, errors = parse_catalog(
        document,
        known_sectors=set(Sector.objects.values_list("code", flat=True)),
        known_agencies=set(Agency.objects.values_list("code", flat=True)),
    )
    if errors:
        raise CatalogImportRejected(details=errors)
    report = CatalogImportReport()
    for code, sector_name in parsed.sectors.items():
        _sector, created = Sector.objects.update_or_create(code=code, defaults={"name": sector_name})
        report.sectors_created += int(created)
    sectors = {s.code: s for s in Sector.objects.all()}
    for content in parsed.procedures:
        procedure, created = Procedure.objects.get_or_create(code=content.code)
        current = procedure.current_version
        if current is not None and version_content(current) == content.fingerprint():
            report.unchanged += 1
        else:
            _publish(_create_version(procedure, content, sectors))
            report.created += int(created)
            report.new_versions += int(not created)
            report.codes.append(content.code)
        _set_offerings(procedure, content.agencies)
    if report.created or report.new_versions or report.sectors_created:
        audit(
            actor=actor,
            action="catalog_import",
            object_type="catalog.Procedure",
            summary=f"created {report.created}, new versions {report.new_versions}",
            data={"codes": report.codes[:200]},
        )
    return report


@transaction.atomic
def procedure_draft_create(*, actor: Any, procedure: Procedure) -> ProcedureVersion:
    """Start a new draft version as a copy of the published one, for an administrator to edit."""
    existing = procedure.versions.filter(status=VersionStatus.DRAFT).first()
    if existing is not None:
        return existing
    source = procedure.current_version
    if source is None:
        raise VersionImmutable(code="no_published_version")
    content = version_content(source)
    sectors = {source.sector.code: source.sector}
    draft = _create_version(
        procedure,
        ProcedureContent(
            source="",
            code=procedure.code,
            version=content["version"],
            documents=content["documents"],
            fees=content["fees"],
            agencies=[],
            cases=content["cases"],
            result_types=content["result_types"],
        ),
        sectors,
    )
    audit(actor=actor, action="procedure_draft_create", obj=draft)
    return draft


@transaction.atomic
def procedure_version_publish(*, actor: Any, version: ProcedureVersion) -> ProcedureVersion:
    """Publish a draft: from now on it is immutable and new dossiers use it.

    A draft edited by hand passes the same checks as an imported file (cases referred to exist,
    conditions and selectors name e-form fields, one-of groups have two documents or more).
    """
    version = ProcedureVersion.objects.select_for_update().get(pk=version.pk)
    if version.status != VersionStatus.DRAFT:
        raise VersionImmutable()
    _content, errors = parse_procedure(
        exchange_item(version.procedure.code, version, []),
        source=str(version),
        sectors={version.sector.code},
        agencies=set(),
    )
    if errors:
        raise DraftInvalid(details={str(version): errors})
    _publish(version)
    audit(actor=actor, action="procedure_version_publish", obj=version)
    return version


def online_guide_save(*, actor: Any, procedure: Procedure, intro: str, notes: str) -> OnlineGuide:
    """The administrators' introduction and notes of a procedure's online guide (both empty: none)."""
    intro, notes = intro.strip(), notes.strip()
    too_long = {
        name: [_("At most %(limit)d characters.") % {"limit": GUIDE_TEXT_MAX_LENGTH}]
        for name, text in (("intro", intro), ("notes", notes))
        if len(text) > GUIDE_TEXT_MAX_LENGTH
    }
    if too_long:
        raise GuideTextInvalid(details=too_long)
    guide, _created = OnlineGuide.objects.update_or_create(
        procedure=procedure,
        defaults={"intro": intro, "notes": notes, "updated_by": actor if getattr(actor, "pk", None) else None},
    )
    audit(actor=actor, action="online_guide_save", obj=guide, summary=procedure.code)
    return guide
