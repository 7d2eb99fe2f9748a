"""A 403 is logged as one line (method, path, user id, client), without a traceback."""

from __future__ import annotations

import logging

from motcua.identity.constants import Role
from tests.factories import make_province_tree, make_staff

URL = "/can-bo/lich/"  # the deployment calendar: administrators only


def test_a_refused_page_is_one_line_without_a_traceback(client, db, caplog) -> None:
    tree = make_province_tree()
    officer = make_staff(Role.DESK_OFFICER, tree["province"])
    client.force_login(officer)

    with caplog.at_level(logging.WARNING, logger="django.request"):
        assert client.get(URL, REMOTE_ADDR="203.0.113.9").status_code == 403

    [record] = [r for r in caplog.records if r.name == "django.request"]
    assert (record.levelname, record.exc_info, record.exc_text) == ("WARNING", None, None)
    assert record.getMessage() == f"Forbidden: GET /can-bo/lich/ user={officer.pk} client=203.0.113.9"
    assert "Traceback" not in caplog.text


def test_an_anonymous_refusal_names_no_user(client, db, caplog) -> None:
    with caplog.at_level(logging.WARNING, logger="django.request"):
        assert client.get("/api/v1/staff/dossiers").status_code == 403

    [record] = [r for r in caplog.records if r.name == "django.request"]
    assert record.getMessage() == "Forbidden: GET /api/v1/staff/dossiers user=- client=127.0.0.1"
    assert record.exc_info is None


def test_other_client_errors_keep_their_message(client, db, caplog) -> None:
    with caplog.at_level(logging.WARNING, logger="django.request"):
        assert client.get("/api/v1/procedures/no-such").status_code == 404

    [record] = [r for r in caplog.records if r.name == "django.request"]
    assert record.getMessage() == "Not Found: /api/v1/procedures/no-such"
