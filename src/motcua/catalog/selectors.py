"""Reads of the catalog: public search and listing, version content, export."""

from __future__ import annotations

from typing import Any

from django.db.models import Case, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.db.models.functions import Length

from motcua.agencies.models import Agency
from motcua.catalog.constants import CATALOG_FORMAT
from motcua.catalog.models import (
    Fee,
    Procedure,
    ProcedureCase,
    ProcedureVersion,
    RequiredDocument,
    ResultType,
    Sector,
)
from motcua.catalog.search_terms import readings, spelled_phrases
from motcua.core.text import fold_words, spelling_variants

SEARCH_MAX_WORDS = 12
# What ``version_content`` reads, so that one version costs a fixed number of queries.
VERSION_PARTS = (
    Prefetch("cases", queryset=ProcedureCase.objects.order_by("position", "id")),
    Prefetch("required_documents", queryset=RequiredDocument.objects.order_by("position", "id")),
    Prefetch("fees", queryset=Fee.objects.order_by("position", "id")),
    "required_documents__cases",
    "fees__cases",
    Prefetch("result_types", queryset=ResultType.objects.order_by("position", "id")),
)
VERSION_PART_NAMES = ("cases", "required_documents", "fees", "required_documents__cases", "fees__cases", "result_types")


def _time(amount: Any, unit: str) -> dict[str, Any]:
    return {"amount": str(amount) if amount is not None else None, "unit": unit}


def _case_codes(part: RequiredDocument | Fee) -> list[str]:
    return [case.code for case in sorted(part.cases.all(), key=lambda c: (c.position, c.pk))]


def version_content(version: ProcedureVersion) -> dict[str, Any]:
    """The canonical content of a version, in the shape of ``ProcedureContent.fingerprint``."""
    return {
        "version": {
            "name": version.name,
            "sector": version.sector.code,
            "levels": list(version.levels),
            "online_mode": version.online_mode,
            "time_unit": version.time_unit,
            "time_amount": str(version.time_amount) if version.time_amount is not None else None,
            "cutoff": version.cutoff.strftime("%H:%M") if version.cutoff else None,
            "legal_basis": version.legal_basis,
            "result_type": version.result_type,
            "description": version.description,
            "conditions": version.conditions,
            "authorised_submission": version.authorised_submission,
            "postal": version.postal,
            "digital_signature_required": version.digital_signature_required,
            "form_schema": version.form_schema,
        },
        "cases": [
            {
                "code": c.code,
                "name": c.name,
                "processing_time": _time(c.time_amount, c.time_unit),
                "online_mode": c.online_mode,
                "description": c.description,
                "selector": c.selector,
            }
            for c in version.cases.all()
        ],
        "documents": [
            {
                "name": d.name,
                "requirement": d.requirement,
                "condition_label": d.condition_label,
                "condition": d.condition,
                "group": d.group,
                "cases": _case_codes(d),
                "form": d.form,
                "quantity": d.quantity,
                "document_type_code": d.document_type_code,
                "reusable": d.reusable,
                "note": d.note,
            }
            for d in version.required_documents.all()
        ],
        "fees": [
            {
                "name": f.name,
                "amount": f.amount,
                "note": f.note,
                "cases": _case_codes(f),
                "collected_at": f.collected_at,
                "exemptions": f.exemptions,
            }
            for f in version.fees.all()
        ],
        "result_types": [
            {"code": r.code, "name": r.name, "validity_months": r.validity_months} for r in version.result_types.all()
        ],
    }


def procedures_public() -> QuerySet[Procedure]:
    return Procedure.objects.filter(current_version__isnull=False).select_related("sector")


def procedures_search(
    *, query: str = "", sector: str = "", agency: str = "", level: str = "", online_mode: str = ""
) -> QuerySet[Procedure]:
    """Published procedures matching every word of ``query`` without regard to case, diacritics or the
    i/y spelling of a syllable (kí/ký), or every word of what a known phrasing means (the synonym list
    of ``search_terms``: "làm giấy khai sinh" finds "Đăng ký khai sinh").

    Ranking: exact name, then name starting with the query, then the query as a phrase, then all
    words anywhere (each under any of its readings); shorter names first within a rank.
    """
    qs = procedures_public()
    if sector:
        qs = qs.filter(sector__code=sector)
    if agency:
        qs = qs.filter(offering__agency__code=agency)
    if level:
        # Level names are not substrings of one another, so a text match on the JSON list is exact.
        qs = qs.filter(levels__icontains=f'"{level}"')
    if online_mode:
        qs = qs.filter(online_mode=online_mode)
    words = fold_words(query)[:SEARCH_MAX_WORDS]
    if not words:
        return qs.order_by("name_key", "code")
    found = Q()
    phrases: list[str] = []
    for reading in readings(words):
        every_word = Q()
        for word in reading:
            # "ky" and "ki" are one word spelt two ways (kí/ký): either spelling matches.
            either = Q()
            for spelling in spelling_variants(word):
                either |= Q(search_text__contains=spelling)
            every_word &= either
        found |= every_word
        phrases += spelled_phrases(reading)
    qs = qs.filter(found)
    code = " ".join(words)
    rank = Case(
        When(Q(name_key__in=phrases) | Q(code=code), then=Value(0)),
        When(_any("name_key__startswith", phrases), then=Value(1)),
        When(_any("name_key__contains", phrases), then=Value(2)),
        default=Value(3),
        output_field=IntegerField(),
    )
    return qs.annotate(rank=rank, name_length=Length("name_key")).order_by("rank", "name_length", "code")


def _any(lookup: str, values: list[str]) -> Q:
    condition = Q()
    for value in values:
        condition |= Q(**{lookup: value})
    return condition


def procedure_detail(code: str) -> Procedure | None:
    current = ProcedureVersion.objects.select_related("sector").prefetch_related(*VERSION_PARTS)
    return (
        procedures_public()
        # By code, not by the tree path of ids: "/100/" sorts before "/99/" as text.
        .prefetch_related(
            Prefetch("current_version", queryset=current), Prefetch("agencies", Agency.objects.order_by("code"))
        )
        .filter(code=code)
        .first()
    )


def sectors_with_procedures() -> QuerySet[Sector]:
    return Sector.objects.filter(procedures__current_version__isnull=False).distinct().order_by("name")


def exchange_item(code: str, version: ProcedureVersion, agencies: list[str]) -> dict[str, Any]:
    """One version as a procedure of the exchange format (what export writes and import reads)."""
    content = version_content(version)
    item = {"code": code, **content["version"]}
    item["processing_time"] = {"amount": item.pop("time_amount"), "unit": item.pop("time_unit")}
    item["cases"] = content["cases"]
    item["required_documents"] = content["documents"]
    item["fees"] = content["fees"]
    item["result_types"] = content["result_types"]
    item["agencies"] = agencies
    return item


def catalog_export() -> dict[str, Any]:
    """The published catalog in the exchange format; importing it elsewhere reproduces it."""
    procedures = []
    qs = (
        procedures_public()
        .select_related("current_version__sector")
        .prefetch_related(*(f"current_version__{part}" for part in VERSION_PART_NAMES), "agencies")
        .order_by("code")
    )
    for procedure in qs:
        version = procedure.current_version
        assert version is not None
        procedures.append(exchange_item(procedure.code, version, sorted(a.code for a in procedure.agencies.all())))
    sectors = [{"code": s.code, "name": s.name} for s in Sector.objects.order_by("code")]
    return {"format": CATALOG_FORMAT, "sectors": sectors, "procedures": procedures}
