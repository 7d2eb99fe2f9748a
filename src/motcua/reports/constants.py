"""Indicator keys and how they compare with their targets (DOMAIN.md §10)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class IndicatorKey(models.TextChoices):
    RECEIVED = "received", _("Dossiers received")
    RECEIVED_DESK = "received_desk", _("Received at the desk")
    RECEIVED_ONLINE = "received_online", _("Received online")
    RECEIVED_POSTAL = "received_postal", _("Received by post")
    ONLINE_SHARE = "online_share", _("Share received online")
    FINISHED_EARLY = "finished_early", _("Finished early")
    FINISHED_ON_TIME = "finished_on_time", _("Finished on time")
    FINISHED_LATE = "finished_late", _("Finished late")
    ON_TIME_SHARE = "on_time_share", _("Share finished early or on time")
    OPEN_NOT_DUE = "open_not_due", _("Open, not yet due")
    OPEN_OVERDUE = "open_overdue", _("Open and overdue")
    SUPPLEMENTS = "supplements", _("Supplement requests")
    REFUSED = "refused", _("Refused at reception")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    STOPPED = "stopped", _("Processing stopped")
    ONLINE_PROCEDURES_OFFERED = "online_procedures_offered", _("Procedures offered online")
    TIMELINESS = "timeliness", _("Open not yet due or finished in time, of those received")
    ONLINE_PROCEDURES_USED = "online_procedures_used", _("Online procedures that received online dossiers")
    E_RESULT_SHARE = "e_result_share", _("Results issued electronically (signed)")
    RETURNED_ELECTRONIC_SHARE = "returned_electronic_share", _("Results returned electronically")
    DIGITIZED_SHARE = "digitized_share", _("Dossiers received with every component digitized")
    DESK_PRODUCTIVITY = "desk_productivity", _("Dossiers received per desk officer per year")
    APOLOGIES = "apologies", _("Apology letters issued")
    REUSE_SHARE = "reuse_share", _("Dossiers received with a document taken from the data store")
    NOT_ASKED_AGAIN = "not_asked_again", _("Applicants not asked again for documents their data store held")
    ECOPY_OFFERED = "ecopy_offered", _("Certifying agencies offering certified electronic copies")
    ECOPY_USED = "ecopy_used", _("Certification results issued as certified electronic copies")
    BACKFILE = "backfile", _("Earlier results digitized into data stores")
    MOVED_ELECTRONIC = "moved_electronic", _("Dossiers that crossed agencies moved electronically")
    SYNC_SHARE = "sync_share", _("Dossiers received that are synchronised with the national portal")
    SYNC_LAG_P95 = "sync_lag_p95", _("National portal sync lag, 95th percentile")
    SYNC_DEAD_LETTERS = "sync_dead_letters", _("National portal sync dead letters open")
    ONLINE_PAID_SHARE = "online_paid_share", _("Fee-bearing dossiers received whose fees were all paid online")
    ONLINE_PAYMENT_PROCEDURES_SHARE = (
        "online_payment_procedures_share",
        _("Procedures with fee-bearing dossiers that had an online payment"),
    )
    # Collected by channel: the amounts paid (not refunded) in the period, one indicator per method.
    COLLECTED_ONLINE = "collected_online", _("Fees collected online")
    COLLECTED_CASH = "collected_cash", _("Fees collected in cash at the desk")
    COLLECTED_TRANSFER = "collected_transfer", _("Fees collected by bank transfer")
    # The citizen's voice and the service centre (issue 17, DOMAIN.md §11).
    FEEDBACK_RECEIVED = "feedback_received", _("Feedback received")
    FEEDBACK_ON_TIME_SHARE = "feedback_on_time_share", _("Feedback answered on time, of those answered")
    FEEDBACK_OPEN_OVERDUE = "feedback_open_overdue", _("Feedback open past its deadline")
    RATINGS = "ratings", _("Satisfaction ratings")
    SATISFACTION_SHARE = "satisfaction_share", _("Ratings satisfied or very satisfied")
    TICKETS_CALLED = "tickets_called", _("Queue tickets called")
    QUEUE_WAIT_AVERAGE = "queue_wait_average", _("Average wait at the desk")
    QUEUE_SERVICE_AVERAGE = "queue_service_average", _("Average time at the counter")


class Comparator(models.TextChoices):
    AT_LEAST = "gte", _("at least")
    AT_MOST = "lte", _("at most")


class Unit(models.TextChoices):
    COUNT = "count", _("dossiers")
    PERCENT = "percent", _("%")
    PER_YEAR = "per_year", _("per officer per year")
    DOCUMENTS = "documents", _("documents")
    SECONDS = "seconds", _("seconds")
    MESSAGES = "messages", _("messages")
    VND = "vnd", _("VND")
    MINUTES = "minutes", _("minutes")
    FEEDBACK = "feedback", _("feedback")
    RATINGS = "ratings", _("ratings")
    TICKETS = "tickets", _("tickets")
