"""Request and response bodies of the processing actions (``api.dossier_views``) and of the submission on
behalf of an applicant. Rules stay in the workflow services: these only parse."""

from __future__ import annotations

import io
from typing import Any

from django.utils.translation import gettext as _
from rest_framework import serializers

from motcua.api.dossier_serializers import DocumentInputSerializer, DossierCreateSerializer
from motcua.dossiers.constants import ApplicantType
from motcua.dossiers.exceptions import FileRejected
from motcua.dossiers.files import check_upload
from motcua.workflow.constants import ReturnVia

MAX_REASON = 2000  # as the back office forms and the intake endpoints


def _note(**kwargs: Any) -> serializers.CharField:
    return serializers.CharField(required=False, allow_blank=True, default="", max_length=MAX_REASON, **kwargs)


def _reason(help_text: str) -> serializers.CharField:
    # Blank is let through: the workflow refuses it with its own code (``note_required``).
    return serializers.CharField(max_length=MAX_REASON, allow_blank=True, help_text=help_text)


def _assignee(help_text: str) -> serializers.CharField:
    return serializers.CharField(max_length=150, required=False, allow_blank=True, default="", help_text=help_text)


class ForwardSerializer(serializers.Serializer[Any]):
    assignee = _assignee(
        "username of the person for the next step (one who holds its role in its unit); empty: the unit's pool"
    )
    note = _note()
    draft = DocumentInputSerializer(
        required=False,
        allow_null=True,
        default=None,
        help_text="draft result (PDF) for the leader to sign, when the next step is the leader's",
    )

    def validate_draft(self, value: Any) -> Any:
        if not value:
            return None
        content = value["content_base64"]
        try:
            checked = check_upload(io.BytesIO(content), size=len(content))
        except FileRejected as exc:
            raise serializers.ValidationError(str(exc.message), code=exc.code) from exc
        if checked.content_type != "application/pdf":
            raise serializers.ValidationError(_("The draft result must be a PDF file."), code="draft_not_pdf")
        return value


class SendBackSerializer(serializers.Serializer[Any]):
    reason = _reason("why it goes back (the previous holder reads it)")


class ConsultSerializer(serializers.Serializer[Any]):
    agencies = serializers.ListField(
        child=serializers.CharField(max_length=35), max_length=50, help_text="codes of the agencies to consult"
    )
    question = _reason("the question the agencies answer")
    hours = serializers.DecimalField(
        max_digits=7, decimal_places=2, help_text="time to answer, in working hours (more than 0, at most 800)"
    )


class AnswerConsultationSerializer(serializers.Serializer[Any]):
    answer = _reason("the agency's opinion")
    documents = DocumentInputSerializer(many=True, required=False, default=list)


class StopSerializer(serializers.Serializer[Any]):
    reason = _reason("reasons for stopping (sent to the applicant)")


class PaymentRequestSerializer(serializers.Serializer[Any]):
    amount = serializers.IntegerField(min_value=1, max_value=10**12, help_text="amount to pay, in đồng")
    note = _reason("what is to be paid")


class NoteSerializer(serializers.Serializer[Any]):
    note = _note()


class ApproveSerializer(serializers.Serializer[Any]):
    previewed = serializers.RegexField(
        r"^[0-9a-f]{64}$",
        help_text=(
            "the `digest` of GET /dossiers/{code}/result-preview: the leader signs exactly the result previewed;"
            " if it changed since, the approval is refused (409 preview_outdated)"
        ),
    )
    note = _note(help_text="note on the decision (timeline only; the result prints the procedure's data)")
    assignee = _assignee("username of the clerk who numbers the result; empty: the unit's pool")


class RejectSerializer(serializers.Serializer[Any]):
    reason = _reason("reasons for refusing the request (written in the signed letter)")
    assignee = _assignee("username of the clerk who numbers the letter; empty: the unit's pool")


class ReturnResultSerializer(serializers.Serializer[Any]):
    via = serializers.ChoiceField(choices=ReturnVia.choices, help_text="how the result reached the applicant")
    note = _note()


class ApologizeSerializer(serializers.Serializer[Any]):
    reason = _reason("reason for the delay (written in the apology letter)")
    new_due_at = serializers.DateTimeField(
        help_text="the new due time, with its offset (e.g. 2026-03-12T16:00:00+07:00); later than the current one"
    )


class ResultPreviewSerializer(serializers.Serializer[Any]):
    digest = serializers.CharField(help_text="SHA-256 of what the leader would sign: give it to approve")
    content_type = serializers.CharField()
    content_base64 = serializers.CharField(help_text="the result as it would be signed now (PDF), without number")


class ActionOfferSerializer(serializers.Serializer[Any]):
    action = serializers.CharField(help_text="the action's name; its endpoint is the name with - for _")
    note_required = serializers.BooleanField(help_text="the action needs a reason")


class ActionsSerializer(serializers.Serializer[Any]):
    code = serializers.CharField(help_text="the dossier")
    actions = ActionOfferSerializer(many=True, help_text="in the order of the workflow's transition table")


class ApplicantSerializer(serializers.Serializer[Any]):
    type = serializers.ChoiceField(
        choices=[(ApplicantType.CITIZEN.value, "citizen"), (ApplicantType.ENTERPRISE.value, "enterprise")],
        default=ApplicantType.CITIZEN.value,
    )
    id_number = serializers.CharField(
        max_length=14, help_text="personal ID (12 digits) of a citizen, enterprise code of an enterprise"
    )
    full_name = serializers.CharField(max_length=255)
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    email = serializers.EmailField(max_length=254, required=False, allow_blank=True, default="")
    address = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")


class DossierOnBehalfSerializer(DossierCreateSerializer):
    """The online submission's body, for an applicant identified by the integrated system."""

    applicant = ApplicantSerializer()
    reused = None  # type: ignore[assignment]  # a system attaches the files; it does not read a store
