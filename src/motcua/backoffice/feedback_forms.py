"""Forms of the back office's feedback pages: the list's filters, feedback entered by staff, the actions."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.agencies.models import Agency
from motcua.catalog.models import Procedure
from motcua.dossiers.models import Dossier
from motcua.feedback.constants import STAFF_CHANNELS, FeedbackStatus, FeedbackSubject
from motcua.feedback.selectors import (
    Urgency,
    dossier_by_code,
    feedback_procedures,
    feedback_units,
    receiving_agencies,
)
from motcua.feedback.services import ANSWER_MAX, CONTENT_MAX, TITLE_MAX, FeedbackInput


class FeedbackFilterForm(forms.Form):
    q = forms.CharField(label=_("Code, title or sender"), max_length=100, required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)
    unit = forms.ModelChoiceField(
        label=_("Unit"),
        queryset=Agency.objects.none(),
        required=False,
        to_field_name="code",
        empty_label=_("All units"),
    )
    urgency = forms.ChoiceField(
        label=_("Deadline"),
        required=False,
        choices=[("", _("All")), (Urgency.OVERDUE, _("Overdue")), (Urgency.AT_RISK, _("Due within 1 working day"))],
    )

    def __init__(self, *args: Any, actor: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("All")), *FeedbackStatus.choices]  # type: ignore[attr-defined]
        self.fields["unit"].queryset = feedback_units(actor)  # type: ignore[attr-defined]


class UnitChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.code})"


class StaffFeedbackForm(forms.Form):
    """Feedback received by telephone, letter, e-mail or at the desk, with when it actually arrived."""

    channel = forms.ChoiceField(
        label=_("Received through"), choices=[(c.value, c.label) for c in STAFF_CHANNELS], widget=forms.RadioSelect
    )
    received_at = forms.DateTimeField(
        label=_("Received at"),
        input_formats=["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("When the call, letter or e-mail arrived: the deadline counts from then."),
    )
    subject = forms.ChoiceField(
        label=_("The feedback is about"), choices=FeedbackSubject.choices, widget=forms.RadioSelect
    )
    procedure = forms.ModelChoiceField(
        label=_("Procedure"), queryset=Procedure.objects.none(), required=False, to_field_name="code"
    )
    dossier_code = forms.CharField(label=_("Dossier code"), max_length=60, required=False)
    officer_name = forms.CharField(label=_("Name of the officer"), max_length=255, required=False)
    agency = UnitChoice(
        label=_("Responsible unit"),
        queryset=Agency.objects.none(),
        required=False,
        to_field_name="code",
        help_text=_("Not needed for feedback about a dossier: its competent agency answers."),
    )
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX)
    content = forms.CharField(label=_("Content"), max_length=CONTENT_MAX, widget=forms.Textarea(attrs={"rows": 6}))
    sender_name = forms.CharField(label=_("Sender"), max_length=255)
    sender_phone = forms.CharField(label=_("Telephone"), max_length=20, required=False)
    sender_email = forms.EmailField(label=_("E-mail"), required=False)
    sender_address = forms.CharField(label=_("Address"), max_length=255, required=False)
    consent_to_publish = forms.BooleanField(
        label=_("The sender agrees to the answer being published"), required=False, initial=True
    )

    def __init__(self, *args: Any, actor: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["procedure"].queryset = feedback_procedures()  # type: ignore[attr-defined]
        self.fields["agency"].queryset = feedback_units(actor).filter(is_active=True)  # type: ignore[attr-defined]
        self.dossier: Dossier | None = None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        received_at = data.get("received_at")
        if received_at is not None and received_at > timezone.now():
            self.add_error("received_at", _("The time of receipt cannot be in the future."))
        if data.get("subject") == FeedbackSubject.DOSSIER:
            code = data.get("dossier_code", "")
            self.dossier = dossier_by_code(code) if code else None
            if self.dossier is None:
                self.add_error("dossier_code", _("No dossier has this code."))
        elif data.get("agency") is None and "agency" not in self.errors:
            self.add_error("agency", _("Choose the unit the feedback is addressed to."))
        return data

    def feedback_input(self) -> FeedbackInput:
        return FeedbackInput.from_form(self.cleaned_data, self.dossier)


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("Answer"), max_length=ANSWER_MAX, widget=forms.Textarea(attrs={"rows": 8}))


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for not handling it"),
        max_length=ANSWER_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("E.g. a duplicate, anonymous abuse, outside the administration's remit."),
    )


class TransferForm(forms.Form):
    to_agency = UnitChoice(label=_("Transfer to"), queryset=Agency.objects.none(), to_field_name="code")
    note = forms.CharField(label=_("Reason"), max_length=500, required=False)

    def __init__(self, *args: Any, current: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_agency"].queryset = receiving_agencies().exclude(pk=current.pk)  # type: ignore[attr-defined]
