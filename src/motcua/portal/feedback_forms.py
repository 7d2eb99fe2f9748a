"""Forms of the public feedback pages: send, look up by code, search the published answers."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from motcua.agencies.models import Agency
from motcua.catalog.models import Procedure
from motcua.dossiers.models import Dossier
from motcua.feedback.constants import FeedbackSubject
from motcua.feedback.selectors import dossier_by_code, feedback_procedures, receiving_agencies
from motcua.feedback.services import CONTENT_MAX, TITLE_MAX, FeedbackInput


class ProcedureChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.code})"


class FeedbackForm(forms.Form):
    """What the sender writes. The service checks everything again; this form turns the choices into
    objects (a dossier by its code, a procedure, a unit) and says which are needed for which subject."""

    subject = forms.ChoiceField(
        label=_("The feedback is about"), choices=FeedbackSubject.choices, widget=forms.RadioSelect
    )
    procedure = ProcedureChoice(
        label=_("Procedure"), queryset=Procedure.objects.none(), required=False, to_field_name="code"
    )
    dossier_code = forms.CharField(
        label=_("Dossier code"),
        max_length=60,
        required=False,
        help_text=_("Printed on the receipt; the feedback goes to the agency that decides the dossier."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
    )
    officer_name = forms.CharField(label=_("Name of the officer"), max_length=255, required=False)
    agency = forms.ModelChoiceField(
        label=_("Unit the feedback is addressed to"),
        queryset=Agency.objects.none(),
        required=False,
        to_field_name="code",
        help_text=_("Not needed for feedback about a dossier."),
    )
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX)
    content = forms.CharField(label=_("Content"), max_length=CONTENT_MAX, widget=forms.Textarea(attrs={"rows": 6}))
    sender_name = forms.CharField(
        label=_("Your full name"), max_length=255, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    sender_phone = forms.CharField(
        label=_("Telephone"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    sender_email = forms.EmailField(
        label=_("E-mail"), required=False, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    consent_to_publish = forms.BooleanField(
        label=_("I agree that the question and its answer are published on the portal (my name is never shown)"),
        required=False,
        initial=True,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["procedure"].queryset = feedback_procedures()  # type: ignore[attr-defined]
        self.fields["agency"].queryset = receiving_agencies()  # type: ignore[attr-defined]
        self.dossier: Dossier | None = None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        subject = data.get("subject")
        if subject == FeedbackSubject.DOSSIER:
            code = data.get("dossier_code", "")
            if not code:
                self.add_error("dossier_code", _("Enter the code of the dossier."))
            else:
                self.dossier = dossier_by_code(code)
                if self.dossier is None:
                    self.add_error("dossier_code", _("No dossier has this code. Check the code on your receipt."))
        else:
            if subject == FeedbackSubject.PROCEDURE and data.get("procedure") is None:
                self.add_error("procedure", _("Choose the procedure."))
            if subject == FeedbackSubject.OFFICER and not data.get("officer_name", "").strip():
                self.add_error("officer_name", _("Write the name of the officer."))
            if data.get("agency") is None:
                self.add_error("agency", _("Choose the unit the feedback is addressed to."))
        return data

    def feedback_input(self) -> FeedbackInput:
        return FeedbackInput.from_form(self.cleaned_data, self.dossier)


class FeedbackLookupForm(forms.Form):
    code = forms.CharField(
        label=_("Feedback code"),
        max_length=20,
        help_text=_("Given when the feedback was sent, e.g. PA7K2M9QXD."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
    )


class PublishedSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search"), max_length=100, required=False, widget=forms.TextInput(attrs={"type": "search"})
    )
    unit = forms.ModelChoiceField(
        label=_("Unit"),
        queryset=Agency.objects.none(),
        required=False,
        to_field_name="code",
        empty_label=_("All units"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = receiving_agencies()  # type: ignore[attr-defined]
