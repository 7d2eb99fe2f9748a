"""Certified electronic copies from originals, through the dossier's own lifecycle.

Law: Nghị định 23/2015/NĐ-CP (chứng thực; art. 5 competence: the commune People's Committee and, since
2025, the provincial Department of Justice / justice office; art. 13 the certification book; art. 18–20
certifying a copy from its original), Nghị định 45/2020/NĐ-CP art. 14 (the certified electronic copy is the
scan of the original signed with the certifying agency's digital signature), Thông tư 01/2020/TT-BTP (the
wording "Chứng thực bản sao đúng với bản chính", certification number, book volume, date, certifier),
Thông tư 226/2016/TT-BTC (the fee by pages).

The flow: the desk receives the request with the original (the scan is the dossier's component, digitized
at reception as any other), compares the scan with the original and forwards it to the certifier
(``dossier_original_compare``: the process's forward, with the comparison recorded on its event); the
certifier, a person holding the leader role at the certifying (competent) agency (art. 5: the chairman or
a vice-chairman of the commune People's Committee, the head of the justice office), certifies
(``dossier_certify``: the leader's approval): the copy is the scan's pages followed by an appended
certification page, numbered from the agency's book, signed PAdES with the agency's certificate; it lands
in the applicant's store, the fee is recorded; the clerk then issues it and the desk returns it through
the existing actions (a copy numbered at certification is not numbered again).
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy

from motcua.catalog.processes import StepPlan, total_hours
from motcua.core.exceptions import DomainError
from motcua.documents import certification
from motcua.documents.services import CertifiedCopy, certification_number_take, certified_copy_store
from motcua.dossiers.models import Dossier, DossierDocument, DossierEvent, DossierResult
from motcua.dossiers.processing_models import Decision
from motcua.dossiers.services import StoredFiles
from motcua.dossiers.slips import local, person_name
from motcua.identity.constants import Role
from motcua.identity.models import User
from motcua.identity.selectors import covers
from motcua.signing import Signer, agency_signer_for
from motcua.workflow.constants import Action
from motcua.workflow.steps import current_step
from motcua.workflow.writer import dossier_apply_action

COMPARED = "compared_with_original"


class NotACertification(DomainError):
    code = "not_a_certification"
    status = 409
    default_message = gettext_lazy("This dossier is not a request for a certified electronic copy.")


class ScanMissing(DomainError):
    code = "scan_missing"
    status = 409
    default_message = gettext_lazy("The dossier has no scan of the original to certify.")


class OriginalNotCompared(DomainError):
    code = "original_not_compared"
    status = 409
    default_message = gettext_lazy("The desk has not recorded that it compared the scan with the original.")


class NotCertifier(DomainError):
    code = "not_certifier"
    status = 403
    default_message = gettext_lazy(
        "Only a leader of the certifying agency may certify a copy (Decree 23/2015/NĐ-CP, art. 5)."
    )


class AlreadyCertified(DomainError):
    code = "already_certified"
    status = 409
    default_message = gettext_lazy("This copy has already been certified.")


# --- the dossier's scan and what the copy will say ------------------------------------------------------------


def scan_document(dossier: Dossier) -> DossierDocument | None:
    """The scan of the original: the dossier's first component given as a file."""
    return DossierDocument.objects.filter(dossier=dossier, event__isnull=True).exclude(file="").order_by("id").first()


def _read(document: DossierDocument) -> bytes:
    with document.file.open("rb") as handle:
        return bytes(handle.read())


def scan_pdf(document: DossierDocument) -> bytes:
    """The scan as PDF: a PDF as it is, an image (PNG, JPEG) on a page of its own."""
    data = _read(document)
    if document.content_type == "application/pdf":
        return data
    from PIL import Image

    out = io.BytesIO()
    Image.open(io.BytesIO(data)).convert("RGB").save(out, "PDF", resolution=150)
    return out.getvalue()


def page_count(pdf: bytes) -> int:
    import pikepdf

    with pikepdf.open(io.BytesIO(pdf)) as document:
        return len(document.pages)


def copies_of(dossier: Dossier) -> int:
    value = (dossier.form_data or {}).get("so_ban", 1)
    return value if isinstance(value, int) and value > 0 else 1


def document_name_of(dossier: Dossier, scan: DossierDocument | None) -> str:
    name = str((dossier.form_data or {}).get("ten_giay_to") or "").strip()
    return name or (scan.name if scan is not None else "")


def fee_rule(dossier: Dossier) -> certification.PageFeeRule:
    """The fee rule of the dossier's procedure version (its catalog fee rows)."""
    return certification.fee_rule_from(
        dossier.procedure_version.fees.order_by("position", "id").values_list("amount", "note")
    )


@dataclass(frozen=True)
class Quote:
    """The fee of the request as the scan stands: pages, copies, amount."""

    pages: int
    copies: int
    fee: int


def certification_quote(dossier: Dossier) -> Quote | None:
    scan = scan_document(dossier)
    if scan is None:
        return None
    pages = page_count(scan_pdf(scan))
    copies = copies_of(dossier)
    return Quote(pages=pages, copies=copies, fee=certification.copy_fee(pages, fee_rule(dossier), copies))


def certifier_title(agency: Any) -> str:
    return f"Lãnh đạo {agency.name}"


def is_compared(dossier: Dossier) -> bool:
    return DossierEvent.objects.filter(
        dossier=dossier, action=Action.FORWARD, payload__compared_with_original=True
    ).exists()


# --- the copy -------------------------------------------------------------------------------------------------


def certification_page_html(*, dossier: Dossier, copy: CertifiedCopy) -> str:
    at = local(copy.at)
    return render_to_string(
        "workflow/certification/page.html",
        {
            "dossier": dossier,
            "agency": copy.book.agency,
            "statement": certification.STATEMENT,
            "number": copy.number,
            "volume": copy.book.volume,
            "day": f"{at:%d}",
            "month": f"{at:%m}",
            "year": f"{at:%Y}",
            "certifier_name": copy.certifier_name,
            "certifier_title": copy.certifier_title,
            "document_name": copy.document_name,
            "pages": copy.pages,
            "copies": copy.copies,
            "fee": f"{copy.fee:,}".replace(",", "."),
        },
    )


def copy_pdf(scan: bytes, page_html: str) -> bytes:
    """The scan's pages followed by the certification page: appended, so that nothing is drawn over the
    scanned content, and one signature covers both."""
    import pikepdf
    from weasyprint import HTML

    statement = HTML(string=page_html).write_pdf()
    with pikepdf.open(io.BytesIO(scan)) as document, pikepdf.open(io.BytesIO(statement)) as page:
        _without_form_fields(document)
        document.pages.extend(page.pages)
        out = io.BytesIO()
        document.save(out)
    return out.getvalue()


def _without_form_fields(document: Any) -> None:
    """A scan signed at the desk (the officer's signature on a digitized component) carries signature
    fields; the copy is a new document signed by the agency alone, so the scan's fields are dropped."""
    import pikepdf

    if "/AcroForm" in document.Root:
        del document.Root["/AcroForm"]
    for page in document.pages:
        annotations = page.obj.get("/Annots")
        if annotations is None:
            continue
        kept = [a for a in annotations if a.get("/Subtype") != pikepdf.Name.Widget]
        if kept:
            page.obj["/Annots"] = pikepdf.Array(kept)
        else:
            del page.obj["/Annots"]


def certification_steps(version: Any) -> list[StepPlan]:
    """The certification process: the desk receives, scans and compares; the certifier certifies; the
    clerk issues; the desk returns. Times split the procedure's (same-day) time: 1/8, 5/8, 1/8, 1/8."""
    total = total_hours(version)

    def share(part: int) -> Decimal | None:
        return None if total is None else total * part / 8

    return [
        StepPlan(1, "Tiếp nhận, scan và đối chiếu bản chính", Role.DESK_OFFICER, None, share(1)),
        StepPlan(2, "Chứng thực và ký số", Role.UNIT_LEADER, None, share(5)),
        StepPlan(3, "Phát hành bản sao", Role.CLERK, None, share(1)),
        StepPlan(4, "Trả kết quả", Role.DESK_OFFICER, None, share(1)),
    ]


# --- the services ---------------------------------------------------------------------------------------------


def dossier_original_compare(*, actor: User, code: str, note: str = "", assignee: User | None = None) -> Dossier:
    """The desk records that it compared the scan with the original and forwards the dossier to the
    certifier (the process's forward from the desk step, the comparison on its event)."""

    def check(dossier: Dossier, at: datetime) -> None:
        if not certification.is_certified_copy_procedure(dossier.procedure.code):
            raise NotACertification()
        step = current_step(dossier)
        if step is None or step.role != Role.DESK_OFFICER:
            raise NotACertification()
        if scan_document(dossier) is None:
            raise ScanMissing()

    return dossier_apply_action(
        actor=actor,
        code=code,
        action=Action.FORWARD,
        note=note or "Đã đối chiếu bản scan với bản chính",
        assignee=assignee,
        payload={COMPARED: True},
        check=check,
    )


def dossier_certify(*, actor: User, code: str, note: str = "", assignee: User | None = None) -> Dossier:
    """The certifier certifies the copy (the leader's approval of the process): the copy PDF is the scan
    and an appended certification page (statement, number and volume of the book, date, certifier,
    agency), signed PAdES with the certifying agency's certificate; it lands in the applicant's store, and
    the book entry records pages, copies and the fee. A refusal (wrong role, not compared, no certificate)
    changes nothing: the number goes back with the transaction."""
    signers: list[Signer] = []
    scans: list[DossierDocument] = []

    def check(dossier: Dossier, at: datetime) -> None:
        if not certification.is_certified_copy_procedure(dossier.procedure.code):
            raise NotACertification()
        if not covers(actor, [Role.UNIT_LEADER], dossier.competent_agency):
            raise NotCertifier()
        if DossierResult.objects.filter(dossier=dossier).exists():
            raise AlreadyCertified()
        if not is_compared(dossier):
            raise OriginalNotCompared()
        scan = scan_document(dossier)
        if scan is None:
            raise ScanMissing()
        scans.append(scan)
        signers.append(agency_signer_for(dossier.competent_agency.code))  # SignerUnavailable: nothing changes

    stored = StoredFiles()

    def effect(dossier: Dossier, event: DossierEvent) -> None:
        agency = dossier.competent_agency
        scan = scan_pdf(scans[-1])
        pages = page_count(scan)
        copies = copies_of(dossier)
        book, number = certification_number_take(agency=agency, year=local(event.at).year)
        copy = CertifiedCopy(
            book=book,
            number=number,
            pdf_name="",
            size=0,
            sha256="",
            signer_subject=signers[-1].identity.subject,
            document_name=document_name_of(dossier, scans[-1]),
            pages=pages,
            copies=copies,
            fee=certification.copy_fee(pages, fee_rule(dossier), copies),
            certifier_name=person_name(actor),
            certifier_title=certifier_title(agency),
            at=event.at,
        )
        pdf = signers[-1].sign(
            copy_pdf(scan, certification_page_html(dossier=dossier, copy=copy)),
            reason=f"{certification.STATEMENT}: số {number}, quyển số {book.volume}",
            location=agency.name,
        )
        result = DossierResult(
            dossier=dossier,
            decision=Decision.GRANTED,
            sha256=hashlib.sha256(pdf).hexdigest(),
            signed_at=event.at,
            signed_by=actor,
            signer_subject=copy.signer_subject,
            number=certification.result_number(number=number, volume=book.volume),
        )
        result.file.save(f"{dossier.code}-ban-sao.pdf", ContentFile(pdf), save=False)
        stored.names.append(str(result.file.name))
        result.save()
        certified_copy_store(
            dossier=dossier,
            result=result,
            actor=actor,
            copy=replace(copy, pdf_name=str(result.file.name), size=len(pdf), sha256=result.sha256),
        )

    try:
        with transaction.atomic():
            return dossier_apply_action(
                actor=actor, code=code, action=Action.APPROVE, note=note, assignee=assignee, check=check, effect=effect
            )
    except BaseException:
        stored.discard()
        raise


@transaction.atomic
def certification_processes_ensure(*, actor: Any = None) -> int:
    """Every agency offering a certified-copy procedure without a process of its own gets the
    certification process (desk, certifier, clerk, desk); idempotent. Returns how many were published."""
    from motcua.catalog.models import Offering
    from motcua.catalog.processes import process_in_force, process_publish

    published = 0
    offerings = Offering.objects.filter(
        procedure__code__in=certification.certified_copy_procedure_codes()
    ).select_related("procedure", "agency")
    for offering in offerings:
        version = offering.procedure.current_version
        if version is None or process_in_force(procedure_id=offering.procedure_id, agency_id=offering.agency_id):
            continue
        process_publish(
            actor=actor, procedure=offering.procedure, agency=offering.agency, steps=certification_steps(version)
        )
        published += 1
    return published
