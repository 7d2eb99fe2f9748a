"""Every named view and endpoint, requested by every kind of actor: the status each must get.

A view added without a line here fails this test, so nobody ships a page whose access was not decided.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from motcua.documents.selectors import owner_documents
from motcua.identity.constants import Role
from motcua.workflow.services import dossier_submit_online
from tests.factories import make_citizen, make_staff
from tests.intake import birth_application

ACTORS = ["anonymous", "citizen", *Role.values]
STAFF = set(Role.values)
LOGIN = 302  # anonymous users are sent to the login page

PUBLIC: dict[str, int] = dict.fromkeys(ACTORS, 200)
SIGNED_IN = {"anonymous": LOGIN, **{a: 200 for a in ACTORS if a != "anonymous"}}


def staff_only(*roles: str) -> dict[str, int]:
    allowed = set(roles) if roles else STAFF
    return {"anonymous": LOGIN, "citizen": 403, **{r: 200 if r in allowed else 403 for r in Role.values}}


# The applicant and every staff member of the province (granted with sub-agencies) see the dossier.
API_SIGNED_IN = {"anonymous": 403, **{a: 200 for a in ACTORS if a != "anonymous"}}
API_POST_ONLY = {"anonymous": 403, **{a: 405 for a in ACTORS if a != "anonymous"}}
DOSSIER = "H99.101-260309-0001"
STORED = "001090000001.1.001193.TKKS.01"  # a document code in the store of the matrix's citizen, once received

# name -> (kwargs, expected status per actor)
MATRIX: dict[str, tuple[dict[str, Any], dict[str, int]]] = {
    "api:token-list": ({}, API_SIGNED_IN),
    "api:token-detail": ({"token_id": 1}, API_POST_ONLY),  # DELETE only
    "api:token-rotate": ({"token_id": 1}, API_POST_ONLY),
    "healthz": ({}, dict.fromkeys(ACTORS, 503)),  # no worker runs in tests
    "set_language": ({}, dict.fromkeys(ACTORS, 302)),
    "portal:home": ({}, PUBLIC),
    "portal:procedures": ({}, PUBLIC),
    "portal:procedure": ({"code": "1.001193"}, PUBLIC),
    "identity:login": ({}, {"anonymous": 200, **{a: 302 for a in ACTORS if a != "anonymous"}}),
    "identity:logout": ({}, dict.fromkeys(ACTORS, 405)),  # POST only
    # National-ID login: off to the provider; a callback without a started login goes back to the login page.
    "identity:national-login": ({}, dict.fromkeys(ACTORS, 302)),
    "identity:national-login-callback": ({}, dict.fromkeys(ACTORS, 302)),
    "identity:register": ({}, PUBLIC),
    "identity:account": ({}, SIGNED_IN),
    "identity:after-login": ({}, dict.fromkeys(ACTORS, 302)),
    "identity:password-change": ({}, SIGNED_IN),
    # Citizens need no second factor; these staff sessions already passed it: all are sent on.
    "identity:second-factor": ({}, dict.fromkeys(ACTORS, 302)),
    "identity:second-factor-enrol": ({}, dict.fromkeys(ACTORS, 302)),
    "identity:recovery-codes": ({}, dict.fromkeys(ACTORS, 405)),  # POST only
    "identity:api-tokens": ({}, SIGNED_IN),
    "identity:password-reset": ({}, PUBLIC),
    "identity:password-reset-done": ({}, PUBLIC),
    "identity:password-reset-confirm": ({"uidb64": "MQ", "token": "set-password"}, PUBLIC),
    "backoffice:home": ({}, staff_only()),
    "backoffice:applicants": ({}, staff_only(Role.DESK_OFFICER)),
    "backoffice:applicant-create": ({}, staff_only(Role.DESK_OFFICER)),
    "backoffice:agencies": ({}, staff_only(Role.ADMINISTRATOR, Role.SUPERVISOR)),
    "backoffice:agencies-import": ({}, staff_only(Role.ADMINISTRATOR)),
    "backoffice:catalog": ({}, staff_only(Role.ADMINISTRATOR)),
    "backoffice:catalog-import": ({}, staff_only(Role.ADMINISTRATOR)),
    "backoffice:catalog-export-json": ({}, staff_only(Role.ADMINISTRATOR)),
    "backoffice:catalog-export-xlsx": ({}, staff_only(Role.ADMINISTRATOR)),
    "backoffice:calendar": ({}, staff_only(Role.ADMINISTRATOR)),
    "api:calendar-due-time": ({}, dict.fromkeys(ACTORS, 400)),  # no query string: a validation problem
    "api:calendar-days": ({}, dict.fromkeys(ACTORS, 400)),
    # The caller's own data store: citizens and organisations only; staff read a store through a dossier.
    "api:procedure-reuse-proposals": (
        {"code": "1.001193"},
        {"anonymous": 403, "citizen": 200, **dict.fromkeys(STAFF, 403)},
    ),
    "api:dossier-list": ({}, API_SIGNED_IN),
    "api:dossier-detail": ({"code": DOSSIER}, API_SIGNED_IN),
    # A unit's list for its staff: the query names the unit, so without it staff get a validation problem
    # (scoping by unit: src/motcua/api/tests/test_staff_dossier_api.py).
    "api:staff-dossier-list": ({}, {"anonymous": 403, "citizen": 403, **dict.fromkeys(STAFF, 400)}),
    **{
        f"api:dossier-{name}": ({"code": DOSSIER}, API_POST_ONLY)
        for name in ("receive", "refuse", "request-supplement", "submit-supplement", "withdraw")
    },
    # Processing actions: POST only, the workflow decides who acts (api/tests/test_processing_api.py). What
    # the caller may do is for whoever sees the dossier; the preview for whoever may approve now: nobody yet.
    **{
        f"api:dossier-{name}": ({"code": DOSSIER}, API_POST_ONLY)
        for name in (
            "take",
            "forward",
            "send-back",
            "consult",
            "answer-consultation",
            "stop",
            "request-payment",
            "confirm-payment",
            "approve",
            "reject",
            "issue-result",
            "return-result",
            "apologize",
        )
    },
    "api:dossier-actions": ({"code": DOSSIER}, API_SIGNED_IN),
    "api:dossier-result-preview": (
        {"code": DOSSIER},
        {"anonymous": 403, **{a: 404 for a in ACTORS if a != "anonymous"}},
    ),
    # Submission on behalf of applicants: integrated systems' keys only (api/tests/test_system_tokens_api.py).
    "api:dossier-submit-on-behalf": ({}, API_POST_ONLY),
    # Online submission: applicants only; staff enter dossiers at the desk instead.
    "portal:submit": ({"code": "1.001193"}, {**SIGNED_IN, **dict.fromkeys(STAFF, 403)}),
    "portal:submit-done": ({"code": "1.001193", "dossier_code": DOSSIER}, {**SIGNED_IN, **dict.fromkeys(STAFF, 403)}),
    "portal:track": ({}, PUBLIC),
    "portal:signature-verify": ({}, PUBLIC),  # anyone may check a signed PDF
    "api:signature-verify": ({}, dict.fromkeys(ACTORS, 405)),  # public, POST only
    "portal:track-dossier": ({"code": DOSSIER}, PUBLIC),
    "portal:my-dossiers": ({}, {"anonymous": LOGIN, "citizen": 200, **dict.fromkeys(STAFF, 403)}),
    "portal:my-dossier": ({"code": DOSSIER}, {"anonymous": LOGIN, "citizen": 200, **dict.fromkeys(STAFF, 403)}),
    "portal:my-dossier-withdraw": ({"code": DOSSIER}, dict.fromkeys(ACTORS, 405)),  # POST only
    "portal:my-dossier-supplement": ({"code": DOSSIER}, dict.fromkeys(ACTORS, 405)),  # POST only
    "portal:my-dossier-document": (  # no such document: the applicant gets 404, staff 403
        {"code": DOSSIER, "document_id": 999999},
        {"anonymous": LOGIN, "citizen": 404, **dict.fromkeys(STAFF, 403)},
    ),
    "backoffice:outbox": ({}, staff_only(Role.ADMINISTRATOR, Role.SUPERVISOR)),
    # Desk reception pages. Action URLs are POST only: staff get 405 on GET (the workflow decides who acts).
    "backoffice:intake-queue": ({}, staff_only(Role.DESK_OFFICER)),
    "backoffice:dossier": ({"code": DOSSIER}, staff_only()),
    **{
        f"backoffice:dossier-{name}": ({"code": DOSSIER}, {**staff_only(), **dict.fromkeys(STAFF, 405)})
        for name in ("receive", "receive-forward", "refuse", "request-supplement", "withdraw")
    },
    "backoffice:dossier-document": (  # no such document: staff get 404 (downloads: test_intake_pages.py)
        {"code": DOSSIER, "document_id": 999999},
        {**staff_only(), **dict.fromkeys(STAFF, 404)},
    ),
    "backoffice:dossier-digitized": (  # no such store copy: staff get 404 (downloads: test_desk_scan_pages.py)
        {"code": DOSSIER, "digitized_id": 999999},
        {**staff_only(), **dict.fromkeys(STAFF, 404)},
    ),
    "backoffice:dossier-digitization-charge": ({"code": DOSSIER}, {**staff_only(), **dict.fromkeys(STAFF, 405)}),
    "backoffice:walk-in": ({}, staff_only(Role.DESK_OFFICER)),
    "backoffice:walk-in-dossier": (  # no such applicant: desk officers get 404
        {"applicant_id": 999999},
        {**staff_only(Role.DESK_OFFICER), Role.DESK_OFFICER: 404},
    ),
    "backoffice:applicant-verify": (  # no such applicant: desk officers get 404
        {"applicant_id": 999999},
        {**staff_only(Role.DESK_OFFICER), Role.DESK_OFFICER: 404},
    ),
    # Slips: the dossier is only submitted, so it has no receipt yet: whoever may see it gets 404
    # (downloads once received, and scoping: test_slip_views.py in backoffice and portal).
    "backoffice:dossier-slip": ({"code": DOSSIER, "kind": "receipt"}, {**staff_only(), **dict.fromkeys(STAFF, 404)}),
    "portal:my-dossier-slip": (
        {"code": DOSSIER, "kind": "receipt"},
        {"anonymous": LOGIN, "citizen": 404, **dict.fromkeys(STAFF, 403)},
    ),
    # Fees (payments): the dossier owes nothing yet, so there is no receipt (404 for whoever may see it;
    # downloads and scoping: payments/tests/test_receipts.py); the desk's actions are POST only.
    "backoffice:dossier-payment-receipt": (
        {"code": DOSSIER, "reference": f"{DOSSIER}.TT01"},
        {**staff_only(), **dict.fromkeys(STAFF, 404)},
    ),
    **{
        f"backoffice:dossier-payment-{name}": (
            {"code": DOSSIER, "reference": f"{DOSSIER}.TT01"},
            {**staff_only(), **dict.fromkeys(STAFF, 405)},
        )
        for name in ("record", "exempt")
    },
    "portal:payment_receipt": (
        {"code": DOSSIER, "reference": f"{DOSSIER}.TT01"},
        {"anonymous": LOGIN, "citizen": 404, **dict.fromkeys(STAFF, 403)},
    ),
    # Processing. The dossier is only submitted: no step, no result, no file. Actions are POST only.
    "backoffice:inbox": ({}, staff_only(Role.DESK_OFFICER, Role.SPECIALIST, Role.UNIT_LEADER, Role.CLERK)),
    "backoffice:processing-dossier": ({"code": DOSSIER}, staff_only()),
    "backoffice:processing-action": (
        {"code": DOSSIER, "action": "take"},
        {**staff_only(), **dict.fromkeys(STAFF, 405)},
    ),
    "backoffice:processing-result": ({"code": DOSSIER}, {**staff_only(), **dict.fromkeys(STAFF, 404)}),
    # The preview is for whoever may approve now: nobody, at submission.
    "backoffice:processing-preview": ({"code": DOSSIER}, {**staff_only(), **dict.fromkeys(STAFF, 404)}),
    "backoffice:processing-document": (
        {"code": DOSSIER, "document_id": 999999},
        {**staff_only(), **dict.fromkeys(STAFF, 404)},
    ),
    # Official books: the dossier is only submitted, so it has no control slip nor apology letter yet (404;
    # downloads and scoping: test_book_views.py). The tracking book form is for staff who handle dossiers.
    "backoffice:control-slip": ({"code": DOSSIER}, {**staff_only(), **dict.fromkeys(STAFF, 404)}),
    "backoffice:apology-letter": ({"code": DOSSIER}, {**staff_only(), **dict.fromkeys(STAFF, 404)}),
    "backoffice:tracking-book": (
        {},
        staff_only(Role.DESK_OFFICER, Role.SPECIALIST, Role.UNIT_LEADER, Role.CLERK, Role.SUPERVISOR),
    ),
    # Certified e-copies: the dossier is a birth registration, not a copy request (404 for staff who see it;
    # the flow and its scoping: backoffice/tests/test_certification_views.py). The book is for staff who
    # handle dossiers or supervise, like the tracking book.
    "backoffice:certification-dossier": ({"code": DOSSIER}, {**staff_only(), **dict.fromkeys(STAFF, 404)}),
    "backoffice:certification-book": (
        {},
        staff_only(Role.DESK_OFFICER, Role.SPECIALIST, Role.UNIT_LEADER, Role.CLERK, Role.SUPERVISOR),
    ),
    "backoffice:processes": ({}, staff_only(Role.ADMINISTRATOR)),
    "backoffice:process-editor": (
        {"procedure_code": "1.001193", "agency_code": "H99.101"},
        staff_only(Role.ADMINISTRATOR),
    ),
    # The applicant's result: none before it is issued (404); staff download it in the back office.
    "portal:my-dossier-result": ({"code": DOSSIER}, {"anonymous": LOGIN, "citizen": 404, **dict.fromkeys(STAFF, 403)}),
    # Reports: every staff member reads the figures of the units they may see (empty scope: a notice);
    # targets are for administrators, their delete and copy are POST only; no target 999999 (404).
    "backoffice:dashboard": ({}, staff_only()),
    "backoffice:dashboard-dossiers": ({}, staff_only()),
    "backoffice:targets": ({}, staff_only(Role.ADMINISTRATOR)),
    "backoffice:target-edit": ({"target_id": 999999}, {**staff_only(Role.ADMINISTRATOR), Role.ADMINISTRATOR: 404}),
    "backoffice:target-delete": ({"target_id": 999999}, {**staff_only(Role.ADMINISTRATOR), Role.ADMINISTRATOR: 405}),
    "backoffice:targets-copy": ({}, {**staff_only(Role.ADMINISTRATOR), Role.ADMINISTRATOR: 405}),
    # Exports and the indicators API: supervisors and unit leaders (reports.scope_query.REPORT_ROLES). The
    # export form without filters is a page; no export 999999 (404; requester only: test_export_views.py).
    # The API without a query is a validation problem for them (scoping: api/tests/test_report_api.py).
    "backoffice:report-export": ({}, staff_only(Role.SUPERVISOR, Role.UNIT_LEADER)),
    **{
        f"backoffice:report-export-{name}": (
            {"export_id": 999999},
            {**staff_only(Role.SUPERVISOR, Role.UNIT_LEADER), Role.SUPERVISOR: 404, Role.UNIT_LEADER: 404},
        )
        for name in ("status", "download")
    },
    "api:report-indicators": (
        {},
        {
            "anonymous": 403,
            "citizen": 403,
            **{r: 400 if r in (Role.SUPERVISOR, Role.UNIT_LEADER) else 403 for r in STAFF},
        },
    ),
    # The data store. The matrix's dossier is only submitted, so its applicant has no store yet: a document
    # code is "not found" for its owner, and staff get 404 for the store of a dossier they see (never 403;
    # with a store, and for staff without a dossier of the owner: test_data_store_access below).
    "portal:my-documents": ({}, {"anonymous": LOGIN, "citizen": 200, **dict.fromkeys(STAFF, 403)}),
    "portal:my-document-download": (
        {"code": STORED},
        {"anonymous": LOGIN, "citizen": 404, **dict.fromkeys(STAFF, 403)},
    ),
    "portal:my-document-share": ({"code": STORED}, dict.fromkeys(ACTORS, 405)),  # POST only
    "portal:my-share-revoke": ({"link_id": 999999}, dict.fromkeys(ACTORS, 405)),  # POST only
    "portal:share": ({"token": "no-such-token"}, dict.fromkeys(ACTORS, 404)),  # public, throttled
    "portal:share-download": ({"token": "no-such-token"}, dict.fromkeys(ACTORS, 404)),
    "backoffice:dossier-data-store": ({"code": DOSSIER}, {**staff_only(), **dict.fromkeys(STAFF, 404)}),
    "backoffice:dossier-data-store-document": (
        {"code": DOSSIER, "document_code": STORED},
        {**staff_only(), **dict.fromkeys(STAFF, 404)},
    ),
    "backoffice:backfile": ({}, staff_only(Role.DESK_OFFICER, Role.CLERK)),
    "api:me-document-list": ({}, API_SIGNED_IN),
    "api:me-document-detail": ({"code": STORED}, {"anonymous": 403, **{a: 404 for a in ACTORS if a != "anonymous"}}),
    "api:me-document-file": ({"code": STORED}, {"anonymous": 403, **{a: 404 for a in ACTORS if a != "anonymous"}}),
    "api:me-document-share": ({"code": STORED}, API_POST_ONLY),
    "api:me-share-revoke": ({"link_id": 999999}, API_POST_ONLY),
    "api:agency-list": ({}, PUBLIC),
    "api:agency-detail": ({"code": "H99.101"}, PUBLIC),
    "api:sector-list": ({}, PUBLIC),
    "api:sector-detail": ({"code": "HOTICH"}, PUBLIC),
    "api:procedure-list": ({}, PUBLIC),
    "api:procedure-detail": ({"code": "1.001193"}, PUBLIC),
    # The national portal's pull side (administrators); pulling and retrying are POST only.
    "backoffice:national-portal": ({}, staff_only(Role.ADMINISTRATOR)),
    "backoffice:national-pull": ({"kind": "dossiers"}, dict.fromkeys(ACTORS, 405)),
    "backoffice:national-retry": ({"intake_id": 1}, dict.fromkeys(ACTORS, 405)),
    # Payment reconciliation: the unit's supervisors and desk officers import and read statements.
    "backoffice:payment-statements": ({}, staff_only(Role.SUPERVISOR, Role.DESK_OFFICER)),
    "backoffice:payment-statement": (
        {"pk": 999999},
        {**staff_only(Role.SUPERVISOR, Role.DESK_OFFICER), Role.SUPERVISOR: 404, Role.DESK_OFFICER: 404},
    ),
    # National portal sync: administrators and supervisors read the dead letters; resending is POST only.
    "backoffice:sync-dead-letters": ({}, staff_only(Role.ADMINISTRATOR, Role.SUPERVISOR)),
    "backoffice:sync-dead-letter": (
        {"pk": 999999},
        {**staff_only(Role.ADMINISTRATOR, Role.SUPERVISOR), Role.ADMINISTRATOR: 404, Role.SUPERVISOR: 404},
    ),
    "backoffice:sync-dead-letter-resend": ({"pk": 999999}, dict.fromkeys(ACTORS, 405)),
    "backoffice:dossier-shipment-retry": ({"code": DOSSIER}, dict.fromkeys(ACTORS, 405)),
    # Callbacks of the SMS gateway and the carrier: POST only, signed, no session.
    "api:sms-receipt": ({}, dict.fromkeys(ACTORS, 405)),
    "api:postal-status": ({}, dict.fromkeys(ACTORS, 405)),
    # Online payment: the applicant's pay and return pages (no such request: 404); the providers' callbacks
    # are signed, not signed in: an unsigned GET is recorded as forged and answered 200 in the provider's shape.
    "portal:payment_pay": ({"code": DOSSIER}, {"anonymous": LOGIN, "citizen": 200, **dict.fromkeys(STAFF, 403)}),
    "portal:payment_start": ({"code": DOSSIER, "reference": f"{DOSSIER}.TT01"}, dict.fromkeys(ACTORS, 405)),
    "portal:payment_return": (
        {"code": DOSSIER, "reference": f"{DOSSIER}.TT01"},
        {"anonymous": LOGIN, "citizen": 404, **dict.fromkeys(STAFF, 403)},
    ),
    "api:payment-callback": ({"provider": "national"}, dict.fromkeys(ACTORS, 200)),
    # Feedback (issue 17): public pages, no login; staff send theirs from the back office. A sent page opens
    # only in the session that sent the code (404 elsewhere); an unknown code in the back office is a 404.
    "portal:feedback-list": ({}, PUBLIC),
    "portal:feedback-send": ({}, {"anonymous": 200, "citizen": 200, **dict.fromkeys(STAFF, 403)}),
    "portal:feedback-sent": ({"code": "PAAAAAAAAA"}, dict.fromkeys(ACTORS, 404)),
    "portal:feedback-lookup": ({}, PUBLIC),
    "backoffice:feedback-list": ({}, staff_only(*STAFF - {Role.CLERK})),
    "backoffice:feedback-enter": ({}, staff_only(*STAFF - {Role.CLERK})),
    "backoffice:feedback-detail": (
        {"code": "PAAAAAAAAA"},
        {**staff_only(), Role.CLERK: 403, **dict.fromkeys(STAFF - {Role.CLERK}, 404)},
    ),
    "api:feedback-status": ({"code": "PAAAAAAAAA"}, dict.fromkeys(ACTORS, 404)),  # public; no such code
    # Publicity (issue 17): the public statistics and the published apologies, open to everyone.
    "portal:public-stats": ({}, PUBLIC),
    "portal:apologies": ({}, PUBLIC),
    # Guidance for online services: public, like the notice they are made from (H99.101 offers 1.001193
    # online).
    "portal:guide": ({"code": "1.001193"}, PUBLIC),
    "portal:guide-boards": ({}, PUBLIC),
    "portal:guide-board": ({"code": "H99.101"}, PUBLIC),
    "portal:guide-board-pdf": ({"code": "H99.101"}, PUBLIC),
    # The desk queue. The kiosk page is public: without the desk's kiosk cookie it explains how to enable the
    # device (200); a ticket without it goes back to the kiosk page. The display and its feed are public.
    # Counters are for their desk's officers (none here: 404); the report for supervisors and unit leaders.
    "portal:queue-kiosk": ({"desk_code": "H99.101.MC"}, PUBLIC),
    "portal:queue-ticket": ({"desk_code": "H99.101.MC", "ticket_id": 1}, dict.fromkeys(ACTORS, 302)),
    "portal:queue-display": ({"desk_code": "H99.101.MC"}, PUBLIC),
    "portal:queue-display-feed": ({"desk_code": "H99.101.MC"}, PUBLIC),
    "backoffice:queue": ({}, staff_only(Role.DESK_OFFICER, Role.SUPERVISOR, Role.UNIT_LEADER)),
    "backoffice:queue-kiosk-enable": ({"desk_code": "H99.101.MC"}, dict.fromkeys(ACTORS, 405)),
    "backoffice:queue-counter": ({"counter_id": 999999}, {**staff_only(Role.DESK_OFFICER), Role.DESK_OFFICER: 404}),
    "backoffice:queue-counter-action": ({"counter_id": 999999, "action": "next"}, dict.fromkeys(ACTORS, 405)),
    "backoffice:queue-report": ({}, staff_only(Role.SUPERVISOR, Role.UNIT_LEADER)),
    # Satisfaction: the signed rating link (a token not signed here: 404 for all); the desk tablet and its
    # waiting screen (desk officers; this dossier has no result yet: a message, 200); the ratings report.
    "portal:rate": ({"token": "no-such-token"}, dict.fromkeys(ACTORS, 404)),
    "backoffice:rating-desk-waiting": ({}, staff_only(Role.DESK_OFFICER)),
    "backoffice:rating-desk": ({"code": DOSSIER}, staff_only(Role.DESK_OFFICER)),
    "backoffice:rating-report": ({}, staff_only(Role.SUPERVISOR, Role.UNIT_LEADER)),
}


def project_url_names() -> set[str]:
    """Named URLs of the project, Django admin's own pages excepted (administrators only, tested below)."""
    names: set[str] = set()

    def walk(patterns: list[Any], namespace: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace == "admin":
                    continue
                ns = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                walk(pattern.url_patterns, ns)
            elif isinstance(pattern, URLPattern) and pattern.name:
                names.add(namespace + pattern.name)

    walk(get_resolver().url_patterns, "")
    return names


def test_every_view_has_a_line_in_the_matrix() -> None:
    assert project_url_names() == set(MATRIX)


@pytest.fixture
def actors(province: dict[str, Any], catalog: Any, monday_morning: Any) -> dict[str, Client]:
    clients = {"anonymous": Client()}
    citizen = Client()
    applicant = make_citizen()
    assert dossier_submit_online(actor=applicant, application=birth_application()).code == DOSSIER
    citizen.force_login(applicant)
    clients["citizen"] = citizen
    for role in Role.values:
        client = Client()
        client.force_login(make_staff(role, province["province"], include_subagencies=True))
        clients[role] = client
    return clients


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_access(name: str, actors: dict[str, Client]) -> None:
    kwargs, expected = MATRIX[name]
    url = reverse(name, kwargs=kwargs)
    got = {actor: actors[actor].get(url).status_code for actor in ACTORS}
    assert got == expected


def test_django_admin_is_for_administrators_only(actors: dict[str, Client]) -> None:
    got = {actor: actors[actor].get("/quan-tri/").status_code for actor in ACTORS}
    assert got == {a: 200 if a == Role.ADMINISTRATOR else 302 for a in ACTORS}


# --- the data store, once the dossier is received: owner, another citizen, staff with and without a dossier
# of the owner, anonymous. Staff without such a dossier get 404 (the store is not revealed), never 403.
STORE_ACTORS = ["anonymous", "owner", "other_citizen", "staff_with_dossier", "staff_without_dossier"]


@pytest.fixture
def store_actors(province: dict[str, Any], catalog: Any, monday_morning: Any) -> dict[str, Any]:
    from motcua.documents.services import share_link_create
    from motcua.workflow.services import dossier_receive

    owner = make_citizen()
    desk = make_staff(Role.DESK_OFFICER, province["commune_a"])
    code = dossier_submit_online(actor=owner, application=birth_application()).code
    dossier_receive(actor=desk, code=code)
    stored = owner_documents(owner.personal_id).order_by("code").first()
    assert stored is not None
    _link, token = share_link_create(actor=owner, owner_id_number=owner.personal_id, code=stored.code, duration="1h")
    clients: dict[str, Client] = {"anonymous": Client()}
    for name, user in (
        ("owner", owner),
        ("other_citizen", make_citizen()),
        ("staff_with_dossier", desk),
        ("staff_without_dossier", make_staff(Role.DESK_OFFICER, province["commune_b"])),
    ):
        clients[name] = Client()
        clients[name].force_login(user)
    return {"clients": clients, "dossier": code, "document": stored.code, "token": token}


OWNER_ONLY = {"anonymous": LOGIN, "owner": 200, "other_citizen": 404, **dict.fromkeys(STORE_ACTORS[3:], 403)}
STAFF_THROUGH_DOSSIER = {
    "anonymous": LOGIN,
    "owner": 403,
    "other_citizen": 403,
    "staff_with_dossier": 200,
    "staff_without_dossier": 404,
}
API_OWNER_ONLY = {"anonymous": 403, "owner": 200, **dict.fromkeys(STORE_ACTORS[2:], 404)}
STORE_MATRIX: dict[str, tuple[list[str], dict[str, int]]] = {
    "portal:my-documents": ([], {**OWNER_ONLY, "other_citizen": 200}),  # each sees their own store
    "portal:my-document-download": (["document"], OWNER_ONLY),
    "portal:share": (["token"], dict.fromkeys(STORE_ACTORS, 200)),  # whoever holds the link
    "portal:share-download": (["token"], dict.fromkeys(STORE_ACTORS, 200)),
    "backoffice:dossier-data-store": (["dossier"], STAFF_THROUGH_DOSSIER),
    "backoffice:dossier-data-store-document": (["dossier", "document"], STAFF_THROUGH_DOSSIER),
    "api:me-document-list": ([], {"anonymous": 403, **dict.fromkeys(STORE_ACTORS[1:], 200)}),
    "api:me-document-detail": (["document"], API_OWNER_ONLY),
    "api:me-document-file": (["document"], API_OWNER_ONLY),
}
URL_ARGUMENTS = {"dossier": "code", "document": "code", "token": "token"}


@pytest.mark.parametrize("name", sorted(STORE_MATRIX))
def test_data_store_access(name: str, store_actors: dict[str, Any]) -> None:
    parts, expected = STORE_MATRIX[name]
    kwargs = {URL_ARGUMENTS[p]: store_actors[p] for p in parts}
    if parts == ["dossier", "document"]:
        kwargs = {"code": store_actors["dossier"], "document_code": store_actors["document"]}
    url = reverse(name, kwargs=kwargs)
    got = {actor: store_actors["clients"][actor].get(url).status_code for actor in STORE_ACTORS}
    assert got == expected
