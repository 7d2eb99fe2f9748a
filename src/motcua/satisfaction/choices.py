"""What the rating pages show for each level: short words for big buttons, distinct from the levels'
names in lists (their own msgids, under the "rating" context)."""

from __future__ import annotations

from django.utils.translation import pgettext_lazy

from motcua.satisfaction.constants import Level

BUTTON_LABELS = {
    Level.VERY_SATISFIED: pgettext_lazy("rating", "Very satisfied"),
    Level.SATISFIED: pgettext_lazy("rating", "Satisfied"),
    Level.NOT_SATISFIED: pgettext_lazy("rating", "Not satisfied"),
}
LEVEL_CHOICES = [(level.value, label) for level, label in BUTTON_LABELS.items()]
