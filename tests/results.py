"""Reading a result PDF as its reader does: page text with the number area, both verifiers' verdicts."""

from __future__ import annotations

import subprocess
from io import BytesIO
from pathlib import Path

from asn1crypto import pem, x509
from pypdf import PdfReader


def page_text(pdf: bytes) -> str:
    """What pypdf extracts from the pages, plus the values of the text fields (the number area), whose
    appearance viewers draw on the page; signature fields are left out."""
    reader = PdfReader(BytesIO(pdf))
    text = "\n".join(page.extract_text() for page in reader.pages)
    fields = (reader.get_fields() or {}).values()
    return text + "\n" + "\n".join(str(f.get("/V", "")) for f in fields if f.get("/FT") == "/Tx")


def shown_text(pdf: bytes) -> str:
    """The text poppler's pdftotext finds on the rendered pages (field appearances included)."""
    return subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()


def pdfsig(pdf: bytes, folder: Path) -> str:
    path = folder / "ket-qua.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdfsig", str(path)], capture_output=True, text=True, check=False).stdout


def pyhanko_coverage(pdf: bytes, ca_file: Path) -> list[tuple[str, str, bool, bool]]:
    """(coverage, modification level, intact, valid) of each signature, as pyHanko itself reports them."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    root = x509.Certificate.load(pem.unarmor(ca_file.read_bytes())[2])
    reader = PdfFileReader(BytesIO(pdf))
    statuses = [
        validate_pdf_signature(s, ValidationContext(trust_roots=[root], allow_fetching=False))
        for s in reader.embedded_signatures
    ]
    return [(s.coverage.name, s.modification_level.name, s.intact, s.valid) for s in statuses]
