"""Forms of the desk's dossier pages: the reception actions and the walk-in dossier."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from motcua.agencies.models import Agency, Desk
from motcua.catalog.models import RequiredDocument
from motcua.dossiers.constants import ReturnMethod
from motcua.dossiers.exceptions import FileRejected
from motcua.dossiers.files import check_upload
from motcua.dossiers.services import Upload
from motcua.dossiers.staging import staged_upload
from motcua.dossiers.staging_models import StagedUpload

REASON_MAX_LENGTH = 2000


class ReceiveForm(forms.Form):
    """No input: receiving is confirmed by the button alone."""


class RefuseForm(forms.Form):
    reason = forms.CharField(
        label=_("Reasons for refusing (written on the refusal slip)"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class SupplementRequestForm(forms.Form):
    missing = forms.CharField(
        label=_("What is missing or must be corrected"),
        help_text=_("One item per line."),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    note = forms.CharField(
        label=_("Note to the applicant"),
        required=False,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean_missing(self) -> list[str]:
        items = [line.strip() for line in self.cleaned_data["missing"].splitlines() if line.strip()]
        if not items:
            raise forms.ValidationError(_("List at least one document or item to complete."))
        return items


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (from the applicant's written request)"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


ACTION_FORMS: dict[str, type[forms.Form]] = {
    "receive": ReceiveForm,
    "refuse": RefuseForm,
    "request_supplement": SupplementRequestForm,
    "withdraw": WithdrawForm,
}


def action_form(action: str, data: Any = None) -> forms.Form:
    # Distinct ids, same field names: several of these forms share one page.
    return ACTION_FORMS[action](data, auto_id=f"id_{action}_%s")


class ProcedureChoiceForm(forms.Form):
    """Sub-step one of a walk-in dossier (a GET form): which procedure the applicant asks for."""

    procedure = forms.ChoiceField(label=_("Procedure"))

    def __init__(self, *args: Any, procedures: Iterable[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ChoiceField, self.fields["procedure"])
        field.choices = [("", "—"), *((code, f"{code} — {name}") for code, name in procedures)]


class WalkInForm(forms.Form):
    """Sub-step two: desk, competent agency, the documents given and the return method.

    The e-form is a separate form built from the procedure version's schema (``schema_form_class``).
    """

    desk = forms.ChoiceField(label=_("Receiving desk"))
    agency = forms.ChoiceField(
        label=_("Competent agency"), help_text=_("The agency that decides; any desk of the province may receive.")
    )
    return_method = forms.ChoiceField(
        label=_("How the applicant receives the result"),
        choices=ReturnMethod.choices,
        initial=ReturnMethod.DESK,
        widget=forms.RadioSelect,
    )
    return_address = forms.CharField(label=_("Postal address for the result"), max_length=255, required=False)

    def __init__(
        self,
        *args: Any,
        desks: Iterable[Desk],
        agencies: Iterable[Agency],
        documents: Iterable[RequiredDocument],
        staged: dict[str, StagedUpload] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        desk_choices = [(d.code, f"{d.name} ({d.agency.name})") for d in desks]
        cast(forms.ChoiceField, self.fields["desk"]).choices = (
            desk_choices if len(desk_choices) == 1 else [("", "—"), *desk_choices]
        )
        cast(forms.ChoiceField, self.fields["agency"]).choices = [
            ("", "—"),
            *((a.code, f"{a.name} ({a.code})") for a in agencies),
        ]
        # Scans kept from an earlier try of this page (dossiers.staging), by field name.
        self.staged = dict(staged or {})
        self.documents = list(documents)
        for document in self.documents:
            self.fields[f"file_{document.pk}"] = forms.FileField(label=_("Scan"), required=False)
            self.fields[f"seen_{document.pk}"] = forms.BooleanField(
                label=_("Original seen at the desk"), required=False
            )

    def checklist(self) -> list[tuple[RequiredDocument, Any, Any]]:
        """(required document, its file field, its "original seen" field) for the template."""
        return [(d, self[f"file_{d.pk}"], self[f"seen_{d.pk}"]) for d in self.documents]

    def checklist_rows(self) -> list[tuple[RequiredDocument, Any, Any, StagedUpload | None]]:
        """The checklist with each document's kept scan, if any."""
        return [(d, file, seen, self.staged.get(file.name)) for d, file, seen in self.checklist()]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for document in self.documents:
            upload = cleaned.get(f"file_{document.pk}")
            if upload is None:
                continue
            # The service checks again; checking here puts the message next to the right document.
            try:
                check_upload(upload, size=upload.size)
            except FileRejected as exc:
                self.add_error(f"file_{document.pk}", str(exc.message))
        return cleaned

    def new_valid_files(self) -> dict[str, Any]:
        """Scans chosen this time that passed their checks, by field name (kept for the next try)."""
        self.is_valid()
        names = (f"file_{d.pk}" for d in self.documents)
        return {n: f for n in names if n not in self.errors and (f := self.cleaned_data.get(n)) is not None}

    def uploads(self) -> list[Upload]:
        """The scans chosen now, and the kept ones for documents given no new scan."""
        result = []
        for document in self.documents:
            name = f"file_{document.pk}"
            if (upload := self.cleaned_data.get(name)) is not None:
                result.append(
                    Upload(name=upload.name, stream=upload, size=upload.size, required_document_id=document.pk)
                )
            elif name in self.staged:
                result.append(staged_upload(self.staged[name], required_document_id=document.pk))
        return result

    def originals_seen(self) -> list[int]:
        return [d.pk for d in self.documents if self.cleaned_data.get(f"seen_{d.pk}")]
