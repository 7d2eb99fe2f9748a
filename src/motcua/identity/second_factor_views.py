"""The second step of a staff login (set up the authenticator at the first login, or type its code), recovery
codes, and the account's API tokens."""

from __future__ import annotations

from typing import Any

import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from motcua.core.exceptions import DomainError
from motcua.core.form_errors import add_domain_errors
from motcua.identity.ratelimit import login_blocked
from motcua.identity.second_factor import (
    SecondFactorRefused,
    authenticator_enrolment_confirm,
    authenticator_enrolment_start,
    authenticator_of,
    is_second_factor_verified,
    needs_second_factor,
    recovery_codes_issue,
    recovery_codes_left,
    second_factor_verify,
    secret_base32,
    session_mark_verified,
)
from motcua.identity.tokens import api_token_create, api_token_revoke, api_token_rotate, token_of, tokens_of


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=20,
        help_text=gettext_lazy("The 6 digits shown by your authenticator app, or one of your recovery codes."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}),
    )


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse("identity:after-login")


def _as_this_account(request: HttpRequest) -> HttpRequest:
    """The request as the login throttle reads it: this account's name stands as the login typed."""
    post = request.POST.copy()
    post["username"] = request.user.get_username()
    request.POST = post  # type: ignore[assignment]
    return request


def _count_failure(request: HttpRequest) -> None:
    """A wrong code counts as a failed login of this account, under the same throttle as the password."""
    login_blocked(_as_this_account(request), count_failure=True)


def _blocked(request: HttpRequest) -> bool:
    return login_blocked(_as_this_account(request))


@login_required
def second_factor(request: HttpRequest) -> HttpResponse:
    """Type the authenticator's code (or a recovery code) after the password."""
    if not needs_second_factor(request.user) or is_second_factor_verified(request.user):
        return redirect(_next_url(request))
    if authenticator_of(request.user) is None:
        return redirect(reverse("identity:second-factor-enrol") + "?" + request.GET.urlencode())
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        if _blocked(request):
            form.add_error(None, _("Too many failed attempts. Wait a few minutes and try again."))
            status = 429
        else:
            try:
                device = second_factor_verify(actor=request.user, code=form.cleaned_data["code"])
            except SecondFactorRefused as exc:
                _count_failure(request)
                form.add_error("code", str(exc.message))
                status = exc.status
            else:
                request.session.cycle_key()
                session_mark_verified(request, device)
                return redirect(_next_url(request))
    elif form.errors:
        status = 400
    context = {"form": form, "next": _next_url(request)}
    return render(request, "identity/second_factor.html", context, status=status)


@login_required
def second_factor_enrol(request: HttpRequest) -> HttpResponse:
    """First login of a staff account: scan the QR code (or type the secret), confirm with one code, keep the
    recovery codes shown once."""
    if not needs_second_factor(request.user) or authenticator_of(request.user) is not None:
        return redirect(reverse("identity:second-factor") + "?" + request.GET.urlencode())
    device = authenticator_enrolment_start(actor=request.user)
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        if _blocked(request):
            form.add_error(None, _("Too many failed attempts. Wait a few minutes and try again."))
            status = 429
        else:
            try:
                device, codes = authenticator_enrolment_confirm(actor=request.user, code=form.cleaned_data["code"])
            except SecondFactorRefused as exc:
                _count_failure(request)
                form.add_error("code", str(exc.message))
                status = exc.status
            else:
                request.session.cycle_key()
                session_mark_verified(request, device)
                return render(
                    request, "identity/recovery_codes.html", {"codes": codes, "next": _next_url(request), "first": True}
                )
    elif form.errors:
        status = 400
    secret = secret_base32(device)
    context: dict[str, Any] = {
        "form": form,
        "next": _next_url(request),
        "qr": segno.make(device.config_url, error="m").svg_data_uri(scale=4),
        "secret_groups": [secret[i : i + 4] for i in range(0, len(secret), 4)],
        "issuer": settings.OTP_TOTP_ISSUER,
    }
    return render(request, "identity/second_factor_enrol.html", context, status=status)


@require_POST
@login_required
def recovery_codes_renew(request: HttpRequest) -> HttpResponse:
    """Ten new recovery codes (the old ones stop working), from a session that passed the second factor."""
    if not is_second_factor_verified(request.user):
        return redirect("identity:second-factor")
    codes = recovery_codes_issue(actor=request.user)
    return render(request, "identity/recovery_codes.html", {"codes": codes, "next": reverse("identity:account")})


def second_factor_context(user: Any) -> dict[str, Any]:
    """What the account page shows about the second factor."""
    if not needs_second_factor(user):
        return {}
    return {"second_factor": {"recovery_left": recovery_codes_left(user)}}


class TokenNameForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=100)


@login_required
def api_tokens(request: HttpRequest) -> HttpResponse:
    """The account's API tokens: make one (its key is shown once), rotate one, revoke one."""
    form = TokenNameForm(request.POST if request.POST.get("action") == "create" else None)
    new_key = ""
    status = 200
    if request.method == "POST":
        proof = {"from_session": True, "second_factor_passed": is_second_factor_verified(request.user)}
        action = request.POST.get("action")
        try:
            if action == "create" and form.is_valid():
                new_key = api_token_create(actor=request.user, name=form.cleaned_data["name"], **proof)[1]
                form = TokenNameForm()
            elif action in ("rotate", "revoke"):
                token = token_of(request.user, int(request.POST.get("token", "0") or 0))
                if action == "rotate":
                    new_key = api_token_rotate(actor=request.user, token=token, **proof)[1]
                else:
                    api_token_revoke(actor=request.user, token=token)
                    messages.success(request, _("The API token has been revoked."))
                    return redirect("identity:api-tokens")
        except DomainError as exc:
            add_domain_errors(form, exc)
        if form.errors:
            status = 400
    context = {"form": form, "tokens": tokens_of(request.user), "new_key": new_key}
    return render(request, "identity/api_tokens.html", context, status=status)
