"""A paper document as a desk scanner gives it: a known Vietnamese phrase, large and clear, in an image
(Pillow with the DejaVu font of the OS, fonts-dejavu-core) or wrapped into a one-page PDF."""

from __future__ import annotations

import io
import subprocess
from functools import cache

PHRASE = "GIẤY KHAI SINH SỐ 123/2026"
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
DPI = 300


@cache
def phrase_png() -> bytes:
    """An A4-wide strip at 300 dpi, black text on white, as a flatbed scanner saves it."""
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("L", (2480, 900), 255)
    ImageDraw.Draw(image).text((150, 350), PHRASE, font=ImageFont.truetype(FONT, 90), fill=0)
    out = io.BytesIO()
    image.save(out, "PNG", dpi=(DPI, DPI))
    return out.getvalue()


@cache
def phrase_pdf() -> bytes:
    """The same scan wrapped into a PDF (an image only: no text layer), as a scanner's PDF mode gives it."""
    from PIL import Image

    out = io.BytesIO()
    with Image.open(io.BytesIO(phrase_png())) as image:
        image.save(out, "PDF", resolution=DPI)
    return out.getvalue()


def pdf_text(pdf: bytes) -> str:
    """The text poppler's pdftotext finds, runs of white space made single spaces."""
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    return " ".join(text.split())


def pdfa_part(pdf: bytes) -> tuple[str, str]:
    """(pdfaid:part, pdfaid:conformance) of the XMP metadata; empty strings when not declared."""
    import pikepdf

    with pikepdf.open(io.BytesIO(pdf)) as document:
        meta = document.open_metadata()
        return str(meta.get("pdfaid:part", "")), str(meta.get("pdfaid:conformance", ""))
