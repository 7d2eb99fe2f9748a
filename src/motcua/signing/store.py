"""Where keys and certificates live on disk: one directory, settings.MOTCUA_SIGNING_DIR.

    <dir>/<username>.key.pem    the person's private key (mode 0600)
    <dir>/<username>.cert.pem   the person's certificate
    <dir>/ca/ca.cert.pem        the local certificate authority (trusted when verifying)
    <dir>/ca/ca.key.pem         its key, present only for the demo authority
    <dir>/agencies/<code>.key.pem, .cert.pem   an agency's own (organisation) key and certificate, with
                                which the clerk seals the results the agency issues

The authority sits in a sub-directory so that no username can name its files.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from django.conf import settings

# Django's username alphabet; anything else (a path separator, a leading dot) never reaches the disk.
_USERNAME = re.compile(r"[\w.@+-]+")


def signing_dir() -> Path:
    return Path(settings.MOTCUA_SIGNING_DIR)


def safe_username(username: str) -> bool:
    return bool(_USERNAME.fullmatch(username)) and not username.startswith(".")


def key_path(directory: Path, username: str) -> Path:
    if not safe_username(username):
        raise ValueError(f"not a usable username for a key file: {username!r}")
    return directory / f"{username}.key.pem"


def cert_path(directory: Path, username: str) -> Path:
    if not safe_username(username):
        raise ValueError(f"not a usable username for a certificate file: {username!r}")
    return directory / f"{username}.cert.pem"


def agency_key_path(directory: Path, agency_code: str) -> Path:
    if not safe_username(agency_code):
        raise ValueError(f"not a usable agency code for a key file: {agency_code!r}")
    return directory / "agencies" / f"{agency_code}.key.pem"


def agency_cert_path(directory: Path, agency_code: str) -> Path:
    if not safe_username(agency_code):
        raise ValueError(f"not a usable agency code for a certificate file: {agency_code!r}")
    return directory / "agencies" / f"{agency_code}.cert.pem"


def ca_cert_path(directory: Path) -> Path:
    return directory / "ca" / "ca.cert.pem"


def ca_key_path(directory: Path) -> Path:
    return directory / "ca" / "ca.key.pem"


def write_private(path: Path, data: bytes) -> None:
    """Write a secret readable by the owner only (0600), in a directory only the owner can list."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.chmod(path, 0o600)  # O_CREAT keeps the mode of a file that already existed


def write_public(path: Path, data: bytes) -> None:
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    path.write_bytes(data)
