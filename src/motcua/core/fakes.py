"""Local fakes of external services, each a real HTTP server on 127.0.0.1 (ARCHITECTURE.md §4.6).

An adapter (national portal, identity provider, population database, post, SMS, payment) talks HTTP to a
URL taken from settings. In the demo and in the tests that URL points at a fake defined here, so the
network, the signatures, the retries and the failures are all exercised; only the far side is ours.

An app declares its fake in its ``AppConfig.ready`` (core imports no app)::

    fakes.register(FakeService(
        name="sms", port=8105, build=build_sms_gateway,
        settings={"MOTCUA_SMS_GATEWAY_URL": "{url}/"},
    ))

``build()`` returns a fresh ``FakeApp`` (its own in-memory state); ``settings`` says which settings
point at the fake once it runs (``{url}`` is its base URL). ``manage.py run_fakes`` serves every
registered fake on its demo port (``make demo``); tests use ``running(name)`` (or the ``fake_service``
fixture) on a free port. Every fake also answers ``POST /_fake/faults`` with ``{"failure_rate": 0.3,
"delay": [0, 0.5], "seed": 1}`` so that a test or a bench driving it from another process can make it
fail or answer late, and ``GET /_fake/state`` with what it recorded.
"""

from __future__ import annotations

import json
import random
import re
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http import HTTPStatus
from socketserver import ThreadingMixIn
from typing import Any
from urllib.parse import parse_qs
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

# --- requests and answers ---------------------------------------------------------------------------


@dataclass
class FakeRequest:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]  # lower-case names
    body: bytes
    params: dict[str, str] = field(default_factory=dict)  # from the route's <name> parts

    def json(self) -> Any:
        return json.loads(self.body.decode("utf-8") or "null")

    def form(self) -> dict[str, str]:
        return {key: values[-1] for key, values in parse_qs(self.body.decode("utf-8")).items()}

    def arg(self, name: str, default: str = "") -> str:
        values = self.query.get(name)
        return values[-1] if values else default


@dataclass
class FakeResponse:
    status: int = 200
    body: Any = None  # dict/list → JSON; bytes/str → as given
    headers: dict[str, str] = field(default_factory=dict)

    def encoded(self) -> tuple[bytes, str]:
        if isinstance(self.body, bytes):
            return self.body, self.headers.get("Content-Type", "application/octet-stream")
        if isinstance(self.body, str):
            return self.body.encode("utf-8"), self.headers.get("Content-Type", "text/html; charset=utf-8")
        return json.dumps(self.body, ensure_ascii=False).encode("utf-8"), "application/json"


Handler = Callable[[FakeRequest], FakeResponse]


@dataclass
class Faults:
    """What the fake does to the calls it serves: fail a share of them (HTTP 503) and answer late."""

    failure_rate: float = 0.0
    delay: tuple[float, float] = (0.0, 0.0)  # seconds, uniform between the two
    seed: int | None = None
    _random: random.Random = field(default_factory=random.Random, repr=False)

    def __post_init__(self) -> None:
        self._random = random.Random(self.seed)

    def pause(self) -> None:
        low, high = self.delay
        if high > 0:
            time.sleep(self._random.uniform(low, high))

    def fails(self) -> bool:
        return self.failure_rate > 0 and self._random.random() < self.failure_rate


class FakeApp:
    """A small WSGI application: routes, faults, and the state a test can read.

    Subclasses (or builders) add routes with ``route(method, pattern, handler)``; a pattern's ``<name>``
    parts match one path segment each and reach the handler as ``request.params``. Handlers run under
    ``lock`` one at a time, so they may change ``state`` freely.
    """

    def __init__(self, name: str) -> None:
        self.name = name
        self.state: dict[str, Any] = {}
        self.calls: list[tuple[str, str]] = []  # (method, path) of every call served, faults included
        self.faults = Faults()
        self.lock = threading.RLock()
        self._routes: list[tuple[str, re.Pattern[str], Handler, bool]] = []
        self.route("POST", "/_fake/faults", self._set_faults, faults=False)
        self.route("GET", "/_fake/state", self._state, faults=False)

    def route(self, method: str, pattern: str, handler: Handler, *, faults: bool = True) -> None:
        """``faults=False``: the route is never failed nor delayed (the browser pages of a provider)."""
        regex = re.compile("^" + re.sub(r"<(\w+)>", r"(?P<\1>[^/]+)", pattern) + "$")
        self._routes.append((method.upper(), regex, handler, faults))

    def set_faults(
        self, *, failure_rate: float = 0.0, delay: tuple[float, float] = (0.0, 0.0), seed: Any = None
    ) -> None:
        with self.lock:
            self.faults = Faults(failure_rate=failure_rate, delay=delay, seed=seed)

    def _set_faults(self, request: FakeRequest) -> FakeResponse:
        data = request.json() or {}
        delay = data.get("delay") or [0, 0]
        self.set_faults(
            failure_rate=float(data.get("failure_rate", 0)), delay=(delay[0], delay[1]), seed=data.get("seed")
        )
        return FakeResponse(body={"ok": True})

    def _state(self, request: FakeRequest) -> FakeResponse:
        return FakeResponse(body=json.loads(json.dumps(self.state, default=str)))

    def handle(self, request: FakeRequest) -> FakeResponse:
        for method, regex, handler, faulty in self._routes:
            match = regex.match(request.path)
            if match is None or method != request.method:
                continue
            request.params = match.groupdict()
            if faulty:
                with self.lock:
                    fails = self.faults.fails()
                    faults = self.faults
                faults.pause()  # outside the lock: late answers overlap as they would in reality
                if fails:
                    with self.lock:
                        self.calls.append((request.method, request.path))
                    return FakeResponse(HTTPStatus.SERVICE_UNAVAILABLE, {"error": "unavailable"})
            with self.lock:
                self.calls.append((request.method, request.path))
                return handler(request)
        return FakeResponse(HTTPStatus.NOT_FOUND, {"error": "not_found"})

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        length = int(environ.get("CONTENT_LENGTH") or 0)
        headers = {
            key[5:].replace("_", "-").lower(): value for key, value in environ.items() if key.startswith("HTTP_")
        }
        if environ.get("CONTENT_TYPE"):
            headers["content-type"] = environ["CONTENT_TYPE"]
        request = FakeRequest(
            method=environ["REQUEST_METHOD"].upper(),
            path=environ.get("PATH_INFO") or "/",
            query=parse_qs(environ.get("QUERY_STRING", "")),
            headers=headers,
            body=environ["wsgi.input"].read(length) if length else b"",
        )
        try:
            response = self.handle(request)
        except Exception as exc:  # noqa: BLE001 - a fake's bug is answered as a 500, as a real server would
            response = FakeResponse(HTTPStatus.INTERNAL_SERVER_ERROR, {"error": f"{type(exc).__name__}: {exc}"})
        body, content_type = response.encoded()
        head = {"Content-Type": content_type, **response.headers}
        start_response(f"{response.status} {HTTPStatus(response.status).phrase}", list(head.items()))
        return [body]


# --- the registry and the servers ----------------------------------------------------------------------


@dataclass(frozen=True)
class FakeService:
    name: str
    port: int  # where ``run_fakes`` serves it for the demo; the default settings point there
    build: Callable[[], FakeApp]
    settings: dict[str, str] = field(default_factory=dict)  # setting → value, with {url} the fake's base URL


_registry: dict[str, FakeService] = {}


def register(service: FakeService) -> None:
    _registry[service.name] = service  # registering again replaces it: ready() may run twice


def registered() -> list[FakeService]:
    return sorted(_registry.values(), key=lambda service: service.port)


def service(name: str) -> FakeService:
    return _registry[name]


class _ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True
    allow_reuse_address = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        return None


class FakeServer:
    """One fake served on 127.0.0.1 in a background thread."""

    def __init__(self, app: FakeApp, port: int = 0) -> None:
        self.app = app
        self._server = make_server("127.0.0.1", port, app, server_class=_ThreadingServer, handler_class=_QuietHandler)
        self.port = self._server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self._server.serve_forever, name=f"fake-{app.name}", daemon=True)

    def start(self) -> FakeServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._thread.is_alive():
            self._server.shutdown()
            self._thread.join(timeout=5)
        self._server.server_close()

    def settings(self, service: FakeService) -> dict[str, str]:
        return {name: value.format(url=self.url) for name, value in service.settings.items()}


@contextmanager
def running(name: str, port: int = 0) -> Iterator[FakeServer]:
    """Serve the registered fake ``name`` (fresh state) until the block ends."""
    server = FakeServer(service(name).build(), port).start()
    try:
        yield server
    finally:
        server.stop()


def demo_settings() -> dict[str, str]:
    """The settings of every registered fake at its demo port (what settings.py defaults to)."""
    values: dict[str, str] = {}
    for fake in registered():
        values.update(
            {name: value.format(url=f"http://127.0.0.1:{fake.port}") for name, value in fake.settings.items()}
        )
    return values
