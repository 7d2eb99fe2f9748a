"""Checks on uploaded files, by their content, never by the name or the browser's claim: the one checker
of every channel (API, portal, desk, back office, staging of a page's files).

A PDF is opened by a PDF library (pikepdf, strict: no repair) and must be a whole PDF with a trailer and
at least one page, with no active content (scripts, launch actions, embedded files, rich media, XFA
forms) and no web page hidden in its first bytes (a ``%PDF-`` + HTML polyglot). An image (JPEG, PNG) is
decoded in full by Pillow, after its size is checked against a pixel cap (decompression bombs).
"""

from __future__ import annotations

import hashlib
import re
import warnings
from dataclasses import dataclass
from typing import IO, Any, BinaryIO, cast

from django.utils.translation import gettext as _

from motcua.dossiers.exceptions import FileRejected

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_DOCUMENTS = 50  # files in one submission, reception or supplement (fixed; docs/security.md)
MAX_IMAGE_PIXELS = 50_000_000  # a 600 dpi A3 scan is 35 megapixels
# Scans and photos of paper documents, and electronic documents.
SIGNATURES: tuple[tuple[bytes, str, str], ...] = (
    (b"%PDF-", "application/pdf", "pdf"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
)
_IMAGE_FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG"}
# Markers of a web page that a browser would render if the file were served as HTML.
_HTML_MARKERS = re.compile(rb"<\s*(?:html|script|body|iframe|svg|!doctype)", re.IGNORECASE)
# Dictionary keys that carry active content, wherever they appear in the file.
_ACTIVE_KEYS = frozenset({"/JS", "/JavaScript", "/AA", "/Launch", "/EmbeddedFile", "/EmbeddedFiles", "/RichMedia"})
_ACTIVE_ACTIONS = frozenset({"/JavaScript", "/Launch", "/ImportData", "/RichMediaExecute", "/Rendition"})


@dataclass(frozen=True)
class CheckedFile:
    content_type: str
    extension: str
    size: int
    sha256: str


def check_upload(stream: IO[bytes], *, size: int) -> CheckedFile:
    """Accept a whole, inactive PDF, or a JPEG or PNG image that decodes, of 1 byte to 10 MB; raise
    FileRejected with a stable code and a clear reason otherwise."""
    if size <= 0:
        raise FileRejected(_("The file is empty."), code="file_empty")
    if size > MAX_UPLOAD_BYTES:
        raise FileRejected(_("The file is larger than 10 MB."), code="file_too_large")
    stream.seek(0)
    head = stream.read(1024)
    match = next(((ctype, ext) for magic, ctype, ext in SIGNATURES if head.startswith(magic)), None)
    if match is None:
        raise FileRejected(_("Only PDF, JPEG or PNG files are accepted."), code="file_type")
    digest = hashlib.sha256(head)
    for chunk in iter(lambda: stream.read(1 << 16), b""):
        digest.update(chunk)
    stream.seek(0)
    if match[0] == "application/pdf":
        _check_pdf(stream, head)
    else:
        _check_image(stream, _IMAGE_FORMATS[match[0]])
    stream.seek(0)
    return CheckedFile(content_type=match[0], extension=match[1], size=size, sha256=digest.hexdigest())


def _check_pdf(stream: IO[bytes], head: bytes) -> None:
    import pikepdf  # imported here: only uploads need it

    if _HTML_MARKERS.search(head):
        raise FileRejected(_("The file contains web page content, which is not accepted."), code="file_polyglot")
    try:
        with pikepdf.open(cast(BinaryIO, stream), attempt_recovery=False) as pdf:
            if len(pdf.pages) == 0:
                raise FileRejected(_("The PDF file has no page."), code="file_no_page")
            if _has_active_content(pdf):
                raise FileRejected(
                    _("The PDF file contains executable content, which is not accepted."), code="file_active_content"
                )
    except pikepdf.PasswordError as exc:
        raise FileRejected(_("The PDF file is protected by a password."), code="file_encrypted") from exc
    except (pikepdf.PdfError, ValueError, RecursionError) as exc:
        raise FileRejected(_("The file is not a valid PDF."), code="file_invalid_pdf") from exc


def _has_active_content(pdf: Any) -> bool:
    """Whether any object of the file (direct objects inside indirect ones included) carries a script,
    an action that runs or opens something, an embedded file, rich media or an XFA form."""
    import pikepdf

    catalog_form = pdf.Root.get("/AcroForm")
    if isinstance(catalog_form, pikepdf.Dictionary) and "/XFA" in catalog_form:
        return True
    for top in pdf.objects:
        stack = [top]
        while stack:
            obj = stack.pop()
            if isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
                keys = set(obj.keys())
                if keys & _ACTIVE_KEYS or "/XFA" in keys:
                    return True
                if str(obj.get("/S", "")) in _ACTIVE_ACTIONS or str(obj.get("/Type", "")) == "/EmbeddedFile":
                    return True
                children: Any = [obj[key] for key in keys]
            elif isinstance(obj, pikepdf.Array):
                children = list(obj)
            else:
                continue
            # Indirect objects are reached by ``pdf.objects`` themselves: following them would loop.
            stack.extend(c for c in children if isinstance(c, pikepdf.Object) and not c.is_indirect)
    return False


def _check_image(stream: IO[bytes], expected: str) -> None:
    from PIL import Image, UnidentifiedImageError

    too_large = FileRejected(
        _("The image is too large (more than %(limit)d megapixels).") % {"limit": MAX_IMAGE_PIXELS // 1_000_000},
        code="image_too_large",
    )
    try:
        with warnings.catch_warnings():
            # Pillow's own bomb warning: the cap below is ours, checked before any pixel is decoded.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(stream, formats=[expected]) as image:
                width, height = image.size
                if width * height > MAX_IMAGE_PIXELS:
                    raise too_large
                image.load()  # decodes every pixel: a damaged or truncated image fails here
    except Image.DecompressionBombError as exc:
        raise too_large from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise FileRejected(
            _("The image cannot be read: the file is damaged or not a JPEG or PNG image."), code="file_invalid_image"
        ) from exc
