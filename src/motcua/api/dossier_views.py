"""Dossier endpoints: submission with an Idempotency-Key (also by an integrated system on behalf of an
applicant), scoped reads, and one endpoint per workflow action, each calling the service the back office
calls, once per Idempotency-Key."""

from __future__ import annotations

import base64
from collections.abc import Callable
from typing import Any, cast

from django.db.models import Prefetch, QuerySet, prefetch_related_objects
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from motcua.api import dossier_serializers as s
from motcua.api import processing_serializers as p
from motcua.api.pagination import LargeListPagination
from motcua.core.exceptions import NotFound
from motcua.documents.certification import is_certified_copy_procedure
from motcua.dossiers.models import REUSE_SOURCE, Dossier, DossierDocument
from motcua.dossiers.system_selectors import dossier_for_caller, dossiers_visible_to_caller
from motcua.identity.models import User
from motcua.identity.token_models import ApiToken
from motcua.identity.tokens import system_call_record, system_token_of, token_action_check
from motcua.workflow import on_behalf, processing, results, services
from motcua.workflow.actions import ActionOffer, allowed_actions
from motcua.workflow.constants import Action
from motcua.workflow.idempotency import dossier_act_once
from motcua.workflow.inbox import next_step_people
from motcua.workflow.steps import AssigneeNotEligible

IDEMPOTENCY = OpenApiParameter(
    "Idempotency-Key",
    {"type": "string", "maxLength": services.MAX_IDEMPOTENCY_KEY},
    OpenApiParameter.HEADER,
    required=False,
    description=(
        "At most 80 characters, scoped to the caller's account. Repeating a request with the same key and body"
        " returns the dossier (200, header `Idempotent-Replayed: true` for an action) without acting again; the"
        " same key with another body is refused (409, idempotency_key_reused). A refused request keeps no key."
    ),
)


@extend_schema_view(
    list=extend_schema(summary="Dossiers the caller may see (own dossiers, or those of the caller's agencies)"),
    retrieve=extend_schema(summary="One dossier with its documents and timeline"),
)
class DossierViewSet(viewsets.GenericViewSet[Dossier]):
    lookup_field = "code"
    lookup_value_regex = r"[0-9A-Z.]+-[0-9]{6}-[0-9]{4,}"
    permission_classes = [permissions.IsAuthenticated]
    pagination_class = LargeListPagination

    def _visible(self) -> QuerySet[Dossier]:
        """The caller's dossiers: its user's, narrowed to its scope for an integrated system's token."""
        return dossiers_visible_to_caller(self.request.user, self.request.auth)

    def get_queryset(self) -> QuerySet[Dossier]:
        return self._visible().order_by("-id")

    def get_serializer_class(self) -> Any:
        return s.DossierDetailSerializer if self.action != "list" else s.DossierSerializer

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        if (token := system_token_of(request.auth)) is not None:
            system_call_record(token=token, action="list", count=len(page or []))
        return self.get_paginated_response(s.DossierSerializer(page, many=True).data)

    def _detail(self, code: str, *, status_code: int = 200) -> Response:
        dossier = dossier_for_caller(self.request.user, self.request.auth, code)
        if dossier is None:
            raise NotFound()
        if (token := system_token_of(self.request.auth)) is not None:
            system_call_record(token=token, action="read", dossier_code=code)
        return Response(s.DossierDetailSerializer(dossier).data, status=status_code)

    def retrieve(self, request: Request, code: str) -> Response:
        return self._detail(code)

    @extend_schema(
        summary="Submit a dossier online",
        request=s.DossierCreateSerializer,
        parameters=[IDEMPOTENCY],
        responses={201: s.DossierDetailSerializer, 200: s.DossierDetailSerializer},
    )
    def create(self, request: Request) -> Response:
        data = _valid(s.DossierCreateSerializer, request)
        application = services.Application(
            procedure_code=data["procedure_code"],
            agency_code=data["agency_code"],
            form_data=data["form_data"],
            uploads=s.uploads_from(data["documents"]),
            return_method=data["return_method"],
            return_address=data["return_address"],
            authorised_name=data["authorised_name"],
            authorised_id_number=data["authorised_id_number"],
            case=data["case"],
            conditions_met=set(data["conditions_met"]),
            reused={row["required_document"]: row["code"] for row in data["reused"]},
        )
        submission = services.dossier_submit_online_once(
            actor=_user(request), application=application, idempotency_key=request.headers.get("Idempotency-Key")
        )
        return _respond(submission.dossier, status.HTTP_201_CREATED if submission.created else status.HTTP_200_OK)

    @extend_schema(
        summary="Submit a dossier online on behalf of an applicant (integrated systems)",
        description=(
            "For an integrated system's token given the right to submit on behalf of applicants (403"
            " on_behalf_not_granted otherwise), to an agency of its scope (403 agency_not_granted). The dossier"
            " records the system's account as the one who entered it and the applicant as identified; the call"
            " is audited with the system and the applicant."
        ),
        request=p.DossierOnBehalfSerializer,
        parameters=[IDEMPOTENCY],
        responses={201: s.DossierDetailSerializer, 200: s.DossierDetailSerializer},
    )
    @action(detail=False, methods=["post"], url_path="on-behalf")
    def submit_on_behalf(self, request: Request) -> Response:
        data = _valid(p.DossierOnBehalfSerializer, request)
        person = data["applicant"]
        submission = on_behalf.dossier_submit_on_behalf(
            actor=_user(request),
            token=request.auth if isinstance(request.auth, ApiToken) else None,
            applicant=on_behalf.ApplicantIdentity(
                type=person["type"],
                id_number=person["id_number"],
                full_name=person["full_name"],
                phone=person["phone"],
                email=person["email"],
                address=person["address"],
            ),
            application=services.Application(
                procedure_code=data["procedure_code"],
                agency_code=data["agency_code"],
                form_data=data["form_data"],
                uploads=s.uploads_from(data["documents"]),
                return_method=data["return_method"],
                return_address=data["return_address"],
                authorised_name=data["authorised_name"],
                authorised_id_number=data["authorised_id_number"],
                case=data["case"],
                conditions_met=set(data["conditions_met"]),
            ),
            idempotency_key=request.headers.get("Idempotency-Key"),
        )
        return _respond(submission.dossier, status.HTTP_201_CREATED if submission.created else status.HTTP_200_OK)

    def _act(self, code: str, action: str, run: Callable[[], Dossier], data: dict[str, Any] | None = None) -> Response:
        """Scope, grant, then the workflow service, once per Idempotency-Key (``workflow.idempotency``)."""
        request = self.request
        # Visibility first: a dossier the caller may not see is "not found", never "forbidden".
        if not self._visible().filter(code=code).exists():
            raise NotFound()
        token = system_token_of(request.auth)
        token_action_check(token, action)
        outcome = dossier_act_once(
            actor=_user(request),
            key=request.headers.get("Idempotency-Key"),
            action=action,
            code=code,
            data=data or {},
            run=run,
            record=(lambda d: system_call_record(token=token, action=action, dossier_code=d.code)) if token else None,
        )
        response = _respond(outcome.dossier)
        if outcome.replayed:
            response["Idempotent-Replayed"] = "true"
        return response

    @extend_schema(summary="Receive an online dossier (desk)", request=None, parameters=[IDEMPOTENCY])
    @action(detail=True, methods=["post"])
    def receive(self, request: Request, code: str) -> Response:
        return self._act(code, Action.RECEIVE, lambda: services.dossier_receive(actor=_user(request), code=code))

    @extend_schema(
        summary="Refuse to receive, with the reason (desk)", request=s.ReasonSerializer, parameters=[IDEMPOTENCY]
    )
    @action(detail=True, methods=["post"])
    def refuse(self, request: Request, code: str) -> Response:
        data = _valid(s.ReasonSerializer, request)
        return self._act(
            code,
            Action.REFUSE,
            lambda: services.dossier_refuse(actor=_user(request), code=code, reason=data["reason"]),
            data,
        )

    @extend_schema(
        summary="Request a supplement (once per dossier)",
        request=s.SupplementRequestSerializer,
        parameters=[IDEMPOTENCY],
    )
    @action(detail=True, methods=["post"], url_path="request-supplement")
    def request_supplement(self, request: Request, code: str) -> Response:
        data = _valid(s.SupplementRequestSerializer, request)
        return self._act(
            code,
            Action.REQUEST_SUPPLEMENT,
            lambda: services.dossier_request_supplement(
                actor=_user(request), code=code, missing=data["missing"], note=data["note"]
            ),
            data,
        )

    @extend_schema(
        summary="Give the requested supplement", request=s.SupplementSubmitSerializer, parameters=[IDEMPOTENCY]
    )
    @action(detail=True, methods=["post"], url_path="submit-supplement")
    def submit_supplement(self, request: Request, code: str) -> Response:
        data = _valid(s.SupplementSubmitSerializer, request)
        return self._act(
            code,
            Action.SUBMIT_SUPPLEMENT,
            lambda: services.dossier_submit_supplement(
                actor=_user(request), code=code, uploads=s.uploads_from(data["documents"]), note=data["note"]
            ),
            data,
        )

    @extend_schema(
        summary="Withdraw the dossier, with the reason", request=s.ReasonSerializer, parameters=[IDEMPOTENCY]
    )
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, code: str) -> Response:
        data = _valid(s.ReasonSerializer, request)
        return self._act(
            code,
            Action.WITHDRAW,
            lambda: services.dossier_withdraw(actor=_user(request), code=code, reason=data["reason"]),
            data,
        )

    # --- processing (the back office's processing page, action by action) ----------------------------

    @extend_schema(summary="Take the dossier from the unit's pool", request=None, parameters=[IDEMPOTENCY])
    @action(detail=True, methods=["post"])
    def take(self, request: Request, code: str) -> Response:
        return self._act(code, Action.TAKE, lambda: processing.dossier_take(actor=_user(request), code=code))

    @extend_schema(
        summary="Forward to the next step of the process (to a person, or to the unit's pool)",
        request=p.ForwardSerializer,
        parameters=[IDEMPOTENCY],
    )
    @action(detail=True, methods=["post"])
    def forward(self, request: Request, code: str) -> Response:
        data = _valid(p.ForwardSerializer, request)
        draft = s.uploads_from([data["draft"]])[0] if data["draft"] else None
        return self._act(
            code,
            Action.FORWARD,
            lambda: processing.dossier_forward(
                actor=_user(request),
                code=code,
                assignee=self._next_person(code, data["assignee"]),
                note=data["note"],
                draft=draft,
            ),
            data,
        )

    @extend_schema(
        summary="Send back to the previous step, with the reason",
        request=p.SendBackSerializer,
        parameters=[IDEMPOTENCY],
    )
    @action(detail=True, methods=["post"], url_path="send-back")
    def send_back(self, request: Request, code: str) -> Response:
        data = _valid(p.SendBackSerializer, request)
        return self._act(
            code,
            Action.SEND_BACK,
            lambda: processing.dossier_send_back(actor=_user(request), code=code, reason=data["reason"]),
            data,
        )

    @extend_schema(
        summary="Ask other agencies for their opinion (they answer in parallel)",
        request=p.ConsultSerializer,
        parameters=[IDEMPOTENCY],
    )
    @action(detail=True, methods=["post"])
    def consult(self, request: Request, code: str) -> Response:
        data = _valid(p.ConsultSerializer, request)
        return self._act(
            code,
            Action.CONSULT,
            lambda: processing.dossier_consult(
                actor=_user(request),
                code=code,
                agency_codes=data["agencies"],
                question=data["question"],
                hours=data["hours"],
            ),
            data,
        )

    @extend_schema(
        summary="Answer a consultation for the caller's agency, with files",
        request=p.AnswerConsultationSerializer,
        parameters=[IDEMPOTENCY],
    )
    @action(detail=True, methods=["post"], url_path="answer-consultation")
    def answer_consultation(self, request: Request, code: str) -> Response:
        data = _valid(p.AnswerConsultationSerializer, request)
        return self._act(
            code,
            Action.ANSWER_CONSULTATION,
            lambda: processing.consultation_answer(
                actor=_user(request), code=code, answer=data["answer"], uploads=s.uploads_from(data["documents"])
            ),
            data,
        )

    @extend_schema(
        summary="Stop processing (Dừng xử lý), with the reasons", request=p.StopSerializer, parameters=[IDEMPOTENCY]
    )
    @action(detail=True, methods=["post"])
    def stop(self, request: Request, code: str) -> Response:
        data = _valid(p.StopSerializer, request)
        return self._act(
            code,
            Action.STOP,
            lambda: processing.dossier_stop(actor=_user(request), code=code, reason=data["reason"]),
            data,
        )

    @extend_schema(
        summary="Request the financial obligation (the clock pauses)",
        request=p.PaymentRequestSerializer,
        parameters=[IDEMPOTENCY],
    )
    @action(detail=True, methods=["post"], url_path="request-payment")
    def request_payment(self, request: Request, code: str) -> Response:
        data = _valid(p.PaymentRequestSerializer, request)
        return self._act(
            code,
            Action.REQUEST_PAYMENT,
            lambda: processing.dossier_request_payment(
                actor=_user(request), code=code, amount=data["amount"], note=data["note"]
            ),
            data,
        )

    @extend_schema(
        summary="Confirm the payment (the clock runs again)", request=p.NoteSerializer, parameters=[IDEMPOTENCY]
    )
    @action(detail=True, methods=["post"], url_path="confirm-payment")
    def confirm_payment(self, request: Request, code: str) -> Response:
        data = _valid(p.NoteSerializer, request)
        return self._act(
            code,
            Action.CONFIRM_PAYMENT,
            lambda: processing.dossier_confirm_payment(actor=_user(request), code=code, note=data["note"]),
            data,
        )

    @extend_schema(
        summary="The result as the leader would sign it now (unsigned, without number), and its digest",
        description=(
            "For whoever may approve the dossier now (else 404). Approving signs exactly this result: give its"
            " `digest` as `previewed`."
        ),
        responses={200: p.ResultPreviewSerializer},
    )
    @action(detail=True, methods=["get"], url_path="result-preview")
    def result_preview(self, request: Request, code: str) -> Response:
        dossier = self._visible().filter(code=code).first()
        if dossier is None:
            raise NotFound()
        token = system_token_of(request.auth)
        token_action_check(token, Action.APPROVE)
        if Action.APPROVE not in {offer.action for offer in _offers(_user(request), dossier, token)}:
            raise NotFound()
        preview = results.result_preview(dossier, leader=_user(request), at=timezone.now())
        content = preview.pdf()
        if token is not None:
            system_call_record(token=token, action="result_preview", dossier_code=code)
        body = {
            "digest": preview.digest,
            "content_type": "application/pdf",
            "content_base64": base64.b64encode(content).decode(),
        }
        return Response(body)

    @extend_schema(
        summary="Approve and sign (leader): the previewed result is signed with the leader's certificate",
        request=p.ApproveSerializer,
        parameters=[IDEMPOTENCY],
    )
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, code: str) -> Response:
        data = _valid(p.ApproveSerializer, request)
        return self._act(
            code,
            Action.APPROVE,
            lambda: processing.dossier_approve(
                actor=_user(request),
                code=code,
                note=data["note"],
                assignee=self._next_person(code, data["assignee"]),
                previewed=data["previewed"],
            ),
            data,
        )

    @extend_schema(
        summary="Refuse the request (leader): a signed letter gives the reasons",
        request=p.RejectSerializer,
        parameters=[IDEMPOTENCY],
    )
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, code: str) -> Response:
        data = _valid(p.RejectSerializer, request)
        assignee = self._next_person(code, data["assignee"])
        return self._act(
            code,
            Action.REJECT,
            lambda: processing.dossier_reject(
                actor=_user(request), code=code, reason=data["reason"], assignee=assignee
            ),
            data,
        )

    @extend_schema(summary="Number, date, seal and issue the result (clerk)", request=None, parameters=[IDEMPOTENCY])
    @action(detail=True, methods=["post"], url_path="issue-result")
    def issue_result(self, request: Request, code: str) -> Response:
        return self._act(
            code, Action.ISSUE_RESULT, lambda: processing.dossier_issue_result(actor=_user(request), code=code)
        )

    @extend_schema(
        summary="Return the result: at the desk, by post or electronically",
        request=p.ReturnResultSerializer,
        parameters=[IDEMPOTENCY],
    )
    @action(detail=True, methods=["post"], url_path="return-result")
    def return_result(self, request: Request, code: str) -> Response:
        data = _valid(p.ReturnResultSerializer, request)
        return self._act(
            code,
            Action.RETURN_RESULT,
            lambda: processing.dossier_return_result(
                actor=_user(request), code=code, via=data["via"], note=data["note"]
            ),
            data,
        )

    @extend_schema(
        summary="Apologise for a late dossier and set a new due time (once)",
        request=p.ApologizeSerializer,
        parameters=[IDEMPOTENCY],
    )
    @action(detail=True, methods=["post"])
    def apologize(self, request: Request, code: str) -> Response:
        data = _valid(p.ApologizeSerializer, request)
        return self._act(
            code,
            Action.APOLOGIZE,
            lambda: processing.dossier_apologize(
                actor=_user(request), code=code, reason=data["reason"], new_due_at=data["new_due_at"]
            ),
            data,
        )

    @extend_schema(
        summary="The actions the caller may take on the dossier now",
        description=(
            "Exactly what the workflow would accept from the caller now (and, for an integrated system, what its"
            " key is allowed), apart from the reason an action may need."
        ),
        responses={200: p.ActionsSerializer},
    )
    @action(detail=True, methods=["get"], url_path="actions", pagination_class=None)
    def actions(self, request: Request, code: str) -> Response:
        dossier = self._visible().filter(code=code).first()
        if dossier is None:
            raise NotFound()
        token = system_token_of(request.auth)
        offers = _offers(_user(request), dossier, token)
        if token is not None:
            system_call_record(token=token, action="actions", dossier_code=code)
        return Response(p.ActionsSerializer({"code": dossier.code, "actions": offers}).data)

    def _next_person(self, code: str, username: str) -> User | None:
        """The chosen person among those eligible for the dossier's next step, as the page offers them
        (the writer checks again on the locked dossier); empty: the unit's pool. Looked up when the action
        runs, so that a replayed request is answered without it."""
        if not username:
            return None
        dossier = self._visible().filter(code=code).first()
        if dossier is None:
            raise NotFound()
        person = next((u for u in next_step_people(dossier) if u.username == username), None)
        if person is None:
            raise AssigneeNotEligible()
        return person


def _offers(user: User, dossier: Dossier, token: ApiToken | None) -> list[ActionOffer]:
    """What the workflow offers the caller now (``workflow.actions``), as the processing page offers it (a
    certified copy is certified, not approved), and for a system only what its key allows."""
    offers = allowed_actions(user, dossier)
    if is_certified_copy_procedure(dossier.procedure.code):
        offers = [o for o in offers if o.action != Action.APPROVE]
    if token is not None:
        offers = [o for o in offers if o.action in token.actions]
    return offers


def _respond(dossier: Dossier, status_code: int = status.HTTP_200_OK) -> Response:
    """The dossier a service returned, with its documents and timeline (no second look-up)."""
    documents = Prefetch("documents", queryset=DossierDocument.objects.select_related(REUSE_SOURCE))
    prefetch_related_objects([dossier], documents, "events")
    return Response(s.DossierDetailSerializer(dossier).data, status=status_code)


def _user(request: Request) -> User:
    """The authenticated caller (IsAuthenticated has already refused anonymous requests)."""
    return cast(User, request.user)


def _valid(serializer_class: Any, request: Request) -> dict[str, Any]:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)
