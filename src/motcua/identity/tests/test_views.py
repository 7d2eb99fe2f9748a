import pytest
from django.core import mail
from django.urls import reverse

from motcua.identity.constants import Role
from motcua.identity.models import User
from tests.factories import PASSWORD, make_staff, row_counts

REGISTRATION = {
    "kind": "citizen",
    "full_name": "Lê Văn Tám",
    "personal_id": "042190001234",
    "phone": "0912345678",
    "email": "tam@example.vn",
    "password1": "mật-khẩu-dài-2026",
    "password2": "mật-khẩu-dài-2026",
}


@pytest.mark.django_db
def test_register_logs_the_citizen_in(client) -> None:
    response = client.post(reverse("identity:register"), REGISTRATION)
    assert response.status_code == 302
    assert User.objects.get(username="042190001234").full_name == "Lê Văn Tám"
    assert client.get(reverse("identity:account")).context["user"].username == "042190001234"


@pytest.mark.django_db
def test_register_with_a_bad_id_shows_the_error_in_vietnamese_and_creates_nothing(client) -> None:
    before = row_counts()
    response = client.post(reverse("identity:register"), {**REGISTRATION, "personal_id": "12345"})
    assert response.status_code == 400
    assert "Số định danh cá nhân phải gồm 12 chữ số" in response.content.decode()
    assert row_counts() == before


@pytest.mark.django_db
def test_login_is_throttled_after_five_failures(client, settings) -> None:
    user = User.objects.create_user(username="042190001234", password=PASSWORD, full_name="A")
    for _ in range(5):
        assert client.post(reverse("identity:login"), {"username": user.username, "password": "sai"}).status_code == 200
    response = client.post(reverse("identity:login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_password_reset_mail_carries_a_working_link(client, django_capture_on_commit_callbacks) -> None:
    User.objects.create_user(username="042190001234", email="lan@example.vn", password=PASSWORD, full_name="Lan")
    with django_capture_on_commit_callbacks(execute=True):  # the mail is sent by a task once committed
        client.post(reverse("identity:password-reset"), {"email": "lan@example.vn"})
    assert len(mail.outbox) == 1
    link = next(line for line in mail.outbox[0].body.splitlines() if "/quen-mat-khau/" in line)
    path = link.split("://", 1)[1].split("/", 1)[1]
    form_page = client.get("/" + path, follow=True)
    assert form_page.context["validlink"] is True


def test_desk_account_must_change_its_password_first(client, province) -> None:
    officer = make_staff(Role.DESK_OFFICER, province["commune_a"])
    client.force_login(officer)
    data = {k: v for k, v in REGISTRATION.items() if not k.startswith("password")}
    page = client.post(reverse("backoffice:applicant-create"), data)
    assert page.status_code == 200
    password = page.context["password"]
    assert page.context["applicant"].must_change_password

    client.logout()
    assert client.post(reverse("identity:login"), {"username": "042190001234", "password": password}).status_code == 302
    assert client.get(reverse("identity:account")).url == reverse("identity:password-change")
    client.post(
        reverse("identity:password-change"),
        {"old_password": password, "new_password1": "mới-hơn-2026!", "new_password2": "mới-hơn-2026!"},
    )
    assert client.get(reverse("identity:account")).status_code == 200
    assert not User.objects.get(username="042190001234").must_change_password
