"""schemathesis over the committed openapi.yaml, in-process (the WSGI app), as four callers.

Each operation of the schema is fuzzed as an anonymous caller, as a citizen, as a desk officer of the
commune that holds the dossiers (sessions) and as an integrated system (a key scoped to that commune, with
every action and the right to submit on behalf of applicants), with a fixed budget (``MOTCUA_FUZZ_EXAMPLES``
cases per operation and caller, phases "examples" and "fuzzing", derandomized: the same cases on every run).
Every response must be no server error and conform to the schema: documented status code, content type,
headers and body.

Generated values rarely name a real object, so half of the cases (chosen from the generated data, so
still deterministic) are pointed at real ones: path codes of the existing dossier, agency, procedure and
sector, and the dossier creation (also on behalf of an applicant) and supplement bodies get the real
procedure, agency, required documents and a real PDF while their other fields stay generated. Each case
runs in a savepoint rolled back after it: every case sees the same database.
"""

from __future__ import annotations

import base64
import os
import time
import zlib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from django.test import Client
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.intake import PDF

pytestmark = pytest.mark.fuzz
ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = int(os.environ.get("MOTCUA_FUZZ_EXAMPLES", "12"))
CALLERS = ("anonymous", "citizen", "desk", "system")
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
CSRF = "fuzzcsrf" * 4  # an unmasked 32-character token, sent as cookie and header like a browser does

schema = schemathesis.openapi.from_path(ROOT / "openapi.yaml")
schema.config.generation.update(max_examples=EXAMPLES, deterministic=True, database="none")
schema.config.phases.update(phases=os.environ.get("MOTCUA_FUZZ_PHASES", "examples,fuzzing").split(","))


@dataclass
class Figures:
    started: float = field(default_factory=time.monotonic)
    cases: Counter[str] = field(default_factory=Counter)
    statuses: Counter[int] = field(default_factory=Counter)

    def summary(self) -> str:
        operations = len({key.split(" as ")[0] for key in self.cases})
        callers = len({key.split(" as ")[1] for key in self.cases})
        by_class = ", ".join(f"{s}: {n}" for s, n in sorted(self.statuses.items()))
        return (
            f"schemathesis {schemathesis.SCHEMATHESIS_VERSION}: {operations} operations × {callers} callers, "
            f"{sum(self.cases.values())} cases ({EXAMPLES} per operation and caller), "
            f"{time.monotonic() - self.started:.0f} s; statuses {by_class}"
        )


FIGURES = Figures()


@pytest.fixture
def world(people: dict[str, Any], monday_morning: Any) -> dict[str, Any]:
    """The people of the API tests, one submitted dossier, and a session cookie per caller."""
    from motcua.catalog.models import Procedure, Sector
    from motcua.identity.tokens import system_token_create
    from motcua.workflow.constants import Action
    from motcua.workflow.services import dossier_submit_online
    from tests.intake import birth_application, birth_documents

    dossier = dossier_submit_online(actor=people["citizen"], application=birth_application())
    _token, system_key = system_token_create(
        actor=None,
        user=people["desk"],
        name="Cổng dịch vụ công tỉnh",
        agencies=[dossier.receiving_agency],
        actions=Action.values,
        on_behalf=True,
    )
    sessions = {}
    for caller in ("citizen", "desk"):
        client = Client()
        client.force_login(people[caller])
        sessions[caller] = client.cookies["sessionid"].value
    return {
        "sessions": sessions,
        "system_key": system_key,
        "dossier": dossier.code,
        "procedure": Procedure.objects.get(code="1.001193").code,
        "sector": Sector.objects.order_by("code").first().code,  # type: ignore[union-attr]
        "agency": "H99.101",
        "documents": [d.pk for d in birth_documents()],
    }


@pytest.fixture
def app() -> Any:
    """The WSGI application, keeping the test's connection: each request must not close it (as the test
    client does), or the test transaction would be lost."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield WSGIHandler()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _pick(value: Any) -> bool:
    """Half of the cases, chosen from the generated data itself (stable across runs)."""
    return zlib.crc32(repr(value).encode()) % 2 == 0


def _aim(case: Any, world: dict[str, Any]) -> None:
    """Point half of the cases at real objects (see the module docstring)."""
    path = case.operation.path
    if case.path_parameters and "code" in case.path_parameters and _pick(case.path_parameters):
        kind = path.split("/")[3]
        real = {"dossiers": world["dossier"], "agencies": world["agency"], "procedures": world["procedure"]}
        case.path_parameters["code"] = real.get(kind, world["sector"])
    body = case.body
    if not isinstance(body, dict) or not _pick(body):
        return
    encoded = base64.b64encode(PDF).decode()
    if path in ("/api/v1/dossiers", "/api/v1/dossiers/on-behalf") and case.method == "POST":
        body["procedure_code"], body["agency_code"] = world["procedure"], world["agency"]
        # The birth e-form's two required fields; a generated text, when there is one, becomes the name.
        generated = body.get("form_data")
        texts = [v for v in generated.values() if isinstance(v, str)] if isinstance(generated, dict) else []
        body["form_data"] = {"ho_ten_tre": texts[0] if texts else "Nguyễn Văn An", "ngay_sinh": "2026-03-01"}
        body["documents"] = [
            {"name": f"tai-lieu-{i}.pdf", "required_document": pk, "content_base64": encoded}
            for i, pk in enumerate(world["documents"])
        ]
        if path.endswith("/on-behalf"):
            body["applicant"] = {"type": "citizen", "id_number": "001090012345", "full_name": "Lê Văn Cường"}
    elif path.endswith("/submit-supplement"):
        body["documents"] = [{"name": "bo-sung.pdf", "content_base64": encoded}]


@pytest.mark.parametrize("caller", CALLERS)
@schema.parametrize()
@settings(deadline=None, suppress_health_check=list(HealthCheck), derandomize=True, database=None)
def test_every_operation_answers_as_documented(case: Any, caller: str, world: dict[str, Any], app: Any) -> None:
    _aim(case, world)
    cookies = {"csrftoken": CSRF}
    headers = {"X-CSRFToken": CSRF}
    if caller == "system":
        headers["Authorization"] = f"Token {world['system_key']}"
    elif caller != "anonymous":
        cookies["sessionid"] = world["sessions"][caller]
    with transaction.atomic():
        response = case.call(app=app, cookies=cookies, headers=headers)
        transaction.set_rollback(True)
    FIGURES.cases[f"{case.method} {case.operation.path} as {caller}"] += 1
    FIGURES.statuses[response.status_code] += 1
    case.validate_response(response, checks=CHECKS)
