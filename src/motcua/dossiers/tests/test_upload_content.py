"""Uploads are opened, not sniffed: a PDF by pikepdf (whole, with a page, no active content, no web page
in its first bytes), an image decoded in full by Pillow; each refusal has a stable code."""

from __future__ import annotations

import io

import pikepdf
import pytest
from PIL import Image

from motcua.dossiers import files
from motcua.dossiers.exceptions import FileRejected
from motcua.dossiers.files import check_upload
from tests.intake import JPEG, PDF, PNG, make_pdf


def check(data: bytes):
    return check_upload(io.BytesIO(data), size=len(data))


def code_of(data: bytes) -> str:
    with pytest.raises(FileRejected) as refused:
        check(data)
    return refused.value.code


def pdf_with(change) -> bytes:
    document = pikepdf.new()
    document.add_blank_page()
    change(document)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def javascript(document: pikepdf.Pdf) -> pikepdf.Dictionary:
    return pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert(1)"))


def test_valid_files_are_accepted_with_their_type() -> None:
    assert [(c.content_type, c.extension) for c in map(check, (PDF, make_pdf(pages=3), PNG, JPEG))] == [
        ("application/pdf", "pdf"),
        ("application/pdf", "pdf"),
        ("image/png", "png"),
        ("image/jpeg", "jpg"),
    ]


@pytest.mark.parametrize(
    "change",
    [
        lambda d: setattr(d.Root, "OpenAction", javascript(d)),
        lambda d: setattr(d.Root, "OpenAction", d.make_indirect(javascript(d))),
        lambda d: setattr(d.pages[0].obj, "AA", pikepdf.Dictionary(O=javascript(d))),
        lambda d: setattr(d.Root, "OpenAction", pikepdf.Dictionary(S=pikepdf.Name.Launch, F=pikepdf.String("cmd.exe"))),
        lambda d: setattr(
            d.Root,
            "Names",
            pikepdf.Dictionary(
                JavaScript=pikepdf.Dictionary(Names=pikepdf.Array([pikepdf.String("a"), javascript(d)]))
            ),
        ),
        lambda d: d.attachments.__setitem__("x.exe", pikepdf.AttachedFileSpec(d, b"MZ")),
        lambda d: setattr(d.Root, "AcroForm", pikepdf.Dictionary(Fields=pikepdf.Array(), XFA=pikepdf.Array())),
        lambda d: setattr(d.pages[0].obj, "RichMedia", pikepdf.Dictionary()),
    ],
    ids=[
        "open action js",
        "indirect js",
        "page additional action",
        "launch",
        "names js",
        "embedded file",
        "xfa",
        "rich media",
    ],
)
def test_a_pdf_with_active_content_is_refused(change) -> None:
    assert code_of(pdf_with(change)) == "file_active_content"


def test_a_go_to_page_open_action_is_not_active_content() -> None:
    data = pdf_with(lambda d: setattr(d.Root, "OpenAction", pikepdf.Array([d.pages[0].obj, pikepdf.Name.Fit])))
    assert check(data).content_type == "application/pdf"


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"%PDF-1.4\n<html><body><script>alert(1)</script></body></html>", "file_polyglot"),
        (b"%PDF-1.7\n%\xe2\xe3\n<!DOCTYPE html><p>hi</p>" + PDF[9:], "file_polyglot"),
        (b"%PDF-1.4\n% test document\n" + b"x" * 200, "file_invalid_pdf"),
        (PDF[: len(PDF) // 2], "file_invalid_pdf"),
        (PDF.replace(b"trailer", b"traxxer"), "file_invalid_pdf"),
    ],
    ids=["html polyglot", "doctype polyglot", "header only", "cut in half", "no trailer"],
)
def test_what_is_not_a_whole_pdf_is_refused(data: bytes, code: str) -> None:
    assert code_of(data) == code


def test_a_pdf_without_pages_is_refused() -> None:
    out = io.BytesIO()
    pikepdf.new().save(out)
    assert code_of(out.getvalue()) == "file_no_page"


@pytest.mark.parametrize(
    "data",
    [b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, PNG[:40], b"\xff\xd8\xff\xe0" + b"\x00" * 64, JPEG[: len(JPEG) // 2]],
    ids=["png magic only", "png cut", "jpeg magic only", "jpeg cut"],
)
def test_an_image_that_does_not_decode_is_refused(data: bytes) -> None:
    assert code_of(data) == "file_invalid_image"


def test_a_decompression_bomb_is_refused_before_it_is_decoded(monkeypatch) -> None:
    out = io.BytesIO()
    Image.new("1", (10_000, 10_000)).save(out, "PNG")  # 100 megapixels in a few kB
    assert len(out.getvalue()) < 100_000
    assert code_of(out.getvalue()) == "image_too_large"
    out = io.BytesIO()
    Image.new("1", (20_000, 10_000)).save(out, "PNG")  # past twice Pillow's own limit: its error
    assert code_of(out.getvalue()) == "image_too_large"
    monkeypatch.setattr(files, "MAX_IMAGE_PIXELS", 10)
    assert code_of(PNG) == "image_too_large"  # 8 x 8 = 64 pixels
