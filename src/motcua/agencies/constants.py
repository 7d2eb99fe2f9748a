from django.db import models
from django.utils.translation import gettext_lazy as _


class AgencyLevel(models.TextChoices):
    PROVINCE = "province", _("Province")
    DEPARTMENT = "department", _("Department or unit")
    DISTRICT = "district", _("District")
    COMMUNE = "commune", _("Commune")


# Which levels may sit under which: the two-level government since 2025 has no districts, but older
# trees (province → district → commune) stay importable.
ALLOWED_PARENT_LEVELS: dict[str, set[str | None]] = {
    AgencyLevel.PROVINCE: {None},
    AgencyLevel.DEPARTMENT: {AgencyLevel.PROVINCE, AgencyLevel.DEPARTMENT, AgencyLevel.DISTRICT, AgencyLevel.COMMUNE},
    AgencyLevel.DISTRICT: {AgencyLevel.PROVINCE},
    AgencyLevel.COMMUNE: {AgencyLevel.PROVINCE, AgencyLevel.DISTRICT},
}
