"""Demo data of the online guidance (issue 17, item 5): the administrators' words on the birth registration's
guide, so the demo shows where they appear. The rest of every guide and board comes from the catalog."""

from __future__ import annotations

from typing import Any

from motcua.catalog.guide_models import OnlineGuide
from motcua.catalog.models import Procedure
from motcua.catalog.services import online_guide_save

BIRTH_REGISTRATION = "1.001193"


def load(places: dict[str, Any]) -> None:
    """Idempotent: a guide the administrators already wrote is left as it is."""
    procedure = Procedure.objects.filter(code=BIRTH_REGISTRATION).first()
    if procedure is None or OnlineGuide.objects.filter(procedure=procedure).exists():
        return
    commune = places["commune"]
    online_guide_save(
        actor=None,
        procedure=procedure,
        intro=(
            "Cha, mẹ nên đăng ký khai sinh cho con trong 60 ngày kể từ ngày sinh để được miễn lệ phí. "
            "Chụp Giấy chứng sinh rõ nét, đủ bốn góc trước khi bắt đầu."
        ),
        notes=(
            f"Cần hỗ trợ khi nộp trực tuyến: gọi {commune.name}"
            + (f", số điện thoại {commune.phone}" if commune.phone else "")
            + ", trong giờ hành chính. Tại bộ phận một cửa có máy tính và cán bộ hướng dẫn nộp hồ sơ trực tuyến."
        ),
    )
