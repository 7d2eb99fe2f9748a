"""The fake-service harness: a real HTTP server on 127.0.0.1, routes, faults, and the outbound client."""

from __future__ import annotations

import time

import pytest

from motcua.core import fakes
from motcua.core.outbound import OutboundError, call_json, canonical_json, hmac_sha256, signature_matches


def _echo_app() -> fakes.FakeApp:
    app = fakes.FakeApp("echo")

    def echo(request: fakes.FakeRequest) -> fakes.FakeResponse:
        app.state.setdefault("seen", []).append(request.params["item"])
        return fakes.FakeResponse(201, {"item": request.params["item"], "body": request.json(), "q": request.arg("q")})

    app.route("POST", "/items/<item>", echo)
    return app


@pytest.fixture
def echo() -> fakes.FakeServer:
    server = fakes.FakeServer(_echo_app()).start()
    yield server
    server.stop()


def test_a_route_answers_json_over_http_and_records_state(echo: fakes.FakeServer) -> None:
    answer = call_json("POST", f"{echo.url}/items/A1?q=x", payload={"n": 1})

    assert answer == {"item": "A1", "body": {"n": 1}, "q": "x"}
    assert echo.app.state == {"seen": ["A1"]}
    assert echo.app.calls == [("POST", "/items/A1")]


def test_an_unknown_route_is_a_404_that_is_not_retryable(echo: fakes.FakeServer) -> None:
    with pytest.raises(OutboundError) as error:
        call_json("GET", f"{echo.url}/nowhere")

    assert (error.value.http_status, error.value.retryable) == (404, False)


def test_faults_set_over_http_fail_every_call_with_a_retryable_503(echo: fakes.FakeServer) -> None:
    call_json("POST", f"{echo.url}/_fake/faults", payload={"failure_rate": 1.0, "seed": 3})

    with pytest.raises(OutboundError) as error:
        call_json("POST", f"{echo.url}/items/B", payload={})

    assert (error.value.http_status, error.value.retryable) == (503, True)
    assert echo.app.state == {}  # a failed call reached no handler


def test_a_share_of_calls_fails_reproducibly_with_a_seed(echo: fakes.FakeServer) -> None:
    echo.app.set_faults(failure_rate=0.3, seed=7)
    outcomes = []
    for n in range(200):
        try:
            call_json("POST", f"{echo.url}/items/{n}", payload={})
            outcomes.append(True)
        except OutboundError:
            outcomes.append(False)

    assert 40 <= outcomes.count(False) <= 80  # about 30 % of 200
    assert len(echo.app.state["seen"]) == outcomes.count(True)


def test_a_late_answer_beyond_the_timeout_is_a_retryable_timeout(echo: fakes.FakeServer) -> None:
    echo.app.set_faults(delay=(0.5, 0.5))
    started = time.monotonic()

    with pytest.raises(OutboundError, match="timed out") as error:
        call_json("POST", f"{echo.url}/items/C", payload={}, timeout=0.1)

    assert error.value.retryable is True
    assert time.monotonic() - started < 0.45


def test_nothing_listening_is_a_retryable_error() -> None:
    server = fakes.FakeServer(_echo_app())
    url = server.url
    server.stop()  # bound, never served, closed: the port refuses

    with pytest.raises(OutboundError) as error:
        call_json("GET", f"{url}/items", timeout=1)

    assert error.value.retryable is True and error.value.http_status is None


def test_signatures_are_hmac_sha256_over_canonical_json() -> None:
    body = canonical_json({"b": "Hà Nội", "a": 1})

    assert body == '{"a":1,"b":"Hà Nội"}'.encode()
    signature = hmac_sha256("secret", body)
    assert signature == "57dd4ddbc82f7100578a5d031d1e2fb09b83e45eeb671bc3d6433aa1001676a7"
    assert signature_matches("secret", body, signature.upper())
    assert not signature_matches("other", body, signature)
    assert not signature_matches("secret", body, "")
