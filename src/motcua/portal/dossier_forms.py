"""Forms of the tracking page and of the applicant's own dossier pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

ACCEPTED_FILES = ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"


class TrackForm(forms.Form):
    code = forms.CharField(
        label=_("Dossier code"),
        max_length=60,
        help_text=_("Printed on the receipt, e.g. H56.14-250217-0001."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
    )
    factor = forms.CharField(
        label=_("Last 4 digits of the applicant's phone or ID number"),
        min_length=4,
        max_length=4,
        validators=[RegexValidator(r"^[0-9]{4}$", _("Enter exactly 4 digits."))],
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "off", "pattern": "[0-9]{4}", "maxlength": "4"}
        ),
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for withdrawing"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """One or more files from a single ``<input type="file" multiple>``."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPTED_FILES}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        items = list(data) if isinstance(data, list | tuple) else [data]
        if not items:
            items = [None]  # nothing chosen: let FileField say the field is required
        return [cleaned for cleaned in (single(item, initial) for item in items) if cleaned]


class SupplementForm(forms.Form):
    attachments = MultipleFileField(
        label=_("Files"), help_text=_("PDF, JPEG or PNG, up to 10 MB each. You may choose several files.")
    )
    note = forms.CharField(
        label=_("Note for the desk"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )
