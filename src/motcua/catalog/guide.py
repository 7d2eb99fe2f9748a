"""What a procedure's online submission guide and the desks' guidance boards say (issue 17, item 5).

Read from the published version only: the e-form fields, the documents (and which the applicant's data store
can give), the fees and when they are paid, the results. The portal turns these facts into steps with its own
button names; the catalog administrators' notes (``OnlineGuide``) are added around them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from django.db.models import Exists, OuterRef, Prefetch, QuerySet, prefetch_related_objects

from motcua.agencies.models import Agency, Desk
from motcua.catalog.constants import DocumentForm, FeeMoment, OnlineMode
from motcua.catalog.guide_models import OnlineGuide
from motcua.catalog.models import Procedure, ProcedureVersion
from motcua.catalog.notice import document_entries
from motcua.catalog.selectors import procedure_detail, procedures_public
from motcua.core.schema_forms import ordered_properties

# Papers the desk compares or keeps: shown as "bring it" in a partly online procedure (Nghị định 42/2022/NĐ-CP:
# a partly online service needs the applicant at the desk for what cannot be done online).
PAPER_FORMS = (DocumentForm.ORIGINAL, DocumentForm.CERTIFIED_COPY)

T = TypeVar("T")


@dataclass(frozen=True)
class GuideField:
    label: str
    required: bool
    help: str = ""


@dataclass(frozen=True)
class GuideDocument:
    name: str
    form: str
    form_label: str
    quantity: int
    requirement: str
    condition_label: str = ""
    group_first: bool = False  # the first member of a "one of" group: the group's heading goes before it
    group_member: bool = False
    case_names: tuple[str, ...] = ()
    reusable: bool = False
    note: str = ""


@dataclass(frozen=True)
class GuideFee:
    name: str
    amount: int
    moment: str
    moment_label: str
    case_names: tuple[str, ...] = ()
    exemptions: str = ""


@dataclass(frozen=True)
class ProcedureGuide:
    procedure: Procedure
    version: ProcedureVersion
    online_mode: str
    fields: tuple[GuideField, ...]
    documents: tuple[GuideDocument, ...]
    fees: tuple[GuideFee, ...]
    results: tuple[str, ...]
    offline_cases: tuple[str, ...]  # cases that cannot be submitted online although the procedure can
    places: tuple[tuple[Agency, tuple[Desk, ...]], ...]  # where to apply: offering agencies and their desks
    intro: str = ""
    notes: str = ""
    notes_updated_at: datetime | None = None

    @property
    def online(self) -> bool:
        return self.online_mode != OnlineMode.NONE

    @property
    def full(self) -> bool:
        return self.online_mode == OnlineMode.FULL

    @property
    def online_mode_label(self) -> str:
        return str(OnlineMode(self.online_mode).label)

    @property
    def required_fields(self) -> tuple[GuideField, ...]:
        return tuple(f for f in self.fields if f.required)

    @property
    def reusable_documents(self) -> tuple[GuideDocument, ...]:
        return tuple(d for d in self.documents if d.reusable)

    @property
    def papers_to_bring(self) -> tuple[GuideDocument, ...]:
        """In a partly online procedure, the originals and certified copies the desk may ask to see."""
        if self.online_mode != OnlineMode.PARTIAL:
            return ()
        return tuple(d for d in self.documents if d.form in PAPER_FORMS)

    def fees_paid_at(self, moment: str) -> tuple[GuideFee, ...]:
        """The fees collected at ``moment`` that cost something (a free one is nothing to pay online)."""
        return tuple(f for f in self.fees if f.moment == moment and f.amount > 0)

    @property
    def payable_moments(self) -> tuple[str, ...]:
        return tuple(m for m in FeeMoment.values if self.fees_paid_at(m))


def _names(part: object) -> tuple[str, ...]:
    cases = part.cases.all()  # type: ignore[attr-defined]
    return tuple(c.name for c in sorted(cases, key=lambda c: (c.position, c.pk)))


def _fields(version: ProcedureVersion) -> tuple[GuideField, ...]:
    schema = version.form_schema or {}
    required = set(schema.get("required") or [])
    return tuple(
        GuideField(
            label=str(spec.get("title") or name), required=name in required, help=str(spec.get("description", ""))
        )
        for name, spec in ordered_properties(schema)
    )


def _documents(version: ProcedureVersion) -> tuple[GuideDocument, ...]:
    rows = []
    for entry in document_entries(version):
        for index, document in enumerate(entry.documents):
            rows.append(
                GuideDocument(
                    name=document.name,
                    form=document.form,
                    form_label=str(document.get_form_display()),
                    quantity=document.quantity,
                    requirement=document.requirement,
                    condition_label=document.condition_label,
                    group_first=bool(entry.group) and index == 0,
                    group_member=bool(entry.group),
                    case_names=_names(document),
                    # The submission page offers the store's copy only for a typed document (intake_rows).
                    reusable=document.reusable and bool(document.document_type_code),
                    note=document.note,
                )
            )
    return tuple(rows)


def _fees(version: ProcedureVersion) -> tuple[GuideFee, ...]:
    return tuple(
        GuideFee(
            name=fee.name,
            amount=fee.amount,
            moment=fee.collected_at,
            moment_label=str(fee.get_collected_at_display()),
            case_names=_names(fee),
            exemptions=fee.exemptions,
        )
        for fee in version.fees.all()
    )


def _results(version: ProcedureVersion) -> tuple[str, ...]:
    """The typed results, else the result in words of a version imported without them."""
    typed = tuple(r.name for r in version.result_types.all())
    return typed or ((version.result_type,) if version.result_type else ())


def _places(procedure: Procedure) -> tuple[tuple[Agency, tuple[Desk, ...]], ...]:
    # The agencies are prefetched by ``procedure_detail`` (by code); their desks in one more query.
    agencies = [agency for agency in procedure.agencies.all() if agency.is_active]
    prefetch_related_objects(agencies, Prefetch("desks", queryset=Desk.objects.filter(is_active=True).order_by("code")))
    return tuple((agency, tuple(agency.desks.all())) for agency in agencies)


def procedure_guide(code: str) -> ProcedureGuide | None:
    """The guide of a published procedure, or None when there is no such procedure."""
    procedure = procedure_detail(code)
    if procedure is None or procedure.current_version is None:
        return None
    version = procedure.current_version
    edited = OnlineGuide.objects.filter(procedure=procedure).first()
    offline_cases = tuple(case.name for case in version.cases.all() if case.effective_online_mode() == OnlineMode.NONE)
    return ProcedureGuide(
        procedure=procedure,
        version=version,
        online_mode=procedure.online_mode or version.online_mode,
        fields=_fields(version),
        documents=_documents(version),
        fees=_fees(version),
        results=_results(version),
        offline_cases=offline_cases if procedure.online_mode != OnlineMode.NONE else (),
        places=_places(procedure),
        intro=edited.intro if edited else "",
        notes=edited.notes if edited else "",
        notes_updated_at=edited.updated_at if edited else None,
    )


# -- The guidance board of an agency or desk -----------------------------------------------------------


@dataclass(frozen=True)
class BoardPlace:
    """Whose board: an agency, or one of its desks (whose board lists the agency's procedures)."""

    agency: Agency
    desk: Desk | None = None

    @property
    def code(self) -> str:
        return self.desk.code if self.desk else self.agency.code

    @property
    def name(self) -> str:
        return self.desk.name if self.desk else self.agency.name

    @property
    def address(self) -> str:
        return (self.desk.address if self.desk else "") or self.agency.address


def board_place(code: str) -> BoardPlace | None:
    """The active desk or agency with that code (desk codes and agency codes do not overlap: H49.101.MC)."""
    desk = Desk.objects.select_related("agency").filter(code=code, is_active=True, agency__is_active=True).first()
    if desk is not None:
        return BoardPlace(agency=desk.agency, desk=desk)
    agency = Agency.objects.filter(code=code, is_active=True).first()
    return BoardPlace(agency=agency) if agency is not None else None


def online_procedures(agency: Agency) -> QuerySet[Procedure]:
    """The published procedures the agency offers that can be submitted online, by sector then name."""
    return (
        procedures_public()
        .filter(offering__agency=agency)
        .exclude(online_mode=OnlineMode.NONE)
        .order_by("sector__name", "name_key", "code")
    )


def board_places() -> list[BoardPlace]:
    """Every active agency that offers a procedure online, each followed by its active desks."""
    online = procedures_public().exclude(online_mode=OnlineMode.NONE).filter(offering__agency=OuterRef("pk"))
    desks = Prefetch("desks", queryset=Desk.objects.filter(is_active=True).order_by("code"))
    agencies = Agency.objects.filter(is_active=True).filter(Exists(online)).order_by("path").prefetch_related(desks)
    places: list[BoardPlace] = []
    for agency in agencies:
        places.append(BoardPlace(agency=agency))
        places.extend(BoardPlace(agency=agency, desk=desk) for desk in agency.desks.all())
    return places


def chunks(items: list[T], size: int) -> list[list[T]]:
    """``items`` cut into pages of ``size`` (the last may be shorter; none when there are no items)."""
    return [items[i : i + size] for i in range(0, len(items), size)]
