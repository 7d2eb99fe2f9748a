"""Login, logout, password change and reset, registration, the account page."""

from __future__ import annotations

from typing import Any, cast
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import SetPasswordForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _

from motcua.core.exceptions import DomainError
from motcua.core.form_errors import add_domain_errors
from motcua.identity.constants import AccountKind
from motcua.identity.forms import ContactForm, LoginForm, RegisterForm
from motcua.identity.models import User
from motcua.identity.ratelimit import login_blocked, password_reset_blocked, register_blocked
from motcua.identity.second_factor import needs_second_factor
from motcua.identity.second_factor_views import second_factor_context
from motcua.identity.selectors import is_staff_member, roles_of
from motcua.identity.services import (
    account_contact_update,
    applicant_register,
    password_changed,
    password_reset_request,
)


class LoginView(auth_views.LoginView):
    template_name = "identity/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if login_blocked(request):
            form = self.get_form()
            form.add_error(None, _("Too many failed attempts. Wait a few minutes and try again."))
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form: Any) -> HttpResponse:
        login_blocked(self.request, count_failure=True)
        return super().form_invalid(form)

    def get_success_url(self) -> str:
        # Staff and admin accounts go on to the second factor (identity.second_factor_views), keeping "next".
        url = super().get_success_url()
        if needs_second_factor(self.request.user):
            return reverse("identity:second-factor") + "?" + urlencode({"next": url})
        return url


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "identity/password_change.html"
    success_url = reverse_lazy("identity:account")

    def get_form_class(self) -> Any:
        # An account opened or taken over by national-ID login has no password (identity.national_login):
        # its holder, logged in through VNeID, chooses one without an old one to give.
        if not cast(User, self.request.user).has_usable_password():
            return SetPasswordForm
        return super().get_form_class()

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        password_changed(user=self.request.user)  # type: ignore[arg-type]
        messages.success(self.request, _("Your password has been changed."))
        return response


class PasswordResetView(auth_views.PasswordResetView):
    """The same answer, in the same time, for any address: the mail is sent by a task."""

    template_name = "identity/password_reset.html"
    success_url = reverse_lazy("identity:password-reset-done")

    def form_valid(self, form: Any) -> HttpResponse:
        if password_reset_blocked(self.request):
            form.add_error(None, _("Too many requests for this address. Wait an hour and try again."))
            return self.render_to_response(self.get_context_data(form=form), status=429)
        password_reset_blocked(self.request, count=True)
        password_reset_request(email=form.cleaned_data["email"])
        return HttpResponseRedirect(self.get_success_url())


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "identity/password_reset_confirm.html"
    success_url = reverse_lazy("identity:login")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        password_changed(user=form.user)
        messages.success(self.request, _("Your password has been set. You can log in now."))
        return response


def register(request: HttpRequest) -> HttpResponse:
    form = RegisterForm(request.POST or None)
    if request.method == "POST" and register_blocked(request):
        form.add_error(None, _("Too many attempts to open an account. Wait an hour and try again."))
        return render(request, "identity/register.html", {"form": form}, status=429)
    if request.method == "POST":
        register_blocked(request, count=True)  # every attempt counts, valid or not
    if request.method == "POST" and form.is_valid():
        try:
            user = applicant_register(
                data=form.applicant_data(), kind=form.cleaned_data["kind"], password=form.cleaned_data["password1"]
            )
        except DomainError as exc:
            add_domain_errors(form, exc)
        else:
            login(request, user, backend="motcua.identity.backends.LoginBackend")
            messages.success(
                request, _("Your account is ready. Your login name is %(name)s.") % {"name": user.username}
            )
            return redirect("identity:account")
    return render(request, "identity/register.html", {"form": form}, status=400 if form.errors else 200)


@login_required
def after_login(request: HttpRequest) -> HttpResponse:
    return redirect("backoffice:home" if is_staff_member(request.user) else "identity:account")


@login_required
def account(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)
    contact = None
    if user.kind in (AccountKind.CITIZEN, AccountKind.ORGANISATION):
        initial = {"phone": user.phone, "email": user.email, "address": user.address}
        contact = ContactForm(request.POST or None, initial=initial)
        if request.method == "POST" and contact.is_valid():
            try:
                account_contact_update(actor=user, **contact.cleaned_data)
            except DomainError as exc:
                add_domain_errors(contact, exc)
            else:
                messages.success(request, _("Your contact details have been saved."))
                return redirect("identity:account")
    context = {"roles": sorted(roles_of(user)), "contact": contact, **second_factor_context(user)}
    return render(request, "identity/account.html", context, status=400 if contact and contact.errors else 200)
