"""A local national identity provider (VNeID-like) speaking OpenID Connect: the far side of
``identity.national_login`` in the demo and the tests (core/fakes.py; demo port 8102).

It plays a real provider over HTTP: the discovery document, an authorisation page where the tester picks a
demo citizen (or types one) and "logs in", the redirect back with a one-time code, the token endpoint
(client secret, the code used once, the same redirect URI, PKCE S256) issuing an RS256-signed ID token, the
JWKS with the public key (a fresh key at every build), userinfo for the access token, and the end-session
endpoint. A test (or ``POST /_fake/misbehave {"id_token": "bad_signature"}``) can make it issue a token that
a relying party must refuse: ``bad_signature``, ``wrong_nonce``, ``wrong_audience``, ``wrong_issuer``,
``expired``, ``no_personal_id``, ``userinfo_other`` (userinfo about another subject).

The page is Vietnamese and clearly marked as a local fake: nothing here is a real identity check.
"""

from __future__ import annotations

import base64
import hashlib
import html
import secrets
import time
from http import HTTPStatus
from typing import Any
from urllib.parse import urlencode, urlsplit

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from motcua.core.fakes import FakeApp, FakeRequest, FakeResponse, FakeService

NAME = "national_identity"
DEMO_PORT = 8102
CLIENT_ID = "motcua-demo"
CLIENT_SECRET = "demo-national-id-secret"
# Where a registered client may be sent back: its callback path on a loopback host (the tests' live servers
# listen on any port).
CALLBACK_PATH = "/dang-nhap/vneid/ket-qua/"
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
PERSONAL_ID_CLAIM = "citizen_id"  # the default of MOTCUA_NATIONAL_ID_PERSONAL_ID_CLAIM
CODE_LIFETIME_SECONDS = 600
TOKEN_LIFETIME_SECONDS = 300
MISBEHAVIOURS = frozenset(
    {"bad_signature", "wrong_nonce", "wrong_audience", "wrong_issuer", "expired", "no_personal_id", "userinfo_other"}
)

# The demo's citizens (motcua/demo/province.py DEMO_CITIZENS: a test keeps them the same) and one person who
# has no account yet.
DEMO_PEOPLE: list[dict[str, str]] = [
    {
        "personal_id": "022190001234",
        "name": "Nguyễn Thị Lan",
        "birthdate": "1990-05-12",
        "phone_number": "0912345678",
        "email": "lan.nguyen@example.vn",
    },
    {
        "personal_id": "022088005678",
        "name": "Trần Văn Minh",
        "birthdate": "1988-11-02",
        "phone_number": "0987654321",
        "email": "minh.tran@example.vn",
    },
    {
        "personal_id": "001195004321",
        "name": "Phạm Thị Thu",
        "birthdate": "1995-08-20",
        "phone_number": "0934567890",
        "email": "pham.thu@example.vn",
    },
]


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def subject_of(personal_id: str) -> str:
    """The provider's stable, opaque subject for a person (never the personal ID itself)."""
    return hashlib.sha256(f"fake-vneid:{personal_id}".encode()).hexdigest()[:32]


class FakeIdentityProvider(FakeApp):
    def __init__(self) -> None:
        super().__init__(NAME)
        self._key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self._other_key: rsa.RSAPrivateKey | None = None  # made when a test asks for a bad signature
        self._kid = secrets.token_hex(8)
        self.codes: dict[str, dict[str, Any]] = {}
        self.access_tokens: dict[str, dict[str, Any]] = {}
        self.state.update({"logins": [], "tokens_issued": 0, "refused": [], "logouts": [], "misbehave": ""})
        self.route("GET", "/.well-known/openid-configuration", self.discovery)
        self.route("GET", "/authorize", self.authorize_page, faults=False)
        self.route("POST", "/authorize", self.authorize_submit, faults=False)
        self.route("POST", "/token", self.token)
        self.route("GET", "/jwks", self.jwks)
        self.route("GET", "/userinfo", self.userinfo)
        self.route("GET", "/logout", self.end_session, faults=False)
        self.route("POST", "/_fake/misbehave", self._set_misbehave, faults=False)

    # --- helpers ------------------------------------------------------------------------------------

    @staticmethod
    def issuer(request: FakeRequest) -> str:
        return f"http://{request.headers.get('host', '127.0.0.1')}"

    def _refuse(self, reason: str, error: str, status: int = HTTPStatus.BAD_REQUEST) -> FakeResponse:
        self.state["refused"].append(reason)
        return FakeResponse(status, {"error": error, "error_description": reason})

    @staticmethod
    def _redirect_uri_allowed(uri: str) -> bool:
        parts = urlsplit(uri)
        return (
            parts.scheme in ("http", "https")
            and parts.hostname in LOOPBACK_HOSTS
            and parts.path == CALLBACK_PATH
            and not parts.query
        )

    def _client_error(self, params: dict[str, str]) -> str:
        """Why an authorisation request cannot even be sent back (OIDC Core 3.1.2.6: never redirect then)."""
        if params.get("client_id") != CLIENT_ID:
            return "Ứng dụng không được đăng ký (client_id sai)."
        if not self._redirect_uri_allowed(params.get("redirect_uri", "")):
            return "Địa chỉ quay về (redirect_uri) không được đăng ký cho ứng dụng này."
        return ""

    def _set_misbehave(self, request: FakeRequest) -> FakeResponse:
        value = str((request.json() or {}).get("id_token", ""))
        if value and value not in MISBEHAVIOURS:
            return FakeResponse(HTTPStatus.BAD_REQUEST, {"error": f"unknown misbehaviour {value}"})
        self.state["misbehave"] = value
        return FakeResponse(body={"ok": True})

    # --- discovery and keys ----------------------------------------------------------------------------

    def discovery(self, request: FakeRequest) -> FakeResponse:
        base = self.issuer(request)
        return FakeResponse(
            body={
                "issuer": base,
                "authorization_endpoint": f"{base}/authorize",
                "token_endpoint": f"{base}/token",
                "userinfo_endpoint": f"{base}/userinfo",
                "jwks_uri": f"{base}/jwks",
                "end_session_endpoint": f"{base}/logout",
                "response_types_supported": ["code"],
                "subject_types_supported": ["pairwise"],
                "id_token_signing_alg_values_supported": ["RS256"],
                "scopes_supported": ["openid", "profile", "email", "phone"],
                "token_endpoint_auth_methods_supported": ["client_secret_post", "client_secret_basic"],
                "code_challenge_methods_supported": ["S256"],
                "claims_supported": ["sub", PERSONAL_ID_CLAIM, "name", "birthdate", "phone_number", "email"],
            }
        )

    def jwks(self, request: FakeRequest) -> FakeResponse:
        jwk = RSAAlgorithm.to_jwk(self._key.public_key(), as_dict=True)
        return FakeResponse(body={"keys": [{**jwk, "kid": self._kid, "use": "sig", "alg": "RS256"}]})

    # --- the browser part: the authorisation page ------------------------------------------------------

    def authorize_page(self, request: FakeRequest) -> FakeResponse:
        params = {key: request.arg(key) for key in request.query}
        problem = self._client_error(params)
        if not problem and params.get("response_type") != "code":
            problem = "Chỉ hỗ trợ luồng mã xác thực (response_type=code)."
        if not problem and "openid" not in params.get("scope", "").split():
            problem = "Thiếu phạm vi openid."
        if not problem and params.get("code_challenge") and params.get("code_challenge_method") != "S256":
            problem = "Chỉ hỗ trợ PKCE S256."
        if problem:
            self.state["refused"].append("authorize")
            return FakeResponse(HTTPStatus.BAD_REQUEST, _page(f'<p class="error">{html.escape(problem)}</p>'))
        return FakeResponse(body=_page(_login_form(params)))

    def authorize_submit(self, request: FakeRequest) -> FakeResponse:
        form = request.form()
        if problem := self._client_error(form):
            self.state["refused"].append("authorize")
            return FakeResponse(HTTPStatus.BAD_REQUEST, _page(f'<p class="error">{html.escape(problem)}</p>'))
        back = form["redirect_uri"]
        state = form.get("state", "")
        choice = form.get("person", "")
        if choice == "cancel":
            query = urlencode({"error": "access_denied", "error_description": "user cancelled", "state": state})
            return FakeResponse(HTTPStatus.FOUND, "", {"Location": f"{back}?{query}"})
        person = next((p for p in DEMO_PEOPLE if p["personal_id"] == choice), None)
        if choice == "typed":
            person = {
                "personal_id": form.get("personal_id", "").strip(),
                "name": form.get("name", "").strip(),
                "birthdate": form.get("birthdate", "").strip(),
                "phone_number": form.get("phone_number", "").strip(),
                "email": form.get("email", "").strip(),
            }
        if person is None or not person["personal_id"]:
            return FakeResponse(
                HTTPStatus.BAD_REQUEST, _page('<p class="error">Chọn một công dân hoặc nhập số định danh.</p>')
            )
        code = secrets.token_urlsafe(24)
        self.codes[code] = {
            "client_id": form["client_id"],
            "redirect_uri": back,
            "nonce": form.get("nonce", ""),
            "code_challenge": form.get("code_challenge", ""),
            "person": person,
            "issued_at": time.time(),
            "used": False,
        }
        self.state["logins"].append(person["personal_id"])
        return FakeResponse(HTTPStatus.FOUND, "", {"Location": f"{back}?{urlencode({'code': code, 'state': state})}"})

    # --- the back channel: token and userinfo ----------------------------------------------------------

    def _client(self, request: FakeRequest, form: dict[str, str]) -> tuple[str, str]:
        header = request.headers.get("authorization", "")
        if header.lower().startswith("basic "):
            user, _sep, password = base64.b64decode(header[6:]).decode("utf-8").partition(":")
            return user, password
        return form.get("client_id", ""), form.get("client_secret", "")

    def token(self, request: FakeRequest) -> FakeResponse:
        form = request.form()
        if form.get("grant_type") != "authorization_code":
            return self._refuse("grant_type", "unsupported_grant_type")
        client_id, secret = self._client(request, form)
        if client_id != CLIENT_ID or not secrets.compare_digest(secret, CLIENT_SECRET):
            return self._refuse("client_secret", "invalid_client", HTTPStatus.UNAUTHORIZED)
        grant = self.codes.get(form.get("code", ""))
        if grant is None:
            return self._refuse("unknown_code", "invalid_grant")
        if grant["used"]:
            return self._refuse("code_reused", "invalid_grant")
        grant["used"] = True  # once, whatever happens next (RFC 6749 §4.1.2)
        if time.time() - grant["issued_at"] > CODE_LIFETIME_SECONDS:
            return self._refuse("code_expired", "invalid_grant")
        if grant["client_id"] != client_id:
            return self._refuse("client_mismatch", "invalid_grant")
        if form.get("redirect_uri") != grant["redirect_uri"]:
            return self._refuse("redirect_uri", "invalid_grant")
        if grant["code_challenge"]:
            verifier = form.get("code_verifier", "")
            if _b64url(hashlib.sha256(verifier.encode("ascii")).digest()) != grant["code_challenge"]:
                return self._refuse("code_verifier", "invalid_grant")
        person = grant["person"]
        claims = {"sub": subject_of(person["personal_id"]), **_person_claims(person)}
        access_token = secrets.token_urlsafe(24)
        self.access_tokens[access_token] = claims
        self.state["tokens_issued"] += 1
        id_token = self._id_token(request, claims, client_id=client_id, nonce=grant["nonce"])
        return FakeResponse(
            body={
                "access_token": access_token,
                "token_type": "Bearer",
                "expires_in": TOKEN_LIFETIME_SECONDS,
                "id_token": id_token,
                "scope": "openid profile email phone",
            },
            headers={"Cache-Control": "no-store"},
        )

    def _id_token(self, request: FakeRequest, claims: dict[str, Any], *, client_id: str, nonce: str) -> str:
        now = int(time.time())
        misbehave = self.state["misbehave"]
        payload = {
            **claims,
            "iss": self.issuer(request) + ("/other" if misbehave == "wrong_issuer" else ""),
            "aud": "someone-else" if misbehave == "wrong_audience" else client_id,
            "iat": now,
            "auth_time": now,
            "exp": now - 3600 if misbehave == "expired" else now + TOKEN_LIFETIME_SECONDS,
            "nonce": "not-your-nonce" if misbehave == "wrong_nonce" else nonce,
            "amr": ["pwd"],
        }
        if misbehave == "no_personal_id":
            payload.pop(PERSONAL_ID_CLAIM, None)
        key = self._key
        if misbehave == "bad_signature":
            self._other_key = self._other_key or rsa.generate_private_key(public_exponent=65537, key_size=2048)
            key = self._other_key
        return jwt.encode(payload, key, algorithm="RS256", headers={"kid": self._kid})

    def userinfo(self, request: FakeRequest) -> FakeResponse:
        header = request.headers.get("authorization", "")
        claims = self.access_tokens.get(header[7:]) if header.lower().startswith("bearer ") else None
        if claims is None:
            return self._refuse("access_token", "invalid_token", HTTPStatus.UNAUTHORIZED)
        if self.state["misbehave"] == "no_personal_id":
            claims = {k: v for k, v in claims.items() if k != PERSONAL_ID_CLAIM}
        if self.state["misbehave"] == "userinfo_other":  # someone else's claims for this token
            claims = {**claims, "sub": subject_of("022088005678")}
        return FakeResponse(body=claims)

    def end_session(self, request: FakeRequest) -> FakeResponse:
        hint = request.arg("id_token_hint")
        subject = ""
        if hint:
            try:
                claims = jwt.decode(
                    hint,
                    self._key.public_key(),
                    algorithms=["RS256"],
                    options={"verify_aud": False, "verify_exp": False},
                )
                subject = str(claims.get("sub", ""))
            except jwt.InvalidTokenError:
                subject = ""
        self.state["logouts"].append(subject)
        back = request.arg("post_logout_redirect_uri")
        parts = urlsplit(back)
        if back and parts.hostname in LOOPBACK_HOSTS:
            return FakeResponse(HTTPStatus.FOUND, "", {"Location": back})
        return FakeResponse(body=_page("<p>Bạn đã đăng xuất khỏi tài khoản định danh điện tử (giả lập).</p>"))


def _person_claims(person: dict[str, str]) -> dict[str, str]:
    claims = {
        PERSONAL_ID_CLAIM: person["personal_id"],
        "name": person["name"],
        "birthdate": person["birthdate"],
        "phone_number": person["phone_number"],
        "email": person["email"],
    }
    return {key: value for key, value in claims.items() if value}


# --- the page --------------------------------------------------------------------------------------

_STYLE = """
body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:#f4f6f8;color:#1b1f24}
.fake{background:#fde68a;color:#713f12;padding:8px 12px;font-weight:700;text-align:center;font-size:14px}
header{background:#b91c1c;color:#fff;padding:14px 16px}header h1{margin:0;font-size:18px}
header p{margin:4px 0 0;font-size:13px;opacity:.9}
main{max-width:480px;margin:0 auto;padding:16px}
.card{background:#fff;border-radius:8px;padding:16px;margin-bottom:16px;box-shadow:0 1px 2px rgba(0,0,0,.1)}
h2{font-size:16px;margin:0 0 12px}
button{display:block;width:100%;box-sizing:border-box;margin:0 0 8px;padding:12px;border-radius:6px;
border:1px solid #b91c1c;background:#fff;color:#1b1f24;font:inherit;text-align:left;cursor:pointer}
button strong{display:block}button small{color:#555}
button.primary{background:#b91c1c;color:#fff;text-align:center;font-weight:700}
button.cancel{border-color:#888;text-align:center}
label{display:block;font-size:14px;margin:8px 0 4px}
input{width:100%;box-sizing:border-box;padding:10px;border:1px solid #999;border-radius:6px;font:inherit}
.error{color:#b91c1c;font-weight:700}
"""


def _page(body: str) -> str:
    return (
        '<!doctype html><html lang="vi"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        "<title>Đăng nhập tài khoản định danh điện tử (giả lập)</title>"
        f"<style>{_STYLE}</style></head><body>"
        '<div class="fake" role="note">GIẢ LẬP · máy chủ thử nghiệm cục bộ, không phải VNeID thật</div>'
        "<header><h1>Tài khoản định danh điện tử</h1>"
        "<p>Cổng xác thực giả lập của motcua (OpenID Connect)</p></header>"
        f"<main>{body}</main></body></html>"
    )


_CARRIED = ("client_id", "redirect_uri", "state", "nonce", "code_challenge", "code_challenge_method", "scope")


def _login_form(params: dict[str, str]) -> str:
    hidden = "".join(
        f'<input type="hidden" name="{name}" value="{html.escape(params.get(name, ""))}">' for name in _CARRIED
    )
    people = "".join(
        f'<button type="submit" name="person" value="{p["personal_id"]}" data-person="{p["personal_id"]}">'
        f"<strong>{html.escape(p['name'])}</strong><small>Số định danh {p['personal_id']} · "
        f"sinh {p['birthdate'][8:10]}/{p['birthdate'][5:7]}/{p['birthdate'][:4]}</small></button>"
        for p in DEMO_PEOPLE
    )
    return (
        '<form method="post" action="/authorize">'
        f"{hidden}"
        '<div class="card"><h2>Đăng nhập với tư cách công dân thử nghiệm</h2>'
        "<p>Ứng dụng <strong>Một cửa điện tử</strong> xin xác thực danh tính của bạn.</p>"
        f"{people}</div>"
        '<div class="card"><h2>Hoặc nhập một công dân khác</h2>'
        '<label for="personal_id">Số định danh cá nhân</label>'
        '<input id="personal_id" name="personal_id" inputmode="numeric" maxlength="12">'
        '<label for="name">Họ và tên</label><input id="name" name="name">'
        '<label for="birthdate">Ngày sinh</label><input id="birthdate" name="birthdate" type="date">'
        '<label for="phone_number">Số điện thoại</label><input id="phone_number" name="phone_number" type="tel">'
        '<label for="email">Thư điện tử</label><input id="email" name="email" type="email">'
        '<p></p><button class="primary" type="submit" name="person" value="typed">Đăng nhập</button></div>'
        '<button class="cancel" type="submit" name="person" value="cancel">Huỷ, quay lại</button>'
        "</form>"
    )


def build_identity_provider() -> FakeApp:
    return FakeIdentityProvider()


FAKE = FakeService(
    name=NAME,
    port=DEMO_PORT,
    build=build_identity_provider,
    settings={
        "MOTCUA_NATIONAL_ID_ISSUER": "{url}",
        "OIDC_OP_AUTHORIZATION_ENDPOINT": "{url}/authorize",
        "OIDC_OP_TOKEN_ENDPOINT": "{url}/token",
        "OIDC_OP_USER_ENDPOINT": "{url}/userinfo",
        "OIDC_OP_JWKS_ENDPOINT": "{url}/jwks",
        "MOTCUA_NATIONAL_ID_END_SESSION_URL": "{url}/logout",
    },
)
