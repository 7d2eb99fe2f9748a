"""Password reset and registration: throttled, and silent about which accounts exist."""

import statistics
import time

import pytest
from django.core import mail
from django.core.cache import cache
from django_tasks_db.models import DBTaskResult

from motcua.identity.models import User
from tests.factories import PASSWORD, row_counts

RESET = "/quen-mat-khau/"
REGISTER = "/dang-ky/"
PROXY = "10.0.0.1"
DATABASE_QUEUE = {"default": {"BACKEND": "motcua.core.task_queue.DatabaseQueue"}}
REGISTRATION = {
    "kind": "citizen",
    "full_name": "Kẻ Mạo Danh",
    "personal_id": "042190001234",
    "phone": "0987654321",
    "email": "mao@example.vn",
    "password1": "mật-khẩu-dài-2026",
    "password2": "mật-khẩu-dài-2026",
}


@pytest.fixture(autouse=True)
def _setup(_media_and_cache, settings) -> None:
    cache.clear()
    settings.MOTCUA_TRUSTED_PROXIES = PROXY
    settings.SITE_URL = "https://dichvucong.example.gov.vn"


@pytest.fixture
def lan(db):
    return User.objects.create_user(
        username="001190000001", email="lan@example.vn", phone="0912345678", password=PASSWORD, full_name="Lan"
    )


def post(client, url, data, client_ip="198.51.100.7"):
    return client.post(url, data, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=client_ip)


def _reset(client, email, n):
    cache.clear()  # stay under the limits: only the work of one request is measured
    start = time.thread_time()  # CPU time of this thread: the machine's other load does not count
    response = post(client, RESET, {"email": email}, client_ip=f"203.0.113.{n % 250}")
    return time.thread_time() - start, response


def test_reset_answers_the_same_in_the_same_time_for_known_and_unknown_addresses(client, lan, settings) -> None:
    settings.TASKS = DATABASE_QUEUE  # the production path: the request only queues the mail
    settings.MOTCUA_TASKS_IN_TRANSACTION = True
    known, unknown = _reset(client, "lan@example.vn", 0)[1], _reset(client, "khong-co@example.vn", 0)[1]
    assert (known.status_code, known["Location"]) == (302, "/quen-mat-khau/da-gui/")
    assert (unknown.status_code, unknown["Location"]) == (302, "/quen-mat-khau/da-gui/")
    for n in range(5):  # warm up
        _reset(client, "lan@example.vn", n), _reset(client, "khong-co@example.vn", n)
    times: dict[str, list[float]] = {"lan@example.vn": [], "khong-co@example.vn": []}
    for n in range(60):
        for email in sorted(times, reverse=bool(n % 2)):
            times[email].append(_reset(client, email, n)[0])
    a, b = (statistics.median(times[e]) * 1000 for e in ("lan@example.vn", "khong-co@example.vn"))
    print(f"password reset median: known address {a:.2f} ms, unknown address {b:.2f} ms")
    assert abs(a - b) < 0.2 * max(a, b)  # today's code before the fix: 34 % (the mail was sent in the request)
    assert mail.outbox == []  # nothing sent during the request


def test_the_queued_reset_mails_a_link_on_the_public_address_to_known_addresses_only(client, lan, settings) -> None:
    settings.TASKS = DATABASE_QUEUE
    settings.MOTCUA_TASKS_IN_TRANSACTION = True
    from motcua.identity.tasks import password_reset_mail_task

    post(client, RESET, {"email": "LAN@example.vn"})
    post(client, RESET, {"email": "khong-co@example.vn"})
    queued = list(DBTaskResult.objects.order_by("enqueued_at").values_list("task_path", "args_kwargs"))
    assert [path for path, _args in queued] == ["motcua.identity.tasks.password_reset_mail_task"] * 2
    for _path, args in queued:
        password_reset_mail_task.call(**args["kwargs"])
    assert [m.to for m in mail.outbox] == [["lan@example.vn"]]
    assert "https://dichvucong.example.gov.vn/quen-mat-khau/" in mail.outbox[0].body


def test_reset_is_throttled_per_address_and_per_client(client, lan, django_capture_on_commit_callbacks) -> None:
    for _ in range(3):
        with django_capture_on_commit_callbacks(execute=True):  # the immediate task backend of the tests
            assert post(client, RESET, {"email": "lan@example.vn"}, client_ip="203.0.113.9").status_code == 302
    blocked = post(client, RESET, {"email": "lan@example.vn"}, client_ip="198.51.100.7")
    assert blocked.status_code == 429
    assert len(mail.outbox) == 3
    assert post(client, RESET, {"email": "ai-do@example.vn"}, client_ip="198.51.100.7").status_code == 302
    for n in range(20):
        post(client, RESET, {"email": f"x{n}@example.vn"}, client_ip="203.0.113.50")
    assert post(client, RESET, {"email": "y@example.vn"}, client_ip="203.0.113.50").status_code == 429
    assert post(client, RESET, {"email": "y@example.vn"}, client_ip="198.51.100.8").status_code == 302


def test_registration_with_a_taken_id_or_phone_says_neither_and_tells_the_owner(
    client, lan, django_capture_on_commit_callbacks
) -> None:
    before = row_counts()
    with django_capture_on_commit_callbacks(execute=True):
        taken_id = post(client, REGISTER, {**REGISTRATION, "personal_id": "001190000001"})
        taken_phone = post(client, REGISTER, {**REGISTRATION, "phone": "0912.345.678"}, client_ip="198.51.100.8")
    assert taken_id.status_code == taken_phone.status_code == 400
    assert (
        taken_id.context["form"].errors
        == taken_phone.context["form"].errors
        == {
            "__all__": [
                "Không thể mở tài khoản trực tuyến với các thông tin này. Nếu bạn đã có tài khoản, hãy đăng nhập "
                "hoặc đặt lại mật khẩu; nếu chưa, hãy mang căn cước đến bộ phận một cửa."
            ]
        }
    )
    assert row_counts() == before
    # Each refused attempt on her ID or her phone tells the owner (registrations are throttled per ID).
    assert [m.to for m in mail.outbox] == [["lan@example.vn"], ["lan@example.vn"]]
    assert "https://dichvucong.example.gov.vn/quen-mat-khau/" in mail.outbox[0].body


def test_registration_is_throttled_per_number_and_per_client(client, db) -> None:
    for n in range(5):
        post(client, REGISTER, {**REGISTRATION, "password2": "khac"}, client_ip=f"203.0.113.{n}")
    assert post(client, REGISTER, REGISTRATION, client_ip="198.51.100.7").status_code == 429
    assert not User.objects.exists()
    assert post(client, REGISTER, {**REGISTRATION, "personal_id": "042190005678"}).status_code == 302
