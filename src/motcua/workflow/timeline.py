"""A dossier's event log as people read it: time, action, national status, and the notes meant for them.

Used by the public tracking page, the applicant's own pages and the back office (with every note).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from motcua.dossiers.constants import NationalStatus
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.workflow.constants import Action

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


def supplement_items(dossier: Dossier) -> list[str]:
    """What the last supplement request asked for (``payload["missing"]``)."""
    requests: list[DossierEvent] = [e for e in dossier.events.all() if e.action == Action.REQUEST_SUPPLEMENT]
    if not requests:
        return []
    missing = requests[-1].payload.get("missing", [])
    return [str(item) for item in missing] if isinstance(missing, list) else []
