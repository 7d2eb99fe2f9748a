"""The e-form's first values taken from the applicant's account, so nobody types their own name, ID
and phone again for every procedure.

A field is filled when the schema says which account value it holds (``"x-prefill": "phone"``), or
when its name or title is the catalog's usual wording for the applicant (the person who asks,
"người yêu cầu"). A value is only offered where it fits the field (pattern, length); draft values and
anything typed take precedence (the view merges them on top).
"""

from __future__ import annotations

import re
from typing import Any

from motcua.core.schema_forms import ordered_properties
from motcua.identity.constants import AccountKind

PREFILL_KEY = "x-prefill"

# Account value → e-form field names and titles (compared lower-cased) that mean the applicant's value.
_BY_NAME = {
    "full_name": {"ho_ten_nguoi_yeu_cau", "ho_ten_nguoi_nop"},
    "personal_id": {"so_dinh_danh_nguoi_yeu_cau", "so_dinh_danh_nguoi_nop"},
    "phone": {"dien_thoai", "so_dien_thoai", "dien_thoai_nguoi_yeu_cau"},
    "email": {"email", "thu_dien_tu"},
    "address": {"dia_chi_nguoi_yeu_cau", "noi_cu_tru_nguoi_yeu_cau", "dia_chi_lien_he"},
    "tax_code": {"ma_so_doanh_nghiep"},
}
_BY_TITLE = {
    "full_name": {"họ, chữ đệm, tên người yêu cầu", "họ và tên người yêu cầu"},
    "personal_id": {"số định danh cá nhân của người yêu cầu", "số định danh cá nhân người yêu cầu"},
    "phone": {"số điện thoại liên hệ", "số điện thoại"},
    "email": {"thư điện tử", "email"},
    "address": {"địa chỉ liên hệ", "nơi cư trú của người yêu cầu", "địa chỉ của người yêu cầu"},
}
# Values that describe a person: an organisation's account holds none of them.
_PERSONAL = {"full_name", "personal_id"}


def _account_values(user: Any) -> dict[str, str]:
    values = {
        "full_name": user.full_name,
        "personal_id": user.personal_id,
        "phone": user.phone,
        "email": user.email,
        "address": user.address,
        "tax_code": user.tax_code,
    }
    if user.kind == AccountKind.ORGANISATION:
        values = {k: v for k, v in values.items() if k not in _PERSONAL}
    return {k: v.strip() for k, v in values.items() if isinstance(v, str) and v.strip()}


def _source(name: str, spec: dict[str, Any]) -> str | None:
    explicit = spec.get(PREFILL_KEY)
    if isinstance(explicit, str):
        return explicit
    title = str(spec.get("title") or "").strip().lower()
    for source, names in _BY_NAME.items():
        if name in names:
            return source
    for source, titles in _BY_TITLE.items():
        if title in titles:
            return source
    if spec.get("format") == "email":
        return "email"
    return None


def _fits(value: str, spec: dict[str, Any]) -> bool:
    if spec.get("type") not in (None, "string") or "enum" in spec or spec.get("format") not in (None, "email"):
        return False
    if isinstance(spec.get("maxLength"), int) and len(value) > spec["maxLength"]:
        return False
    if isinstance(spec.get("minLength"), int) and len(value) < spec["minLength"]:
        return False
    pattern = spec.get("pattern")
    return not isinstance(pattern, str) or re.search(pattern, value) is not None


def account_prefill(schema: dict[str, Any], user: Any) -> dict[str, str]:
    """Initial e-form values from the account, for the fields that hold the applicant's own data."""
    values = _account_values(user)
    prefill: dict[str, str] = {}
    for name, spec in ordered_properties(schema or {}):
        source = _source(name, spec)
        value = values.get(source or "")
        if value is not None and _fits(value, spec):
            prefill[name] = value
    return prefill
