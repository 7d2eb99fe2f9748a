from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

MAX_IMPORT_BYTES = 10 * 1024 * 1024


class ImportForm(forms.Form):
    file = forms.FileField(label=_("File"))

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        if upload.size == 0:
            raise forms.ValidationError(_("The file is empty."))
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(_("The file is larger than 10 MB."))
        return upload
