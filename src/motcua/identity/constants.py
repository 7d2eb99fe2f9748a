from django.db import models
from django.utils.translation import gettext_lazy as _


class AccountKind(models.TextChoices):
    CITIZEN = "citizen", _("Citizen")
    ORGANISATION = "organisation", _("Enterprise or organisation")
    STAFF = "staff", _("Staff")


class Role(models.TextChoices):
    DESK_OFFICER = "desk_officer", _("Desk officer")
    SPECIALIST = "specialist", _("Specialist")
    UNIT_LEADER = "unit_leader", _("Unit leader")
    CLERK = "clerk", _("Clerk")
    SUPERVISOR = "supervisor", _("Supervisor")
    ADMINISTRATOR = "administrator", _("Administrator")


class VerificationMethod(models.TextChoices):
    """How an account's personal ID was checked to be its holder's."""

    DESK = "desk", _("Identity card checked at a one-stop desk")
    NATIONAL_ID_LOGIN = "national_id_login", _("National identity login (VNeID)")
