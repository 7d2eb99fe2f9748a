"""Routes of the fake national portal that the province pulls: the procedure catalog and the dossiers
citizens submitted on the national portal.

It plays the portal's side of ``intake_client``, in the format of ``wire_in``:

- ``GET /api/thu-tuc``: the catalog (``{"DanhSach": [...]}``);
- ``GET /api/tiep-nhan/ho-so?tu=<cursor>&so_luong=<n>``: the dossiers submitted after the cursor, oldest
  first, with ``ConTro`` (the cursor after this page) and ``ConNua`` (more after it);
- ``GET /api/tiep-nhan/tep/<id>``: a file of a dossier (real PDF bytes);
- ``POST /api/tiep-nhan/ho-so/<code>/xac-nhan``: the province's acknowledgement (recorded in ``acks``).

Each checks the client id and the signature (401 otherwise). For tests and the demo (never failed nor
delayed): ``POST /_fake/dossiers`` submits a dossier on the portal (files given as ``NoiDungBase64``, or a
PDF is made), ``POST /_fake/catalog`` replaces the catalog (``{"DanhSach": [...]}``) or, with
``{"ThuTuc": {...}}``, adds or replaces one procedure. The demo's fake starts with the demo province's
catalog (two procedures changed and one new) and two dossiers submitted at communes of the demo.
"""

from __future__ import annotations

import base64
import io
import json
import threading
from http import HTTPStatus
from pathlib import Path
from typing import Any

from motcua.core.fakes import FakeApp, FakeRequest, FakeResponse
from motcua.core.outbound import signature_matches
from motcua.integrations.national import intake_client, wire_in

DEMO_CATALOG = Path(__file__).resolve().parents[2] / "demo" / "demo_data" / "catalog.json"
_pdf_lock = threading.Lock()


def make_pdf(title: str) -> bytes:
    """A one-page PDF (what a citizen's scan would be; the province's upload checks open it)."""
    import pikepdf

    with _pdf_lock:
        document = pikepdf.new()
        document.add_blank_page(page_size=(595, 842))
        document.docinfo["/Title"] = title
        out = io.BytesIO()
        document.save(out, static_id=True)
        return out.getvalue()


def _invert(table: dict[str, str]) -> dict[str, str]:
    inverted: dict[str, str] = {}
    for national, ours in table.items():
        inverted.setdefault(ours, national)
    return inverted


def national_procedure(item: dict[str, Any], sectors: dict[str, str]) -> dict[str, Any]:
    """A procedure of our exchange format as the portal writes it (the fake's catalog is built from ours)."""
    p, d, f = wire_in.PROCEDURE, wire_in.DOCUMENT, wire_in.FEE
    timing = item.get("processing_time") or {}
    return {
        p["code"]: item["code"],
        p["name"]: item["name"],
        p["sector_code"]: item["sector"],
        p["sector_name"]: sectors.get(item["sector"], item["sector"]),
        p["levels"]: [_invert(wire_in.LEVELS)[level] for level in item.get("levels") or []],
        p["online"]: _invert(wire_in.ONLINE_MODES)[item["online_mode"]],
        p["time"]: {
            p["time_amount"]: timing.get("amount"),
            p["time_unit"]: _invert(wire_in.TIME_UNITS)[timing["unit"]],
        },
        p["legal_basis"]: item.get("legal_basis", ""),
        p["result"]: item.get("result_type", ""),
        p["documents"]: [
            {
                d["name"]: doc["name"],
                d["type_code"]: doc.get("document_type_code", ""),
                d["quantity"]: doc.get("quantity", 1),
                d["form"]: _invert(wire_in.DOCUMENT_FORMS)[doc.get("form") or "original"],
            }
            for doc in item.get("required_documents") or []
        ],
        p["fees"]: [
            {f["name"]: fee["name"], f["amount"]: fee.get("amount", 0), f["note"]: fee.get("note", "")}
            for fee in item.get("fees") or []
        ],
        p["agencies"]: list(item.get("agencies") or []),
        p["updated_at"]: "20260101080000",
    }


def demo_catalog() -> list[dict[str, Any]]:
    """The demo province's catalog as the portal has it: the fee of 1.004873 raised, the processing
    time of 2.000635 shortened, and one procedure the province does not have yet."""
    if not DEMO_CATALOG.exists():
        return []
    document = json.loads(DEMO_CATALOG.read_text(encoding="utf-8"))
    sectors = {s["code"]: s["name"] for s in document.get("sectors") or []}
    p, f = wire_in.PROCEDURE, wire_in.FEE
    catalog = [national_procedure(item, sectors) for item in document.get("procedures") or []]
    for item in catalog:
        if item[p["code"]] == "1.004873":
            for fee in item[p["fees"]]:
                fee[f["amount"]] = 20000
            item[p["updated_at"]] = "20261115090000"
        if item[p["code"]] == "2.000635":
            item[p["time"]][p["time_amount"]] = "1"
            item[p["updated_at"]] = "20261120140000"
    catalog.append(
        {
            p["code"]: "1.000419",
            p["name"]: "Thủ tục đăng ký khai tử lưu động",
            p["sector_code"]: "HOTICH",
            p["sector_name"]: "Hộ tịch",
            p["levels"]: ["XA"],
            p["online"]: "MOT_PHAN",
            p["time"]: {p["time_amount"]: "5", p["time_unit"]: "NGAY_LAM_VIEC"},
            p["legal_basis"]: "Luật Hộ tịch số 60/2014/QH13; Nghị định số 123/2015/NĐ-CP",
            p["result"]: "Trích lục khai tử",
            p["documents"]: [
                {
                    "TenGiayTo": "Tờ khai đăng ký khai tử theo mẫu",
                    "MaGiayTo": "TKKT",
                    "SoLuong": 1,
                    "HinhThuc": "BAN_CHINH",
                },
                {"TenGiayTo": "Giấy báo tử", "MaGiayTo": "GBT", "SoLuong": 1, "HinhThuc": "BAN_SAO"},
            ],
            p["fees"]: [],
            p["agencies"]: ["H49.111", "H49.112", "H49.113"],
            p["updated_at"]: "20261125100000",
        }
    )
    return catalog


DEMO_DOSSIERS: list[dict[str, Any]] = [
    {
        "MaHoSo": "G22.99-261203-000101",
        "MaTTHC": "1.004873",
        "MaCoQuan": "H49.101",
        "NgayNop": "20261203081500",
        "LoaiDoiTuong": "1",
        "ChuHoSo": {
            "HoTen": "Phạm Thị Thu Hằng",
            "SoDinhDanh": "022196004512",
            "SoDienThoai": "0904511223",
            "Email": "thuhang.pham@example.vn",
            "DiaChi": "Tổ 5, khu 3, phường Hồng Gai, tỉnh Quảng Ninh",
        },
        "HinhThucNhanKetQua": "3",
        "DuLieuBieuMau": {
            "ho_ten_nguoi_yeu_cau": "Phạm Thị Thu Hằng",
            "so_dinh_danh_nguoi_yeu_cau": "022196004512",
            "dien_thoai": "0904511223",
            "ngay_sinh": "1996-04-12",
            "gioi_tinh": "Nữ",
            "noi_cu_tru": "Tổ 5, khu 3, phường Hồng Gai, tỉnh Quảng Ninh",
            "tinh_trang_hon_nhan": "Chưa kết hôn",
            "muc_dich_su_dung": "Đăng ký kết hôn",
            "so_ban": 1,
        },
        "TepDinhKem": [
            {"MaGiayTo": "TKXNHN", "TenTep": "to-khai-xac-nhan-tinh-trang-hon-nhan.pdf"},
            {"MaGiayTo": "CCCD", "TenTep": "can-cuoc.pdf"},
        ],
    },
    {
        "MaHoSo": "G22.99-261203-000102",
        "MaTTHC": "9.999999",
        "MaCoQuan": "H49.102",
        "NgayNop": "20261203083000",
        "LoaiDoiTuong": "1",
        "ChuHoSo": {
            "HoTen": "Nguyễn Văn Đức",
            "SoDinhDanh": "022090001187",
            "SoDienThoai": "0912087766",
            "DiaChi": "Khu 7, phường Hạ Long, tỉnh Quảng Ninh",
        },
        "HinhThucNhanKetQua": "1",
        "DuLieuBieuMau": {},
        "TepDinhKem": [{"MaGiayTo": "", "TenTep": "don-de-nghi.pdf"}],
    },
]


def _authorised(request: FakeRequest, client_id: str, secret: str) -> bool:
    if request.headers.get(intake_client.CLIENT_HEADER.lower()) != client_id:
        return False
    if request.method == "GET":
        params = {key: values[-1] for key, values in request.query.items()}
        message: bytes | str = intake_client.signed_message(request.path, params)
    else:
        message = request.body
    signature = request.headers.get(intake_client.SIGNATURE_HEADER.lower(), "")
    return signature_matches(secret, message, signature)


def _unauthorised() -> FakeResponse:
    return FakeResponse(HTTPStatus.UNAUTHORIZED, {"error": "bad_signature"})


def submit(app: FakeApp, item: dict[str, Any]) -> dict[str, Any]:
    """Add a dossier to the portal's feed (its files stored and given URLs); what the feed will send."""
    state = app.state
    state["sequence"] = state.get("sequence", 0) + 1
    dossier = json.loads(json.dumps(item))
    files: list[dict[str, Any]] = []
    for raw in dossier.get(wire_in.DOSSIER["files"]) or []:
        content = raw.pop("NoiDungBase64", None)
        data = base64.b64decode(content) if content else make_pdf(raw.get(wire_in.FILE["name"]) or "tep")
        file_id = f"{state['sequence']}-{len(files) + 1}"
        state.setdefault("files", {})[file_id] = data
        raw.setdefault(wire_in.FILE["url"], f"/api/tiep-nhan/tep/{file_id}")
        raw[wire_in.FILE["size"]] = len(data)
        files.append(raw)
    dossier[wire_in.DOSSIER["files"]] = files
    state.setdefault("submitted", []).append({"seq": state["sequence"], "item": dossier})
    return dossier


def clear(app: FakeApp) -> None:
    """Empty catalog, no dossier (a test states its own)."""
    with app.lock:
        app.state.update(catalog=[], submitted=[], files={}, acks={}, sequence=0)


def add_routes(app: FakeApp) -> None:
    from django.conf import settings

    # The portal's copy of the province's credentials, as they were when it started (a test that changes
    # the setting afterwards plays a province with the wrong secret).
    client_id, secret = settings.MOTCUA_NATIONAL_PORTAL_CLIENT_ID, settings.MOTCUA_NATIONAL_PORTAL_SECRET

    def authorised(request: FakeRequest) -> bool:
        return _authorised(request, client_id, secret)

    app.state.update(catalog=demo_catalog(), submitted=[], files={}, acks={}, sequence=0)
    for item in DEMO_DOSSIERS:
        submit(app, item)
    page_key = wire_in.PAGE

    def catalog(request: FakeRequest) -> FakeResponse:
        if not authorised(request):
            return _unauthorised()
        return FakeResponse(body={page_key["items"]: app.state["catalog"]})

    def dossiers(request: FakeRequest) -> FakeResponse:
        if not authorised(request):
            return _unauthorised()
        try:
            after = int(request.arg("tu") or 0)
            limit = max(1, min(int(request.arg("so_luong") or 50), 200))
        except ValueError:
            return FakeResponse(HTTPStatus.BAD_REQUEST, {"error": "bad_cursor"})
        waiting = [row for row in app.state["submitted"] if row["seq"] > after]
        page = waiting[:limit]
        cursor = str(page[-1]["seq"]) if page else str(after)
        return FakeResponse(
            body={
                page_key["items"]: [row["item"] for row in page],
                page_key["cursor"]: cursor,
                page_key["more"]: len(waiting) > limit,
            }
        )

    def file(request: FakeRequest) -> FakeResponse:
        if not authorised(request):
            return _unauthorised()
        if app.state.get("file_outages", 0) > 0:  # the portal's file store down for the next n downloads
            app.state["file_outages"] -= 1
            return FakeResponse(HTTPStatus.SERVICE_UNAVAILABLE, {"error": "unavailable"})
        data = app.state["files"].get(request.params["file_id"])
        if data is None:
            return FakeResponse(HTTPStatus.NOT_FOUND, {"error": "not_found"})
        return FakeResponse(body=data, headers={"Content-Type": "application/pdf"})

    def acknowledge(request: FakeRequest) -> FakeResponse:
        if not authorised(request):
            return _unauthorised()
        code = request.params["code"]
        if not any(row["item"].get(wire_in.DOSSIER["code"]) == code for row in app.state["submitted"]):
            return FakeResponse(HTTPStatus.NOT_FOUND, {"error": "unknown_dossier"})
        app.state["acks"][code] = request.json()
        return FakeResponse(body={"ok": True})

    def fake_submit(request: FakeRequest) -> FakeResponse:
        return FakeResponse(HTTPStatus.CREATED, submit(app, request.json() or {}))

    def fake_catalog(request: FakeRequest) -> FakeResponse:
        data = request.json() or {}
        code_key = wire_in.PROCEDURE["code"]
        if "ThuTuc" in data:
            one = data["ThuTuc"]
            rest = [item for item in app.state["catalog"] if item.get(code_key) != one.get(code_key)]
            app.state["catalog"] = [*rest, one]
        else:
            app.state["catalog"] = list(data.get(page_key["items"]) or [])
        return FakeResponse(body={"count": len(app.state["catalog"])})

    app.route("GET", intake_client.CATALOG_PATH, catalog)
    app.route("GET", intake_client.DOSSIERS_PATH, dossiers)
    app.route("GET", "/api/tiep-nhan/tep/<file_id>", file)
    app.route("POST", "/api/tiep-nhan/ho-so/<code>/xac-nhan", acknowledge)
    app.route("POST", "/_fake/dossiers", fake_submit, faults=False)
    app.route("POST", "/_fake/catalog", fake_catalog, faults=False)
