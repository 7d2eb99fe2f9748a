"""The national population database (CSDL quốc gia về dân cư): look up and verify a person by personal ID.

The desk asks for the few fields it needs to open an account and fill a dossier (name, date of birth,
address) and nothing more; whatever else the service sends is dropped here, never stored nor shown. Each
look-up writes one audit row (who, when, which desk or dossier, the masked ID, the outcome); logs carry the
masked ID only (ARCHITECTURE.md §4.8; Luật Bảo vệ dữ liệu cá nhân 2025, Nghị định 13/2023/NĐ-CP: personal
data is processed only as far as the purpose needs).

Wire format (one signed JSON call): ``POST {MOTCUA_POPULATION_URL}/v1/citizens/lookup`` with
``{"personal_id", "purpose", "requested_by"}``, headers ``X-Client-Id``, ``X-Timestamp`` (Unix seconds) and
``X-Signature`` = hex HMAC-SHA-256 of ``"<timestamp>.<body>"`` with ``MOTCUA_POPULATION_SECRET``; the answer
is ``{"personal_id", "full_name", "date_of_birth": "YYYY-MM-DD", "address", ...}`` or HTTP 404.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from motcua.core.audit import audit
from motcua.core.exceptions import ValidationFailed
from motcua.core.identifiers import PERSONAL_ID, mask
from motcua.core.outbound import OutboundError, call_json, canonical_json, hmac_sha256

logger = logging.getLogger("motcua.integrations.population")

LOOKUP_PATH = "/v1/citizens/lookup"
AUDIT_ACTION = "population_lookup"


class Outcome:
    FOUND = "found"
    NOT_FOUND = "not_found"
    UNAVAILABLE = "unavailable"  # down, late, refused our signature: the officer types by hand


@dataclass(frozen=True)
class PersonRecord:
    """Only what the desk needs: the rest of the population record never enters motcua."""

    personal_id: str
    full_name: str
    date_of_birth: date | None
    address: str


@dataclass(frozen=True)
class LookupResult:
    outcome: str
    person: PersonRecord | None = None

    @property
    def message(self) -> str:
        if self.outcome == Outcome.FOUND:
            return str(_("Found in the population database: check the name and the date of birth against the card."))
        if self.outcome == Outcome.NOT_FOUND:
            return str(_("The population database has no person with this personal ID: type the details by hand."))
        return str(
            _("The population database cannot be reached at the moment: type the details from the card by hand.")
        )


def signed_headers(secret: str, client_id: str, body: bytes, timestamp: int | None = None) -> dict[str, str]:
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    return {
        "X-Client-Id": client_id,
        "X-Timestamp": stamp,
        "X-Signature": hmac_sha256(secret, stamp.encode() + b"." + body),
    }


def _parsed_date(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def fetch_person(personal_id: str, *, requested_by: str, purpose: str = "one_stop_reception") -> PersonRecord | None:
    """The adapter: the person's minimal record, None when the database has nobody with this ID.

    Raises ``OutboundError`` when the service cannot answer (network, timeout, 5xx, refused signature)."""
    payload = {"personal_id": personal_id, "purpose": purpose, "requested_by": requested_by}
    body = canonical_json(payload)
    headers = signed_headers(settings.MOTCUA_POPULATION_SECRET, settings.MOTCUA_POPULATION_CLIENT_ID, body)
    try:
        answer = call_json(
            "POST",
            settings.MOTCUA_POPULATION_URL + LOOKUP_PATH,
            body=body,
            headers=headers,
            timeout=settings.MOTCUA_OUTBOUND_TIMEOUT_SECONDS,
        )
    except OutboundError as exc:
        if exc.http_status == 404:
            return None
        raise
    if not isinstance(answer, dict) or answer.get("personal_id") != personal_id:
        raise OutboundError("population database: unexpected answer", retryable=True)
    return PersonRecord(
        personal_id=personal_id,
        full_name=str(answer.get("full_name") or "").strip(),
        date_of_birth=_parsed_date(answer.get("date_of_birth")),
        address=str(answer.get("address") or "").strip(),
    )


def population_record_lookup(
    *, actor: Any, personal_id: str, desk_code: str = "", dossier_code: str = ""
) -> LookupResult:
    """A desk officer looks a person up by personal ID; the look-up is audited whatever its outcome.

    The ID must have the structure of a personal identification number (12 digits, DOMAIN.md §3):
    anything else is refused before any call and leaves no trace. The audit row and the log hold the
    masked ID, the desk or dossier and the outcome, never the record itself (Nghị định 13/2023/NĐ-CP).
    """
    personal_id = (personal_id or "").strip()
    if not PERSONAL_ID.match(personal_id):
        raise ValidationFailed(
            details={"personal_id": [_("A personal identification number has 12 digits.")]},
            code="personal_id_invalid",
        )
    try:
        person = fetch_person(personal_id, requested_by=desk_code or dossier_code)
    except OutboundError as exc:
        result = LookupResult(Outcome.UNAVAILABLE)
        error = str(exc)
    else:
        result = LookupResult(Outcome.FOUND if person else Outcome.NOT_FOUND, person)
        error = ""
    masked = mask(personal_id)
    audit(
        actor=actor,
        action=AUDIT_ACTION,
        object_type="population.Person",
        object_id=masked,
        summary=f"{masked}: {result.outcome}",
        data={"personal_id": masked, "outcome": result.outcome, "desk": desk_code, "dossier": dossier_code},
    )
    logger.info(
        "population look-up %s by user %s at %s: %s%s",
        masked,
        getattr(actor, "pk", None),
        desk_code or dossier_code or "-",
        result.outcome,
        f" ({error})" if error else "",
    )
    return result
