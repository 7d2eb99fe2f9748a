"""The staff dossier list: its query and its rows (documented here, built without per-field serializer
cost by ``staff_dossier_views.staff_dossier_row``; a test validates the rows against this schema)."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from motcua.dossiers.constants import Channel, NationalStatus, Status
from motcua.identity.constants import Role
from motcua.workflow.inbox import Urgency

URGENCIES = [Urgency.ON_TRACK, Urgency.AT_RISK, Urgency.OVERDUE, Urgency.NONE]
STEP_ROLES = [Role.DESK_OFFICER, Role.SPECIALIST, Role.UNIT_LEADER, Role.CLERK]


class StaffDossierQuerySerializer(serializers.Serializer[Any]):
    unit = serializers.RegexField(
        r"^[A-Z0-9.]{1,35}$", help_text="code of an agency on which the caller holds a role (e.g. H49.101)"
    )
    status = serializers.ChoiceField(choices=Status.choices, required=False, help_text="only dossiers in this state")


class StaffDossierSerializer(serializers.Serializer[Any]):
    code = serializers.CharField()
    procedure_code = serializers.CharField()
    procedure_name = serializers.CharField()
    applicant_name = serializers.CharField()
    applicant_id_number = serializers.CharField(help_text="masked: only the last 3 digits")
    channel = serializers.ChoiceField(choices=Channel.choices)
    status = serializers.ChoiceField(choices=Status.choices)
    national_status = serializers.ChoiceField(choices=NationalStatus.choices)
    received_at = serializers.DateTimeField(allow_null=True)
    due_at = serializers.DateTimeField(allow_null=True)
    step = serializers.IntegerField(allow_null=True, help_text="position of the current (or last) process step")
    step_name = serializers.CharField(allow_blank=True)
    step_due_at = serializers.DateTimeField(allow_null=True)
    holder_agency = serializers.CharField(allow_null=True, help_text="code of the agency holding the dossier")
    holder_role = serializers.ChoiceField(
        choices=[(r.value, r.label) for r in STEP_ROLES], allow_blank=True, help_text="role of the current step"
    )
    assignee = serializers.CharField(allow_null=True, help_text="username of the person holding it; null: the pool")
    urgency = serializers.ChoiceField(
        choices=URGENCIES,
        help_text="the due-time badge while the clock runs (received, in progress); none otherwise",
    )
