"""Message templates as data (issue 15, item 5): seeded with the texts of the former files, edited by
administrators in the admin, refused when broken, used by the notifications."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.template import Context, engines
from django.urls import reverse
from django.utils import translation

from motcua.core.models import AuditEntry
from motcua.notifications import message_templates
from motcua.notifications.constants import MessageKind
from motcua.notifications.default_templates import DEFAULT_TEMPLATES, RATING_INVITATION
from motcua.notifications.exceptions import TemplateInvalid
from motcua.notifications.models import MessageTemplate, Notification
from motcua.notifications.services import message_template_save
from motcua.workflow.services import dossier_submit_online
from tests.factories import UserFactory, row_counts
from tests.intake import birth_application

SEED_FILES = Path(__file__).parent / "seed_templates"

CONTEXTS: list[dict[str, Any]] = [
    message_templates.VARIABLES,
    {
        **message_templates.VARIABLES,
        "electronic": True,
        "items": [],
        "reason": "",
        "applicant": "Công ty TNHH A & B <Hà Nội>",  # nothing is escaped: these are plain-text messages
        "amount": "1.250.000",
    },
]


def file_message(kind: str, part: str, context: dict[str, Any]) -> str:
    """What the former file notifications/<kind>.txt gave, rendered as the former services did."""
    template = engines["django"].engine.from_string((SEED_FILES / f"{kind}.txt").read_text())  # type: ignore[attr-defined]
    rendering = Context(context)
    with translation.override("vi"), rendering.bind_template(template):
        text = template.extra_data["partials"][part].render(rendering)
    return message_templates._tidy(text, one_line=part != "email")


def data_message(kind: str, channel: str, part: str, context: dict[str, Any]) -> str:
    row = MessageTemplate.objects.get(kind=kind, channel=channel)
    return message_templates.render(row.subject if part == "subject" else row.body, context, one_line=part != "email")


@pytest.mark.django_db
def test_the_data_migration_gives_the_same_messages_as_the_files() -> None:
    assert MessageTemplate.objects.count() == 20 == len(MessageKind) * 2
    # The kind of issue 17 (result delivered, with the rating link) never had a file.
    file_kinds = sorted(set(MessageKind.values) - {MessageKind.RESULT_RETURNED})
    assert sorted(path.stem for path in SEED_FILES.glob("*.txt")) == file_kinds
    compared = 0
    for kind in file_kinds:
        for channel, part in (("email", "subject"), ("email", "email"), ("sms", "sms")):
            for context in CONTEXTS:
                data = data_message(kind, channel, part, context)
                if (kind, part) == ("result_ready", "email"):  # issue 17 added the rating invitation
                    invitation = message_templates.render(RATING_INVITATION, context, one_line=False)
                    assert invitation.startswith("Mời bạn đánh giá") and invitation in data
                    data = data.replace(f"{invitation}\n\n", "")
                assert data == file_message(kind, part, context), (kind, part)
                compared += 1
    assert compared == 54
    rows = {(t.kind, t.channel): (t.subject, t.body, t.active) for t in MessageTemplate.objects.all()}
    assert rows == {key: (*text, True) for key, text in DEFAULT_TEMPLATES.items()}


@pytest.mark.django_db
def test_every_shipped_template_passes_the_admin_check() -> None:
    for (_kind, channel), (subject, body) in DEFAULT_TEMPLATES.items():
        assert message_templates.template_errors(channel=channel, subject=subject, body=body) == {}


@pytest.mark.parametrize(
    ("channel", "subject", "body", "errors"),
    [
        ("sms", "", "Hồ sơ {{ }}", {"body": "The template has a syntax error"}),
        ("sms", "", "Hồ sơ {{ ma_ho_so }} đã tiếp nhận", {"body": "Unknown variable: ma_ho_so. Known variables: "}),
        ("sms", "", "{% if code %}Hồ sơ {{ code }}", {"body": "The template has a syntax error"}),
        ("sms", "", '{% include "base.html" %}', {"body": "The tag {% include %} is not allowed here."}),
        ("sms", "", "{% load static %}{{ code }}", {"body": "The tag {% load %} is not allowed here."}),
        ("sms", "", "{{ code|date:'Y'|no_such_filter }}", {"body": "The template has a syntax error"}),
        ("sms", "Tiêu đề", "Hồ sơ {{ code }}", {"subject": "An SMS has no subject: leave it empty."}),
        ("sms", "", "   ", {"body": "This part cannot be empty."}),
        ("sms", "", "{% if electronic %}{{ code }}{% endif %}", {"body": "This part is empty once rendered."}),
        ("email", "", "Kính gửi {{ applicant }}", {"subject": "This part cannot be empty."}),
        ("email", "Hồ sơ {{ code }}", "{% for x in items %}{{ forloop.counter }}. {{ x }}{% endfor %}", {}),
        ("sms", "", "{% for x in items %}{{ x.name }}{% endfor %}", {"body": "Unknown variable: x.name."}),
    ],
)
def test_a_broken_template_is_refused_with_a_clear_message(channel, subject, body, errors) -> None:
    with translation.override("en"):
        found = message_templates.template_errors(channel=channel, subject=subject, body=body)
    assert set(found) == set(errors)
    for field, start in errors.items():
        assert found[field].startswith(start), found[field]


@pytest.fixture
def admin_client(client: Any, db: Any) -> Any:
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def change(admin_client: Any, template: MessageTemplate, **values: Any) -> Any:
    data = {"subject": template.subject, "body": template.body, "active": "on" if template.active else ""}
    data.update(values)
    return admin_client.post(reverse("admin:notifications_messagetemplate_change", args=[template.pk]), data)


def test_the_admin_refuses_a_broken_template_and_saves_nothing(admin_client) -> None:
    template = MessageTemplate.objects.get(kind="received", channel="sms")
    before = (row_counts(), MessageTemplate.objects.values().get(pk=template.pk))

    response = change(admin_client, template, body="Hồ sơ {{ code }} đã tiếp nhận, hẹn trả {{ han_tra }}.")

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "body": [
            "Biến không xác định: han_tra. Các biến dùng được: agency, amount, applicant, code, due, electronic, "
            "items, original_due, procedure, rating_url, reason, result_number, tracking_url."
        ]
    }
    assert (row_counts(), MessageTemplate.objects.values().get(pk=template.pk)) == before


def test_an_administrator_edits_a_template_and_the_next_message_uses_it(
    admin_client, people, monday_morning, django_capture_on_commit_callbacks
) -> None:
    template = MessageTemplate.objects.get(kind="submitted", channel="sms")

    response = change(admin_client, template, body="{{ code }}: da nop truc tuyen. Tra cuu: {{ tracking_url }}")

    assert response.status_code == 302
    template.refresh_from_db()
    assert (template.updated_by.is_superuser, AuditEntry.objects.latest("pk").action) == (
        True,
        "message_template_save",
    )
    with django_capture_on_commit_callbacks(execute=True):
        dossier = dossier_submit_online(actor=people["citizen"], application=birth_application())
    assert Notification.objects.get(channel="sms").body == (
        f"{dossier.code}: da nop truc tuyen. Tra cuu: http://127.0.0.1:8000/tra-cuu/{dossier.code}/"
    )


def test_an_inactive_template_sends_nothing_on_its_channel(people, monday_morning, django_capture_on_commit_callbacks):
    MessageTemplate.objects.filter(kind="submitted", channel="email").update(active=False)

    with django_capture_on_commit_callbacks(execute=True):
        dossier_submit_online(actor=people["citizen"], application=birth_application())

    assert list(Notification.objects.values_list("channel", flat=True)) == ["sms"]
    assert mail.outbox == []


def test_without_rows_the_shipped_texts_are_sent(people, monday_morning, django_capture_on_commit_callbacks) -> None:
    """A database emptied by a transactional test's flush still notifies, with the shipped texts."""
    MessageTemplate.objects.all().delete()

    with django_capture_on_commit_callbacks(execute=True):
        dossier = dossier_submit_online(actor=people["citizen"], application=birth_application())

    sms = Notification.objects.get(channel="sms")
    assert sms.body == f"Hồ sơ {dossier.code} đã được đăng ký trực tuyến. Theo dõi tại: {sms.body.split(': ', 1)[1]}"
    assert sms.body.endswith(f"/tra-cuu/{dossier.code}/")


def test_the_service_refuses_a_broken_template_with_field_errors(db) -> None:
    template = MessageTemplate.objects.get(kind="received", channel="email")
    template.subject = "{% if %}"
    before = MessageTemplate.objects.values().get(pk=template.pk)

    with translation.override("en"), pytest.raises(TemplateInvalid) as refused:
        message_template_save(actor=None, template=template)

    assert refused.value.code == "template_invalid"
    assert list(refused.value.details) == ["subject"]
    assert MessageTemplate.objects.values().get(pk=template.pk) == before


def test_e_mails_carry_an_html_alternative(people, monday_morning, django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        dossier = dossier_submit_online(actor=people["citizen"], application=birth_application())

    (message,) = mail.outbox
    html, mimetype = message.alternatives[0]
    url = f"http://127.0.0.1:8000/tra-cuu/{dossier.code}/"
    assert mimetype == "text/html"
    assert f'<a href="{url}">{url}</a>' in html
    assert html.startswith('<!doctype html><html lang="vi"><body><p>Kính gửi ')
