from django import forms
from django.utils.translation import gettext_lazy as _

from motcua.documents.constants import OwnerKind


class BackfileForm(forms.Form):
    """An earlier result on paper (still in force) to digitize; the rules are the service's."""

    owner_kind = forms.ChoiceField(label=_("Owner"), choices=OwnerKind.choices, initial=OwnerKind.PERSON)
    owner_id_number = forms.CharField(
        label=_("Personal ID or enterprise code"),
        max_length=20,
        help_text=_("12 digits for a person; 10 digits (or 10 digits, a dash and 3 digits) for an organisation."),
    )
    owner_name = forms.CharField(label=_("Owner's name"), max_length=255)
    result_number = forms.CharField(label=_("Number on the paper"), max_length=60)
    type_code = forms.CharField(label=_("Result type code"), max_length=50, required=False)
    name = forms.CharField(label=_("Name of the document"), max_length=500)
    issuer = forms.CharField(label=_("Issued by"), max_length=255)
    issued_on = forms.DateField(label=_("Issued on"), widget=forms.DateInput(attrs={"type": "date"}))
    valid_until = forms.DateField(
        label=_("Valid until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Empty: does not expire."),
    )
    file = forms.FileField(label=_("Scanned file (PDF, JPEG or PNG, at most 10 MB)"))

    def clean_owner_id_number(self) -> str:
        return str(self.cleaned_data["owner_id_number"]).strip().upper()
