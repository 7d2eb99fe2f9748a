"""The answering deadline of a feedback, in the responsible unit's working time (DOMAIN.md §6, §11)."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Q

from motcua.agencies.calendar import deployment_calendar
from motcua.agencies.models import Agency
from motcua.core.working_time import DurationUnit
from motcua.feedback.models import AnswerRule


def answer_rule(agency: Agency) -> AnswerRule:
    """The rule of ``agency``: its own, else its nearest parent's, else the deployment's (a row without an
    agency, seeded with 10 working days), read in one query. Without any row, an unsaved rule with the model's
    default."""
    lineage = agency.lineage
    rules = {rule.agency_id: rule for rule in AnswerRule.objects.filter(Q(agency_id__in=lineage) | Q(agency=None))}
    for agency_id in [*reversed(lineage), None]:
        if agency_id in rules:
            return rules[agency_id]
    return AnswerRule()


def answer_due_at(received_at: datetime, agency: Agency) -> datetime:
    """When the answer is due: the rule's duration from ``received_at`` on the unit's working calendar
    (days off skipped, make-up days counted; reception outside working hours starts at the next opening)."""
    rule = answer_rule(agency)
    return deployment_calendar(agency).due_at(received_at, rule.amount, DurationUnit(rule.unit))


def answer_warn_at(due_at: datetime, agency: Agency) -> datetime:
    """From when the feedback is "at risk": one working day before its deadline, as for dossiers."""
    return deployment_calendar(agency).at_risk_from(due_at)
