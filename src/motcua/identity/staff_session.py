"""Staff sessions: the second factor before anything else, a working day at most, and an end after idle time.

Citizens keep Django's session (two weeks from the last login, ``SESSION_COOKIE_AGE``): they reach only
their own dossiers, and a citizen on a phone should not have to log in at every visit.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect

from motcua.identity.second_factor import is_second_factor_verified, needs_second_factor

SIGNED_IN_AT = "motcua_signed_in_at"
SEEN_AT = "motcua_seen_at"
# Writing the session on every request would cost a database write each: the last-seen time is kept to
# the minute, which is all the idle limit needs.
SEEN_RESOLUTION_SECONDS = 60


def _redirect(request: HttpRequest, url: str) -> HttpResponse:
    if getattr(request, "htmx", False):
        return HttpResponseClientRedirect(url)
    return HttpResponseRedirect(url)


class StaffSessionMiddleware:
    """Ends staff sessions that are too old or idle, and holds a staff member who has typed only the password
    on the second-factor pages. API calls are left to the API's session authentication, which refuses
    them with a problem+json answer (``motcua.api.authentication``)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        refused = self._check(request) if needs_second_factor(request.user) else None
        if refused is not None:
            return refused
        response = self.get_response(request)
        # A login made by this request (the password form): the working day starts now. (An API call with a
        # token also sets request.user, but logs nobody into the session.)
        session = request.session
        if SESSION_KEY in session and SIGNED_IN_AT not in session and needs_second_factor(request.user):
            now = timezone.now().timestamp()
            session[SIGNED_IN_AT] = now
            session[SEEN_AT] = now
        return response

    def _check(self, request: HttpRequest) -> HttpResponse | None:
        session = request.session
        now = timezone.now().timestamp()
        signed_in = session.setdefault(SIGNED_IN_AT, now)
        seen = session.get(SEEN_AT, signed_in)
        verified = is_second_factor_verified(request.user)
        reason = ""
        if now - signed_in > settings.MOTCUA_STAFF_SESSION_HOURS * 3600:
            reason = _("Your working session has ended. Log in again.")
        elif now - seen > settings.MOTCUA_STAFF_IDLE_MINUTES * 60:
            reason = _("You were logged out after a long time without activity. Log in again.")
        elif not verified and now - signed_in > settings.MOTCUA_SECOND_FACTOR_MINUTES * 60:
            reason = _("The time to type the code has expired. Log in again.")
        if reason:
            logout(request)
            if request.path.startswith("/api/"):
                return None  # anonymous from here: the API answers 401/403 itself
            messages.info(request, reason)
            return _redirect(request, redirect_to_login(request.get_full_path()).url)
        if now - seen >= SEEN_RESOLUTION_SECONDS:
            session[SEEN_AT] = now
            # The stored session outlives the idle limit by an hour, so that this middleware can still say why
            # it ended; after that the session store drops it by itself.
            session.set_expiry(int(settings.MOTCUA_STAFF_IDLE_MINUTES * 60) + 3600)
        if verified or request.path.startswith(("/api/", "/static/", "/i18n/")):
            return None
        allowed = {
            reverse("identity:second-factor"),
            reverse("identity:second-factor-enrol"),
            reverse("identity:logout"),
        }
        if request.path in allowed:
            return None
        url = reverse("identity:second-factor")
        if request.method == "GET":
            url += "?" + urlencode({"next": request.get_full_path()})
        return _redirect(request, url)
