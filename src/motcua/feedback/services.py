"""Receiving, transferring, answering and publishing feedback (phản ánh, kiến nghị; DOMAIN.md §11).

The only writer of ``Feedback.status``. Rules: feedback is received from the portal or entered by staff for a
telephone call, letter, e-mail or visit (Nghị định 20/2008/NĐ-CP on receiving and handling feedback on
administrative regulations); the responsible unit answers within the deadline of its ``AnswerRule`` in
working time (10 working days by default, data), and may publish the answer when the sender agreed.
Every refusal changes nothing.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.agencies.models import Agency
from motcua.catalog.models import Procedure
from motcua.core.audit import audit
from motcua.core.exceptions import PermissionDenied, ValidationFailed
from motcua.core.identifiers import normalize_phone
from motcua.dossiers.models import Dossier
from motcua.feedback.constants import STAFF_CHANNELS, FeedbackChannel, FeedbackStatus, FeedbackSubject
from motcua.feedback.deadlines import answer_due_at, answer_warn_at
from motcua.feedback.exceptions import FeedbackClosed, FeedbackNoConsent, FeedbackNotAnswered
from motcua.feedback.models import Feedback, FeedbackTransfer
from motcua.identity.constants import Role
from motcua.identity.selectors import covers, is_staff_member

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read over the telephone
TITLE_MAX, CONTENT_MAX, ANSWER_MAX = 255, 5000, 10000

# Who handles a unit's feedback, and who decides to publish an answer.
HANDLING_ROLES = (Role.DESK_OFFICER, Role.SPECIALIST, Role.UNIT_LEADER, Role.SUPERVISOR, Role.ADMINISTRATOR)
PUBLISHING_ROLES = (Role.UNIT_LEADER, Role.SUPERVISOR, Role.ADMINISTRATOR)


@dataclass
class FeedbackInput:
    subject: str
    title: str
    content: str
    sender_name: str
    agency: Agency | None = None
    procedure: Procedure | None = None
    dossier: Dossier | None = None
    officer_name: str = ""
    sender_phone: str = ""
    sender_email: str = ""
    sender_address: str = ""
    consent_to_publish: bool = True

    @classmethod
    def from_form(cls, data: dict[str, Any], dossier: Dossier | None) -> FeedbackInput:
        """From a form's cleaned data (portal or back office): the dossier decides the unit when the feedback
        is about one; an officer's name is kept only for feedback about an officer."""
        about_dossier = data["subject"] == FeedbackSubject.DOSSIER
        return cls(
            subject=data["subject"],
            title=data["title"],
            content=data["content"],
            sender_name=data["sender_name"],
            agency=None if about_dossier else data.get("agency"),
            procedure=None if about_dossier else data.get("procedure"),
            dossier=dossier if about_dossier else None,
            officer_name=data.get("officer_name", "") if data["subject"] == FeedbackSubject.OFFICER else "",
            sender_phone=data.get("sender_phone", ""),
            sender_email=data.get("sender_email", ""),
            sender_address=data.get("sender_address", ""),
            consent_to_publish=bool(data.get("consent_to_publish")),
        )


def _new_code() -> str:
    return "PA" + "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))


def _clean(data: FeedbackInput, *, channel: str) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}

    def need(field: str, value: str, limit: int) -> None:
        if not value.strip():
            errors[field] = [_("This field is required.")]
        elif len(value) > limit:
            errors[field] = [_("At most %(limit)s characters.") % {"limit": limit}]

    if data.subject not in FeedbackSubject.values:
        errors["subject"] = [_("Choose what the feedback is about.")]
    need("title", data.title, TITLE_MAX)
    need("content", data.content, CONTENT_MAX)
    need("sender_name", data.sender_name, 255)
    if data.subject == FeedbackSubject.DOSSIER and data.dossier is None:
        errors["dossier"] = [_("Enter the code of the dossier.")]
    if data.subject == FeedbackSubject.PROCEDURE and data.procedure is None:
        errors["procedure"] = [_("Choose the procedure.")]
    if data.dossier is None and data.agency is None:
        errors["agency"] = [_("Choose the unit the feedback is addressed to.")]
    elif data.dossier is None and data.agency is not None and not data.agency.is_active:
        errors["agency"] = [_("This unit no longer receives feedback; choose another.")]
    phone = normalize_phone(data.sender_phone)
    if phone and not (phone.isdigit() and 9 <= len(phone) <= 12):
        errors["sender_phone"] = [_("Enter a telephone number of 9 to 12 digits.")]
    if channel == FeedbackChannel.PORTAL and not phone and not data.sender_email.strip():
        errors["sender_phone"] = [_("Give a telephone number or an e-mail address so that the answer reaches you.")]
    for field in ("officer_name", "sender_address"):
        if len(getattr(data, field)) > 255:
            errors[field] = [_("At most %(limit)s characters.") % {"limit": 255}]
    if "\x00" in data.title + data.content:
        errors["content"] = [_("The text contains a character that cannot be stored.")]
    return errors


@transaction.atomic
def feedback_submit(
    *,
    actor: Any,
    channel: str,
    data: FeedbackInput,
    received_at: datetime | None = None,
    idempotency_key: str | None = None,
) -> Feedback:
    """Record a feedback and assign it to its unit: the dossier's competent agency for feedback about a
    dossier, else the unit the sender chose. The answer is due after the unit's ``AnswerRule`` in working
    time from reception. The public uses the portal channel (signed in or not); staff enter the others, for
    units they work for, with the time the feedback actually arrived (a letter's date of receipt).

    ``idempotency_key`` (the random token of the form) makes a page sent twice one feedback: the second
    send returns the first one, whatever it carries."""
    if idempotency_key and (done := Feedback.objects.filter(form_token=idempotency_key).first()) is not None:
        return done
    staff = is_staff_member(actor)
    if channel == FeedbackChannel.PORTAL and staff:
        raise PermissionDenied(_("Staff enter feedback received by telephone, letter, e-mail or at the desk."))
    if channel != FeedbackChannel.PORTAL and (not staff or channel not in STAFF_CHANNELS):
        raise PermissionDenied()
    errors = _clean(data, channel=channel)
    if errors:
        raise ValidationFailed(_("Some values are not valid."), details=errors)
    agency = data.dossier.competent_agency if data.dossier is not None else data.agency
    assert agency is not None
    if staff and not covers(actor, HANDLING_ROLES, agency):
        raise PermissionDenied(_("You do not work for this unit."))
    now = timezone.now()
    received_at = received_at if staff and received_at is not None else now
    if received_at > now:
        raise ValidationFailed(details={"received_at": [_("The time of receipt cannot be in the future.")]})
    due_at = answer_due_at(received_at, agency)
    fields = {
        "code": _new_code(),
        "channel": channel,
        "subject": data.subject,
        "procedure": data.procedure if data.dossier is None else data.dossier.procedure,
        "dossier": data.dossier,
        "officer_name": data.officer_name.strip(),
        "title": data.title.strip(),
        "content": data.content.strip(),
        "sender": actor if getattr(actor, "is_authenticated", False) and not staff else None,
        "sender_name": data.sender_name.strip(),
        "sender_phone": normalize_phone(data.sender_phone),
        "sender_email": data.sender_email.strip(),
        "sender_address": data.sender_address.strip(),
        "consent_to_publish": data.consent_to_publish,
        "entered_by": actor if staff else None,
        "agency": agency,
        "received_at": received_at,
        "due_at": due_at,
        "warn_at": answer_warn_at(due_at, agency),
        "form_token": idempotency_key or None,
    }
    try:
        with transaction.atomic():  # a savepoint: the same form sent at the same instant loses the race here
            feedback = Feedback.objects.create(**fields)
    except IntegrityError:
        done = Feedback.objects.filter(form_token=idempotency_key).first() if idempotency_key else None
        if done is None:
            raise
        return done
    audit(actor=actor, action="feedback.submit", obj=feedback, summary=feedback.code)
    return feedback


def _locked_open(feedback: Feedback, actor: Any, roles: tuple[str, ...]) -> Feedback:
    locked = Feedback.objects.select_for_update().select_related("agency").get(pk=feedback.pk)
    if not covers(actor, roles, locked.agency):
        raise PermissionDenied(_("This feedback is assigned to another unit."))
    return locked


@transaction.atomic
def feedback_transfer(*, actor: Any, feedback: Feedback, to_agency: Agency, note: str = "") -> Feedback:
    """Pass an open feedback to the unit that must answer it. The deadline stays: the sender waits no longer
    because it went to the wrong unit first."""
    locked = _locked_open(feedback, actor, HANDLING_ROLES)
    if locked.status != FeedbackStatus.OPEN:
        raise FeedbackClosed()
    if not to_agency.is_active:
        raise ValidationFailed(details={"agency": [_("This unit no longer receives feedback; choose another.")]})
    if to_agency.pk == locked.agency_id:
        raise ValidationFailed(details={"agency": [_("The feedback is already assigned to this unit.")]})
    if len(note) > 500:
        raise ValidationFailed(details={"note": [_("At most %(limit)s characters.") % {"limit": 500}]})
    FeedbackTransfer.objects.create(
        feedback=locked, from_agency=locked.agency, to_agency=to_agency, by=actor, at=timezone.now(), note=note
    )
    locked.agency = to_agency
    locked.save(update_fields=["agency", "updated_at"])
    audit(actor=actor, action="feedback.transfer", obj=locked, summary=f"{locked.code} → {to_agency.code}")
    return locked


@transaction.atomic
def feedback_answer(*, actor: Any, feedback: Feedback, answer: str, decline: bool = False) -> Feedback:
    """Answer (or decline, with the reason as the answer) an open feedback of the actor's unit. Once."""
    locked = _locked_open(feedback, actor, HANDLING_ROLES)
    if locked.status != FeedbackStatus.OPEN:
        raise FeedbackClosed()
    text = answer.strip()
    if not text:
        raise ValidationFailed(details={"answer": [_("Write the answer.")]})
    if len(text) > ANSWER_MAX or "\x00" in text:
        raise ValidationFailed(details={"answer": [_("At most %(limit)s characters.") % {"limit": ANSWER_MAX}]})
    locked.status = FeedbackStatus.DECLINED if decline else FeedbackStatus.ANSWERED
    locked.answer = text
    locked.answered_at = timezone.now()
    locked.answered_by = actor
    locked.save(update_fields=["status", "answer", "answered_at", "answered_by", "updated_at"])
    audit(actor=actor, action="feedback.decline" if decline else "feedback.answer", obj=locked, summary=locked.code)
    return locked


@transaction.atomic
def feedback_publish(*, actor: Any, feedback: Feedback, publish: bool = True) -> Feedback:
    """Publish (or withdraw from the portal) an answered feedback whose sender agreed; a leader's decision."""
    locked = _locked_open(feedback, actor, PUBLISHING_ROLES)
    if publish and locked.status != FeedbackStatus.ANSWERED:
        raise FeedbackNotAnswered()
    if publish and not locked.consent_to_publish:
        raise FeedbackNoConsent()
    if publish == (locked.published_at is not None):
        return locked
    locked.published_at = timezone.now() if publish else None
    locked.save(update_fields=["published_at", "updated_at"])
    audit(actor=actor, action="feedback.publish" if publish else "feedback.unpublish", obj=locked, summary=locked.code)
    return locked
