"""Factories that build test situations through the services, the way real data arrives."""

from __future__ import annotations

import copy
import itertools
from typing import Any

import factory
from django.utils import timezone

from motcua.agencies.models import Agency
from motcua.agencies.services import agency_import
from motcua.catalog.constants import CATALOG_FORMAT
from motcua.identity.constants import AccountKind
from motcua.identity.models import User
from motcua.identity.services import role_grant

PASSWORD = "S3cret-pass!"
_numbers = itertools.count(1)


def make_agency(code: str, *, level: str = "commune", parent: str = "", name: str = "", desk: bool = True) -> Agency:
    row: dict[str, Any] = {"code": code, "name": name or f"Agency {code}", "level": level, "parent_code": parent}
    if desk:
        row["desks"] = [{"code": f"{code}.MC", "name": f"Desk {code}"}]
    agency_import(actor=None, rows=[(1, row)])
    return Agency.objects.get(code=code)


def make_province_tree() -> dict[str, Agency]:
    """H99 province with a department and two communes; the department has an inner unit."""
    return {
        "province": make_agency("H99", level="province", name="Tỉnh Thử"),
        "department": make_agency("H99.01", level="department", parent="H99", name="Sở Tư pháp"),
        "unit": make_agency("H99.01.01", level="department", parent="H99.01", name="Phòng Hành chính tư pháp"),
        "commune_a": make_agency("H99.101", level="commune", parent="H99", name="Xã An"),
        "commune_b": make_agency("H99.102", level="commune", parent="H99", name="Xã Bình"),
    }


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"Người dùng {n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.vn")
    kind = AccountKind.CITIZEN
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def saved(obj: User, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create:
            obj.save()


def make_staff(role: str, agency: Agency, *, include_subagencies: bool = False, username: str = "") -> User:
    user = UserFactory(kind=AccountKind.STAFF, username=username or f"{role}{next(_numbers)}")
    role_grant(actor=None, user=user, role=role, agency=agency, include_subagencies=include_subagencies)
    return user


def make_citizen(personal_id: str = "", phone: str = "", *, verified: bool = True) -> User:
    """A citizen whose identity a desk has checked (``verified=False``: as registered online)."""
    n = next(_numbers)
    return UserFactory(
        kind=AccountKind.CITIZEN,
        username=personal_id or f"0010900{n:05d}",
        personal_id=personal_id or f"0010900{n:05d}",
        phone=phone or f"09{n:08d}",
        identity_verified_at=timezone.now() if verified else None,
        identity_verification_method="desk" if verified else "",
    )


BIRTH_SCHEMA = {
    "type": "object",
    "title": "Tờ khai đăng ký khai sinh",
    "properties": {
        "ho_ten_tre": {"type": "string", "title": "Họ tên trẻ"},
        "ngay_sinh": {"type": "string", "format": "date", "title": "Ngày sinh"},
    },
    "required": ["ho_ten_tre", "ngay_sinh"],
}

SMALL_CATALOG: dict[str, Any] = {
    "format": CATALOG_FORMAT,
    "sectors": [{"code": "HOTICH", "name": "Hộ tịch"}, {"code": "CHUNGTHUC", "name": "Chứng thực"}],
    "procedures": [
        {
            "code": "1.001193",
            "name": "Thủ tục đăng ký khai sinh",
            "sector": "HOTICH",
            "levels": ["commune"],
            "online_mode": "full",
            "processing_time": {"amount": "1", "unit": "working_days"},
            "cutoff": "15:00",
            "fees": [{"name": "Lệ phí", "amount": 0, "note": "Miễn"}],
            "required_documents": [
                {"name": "Tờ khai đăng ký khai sinh", "form": "original", "quantity": 1, "document_type_code": "TKKS"},
                {"name": "Giấy chứng sinh", "form": "original", "quantity": 1, "document_type_code": "GCS"},
            ],
            "legal_basis": "Luật Hộ tịch 2014",
            "result_type": "Giấy khai sinh",
            "form_schema": BIRTH_SCHEMA,
            "agencies": ["H99.101", "H99.102"],
        },
        {
            "code": "2.000528",
            "name": "Đăng ký khai sinh có yếu tố nước ngoài",
            "sector": "HOTICH",
            "levels": ["commune"],
            "online_mode": "partial",
            "processing_time": {"amount": "15", "unit": "working_days"},
            "agencies": ["H99.101"],
        },
        {
            "code": "2.000815",
            "name": "Chứng thực bản sao từ bản chính giấy tờ, văn bản",
            "sector": "CHUNGTHUC",
            "levels": ["commune", "department"],
            "online_mode": "none",
            "processing_time": {"amount": "4", "unit": "working_hours"},
            "fees": [{"name": "Phí chứng thực", "amount": 2000, "note": "mỗi trang"}],
            "agencies": ["H99.101"],
        },
    ],
}


def small_catalog() -> dict[str, Any]:
    return copy.deepcopy(SMALL_CATALOG)


def row_counts() -> dict[str, int]:
    """Rows in every table of the project's apps: a refused action must leave this unchanged."""
    from django.apps import apps

    return {
        m._meta.label: m.objects.count()
        for m in apps.get_models()
        if m._meta.app_label in {"core", "agencies", "identity", "catalog", "dossiers", "notifications"}
    }
