"""Absolute links follow MOTCUA_SITE_URL, which ``make demo`` sets from its port."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from motcua.core.site import absolute_url, tracking_url

ROOT = Path(__file__).resolve().parents[4]


def test_links_are_built_from_the_site_url_setting(settings) -> None:
    settings.SITE_URL = "http://127.0.0.1:8080"
    assert absolute_url("/can-bo/") == "http://127.0.0.1:8080/can-bo/"
    assert tracking_url("H99.101-260309-0001") == "http://127.0.0.1:8080/tra-cuu/H99.101-260309-0001/"

    settings.SITE_URL = "https://dvc.example.vn/"
    assert tracking_url("H99.101-260309-0001") == "https://dvc.example.vn/tra-cuu/H99.101-260309-0001/"


def _fake_venv(tmp_path: Path) -> Path:
    """Stand-ins for the third-party programs the script starts: each prints the site URL it was given."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for name in ("python", "gunicorn"):
        program = bin_dir / name
        program.write_text(f'#!/bin/sh\necho "{name} $MOTCUA_SITE_URL $*"\n')
        program.chmod(0o755)
    return tmp_path


def _serve(tmp_path: Path, **env: str) -> str:
    environment = {k: v for k, v in os.environ.items() if k != "MOTCUA_SITE_URL"}
    environment |= {"VENV": str(_fake_venv(tmp_path)), **env}
    done = subprocess.run(
        ["sh", str(ROOT / "scripts" / "serve-demo")],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,  # the script ends by stopping its worker; what matters is what it started
    )
    return done.stdout


def test_the_demo_sets_the_site_url_from_its_port(tmp_path) -> None:
    out = _serve(tmp_path, PORT="8080")

    assert "python http://127.0.0.1:8080 manage.py demo_logins" in out
    assert "gunicorn http://127.0.0.1:8080 motcua.wsgi:application --bind 127.0.0.1:8080" in out
    assert ":8000" not in out


def test_the_demo_keeps_an_explicit_site_url(tmp_path) -> None:
    out = _serve(tmp_path, PORT="8080", MOTCUA_SITE_URL="https://dvc.example.vn")

    assert "gunicorn https://dvc.example.vn motcua.wsgi:application --bind 127.0.0.1:8080" in out
