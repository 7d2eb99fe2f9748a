"""Reconciliation of the online payments recorded here against the provider's statement of a period
(DOMAIN.md §9: callbacks must be verified, idempotent, and reconciled; online payment of administrative
procedures: Nghị định 45/2020/NĐ-CP; the fees collected: Luật Phí và lệ phí 2015, số 97/2015/QH13).

``statement_import`` reads the file, refuses it whole when a line is bad (nothing stored) or when the same
file was imported before (its SHA-256), and stores the statement with one line per statement line and one per
payment recorded here that the statement does not list:

- **matched**: a successful line whose transaction reference is an attempt that succeeded here, same amount
  and currency VND;
- **missing here**: a successful line with no succeeded attempt of the unit (the money arrived, the payment was
  not recorded: a callback lost or refused);
- **amount differs**: the attempt succeeded here for another amount, or the line is not in VND;
- **duplicate**: a successful line whose reference an earlier line of the file already listed;
- **missing in the statement**: an attempt of the unit that succeeded here (completed in the period) with no
  successful line;
- **not paid**: a line the provider lists as unsuccessful (kept, nothing to look at).

Which payments are the unit's: dossiers received by the unit or its sub-agencies (the competent agency's when
no desk received the dossier yet). Nothing here writes a payment's status: a mismatch is for an officer to
look at (``payments.settle`` stays the only writer)."""

from __future__ import annotations

import hashlib
from datetime import date, datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F, Q, QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.agencies.models import Agency
from motcua.core.audit import audit
from motcua.core.exceptions import DomainError, PermissionDenied, ValidationFailed
from motcua.identity.constants import Role
from motcua.identity.selectors import agencies_for, covers
from motcua.payments.constants import AttemptStatus
from motcua.payments.models import PaymentAttempt
from motcua.payments.reconciliation_models import MISMATCHES, LineResult, Statement, StatementLine
from motcua.payments.statement import FORMATS, parse_statement

# Who reconciles: the supervisor of the unit, and its desk officers (they record the cash and transfers).
RECONCILING_ROLES = (Role.SUPERVISOR, Role.DESK_OFFICER)
CURRENCY = "VND"


class StatementAlreadyImported(DomainError):
    code = "statement_already_imported"
    status = 409
    default_message = gettext_lazy("This file was already imported.")


class StatementInvalid(ValidationFailed):
    code = "statement_invalid"
    default_message = gettext_lazy("The statement was not imported: correct these lines and import it again.")


def unit_payments(agency: Agency) -> Q:
    """Attempts of the dossiers received by the unit (or its sub-agencies), or of dossiers not yet received
    whose competent agency is the unit's."""
    received_here = Q(request__dossier__receiving_agency__path__startswith=agency.path)
    not_received = Q(request__dossier__receiving_agency__isnull=True) & Q(
        request__dossier__competent_agency__path__startswith=agency.path
    )
    return received_here | not_received


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    first = timezone.make_aware(datetime.combine(start, datetime.min.time()))
    return first, timezone.make_aware(datetime.combine(end + timedelta(days=1), datetime.min.time()))


def statement_import(
    *,
    actor: Any,
    agency: Agency,
    provider: str,
    period_start: date,
    period_end: date,
    file_name: str,
    content: bytes,
    at: datetime | None = None,
) -> Statement:
    """Import and reconcile one statement (see the module's docstring). Refused, with nothing stored: a user
    who does not reconcile for the unit, an unknown provider, a period that ends before it starts, a file
    imported before, a file with a bad line (every bad line is named)."""
    if not covers(actor, RECONCILING_ROLES, agency):
        raise PermissionDenied()
    if provider not in FORMATS:
        raise ValidationFailed(_("Unknown payment provider."), details={"provider": provider})
    if period_end < period_start:
        raise ValidationFailed(_("The period ends before it starts."))
    checksum = hashlib.sha256(content).hexdigest()
    earlier = Statement.objects.filter(checksum=checksum).first()
    if earlier is not None:
        raise StatementAlreadyImported(
            _("This file was already imported on %(when)s (%(name)s): it was not imported again.")
            % {
                "when": formats.date_format(timezone.localtime(earlier.imported_at), "d/m/Y H:i"),
                "name": earlier.file_name,
            }
        )
    parsed = parse_statement(content, file_name, provider)
    if parsed.errors:
        raise StatementInvalid(details=parsed.errors)
    try:
        return _store(actor, agency, provider, period_start, period_end, file_name, checksum, parsed.lines, at)
    except IntegrityError:  # the same file, imported at the same moment by someone else: the checksum is unique
        raise StatementAlreadyImported() from None


@transaction.atomic
def _store(
    actor: Any,
    agency: Agency,
    provider: str,
    period_start: date,
    period_end: date,
    file_name: str,
    checksum: str,
    parsed_lines: list[Any],
    at: datetime | None,
) -> Statement:
    statement = Statement.objects.create(
        provider=provider,
        agency=agency,
        period_start=period_start,
        period_end=period_end,
        file_name=file_name[:255],
        checksum=checksum,
        imported_by=actor,
        imported_at=at or timezone.now(),
        lines_read=len(parsed_lines),
    )
    attempts = PaymentAttempt.objects.filter(unit_payments(agency), provider=provider)
    by_ref = {
        attempt.transaction_ref: attempt
        for attempt in attempts.filter(transaction_ref__in={line.transaction_ref for line in parsed_lines})
    }
    lines: list[StatementLine] = []
    listed: set[str] = set()
    for line in parsed_lines:
        attempt = by_ref.get(line.transaction_ref)
        if not line.success:
            result = LineResult.NOT_PAID
        elif line.transaction_ref in listed:
            result = LineResult.DUPLICATE
        elif attempt is None or attempt.status != AttemptStatus.SUCCEEDED:
            result = LineResult.MISSING_HERE
        elif line.amount != attempt.amount or line.currency != CURRENCY:
            result = LineResult.AMOUNT_DIFFERS
        else:
            result = LineResult.MATCHED
        if line.success:
            listed.add(line.transaction_ref)
        lines.append(
            StatementLine(
                statement=statement,
                row=line.row,
                transaction_ref=line.transaction_ref,
                provider_transaction=line.provider_transaction,
                amount=line.amount,
                currency=line.currency,
                paid_at=line.paid_at,
                provider_status=line.status,
                attempt=attempt,
                recorded_amount=attempt.amount if attempt is not None else None,
                result=result,
            )
        )
    start, end = _bounds(period_start, period_end)
    unlisted = (
        attempts.filter(status=AttemptStatus.SUCCEEDED, completed_at__gte=start, completed_at__lt=end)
        .exclude(transaction_ref__in=listed)
        .order_by("completed_at", "id")
    )
    for attempt in unlisted:
        lines.append(
            StatementLine(
                statement=statement,
                row=None,
                transaction_ref=attempt.transaction_ref,
                provider_transaction=attempt.provider_transaction,
                paid_at=attempt.completed_at,
                attempt=attempt,
                recorded_amount=attempt.amount,
                result=LineResult.MISSING_IN_STATEMENT,
            )
        )
    StatementLine.objects.bulk_create(lines)
    counts = dict.fromkeys(LineResult.values, 0)
    for item in lines:
        counts[item.result] += 1
    Statement.objects.filter(pk=statement.pk).update(
        matched=counts[LineResult.MATCHED],
        missing_here=counts[LineResult.MISSING_HERE],
        missing_in_statement=counts[LineResult.MISSING_IN_STATEMENT],
        amount_differs=counts[LineResult.AMOUNT_DIFFERS],
        duplicates=counts[LineResult.DUPLICATE],
    )
    statement.refresh_from_db()
    audit(
        actor=actor,
        action="payment.statement_import",
        obj=statement,
        summary=f"{provider} {period_start}–{period_end} {file_name}",
        data={"checksum": checksum, **{key: value for key, value in counts.items() if value}},
    )
    return statement


def statements_visible_to(user: Any) -> QuerySet[Statement]:
    """Statements of the units the user reconciles for (sub-agencies included), newest first."""
    return Statement.objects.filter(agency__in=agencies_for(user, RECONCILING_ROLES)).select_related(
        "agency", "imported_by"
    )


def statement_for(user: Any, pk: int) -> Statement | None:
    return statements_visible_to(user).filter(pk=pk).first()


def statement_mismatches(statement: Statement) -> QuerySet[StatementLine]:
    """What the officer must look at, in the file's order, then the payments the statement lacks; with the
    request and dossier each recorded payment belongs to."""
    return (
        statement.lines.filter(result__in=MISMATCHES)
        .select_related("attempt__request__dossier")
        .order_by(F("row").asc(nulls_last=True), "id")
    )
