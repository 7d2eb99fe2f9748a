"""Public page to check a signed PDF: who signed, was it changed since, is the signer trusted (DOMAIN.md §8)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

from motcua.signing.exceptions import NotAPdf
from motcua.signing.verify import VERIFY_MAX_BYTES, verify_pdf

NOT_A_PDF = _("This file is not a PDF document. Choose the PDF file of the result.")


class SignatureVerifyForm(forms.Form):
    file = forms.FileField(
        label=_("Signed PDF file"),
        help_text=_("The electronic result you received, as a PDF of at most 20 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,application/pdf"}),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > VERIFY_MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 20 MB."), code="too_large")
        head = upload.read(5)
        upload.seek(0)
        if head != b"%PDF-":
            raise forms.ValidationError(NOT_A_PDF, code="not_a_pdf")
        return upload


@never_cache
def signature_verify(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return render(request, "portal/verify_signature.html", {"form": SignatureVerifyForm()})
    form = SignatureVerifyForm(request.POST, request.FILES)
    report = None
    if form.is_valid():
        try:
            report = verify_pdf(form.cleaned_data["file"].read())
        except NotAPdf:
            form.add_error("file", forms.ValidationError(NOT_A_PDF, code="not_a_pdf"))
    status = 200 if report is not None else 400
    return render(request, "portal/verify_signature.html", {"form": form, "report": report}, status=status)
