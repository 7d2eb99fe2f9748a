"""The keys of actions taken through the API with an ``Idempotency-Key`` (``workflow.idempotency``)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.dossiers.models import Dossier, DossierEvent


class ActionKey(models.Model):
    """One action taken once for a caller's key: a repeat with the same request is answered from here."""

    # "<account id>:<the caller's key>" (``workflow.services.idempotency_scope``): one account's key never
    # reaches another's action.
    key = models.CharField(_("idempotency key"), max_length=100, unique=True)
    # SHA-256 of the request (action, dossier, body): the same key with another request is refused.
    fingerprint = models.CharField(_("fingerprint"), max_length=64)
    action = models.CharField(_("action"), max_length=24)
    dossier = models.ForeignKey(Dossier, verbose_name=_("dossier"), on_delete=models.CASCADE, related_name="+")
    # The event the action wrote (a replay writes none).
    event = models.ForeignKey(
        DossierEvent, verbose_name=_("event"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("action idempotency key")
        verbose_name_plural = _("action idempotency keys")

    def __str__(self) -> str:
        return f"{self.action} {self.key}"
