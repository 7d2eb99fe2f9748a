"""Account writes: registration, accounts made at the desk, staff and their role grants."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.translation import gettext as _

from motcua.agencies.models import Agency
from motcua.core.audit import audit
from motcua.core.exceptions import PermissionDenied, ValidationFailed
from motcua.core.identifiers import normalize_phone, validate_personal_id, validate_phone, validate_tax_code
from motcua.core.site import absolute_url
from motcua.identity.constants import AccountKind, Role, VerificationMethod
from motcua.identity.exceptions import AccountExists, RegistrationRefused
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


def applicant_register(*, data: ApplicantData, kind: str, password: str) -> User:
    """A citizen (by personal ID) or an organisation (by enterprise code) opens an account online.

    The account is unverified: anyone can type any number, so nothing proves that it is the holder's
    until a desk compares the card (``applicant_verify``) or the holder logs in through national-ID login.
    A number or phone that already belongs to an account is refused with one message for all cases
    (``RegistrationRefused``: it does not say which, nor whose), and the owner is told by e-mail.
    """
    if kind not in (AccountKind.CITIZEN, AccountKind.ORGANISATION):
        raise ValidationFailed(details={"kind": [_("Choose citizen or organisation.")]})
    errors = applicant_errors(data, kind)
    if errors:
        raise ValidationFailed(details=errors)
    owners = _owners_of(data, kind)
    if owners:
        from motcua.identity.tasks import registration_attempt_notice_task  # tasks import the services

        for owner_id in owners:
            _side_effect(partial(registration_attempt_notice_task.enqueue, user_id=owner_id))
        raise RegistrationRefused()
    try:
        return _register(data=data, kind=kind, password=password)
    except (AccountExists, IntegrityError):  # taken by a concurrent registration meanwhile
        raise RegistrationRefused() from None
    except ValidationFailed as exc:
        if (exc.details or {}).get("phone") == [str(PHONE_TAKEN_MESSAGE)]:
            raise RegistrationRefused() from None
        raise


def _owners_of(data: ApplicantData, kind: str) -> list[int]:
    """Accounts that already hold the login name or the phone of a registration."""
    taken = Q(username=_login_name(data, kind))
    if key := normalize_phone(data.phone):
        taken |= Q(phone_key=key)
    return list(User.objects.filter(taken).values_list("pk", flat=True)[:2])


@transaction.atomic
def _register(*, data: ApplicantData, kind: str, password: str) -> User:
    user = _create_applicant(data=data, kind=kind, password=password, created_by=None)
    audit(actor=user, action="applicant_register", obj=user, summary=kind)
    return user


def registration_attempt_notify(*, user_id: int) -> None:
    """Tell an account's owner that someone tried to register with their number or phone (by e-mail;
    an account without one is not told)."""
    user = User.objects.filter(pk=user_id, is_active=True).exclude(email="").first()
    if user is None:
        return
    body = render_to_string(
        "identity/registration_attempt_email.txt", {"reset_url": absolute_url(reverse("identity:password-reset"))}
    )
    send_mail(_("An attempt to open an account with your details"), body, None, [user.email])


def password_reset_request(*, email: str) -> None:
    """Someone asks for a password-reset link. The request only queues the mail, for any address: the
    answer is the same, in the same time, whether an account has that address or not."""
    from motcua.identity.tasks import password_reset_mail_task  # tasks import the services

    _side_effect(partial(password_reset_mail_task.enqueue, email=email.strip()))


def _side_effect(enqueue: Callable[[], Any]) -> None:
    """Queue a task as the workflow writer does: at once when the queue is a table of this database (the
    row commits with the caller's transaction), otherwise once committed."""
    if settings.MOTCUA_TASKS_IN_TRANSACTION:
        enqueue()
    else:
        transaction.on_commit(enqueue, robust=True)


def password_reset_send(*, email: str) -> None:
    """Send the reset link to the active accounts with this e-mail (Django's reset form and token); the
    link is built on the site's public address (core.site), never on a request's host."""
    site = urlsplit(settings.SITE_URL)
    form = PasswordResetForm(data={"email": email})
    if form.is_valid():
        form.save(
            domain_override=site.netloc,
            use_https=site.scheme == "https",
            subject_template_name="identity/password_reset_subject.txt",
            email_template_name="identity/password_reset_email.txt",
        )


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
    # The officer opens it with the card in front of them: verified by that officer.
    user.identity_verified_at, user.identity_verified_by = timezone.now(), actor
    user.identity_verification_method = VerificationMethod.DESK
    user.save(
        update_fields=[
            "password",
            "must_change_password",
            "identity_verified_at",
            "identity_verified_by",
            "identity_verification_method",
        ]
    )
    audit(actor=actor, action="applicant_create_at_desk", obj=user, summary=kind)
    return user, password


@transaction.atomic
def applicant_verify(*, actor: User, user: User, card_number: str) -> User:
    """A desk officer checks an account against the applicant's identity card (or, for an organisation,
    its enterprise registration) and marks it verified.

    Anyone can register any number online, so an account is taken to be its holder's only once the card
    was seen: the number read from the card must be the account's login number, and the officer compares
    the name. Verifying again changes nothing.
    """
    if not has_role(actor, [Role.DESK_OFFICER]):
        raise PermissionDenied()
    account = User.objects.select_for_update().filter(pk=user.pk).first()
    if account is None or account.kind not in (AccountKind.CITIZEN, AccountKind.ORGANISATION):
        raise PermissionDenied()
    number = account.personal_id if account.kind == AccountKind.CITIZEN else account.tax_code
    if not number or card_number.strip() != number:
        raise ValidationFailed(
            details={"card_number": [_("The number on the card is not this account's number.")]},
            code="card_mismatch",
        )
    if account.identity_verified_at is not None:
        return account
    account.identity_verified_at, account.identity_verified_by = timezone.now(), actor
    account.identity_verification_method = VerificationMethod.DESK
    account.save(update_fields=["identity_verified_at", "identity_verified_by", "identity_verification_method"])
    audit(actor=actor, action="applicant_verify", obj=account, summary=VerificationMethod.DESK)
    return account


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
