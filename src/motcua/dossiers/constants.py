"""Dossier states and their mapping onto the ten national statuses (DOMAIN.md §5)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    """Internal states: richer than the national list, mapped onto it by NATIONAL_STATUS."""

    SUBMITTED = "submitted", _("Submitted, awaiting reception")
    RECEIVED = "received", _("Received")
    REFUSED = "refused", _("Refused at reception")
    IN_PROGRESS = "in_progress", _("In progress")
    SUPPLEMENT_REQUESTED = "supplement_requested", _("Supplement requested")
    FINANCIAL_OBLIGATION = "financial_obligation", _("Awaiting payment of fees or taxes")
    WITHDRAWN = "withdrawn", _("Withdrawn by the applicant")
    STOPPED = "stopped", _("Processing stopped")
    RESULT_READY = "result_ready", _("Result ready")
    RETURNED = "returned", _("Result delivered")


class NationalStatus(models.IntegerChoices):
    """The national portal's ten statuses (the codes that reports and synchronisation use)."""

    NEW = 1, _("Newly registered")
    ACCEPTED = 2, _("Accepted")
    NOT_ACCEPTED = 3, _("Not accepted")
    PROCESSING = 4, _("Being processed")
    SUPPLEMENT = 5, _("Supplement of documents requested")
    FINANCIAL = 6, _("Financial obligation requested")
    WITHDRAWN = 7, _("Withdrawn at the citizen's request")
    STOPPED = 8, _("Processing stopped")
    DONE = 9, _("Processed")
    RETURNED = 10, _("Result returned")


# One total table: every internal state has exactly one national code (tested).
NATIONAL_STATUS: dict[str, int] = {
    Status.SUBMITTED: NationalStatus.NEW,
    Status.RECEIVED: NationalStatus.ACCEPTED,
    Status.REFUSED: NationalStatus.NOT_ACCEPTED,
    Status.IN_PROGRESS: NationalStatus.PROCESSING,
    Status.SUPPLEMENT_REQUESTED: NationalStatus.SUPPLEMENT,
    Status.FINANCIAL_OBLIGATION: NationalStatus.FINANCIAL,
    Status.WITHDRAWN: NationalStatus.WITHDRAWN,
    Status.STOPPED: NationalStatus.STOPPED,
    Status.RESULT_READY: NationalStatus.DONE,
    Status.RETURNED: NationalStatus.RETURNED,
}

FINAL_STATUSES = frozenset({Status.REFUSED, Status.WITHDRAWN, Status.STOPPED, Status.RETURNED})
# Received and not yet decided: the stock of dossiers whose processing clock counts (reports' "open").
OPEN_STATUSES = (Status.RECEIVED, Status.IN_PROGRESS, Status.SUPPLEMENT_REQUESTED, Status.FINANCIAL_OBLIGATION)


class Channel(models.TextChoices):
    DESK = "desk", _("At the desk")
    ONLINE = "online", _("Online")
    POSTAL = "postal", _("Public postal service")


NATIONAL_CHANNEL = {Channel.DESK: 1, Channel.ONLINE: 2, Channel.POSTAL: 3}


class ApplicantType(models.TextChoices):
    CITIZEN = "citizen", _("Citizen")
    ENTERPRISE = "enterprise", _("Enterprise")
    STATE_AGENCY = "state_agency", _("State agency")
    ORGANISATION = "organisation", _("Other organisation")


NATIONAL_APPLICANT_TYPE = {
    ApplicantType.CITIZEN: 1,
    ApplicantType.ENTERPRISE: 2,
    ApplicantType.STATE_AGENCY: 3,
    ApplicantType.ORGANISATION: 4,
}


class ReturnMethod(models.TextChoices):
    DESK = "desk", _("At the desk")
    POST = "post", _("By post")
    ELECTRONIC = "electronic", _("Electronic")
