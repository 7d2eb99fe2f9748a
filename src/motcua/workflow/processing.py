"""Processing of received dossiers: the internal process from the desk to the competent unit, its
leader and clerk and back, consultations, stop, financial obligation, result, return and apology.

Rules: Nghị định 118/2025/NĐ-CP (one-stop mechanism: internal process with step times, inter-agency
consultation, stop of processing with reasons, a supplement requested only once, the apology letter and
one reset of the due time for a late dossier, return of results at the desk, by post or electronically);
Thông tư 03/2025/TT-VPCP (the apology letter and process control slip). Every status change goes
through ``workflow.writer.dossier_apply_action``.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.agencies.models import Agency
from motcua.core.exceptions import DomainError, ValidationFailed
from motcua.documents.certification import is_certified_copy_procedure
from motcua.dossiers.models import Consultation, Dossier, DossierDocument, DossierEvent
from motcua.dossiers.processing_models import Decision
from motcua.dossiers.services import StoredFiles, Upload, check_uploads, documents_store
from motcua.identity.models import User
from motcua.signing import Signer
from motcua.workflow.constants import Action, ReturnVia
from motcua.workflow.deadlines import calendar_of
from motcua.workflow.results import (
    PreparedResult,
    next_result_number,
    result_into_store,
    result_issue,
    result_prepare,
    result_record,
    result_sealer,
)
from motcua.workflow.steps import open_consultation_for
from motcua.workflow.writer import Effect, dossier_apply_action

MAX_CONSULTATION_HOURS = Decimal(800)


class CertifyInstead(DomainError):
    code = "certify_instead"
    status = 409
    default_message = gettext_lazy("A certified copy is issued by certifying it, not by approving a result.")


class ConsultationOpen(DomainError):
    code = "consultation_open"
    status = 409
    default_message = gettext_lazy("Wait for every consulted agency to answer before deciding.")


def _with_files(work: Any) -> Any:
    stored = StoredFiles()
    try:
        with transaction.atomic():
            return work(stored)
    except BaseException:
        stored.discard()
        raise


def _attach(uploads: list[Upload], actor: Any, stored: StoredFiles) -> Effect | None:
    """An effect storing ``uploads`` as files of the action's event (checked before anything is written)."""
    if not uploads:
        return None
    checked = check_uploads(uploads)

    def effect(dossier: Dossier, event: DossierEvent) -> None:
        documents = documents_store(
            dossier=dossier, uploads=uploads, checked=checked, required={}, actor=actor, stored=stored
        )
        DossierDocument.objects.filter(pk__in=[d.pk for d in documents]).update(event=event)

    return effect


def dossier_take(*, actor: User, code: str) -> Dossier:
    """A member of the holding unit takes a dossier waiting in the unit's pool."""
    return dossier_apply_action(actor=actor, code=code, action=Action.TAKE)


def dossier_forward(
    *, actor: User, code: str, assignee: User | None = None, note: str = "", draft: Upload | None = None
) -> Dossier:
    """Hand the dossier to the next step of its process, to a chosen person or to the unit's pool.

    A specialist forwarding to the leader may attach the draft result (PDF) that the leader will sign.
    """

    def work(stored: StoredFiles) -> Dossier:
        uploads = [draft] if draft is not None else []
        effect = _attach(uploads, actor, stored)
        return dossier_apply_action(
            actor=actor,
            code=code,
            action=Action.FORWARD,
            note=note,
            assignee=assignee,
            payload={"draft_result": True} if draft is not None else {},
            effect=effect,
        )

    dossier: Dossier = _with_files(work)
    return dossier


def dossier_send_back(*, actor: User, code: str, reason: str) -> Dossier:
    """Return the dossier to the previous step (and the person who held it), with the reason."""
    return dossier_apply_action(actor=actor, code=code, action=Action.SEND_BACK, note=reason)


def _hours(value: Any) -> Decimal:
    try:
        hours = Decimal(str(value))
    except (InvalidOperation, ValueError):
        hours = Decimal(0)
    if not hours.is_finite() or not 0 < hours <= MAX_CONSULTATION_HOURS:
        raise ValidationFailed(
            details={"hours": [_("Give the answer time in working hours (more than 0, at most 800).")]}
        )
    return hours


def dossier_consult(*, actor: User, code: str, agency_codes: list[str], question: str, hours: Any) -> Dossier:
    """Ask other agencies for their opinion in parallel (liên thông); each answers within ``hours``
    working hours from its own inbox. The processing clock keeps running."""
    wanted = sorted({c.strip() for c in agency_codes if c.strip()})
    if not wanted:
        raise ValidationFailed(details={"agencies": [_("Choose at least one agency to consult.")]})
    budget = _hours(hours)
    agencies = list(Agency.objects.filter(code__in=wanted, is_active=True).order_by("code"))
    if len(agencies) != len(wanted):
        unknown = sorted(set(wanted) - {a.code for a in agencies})
        raise ValidationFailed(details={"agencies": [_("Unknown agency: %(codes)s.") % {"codes": ", ".join(unknown)}]})

    def check(dossier: Dossier, at: datetime) -> None:
        if any(a.pk == dossier.competent_agency_id for a in agencies):
            raise ValidationFailed(details={"agencies": [_("An agency does not consult itself.")]})
        pending = set(dossier.consultations.filter(answered_at=None).values_list("agency_id", flat=True))
        if pending & {a.pk for a in agencies}:
            raise ValidationFailed(
                details={"agencies": [_("An agency already has an unanswered question on this dossier.")]}
            )

    def effect(dossier: Dossier, event: DossierEvent) -> None:
        calendar = calendar_of(dossier)
        due = calendar.add_working_time(event.at, timedelta(hours=float(budget)))
        Consultation.objects.bulk_create(
            Consultation(
                dossier=dossier,
                agency=agency,
                question=question.strip(),
                requested_at=event.at,
                requested_by=actor,
                due_at=due,
            )
            for agency in agencies
        )

    return dossier_apply_action(
        actor=actor,
        code=code,
        action=Action.CONSULT,
        note=question,
        payload={"agencies": [a.code for a in agencies], "hours": f"{budget.normalize():f}"},
        check=check,
        effect=effect,
    )


def consultation_answer(*, actor: User, code: str, answer: str, uploads: list[Upload] | None = None) -> Dossier:
    """A consulted agency answers; the answer and its files join the dossier."""
    files = list(uploads or [])

    def work(stored: StoredFiles) -> Dossier:
        attach = _attach(files, actor, stored)

        def effect(dossier: Dossier, event: DossierEvent) -> None:
            consultation = open_consultation_for(actor, dossier)
            assert consultation is not None  # the guard admitted the actor because of it
            Consultation.objects.filter(pk=consultation.pk).update(
                answered_at=event.at, answered_by=actor, answer=answer.strip()
            )
            if attach is not None:
                attach(dossier, event)

        return dossier_apply_action(
            actor=actor, code=code, action=Action.ANSWER_CONSULTATION, note=answer, effect=effect
        )

    dossier: Dossier = _with_files(work)
    return dossier


def dossier_stop(*, actor: User, code: str, reason: str) -> Dossier:
    """Stop processing (Dừng xử lý) when the conditions are not met; the reason is sent to the applicant."""
    return dossier_apply_action(actor=actor, code=code, action=Action.STOP, note=reason)


def dossier_request_payment(*, actor: User, code: str, amount: int, note: str) -> Dossier:
    """Ask the applicant to pay the fees or taxes due; the clock pauses until payment is confirmed."""
    if not isinstance(amount, int) or amount <= 0:
        raise ValidationFailed(details={"amount": [_("Give the amount to pay, in đồng.")]})
    return dossier_apply_action(
        actor=actor, code=code, action=Action.REQUEST_PAYMENT, note=note, payload={"amount": amount}
    )


def dossier_confirm_payment(*, actor: User, code: str, note: str = "") -> Dossier:
    """The payment was received: the clock runs again from where it stopped."""
    return dossier_apply_action(actor=actor, code=code, action=Action.CONFIRM_PAYMENT, note=note)


def _decide(
    *,
    actor: User,
    code: str,
    action: str,
    decision: str,
    note: str,
    assignee: User | None,
    previewed: str | None = None,
) -> Dossier:
    prepared: list[PreparedResult] = []

    def check(dossier: Dossier, at: datetime) -> None:
        if dossier.consultations.filter(answered_at=None).exists():
            raise ConsultationOpen()
        if decision == Decision.GRANTED and is_certified_copy_procedure(dossier.procedure.code):
            raise CertifyInstead()  # the copy is made by ``certification.dossier_certify``
        prepared.append(
            result_prepare(dossier, decision=decision, leader=actor, note=note.strip(), at=at, previewed=previewed)
        )

    def work(stored: StoredFiles) -> Dossier:
        def effect(dossier: Dossier, event: DossierEvent) -> None:
            result_record(dossier, prepared[-1], leader=actor, stored=stored)

        return dossier_apply_action(
            actor=actor, code=code, action=action, note=note, assignee=assignee, check=check, effect=effect
        )

    dossier: Dossier = _with_files(work)
    return dossier


def dossier_approve(
    *, actor: User, code: str, note: str = "", assignee: User | None = None, previewed: str | None = None
) -> Dossier:
    """The leader grants the request: the result is drawn up from the procedure's template (or the
    specialist's upload taken) and signed with the leader's certificate, then goes to the clerk.

    ``previewed`` is the digest of the preview the leader looked at (``results.result_preview``); when
    given, a result that differs from it (the data changed since) is refused with ``preview_outdated``.
    """
    return _decide(
        actor=actor,
        code=code,
        action=Action.APPROVE,
        decision=Decision.GRANTED,
        note=note,
        assignee=assignee,
        previewed=previewed,
    )


def dossier_reject(*, actor: User, code: str, reason: str, assignee: User | None = None) -> Dossier:
    """The leader refuses the request: a signed letter giving the reasons is the result."""
    return _decide(
        actor=actor, code=code, action=Action.REJECT, decision=Decision.REFUSED, note=reason, assignee=assignee
    )


def dossier_issue_result(*, actor: User, code: str) -> Dossier:
    """The clerk numbers, dates and seals the signed result and issues it (Đã xử lý xong); it goes to the
    desk to return.

    Nghị định 30/2020/NĐ-CP: the number and date are written onto the document and the agency's digital
    signature is added after the competent person's, each as an incremental update that keeps it valid.
    """

    sealers: list[Signer | None] = []

    def check(dossier: Dossier, at: datetime) -> None:
        result = getattr(dossier, "result", None)
        if result is None:
            raise ValidationFailed(_("The dossier has no decided result to issue."), code="result_missing")
        # A certified copy was numbered from the certification book and sealed when certified.
        sealers.append(None if result.number else result_sealer(result))  # raises SignerUnavailable

    def work(stored: StoredFiles) -> Dossier:
        def effect(dossier: Dossier, event: DossierEvent) -> None:
            result = dossier.result
            if not result.number:
                number = next_result_number(dossier)
                result_issue(result, number=number, at=event.at, stored=stored, sealer=sealers[-1])
            result.issued_at = event.at
            result.issued_by = actor
            result.save(update_fields=["file", "number", "sha256", "issued_at", "issued_by"])
            result_into_store(result, actor=actor)

        return dossier_apply_action(actor=actor, code=code, action=Action.ISSUE_RESULT, check=check, effect=effect)

    dossier: Dossier = _with_files(work)
    return dossier


def dossier_return_result(*, actor: User, code: str, via: str, note: str = "") -> Dossier:
    """Return the result: at the desk, handed to the public postal service, or delivered electronically."""
    if via not in ReturnVia.values:
        raise ValidationFailed(details={"via": [_("Choose how the result is returned.")]})
    return dossier_apply_action(actor=actor, code=code, action=Action.RETURN_RESULT, note=note, payload={"via": via})


class ApologyTooLate(DomainError):
    code = "apology_too_late"
    status = 409
    default_message = gettext_lazy(
        "An apology letter must be sent at least one working day before the due time (Decree 118/2025/NĐ-CP)."
    )


def apology_deadline(dossier: Dossier, due: datetime | None = None) -> datetime | None:
    """The last instant an apology may be sent: one working day before the due time (``due``, else the
    dossier's), on the dossier's working calendar; None without a due time."""
    due = due or dossier.due_at
    if due is None:
        return None
    calendar = calendar_of(dossier)
    return calendar.subtract_working_time(due, calendar.working_day)


def dossier_apologize(*, actor: User, code: str, reason: str, new_due_at: datetime) -> Dossier:
    """The responsible unit apologises for a dossier that will be late and proposes a new due time.

    Nghị định 118/2025/NĐ-CP: the apology letter is sent at the latest one working day before the due
    time (later ones are refused: ``ApologyTooLate``), and the due time may be reset only once; the
    original due time stays on record for reports.
    """
    if timezone.is_naive(new_due_at):
        raise ValidationFailed(details={"new_due_at": [_("Give the new due time with its time zone.")]})

    def check(dossier: Dossier, at: datetime) -> None:
        original = dossier.due_at  # the due time before this apology
        latest = apology_deadline(dossier, original)
        if original is None or latest is None or new_due_at <= original or new_due_at <= at:
            raise ValidationFailed(
                details={"new_due_at": [_("The new due time must be later than the current one and than now.")]}
            )
        if at > latest:
            raise ApologyTooLate(
                _(
                    "An apology letter must be sent at least one working day before the due time (Decree "
                    "118/2025/NĐ-CP): for a dossier due at %(due)s, by %(latest)s at the latest."
                )
                % {"due": _local_text(original), "latest": _local_text(latest)}
            )

    return dossier_apply_action(
        actor=actor,
        code=code,
        action=Action.APOLOGIZE,
        note=reason,
        new_due_at=new_due_at,
        payload={"new_due_at": new_due_at.isoformat()},
        check=check,
    )


def _local_text(value: datetime) -> str:
    return timezone.localtime(value).strftime("%H:%M %d/%m/%Y")
