"""Satisfaction levels and where a rating was given."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.dossiers.constants import Status


class Level(models.TextChoices):
    VERY_SATISFIED = "very_satisfied", _("Very satisfied")
    SATISFIED = "satisfied", _("Satisfied")
    NOT_SATISFIED = "not_satisfied", _("Not satisfied")


# The satisfaction indicator counts these as satisfied (DOMAIN.md §10: satisfaction ≥ 90-95 %).
SATISFIED_LEVELS = (Level.VERY_SATISFIED, Level.SATISFIED)


class RatingChannel(models.TextChoices):
    ONLINE = "online", _("Online, from the notification's link")
    DESK = "desk", _("At the desk, on the tablet")


# A dossier can be rated once it has its result.
RATEABLE_STATUSES = (Status.RESULT_READY, Status.RETURNED)

# Criteria seeded by the migration (editable data): (code, name).
DEFAULT_CRITERIA = [
    ("attitude", "Thái độ phục vụ của công chức"),
    ("time", "Thời gian giải quyết so với giấy hẹn"),
    ("clarity", "Hướng dẫn rõ ràng, dễ hiểu"),
]
