"""Procedures proposed by an outside catalog (the national portal's), turned into draft versions for review.

The national portal owns the legal description of a procedure (name, sector, levels, online mode,
processing time, legal basis, result, the list of documents and the fees: Nghị định 118/2025/NĐ-CP, the
national database of administrative procedures); the province owns its e-form, its cases, the conditions
under which a document applies, its reuse from the data store, and who offers it. A proposal therefore
overlays the portal's fields on the published version and, when that changes anything, becomes a new
draft that an administrator reviews and publishes (``procedure_version_publish``). Nothing is published
here, and an unchanged procedure writes nothing.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from motcua.agencies.models import Agency
from motcua.catalog.constants import CATALOG_FORMAT, VersionStatus
from motcua.catalog.content import parse_procedure
from motcua.catalog.models import Procedure, ProcedureVersion, Sector
from motcua.catalog.selectors import exchange_item, version_content
from motcua.catalog.services import _create_version, _set_offerings
from motcua.core.audit import audit
from motcua.core.text import fold

# What the outside catalog says of a procedure version; everything else stays the province's.
OWNED_VERSION_FIELDS = ("name", "levels", "online_mode", "processing_time", "legal_basis", "result_type")
OWNED_DOCUMENT_FIELDS = ("name", "document_type_code", "quantity", "form")
OWNED_FEE_FIELDS = ("name", "amount")


@dataclass(frozen=True)
class ProcedureProposal:
    """One procedure as the outside catalog describes it, in the exchange format's field names."""

    code: str
    sector_code: str
    sector_name: str
    version: dict[str, Any]  # the OWNED_VERSION_FIELDS
    documents: list[dict[str, Any]]  # name, document_type_code, quantity, form
    fees: list[dict[str, Any]]  # name, amount, note
    agencies: list[str]


@dataclass
class DraftProposalReport:
    created: list[str] = field(default_factory=list)  # procedures new to the catalog, drafted
    changed: list[str] = field(default_factory=list)  # a new draft of a published procedure
    drafts: dict[str, int] = field(default_factory=dict)  # code → the draft version's id
    unchanged: int = 0
    pending: list[str] = field(default_factory=list)  # a different draft already awaits review: left alone
    failed: dict[str, list[str]] = field(default_factory=dict)  # code → why the proposal cannot be a draft


def _key(item: dict[str, Any]) -> str:
    return item.get("document_type_code") or fold(item.get("name", ""))


def _merge(local: list[dict[str, Any]], outside: list[dict[str, Any]], owned: tuple[str, ...]) -> list[dict[str, Any]]:
    """The outside list in its order; an item the province already has keeps the province's own fields
    (conditions, cases, reuse, notes) and takes the outside one's ``owned`` fields."""
    by_key = {_key(item): item for item in local}
    merged = []
    for item in outside:
        mine = by_key.get(_key(item)) or by_key.get(fold(item.get("name", "")))
        merged.append({**mine, **{k: item[k] for k in owned if k in item}} if mine else dict(item))
    return merged


def _item(proposal: ProcedureProposal, published: ProcedureVersion | None) -> dict[str, Any]:
    if published is None:
        item: dict[str, Any] = {"code": proposal.code, "required_documents": [], "fees": []}
    else:
        item = copy.deepcopy(exchange_item(proposal.code, published, []))
    item.update({k: proposal.version[k] for k in OWNED_VERSION_FIELDS if k in proposal.version})
    item["sector"] = proposal.sector_code
    item["required_documents"] = _merge(item["required_documents"], proposal.documents, OWNED_DOCUMENT_FIELDS)
    item["fees"] = _merge(item["fees"], proposal.fees, OWNED_FEE_FIELDS)
    return item


@transaction.atomic
def procedure_drafts_propose(*, actor: Any, proposals: list[ProcedureProposal], source: str) -> DraftProposalReport:
    """Turn an outside catalog's procedures into draft versions for review (see the module's docstring).

    A procedure new to the catalog gets its first draft and the offerings of the agencies we know; a
    published one whose overlaid content differs gets a new draft; one with a draft already under review
    is left alone when that draft says the same (idempotent) and reported as pending otherwise, so that an
    administrator's edits are never overwritten. A proposal that fails the catalog's checks is reported
    with the reasons and writes nothing.
    """
    report = DraftProposalReport()
    known_agencies = set(Agency.objects.values_list("code", flat=True))
    for proposal in proposals:
        procedure = Procedure.objects.select_related("current_version__sector").filter(code=proposal.code).first()
        published = procedure.current_version if procedure is not None else None
        sectors = set(Sector.objects.values_list("code", flat=True)) | {proposal.sector_code}
        agencies = [code for code in proposal.agencies if code in known_agencies]
        raw = _item(proposal, published)
        content, errors = parse_procedure(raw, source=f"{source} {proposal.code}", sectors=sectors, agencies=set())
        if errors or content is None:
            report.failed[proposal.code] = errors
            continue
        wanted = content.fingerprint()
        if published is not None and version_content(published) == wanted:
            report.unchanged += 1
            continue
        draft = procedure.versions.filter(status=VersionStatus.DRAFT).first() if procedure is not None else None
        if draft is not None:
            if version_content(draft) == wanted:
                report.unchanged += 1
            else:
                report.pending.append(proposal.code)
            continue
        sector, _created = Sector.objects.get_or_create(
            code=proposal.sector_code, defaults={"name": proposal.sector_name or proposal.sector_code}
        )
        if procedure is None:
            procedure = Procedure.objects.create(code=proposal.code)
            _set_offerings(procedure, agencies)
            report.created.append(proposal.code)
        else:
            report.changed.append(proposal.code)
        version = _create_version(procedure, content, {sector.code: sector})
        report.drafts[proposal.code] = version.pk
    if report.created or report.changed:
        audit(
            actor=actor,
            action="procedure_drafts_propose",
            object_type="catalog.Procedure",
            summary=f"{source}: new {len(report.created)}, changed {len(report.changed)}",
            data={"created": report.created[:200], "changed": report.changed[:200], "format": CATALOG_FORMAT},
        )
    return report
