from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from motcua.agencies.models import Agency
from motcua.catalog.constants import ImplementingLevel, OnlineMode
from motcua.catalog.selectors import sectors_with_procedures


class ProcedureFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("e.g. birth registration")}),
    )
    sector = forms.ChoiceField(label=_("Sector"), required=False)
    agency = forms.ChoiceField(label=_("Agency"), required=False)
    level = forms.ChoiceField(
        label=_("Level"), required=False, choices=[("", _("All levels")), *ImplementingLevel.choices]
    )
    online_mode = forms.ChoiceField(
        label=_("Online service"), required=False, choices=[("", _("All")), *OnlineMode.choices]
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["sector"].choices = [("", _("All sectors"))] + [  # type: ignore[attr-defined]
            (s.code, s.name) for s in sectors_with_procedures()
        ]
        self.fields["agency"].choices = [("", _("All agencies"))] + [  # type: ignore[attr-defined]
            (a.code, a.name) for a in Agency.objects.filter(offering__isnull=False).distinct().order_by("path")
        ]
