"""Forms of the processing pages: the inbox filters, one small form per processing action, the process editor."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from motcua.agencies.models import Agency
from motcua.backoffice.dossier_forms import REASON_MAX_LENGTH, SupplementRequestForm
from motcua.catalog.processes import STEP_ROLES
from motcua.dossiers.exceptions import FileRejected
from motcua.dossiers.files import check_upload
from motcua.identity.constants import Role
from motcua.identity.models import User
from motcua.workflow.constants import Action, ReturnVia
from motcua.workflow.inbox import URGENCY_LABELS, Urgency

POOL = ""  # the "person" meaning: nobody in particular, the unit's pool
ACCEPTED_FILES = ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"
DEFAULT_CONSULTATION_HOURS = 8


# --- the inbox ----------------------------------------------------------------------------------------


class InboxFilterForm(forms.Form):
    """The GET form above the inbox: search and urgency (the tab is a link, carried in ``scope``)."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        help_text=_("Dossier code (or its beginning), applicant's name or ID number."),
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    urgency = forms.ChoiceField(
        label=_("Deadline"),
        required=False,
        choices=[
            ("", _("All")),
            *((value, URGENCY_LABELS[value]) for value in (Urgency.OVERDUE, Urgency.AT_RISK, Urgency.ON_TRACK)),
        ],
    )


# --- the processing actions ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ActionChoices:
    """What the action forms offer for one dossier: the people of the next step, the agencies to consult,
    and whether the next step is a leader's (a draft result may be attached when forwarding)."""

    people: Sequence[User] = field(default_factory=tuple)
    agencies: Sequence[Agency] = field(default_factory=tuple)
    draft_allowed: bool = False
    return_method: str = ""  # the applicant's choice when submitting: the return form starts from it


def _people_choices(people: Iterable[User]) -> list[tuple[str, Any]]:
    return [(POOL, _("The unit's pool (whoever takes it)")), *((str(p.pk), p.full_name or p.username) for p in people)]


def _reason(label: Any, rows: int = 2) -> forms.CharField:
    return forms.CharField(label=label, max_length=REASON_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": rows}))


def _note(label: Any = None) -> forms.CharField:
    return forms.CharField(
        label=label or _("Note"),
        required=False,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class _PersonMixin:
    """A "next person" choice limited to the people eligible for the next step, or the pool."""

    fields: dict[str, forms.Field]

    def _choose_person(self, choices: ActionChoices, label: Any) -> None:
        self.people = {str(p.pk): p for p in choices.people}
        self.fields["assignee"] = forms.ChoiceField(
            label=label, required=False, choices=_people_choices(choices.people), initial=POOL
        )

    def person(self, cleaned: dict[str, Any]) -> User | None:
        return self.people.get(cleaned.get("assignee") or POOL)


class ActionForm(forms.Form):
    def __init__(self, *args: Any, choices: ActionChoices | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)


class TakeForm(ActionForm):
    """No input: taking a dossier from the pool is confirmed by the button alone."""


class ForwardForm(_PersonMixin, ActionForm):
    note = _note()

    def __init__(self, *args: Any, choices: ActionChoices | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = choices or ActionChoices()
        self._choose_person(choices, _("Person for the next step"))
        self.order_fields(["assignee", "note"])
        if choices.draft_allowed:
            self.fields["draft"] = forms.FileField(
                label=_("Draft result (PDF) for the leader to sign"),
                required=False,
                help_text=_("Optional. Without it, the result is drawn up from the procedure when it is approved."),
                widget=forms.ClearableFileInput(attrs={"accept": ".pdf,application/pdf"}),
            )

    def clean_draft(self) -> Any:
        upload = self.cleaned_data.get("draft")
        if upload is None:
            return None
        try:
            checked = check_upload(upload, size=upload.size)
        except FileRejected as exc:
            raise forms.ValidationError(str(exc.message)) from exc
        if checked.content_type != "application/pdf":
            raise forms.ValidationError(_("The draft result must be a PDF file."))
        return upload


class SendBackForm(ActionForm):
    reason = _reason(_("Why it goes back (the previous holder reads it)"))


class ProcessingSupplementForm(SupplementRequestForm):
    def __init__(self, *args: Any, choices: ActionChoices | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)


class ConsultForm(ActionForm):
    agencies = forms.MultipleChoiceField(
        label=_("Agencies to consult"),
        help_text=_("They answer in parallel, each from its own inbox."),
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    question = _reason(_("Question"), rows=3)
    hours = forms.DecimalField(
        label=_("Time to answer (working hours)"),
        min_value=Decimal("0.25"),
        max_value=Decimal(800),
        decimal_places=2,
        initial=DEFAULT_CONSULTATION_HOURS,
    )

    def __init__(self, *args: Any, choices: ActionChoices | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        agencies = (choices or ActionChoices()).agencies
        cast(forms.MultipleChoiceField, self.fields["agencies"]).choices = [
            (a.code, f"{a.name} ({a.code})") for a in agencies
        ]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Zero or more files from one ``<input type="file" multiple>``, each checked by its content."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPTED_FILES}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        items = list(data) if isinstance(data, list | tuple) else [data]
        files = [
            cleaned for cleaned in (super(MultipleFileField, self).clean(item, initial) for item in items) if cleaned
        ]
        for upload in files:
            try:
                check_upload(upload, size=upload.size)
            except FileRejected as exc:
                raise forms.ValidationError(f"{upload.name}: {exc.message}") from exc
        return files


class AnswerConsultationForm(ActionForm):
    answer = _reason(_("Your agency's opinion"), rows=4)
    attachments = MultipleFileField(
        label=_("Attached files"), help_text=_("Optional. PDF, JPEG or PNG, up to 10 MB each.")
    )


class StopForm(ActionForm):
    reason = _reason(_("Reasons for stopping (sent to the applicant)"), rows=3)


class PaymentRequestForm(ActionForm):
    amount = forms.IntegerField(label=_("Amount (đồng)"), min_value=1, max_value=10**12)
    note = _reason(_("What is to be paid"))


class ConfirmPaymentForm(ActionForm):
    note = _note()


class ApproveForm(_PersonMixin, ActionForm):
    note = _note(_("Note on the decision"))

    def __init__(self, *args: Any, choices: ActionChoices | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._choose_person(choices or ActionChoices(), _("Clerk who numbers the result"))


class RejectForm(_PersonMixin, ActionForm):
    reason = _reason(_("Reasons for refusing the request (written in the signed letter)"), rows=3)

    def __init__(self, *args: Any, choices: ActionChoices | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._choose_person(choices or ActionChoices(), _("Clerk who numbers the result"))


class IssueResultForm(ActionForm):
    """No input: the number is the next of the register."""


class ReturnResultForm(ActionForm):
    via = forms.ChoiceField(
        label=_("How the result is returned"),
        choices=ReturnVia.choices,
        widget=forms.RadioSelect,
    )
    note = _note()

    def __init__(self, *args: Any, choices: ActionChoices | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        chosen = (choices or ActionChoices()).return_method
        if chosen in ReturnVia.values:  # the applicant's choice (same codes: desk, post, electronic)
            self.fields["via"].initial = chosen
            self.fields["via"].help_text = _("Preselected: the way the applicant asked for when submitting.")


class ApologizeForm(ActionForm):
    reason = _reason(_("Reason for the delay (written in the apology letter)"), rows=3)
    new_due_at = forms.SplitDateTimeField(
        label=_("New due time"),
        input_date_formats=["%Y-%m-%d", "%d/%m/%Y"],
        input_time_formats=["%H:%M", "%H:%M:%S"],
        widget=forms.SplitDateTimeWidget(
            date_attrs={"type": "date"}, time_attrs={"type": "time"}, date_format="%Y-%m-%d", time_format="%H:%M"
        ),
    )


ACTION_FORMS: dict[str, type[forms.Form]] = {
    Action.TAKE: TakeForm,
    Action.FORWARD: ForwardForm,
    Action.SEND_BACK: SendBackForm,
    Action.REQUEST_SUPPLEMENT: ProcessingSupplementForm,
    Action.CONSULT: ConsultForm,
    Action.ANSWER_CONSULTATION: AnswerConsultationForm,
    Action.REQUEST_PAYMENT: PaymentRequestForm,
    Action.CONFIRM_PAYMENT: ConfirmPaymentForm,
    Action.APPROVE: ApproveForm,
    Action.REJECT: RejectForm,
    Action.ISSUE_RESULT: IssueResultForm,
    Action.RETURN_RESULT: ReturnResultForm,
    Action.STOP: StopForm,
    Action.APOLOGIZE: ApologizeForm,
}
# The order in which the forms appear on the dossier processing page.
PROCESSING_ACTIONS = tuple(ACTION_FORMS)


def processing_form(action: str, choices: ActionChoices, data: Any = None, files: Any = None) -> forms.Form:
    # Distinct ids, shared field names: the forms sit on one page.
    return ACTION_FORMS[action](data, files, choices=choices, auto_id=f"id_{action}_%s")  # type: ignore[call-arg]


# --- the process editor -------------------------------------------------------------------------------


class StepForm(forms.Form):
    name = forms.CharField(label=_("Step"), max_length=255)
    role = forms.ChoiceField(label=_("Done by"), choices=[(r, Role(r).label) for r in STEP_ROLES])
    unit = forms.ChoiceField(label=_("Unit"), required=False)
    hours = forms.DecimalField(
        label=_("Working hours"), required=False, min_value=Decimal("0.25"), max_digits=7, decimal_places=2
    )

    def __init__(self, *args: Any, units: Sequence[Agency] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["unit"]).choices = [
            ("", _("Default (the receiving desk or the competent agency)")),
            *((str(a.pk), f"{a.name} ({a.code})") for a in units),
        ]
        for name, f in self.fields.items():  # the table's header names the columns; screen readers get labels
            f.widget.attrs.setdefault("aria-label", f.label or name)

    def has_changed(self) -> bool:
        """A new row counts as filled in only when its name, unit or hours are: its role select always sends
        a value, so a blank extra row left as the page shows it adds nothing (a half-filled one is an error)."""
        return any(name in self.changed_data for name in ("name", "unit", "hours"))


class BaseStepFormSet(forms.BaseFormSet):  # type: ignore[type-arg]
    def __init__(self, *args: Any, units: Sequence[Agency] = (), **kwargs: Any) -> None:
        self.units = units
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        return {"units": self.units}

    def add_fields(self, form: Any, index: int | None) -> None:
        super().add_fields(form, index)
        form.fields["ORDER"].widget.attrs["aria-label"] = _("Order")
        form.fields["DELETE"].widget.attrs["aria-label"] = _("Delete")

    @property
    def empty_form(self) -> Any:
        form = self.form(auto_id=self.auto_id, prefix=self.add_prefix("__prefix__"), units=self.units)
        self.add_fields(form, None)
        return form


StepFormSet = forms.formset_factory(StepForm, formset=BaseStepFormSet, extra=2, can_order=True, can_delete=True)
