"""Public status of one feedback by its code: what the portal's look-up page shows, for other systems and
mobile apps (issue 17). Unknown codes are throttled per client address, as on the portal."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from motcua.core.ratelimit import address_key, failures_exhausted
from motcua.feedback.constants import FeedbackStatus
from motcua.feedback.exceptions import FeedbackLookupsExhausted, FeedbackNotFound
from motcua.feedback.models import Feedback
from motcua.feedback.selectors import feedback_by_code


class FeedbackStatusSerializer(serializers.Serializer[Feedback]):
    code = serializers.CharField()
    title = serializers.CharField()
    agency_code = serializers.CharField(source="agency.code")
    agency_name = serializers.CharField(source="agency.name")
    status = serializers.ChoiceField(choices=FeedbackStatus.choices)
    received_at = serializers.DateTimeField()
    due_at = serializers.DateTimeField()
    answered_at = serializers.DateTimeField(allow_null=True)
    answer = serializers.CharField(help_text="The answer, or the reason for declining; empty while open.")
    published = serializers.BooleanField(source="is_published")


def _blocked(request: Request, *, count_failure: bool = False) -> bool:
    limits = [(address_key, settings.TRACKING_RATE_LIMIT)]
    return failures_exhausted(
        request._request, group="feedback-lookup", limits=limits, count_failure=count_failure, method="GET"
    )


class FeedbackStatusView(APIView):
    @extend_schema(
        operation_id="feedback_status",
        summary="Status of a feedback by its code",
        description=(
            "Status, unit, deadline and answer of one feedback (phản ánh, kiến nghị) by the code its sender "
            "was given. The sender's details are never returned. Unknown codes count against the caller's "
            "address: too many answer 429 `too_many_lookups`."
        ),
        responses=FeedbackStatusSerializer,
    )
    def get(self, request: Request, code: str) -> Response:
        if _blocked(request):
            raise FeedbackLookupsExhausted()
        feedback = feedback_by_code(code)
        if feedback is None:
            _blocked(request, count_failure=True)
            raise FeedbackNotFound()
        data: dict[str, Any] = FeedbackStatusSerializer(feedback).data
        return Response(data)
