"""The result document: drawn up as PDF, signed by the leader (PAdES), numbered by the clerk.

Rules: Nghị định 118/2025/NĐ-CP (the competent person decides and signs; the clerk numbers and issues the
result; electronic results carry a digital signature, Nghị định 30/2020/NĐ-CP on official documents).
The document's fixed wording is Vietnamese: it is a legal paper, not UI text.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone

from motcua.dossiers.models import Dossier, DossierDocument, DossierEvent, DossierResult, ResultCounter
from motcua.dossiers.processing_models import Decision
from motcua.dossiers.services import StoredFiles
from motcua.dossiers.slips import long_date, person_name, qr_data_uri, tracking_url
from motcua.signing import SignerUnavailable, has_signer, signer_for

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


def _draft_file(dossier: Dossier) -> bytes | None:
    """The PDF the specialist attached as the draft result when forwarding, if any (the latest)."""
    draft = (
        DossierDocument.objects.filter(
            dossier=dossier, event__payload__draft_result=True, content_type="application/pdf"
        )
        .order_by("-id")
        .first()
    )
    if draft is None:
        return None
    with draft.file.open("rb") as handle:
        return bytes(handle.read())


def result_html(dossier: Dossier, *, decision: str, leader: Any, note: str, at: Any) -> str:
    version = dossier.procedure_version
    agency = dossier.competent_agency
    return render_to_string(
        "workflow/result.html",
        {
            "dossier": dossier,
            "agency": agency,
            "parent_agency": agency.parent.name if agency.parent else "",
            "granted": decision == Decision.GRANTED,
            "procedure_name": version.name,
            "result_type": version.result_type,
            "legal_basis": version.legal_basis,
            "note": note,
            "leader": person_name(leader),
            "issued_on": long_date(at),
            "tracking_url": tracking_url(dossier),
            "qr": qr_data_uri(tracking_url(dossier)),
        },
    )


def result_pdf(dossier: Dossier, *, decision: str, leader: Any, note: str, at: Any) -> bytes:
    draft = _draft_file(dossier) if decision == Decision.GRANTED else None
    if draft is not None:
        return draft
    from weasyprint import HTML  # loading Pango costs a moment only result documents should pay

    pdf: bytes = HTML(string=result_html(dossier, decision=decision, leader=leader, note=note, at=at)).write_pdf()
    return pdf


def result_record(
    dossier: Dossier, event: DossierEvent, *, decision: str, leader: Any, note: str, stored: StoredFiles
) -> DossierResult:
    """Draw up the result (or use the specialist's draft), sign it with the leader's certificate, store it.

    Signing is required when the procedure says so; otherwise a leader without a certificate issues an
    unsigned PDF (paper results are signed by hand).
    """
    pdf = result_pdf(dossier, decision=decision, leader=leader, note=note, at=event.at)
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
    DossierResult.objects.filter(dossier=dossier).delete()  # a result sent back and decided again
    result = DossierResult(
        dossier=dossier,
        decision=decision,
        sha256=hashlib.sha256(pdf).hexdigest(),
        signed_at=signed_at,
        signed_by=leader if signed_at else None,
        signer_subject=subject,
    )
    result.file.save(f"{dossier.code}.pdf", ContentFile(pdf), save=False)
    stored.names.append(str(result.file.name))
    result.save()
    return result


def result_file(result: DossierResult) -> bytes:
    with default_storage.open(str(result.file.name), "rb") as handle:
        return bytes(handle.read())


__all__ = ["SignerUnavailable", "next_result_number", "result_file", "result_record"]
