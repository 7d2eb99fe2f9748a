"""A dossier's event log as people read it: time, action, national status, and the notes meant for them.

``dossier_timeline`` is the staff's (every step, with every note in the back office);
``citizen_timeline`` is what the applicant and the public tracking page show: only the events that mean
something to the applicant, worded for them, with no internal step (forwarding, taking, consulting,
the leader's decision before it is issued).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext_lazy as _

from motcua.dossiers.constants import NationalStatus
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.workflow.constants import Action, ReturnVia

# Notes written for the applicant: reasons for a refusal, what is missing, why it was withdrawn, stopped
# or delayed, what to pay. Other notes (forwarding, consultations) are internal working notes and stay in
# the back office.
PUBLIC_NOTE_ACTIONS = frozenset(
    {
        Action.REFUSE,
        Action.REQUEST_SUPPLEMENT,
        Action.WITHDRAW,
        Action.STOP,
        Action.REJECT,
        Action.APOLOGIZE,
        Action.REQUEST_PAYMENT,
    }
)


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    action: str
    action_label: str
    status_label: str
    note: str


def _action_label(action: str) -> str:
    return str(Action(action).label) if action in Action.values else action


def _status_label(code: int) -> str:
    return str(NationalStatus(code).label) if code in NationalStatus.values else str(code)


def dossier_timeline(dossier: Dossier, *, all_notes: bool = False) -> list[TimelineEntry]:
    """Events oldest first (reads ``dossier.events.all()``, so a prefetch is used when present)."""
    return [
        TimelineEntry(
            at=event.at,
            action=event.action,
            action_label=_action_label(event.action),
            status_label=_status_label(event.national_status),
            note=event.note if all_notes or event.action in PUBLIC_NOTE_ACTIONS else "",
        )
        for event in dossier.events.all()
    ]


# Citizen wording of the events an applicant sees; an action not listed is internal and left out.
CITIZEN_LABELS = {
    Action.SUBMIT: _("Dossier submitted"),
    Action.RECEIVE: _("Dossier received: processing has started"),
    Action.REFUSE: _("Dossier not accepted by the desk"),
    Action.REQUEST_SUPPLEMENT: _("Please complete the dossier"),
    Action.SUBMIT_SUPPLEMENT: _("Documents sent to complete the dossier"),
    Action.WITHDRAW: _("Dossier withdrawn at the applicant's request"),
    Action.STOP: _("Processing stopped"),
    Action.REQUEST_PAYMENT: _("Fees to pay"),
    Action.CONFIRM_PAYMENT: _("Payment received"),
    Action.APOLOGIZE: _("Apology for the delay and a new date for the result"),
    Action.ISSUE_RESULT: _("The result is ready"),
    Action.RETURN_RESULT: _("Result returned"),
}
REFUSAL_READY = _("The letter refusing the request, with its reasons, is ready")


def _via_label(payload: dict[str, object]) -> str:
    via = str(payload.get("via") or "")
    return str(ReturnVia(via).label) if via in ReturnVia.values else ""


def citizen_timeline(dossier: Dossier) -> list[TimelineEntry]:
    """The applicant's view of the events, oldest first (reads ``dossier.events.all()``).

    A refusal decided by the leader shows once the result is issued, with its reasons; a return says how
    the result was handed over.
    """
    entries = []
    refusal_reasons = ""
    for event in dossier.events.all():
        if event.action == Action.REJECT:
            refusal_reasons = event.note  # told to the applicant when the letter is issued
            continue
        if event.action not in CITIZEN_LABELS:
            continue
        label, note = str(CITIZEN_LABELS[Action(event.action)]), ""
        if event.action in PUBLIC_NOTE_ACTIONS:
            note = event.note
        if event.action == Action.ISSUE_RESULT and refusal_reasons:
            label, note = str(REFUSAL_READY), refusal_reasons
        if event.action == Action.RETURN_RESULT and (via := _via_label(event.payload or {})):
            label = f"{label}: {via}"
        entries.append(
            TimelineEntry(
                at=event.at,
                action=event.action,
                action_label=label,
                status_label=_status_label(event.national_status),
                note=note,
            )
        )
    return entries


def returned_at(dossier: Dossier) -> tuple[datetime, str] | None:
    """When and how the result was handed over ((time, how) of the return event), None until then."""
    for event in reversed(list(dossier.events.all())):
        if event.action == Action.RETURN_RESULT:
            return event.at, _via_label(event.payload or {})
    return None


def supplement_items(dossier: Dossier) -> list[str]:
    """What the last supplement request asked for (``payload["missing"]``)."""
    requests: list[DossierEvent] = [e for e in dossier.events.all() if e.action == Action.REQUEST_SUPPLEMENT]
    if not requests:
        return []
    missing = requests[-1].payload.get("missing", [])
    return [str(item) for item in missing] if isinstance(missing, list) else []
