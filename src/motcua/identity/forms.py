from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from motcua.identity.constants import AccountKind
from motcua.identity.services import ApplicantData, applicant_errors


class LoginForm(AuthenticationForm):
    username = forms.CharField(
        label=_("Personal ID, enterprise code, phone or login name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    error_messages = {
        "invalid_login": _("The login name or the password is wrong."),
        "inactive": _("This account is disabled."),
    }


class ApplicantForm(forms.Form):
    """Fields of a citizen or organisation account; rules come from the identity service."""

    kind = forms.ChoiceField(
        label=_("I am"),
        choices=[(AccountKind.CITIZEN, _("a citizen")), (AccountKind.ORGANISATION, _("an enterprise or organisation"))],
        widget=forms.RadioSelect,
        initial=AccountKind.CITIZEN,
    )
    full_name = forms.CharField(label=_("Full name (or organisation name)"), max_length=255)
    personal_id = forms.CharField(
        label=_("Personal identification number (12 digits)"),
        max_length=12,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    tax_code = forms.CharField(label=_("Enterprise code (tax code)"), max_length=14, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=20, widget=forms.TextInput(attrs={"inputmode": "tel"}))
    email = forms.EmailField(label=_("E-mail"), required=False)
    address = forms.CharField(label=_("Address"), max_length=255, required=False)

    def applicant_data(self) -> ApplicantData:
        d = self.cleaned_data
        return ApplicantData(
            full_name=d["full_name"],
            phone=d["phone"],
            email=d.get("email") or "",
            address=d.get("address") or "",
            personal_id=d.get("personal_id") or "",
            tax_code=d.get("tax_code") or "",
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.errors:
            return cleaned
        for field, messages in applicant_errors(self.applicant_data(), cleaned["kind"]).items():
            for message in messages:
                self.add_error(field if field in self.fields else None, message)
        return cleaned


class RegisterForm(ApplicantForm):
    password1 = forms.CharField(label=_("Password"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    password2 = forms.CharField(
        label=_("Repeat the password"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("password1") and cleaned.get("password1") != cleaned.get("password2"):
            self.add_error("password2", _("The two passwords differ."))
        return cleaned


class DeskApplicantForm(ApplicantForm):
    pass


class ApplicantSearchForm(forms.Form):
    q = forms.CharField(label=_("Personal ID, enterprise code or phone"), max_length=20)


class ApplicantVerifyForm(forms.Form):
    """The desk officer reads the number off the applicant's card (identity.services.applicant_verify)."""

    card_number = forms.CharField(
        label=_("Number on the identity card (or the enterprise registration)"),
        max_length=14,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    confirm = forms.BooleanField(label=_("I have compared the name and the photo on the card with the applicant"))


class ContactForm(forms.Form):
    """The contact details a citizen or organisation may change on their account page."""

    phone = forms.CharField(label=_("Phone"), max_length=20, widget=forms.TextInput(attrs={"inputmode": "tel"}))
    email = forms.EmailField(label=_("E-mail"), required=False)
    address = forms.CharField(label=_("Address"), max_length=255, required=False)
