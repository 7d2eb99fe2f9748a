"""The pages of national-ID login: the start (off to the provider), the callback, and logout that also ends
the provider's session. The protocol is mozilla-django-oidc's; what this adds is a clear Vietnamese message
for each way a login can fail, each of which writes nothing."""

from __future__ import annotations

import logging
from typing import Any

import jwt
import requests
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render, resolve_url
from django.urls import reverse
from django.utils.translation import gettext as _
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from motcua.identity.exceptions import NationalLoginRefused
from motcua.identity.national_login import end_session_url

logger = logging.getLogger("motcua.identity.national_login")


def _enabled() -> None:
    if not settings.MOTCUA_NATIONAL_ID_LOGIN_ENABLED:
        raise Http404()


class NationalLoginStartView(OIDCAuthenticationRequestView):
    """GET /dang-nhap/vneid/?next=…: a new state, nonce and PKCE verifier in the session, then off to the
    provider's authorisation page (a link, not a form: the page's CSP allows forms to post here only)."""

    def get(self, request: HttpRequest) -> HttpResponse:
        _enabled()
        return super().get(request)  # type: ignore[no-any-return]


class NationalLoginCallbackView(OIDCAuthenticationCallbackView):
    """GET /dang-nhap/vneid/ket-qua/?code=…&state=… (or ?error=…): the provider sends the browser back."""

    def get(self, request: HttpRequest) -> HttpResponse:
        _enabled()
        if request.GET.get("error"):
            super().get(request)  # forgets the state (no replay) and logs out whoever was logged in
            logger.info("national login: the provider answered %s", request.GET.get("error", "")[:50])
            return self._failed(
                _(
                    "The national identity service did not confirm your identity, or you cancelled. Nothing was "
                    "changed. Try again, or log in with your password."
                )
            )
        state = request.GET.get("state", "")
        if not request.GET.get("code") or state not in (request.session.get("oidc_states") or {}):
            logger.warning("national login: a callback whose state this session did not start")
            return self._failed(
                _(
                    "This login answer does not belong to a login started on this page (it may be old, used "
                    "already, or opened in another browser). Nothing was changed. Start again with the VNeID button."
                )
            )
        try:
            response: HttpResponse = super().get(request)
        except NationalLoginRefused as exc:
            logger.info("national login refused: %s", exc.code)
            return self._failed(str(exc.message))
        except (SuspiciousOperation, jwt.PyJWTError, requests.RequestException, ValueError, KeyError) as exc:
            logger.warning("national login: the provider's answer was refused: %s", exc)
            return self._failed(self._provider_failed())
        if getattr(self, "user", None) is None:  # the library logs the refusals it catches itself and gives none
            return self._failed(self._provider_failed())
        return response

    @staticmethod
    def _provider_failed() -> str:
        return _(
            "The national identity service could not be reached, or its answer could not be checked. Nothing "
            "was changed. Try again in a few minutes, or log in with your password."
        )

    def _failed(self, message: str) -> HttpResponse:
        messages.error(self.request, message)
        return HttpResponseRedirect(reverse("identity:login"))

    def login_failure(self) -> HttpResponse:
        return HttpResponseRedirect(reverse("identity:login"))


class LogoutView(auth_views.LogoutView):
    """Django's logout; after a national-ID login, the provider's session ends too. The browser is sent
    there by a page (the logout form's CSP lets forms lead to this site only, redirects included)."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        provider_url = end_session_url(request, next_url=resolve_url(settings.LOGOUT_REDIRECT_URL))
        response = super().post(request, *args, **kwargs)
        if not provider_url:
            return response
        return render(request, "identity/national_logout.html", {"provider_url": provider_url})
