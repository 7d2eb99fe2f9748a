"""Forms of the online submission page. The e-form itself comes from the procedure's JSON Schema."""

from __future__ import annotations

import contextlib
from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from motcua.agencies.models import Agency
from motcua.catalog.models import ProcedureCase, RequiredDocument
from motcua.core.exceptions import DomainError
from motcua.core.schema_forms import schema_form_class
from motcua.documents.models import DigitizedDocument
from motcua.dossiers.constants import ReturnMethod
from motcua.dossiers.exceptions import FileRejected, FormInvalid, NotOffered
from motcua.dossiers.files import check_upload
from motcua.dossiers.services import Upload
from motcua.dossiers.staging import staged_upload
from motcua.dossiers.staging_models import StagedUpload
from motcua.workflow.intake_rows import DocumentRow, ReuseChoice, reuse_choice

EFORM_PREFIX = "eform"
ACCEPT = ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"
RETURN_CHOICES = [
    (ReturnMethod.ELECTRONIC, ReturnMethod.ELECTRONIC.label),
    (ReturnMethod.DESK, ReturnMethod.DESK.label),
    (ReturnMethod.POST, ReturnMethod.POST.label),
]


class SubmissionForm(forms.Form):
    """Where the dossier goes, how the result comes back, and the applicant's confirmation."""

    agency = forms.ChoiceField(label=_("Agency that handles the dossier"))
    return_method = forms.ChoiceField(
        label=_("How do you want to receive the result?"),
        choices=RETURN_CHOICES,
        widget=forms.RadioSelect,
        initial=ReturnMethod.ELECTRONIC,
    )
    return_address = forms.CharField(
        label=_("Postal address for the result"),
        max_length=255,
        required=False,
    )
    confirm = forms.BooleanField(label=_("I confirm the information is true"))

    def __init__(
        self, *args: Any, agencies: list[Agency], cases: tuple[ProcedureCase, ...] = (), **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if cases:
            # Not required: without a choice the e-form answers decide, else the first (general) case.
            self.fields["case"] = forms.ChoiceField(
                label=_("Your case"),
                choices=[(c.code, c.name) for c in cases],
                widget=forms.RadioSelect(attrs={"data-case": ""}),
                required=False,
                initial=cases[0].code if len(cases) == 1 else None,
            )
        choices: list[tuple[str, str]] = [(a.code, a.name) for a in agencies]
        field = self.fields["agency"]
        if len(choices) == 1:
            field.initial = choices[0][0]
        else:
            choices.insert(0, ("", str(_("Choose the agency"))))
        field.choices = choices  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("return_method") == ReturnMethod.POST and not cleaned.get("return_address", "").strip():
            self.add_error("return_address", _("Give the address the result should be posted to."))
        return cleaned


class DocumentsForm(forms.Form):
    """One file input per document of the version, required when the case and the answers make the
    document mandatory (``rows``, from ``workflow.intake_rows``); files are checked by content like
    the service does. A condition stated only in words is a checkbox "applies to me".

    ``staged``: files of this page kept from an earlier attempt (``dossiers.staging``), by field name;
    such a document needs no new file, and a new one replaces it.

    ``offers``: for a document the applicant may take from their data store, the stored documents on
    offer (required document id → documents): a radio between one of them and a file; a document taken
    from the store needs no file, and a file chosen for it is not sent.
    """

    def __init__(
        self,
        *args: Any,
        rows: list[DocumentRow],
        staged: dict[str, StagedUpload] | None = None,
        offers: dict[int, list[DigitizedDocument]] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.staged = dict(staged or {})
        self.documents: dict[str, RequiredDocument] = {}
        self.document_rows: dict[str, DocumentRow] = {}
        self.reuse: dict[str, ReuseChoice] = {}
        for row in rows:
            document = row.document
            name = f"document_{document.pk}"
            self.documents[name] = document
            self.document_rows[name] = row
            if row.label_only:
                self.fields[f"applies_{document.pk}"] = forms.BooleanField(
                    label=_("This case applies to me"), required=False
                )
            choice = reuse_choice(
                document, (offers or {}).get(document.pk, []), data=self.data if self.is_bound else None
            )
            if choice is not None:
                self.reuse[name] = choice
                # Any code passes here: the service refuses an expired or foreign one with its reason.
                self.fields[choice.name] = forms.CharField(
                    label=_("Use a document already in the data store"), required=False, max_length=160
                )
            # Empty files pass here so that check_upload gives its own message.
            self.fields[name] = forms.FileField(
                label=document.name,
                allow_empty_file=True,
                required=row.applies and row.mandatory and name not in self.staged and not self._reused(name),
                widget=forms.FileInput(attrs={"accept": ACCEPT}),
            )

    def _reused(self, name: str) -> bool:
        return bool(name in self.reuse and self.reuse[name].chosen)

    @property
    def rows(self) -> list[tuple[forms.BoundField, DocumentRow, StagedUpload | None, forms.BoundField | None]]:
        """(file field, the document's rule, its kept file, its "applies to me" box) for the template."""
        return [
            (
                self[name],
                row,
                self.staged.get(name),
                self[f"applies_{row.document.pk}"] if row.label_only else None,
            )
            for name, row in self.document_rows.items()
        ]

    @property
    def rows_with_reuse(
        self,
    ) -> list[tuple[forms.BoundField, DocumentRow, StagedUpload | None, forms.BoundField | None, ReuseChoice | None]]:
        """``rows``, each with the data store's offer for the document (or None)."""
        return [(*item, self.reuse.get(name)) for item, name in zip(self.rows, self.document_rows, strict=True)]

    def conditions_met(self) -> set[int]:
        """Documents whose condition in words was ticked "applies to me"."""
        return {
            row.document.pk
            for row in self.document_rows.values()
            if row.label_only and self.cleaned_data.get(f"applies_{row.document.pk}")
        }

    def _given(self, name: str) -> bool:
        return self.cleaned_data.get(name) is not None or name in self.staged or self._reused(name)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for name in self.documents:
            upload = cleaned.get(name)
            if upload is None or self._reused(name):
                continue
            try:
                check_upload(upload, size=upload.size)
            except FileRejected as exc:
                self.add_error(name, str(exc.message))
        groups: dict[str, list[str]] = {}
        for name, row in self.document_rows.items():
            if row.applies and row.group:
                groups.setdefault(row.group, []).append(name)
        for names in groups.values():
            if not any(self._given(name) for name in names):
                listed = "; ".join(self.documents[name].name for name in names)
                self.add_error(None, _("Give one of the following documents: %(names)s.") % {"names": listed})
        return cleaned

    def new_valid_files(self) -> dict[str, Any]:
        """Files chosen this time that passed their checks, by field name (to keep for the next try)."""
        self.is_valid()
        return {
            name: upload
            for name in self.documents
            if name not in self.errors and (upload := getattr(self, "cleaned_data", {}).get(name)) is not None
        }

    def uploads(self) -> list[Upload]:
        """The new files, and the kept ones for documents given no new file (none for a document taken
        from the data store)."""
        result = []
        for name, document in self.documents.items():
            if not self.document_rows[name].applies or self._reused(name):
                continue  # a file chosen for a document the case does not ask for is not sent
            upload = self.cleaned_data.get(name)
            if upload is not None:
                result.append(
                    Upload(name=upload.name, stream=upload, size=upload.size, required_document_id=document.pk)
                )
            elif name in self.staged:
                result.append(staged_upload(self.staged[name], required_document_id=document.pk))
        return result

    def reused(self) -> dict[int, str]:
        """Documents taken from the data store: required document id → the stored document's code."""
        return {
            self.documents[name].pk: choice.chosen
            for name, choice in self.reuse.items()
            if choice.chosen and self.document_rows[name].applies
        }


def schema_defaults(schema: dict[str, Any]) -> dict[str, Any]:
    """The schema's default values, used as the e-form's initial values."""
    properties = (schema or {}).get("properties") or {}
    return {name: spec["default"] for name, spec in properties.items() if isinstance(spec, dict) and "default" in spec}


def form_answers(schema: dict[str, Any], data: dict[str, Any]) -> list[tuple[str, Any]]:
    """(label, value) of each answered e-form field, in the form's order; dates as dates."""
    answers = []
    for name, field in schema_form_class(schema).base_fields.items():
        if name not in data:
            continue
        value = data[name]
        if isinstance(field, forms.DateField) and isinstance(value, str):
            with contextlib.suppress(ValueError):
                value = date.fromisoformat(value)
        answers.append((str(field.label or name), value))
    return answers


def raw_values(eform: forms.Form) -> dict[str, Any]:
    """What was typed in the e-form, unchecked (for a draft)."""
    return {name: eform[name].data for name in eform.fields}


def show_domain_error(exc: DomainError, *, main: forms.Form, eform: forms.Form, documents: forms.Form) -> None:
    """Put a refusal from the service next to the fields it is about ("" = the e-form as a whole)."""
    details = exc.details if isinstance(exc.details, dict) and exc.details else None
    if details is None:
        where = "documents" if isinstance(exc, FileRejected) else "agency" if isinstance(exc, NotOffered) else None
        details = {where: [exc.message]}
    for key, messages in details.items():
        for message in messages if isinstance(messages, list | tuple) else [messages]:
            text = str(message)
            if key in ("agency", "return_method", "return_address"):
                main.add_error(key, text)
            elif key in eform.fields:
                eform.add_error(key, text)
            elif key == "" and isinstance(exc, FormInvalid):
                eform.add_error(None, text)
            elif key == "documents":
                documents.add_error(None, text)
            else:
                main.add_error(None, text)
