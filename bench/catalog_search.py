"""Catalog search speed: p50/p95 of GET /api/v1/procedures?search=… over 2,000 procedures.

The baseline is /healthz (one trivial database query) measured in the same run, through the same
full Django stack, so the ratio says what search itself costs. Target: p95 < 30 ms.
Run: .venv/bin/python bench/catalog_search.py [--procedures 2000] [--seconds 5]
"""

from __future__ import annotations

import argparse
import random

from _django import report, setup_django, summary, teardown_django, time_calls

QUERIES = [
    "dang ky khai sinh",
    "chung thuc ban sao",
    "giay phep xay dung",
    "dat dai",
    "ho kinh doanh",
    "ket hon",
    "khai tu",
    "tro cap xa hoi",
    "cap giay chung nhan",
    "thay doi",
    "1.001193",
    "dang ky",
    "xac nhan tinh trang",
    "nguoi co cong",
    "ruou",
    "Đăng ký khai sinh",
    "cấp lại",
    "mai tang phi",
    "đăng kí khai sinh",
    "làm giấy khai sinh",
    "sổ đỏ",
    "cccd",
]
VERBS = [
    "Đăng ký",
    "Cấp",
    "Cấp lại",
    "Điều chỉnh",
    "Gia hạn",
    "Xác nhận",
    "Thu hồi",
    "Chứng thực",
    "Thẩm định",
    "Công nhận",
    "Hỗ trợ",
    "Thay đổi",
]
OBJECTS = [
    "giấy phép xây dựng",
    "giấy chứng nhận quyền sử dụng đất",
    "hộ kinh doanh",
    "khai sinh",
    "kết hôn",
    "giấy phép bán lẻ rượu",
    "trợ cấp xã hội hàng tháng",
    "chữ ký",
    "bản sao từ bản chính",
    "giám hộ",
    "hoạt động tôn giáo",
    "chứng chỉ hành nghề",
    "nhãn hiệu",
    "giấy phép lao động",
    "thuốc lá",
]
QUALIFIERS = [
    "",
    "có yếu tố nước ngoài",
    "cho người nước ngoài",
    "trong khu công nghiệp",
    "tại cấp xã",
    "đối với tổ chức",
    "đối với cá nhân",
    "lần đầu",
    "do bị mất",
    "do hết hạn",
]


def synthetic_catalog(count: int, seed: int) -> dict:
    rng = random.Random(seed)
    sectors = [
        {"code": f"S{i:02d}", "name": name}
        for i, name in enumerate(
            ["Hộ tịch", "Chứng thực", "Đất đai", "Xây dựng", "Kinh doanh", "Bảo trợ xã hội", "Công thương", "Tư pháp"]
        )
    ]
    procedures = []
    for n in range(count):
        name = " ".join(filter(None, [rng.choice(VERBS), rng.choice(OBJECTS), rng.choice(QUALIFIERS)]))
        procedures.append(
            {
                "code": f"9.{n:06d}",
                "name": name,
                "sector": rng.choice(sectors)["code"],
                "levels": ["commune"],
                "online_mode": rng.choice(["full", "partial", "none"]),
                "processing_time": {"amount": str(rng.randint(1, 30)), "unit": "working_days"},
                "required_documents": [{"name": "Tờ khai", "form": "original"}],
            }
        )
    procedures[rng.randrange(count)].update(code="1.001193", name="Thủ tục đăng ký khai sinh")
    return {"format": "motcua.catalog/1", "sectors": sectors, "procedures": procedures}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--procedures", type=int, default=2000)
    parser.add_argument("--seconds", type=float, default=5.0)
    args = parser.parse_args()
    setup_django()
    try:
        run(args)
    finally:
        teardown_django()


def run(args: argparse.Namespace) -> None:
    from django.test import Client

    from motcua.catalog.services import catalog_import
    from motcua.core.health import beat

    catalog_import(actor=None, document=synthetic_catalog(args.procedures, seed=7))
    beat("bench")
    client = Client()
    first = client.get("/api/v1/procedures", {"search": "dang ky khai sinh"}).json()["results"][0]
    assert first["code"] == "1.001193", first

    queries = iter(QUERIES * 100000)
    search = time_calls(lambda: client.get("/api/v1/procedures", {"search": next(queries)}), seconds=args.seconds)
    trivial = time_calls(lambda: client.get("/healthz"), seconds=args.seconds / 2)
    s, t = summary(search), summary(trivial)
    print(f"procedures: {args.procedures}; search p50 {s['p50']} ms, p95 {s['p95']} ms over {s['n']} requests")
    print(f"baseline /healthz: p50 {t['p50']} ms, p95 {t['p95']} ms over {t['n']} requests")
    report(bench="catalog_search", value=s["p95"], unit="ms p95", baseline=t["p95"], target=30, met=s["p95"] < 30)


if __name__ == "__main__":
    main()
