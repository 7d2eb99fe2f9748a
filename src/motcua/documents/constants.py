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


# The procedure(s) "Chứng thực bản sao điện tử từ bản chính" (Nghị định 45/2020/NĐ-CP art. 14): the demo
# catalog's code for it is 2.009815 (distinct from the paper procedure 2.000815); a deployment lists the
# codes its catalog uses. The indicator "certified electronic copies offered" reads it.
CERTIFIED_ECOPY_PROCEDURE_CODES: tuple[str, ...] = ("2.009815",)
# The sector whose dossiers are certification dossiers (the denominator of "certified e-copies used").
CERTIFICATION_SECTOR_CODE = "CHUNGTHUC"
