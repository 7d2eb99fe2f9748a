"""Account writes: registration, accounts made at the desk, staff and their role grants."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils.crypto import get_random_string
from django.utils.translation import gettext as _

from motcua.agencies.models import Agency
from motcua.core.audit import audit
from motcua.core.exceptions import PermissionDenied, ValidationFailed
from motcua.core.identifiers import normalize_phone, validate_personal_id, validate_phone, validate_tax_code
from motcua.identity.constants import AccountKind, Role
from motcua.identity.exceptions import AccountExists
from motcua.identity.models import PHONE_TAKEN_MESSAGE, RoleGrant, User
from motcua.identity.selectors import has_role, phone_taken

# Letters and digits that cannot be confused when read aloud or copied from a slip.
_HANDOVER_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


@dataclass(frozen=True)
class ApplicantData:
    full_name: str
    phone: str
    email: str = ""
    address: str = ""
    personal_id: str = ""
    tax_code: str = ""


def applicant_errors(data: ApplicantData, kind: str) -> dict[str, list[str]]:
    """Field errors for a citizen or organisation account; shared by forms, API and services."""
    errors: dict[str, list[str]] = {}

    def check(field: str, validator: Any, value: str) -> None:
        try:
            validator(value)
        except ValidationError as exc:
            errors.setdefault(field, []).extend(str(m) for m in exc.messages)

    if not data.full_name.strip():
        errors["full_name"] = [_("This field is required.")]
    if kind == AccountKind.CITIZEN:
        check("personal_id", validate_personal_id, data.personal_id)
    else:
        check("tax_code", validate_tax_code, data.tax_code)
    check("phone", validate_phone, data.phone)
    if data.email:
        check("email", validate_email, data.email)
    return errors


def _login_name(data: ApplicantData, kind: str) -> str:
    return data.personal_id if kind == AccountKind.CITIZEN else data.tax_code


def _create_applicant(*, data: ApplicantData, kind: str, password: str | None, created_by: User | None) -> User:
    errors = applicant_errors(data, kind)
    if errors:
        raise ValidationFailed(details=errors)
    username = _login_name(data, kind)
    if User.objects.filter(username=username).exists():
        raise AccountExists()
    _check_phone_free(data.phone, exclude=None)
    user = User(
        username=username,
        kind=kind,
        full_name=data.full_name.strip(),
        personal_id=data.personal_id,
        tax_code=data.tax_code,
        phone=normalize_phone(data.phone),
        email=data.email.strip(),
        address=data.address.strip(),
        created_by=created_by,
    )
    if password is not None:
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise ValidationFailed(details={"password": list(exc.messages)}) from exc
        user.set_password(password)
    _save_account(user)
    return user


def _check_phone_free(phone: str, *, exclude: int | None) -> None:
    """A phone logs in to one account only (identity.backends): refuse one that already belongs to another
    account (``exclude``: the account being edited)."""
    if phone_taken(phone, exclude=exclude):
        raise ValidationFailed(details={"phone": [str(PHONE_TAKEN_MESSAGE)]})


def _save_account(user: User, **kwargs: Any) -> None:
    """Save, turning a phone taken meanwhile by a concurrent request (the unique key) into the field error."""
    try:
        with transaction.atomic():
            user.save(**kwargs)
    except IntegrityError:
        if phone_taken(user.phone, exclude=user.pk):
            raise ValidationFailed(details={"phone": [str(PHONE_TAKEN_MESSAGE)]}) from None
        raise


@transaction.atomic
def applicant_register(*, data: ApplicantData, kind: str, password: str) -> User:
    """A citizen (by personal ID) or an organisation (by enterprise code) opens an account online."""
    if kind not in (AccountKind.CITIZEN, AccountKind.ORGANISATION):
        raise ValidationFailed(details={"kind": [_("Choose citizen or organisation.")]})
    user = _create_applicant(data=data, kind=kind, password=password, created_by=None)
    audit(actor=user, action="applicant_register", obj=user, summary=kind)
    return user


@transaction.atomic
def applicant_create_at_desk(*, actor: User, data: ApplicantData, kind: str = AccountKind.CITIZEN) -> tuple[User, str]:
    """A desk officer opens an account for a walk-in applicant and hands over a one-time password.

    The provincial plans ask desks to create accounts for people who come in person, so that their
    dossiers can be followed and their documents reused online. The password must be changed at
    first login.
    """
    if not has_role(actor, [Role.DESK_OFFICER]):
        raise PermissionDenied()
    password = get_random_string(10, _HANDOVER_ALPHABET)
    user = _create_applicant(data=data, kind=kind, password=None, created_by=actor)
    user.set_password(password)
    user.must_change_password = True
    user.save(update_fields=["password", "must_change_password"])
    audit(actor=actor, action="applicant_create_at_desk", obj=user, summary=kind)
    return user, password


@transaction.atomic
def account_contact_update(*, actor: User, phone: str, email: str, address: str) -> User:
    """A citizen or organisation changes the contact details of their own account.

    The phone is a login name too, so the same rule as at registration applies: one account per phone.
    """
    if actor.kind not in (AccountKind.CITIZEN, AccountKind.ORGANISATION):
        raise PermissionDenied()
    data = ApplicantData(
        full_name=actor.full_name,
        phone=phone,
        email=email,
        address=address,
        personal_id=actor.personal_id,
        tax_code=actor.tax_code,
    )
    errors = {f: m for f, m in applicant_errors(data, actor.kind).items() if f in CONTACT_FIELDS}
    if errors:
        raise ValidationFailed(details=errors)
    _check_phone_free(phone, exclude=actor.pk)
    account = User.objects.get(pk=actor.pk)  # the request's user object stays as it was if this is refused
    account.phone, account.email, account.address = normalize_phone(phone), email.strip(), address.strip()
    _save_account(account, update_fields=["phone", "email", "address"])
    audit(actor=actor, action="account_contact_update", obj=account)
    return account


CONTACT_FIELDS = ("phone", "email", "address")


@transaction.atomic
def password_changed(*, user: User) -> None:
    """Record that the user chose their own password (clears the desk's one-time password flag)."""
    if user.must_change_password:
        user.must_change_password = False
        user.save(update_fields=["must_change_password"])
    audit(actor=user, action="password_change", obj=user)


@transaction.atomic
def staff_create(
    *, actor: User | None, username: str, full_name: str, email: str, password: str, is_superuser: bool = False
) -> User:
    user = User(
        username=username,
        kind=AccountKind.STAFF,
        full_name=full_name,
        email=email,
        is_staff=is_superuser,
        is_superuser=is_superuser,
    )
    user.set_password(password)
    user.save()
    audit(actor=actor, action="staff_create", obj=user)
    return user


@transaction.atomic
def role_grant(
    *, actor: User | None, user: User, role: str, agency: Agency, include_subagencies: bool = False
) -> RoleGrant:
    """Give a staff member a role on an agency (and, optionally, every agency below it)."""
    if user.kind != AccountKind.STAFF:
        raise ValidationFailed(_("Roles are given to staff accounts only."), code="not_staff")
    if role not in Role.values:
        raise ValidationFailed(details={"role": [_("Unknown role.")]})
    grant, _created = RoleGrant.objects.update_or_create(
        user=user, role=role, agency=agency, defaults={"include_subagencies": include_subagencies, "granted_by": actor}
    )
    if role == Role.ADMINISTRATOR and not user.is_staff:
        user.is_staff = True  # administrators use Django admin for agencies and the catalog
        user.save(update_fields=["is_staff"])
    audit(actor=actor, action="role_grant", obj=grant, summary=f"{user.username} {role} {agency.code}")
    return grant
