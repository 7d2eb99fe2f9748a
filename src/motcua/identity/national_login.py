"""National-ID login: a citizen logs in with their national electronic identity (VNeID) over OpenID Connect.

The protocol is mozilla-django-oidc's (authorisation code flow with PKCE S256, ``state`` and ``nonce`` kept in
the session and checked, the ID token's RS256 signature checked against the provider's JWKS); this module
adds what the library leaves to its user: the ID token's issuer, audience and expiry, the claims read with
the provider's own name for the personal identification number, and the one write, ``national_login``,
which finds or opens the citizen's account by personal ID and marks its identity verified.

Settings (settings.py, "National identity (VNeID) login"): ``OIDC_RP_CLIENT_ID``, ``OIDC_RP_CLIENT_SECRET``,
``OIDC_OP_*_ENDPOINT``, ``MOTCUA_NATIONAL_ID_ISSUER``, ``MOTCUA_NATIONAL_ID_PERSONAL_ID_CLAIM``,
``MOTCUA_NATIONAL_ID_END_SESSION_URL``, ``MOTCUA_NATIONAL_ID_LOGIN_ENABLED``. The local fake provider is
``identity.fake_oidc``.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlencode

import jwt
from django.conf import settings
from django.core.exceptions import SuspiciousOperation, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.dateparse import parse_date
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from motcua.core.audit import audit
from motcua.core.identifiers import normalize_phone, personal_id_problem, validate_phone
from motcua.identity.constants import AccountKind, VerificationMethod
from motcua.identity.exceptions import (
    NationalIdAccountAmbiguous,
    NationalIdAccountInactive,
    NationalIdClaimMissing,
    NationalIdStaffRefused,
)
from motcua.identity.models import User
from motcua.identity.selectors import phone_taken

logger = logging.getLogger("motcua.identity.national_login")

ID_TOKEN_LEEWAY_SECONDS = 60  # clocks of two servers differ a little
SESSION_ID_TOKEN = "oidc_id_token"  # where mozilla-django-oidc keeps it (OIDC_STORE_ID_TOKEN)


@dataclass(frozen=True)
class NationalIdentity:
    """What the national identity provider says about the person who logged in."""

    subject: str  # the provider's ``sub``
    personal_id: str
    full_name: str
    birth_date: date | None = None
    phone: str = ""
    email: str = ""


def national_identity_from_claims(claims: Mapping[str, Any]) -> NationalIdentity:
    """Read the claims (the ID token's, completed by userinfo's). The personal ID (under the provider's own
    claim name, ``MOTCUA_NATIONAL_ID_PERSONAL_ID_CLAIM``) and the full name are required; a date of birth,
    phone or e-mail that is absent or malformed is left empty rather than refusing the login."""
    claim = settings.MOTCUA_NATIONAL_ID_PERSONAL_ID_CLAIM
    personal_id = str(claims.get(claim) or "").strip()
    full_name = " ".join(str(claims.get("name") or "").split())
    subject = str(claims.get("sub") or "").strip()
    missing = [name for name, value in ((claim, personal_id), ("name", full_name), ("sub", subject)) if not value]
    if personal_id and personal_id_problem(personal_id) is not None:
        missing.append(claim)
    if missing:
        raise NationalIdClaimMissing(details={"claims": missing})
    try:
        birth_date = parse_date(str(claims.get("birthdate") or ""))
    except ValueError:
        birth_date = None
    phone = normalize_phone(str(claims.get("phone_number") or ""))
    try:
        validate_phone(phone)
    except ValidationError:
        phone = ""
    email = str(claims.get("email") or "").strip()
    try:
        validate_email(email)
    except ValidationError:
        email = ""
    return NationalIdentity(
        subject=subject,
        personal_id=personal_id,
        full_name=full_name[:255],
        birth_date=birth_date,
        phone=phone,
        email=email[:254],
    )


def national_login(*, identity: NationalIdentity) -> User:
    """Log a citizen in with their national electronic identity: their account, or a new one, verified.

    The personal identification number is the person (Luật Căn cước 2023, art. 12), and a VNeID login is an
    electronic identification of its holder (Nghị định 69/2024/NĐ-CP): so an account that carries that
    number is the same person's and is linked, never doubled, and the account is marked verified by
    national identity (``VerificationMethod.NATIONAL_ID_LOGIN``), as a desk's card check would. A staff
    account is never logged in this way (staff use their login name, password and second factor).

    An online account nobody had verified may have been opened by someone else with this number: when its
    holder proves who they are here, it becomes theirs alone: its password (known to whoever opened it) is
    made unusable, which also ends that password's sessions, and its phone and e-mail become the provider's.
    A one-time password handed over at a desk is void too. The holder keeps logging in with VNeID, or sets a
    password on their account page (no old password asked: identity.views.PasswordChangeView).
    """
    for attempt in (1, 2):
        try:
            with transaction.atomic():
                return _national_login(identity)
        except IntegrityError:  # a concurrent first login opened the account meanwhile: it is found now
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def _national_login(identity: NationalIdentity) -> User:
    pid = identity.personal_id
    accounts = list(User.objects.select_for_update().filter(Q(username=pid) | Q(personal_id=pid)).order_by("pk"))
    if any(account.kind != AccountKind.CITIZEN for account in accounts):
        raise NationalIdStaffRefused()
    exact = [account for account in accounts if account.username == pid]
    if len(accounts) > 1 and not exact:
        raise NationalIdAccountAmbiguous()
    account = exact[0] if exact else (accounts[0] if accounts else None)
    if account is None:
        return _open_account(identity)
    if not account.is_active:
        raise NationalIdAccountInactive()
    return _link_account(account, identity)


def _free_phone(phone: str, *, exclude: int | None) -> str:
    """A phone logs in to one account only: the provider's phone is kept only if no other account has it."""
    return phone if phone and not phone_taken(phone, exclude=exclude) else ""


def _open_account(identity: NationalIdentity) -> User:
    now = timezone.now()
    user = User(
        username=identity.personal_id,
        kind=AccountKind.CITIZEN,
        full_name=identity.full_name,
        personal_id=identity.personal_id,
        birth_date=identity.birth_date,
        phone=_free_phone(identity.phone, exclude=None),
        email=identity.email,
        identity_verified_at=now,
        identity_verification_method=VerificationMethod.NATIONAL_ID_LOGIN,
    )
    user.set_unusable_password()  # VNeID is the way in; the account page lets its holder set a password
    user.save()
    audit(
        actor=user,
        action="national_login_create",
        obj=user,
        summary="verified by national identity (VNeID)",
        data={"method": VerificationMethod.NATIONAL_ID_LOGIN, "subject": identity.subject},
    )
    return user


def _link_account(account: User, identity: NationalIdentity) -> User:
    changed: list[str] = []
    data: dict[str, Any] = {"subject": identity.subject}
    if account.identity_verified_at is None:
        # Taken over by the proven holder (see national_login's docstring).
        account.identity_verified_at, account.identity_verified_by = timezone.now(), None
        account.identity_verification_method = VerificationMethod.NATIONAL_ID_LOGIN
        account.full_name = identity.full_name
        account.phone = _free_phone(identity.phone, exclude=account.pk)
        account.email = identity.email
        account.set_unusable_password()
        changed += ["identity_verified_at", "identity_verified_by", "identity_verification_method"]
        changed += ["full_name", "phone", "email", "password"]
        data |= {"method": VerificationMethod.NATIONAL_ID_LOGIN, "password_cleared": True}
    if account.must_change_password:  # the desk's one-time password is void once the holder is proven
        account.must_change_password = False
        account.set_unusable_password()
        changed += ["must_change_password", "password"]
        data["password_cleared"] = True
    if identity.birth_date and account.birth_date != identity.birth_date:
        account.birth_date = identity.birth_date
        changed.append("birth_date")
    if changed:
        account.save(update_fields=sorted(set(changed)))
    verified_now = "identity_verified_at" in changed
    audit(
        actor=account,
        action="national_login_link" if verified_now else "national_login",
        obj=account,
        summary="verified by national identity (VNeID)" if verified_now else "logged in with national identity",
        data=data,
    )
    return account


# --- the OpenID Connect relying party ------------------------------------------------------------------


class NationalIdBackend(OIDCAuthenticationBackend):
    """mozilla-django-oidc's backend, narrowed to the callback of national-ID login and made strict about
    the ID token; the account is ``national_login``'s. Errors of the provider or of its tokens raise
    ``SuspiciousOperation`` or ``requests.RequestException``; refused claims raise ``NationalLoginRefused``
    (the callback view tells the person which, in Vietnamese)."""

    def authenticate(self, request: HttpRequest | None, **kwargs: Any) -> User | None:  # type: ignore[override]
        # Only the callback passes a nonce: a password login never reaches the provider, even with ?code=.
        if request is None or "nonce" not in kwargs or not settings.MOTCUA_NATIONAL_ID_LOGIN_ENABLED:
            return None
        return super().authenticate(request, **kwargs)  # type: ignore[no-any-return]

    def _verify_jws(self, payload: str, key: Any) -> dict[str, Any]:
        """Signature and algorithm (as the library), and also the issuer, the audience (this client) and the
        expiry, which the library does not check (OIDC Core 3.1.3.7)."""
        header = jwt.get_unverified_header(payload)
        if header.get("alg") != self.OIDC_RP_SIGN_ALGO:
            raise SuspiciousOperation(f"ID token signed with {header.get('alg')!r}, not {self.OIDC_RP_SIGN_ALGO}")
        try:
            return jwt.decode(  # type: ignore[no-any-return]
                payload,
                key,
                algorithms=[self.OIDC_RP_SIGN_ALGO],
                audience=self.OIDC_RP_CLIENT_ID,
                issuer=settings.MOTCUA_NATIONAL_ID_ISSUER,
                leeway=ID_TOKEN_LEEWAY_SECONDS,
                options={"require": ["iss", "aud", "exp", "iat", "sub"]},
            )
        except jwt.InvalidTokenError as exc:
            raise SuspiciousOperation(f"ID token refused: {type(exc).__name__}: {exc}") from exc

    def get_or_create_user(self, access_token: str, id_token: str, payload: dict[str, Any]) -> User:
        userinfo = self.get_userinfo(access_token, id_token, payload) or {}
        if userinfo.get("sub") != payload.get("sub"):  # OIDC Core 5.3.2: else the answer is someone else's
            raise SuspiciousOperation("userinfo is about another subject than the ID token")
        claims = {**userinfo, **payload}  # the signed ID token wins over userinfo
        return national_login(identity=national_identity_from_claims(claims))


def end_session_url(request: HttpRequest, *, next_url: str) -> str:
    """Where to send the browser so that the provider ends its session too (OpenID Connect RP-initiated
    logout), or "" when this session did not come from national-ID login or no end-session URL is set."""
    id_token = request.session.get(SESSION_ID_TOKEN)
    endpoint = settings.MOTCUA_NATIONAL_ID_END_SESSION_URL
    if not id_token or not endpoint:
        return ""
    query = {
        "id_token_hint": id_token,
        "client_id": settings.OIDC_RP_CLIENT_ID,
        "post_logout_redirect_uri": request.build_absolute_uri(next_url),
    }
    return f"{endpoint}?{urlencode(query)}"
