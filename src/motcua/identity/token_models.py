"""API tokens: kept as a digest only, with an end date, revocable by their owner and by administrators.

A personal token acts as its user. An integrated system's token (a sector system, a provincial portal) is
made by an administrator for the system's own account and carries a scope: the agencies whose dossiers it
may see and act on, the actions it may take, and whether it may submit on behalf of applicants.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.agencies.models import Agency


class TokenKind(models.TextChoices):
    PERSONAL = "personal", _("Personal")
    SYSTEM = "system", _("Integrated system")


class ApiToken(models.Model):
    """One key of one user for the API (``Authorization: Token <key>``). The key itself is shown once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100)
    # SHA-256 of the key: the key is 256 random bits, so a fast digest is enough to make a copy of the
    # database useless for calling the API.
    key_digest = models.CharField(_("key digest"), max_length=64, unique=True, editable=False)
    prefix = models.CharField(_("key prefix"), max_length=12, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    kind = models.CharField(_("kind"), max_length=10, choices=TokenKind.choices, default=TokenKind.PERSONAL)
    # An integrated system's scope (empty for personal tokens, which act with their user's rights).
    agencies = models.ManyToManyField(
        Agency, verbose_name=_("agencies"), blank=True, related_name="+", help_text=_("Integrated systems only.")
    )
    include_subagencies = models.BooleanField(_("including sub-agencies"), default=False)
    actions = models.JSONField(_("actions"), default=list, blank=True)
    on_behalf = models.BooleanField(_("submits on behalf of applicants"), default=False)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_system(self) -> bool:
        return self.kind == TokenKind.SYSTEM

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()
