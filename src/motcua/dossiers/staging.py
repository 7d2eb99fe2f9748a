"""Keeping the files of a submission page across its validation errors (online and at the desk).

Without this, every error on the page loses the files already chosen and the applicant must choose
them all again. The page carries a random form token; the files it sent are kept under that token
for the account that sent them, shown as "already uploaded", used when the page is sent again
without a new file for that document, and deleted once the dossier exists or after a day.
"""

from __future__ import annotations

import re
import secrets
from datetime import timedelta
from functools import partial
from typing import IO, Any

from django.core.files.base import File
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from motcua.dossiers.files import check_upload
from motcua.dossiers.services import Upload
from motcua.dossiers.staging_models import StagedUpload

STAGED_LIFETIME = timedelta(days=1)
PURGE_BATCH = 100
_TOKEN = re.compile(r"[A-Za-z0-9_-]{32,64}")


def form_token_new() -> str:
    """A token for one submission page: 192 random bits, so it cannot be guessed."""
    return secrets.token_urlsafe(24)


def form_token_of(value: Any) -> str | None:
    """The token a page sent back, or None when it is missing or not one of ours in shape."""
    return value if isinstance(value, str) and _TOKEN.fullmatch(value) else None


def staged_for(owner: Any, token: str | None) -> dict[str, StagedUpload]:
    """The files kept for this account and page, by form field."""
    if token is None or not getattr(owner, "pk", None):
        return {}
    return {s.slot: s for s in StagedUpload.objects.filter(owner=owner, token=token)}


def _delete_files(names: list[str]) -> None:
    for name in names:
        default_storage.delete(name)


def _forget(rows: list[StagedUpload]) -> None:
    """Delete the rows now and their files once the transaction commits (a rollback keeps both)."""
    if not rows:
        return
    StagedUpload.objects.filter(pk__in=[row.pk for row in rows]).delete()
    transaction.on_commit(partial(_delete_files, [str(row.file.name) for row in rows]))


@transaction.atomic
def staged_keep(*, owner: Any, token: str, files: dict[str, IO[bytes]]) -> dict[str, StagedUpload]:
    """Keep valid files chosen on a page that came back with errors (a file chosen again for the same
    field replaces the kept one); files kept for more than a day (anyone's) are deleted on the way.

    Only files that pass the content check (``dossiers.files.check_upload``) are kept."""
    # Pages never sent again leave their files behind: each new keep removes some of the expired ones.
    expired = StagedUpload.objects.filter(created_at__lt=timezone.now() - STAGED_LIFETIME).order_by("created_at")
    _forget(list(expired[:PURGE_BATCH]))
    kept: dict[str, StagedUpload] = {}
    written: list[str] = []
    try:
        for slot, upload in files.items():
            size = int(getattr(upload, "size", 0) or 0)
            checked = check_upload(upload, size=size)
            _forget(list(StagedUpload.objects.filter(owner=owner, token=token, slot=slot)))
            staged = StagedUpload(
                owner=owner,
                token=token,
                slot=slot,
                original_name=str(getattr(upload, "name", "") or "")[:255] or slot,
                content_type=checked.content_type,
                size=checked.size,
                sha256=checked.sha256,
            )
            staged.file.save(f"staged.{checked.extension}", File(upload), save=False)
            written.append(str(staged.file.name))
            staged.save()
            upload.seek(0)
            kept[slot] = staged
    except BaseException:
        _delete_files(written)
        raise
    return kept


def staged_discard(*, owner: Any, token: str | None) -> None:
    """Forget the page's kept files, e.g. once its dossier has been created."""
    if token is not None and getattr(owner, "pk", None):
        _forget(list(StagedUpload.objects.filter(owner=owner, token=token)))


def staged_upload(staged: StagedUpload, *, required_document_id: int | None) -> Upload:
    """A kept file as an upload for the intake services (they check it again)."""
    stream = staged.file.open("rb")
    return Upload(name=staged.original_name, stream=stream, size=staged.size, required_document_id=required_document_id)


def close_staged(uploads: list[Upload]) -> None:
    """Close the kept files ``staged_upload`` opened (a request's own uploads are Django's to close)."""
    for upload in uploads:
        if isinstance(upload.stream, File) and not isinstance(upload.stream, UploadedFile):
            upload.stream.close()
