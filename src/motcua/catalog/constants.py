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


class Requirement(models.TextChoices):
    """How a required document is required (DOMAIN.md §4: the law writes "trường hợp …")."""

    ALWAYS = "always", _("Always")
    CONDITIONAL = "conditional", _("Only when a condition holds")
    ONE_OF = "one_of", _("One of a group")
    OPTIONAL = "optional", _("Optional")


class FeeMoment(models.TextChoices):
    SUBMISSION = "submission", _("At submission")
    RECEPTION = "reception", _("At reception")
    RETURN = "return", _("When the result is returned")


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    RETIRED = "retired", _("Retired")


CATALOG_FORMAT = "motcua.catalog/2"
# Files of the first format (no cases, one result text) are still read.
CATALOG_FORMATS_READ = ("motcua.catalog/1", CATALOG_FORMAT)
# Official procedure names run past 600 characters (e.g. 1.013831); leave room.
NAME_MAX_LENGTH = 1000
CODE_MAX_LENGTH = 40
