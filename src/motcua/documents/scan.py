"""The store copy of paper scanned at the desk: an image becomes a PDF, the PDF gets a text layer and
becomes PDF/A (OCRmyPDF with Tesseract's Vietnamese and English data). File work only: no database.

OCR is optional: when OCRmyPDF or Tesseract (or its Vietnamese data) is not installed, the scan is kept as
it was and the caller records ``TextLayer.UNAVAILABLE``; when the run fails or takes too long,
``TextLayer.FAILED``. Either way the copy is still signed by the officer (``services.scan_store_copy_make``).
"""

from __future__ import annotations

import logging
import subprocess
import tempfile
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from django.conf import settings

from motcua.documents.constants import TextLayer

logger = logging.getLogger("motcua.documents.scan")

# OCRmyPDF's exit codes (ocrmypdf.ExitCode): a tool or a language it needs is missing; the output was
# written but is not valid PDF/A (kept: the text layer is there, only the archival check failed).
EXIT_OK = 0
EXIT_MISSING_DEPENDENCY = 3
EXIT_PDFA_CONVERSION_FAILED = 10

IMAGE_TYPES = {"image/jpeg", "image/png"}
# A scanner that records no resolution is taken to have scanned at 300 dpi (the usual office setting).
DEFAULT_DPI = 300


@dataclass(frozen=True)
class Recognised:
    pdf: bytes
    text_layer: str  # TextLayer.DONE, UNAVAILABLE or FAILED
    detail: str = ""


def as_pdf(data: bytes, content_type: str) -> bytes:
    """A scanned image (JPEG, PNG) as a one-page PDF at its own resolution; a PDF unchanged."""
    if content_type not in IMAGE_TYPES:
        return data
    from PIL import Image

    with Image.open(BytesIO(data)) as image:
        dpi = image.info.get("dpi") or (DEFAULT_DPI, DEFAULT_DPI)
        resolution = float(dpi[0]) if dpi and float(dpi[0]) >= 72 else DEFAULT_DPI
        page = image.convert("L" if image.mode in {"1", "L", "LA"} else "RGB")
        out = BytesIO()
        page.save(out, "PDF", resolution=resolution)
    return out.getvalue()


def ocr_command() -> list[str]:
    """The OCRmyPDF run: Vietnamese then English, PDF/A-2b output made and checked by OCRmyPDF itself and
    pages rasterized by pypdfium (no Ghostscript: Debian 12's 10.0.0 corrupts pages that carry text),
    pages that already carry text kept as they are (a scanner's own OCR, a born-digital page), one
    process (the worker shares its machine)."""
    return [
        str(settings.MOTCUA_OCR_COMMAND),
        "--language",
        settings.MOTCUA_OCR_LANGUAGES,
        "--output-type",
        "pdfa",
        "--pdfa-backend",
        "internal",
        "--rasterizer",
        "pypdfium",
        "--skip-text",
        "--jobs",
        "1",
        "--quiet",
    ]


def recognise(pdf: bytes) -> Recognised:
    """The PDF with a text layer, as PDF/A; or the PDF as it was, with why not."""
    with tempfile.TemporaryDirectory(prefix="motcua-ocr-") as folder:
        source, target = Path(folder) / "scan.pdf", Path(folder) / "store.pdf"
        source.write_bytes(pdf)
        try:
            run = subprocess.run(
                [*ocr_command(), str(source), str(target)],
                capture_output=True,
                text=True,
                timeout=settings.MOTCUA_OCR_TIMEOUT_SECONDS,
                check=False,
            )
        except (FileNotFoundError, PermissionError, NotADirectoryError) as exc:
            return Recognised(pdf, TextLayer.UNAVAILABLE, str(exc))
        except subprocess.TimeoutExpired:
            return Recognised(pdf, TextLayer.FAILED, "timeout")
        detail = (run.stderr or "").strip()[-500:]
        if run.returncode == EXIT_MISSING_DEPENDENCY:
            return Recognised(pdf, TextLayer.UNAVAILABLE, detail)
        if run.returncode in {EXIT_OK, EXIT_PDFA_CONVERSION_FAILED} and target.is_file():
            if run.returncode != EXIT_OK:
                logger.warning("OCR output is not valid PDF/A, kept with its text layer: %s", detail)
            return Recognised(target.read_bytes(), TextLayer.DONE, detail)
        logger.warning("OCR failed (exit %s): %s", run.returncode, detail)
        return Recognised(pdf, TextLayer.FAILED, detail)
