"""Forms of the desk's dossier pages: the reception actions and the walk-in dossier."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from motcua.agencies.models import Agency, Desk
from motcua.catalog.constants import DocumentForm
from motcua.catalog.models import ProcedureCase, RequiredDocument
from motcua.documents.models import DigitizedDocument
from motcua.dossiers.constants import Channel, ReturnMethod
from motcua.dossiers.exceptions import FileRejected
from motcua.dossiers.files import check_upload
from motcua.dossiers.services import Upload
from motcua.dossiers.staging import staged_upload
from motcua.dossiers.staging_models import StagedUpload
from motcua.workflow.intake_rows import DocumentRow, ReuseChoice, reuse_choice

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


class DigitizationChargeForm(forms.Form):
    """Paper the desk digitized on demand for the applicant: how many pages (the fee is per page)."""

    pages = forms.IntegerField(label=_("Pages digitized"), min_value=1, max_value=1000)
    note = forms.CharField(label=_("What was digitized"), max_length=500, required=False)


def action_form(action: str, data: Any = None) -> forms.Form:
    # Distinct ids, same field names: several of these forms share one page.
    return ACTION_FORMS[action](data, auto_id=f"id_{action}_%s")


class ProcedureChoiceForm(forms.Form):
    """Sub-step one of a walk-in dossier (a GET form): which procedure the applicant asks for.

    ``procedures``: (code, name) of what the desk receives; options read name first, code after.
    """

    procedure = forms.ChoiceField(label=_("Procedure"))

    def __init__(self, *args: Any, procedures: Iterable[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ChoiceField, self.fields["procedure"])
        field.choices = [("", "—"), *((code, f"{name} ({code})") for code, name in procedures)]


class ProcedureFindForm(forms.Form):
    """The search above the procedure choice (a GET form): words of the name, with or without diacritics."""

    q = forms.CharField(
        label=_("Find the procedure by its name"),
        help_text=_("For example: khai sinh, chung thuc ban sao."),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )


PAPER_CHOICES = [
    ("", _("No paper")),
    (DocumentForm.ORIGINAL, _("Original seen and compared")),
    (DocumentForm.CERTIFIED_COPY, _("Certified copy received")),
    (DocumentForm.COPY, _("Copy received")),
]


class WalkInForm(forms.Form):
    """Sub-step two: desk, competent agency, the case, the documents given and the return method.

    The e-form is a separate form built from the procedure version's schema (``schema_form_class``).
    Each document of the version is listed with its rule for the case and answers known
    (``workflow.intake_rows``): a scan, and/or the paper received in its true form, or, for a document
    the applicant's data store holds (``offers``), that stored document instead of any scan or paper.
    """

    desk = forms.ChoiceField(label=_("Receiving desk"))
    channel = forms.ChoiceField(
        label=_("How the dossier reached the desk"),
        choices=[
            (Channel.DESK, _("In person at the desk")),
            (Channel.POSTAL, _("Through the public postal service")),
        ],
        initial=Channel.DESK,
        widget=forms.RadioSelect,
        required=False,  # not sent: at the desk
    )
    postal_order_number = forms.CharField(
        label=_("Postal order number"),
        help_text=_("The number on the postal service's order, for a dossier that came by post."),
        max_length=40,
        required=False,
    )
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
        rows: list[DocumentRow],
        cases: tuple[ProcedureCase, ...] = (),
        staged: dict[str, StagedUpload] | None = None,
        offers: dict[int, list[DigitizedDocument]] | None = None,
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
        if cases:
            self.fields["case"] = forms.ChoiceField(
                label=_("Case"),
                choices=[(c.code, c.name) for c in cases],
                widget=forms.RadioSelect(attrs={"data-case": ""}),
                required=False,
                initial=cases[0].code if len(cases) == 1 else None,
            )
        # Scans kept from an earlier try of this page (dossiers.staging), by field name.
        self.staged = dict(staged or {})
        self.rows = list(rows)
        self.documents = [row.document for row in self.rows]
        self.reuse: dict[int, ReuseChoice] = {}
        for row in self.rows:
            pk = row.document.pk
            choice = reuse_choice(row.document, (offers or {}).get(pk, []), data=self.data if self.is_bound else None)
            if choice is not None:
                self.reuse[pk] = choice
                self.fields[choice.name] = forms.CharField(
                    label=_("Use a document already in the data store"), required=False, max_length=160
                )
            self.fields[f"file_{pk}"] = forms.FileField(label=_("Scan"), required=False)
            self.fields[f"paper_{pk}"] = forms.ChoiceField(
                label=_("Paper received"), choices=PAPER_CHOICES, required=False
            )
            if row.label_only:
                self.fields[f"applies_{pk}"] = forms.BooleanField(
                    label=_("This case applies to the applicant"), required=False
                )

    def clean_channel(self) -> str:
        return self.cleaned_data.get("channel") or Channel.DESK

    def checklist(self) -> list[tuple[RequiredDocument, Any, Any]]:
        """(required document, its file field, its "paper received" field) for the template."""
        return [(d, self[f"file_{d.pk}"], self[f"paper_{d.pk}"]) for d in self.documents]

    def checklist_rows(self) -> list[tuple[DocumentRow, Any, Any, Any, StagedUpload | None]]:
        """Each document's rule, its scan, its paper, its "applies" box (or None) and its kept scan."""
        return [
            (
                row,
                self[f"file_{row.document.pk}"],
                self[f"paper_{row.document.pk}"],
                self[f"applies_{row.document.pk}"] if row.label_only else None,
                self.staged.get(f"file_{row.document.pk}"),
            )
            for row in self.rows
        ]

    def checklist_rows_with_reuse(
        self,
    ) -> list[tuple[DocumentRow, Any, Any, Any, StagedUpload | None, ReuseChoice | None]]:
        """``checklist_rows``, each with the applicant's data store's offer for the document (or None)."""
        return [(*item, self.reuse.get(item[0].document.pk)) for item in self.checklist_rows()]

    def _reused(self, pk: int) -> bool:
        return bool(pk in self.reuse and self.reuse[pk].chosen)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for document in self.documents:
            upload = cleaned.get(f"file_{document.pk}")
            if upload is None or self._reused(document.pk):
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
        """The scans chosen now, and the kept ones for documents given no new scan (only documents
        the case asks for)."""
        result = []
        for row in self.rows:
            if not row.applies or self._reused(row.document.pk):
                continue  # a document taken from the data store needs no scan
            name = f"file_{row.document.pk}"
            if (upload := self.cleaned_data.get(name)) is not None:
                result.append(
                    Upload(name=upload.name, stream=upload, size=upload.size, required_document_id=row.document.pk)
                )
            elif name in self.staged:
                result.append(staged_upload(self.staged[name], required_document_id=row.document.pk))
        return result

    def papers(self) -> dict[int, str]:
        """Documents received on paper, with the form the paper had (only documents the case asks for)."""
        return {
            row.document.pk: form
            for row in self.rows
            if row.applies
            and not self._reused(row.document.pk)
            and (form := self.cleaned_data.get(f"paper_{row.document.pk}"))
        }

    def reused(self) -> dict[int, str]:
        """Documents taken from the applicant's data store: required document id → the stored code."""
        return {
            row.document.pk: self.reuse[row.document.pk].chosen
            for row in self.rows
            if row.applies and self._reused(row.document.pk)
        }

    def conditions_met(self) -> set[int]:
        return {
            row.document.pk
            for row in self.rows
            if row.label_only and self.cleaned_data.get(f"applies_{row.document.pk}")
        }
