"""The Django admin behind the one staff login: its own login page is replaced by ours."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import admin
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from motcua.identity.second_factor import is_second_factor_verified


class MotcuaAdminSite(admin.AdminSite):
    """Admin pages need a staff flag and a session that passed the second factor; ``/quan-tri/login/``
    sends to the throttled login (identity.views.LoginView) and never checks a password itself."""

    def has_permission(self, request: HttpRequest) -> bool:
        return super().has_permission(request) and is_second_factor_verified(request.user)

    def login(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        target = request.GET.get("next") or reverse("admin:index", current_app=self.name)
        return HttpResponseRedirect(reverse("identity:login") + "?" + urlencode({"next": target}))
