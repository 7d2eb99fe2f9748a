from datetime import timedelta

from django.db import models
from django.utils.translation import gettext_lazy as _

# A component's validity when its document type names none (DOMAIN.md §8: 6 months, observed practice).
DEFAULT_COMPONENT_VALIDITY_MONTHS = 6


class OwnerKind(models.TextChoices):
    PERSON = "person", _("Person")
    ORGANISATION = "organisation", _("Organisation")


class Origin(models.TextChoices):
    """How a document came into the data store."""

    COMPONENT = "component", _("Dossier component")
    RESULT = "result", _("Result")
    BACKFILE = "backfile", _("Earlier result digitized")
    CERTIFIED_COPY = "certified_copy", _("Certified electronic copy")


class TextLayer(models.TextChoices):
    """Whether a scan was made searchable (OCR); an uploaded electronic file needs none."""

    NOT_NEEDED = "not_needed", _("Not needed")
    PENDING = "pending", _("Waiting for text recognition")
    DONE = "done", _("Searchable")
    UNAVAILABLE = "unavailable", _("Text recognition is not installed: kept as scanned")
    FAILED = "failed", _("Text recognition failed: kept as scanned")


class ShareDuration(models.TextChoices):
    """How long a share link stays open: the owner's choice."""

    HOUR = "1h", _("1 hour")
    DAY = "1d", _("1 day")
    WEEK = "7d", _("7 days")


SHARE_DURATIONS = {
    ShareDuration.HOUR: timedelta(hours=1),
    ShareDuration.DAY: timedelta(days=1),
    ShareDuration.WEEK: timedelta(days=7),
}
# Random bytes of a share token: 256 bits (at least 128 are required so that tokens cannot be guessed).
SHARE_TOKEN_BYTES = 32

# The e-copy procedure(s): "Chứng thực bản sao điện tử từ bản chính" (Nghị định 23/2015/NĐ-CP art. 18–20 as
# amended, Nghị định 45/2020/NĐ-CP art. 14). 2.009815 is the demo catalog's own code for it, distinct from
# the paper procedure 2.000815; a deployment lists the codes its catalog uses here (setting
# ``MOTCUA_CERTIFIED_COPY_PROCEDURES`` overrides it). Indicators ("certified e-copies offered and used")
# read ``certified_copy_procedure_codes()``.
CERTIFIED_COPY_PROCEDURE_CODES: tuple[str, ...] = ("2.009815",)
# The sector whose dossiers are certification dossiers (the denominator of "e-copies used").
CERTIFICATION_SECTOR_CODE = "CHUNGTHUC"
