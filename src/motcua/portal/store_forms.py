from django import forms
from django.utils.translation import gettext_lazy as _

from motcua.documents.constants import ShareDuration


class ShareForm(forms.Form):
    duration = forms.ChoiceField(label=_("Link open for"), choices=ShareDuration.choices, initial=ShareDuration.HOUR)
