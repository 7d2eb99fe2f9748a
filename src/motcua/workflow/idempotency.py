"""Actions taken once per ``Idempotency-Key``: a repeated request acts only the first time.

A sector system that resends an action (a timeout, a retry after a lost answer) must not take it twice:
forward a dossier twice, issue two results. The key is the caller's (at most 80 characters, scoped to the
account like the submission's, ``services.idempotency_scope``); the request it names is the action, the
dossier and the body (``action_fingerprint``). The key is claimed in the action's own transaction, before
the action runs: a parallel request with the same key waits for it and then gets the first one's answer.
A refused action writes nothing, its key included, so the request may be sent again once the reason is gone.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy

from motcua.core.exceptions import DomainError, NotFound
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.workflow.idempotency_models import ActionKey
from motcua.workflow.services import idempotency_scope


class ActionKeyReused(DomainError):
    code = "idempotency_key_reused"  # the submission's code (``services.IdempotencyKeyReused``)
    status = 409
    default_message = gettext_lazy("This idempotency key was already used for another request.")


@dataclass(frozen=True)
class ActionOutcome:
    dossier: Dossier
    replayed: bool  # True: the action was taken by an earlier request with the same key, not now


def _plain(value: Any) -> Any:
    """A request's value as canonical JSON reads it: files by their SHA-256, people by their username."""
    if isinstance(value, bytes):
        return {"sha256": hashlib.sha256(value).hexdigest()}
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = [_plain(v) for v in value]
        return sorted(items, key=repr) if isinstance(value, set | frozenset) else items
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if hasattr(value, "username"):
        return {"user": value.username}
    return value


def action_fingerprint(*, action: str, code: str, data: dict[str, Any]) -> str:
    """SHA-256 of the request as canonical JSON (sorted keys): what "the same request" means for a key."""
    canonical = {"action": action, "dossier": code, "data": _plain(data)}
    text = json.dumps(canonical, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def _done(scoped: str, fingerprint: str) -> ActionKey | None:
    """The action first taken with this key, when the request is the same; another request is refused."""
    found = ActionKey.objects.select_related("dossier").filter(key=scoped).first()
    if found is not None and found.fingerprint != fingerprint:
        raise ActionKeyReused()
    return found


def dossier_act_once(
    *,
    actor: Any,
    key: str | None,
    action: str,
    code: str,
    data: dict[str, Any],
    run: Callable[[], Dossier],
    record: Callable[[Dossier], Any] | None = None,
) -> ActionOutcome:
    """Take ``action`` on dossier ``code`` by calling ``run`` (a workflow service) once for the caller's
    ``key``, in one transaction with ``record`` (e.g. the integrated system's audit entry).

    Without a key every request acts. With a key: the first request acts and keeps the key; a repeat with
    the same request returns the dossier and acts no more (``replayed``); with another request it is
    refused (409 ``idempotency_key_reused``). Nothing is kept when the action is refused.
    """
    scoped = idempotency_scope(actor, key)
    if scoped is None:
        with transaction.atomic():
            dossier = run()
            if record is not None:
                record(dossier)
        return ActionOutcome(dossier, replayed=False)
    fingerprint = action_fingerprint(action=action, code=code, data=data)
    if (done := _done(scoped, fingerprint)) is not None:
        return ActionOutcome(done.dossier, replayed=True)
    try:
        with transaction.atomic():
            # Claimed first: a parallel request with the key waits here for this transaction, then fails.
            claim = ActionKey.objects.create(
                key=scoped, fingerprint=fingerprint, action=action, dossier=_dossier_of(code)
            )
            dossier = run()
            claim.event = DossierEvent.objects.filter(dossier=dossier, action=action).order_by("-id").first()
            claim.save(update_fields=["event"])
            if record is not None:
                record(dossier)
    except IntegrityError:
        done = _done(scoped, fingerprint)
        if done is None:
            raise
        return ActionOutcome(done.dossier, replayed=True)
    return ActionOutcome(dossier, replayed=False)


def _dossier_of(code: str) -> Dossier:
    dossier = Dossier.objects.filter(code=code).only("pk").first()
    if dossier is None:
        raise NotFound()
    return dossier
