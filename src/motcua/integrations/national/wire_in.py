"""What the province receives from the national public-service portal: its procedure catalog and the
dossiers citizens submitted there (DOMAIN.md §12), read into our own shapes.

The exact wire format is set by Thông tư 04/2025/TT-VPCP and may move: every name and code the portal
uses is in the tables at the top of this module, so that following a change of format means editing a
table, not the services. Pure functions; a malformed item raises ``WireError`` with the reason that the
back office shows ("could not import").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.utils.translation import gettext as _

from motcua.integrations.national.codes import parse_national_datetime

# --- the portal's names (edit here when the format changes) ----------------------------------------------

# Catalog: one procedure (thủ tục hành chính) as the portal describes it.
PROCEDURE = {
    "code": "MaTTHC",
    "name": "TenTTHC",
    "sector_code": "MaLinhVuc",
    "sector_name": "TenLinhVuc",
    "levels": "CapThucHien",
    "online": "MucDo",
    "time": "ThoiHanGiaiQuyet",
    "time_amount": "SoLuong",
    "time_unit": "DonVi",
    "legal_basis": "CanCuPhapLy",
    "result": "KetQuaThucHien",
    "documents": "ThanhPhanHoSo",
    "fees": "PhiLePhi",
    "agencies": "CoQuanThucHien",
    "updated_at": "NgayCapNhat",
}
DOCUMENT = {"name": "TenGiayTo", "type_code": "MaGiayTo", "quantity": "SoLuong", "form": "HinhThuc"}
FEE = {"name": "TenPhiLePhi", "amount": "MucThu", "note": "MoTa"}
LEVELS = {"TINH": "province", "SO": "department", "HUYEN": "district", "XA": "commune"}
# Mức độ: the names of today, and the old levels 2/3/4 still seen in catalogs (DOMAIN.md §4).
ONLINE_MODES = {
    "TOAN_TRINH": "full",
    "MOT_PHAN": "partial",
    "CUNG_CAP_THONG_TIN": "none",
    "4": "full",
    "3": "partial",
    "2": "none",
}
TIME_UNITS = {
    "NGAY_LAM_VIEC": "working_days",
    "GIO_LAM_VIEC": "working_hours",
    "NGAY": "calendar_days",
    "KHONG_QUY_DINH": "none",
}
DOCUMENT_FORMS = {
    "BAN_CHINH": "original",
    "BAN_SAO": "copy",
    "BAN_SAO_CHUNG_THUC": "certified_copy",
    "DIEN_TU": "electronic",
}

# Intake: one dossier a citizen submitted on the portal.
DOSSIER = {
    "code": "MaHoSo",
    "procedure": "MaTTHC",
    "agency": "MaCoQuan",
    "submitted_at": "NgayNop",
    "applicant": "ChuHoSo",
    "applicant_type": "LoaiDoiTuong",
    "return_method": "HinhThucNhanKetQua",
    "return_address": "DiaChiNhanKetQua",
    "case": "MaTruongHop",
    "form_data": "DuLieuBieuMau",
    "files": "TepDinhKem",
}
APPLICANT = {
    "name": "HoTen",
    "personal_id": "SoDinhDanh",
    "phone": "SoDienThoai",
    "email": "Email",
    "address": "DiaChi",
}
FILE = {"type_code": "MaGiayTo", "name": "TenTep", "url": "DuongDan", "size": "KichThuoc"}
# Hình thức nhận kết quả: 1 at the desk, 2 by post, 3 electronic (DOMAIN.md §5).
RETURN_METHODS = {"1": "desk", "2": "post", "3": "electronic"}
CITIZEN = "1"  # LoaiDoiTuong: the only applicant type the intake takes today (identified by personal ID)
# A page of dossiers.
PAGE = {"items": "DanhSach", "cursor": "ConTro", "more": "ConNua"}


class WireError(ValueError):
    """An item the portal sent that cannot be read; the message is shown to the administrator."""


# --- catalog --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PortalProcedure:
    """The fields of a procedure the national portal owns, in our catalog's exchange format
    (``catalog.content``); e-form, cases and conditions are the province's own and never come from it."""

    code: str
    sector_code: str
    sector_name: str
    version: dict[str, Any]  # name, levels, online_mode, processing_time, legal_basis, result_type
    documents: list[dict[str, Any]]
    fees: list[dict[str, Any]]
    agencies: list[str]
    updated_at: datetime | None


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _mapped(table: dict[str, str], value: Any, what: str) -> str:
    key = _text(value).upper()
    if key not in table:
        raise WireError(
            _("%(what)s “%(value)s” is not a known code (%(codes)s).")
            % {"what": what, "value": _text(value), "codes": ", ".join(table)}
        )
    return table[key]


def _whole(value: Any, what: str) -> int:
    try:
        number = int(str(value).strip())
    except ValueError as exc:
        raise WireError(_("“%(key)s” must be a whole number.") % {"key": what}) from exc
    if number < 0:
        raise WireError(_("“%(key)s” must be a whole number.") % {"key": what})
    return number


def _date(value: Any, what: str) -> datetime | None:
    try:
        return parse_national_datetime(_text(value))
    except ValueError as exc:
        raise WireError(
            _("%(what)s: “%(value)s” is not a date and time written yyyyMMddHHmmss.") % {"what": what, "value": value}
        ) from exc


def _list(raw: dict[str, Any], key: str) -> list[Any]:
    value = raw.get(key) or []
    if not isinstance(value, list):
        raise WireError(_("“%(key)s” must be a list.") % {"key": key})
    return value


def _objects(raw: dict[str, Any], key: str) -> list[dict[str, Any]]:
    items = _list(raw, key)
    if not all(isinstance(item, dict) for item in items):
        raise WireError(_("Each of “%(key)s” must be an object.") % {"key": key})
    return items


def parse_procedure(raw: Any) -> PortalProcedure:
    """One catalog item of the portal as the fields it owns, or ``WireError``."""
    if not isinstance(raw, dict):
        raise WireError(_("A catalog item must be an object."))
    p = PROCEDURE
    code = _text(raw.get(p["code"]))
    if not code:
        raise WireError(_("“%(key)s” is missing.") % {"key": p["code"]})
    timing = raw.get(p["time"]) or {}
    if not isinstance(timing, dict):
        raise WireError(_("“%(key)s” must be an object.") % {"key": p["time"]})
    unit = _mapped(TIME_UNITS, timing.get(p["time_unit"]), p["time"])
    amount = _text(timing.get(p["time_amount"])) or None
    documents = []
    for item in _objects(raw, p["documents"]):
        documents.append(
            {
                "name": _text(item.get(DOCUMENT["name"])),
                "document_type_code": _text(item.get(DOCUMENT["type_code"])),
                "quantity": _whole(item.get(DOCUMENT["quantity"]) or 1, DOCUMENT["quantity"]),
                "form": _mapped(DOCUMENT_FORMS, item.get(DOCUMENT["form"]) or "BAN_CHINH", DOCUMENT["form"]),
            }
        )
    fees = [
        {
            "name": _text(item.get(FEE["name"])),
            "amount": _whole(item.get(FEE["amount"]) or 0, FEE["amount"]),
            "note": _text(item.get(FEE["note"])),
        }
        for item in _objects(raw, p["fees"])
    ]
    return PortalProcedure(
        code=code,
        sector_code=_text(raw.get(p["sector_code"])),
        sector_name=_text(raw.get(p["sector_name"])),
        version={
            "name": _text(raw.get(p["name"])),
            "levels": [_mapped(LEVELS, level, p["levels"]) for level in _list(raw, p["levels"])],
            "online_mode": _mapped(ONLINE_MODES, raw.get(p["online"]), p["online"]),
            "processing_time": {"amount": amount if unit != "none" else None, "unit": unit},
            "legal_basis": _text(raw.get(p["legal_basis"])),
            "result_type": _text(raw.get(p["result"])),
        },
        documents=documents,
        fees=fees,
        agencies=[_text(code) for code in _list(raw, p["agencies"]) if _text(code)],
        updated_at=_date(raw.get(p["updated_at"]), p["updated_at"]),
    )


# --- intake ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PortalFile:
    type_code: str  # the required document it is given for ("" = an extra document)
    name: str
    url: str  # absolute, or a path on the portal
    size: int


@dataclass(frozen=True)
class PortalDossier:
    national_code: str
    procedure_code: str
    agency_code: str
    submitted_at: datetime | None
    applicant_name: str
    personal_id: str
    phone: str
    email: str
    address: str
    return_method: str
    return_address: str
    case: str
    form_data: dict[str, Any]
    files: list[PortalFile] = field(default_factory=list)


def peek_code(raw: Any) -> str:
    """The national dossier code of an item, even of one that cannot be read ('' when there is none)."""
    return _text(raw.get(DOSSIER["code"])) if isinstance(raw, dict) else ""


def parse_dossier(raw: Any) -> PortalDossier:
    """One submitted dossier of the portal, or ``WireError``."""
    if not isinstance(raw, dict):
        raise WireError(_("A dossier must be an object."))
    d = DOSSIER
    code = peek_code(raw)
    if not code:
        raise WireError(_("“%(key)s” is missing.") % {"key": d["code"]})
    applicant = raw.get(d["applicant"]) or {}
    if not isinstance(applicant, dict):
        raise WireError(_("“%(key)s” must be an object.") % {"key": d["applicant"]})
    kind = _text(raw.get(d["applicant_type"]) or CITIZEN)
    if kind != CITIZEN:
        raise WireError(
            _("Applicant type %(kind)s: only citizens (1) are taken from the national portal for now.") % {"kind": kind}
        )
    form_data = raw.get(d["form_data"]) or {}
    if not isinstance(form_data, dict):
        raise WireError(_("“%(key)s” must be an object.") % {"key": d["form_data"]})
    files = []
    for item in _list(raw, d["files"]):
        if not isinstance(item, dict) or not _text(item.get(FILE["url"])):
            raise WireError(_("Each of “%(key)s” needs “%(field)s”.") % {"key": d["files"], "field": FILE["url"]})
        size = _whole(item.get(FILE["size"]) or 0, FILE["size"])
        files.append(
            PortalFile(
                type_code=_text(item.get(FILE["type_code"])),
                name=_text(item.get(FILE["name"])) or "tep.pdf",
                url=_text(item.get(FILE["url"])),
                size=size,
            )
        )
    return PortalDossier(
        national_code=code,
        procedure_code=_text(raw.get(d["procedure"])),
        agency_code=_text(raw.get(d["agency"])),
        submitted_at=_date(raw.get(d["submitted_at"]), d["submitted_at"]),
        applicant_name=_text(applicant.get(APPLICANT["name"])),
        personal_id=_text(applicant.get(APPLICANT["personal_id"])),
        phone=_text(applicant.get(APPLICANT["phone"])),
        email=_text(applicant.get(APPLICANT["email"])),
        address=_text(applicant.get(APPLICANT["address"])),
        return_method=_mapped(RETURN_METHODS, raw.get(d["return_method"]) or "3", d["return_method"]),
        return_address=_text(raw.get(d["return_address"])),
        case=_text(raw.get(d["case"])),
        form_data=form_data,
        files=files,
    )


@dataclass(frozen=True)
class DossierPage:
    items: list[Any]  # raw items: each is read on its own, so that one bad item does not stop the others
    cursor: str
    more: bool


def parse_page(raw: Any) -> DossierPage:
    if not isinstance(raw, dict) or not isinstance(raw.get(PAGE["items"]), list):
        raise WireError(_("A page must be an object with the list “%(key)s”.") % {"key": PAGE["items"]})
    return DossierPage(
        items=raw[PAGE["items"]], cursor=_text(raw.get(PAGE["cursor"])), more=bool(raw.get(PAGE["more"]))
    )
