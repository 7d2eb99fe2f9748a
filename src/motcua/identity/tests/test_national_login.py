"""National-ID login: the service (create, link, take over, refuse) and the whole OpenID Connect flow over
real HTTP against the local provider (identity.fake_oidc), the browser's half played with ``requests``."""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from threading import Barrier
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.contrib.auth import authenticate
from django.db import connection, connections
from django.test import Client

from motcua.core.models import AuditEntry
from motcua.identity import fake_oidc
from motcua.identity.constants import AccountKind, Role, VerificationMethod
from motcua.identity.exceptions import (
    NationalIdAccountInactive,
    NationalIdClaimMissing,
    NationalIdStaffRefused,
)
from motcua.identity.models import User
from motcua.identity.national_login import NationalIdentity, national_identity_from_claims, national_login
from motcua.identity.services import ApplicantData, applicant_create_at_desk, applicant_register
from tests.factories import make_citizen, make_staff, row_counts

THU = NationalIdentity(
    subject="abc123",
    personal_id="001195004321",
    full_name="Phạm Thị Thu",
    birth_date=date(1995, 8, 20),
    phone="0934567890",
    email="pham.thu@example.vn",
)
PASSWORD = "mật-khẩu-dài-2026"
PROVIDER_FAILED = (
    "Không kết nối được với hệ thống định danh điện tử, hoặc không kiểm tra được câu trả lời của hệ thống. "
    "Chưa có gì thay đổi. Hãy thử lại sau vài phút, hoặc đăng nhập bằng mật khẩu."
)
STATE_MISMATCH = (
    "Kết quả đăng nhập này không thuộc về lượt đăng nhập bắt đầu từ trang này (có thể đã cũ, đã dùng rồi, hoặc "
    "mở ở trình duyệt khác). Chưa có gì thay đổi. Hãy bắt đầu lại bằng nút VNeID."
)
CLAIM_MISSING = (
    "Hệ thống định danh điện tử không cung cấp số định danh cá nhân và họ tên hợp lệ, nên không thể đăng nhập "
    "bằng cách này. Chưa có gì thay đổi và không có tài khoản nào được mở."
)


# --- the service ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_new_person_gets_a_verified_citizen_account() -> None:
    user = national_login(identity=THU)

    assert (user.username, user.kind, user.personal_id, user.full_name) == (
        "001195004321",
        AccountKind.CITIZEN,
        "001195004321",
        "Phạm Thị Thu",
    )
    assert (user.birth_date, user.phone, user.email) == (date(1995, 8, 20), "0934567890", "pham.thu@example.vn")
    assert user.identity_verified and user.identity_verified_by is None
    assert user.identity_verification_method == VerificationMethod.NATIONAL_ID_LOGIN
    assert not user.has_usable_password()
    entry = AuditEntry.objects.get(object_id=str(user.pk))
    assert (entry.action, entry.actor, entry.summary) == (
        "national_login_create",
        user,
        "verified by national identity (VNeID)",
    )
    assert entry.data == {"method": "national_id_login", "subject": "abc123"}


@pytest.mark.django_db
def test_an_account_verified_at_the_desk_is_linked_never_doubled() -> None:
    citizen = make_citizen(personal_id="001195004321", phone="0911111111")
    citizen.set_password(PASSWORD)
    citizen.save()
    verified_at = citizen.identity_verified_at
    users = User.objects.count()

    user = national_login(identity=THU)
    user2 = national_login(identity=THU)

    assert user.pk == user2.pk == citizen.pk and User.objects.count() == users
    user.refresh_from_db()
    assert (user.identity_verified_at, user.identity_verification_method) == (verified_at, "desk")
    assert (user.phone, user.birth_date) == ("0911111111", date(1995, 8, 20))  # contact kept, birth date added
    assert authenticate(username="001195004321", password=PASSWORD) == user  # the holder's password still works
    actions = list(AuditEntry.objects.filter(object_id=str(user.pk)).order_by("pk").values_list("action", flat=True))
    assert actions == ["national_login", "national_login"]


@pytest.mark.django_db
def test_an_unverified_online_account_is_taken_over_by_the_proven_holder() -> None:
    squatted = applicant_register(
        data=ApplicantData(
            full_name="Kẻ Mạo Danh", personal_id="001195004321", phone="0900000001", email="x@example.vn"
        ),
        kind=AccountKind.CITIZEN,
        password=PASSWORD,
    )

    user = national_login(identity=THU)

    assert user.pk == squatted.pk and User.objects.filter(personal_id="001195004321").count() == 1
    user.refresh_from_db()
    assert (user.full_name, user.phone, user.email) == ("Phạm Thị Thu", "0934567890", "pham.thu@example.vn")
    assert user.identity_verification_method == VerificationMethod.NATIONAL_ID_LOGIN and user.identity_verified
    assert authenticate(username="001195004321", password=PASSWORD) is None  # whoever opened it is out
    entry = AuditEntry.objects.filter(object_id=str(user.pk)).latest("pk")
    assert (entry.action, entry.data) == (
        "national_login_link",
        {"subject": "abc123", "method": "national_id_login", "password_cleared": True},
    )


def test_a_desk_one_time_password_is_void_after_national_login(province) -> None:
    desk = make_staff(Role.DESK_OFFICER, province["commune_a"])
    account, handover = applicant_create_at_desk(
        actor=desk, data=ApplicantData(full_name="Phạm Thị Thu", personal_id="001195004321", phone="0934567890")
    )

    user = national_login(identity=THU)

    user.refresh_from_db()
    assert user.pk == account.pk and not user.must_change_password
    assert authenticate(username="001195004321", password=handover) is None
    assert user.identity_verified_by == desk  # verified at the desk first: that stays


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_first_logins_of_one_person_open_one_account() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("concurrent first logins are exercised on PostgreSQL (CI runs the suite there too)")
    count = 4
    start = Barrier(count)

    def log_in(_index: int) -> int:
        try:
            start.wait()  # all at once, no account yet
            return national_login(identity=THU).pk
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=count) as pool:
        ids = set(pool.map(log_in, range(count)))

    assert len(ids) == 1 and User.objects.filter(personal_id="001195004321").count() == 1
    actions = sorted(AuditEntry.objects.values_list("action", flat=True))
    assert actions == ["national_login"] * (count - 1) + ["national_login_create"]


@pytest.mark.django_db
@pytest.mark.parametrize("same_username", [True, False])
def test_a_staff_account_is_never_logged_in_with_national_identity(same_username: bool) -> None:
    from tests.factories import UserFactory

    UserFactory(
        kind=AccountKind.STAFF,
        username="001195004321" if same_username else "canbo.thu",
        personal_id="" if same_username else "001195004321",
    )
    before = row_counts()

    with pytest.raises(NationalIdStaffRefused):
        national_login(identity=THU)

    assert row_counts() == before


@pytest.mark.django_db
def test_a_locked_account_is_refused() -> None:
    citizen = make_citizen(personal_id="001195004321")
    citizen.is_active = False
    citizen.save()
    before = row_counts()

    with pytest.raises(NationalIdAccountInactive):
        national_login(identity=THU)

    assert row_counts() == before


@pytest.mark.parametrize(
    ("claims", "missing"),
    [
        ({"sub": "s", "name": "Phạm Thị Thu"}, ["citizen_id"]),
        ({"sub": "s", "citizen_id": "001195004321"}, ["name"]),
        ({"sub": "s", "citizen_id": "00119500432", "name": "A"}, ["citizen_id"]),  # 11 digits
        ({"sub": "s", "citizen_id": "000195004321", "name": "A"}, ["citizen_id"]),  # no such province
        ({"citizen_id": "001195004321", "name": "A"}, ["sub"]),
    ],
)
def test_claims_without_a_valid_personal_id_and_name_are_refused(claims: dict[str, str], missing: list[str]) -> None:
    with pytest.raises(NationalIdClaimMissing) as caught:
        national_identity_from_claims(claims)
    assert caught.value.details == {"claims": missing}


def test_claims_are_read_with_the_configured_claim_name(settings: Any) -> None:
    settings.MOTCUA_NATIONAL_ID_PERSONAL_ID_CLAIM = "so_dinh_danh"
    claims = {
        "sub": "s",
        "so_dinh_danh": "001195004321",
        "name": "  Phạm   Thị Thu ",
        "birthdate": "1995-02-30",  # not a date: left empty, not a refusal
        "phone_number": "+84 934 567 890",
        "email": "not an address",
    }
    assert national_identity_from_claims(claims) == NationalIdentity(
        subject="s", personal_id="001195004321", full_name="Phạm Thị Thu", phone="+84934567890"
    )


# --- the OpenID Connect flow over HTTP ------------------------------------------------------------------


@pytest.fixture
def provider(fake_service: Any) -> Any:
    return fake_service("national_identity")


@pytest.fixture
def browser(db: Any) -> Client:
    # The provider sends the browser back to a registered (loopback) address only.
    return Client(HTTP_HOST="127.0.0.1")


def start(browser: Client, next_url: str = "") -> str:
    """Press the VNeID button: our site answers with the provider's authorisation URL."""
    response = browser.get("/dang-nhap/vneid/" + (f"?next={next_url}" if next_url else ""))
    assert response.status_code == 302
    return str(response["Location"])


def log_in_at_provider(authorize_url: str, person: str = "001195004321", **typed: str) -> str:
    """The browser at the provider: open the page, press a person (or type one); returns our callback URL."""
    page = requests.get(authorize_url, timeout=5)
    assert page.status_code == 200 and "GIẢ LẬP" in page.text
    form = {k: v[-1] for k, v in parse_qs(urlsplit(authorize_url).query).items()}
    hidden = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)">', page.text))
    assert hidden == {k: form.get(k, "") for k in hidden}  # the page carries the request on
    answer = requests.post(
        authorize_url.split("?")[0], data={**hidden, "person": person, **typed}, allow_redirects=False, timeout=5
    )
    assert answer.status_code == 302
    return str(answer.headers["Location"])


def come_back(browser: Client, callback_url: str) -> Any:
    parts = urlsplit(callback_url)
    assert (parts.hostname, parts.path) == ("127.0.0.1", "/dang-nhap/vneid/ket-qua/")
    return browser.get(f"{parts.path}?{parts.query}")


def shown_messages(browser: Client) -> list[str]:
    page = browser.get("/dang-nhap/").content.decode()
    return [" ".join(m.split()) for m in re.findall(r'<p class="message error"[^>]*>(.*?)</p>', page, re.S)]


def test_a_citizen_logs_in_through_the_provider_and_gets_a_verified_account(provider: Any, browser: Client) -> None:
    authorize_url = start(browser, next_url="/ho-so-cua-toi/")
    query = parse_qs(urlsplit(authorize_url).query)
    assert authorize_url.startswith(provider.url + "/authorize?")
    assert {k: v[0] for k, v in query.items() if k in ("response_type", "client_id", "code_challenge_method")} == {
        "response_type": "code",
        "client_id": "motcua-demo",
        "code_challenge_method": "S256",
    }
    assert query["redirect_uri"] == ["http://127.0.0.1/dang-nhap/vneid/ket-qua/"]
    assert len(query["state"][0]) == 32 and len(query["nonce"][0]) == 32 and len(query["code_challenge"][0]) == 43

    response = come_back(browser, log_in_at_provider(authorize_url))

    assert (response.status_code, response["Location"]) == (302, "/ho-so-cua-toi/")
    user = User.objects.get(username="001195004321")
    assert int(browser.session["_auth_user_id"]) == user.pk
    assert user.identity_verification_method == VerificationMethod.NATIONAL_ID_LOGIN
    assert (user.full_name, user.birth_date) == ("Phạm Thị Thu", date(1995, 8, 20))
    assert provider.app.state["tokens_issued"] == 1 and provider.app.state["refused"] == []
    assert [path for method, path in provider.app.calls if method != "GET" or path != "/authorize"] == [
        "/authorize",
        "/token",
        "/jwks",
        "/userinfo",
    ]
    assert browser.get("/tai-khoan/").status_code == 200


def test_a_demo_citizen_logs_in_to_the_account_the_desk_verified(provider: Any, browser: Client) -> None:
    lan = make_citizen(personal_id="022190001234", phone="0912345678")
    users = User.objects.count()

    response = come_back(browser, log_in_at_provider(start(browser), person="022190001234"))

    assert (response.status_code, response["Location"]) == (302, "/tai-khoan/chuyen-huong/")
    assert int(browser.session["_auth_user_id"]) == lan.pk and User.objects.count() == users


def test_a_typed_person_is_logged_in(provider: Any, browser: Client) -> None:
    typed = {"personal_id": "079203001122", "name": "Lê Văn Tư", "birthdate": "2003-01-02", "email": ""}
    come_back(browser, log_in_at_provider(start(browser), person="typed", **typed))

    user = User.objects.get(username="079203001122")
    assert (user.full_name, user.birth_date, user.email, user.phone) == ("Lê Văn Tư", date(2003, 1, 2), "", "")


def test_a_tampered_state_is_refused_and_changes_nothing(provider: Any, browser: Client, db: Any) -> None:
    callback = log_in_at_provider(start(browser))
    before = row_counts()

    response = come_back(browser, callback.replace("state=", "state=x"))

    assert (response.status_code, response["Location"]) == (302, "/dang-nhap/")
    assert "_auth_user_id" not in browser.session and row_counts() == before
    assert provider.app.state["tokens_issued"] == 0  # the code was never even exchanged
    assert shown_messages(browser) == [STATE_MISMATCH]


def test_a_callback_replayed_after_login_is_refused(provider: Any, browser: Client, db: Any) -> None:
    callback = log_in_at_provider(start(browser))
    come_back(browser, callback)
    other = Client(HTTP_HOST="127.0.0.1")  # an attacker who got hold of the URL, in another browser

    response = come_back(other, callback)

    assert response["Location"] == "/dang-nhap/" and "_auth_user_id" not in other.session
    assert shown_messages(other) == [STATE_MISMATCH]


@pytest.mark.parametrize(
    "misbehaviour", ["bad_signature", "wrong_nonce", "wrong_audience", "wrong_issuer", "expired", "userinfo_other"]
)
def test_an_id_token_that_does_not_check_out_is_refused(
    provider: Any, browser: Client, db: Any, misbehaviour: str
) -> None:
    assert requests.post(f"{provider.url}/_fake/misbehave", json={"id_token": misbehaviour}, timeout=5).ok
    callback = log_in_at_provider(start(browser))
    before = row_counts()

    response = come_back(browser, callback)

    assert (response.status_code, response["Location"]) == (302, "/dang-nhap/")
    assert "_auth_user_id" not in browser.session and row_counts() == before
    assert provider.app.state["tokens_issued"] == 1
    assert shown_messages(browser) == [PROVIDER_FAILED]


def test_a_missing_personal_id_claim_is_refused_and_opens_no_account(provider: Any, browser: Client, db: Any) -> None:
    provider.app.state["misbehave"] = "no_personal_id"
    callback = log_in_at_provider(start(browser))
    before = row_counts()

    come_back(browser, callback)

    assert "_auth_user_id" not in browser.session and row_counts() == before
    assert shown_messages(browser) == [CLAIM_MISSING]


def test_a_provider_using_another_claim_name_is_read_only_when_configured(
    provider: Any, browser: Client, settings: Any, db: Any
) -> None:
    settings.MOTCUA_NATIONAL_ID_PERSONAL_ID_CLAIM = "so_dinh_danh"  # this provider says citizen_id
    come_back(browser, log_in_at_provider(start(browser)))
    assert shown_messages(browser) == [CLAIM_MISSING] and not User.objects.exists()


def test_a_staff_member_cannot_log_in_through_the_provider(provider: Any, browser: Client, province: Any) -> None:
    staff = make_staff(Role.DESK_OFFICER, province["commune_a"])
    User.objects.filter(pk=staff.pk).update(personal_id="001195004321")
    callback = log_in_at_provider(start(browser))
    before = row_counts()

    come_back(browser, callback)

    assert "_auth_user_id" not in browser.session and row_counts() == before
    assert shown_messages(browser) == [
        "Số định danh cá nhân này thuộc về một tài khoản cán bộ, tài khoản cán bộ không đăng nhập bằng định danh "
        "điện tử. Hãy đăng nhập bằng tên đăng nhập cán bộ và mật khẩu."
    ]


def test_cancelling_at_the_provider_changes_nothing(provider: Any, browser: Client, db: Any) -> None:
    callback = log_in_at_provider(start(browser), person="cancel")
    assert parse_qs(urlsplit(callback).query)["error"] == ["access_denied"]

    come_back(browser, callback)

    assert not User.objects.exists() and "_auth_user_id" not in browser.session
    assert browser.session["oidc_states"] == {}  # the state cannot be used again
    assert shown_messages(browser) == [
        "Hệ thống định danh điện tử không xác nhận danh tính của bạn, hoặc bạn đã huỷ. Chưa có gì thay đổi. "
        "Hãy thử lại, hoặc đăng nhập bằng mật khẩu."
    ]


def test_a_wrong_client_secret_is_refused_by_the_provider(
    provider: Any, browser: Client, settings: Any, db: Any
) -> None:
    settings.OIDC_RP_CLIENT_SECRET = "not-the-secret"
    come_back(browser, log_in_at_provider(start(browser)))
    assert provider.app.state["refused"] == ["client_secret"] and not User.objects.exists()
    assert shown_messages(browser) == [PROVIDER_FAILED]


def test_a_provider_that_is_down_is_told_plainly(provider: Any, browser: Client, db: Any) -> None:
    callback = log_in_at_provider(start(browser))
    provider.app.set_faults(failure_rate=1.0)
    come_back(browser, callback)
    assert not User.objects.exists() and shown_messages(browser) == [PROVIDER_FAILED]


def test_the_provider_refuses_a_reused_code_a_wrong_redirect_and_a_wrong_verifier(provider: Any, db: Any) -> None:
    browser = Client(HTTP_HOST="127.0.0.1")
    authorize_url = start(browser)
    verifier = next(iter(browser.session["oidc_states"].values()))["code_verifier"]
    code = parse_qs(urlsplit(log_in_at_provider(authorize_url)).query)["code"][0]
    exchange = {
        "grant_type": "authorization_code",
        "code": code,
        "client_id": "motcua-demo",
        "client_secret": "demo-national-id-secret",
        "redirect_uri": "http://127.0.0.1/dang-nhap/vneid/ket-qua/",
        "code_verifier": verifier,
    }
    token = f"{provider.url}/token"

    assert requests.post(token, data={**exchange, "code_verifier": "x" * 64}, timeout=5).json()["error"] == (
        "invalid_grant"
    )
    code = parse_qs(urlsplit(log_in_at_provider(authorize_url)).query)["code"][0]
    wrong_uri = {**exchange, "code": code, "redirect_uri": "http://127.0.0.1:9/dang-nhap/vneid/ket-qua/"}
    assert requests.post(token, data=wrong_uri, timeout=5).json()["error"] == "invalid_grant"
    code = parse_qs(urlsplit(log_in_at_provider(authorize_url)).query)["code"][0]
    first = requests.post(token, data={**exchange, "code": code}, timeout=5)
    second = requests.post(token, data={**exchange, "code": code}, timeout=5)

    assert first.status_code == 200 and first.json()["token_type"] == "Bearer"
    assert (second.status_code, second.json()["error"]) == (400, "invalid_grant")
    assert provider.app.state["refused"] == ["code_verifier", "redirect_uri", "code_reused"]
    evil = authorize_url.replace("redirect_uri=http%3A%2F%2F127.0.0.1", "redirect_uri=http%3A%2F%2Fevil.example")
    refused = requests.get(evil, allow_redirects=False, timeout=5)
    assert refused.status_code == 400 and "redirect_uri" in refused.text


def test_logging_out_ends_the_provider_session_too(provider: Any, browser: Client) -> None:
    come_back(browser, log_in_at_provider(start(browser)))

    page = browser.post("/dang-xuat/")

    assert page.status_code == 200 and "_auth_user_id" not in browser.session
    provider_url = re.search(r'id="national-logout" href="([^"]+)"', page.content.decode())
    assert provider_url is not None
    url = provider_url.group(1).replace("&amp;", "&")
    assert url.startswith(provider.url + "/logout?id_token_hint=")
    back = requests.get(url, allow_redirects=False, timeout=5)
    assert (back.status_code, back.headers["Location"]) == (302, "http://127.0.0.1/")
    assert provider.app.state["logouts"] == [fake_oidc.subject_of("001195004321")]


def test_a_password_logout_stays_here(db: Any) -> None:
    citizen = make_citizen()
    browser = Client()
    browser.force_login(citizen)
    response = browser.post("/dang-xuat/")
    assert (response.status_code, response["Location"]) == (302, "/")


def test_the_button_is_on_the_login_and_register_pages_only_when_enabled(settings: Any, db: Any) -> None:
    client = Client()
    for path in ("/dang-nhap/?next=/ho-so-cua-toi/", "/dang-ky/"):
        page = client.get(path).content.decode()
        assert "Đăng nhập bằng tài khoản định danh điện tử (VNeID)" in page
    assert (
        'href="/dang-nhap/vneid/?next=/ho-so-cua-toi/"'
        in client.get("/dang-nhap/?next=/ho-so-cua-toi/").content.decode()
    )
    settings.MOTCUA_NATIONAL_ID_LOGIN_ENABLED = False
    assert "VNeID" not in client.get("/dang-nhap/").content.decode()
    assert client.get("/dang-nhap/vneid/").status_code == 404
    assert client.get("/dang-nhap/vneid/ket-qua/?code=a&state=b").status_code == 404


def test_the_discovery_document_names_the_endpoints_the_settings_use(provider: Any, settings: Any) -> None:
    document = requests.get(f"{provider.url}/.well-known/openid-configuration", timeout=5).json()
    assert (
        document["issuer"],
        document["authorization_endpoint"],
        document["token_endpoint"],
        document["userinfo_endpoint"],
        document["jwks_uri"],
        document["end_session_endpoint"],
    ) == (
        settings.MOTCUA_NATIONAL_ID_ISSUER,
        settings.OIDC_OP_AUTHORIZATION_ENDPOINT,
        settings.OIDC_OP_TOKEN_ENDPOINT,
        settings.OIDC_OP_USER_ENDPOINT,
        settings.OIDC_OP_JWKS_ENDPOINT,
        settings.MOTCUA_NATIONAL_ID_END_SESSION_URL,
    )
    assert document["code_challenge_methods_supported"] == ["S256"]


def test_the_holder_sets_a_password_after_logging_in_with_vneid(provider: Any, browser: Client) -> None:
    come_back(browser, log_in_at_provider(start(browser)))
    account = browser.get("/tai-khoan/").content.decode()
    assert "Đã xác thực: Đăng nhập bằng định danh quốc gia (VNeID)" in account and "Đặt mật khẩu" in account

    response = browser.post("/tai-khoan/doi-mat-khau/", {"new_password1": PASSWORD, "new_password2": PASSWORD})

    assert (response.status_code, response["Location"]) == (302, "/tai-khoan/")
    assert authenticate(username="001195004321", password=PASSWORD) == User.objects.get(username="001195004321")


def test_the_default_settings_point_at_the_fake_on_its_demo_port(settings: Any) -> None:
    demo = {key: value.format(url="http://127.0.0.1:8102") for key, value in fake_oidc.FAKE.settings.items()}
    assert {key: getattr(settings, key) for key in demo} == demo
    assert (settings.OIDC_RP_CLIENT_ID, settings.OIDC_RP_CLIENT_SECRET) == (
        fake_oidc.CLIENT_ID,
        fake_oidc.CLIENT_SECRET,
    )
    assert settings.MOTCUA_NATIONAL_ID_PERSONAL_ID_CLAIM == fake_oidc.PERSONAL_ID_CLAIM
