"""The result document: drawn up as PDF, signed by the leader (PAdES), numbered by the clerk.

Rules: Nghị định 118/2025/NĐ-CP (the competent person decides and signs; the clerk numbers and issues the
result; electronic results carry a digital signature, Nghị định 30/2020/NĐ-CP on official documents).
The document's fixed wording is Vietnamese: it is a legal paper, not UI text.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext_lazy

from motcua.catalog.models import ResultType
from motcua.core.exceptions import DomainError
from motcua.core.schema_forms import ordered_properties
from motcua.documents.models import DigitizedDocument
from motcua.documents.services import result_store
from motcua.dossiers.models import Dossier, DossierDocument, DossierResult, ResultCounter
from motcua.dossiers.processing_models import Decision
from motcua.dossiers.services import StoredFiles
from motcua.dossiers.slips import local, person_name, qr_data_uri, tracking_url
from motcua.signing import (
    Signer,
    SignerUnavailable,
    agency_signer_for,
    has_agency_signer,
    has_signer,
    signer_for,
)

_LEVEL_ONE = re.compile(r"[A-Z]\d{2}")


def result_prefix(dossier: Dossier) -> str:
    """KQ.<level-1 code of the issuing agency> (e.g. KQ.H49); the old 000.00.00.H56 style works too."""
    match = _LEVEL_ONE.search(dossier.competent_agency.code)
    return f"KQ.{match.group(0) if match else dossier.competent_agency.code.split('.')[0]}"


def next_result_number(dossier: Dossier) -> str:
    """The next ``KQ.<code>.<6 digits>``: the counter row is locked by the increment, never reused."""
    prefix = result_prefix(dossier)
    counter, _created = ResultCounter.objects.select_for_update().get_or_create(prefix=prefix)
    ResultCounter.objects.filter(pk=counter.pk).update(last=F("last") + 1)
    counter.refresh_from_db(fields=["last"])
    return f"{prefix}.{counter.last:06d}"


def _draft_document(dossier: Dossier) -> DossierDocument | None:
    """The PDF the specialist attached as the result (produced in a sector system) when forwarding, if any."""
    return (
        DossierDocument.objects.filter(
            dossier=dossier, event__payload__draft_result=True, content_type="application/pdf"
        )
        .order_by("-id")
        .first()
    )


def _draft_file(dossier: Dossier) -> bytes | None:
    draft = _draft_document(dossier)
    if draft is None:
        return None
    with draft.file.open("rb") as handle:
        return bytes(handle.read())


# --- the e-form answers, labelled as the procedure's e-form labels them ------------------------------------


@dataclass(frozen=True)
class Answer:
    name: str
    label: str
    value: str


def _shown(spec: dict[str, Any], value: Any) -> str:
    """An answer as people read it: dates dd/mm/yyyy, yes/no in Vietnamese (legal papers are Vietnamese)."""
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if spec.get("format") == "date" and isinstance(value, str):
        try:
            return date.fromisoformat(value).strftime("%d/%m/%Y")
        except ValueError:
            return value
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return str(value)


def form_answers(dossier: Dossier) -> list[Answer]:
    """The dossier's e-form answers in the schema's order, labelled with the schema's titles; answers the
    schema does not describe (an older version's fields) follow under their own names."""
    schema = dossier.procedure_version.form_schema or {}
    data = dossier.form_data or {}
    answers = []
    described = set()
    for name, spec in ordered_properties(schema):
        described.add(name)
        if data.get(name) in (None, ""):
            continue
        answers.append(Answer(name, str(spec.get("title") or name), _shown(spec, data[name])))
    answers += [Answer(name, name, str(value)) for name, value in data.items() if name not in described]
    return answers


# --- drawing up the document ----------------------------------------------------------------------------------


def result_templates(procedure_code: str, decision: str) -> list[str]:
    """The procedure's own template (``workflow/results/<code>.html``), else the generic one; a refusal is
    always the letter giving the reasons."""
    if decision != Decision.GRANTED:
        return ["workflow/results/refusal.html"]
    return [f"workflow/results/{procedure_code}.html", "workflow/results/generic.html"]


def _place(agency_name: str) -> str:
    """The place line of an official paper: "UBND xã An" issues at "Xã An"."""
    for prefix in ("Ủy ban nhân dân ", "UBND "):
        if agency_name.startswith(prefix):
            rest = agency_name[len(prefix) :]
            return rest[:1].upper() + rest[1:]
    return agency_name


def result_html(dossier: Dossier, *, decision: str, leader: Any, note: str, at: Any) -> str:
    version = dossier.procedure_version
    agency = dossier.competent_agency
    answers = form_answers(dossier)
    return render_to_string(
        result_templates(dossier.procedure.code, decision),
        {
            "dossier": dossier,
            "agency": agency,
            "parent_agency": agency.parent.name if agency.parent else "",
            "place": _place(agency.name),
            "granted": decision == Decision.GRANTED,
            "procedure_name": version.name,
            "result_type": version.result_type,
            "legal_basis": version.legal_basis,
            "answers": answers,
            "form": {answer.name: answer.value for answer in answers},
            "note": note,
            "leader": person_name(leader),
            "decided_on": local(at).strftime("%d/%m/%Y"),
            "tracking_url": tracking_url(dossier),
            "qr": qr_data_uri(tracking_url(dossier)),
        },
    )


def _render(html: str) -> bytes:
    from weasyprint import HTML  # loading Pango costs a moment only result documents should pay

    pdf: bytes = HTML(string=html).write_pdf(pdf_forms=True)  # the number area's inputs become PDF fields
    return pdf


@dataclass(frozen=True)
class Draft:
    """What the leader would sign now: the specialist's uploaded file, or the procedure's template filled in."""

    html: str
    upload: bytes | None

    @property
    def digest(self) -> str:
        """Identifies what the leader previewed: approval refuses to sign anything else."""
        return hashlib.sha256(self.upload if self.upload is not None else self.html.encode()).hexdigest()

    def pdf(self) -> bytes:
        return self.upload if self.upload is not None else _render(self.html)


def result_draft(dossier: Dossier, *, decision: str, leader: Any, note: str, at: Any) -> Draft:
    """A granted result prints the procedure's data only, so that it is what the preview showed (the
    leader's note stays in the timeline); a refusal prints the reasons."""
    granted = decision == Decision.GRANTED
    upload = _draft_file(dossier) if granted else None
    if upload is not None:
        return Draft(html="", upload=upload)
    html = result_html(dossier, decision=decision, leader=leader, note="" if granted else note, at=at)
    return Draft(html=html, upload=None)


def result_preview(dossier: Dossier, *, leader: Any, at: Any) -> Draft:
    """The result the leader sees before approving: as it will be signed, without number and date."""
    return result_draft(dossier, decision=Decision.GRANTED, leader=leader, note="", at=at)


def result_pdf(dossier: Dossier, *, decision: str, leader: Any, note: str, at: Any) -> bytes:
    return result_draft(dossier, decision=decision, leader=leader, note=note, at=at).pdf()


class PreviewOutdated(DomainError):
    code = "preview_outdated"
    status = 409
    default_message = gettext_lazy(
        "The result changed since you opened its preview (or you have not opened it): look at it again before signing."
    )


@dataclass(frozen=True)
class PreparedResult:
    """A result drawn up and signed, not yet stored: what ``result_prepare`` checked before the writer moved
    the dossier."""

    decision: str
    pdf: bytes
    signed_at: datetime | None
    subject: str


def result_prepare(
    dossier: Dossier, *, decision: str, leader: Any, note: str, at: datetime, previewed: str | None = None
) -> PreparedResult:
    """Draw up the result (or take the specialist's upload), reserve its number area and sign it with the
    leader's certificate, writing nothing: it runs before the status changes, so a refusal
    (``PreviewOutdated``, ``SignerUnavailable``) leaves every row as it was.

    ``previewed``: the digest of the preview the leader looked at; when given, anything else is refused.
    Signing is required when the procedure says so; otherwise a leader without a certificate issues an
    unsigned PDF (paper results are signed by hand).
    """
    draft = result_draft(dossier, decision=decision, leader=leader, note=note, at=at)
    if previewed is not None and previewed != draft.digest:
        raise PreviewOutdated()
    from motcua.signing.number_fields import number_fields_reserve

    pdf = number_fields_reserve(draft.pdf())
    signed_at = None
    subject = ""
    if has_signer(leader.username) or dossier.procedure_version.digital_signature_required:
        signer = signer_for(leader.username)  # raises SignerUnavailable: nothing is kept
        pdf = signer.sign(
            pdf,
            reason=f"Phê duyệt kết quả giải quyết hồ sơ {dossier.code}",
            location=dossier.competent_agency.name,
        )
        signed_at = timezone.now()
        subject = signer.identity.subject
    return PreparedResult(decision=decision, pdf=pdf, signed_at=signed_at, subject=subject)


def result_record(dossier: Dossier, prepared: PreparedResult, *, leader: Any, stored: StoredFiles) -> DossierResult:
    """Store the prepared result as the dossier's (replacing one sent back and decided again)."""
    DossierResult.objects.filter(dossier=dossier).delete()
    result = DossierResult(
        dossier=dossier,
        decision=prepared.decision,
        sha256=hashlib.sha256(prepared.pdf).hexdigest(),
        signed_at=prepared.signed_at,
        signed_by=leader if prepared.signed_at else None,
        signer_subject=prepared.subject,
    )
    result.file.save(f"{dossier.code}.pdf", ContentFile(prepared.pdf), save=False)
    stored.names.append(str(result.file.name))
    result.save()
    return result


def result_sealer(result: DossierResult) -> Signer | None:
    """The agency's signer when the issued result is sealed (it holds a certificate, or the procedure
    requires digital signatures of a signed result), else None. Called before the status changes: a
    missing certificate (``SignerUnavailable``) refuses the issue with nothing written."""
    dossier = result.dossier
    agency = dossier.competent_agency
    sealed = has_agency_signer(agency.code) or (
        result.signed_at is not None and dossier.procedure_version.digital_signature_required
    )
    return agency_signer_for(agency.code) if sealed else None


def result_issue(
    result: DossierResult, *, number: str, at: datetime, stored: StoredFiles, sealer: Signer | None
) -> bytes:
    """Write the number and date onto the signed result and add the agency's signature (Nghị định
    30/2020/NĐ-CP: the clerk numbers, dates and seals the document the competent person signed).

    Both are incremental updates, so the leader's signature stays valid. ``sealer``: from
    ``result_sealer``. The new file replaces the stored one (the leader's version is its first revision).
    """
    from motcua.signing.number_fields import number_fields_fill

    dossier = result.dossier
    pdf = number_fields_fill(result_file(result), number=number, date=local(at).strftime("%d/%m/%Y"))
    if sealer is not None:
        pdf = sealer.sign(
            pdf,
            reason=f"Ban hành văn bản số {number}",
            location=dossier.competent_agency.name,
            field_name="Signature2",
        )
    replaced = str(result.file.name)
    result.file.save(f"{dossier.code}-{number}.pdf", ContentFile(pdf), save=False)
    stored.names.append(str(result.file.name))
    # The leader's version is the new file's first revision: its own copy goes once the issue is committed.
    transaction.on_commit(lambda: default_storage.delete(replaced))
    result.number = number
    result.sha256 = hashlib.sha256(pdf).hexdigest()
    return pdf


def result_into_store(result: DossierResult, *, actor: Any) -> DigitizedDocument | None:
    """An issued result lands in its owner's data store (DOMAIN.md §7a, §8), in the issue's transaction,
    typed and valid as the version's result type says (its first one: a version issues one kind of result
    per dossier). A refusal letter is not a result of the procedure and stays out; so does a result
    without a file."""
    if result.decision != Decision.GRANTED or not result.file:
        return None
    kind = ResultType.objects.filter(version_id=result.dossier.procedure_version_id).order_by("position", "id").first()
    return result_store(
        result=result,
        actor=actor,
        type_code=kind.code if kind else "",
        months=kind.validity_months if kind else None,
        name=kind.name if kind else "",
    )


def result_file(result: DossierResult) -> bytes:
    with default_storage.open(str(result.file.name), "rb") as handle:
        return bytes(handle.read())


__all__ = [
    "PreparedResult",
    "PreviewOutdated",
    "SignerUnavailable",
    "form_answers",
    "next_result_number",
    "result_file",
    "result_into_store",
    "result_issue",
    "result_prepare",
    "result_preview",
    "result_record",
    "result_sealer",
]
