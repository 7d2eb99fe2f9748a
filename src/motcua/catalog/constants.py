from django.db import models
from django.utils.translation import gettext_lazy as _


class OnlineMode(models.TextChoices):
    FULL = "full", _("Full online")
    PARTIAL = "partial", _("Partial online")
    NONE = "none", _("Not online (information only)")


# The levels of Decision 846/QĐ-TTg (2017) are still quoted on notices: 4 = full, 3 = partial, 2 = none.
LEGACY_ONLINE_LEVEL = {OnlineMode.FULL: 4, OnlineMode.PARTIAL: 3, OnlineMode.NONE: 2}


class TimeUnit(models.TextChoices):
    WORKING_DAYS = "working_days", _("working days")
    WORKING_HOURS = "working_hours", _("working hours")
    CALENDAR_DAYS = "calendar_days", _("calendar days")
    NONE = "none", _("no fixed deadline")


class ImplementingLevel(models.TextChoices):
    PROVINCE = "province", _("Province")
    DEPARTMENT = "department", _("Department")
    DISTRICT = "district", _("District")
    COMMUNE = "commune", _("Commune")


class DocumentForm(models.TextChoices):
    ORIGINAL = "original", _("Original")
    COPY = "copy", _("Copy")
    CERTIFIED_COPY = "certified_copy", _("Certified copy")
    ELECTRONIC = "electronic", _("Electronic")


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    RETIRED = "retired", _("Retired")


CATALOG_FORMAT = "motcua.catalog/1"
# Official procedure names run past 600 characters (e.g. 1.013831); leave room.
NAME_MAX_LENGTH = 1000
CODE_MAX_LENGTH = 40
