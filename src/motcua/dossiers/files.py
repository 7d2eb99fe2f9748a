"""Checks on uploaded files: by content (magic bytes), not by the name or the browser's claim."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import IO

from django.utils.translation import gettext as _

from motcua.dossiers.exceptions import FileRejected

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_DOCUMENTS = 50  # files in one submission, reception or supplement (fixed; docs/security.md)
# Scans and photos of paper documents, and electronic documents.
SIGNATURES: tuple[tuple[bytes, str, str], ...] = (
    (b"%PDF-", "application/pdf", "pdf"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
)


@dataclass(frozen=True)
class CheckedFile:
    content_type: str
    extension: str
    size: int
    sha256: str


def check_upload(stream: IO[bytes], *, size: int) -> CheckedFile:
    """Accept PDF, JPEG or PNG of 1 byte to 10 MB; raise FileRejected with a clear reason otherwise."""
    if size <= 0:
        raise FileRejected(_("The file is empty."), code="file_empty")
    if size > MAX_UPLOAD_BYTES:
        raise FileRejected(_("The file is larger than 10 MB."), code="file_too_large")
    stream.seek(0)
    head = stream.read(16)
    match = next(((ctype, ext) for magic, ctype, ext in SIGNATURES if head.startswith(magic)), None)
    if match is None:
        raise FileRejected(_("Only PDF, JPEG or PNG files are accepted."), code="file_type")
    digest = hashlib.sha256(head)
    for chunk in iter(lambda: stream.read(1 << 16), b""):
        digest.update(chunk)
    stream.seek(0)
    return CheckedFile(content_type=match[0], extension=match[1], size=size, sha256=digest.hexdigest())
