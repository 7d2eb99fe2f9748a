"""Pulls from the national public-service portal: its procedure catalog, as draft versions for review,
and the dossiers citizens submitted there, into the competent desk's queue (DOMAIN.md §12).

A dossier submitted on the national portal is an online dossier like any other (Nghị định 118/2025/NĐ-CP:
the national portal and the provincial system share one intake; reception within the province does not
depend on the applicant's address): it goes through ``dossier_submit_online_once`` with the applicant's
account (``identity.national_accounts``), its files downloaded from the portal and checked like any upload
(``dossiers.files``). Its national code is kept (``NationalIntake``) and is its idempotency key, so that no
pull, repeated or concurrent, imports it twice; the portal is told after the commit
(``national_intake_acknowledge``). A dossier that cannot be imported (unknown procedure or agency, a
file refused, an e-form that does not pass) is listed with the reason, never dropped.
"""

from __future__ import annotations

import functools
import io
import logging
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from motcua.catalog.constants import Requirement, VersionStatus
from motcua.catalog.models import RequiredDocument
from motcua.catalog.portal_drafts import ProcedureProposal, procedure_drafts_propose
from motcua.core.audit import audit
from motcua.core.exceptions import DomainError, ValidationFailed
from motcua.core.outbound import OutboundError
from motcua.core.text import fold
from motcua.dossiers.files import MAX_DOCUMENTS, MAX_UPLOAD_BYTES
from motcua.dossiers.services import Upload
from motcua.identity.national_accounts import applicant_from_national_portal
from motcua.integrations.intake_models import IntakeStatus, NationalCursor, NationalIntake, NationalPull, PullKind
from motcua.integrations.national import intake_client, wire_in
from motcua.integrations.national.codes import national_datetime
from motcua.workflow.services import Application, dossier_submit_online_once

logger = logging.getLogger("motcua.integrations")

DOSSIER_FEED = "dossiers"
SOURCE = "DVCQG"
MAX_PAGES = 20  # per pull: a backlog is taken over several pulls, each bounded in time
MAX_ATTEMPTS = 5  # automatic retries of a failure that may pass by itself (then it waits for a person)
RETRIES_PER_PULL = 50
ACKS_PER_PULL = 100


# --- catalog ---------------------------------------------------------------------------------------------


def _proposal(item: wire_in.PortalProcedure) -> ProcedureProposal:
    return ProcedureProposal(
        code=item.code,
        sector_code=item.sector_code,
        sector_name=item.sector_name,
        version=item.version,
        documents=item.documents,
        fees=item.fees,
        agencies=item.agencies,
    )


def _in_site_language(function: Any) -> Any:
    """Reasons and errors are kept as text for later readers: written in the deployment's language, whoever
    (a worker, an administrator browsing in English) started the pull."""

    @functools.wraps(function)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        with translation.override(settings.LANGUAGE_CODE):
            return function(*args, **kwargs)

    return wrapped


@_in_site_language
def national_catalog_pull(*, actor: Any = None) -> NationalPull:
    """Pull the national portal's procedure catalog: new and changed procedures become draft versions
    for an administrator to review and publish (``catalog.portal_drafts``); unchanged ones write nothing.

    The pull is recorded with what arrived (codes created, changed, pending review, failed with the
    reasons); a portal that cannot be reached is recorded as a failed pull, and nothing else changes.
    """
    pull = NationalPull.objects.create(kind=PullKind.CATALOG, actor=actor, started_at=timezone.now())
    try:
        page = wire_in.parse_page(intake_client.fetch_catalog())
        proposals, failed = [], {}
        for index, raw in enumerate(page.items, start=1):
            try:
                proposals.append(_proposal(wire_in.parse_procedure(raw)))
            except wire_in.WireError as exc:
                code = raw.get(wire_in.PROCEDURE["code"]) if isinstance(raw, dict) else None
                failed[str(code or f"#{index}")] = [str(exc)]
        report = procedure_drafts_propose(actor=actor, proposals=proposals, source=SOURCE)
        failed.update(report.failed)
        pull.counts = {
            "created": len(report.created),
            "changed": len(report.changed),
            "unchanged": report.unchanged,
            "pending": len(report.pending),
            "failed": len(failed),
        }
        pull.details = {
            "created": report.created,
            "changed": report.changed,
            "pending": report.pending,
            "failed": failed,
            "drafts": report.drafts,
        }
        pull.ok = True
    except OutboundError as exc:
        pull.error = _portal_error(exc)
    except wire_in.WireError as exc:
        pull.error = str(exc)
    pull.finished_at = timezone.now()
    pull.save(update_fields=["counts", "details", "ok", "error", "finished_at"])
    return pull


# --- dossiers --------------------------------------------------------------------------------------------


def _reason(exc: DomainError) -> str:
    parts = [str(exc.message)]
    details = exc.details
    if isinstance(details, dict):
        for key, messages in details.items():
            listed = messages if isinstance(messages, list) else [messages]
            parts.append(f"{key}: " + "; ".join(str(m) for m in listed))
    elif isinstance(details, list):
        parts.extend(str(m) for m in details)
    return " — ".join(parts)


def _required_documents(procedure_code: str) -> list[RequiredDocument]:
    return list(
        RequiredDocument.objects.filter(
            version__procedure__code=procedure_code, version__status=VersionStatus.PUBLISHED
        ).order_by("position", "id")
    )


def _match(file: wire_in.PortalFile, documents: list[RequiredDocument]) -> RequiredDocument | None:
    """The required document a file is given for: by the document type code, else by the name."""
    if file.type_code:
        found = next((d for d in documents if d.document_type_code == file.type_code), None)
        if found is not None:
            return found
        return next((d for d in documents if fold(d.name) == fold(file.type_code)), None)
    return None


def _application(portal: wire_in.PortalDossier) -> Application:
    """The dossier as our intake reads it, its files downloaded from the portal (before any transaction:
    no lock is held while the network answers)."""
    if len(portal.files) > MAX_DOCUMENTS:  # refused before anything is downloaded
        raise ValidationFailed(
            details={"documents": [_("Attach at most %(limit)d files.") % {"limit": MAX_DOCUMENTS}]},
            code="too_many_documents",
        )
    documents = _required_documents(portal.procedure_code)
    uploads, conditions_met = [], set()
    for file in portal.files:
        data = intake_client.download(file.url, limit=MAX_UPLOAD_BYTES)
        spec = _match(file, documents)
        uploads.append(
            Upload(
                name=file.name,
                stream=io.BytesIO(data),
                size=len(data),
                required_document_id=spec.pk if spec is not None else None,
            )
        )
        if spec is not None and spec.requirement == Requirement.CONDITIONAL and not spec.condition:
            conditions_met.add(spec.pk)  # a condition stated in words: the citizen gave the paper for it
    return Application(
        procedure_code=portal.procedure_code,
        agency_code=portal.agency_code,
        form_data=portal.form_data,
        uploads=uploads,
        return_method=portal.return_method,
        return_address=portal.return_address,
        case=portal.case,
        conditions_met=conditions_met,
    )


def _portal_error(exc: OutboundError) -> str:
    if exc.retryable:
        return _("The national portal did not answer; tried again at the next pulls. (%(error)s)") % {"error": exc}
    return _("The national portal refused: %(error)s") % {"error": exc}


def _record_failure(code: str, raw: Any, reason: str, *, retryable: bool) -> None:
    now = timezone.now()
    summary = raw if isinstance(raw, dict) else {}
    applicant = summary.get(wire_in.DOSSIER["applicant"]) or {}
    fields = {
        "status": IntakeStatus.FAILED,
        "reason": reason[:2000],
        "retryable": retryable,
        "payload": raw if isinstance(raw, dict) else {"raw": str(raw)[:2000]},
        "procedure_code": str(summary.get(wire_in.DOSSIER["procedure"]) or "")[:40],
        "agency_code": str(summary.get(wire_in.DOSSIER["agency"]) or "")[:40],
        "applicant_name": str(applicant.get(wire_in.APPLICANT["name"]) or "")[:255]
        if isinstance(applicant, dict)
        else "",
    }
    with transaction.atomic():
        intake = NationalIntake.objects.select_for_update().filter(national_code=code).first()
        if intake is None:
            NationalIntake.objects.create(national_code=code, first_seen_at=now, attempts=1, **fields)
        elif intake.status != IntakeStatus.IMPORTED:
            for key, value in fields.items():
                setattr(intake, key, value)
            intake.attempts += 1
            intake.save()


@_in_site_language
def national_dossier_import(*, raw: Any) -> str:
    """Import one dossier of the portal's feed: ``"imported"``, ``"skipped"`` (imported before) or
    ``"failed"`` (recorded with the reason; retried by later pulls when the failure may pass by itself)."""
    code = wire_in.peek_code(raw)
    if not code:
        logger.warning("national portal: a dossier without a code was left out: %.200r", raw)
        return "failed"
    if NationalIntake.objects.filter(national_code=code, status=IntakeStatus.IMPORTED).exists():
        return "skipped"
    try:
        portal = wire_in.parse_dossier(raw)
        application = _application(portal)
        with transaction.atomic():
            # A concurrent pull importing the same failed dossier waits here, then finds it imported.
            intake = NationalIntake.objects.select_for_update().filter(national_code=code).first()
            if intake is not None and intake.status == IntakeStatus.IMPORTED:
                return "skipped"
            applicant = applicant_from_national_portal(
                personal_id=portal.personal_id,
                full_name=portal.applicant_name,
                phone=portal.phone,
                email=portal.email,
                address=portal.address,
            )
            submission = dossier_submit_online_once(
                actor=applicant, application=application, idempotency_key=f"{SOURCE}:{code}"
            )
            now = timezone.now()
            fields = {
                "status": IntakeStatus.IMPORTED,
                "dossier": submission.dossier,
                "reason": "",
                "retryable": False,
                "payload": raw,
                "procedure_code": portal.procedure_code,
                "agency_code": portal.agency_code,
                "applicant_name": portal.applicant_name[:255],
                "imported_at": now,
            }
            if intake is None:
                intake = NationalIntake.objects.create(national_code=code, first_seen_at=now, attempts=1, **fields)
            else:
                for key, value in fields.items():
                    setattr(intake, key, value)
                intake.attempts += 1
                intake.save()
            audit(
                actor=None,
                action="national_dossier_import",
                obj=submission.dossier,
                summary=f"{SOURCE} {code}",
            )
            intake_id = intake.pk
            transaction.on_commit(lambda: _enqueue_ack(intake_id))
    except wire_in.WireError as exc:
        _record_failure(code, raw, str(exc), retryable=False)
        return "failed"
    except DomainError as exc:
        _record_failure(code, raw, _reason(exc), retryable=False)
        return "failed"
    except OutboundError as exc:
        _record_failure(code, raw, _portal_error(exc), retryable=exc.retryable)
        return "failed"
    except IntegrityError:
        # Imported meanwhile by a concurrent pull (the national code and the idempotency key are unique).
        if NationalIntake.objects.filter(national_code=code, status=IntakeStatus.IMPORTED).exists():
            return "skipped"
        raise
    return "imported"


def _enqueue_ack(intake_id: int) -> None:
    from motcua.integrations.tasks import national_intake_ack_task  # tasks import the services

    national_intake_ack_task.enqueue(intake_id=intake_id)


def national_intake_acknowledge(*, intake_id: int) -> bool:
    """Tell the portal that an imported dossier is in the province's queue, once (after the import
    committed). Raises ``OutboundError`` when the portal does not answer: the next pull tries again."""
    intake = NationalIntake.objects.select_related("dossier").get(pk=intake_id)
    if intake.acknowledged_at is not None or intake.dossier is None:
        return False
    intake_client.acknowledge(
        national_code=intake.national_code,
        local_code=intake.dossier.code,
        received_at=national_datetime(intake.dossier.submitted_at),
    )
    NationalIntake.objects.filter(pk=intake_id, acknowledged_at__isnull=True).update(acknowledged_at=timezone.now())
    return True


@_in_site_language
def national_intake_retry(*, actor: Any, intake_id: int) -> str:
    """An administrator imports again a dossier that could not be (e.g. after publishing its procedure)."""
    intake = NationalIntake.objects.get(pk=intake_id)
    outcome = national_dossier_import(raw=intake.payload)
    audit(actor=actor, action="national_intake_retry", obj=intake, summary=outcome)
    return outcome


@_in_site_language
def national_intake_pull(*, actor: Any = None) -> NationalPull:
    """Pull the dossiers submitted on the national portal since the kept cursor, page by page, into the
    competent desks' queues; retry failures that may pass by themselves and acknowledgements not yet
    given. The cursor advances after each page, so a pull stopped half-way resumes where it was."""
    pull = NationalPull.objects.create(kind=PullKind.DOSSIERS, actor=actor, started_at=timezone.now())
    counts = {"imported": 0, "failed": 0, "skipped": 0}
    try:
        retry = NationalIntake.objects.filter(
            status=IntakeStatus.FAILED, retryable=True, attempts__lt=MAX_ATTEMPTS
        ).order_by("first_seen_at")[:RETRIES_PER_PULL]
        for intake in list(retry):
            counts[national_dossier_import(raw=intake.payload)] += 1
        cursor, _created = NationalCursor.objects.get_or_create(name=DOSSIER_FEED)
        for _page in range(MAX_PAGES):
            page = wire_in.parse_page(
                intake_client.fetch_dossiers(cursor=cursor.value, limit=settings.MOTCUA_NATIONAL_INTAKE_PAGE_SIZE)
            )
            for raw in page.items:
                counts[national_dossier_import(raw=raw)] += 1
            if page.cursor and page.cursor != cursor.value:
                cursor.value = page.cursor
                cursor.save(update_fields=["value", "updated_at"])
            if not page.more:
                break
        # Imported by an earlier pull and still not acknowledged (its task failed): try again. Those of
        # this pull have their own task, enqueued when they committed.
        unacknowledged = NationalIntake.objects.filter(
            status=IntakeStatus.IMPORTED, acknowledged_at__isnull=True, imported_at__lt=pull.started_at
        ).values_list("pk", flat=True)[:ACKS_PER_PULL]
        for intake_id in list(unacknowledged):
            try:
                national_intake_acknowledge(intake_id=intake_id)
            except OutboundError as exc:
                logger.warning("national portal: acknowledgement of intake %s failed: %s", intake_id, exc)
        pull.ok = True
    except OutboundError as exc:
        pull.error = _portal_error(exc)
    except wire_in.WireError as exc:
        pull.error = str(exc)
    pull.counts = counts
    pull.finished_at = timezone.now()
    pull.save(update_fields=["counts", "ok", "error", "finished_at"])
    return pull


# --- periodic jobs (core.periodic, registered in apps.py) -------------------------------------------------


def intake_job() -> None:
    if settings.MOTCUA_NATIONAL_INTAKE_ENABLED:
        national_intake_pull(actor=None)


def catalog_job() -> None:
    if settings.MOTCUA_NATIONAL_INTAKE_ENABLED:
        national_catalog_pull(actor=None)
