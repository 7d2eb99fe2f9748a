"""The number and date area of an electronic document, filled after the leader's signature (pyHanko).

Nghị định 30/2020/NĐ-CP, Phụ lục I: the competent person signs first; the clerk then gives the document
its number and date and adds the agency's signature. Changing a signed page would break the first
signature, so the area is two read-only text fields reserved before signing (``number_fields_reserve``)
and filled afterwards in an incremental update (``number_fields_fill``): filling form fields is a change
that PAdES validators accept after a signature (pyHanko's FORM_FILLING level), and viewers, pdftotext
and printing show the filled values as part of the page.

Imported only when a result PDF is prepared or numbered: pyHanko takes about a second to load.
"""

from __future__ import annotations

import re
from io import BytesIO
from typing import Any

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.generic import NameObject as Name
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfError

from motcua.signing.exceptions import NotAPdf
from motcua.signing.identity import ensure_pdf

NUMBER_FIELD = "so_ky_hieu"
DATE_FIELD = "ngay_ban_hanh"
FIELDS = (NUMBER_FIELD, DATE_FIELD)
FONT_NAME = "/Helv"  # Helvetica, WinAnsi: numbers and dates need nothing more
FONT_SIZE = 11
READ_ONLY = 1  # field flag bit 1: the citizen's viewer may not type into the area
# Where the area goes on a PDF that was not drawn from our templates (a sector system's file): the top
# left of the first page, in points from the page's top-left corner: (x, y, width, height).
FALLBACK_BOXES = {NUMBER_FIELD: (40.0, 14.0, 170.0, 14.0), DATE_FIELD: (220.0, 14.0, 120.0, 14.0)}
FALLBACK_LABELS = {NUMBER_FIELD: "Số/Number", DATE_FIELD: "Ngày/Date"}
_PRINTABLE = re.compile(r"[ -~]*")


def _writer(pdf: bytes) -> IncrementalPdfFileWriter:
    ensure_pdf(pdf)
    try:
        return IncrementalPdfFileWriter(BytesIO(pdf), strict=False)
    except (PdfError, ValueError, KeyError) as exc:
        raise NotAPdf() from exc


def _written(writer: IncrementalPdfFileWriter) -> bytes:
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def _helvetica(writer: IncrementalPdfFileWriter) -> generic.IndirectObject:
    font = generic.DictionaryObject(
        {
            Name("/Type"): Name("/Font"),
            Name("/Subtype"): Name("/Type1"),
            Name("/BaseFont"): Name("/Helvetica"),
            Name("/Encoding"): Name("/WinAnsiEncoding"),
        }
    )
    return writer.add_object(font)


def _fields_by_name(form: generic.DictionaryObject) -> dict[str, generic.DictionaryObject]:
    fields: dict[str, generic.DictionaryObject] = {}
    for ref in form.get("/Fields", generic.ArrayObject()):
        field = ref.get_object()
        name = str(field.get("/T", ""))
        if name in FIELDS:
            fields[name] = field
    return fields


def number_fields_reserve(pdf: bytes) -> bytes:
    """Before signing: make the number and date fields plain, read-only, drawn in Helvetica.

    A template's ``<input name="so_ky_hieu">`` and ``<input name="ngay_ban_hanh">`` (weasyprint's PDF forms)
    are used where they stand; a PDF without them gets both at the top of its first page.
    """
    writer = _writer(pdf)
    root = writer.root
    form = root.get("/AcroForm")
    if form is None:
        form = generic.DictionaryObject({Name("/Fields"): generic.ArrayObject()})
        root[Name("/AcroForm")] = writer.add_object(form)
        writer.update_root()
        form = root["/AcroForm"]
    form = form.get_object()
    font = _helvetica(writer)
    form[Name("/DR")] = generic.DictionaryObject({Name("/Font"): generic.DictionaryObject({Name(FONT_NAME): font})})
    form[Name("/NeedAppearances")] = generic.BooleanObject(False)  # the appearance we write is the one shown
    fields = _fields_by_name(form)
    missing = [name for name in FIELDS if name not in fields]
    if missing:
        fields.update(_fallback_fields(writer, form, missing))
    for field in fields.values():
        field[Name("/DA")] = generic.TextStringObject(f"{FONT_NAME} {FONT_SIZE} Tf 0 g")
        field[Name("/Ff")] = generic.NumberObject(READ_ONLY)
        field[Name("/V")] = generic.TextStringObject("")
        if "/AP" in field:
            del field["/AP"]
        _update(writer, field)
    _update(writer, form)
    return _written(writer)


def _update(writer: IncrementalPdfFileWriter, obj: generic.DictionaryObject) -> None:
    container = getattr(obj, "container_ref", None)
    if container is not None:
        writer.update_container(obj)


def _fallback_fields(
    writer: IncrementalPdfFileWriter, form: generic.DictionaryObject, names: list[str]
) -> dict[str, generic.DictionaryObject]:
    page_ref = writer.find_page_for_modification(0)[0]
    page = page_ref.get_object()
    _x0, _y0, _x1, top = (float(v) for v in page["/MediaBox"])
    annots = page.get("/Annots")
    annots = annots.get_object() if annots is not None else generic.ArrayObject()
    created = {}
    for name in names:
        x, y, width, height = FALLBACK_BOXES[name]
        widget = generic.DictionaryObject(
            {
                Name("/Type"): Name("/Annot"),
                Name("/Subtype"): Name("/Widget"),
                Name("/FT"): Name("/Tx"),
                Name("/T"): generic.TextStringObject(name),
                Name("/TU"): generic.TextStringObject(FALLBACK_LABELS[name]),
                Name("/F"): generic.NumberObject(4),  # printed
                Name("/P"): page_ref,
                Name("/Rect"): generic.ArrayObject(
                    generic.FloatObject(v) for v in (x, top - y - height, x + width, top - y)
                ),
            }
        )
        ref = writer.add_object(widget)
        annots.append(ref)
        form["/Fields"].append(ref)
        created[name] = ref.get_object()
    page[Name("/Annots")] = annots
    writer.update_container(page)
    return created


def number_fields_fill(pdf: bytes, *, number: str, date: str) -> bytes:
    """After the leader's signature: write the number and the date into their fields (an incremental update
    that leaves the signed revision untouched). A PDF without the fields (drawn up before they existed) is
    returned unchanged."""
    values = {NUMBER_FIELD: number, DATE_FIELD: date}
    for value in values.values():
        if not _PRINTABLE.fullmatch(value):
            raise ValueError(f"the number area takes printable ASCII only: {value!r}")
    writer = _writer(pdf)
    form = writer.root.get("/AcroForm")
    if form is None:
        return pdf
    form = form.get_object()
    fields = _fields_by_name(form)
    if not fields:
        return pdf
    font = form["/DR"]["/Font"].raw_get(FONT_NAME)
    for name, field in fields.items():
        field[Name("/V")] = generic.TextStringObject(values[name])
        field[Name("/AP")] = generic.DictionaryObject({Name("/N"): _appearance(writer, field, values[name], font)})
        writer.update_container(field)
    return _written(writer)


def _appearance(writer: IncrementalPdfFileWriter, field: Any, value: str, font: Any) -> generic.IndirectObject:
    x0, y0, x1, y1 = (float(v) for v in field["/Rect"])
    width, height = abs(x1 - x0), abs(y1 - y0)
    baseline = max((height - FONT_SIZE * 0.72) / 2, 1.0)
    escaped = value.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    content = f"/Tx BMC q BT {FONT_NAME} {FONT_SIZE} Tf 0 g 1 {baseline:.2f} Td ({escaped}) Tj ET Q EMC"
    stream = generic.StreamObject(
        {
            Name("/Type"): Name("/XObject"),
            Name("/Subtype"): Name("/Form"),
            Name("/BBox"): generic.ArrayObject(generic.FloatObject(v) for v in (0, 0, width, height)),
            Name("/Resources"): generic.DictionaryObject(
                {Name("/Font"): generic.DictionaryObject({Name(FONT_NAME): font})}
            ),
        },
        stream_data=content.encode("ascii"),
    )
    return writer.add_object(stream)


def number_fields_read(pdf: bytes) -> dict[str, str]:
    """The values of the number and date fields (empty when not filled, absent when there is no area)."""
    writer = _writer(pdf)
    form = writer.root.get("/AcroForm")
    fields = _fields_by_name(form.get_object()) if form is not None else {}
    return {name: str(field.get("/V", "")) for name, field in fields.items()}
