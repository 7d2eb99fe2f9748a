"""Accounts of citizens, organisations and staff, and staff roles granted on agencies."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.agencies.models import Agency
from motcua.core.identifiers import normalize_phone
from motcua.identity.constants import AccountKind, Role, VerificationMethod

PHONE_TAKEN_MESSAGE = _(
    "This phone number already belongs to another account. Give another number, or find that account."
)


class User(AbstractUser):
    """One login. Citizens log in with their personal ID, organisations with their enterprise code."""

    kind = models.CharField(_("account kind"), max_length=20, choices=AccountKind.choices, default=AccountKind.CITIZEN)
    full_name = models.CharField(_("full name"), max_length=255)
    personal_id = models.CharField(_("personal identification number"), max_length=12, blank=True, db_index=True)
    tax_code = models.CharField(_("enterprise code"), max_length=14, blank=True, db_index=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True, db_index=True)
    # The phone as login reads it (core.identifiers.normalize_phone); unique, so a phone logs in to one
    # account only. NULL when there is no phone (NULLs never collide).
    phone_key = models.CharField(_("normalised phone"), max_length=20, null=True, blank=True, editable=False)
    address = models.CharField(_("address"), max_length=255, blank=True)
    # As the national identity provider gives it at national-ID login (identity.national_login).
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    must_change_password = models.BooleanField(_("must change password"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Anyone can register any number online: an account is its holder's only once someone checked
    # (identity.services.applicant_verify). Empty: unverified.
    identity_verified_at = models.DateTimeField(_("identity verified at"), null=True, blank=True)
    identity_verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("identity verified by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    identity_verification_method = models.CharField(
        _("identity verification method"), max_length=20, choices=VerificationMethod.choices, blank=True
    )

    REQUIRED_FIELDS = ["email", "full_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [models.UniqueConstraint(fields=["phone_key"], name="unique_user_phone")]

    def __str__(self) -> str:
        return self.full_name or self.username

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.phone_key = normalize_phone(self.phone) or None
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "phone" in update_fields:
            kwargs["update_fields"] = {*update_fields, "phone_key"}
        super().save(*args, **kwargs)

    def clean(self) -> None:
        """Admin edits: refuse a phone that logs in to another account (services check the same)."""
        super().clean()
        key = normalize_phone(self.phone)
        if key and User.objects.filter(phone_key=key).exclude(pk=self.pk).exists():
            raise ValidationError({"phone": PHONE_TAKEN_MESSAGE})

    @property
    def identity_verified(self) -> bool:
        return self.identity_verified_at is not None

    @property
    def is_staff_account(self) -> bool:
        return self.kind == AccountKind.STAFF


class RoleGrant(models.Model):
    """A role held on one agency, optionally on all agencies below it."""

    user = models.ForeignKey(User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="grants")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    agency = models.ForeignKey(Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="grants")
    include_subagencies = models.BooleanField(_("including sub-agencies"), default=False)
    granted_at = models.DateTimeField(_("granted at"), auto_now_add=True)
    granted_by = models.ForeignKey(
        User, verbose_name=_("granted by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("role grant")
        verbose_name_plural = _("role grants")
        constraints = [models.UniqueConstraint(fields=["user", "role", "agency"], name="unique_role_grant")]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.agency.code}"


from motcua.identity.token_models import ApiToken  # noqa: E402,F401
