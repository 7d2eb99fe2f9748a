"""The wire format of the national portal sync: what a dossier record and a progress event look like on
the portal's side. The format is set by Thông tư 04/2025/TT-VPCP; this module is the ONE place that
knows it (field names, paths, envelope), so that pointing at the real portal's format is an edit here.

Each message is an envelope ``{MaThongDiep, SoThuTu, DuLieu}``: the idempotent message id the portal
deduplicates on, the dossier's sequence number (messages of a dossier are sent in that order) and the
data, whose keys come from ``DOSSIER_FIELDS`` / ``EVENT_FIELDS``. Dates are ``yyyyMMddHHmmss`` in
Asia/Ho_Chi_Minh (``codes.national_datetime``); statuses, channels and applicant types are the national
codes of DOSSIER DOMAIN §5 (``dossiers.constants``).

A message is built from the dossier and the event it belongs to, as the dossier stood right after that
event (the event records the status and due times; dates later than the event are left out), so that a
message built late (a retry, a resend) says what it said when it was queued.
"""

from __future__ import annotations

from typing import Any

from django.utils import translation

from motcua.dossiers.constants import (
    NATIONAL_APPLICANT_TYPE,
    NATIONAL_CHANNEL,
    NATIONAL_STATUS,
    ApplicantType,
    Channel,
    Status,
)
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.integrations.national.codes import national_datetime
from motcua.workflow.constants import Action

# Where each kind of message is posted (relative to MOTCUA_NATIONAL_PORTAL_URL).
PATHS = {"dossier": "/dvc/v1/hoso/dongbo", "event": "/dvc/v1/hoso/tiendo"}

# Headers: the province's client id, the HMAC-SHA-256 (hex) of the body with the shared secret.
CLIENT_HEADER = "X-Client-Id"
SIGNATURE_HEADER = "X-Signature"

# The envelope of every message.
ENVELOPE = {"message_id": "MaThongDiep", "sequence": "SoThuTu", "data": "DuLieu"}

# Our name → the portal's name, for the dossier record (an upsert keyed by the dossier code).
DOSSIER_FIELDS = {
    "code": "MaHoSo",
    "procedure_code": "MaTTHC",
    "procedure_name": "TenTTHC",
    "sector_code": "MaLinhVuc",
    "receiving_agency_code": "MaCoQuanTiepNhan",
    "competent_agency_code": "MaCoQuanXuLy",
    "channel": "KenhThucHien",
    "applicant_type": "LoaiDoiTuong",
    "applicant_name": "ChuHoSo",
    "applicant_id_number": "SoGiayTo",
    "applicant_phone": "SoDienThoai",
    "applicant_email": "Email",
    "applicant_address": "DiaChi",
    "status": "TrangThaiHoSo",
    "submitted_at": "NgayNopHoSo",
    "received_at": "NgayTiepNhan",
    "due_at": "NgayHenTra",
    "finished_at": "NgayKetThucXuLy",
    "closed_at": "NgayTra",
}

# Our name → the portal's name, for a progress event (appended to the dossier's progress log).
EVENT_FIELDS = {
    "code": "MaHoSo",
    "action": "MaThaoTac",
    "action_name": "NoiDungXuLy",
    "status": "TrangThai",
    "at": "ThoiDiemXuLy",
    "actor_name": "NguoiXuLy",
    "agency_code": "DonViXuLy",
    "step": "BuocXuLy",
    "step_due_at": "HanXuLyBuoc",
    "due_at": "NgayHenTra",
    "note": "GhiChu",
}

# What the portal requires (its 400 answer names the missing ones); the fake checks the same.
REQUIRED = {
    "dossier": ("code", "procedure_code", "receiving_agency_code", "channel", "applicant_type", "status"),
    "event": ("code", "action", "status", "at"),
}
DATE_FIELDS = {
    "dossier": ("submitted_at", "received_at", "due_at", "finished_at", "closed_at"),
    "event": ("at", "step_due_at", "due_at"),
}
CODES = {
    "status": set(range(1, 11)),
    "channel": set(NATIONAL_CHANNEL.values()),
    "applicant_type": set(NATIONAL_APPLICANT_TYPE.values()),
}


def changes_record(event: DossierEvent) -> bool:
    """Whether the event changes the portal's record of the dossier (so that an upsert goes before the
    event): a new dossier, a new national status, a new due time (an apology)."""
    if not event.from_status:
        return True
    return NATIONAL_STATUS[Status(event.from_status)] != event.national_status or event.action == Action.APOLOGIZE


# The national statuses from which each date of the record exists (received, result ready, closed).
RECEIVED_STATUSES = frozenset({2, 4, 5, 6, 7, 8, 9, 10})
FINISHED_STATUSES = frozenset({9, 10})
CLOSED_STATUSES = frozenset({7, 8, 10})


def _as_of(value: Any, event: DossierEvent, statuses: frozenset[int]) -> str:
    """A date of the dossier as it stood right after the event: '' when it came later, or when the
    event's status is one before that date exists (a submission and its reception may share a second)."""
    if value is None or value > event.at or event.national_status not in statuses:
        return ""
    return national_datetime(value)


def dossier_data(dossier: Dossier, event: DossierEvent) -> dict[str, Any]:
    """The dossier's record as of ``event`` (``dossier`` with procedure, sector and agencies loaded)."""
    ours = {
        "code": dossier.code,
        "procedure_code": dossier.procedure.code,
        "procedure_name": dossier.procedure.name,
        "sector_code": dossier.procedure.sector.code if dossier.procedure.sector is not None else "",
        "receiving_agency_code": dossier.receiving_agency.code,
        "competent_agency_code": dossier.competent_agency.code,
        "channel": NATIONAL_CHANNEL[Channel(dossier.channel)],
        "applicant_type": NATIONAL_APPLICANT_TYPE[ApplicantType(dossier.applicant_type)],
        "applicant_name": dossier.applicant_name,
        "applicant_id_number": dossier.applicant_id_number,
        "applicant_phone": dossier.applicant_phone,
        "applicant_email": dossier.applicant_email,
        "applicant_address": dossier.applicant_address,
        "status": event.national_status,
        "submitted_at": national_datetime(dossier.submitted_at),
        "received_at": _as_of(dossier.received_at, event, RECEIVED_STATUSES),
        "due_at": national_datetime(event.due_at),
        "finished_at": _as_of(dossier.finished_at, event, FINISHED_STATUSES),
        "closed_at": _as_of(dossier.closed_at, event, CLOSED_STATUSES),
    }
    return {DOSSIER_FIELDS[name]: value for name, value in ours.items()}


def event_data(dossier: Dossier, event: DossierEvent) -> dict[str, Any]:
    """One progress event (``event`` with its actor and holder agency loaded)."""
    actor = event.actor
    if actor is None:
        actor_name = ""
    elif actor.pk == dossier.applicant_id:  # the applicant's own action: their name, not their account
        actor_name = dossier.applicant_name
    else:
        actor_name = actor.get_full_name() or actor.get_username()
    ours = {
        "code": dossier.code,
        "action": event.action,
        "action_name": _action_name(event.action),
        "status": event.national_status,
        "at": national_datetime(event.at),
        "actor_name": actor_name,
        "agency_code": event.holder_agency.code if event.holder_agency is not None else dossier.competent_agency.code,
        "step": event.step or 0,
        "step_due_at": national_datetime(event.step_due_at),
        "due_at": national_datetime(event.due_at),
        "note": event.note,
    }
    return {EVENT_FIELDS[name]: value for name, value in ours.items()}


def _action_name(action: str) -> str:
    """The action's name in Vietnamese, whatever the language of the process sending it."""
    if action not in Action.values:
        return action
    with translation.override("vi"):
        return str(Action(action).label)


def message(*, kind: str, message_id: str, sequence: int, dossier: Dossier, event: DossierEvent) -> dict[str, Any]:
    data = dossier_data(dossier, event) if kind == "dossier" else event_data(dossier, event)
    return {ENVELOPE["message_id"]: message_id, ENVELOPE["sequence"]: sequence, ENVELOPE["data"]: data}


# --- the portal's side (read by the fake; a real portal's checks are its own) ------------------------


def read_envelope(body: Any) -> tuple[str, int, dict[str, Any]]:
    """(message id, sequence, data) of a received message; ValueError if it is not an envelope."""
    if not isinstance(body, dict):
        raise ValueError("not an object")
    message_id, sequence, data = (body.get(ENVELOPE[name]) for name in ("message_id", "sequence", "data"))
    if not isinstance(message_id, str) or not message_id:
        raise ValueError(f"{ENVELOPE['message_id']} missing")
    if not isinstance(sequence, int) or isinstance(sequence, bool) or sequence < 1:
        raise ValueError(f"{ENVELOPE['sequence']} must be a positive integer")
    if not isinstance(data, dict):
        raise ValueError(f"{ENVELOPE['data']} missing")
    return message_id, sequence, data


def problems(kind: str, data: dict[str, Any]) -> list[str]:
    """What is wrong with a message's data, as the portal would answer it (field: reason)."""
    names = DOSSIER_FIELDS if kind == "dossier" else EVENT_FIELDS
    found = []
    for name in REQUIRED[kind]:
        if data.get(names[name]) in (None, ""):
            found.append(f"{names[name]}: required")
    for name, allowed in CODES.items():
        if name in names and names[name] in data and data[names[name]] not in allowed:
            found.append(f"{names[name]}: unknown code {data[names[name]]!r}")
    for name in DATE_FIELDS[kind]:
        value = data.get(names[name], "")
        if value and (not isinstance(value, str) or len(value) != 14 or not value.isdigit()):
            found.append(f"{names[name]}: not yyyyMMddHHmmss")
    return found
