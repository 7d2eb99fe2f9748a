"""What the rating pages show for each level: short words for big buttons, distinct from the levels'
names in lists (their own msgids, under the "rating" context)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import pgettext_lazy

from motcua.satisfaction.constants import Level
from motcua.satisfaction.models import Criterion

BUTTON_LABELS = {
    Level.VERY_SATISFIED: pgettext_lazy("rating", "Very satisfied"),
    Level.SATISFIED: pgettext_lazy("rating", "Satisfied"),
    Level.NOT_SATISFIED: pgettext_lazy("rating", "Not satisfied"),
}
LEVEL_CHOICES = [(level.value, label) for level, label in BUTTON_LABELS.items()]


class CriteriaFields:
    """A rating form's optional field per active criterion ("c_<code>"), for the portal's page and the desk
    tablet alike. Mixed into a ``forms.Form``; its ``__init__`` takes ``criteria``."""

    fields: dict[str, Any]
    cleaned_data: dict[str, Any]

    def __init__(self, *args: Any, criteria: list[Criterion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for criterion in criteria:
            self.fields[f"c_{criterion.code}"] = forms.ChoiceField(
                label=criterion.name, choices=LEVEL_CHOICES, required=False, widget=forms.RadioSelect
            )

    def criterion_fields(self) -> list[forms.BoundField]:
        return [self[f"c_{criterion.code}"] for criterion in self.criteria]  # type: ignore[index]

    def scores(self) -> dict[str, str]:
        return {c.code: self.cleaned_data[f"c_{c.code}"] for c in self.criteria if self.cleaned_data[f"c_{c.code}"]}
