"""PDFs and signers for tests (also used by the portal and API tests of the verification page)."""

from __future__ import annotations

from functools import cache
from io import BytesIO
from pathlib import Path

from motcua.signing.ca import demo_certificate_issue

LEADER = "lanh.dao"
LEADER_NAME = "Nguyễn Văn Lãnh"
COMMUNE = "UBND xã Hòa Bình"

RESULT_HTML = """<!doctype html><html lang="vi"><meta charset="utf-8">
<h1>GIẤY CHỨNG NHẬN ĐĂNG KÝ KHAI SINH</h1>
<p>Họ, chữ đệm, tên: Trần Thị Bé Ngọc — Ngày sinh: 01/03/2026 — Nơi sinh: Trạm y tế xã Hòa Bình</p>
</html>"""


@cache
def result_pdf() -> bytes:
    """A one-page PDF with Vietnamese text, made like the slips (weasyprint)."""
    from weasyprint import HTML

    pdf: bytes = HTML(string=RESULT_HTML).write_pdf()
    return pdf


def leader_certificate(directory: Path) -> Path:
    return demo_certificate_issue(directory, username=LEADER, full_name=LEADER_NAME, organisation=COMMUNE)


def with_page_text(pdf: bytes, text: str = "DA SUA") -> bytes:
    """The PDF with an incremental update that draws more text on page 1 (no new signature)."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(BytesIO(pdf))
    stream = generic.StreamObject(stream_data=f"BT /F1 24 Tf 72 72 Td ({text}) Tj ET".encode())
    writer.add_stream_to_page(0, writer.add_object(stream))
    out = BytesIO()
    writer.write(out)
    return out.getvalue()
