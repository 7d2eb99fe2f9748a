"""Seed data: the scorecard's groups (Quyết định 766/QĐ-TTg) and the plans' yearly targets.

The decision publishes each group's maximum points; the split of a group over its sub-indicators is
our reading of the observed practice and is editable data. Pure data: the data migration imports it.
"""

from __future__ import annotations

from typing import Any

ScoreItemRow = tuple[str, str, int, str, int | None]

# The scorecard's "reuse" item (Tỷ lệ khai thác, sử dụng lại dữ liệu số hóa): dossiers received with at least
# one document taken from the data store ÷ dossiers received.
REUSE_INDICATOR = "reuse_share"

# The publicity group's item "synchronised to the national portal" (issue 15): dossiers received whose every
# message the portal acknowledged ÷ dossiers received. The split of the group's 18 points between it and
# the rest of publicity (not measured) is our reading, editable data.
SYNC_INDICATOR = "sync_share"
SYNC_SPLIT = (12, 6)

# The online payment group (issue 16): "Tỷ lệ TTHC có giao dịch thanh toán trực tuyến" is procedures with
# fee-bearing dossiers that had an online payment ÷ procedures with fee-bearing dossiers; "Tỷ lệ hồ sơ thanh
# toán trực tuyến" is fee-bearing dossiers paid online ÷ fee-bearing dossiers, full points from 30 %.
PAYMENT_INDICATORS = {
    "payment_procedures": "online_payment_procedures_share",
    "payment_dossiers": "online_paid_share",
}
PAYMENT_TARGETS = [
    ("online_paid_share", "", "gte", 50, "Kế hoạch: thanh toán trực tuyến ≥ 50 % giao dịch nộp phí, lệ phí"),
]

# Issue 17: the publicity group's item "feedback answered on time" takes 6 of the points of the unmeasured
# publicity item (our reading, editable data); the satisfaction group's item is the share of ratings
# satisfied or very satisfied.
FEEDBACK_ITEM = ("feedback_on_time", "Tỷ lệ phản ánh, kiến nghị được trả lời đúng hạn", 6, "feedback_on_time_share")
PUBLICITY_UNMEASURED_POINTS = SYNC_SPLIT[0] - FEEDBACK_ITEM[2]
SATISFACTION_INDICATOR = "satisfaction_share"
VOICE_TARGETS = [
    ("feedback_on_time_share", "", "gte", 100, "Kế hoạch: 100 % phản ánh, kiến nghị được trả lời đúng hạn"),
    ("feedback_open_overdue", "", "lte", 0, "Kế hoạch: không có phản ánh, kiến nghị quá hạn"),
    ("satisfaction_share", "", "gte", 95, "Kế hoạch: mức độ hài lòng ≥ 90 %, đến 2025 ≥ 95 %"),
    (
        "queue_wait_average",
        "",
        "lte",
        15,
        "Kế hoạch: thời gian chờ tại bộ phận một cửa ≤ 30 phút (2022), ≤ 15 phút (2025)",
    ),
]

# (code, name, max points, [(item code, item name, points, indicator or "", full points from % or None)])
SCORE_GROUPS: list[tuple[str, str, int, list[ScoreItemRow]]] = [
    (
        "publicity",
        "Công khai, minh bạch",
        18,
        [
            ("publicity_all", "Công khai thông tin, tiến độ giải quyết", PUBLICITY_UNMEASURED_POINTS, "", None),
            (
                "sync_share",
                "Tỷ lệ hồ sơ đồng bộ trạng thái lên Cổng Dịch vụ công quốc gia",
                SYNC_SPLIT[1],
                SYNC_INDICATOR,
                None,
            ),
            (FEEDBACK_ITEM[0], FEEDBACK_ITEM[1], FEEDBACK_ITEM[2], FEEDBACK_ITEM[3], None),
        ],
    ),
    (
        "timeliness",
        "Tiến độ, kết quả giải quyết",
        20,
        [("timeliness", "Hồ sơ chưa đến hạn hoặc giải quyết đúng hạn / hồ sơ tiếp nhận", 20, "timeliness", None)],
    ),
    (
        "online",
        "Cung cấp dịch vụ trực tuyến",
        12,
        [
            ("online_offered", "Tỷ lệ TTHC cung cấp trực tuyến", 4, "online_procedures_offered", None),
            ("online_used", "Tỷ lệ TTHC trực tuyến có phát sinh hồ sơ", 4, "online_procedures_used", None),
            ("online_share", "Tỷ lệ hồ sơ nộp trực tuyến (đạt 50 % được tối đa)", 4, "online_share", 50),
        ],
    ),
    (
        "payment",
        "Thanh toán trực tuyến",
        10,
        [
            (
                "payment_procedures",
                "Tỷ lệ TTHC có giao dịch thanh toán trực tuyến",
                5,
                PAYMENT_INDICATORS["payment_procedures"],
                None,
            ),
            (
                "payment_dossiers",
                "Tỷ lệ hồ sơ thanh toán trực tuyến (đạt 30 % được tối đa)",
                5,
                PAYMENT_INDICATORS["payment_dossiers"],
                30,
            ),
        ],
    ),
    (
        "satisfaction",
        "Mức độ hài lòng",
        18,
        [("satisfaction_all", "Mức độ hài lòng của người dân", 18, SATISFACTION_INDICATOR, None)],
    ),
    (
        "digitization",
        "Số hóa hồ sơ, kết quả",
        22,
        [
            ("digitized", "Tỷ lệ hồ sơ có thành phần được số hóa (đạt 80 % được tối đa)", 8, "digitized_share", 80),
            ("e_results", "Tỷ lệ kết quả giải quyết được cấp bản điện tử (ký số)", 7, "e_result_share", None),
            ("reuse", "Tỷ lệ khai thác, sử dụng lại dữ liệu số hóa (đạt 80 % được tối đa)", 7, REUSE_INDICATOR, 80),
        ],
    ),
]

# Targets of the digitization indicators (DOMAIN.md §10): (indicator, level or "", comparator, value, source).
DIGITIZATION_TARGETS = [
    ("reuse_share", "", "gte", 50, "Kế hoạch: tái sử dụng dữ liệu số hóa ≥ 50 %"),
    (
        "not_asked_again",
        "",
        "gte",
        80,
        "Kế hoạch: đến 2025, 80 % người dân không phải cung cấp lại giấy tờ đã cung cấp",
    ),
    ("ecopy_offered", "", "gte", 100, "Kế hoạch: 100 % cơ quan chứng thực cung cấp bản sao điện tử"),
    ("ecopy_used", "", "gte", 20, "Kế hoạch: bản sao điện tử chiếm ≥ 20 % hồ sơ chứng thực"),
    ("moved_electronic", "", "gte", 80, "Kế hoạch: ≥ 80 % hồ sơ liên thông được luân chuyển điện tử"),
]

# (indicator, level or "", comparator, value, source) for each seeded year.
TARGETS = [
    ("online_share", "", "gte", 60, "Kế hoạch: hồ sơ trực tuyến ≥ 60 % tổng số hồ sơ tiếp nhận"),
    ("on_time_share", "", "gte", 100, "Kế hoạch: không có hồ sơ trễ hạn"),
    ("open_overdue", "", "lte", 0, "Kế hoạch: không có hồ sơ tồn đọng quá hạn"),
    ("online_procedures_used", "", "gte", 50, "Kế hoạch: ≥ 50 % TTHC trực tuyến có phát sinh hồ sơ"),
    ("e_result_share", "", "gte", 100, "Kế hoạch: 100 % kết quả giải quyết được cấp bản điện tử"),
    ("digitized_share", "", "gte", 100, "Kế hoạch: 100 % hồ sơ được số hóa"),
    *DIGITIZATION_TARGETS,
    *PAYMENT_TARGETS,
    *VOICE_TARGETS,
    ("desk_productivity", "commune", "gte", 800, "Kế hoạch: ≥ 800 hồ sơ/công chức/năm (cấp xã)"),
    ("desk_productivity", "district", "gte", 1200, "Kế hoạch: ≥ 1.200 hồ sơ/công chức/năm (cấp huyện)"),
]
SEEDED_YEARS = range(2025, 2031)


def add_targets(Target: Any, rows: list[tuple[str, str, str, int, str]]) -> None:
    """The deployment-wide targets of ``rows`` for each seeded year, where missing (an edited one is kept)."""
    for year in SEEDED_YEARS:
        for indicator, level, comparator, value, source in rows:
            Target.objects.get_or_create(
                year=year,
                indicator=indicator,
                level=level,
                agency=None,
                defaults={"comparator": comparator, "value": value, "source": source},
            )


def seed(ScoreGroup: Any, ScoreItem: Any, Target: Any) -> None:
    for position, (code, name, max_points, items) in enumerate(SCORE_GROUPS):
        group, _ = ScoreGroup.objects.update_or_create(
            code=code, defaults={"name": name, "max_points": max_points, "position": position}
        )
        for item_position, (item_code, item_name, points, indicator, full_at) in enumerate(items):
            ScoreItem.objects.update_or_create(
                code=item_code,
                defaults={
                    "group": group,
                    "name": item_name,
                    "points": points,
                    "indicator": indicator,
                    "full_at": full_at,
                    "position": item_position,
                },
            )
    add_targets(Target, TARGETS)


def seed_digitization(ScoreItem: Any, Target: Any) -> None:
    """What issue 14 adds to a database seeded before it, without touching what administrators edited:
    the scorecard's "reuse" item gets its indicator when it has none, and the digitization targets of
    the seeded years are added where missing."""
    ScoreItem.objects.filter(code="reuse", indicator="").update(indicator=REUSE_INDICATOR)
    add_targets(Target, DIGITIZATION_TARGETS)


def seed_sync(ScoreGroup: Any, ScoreItem: Any) -> None:
    """What issue 15 adds to a database seeded before it: the publicity group's sync item, its points
    taken from the unmeasured publicity item only while that still has the seeded 18 (an administrator's
    own split is kept)."""
    group = ScoreGroup.objects.filter(code="publicity").first()
    if group is None or ScoreItem.objects.filter(code="sync_share").exists():
        return
    ScoreItem.objects.filter(code="publicity_all", points=18).update(points=SYNC_SPLIT[0])
    ScoreItem.objects.create(
        code="sync_share",
        group=group,
        name="Tỷ lệ hồ sơ đồng bộ trạng thái lên Cổng Dịch vụ công quốc gia",
        points=SYNC_SPLIT[1],
        indicator=SYNC_INDICATOR,
        full_at=None,
        position=1,
    )


def seed_payment(ScoreItem: Any, Target: Any) -> None:
    """What issue 16 adds to a database seeded before it: the online payment group's two items get their
    indicators when they have none (an administrator's choice is kept), and the online payment target of
    the seeded years is added where missing."""
    for code, indicator in PAYMENT_INDICATORS.items():
        ScoreItem.objects.filter(code=code, indicator="").update(indicator=indicator)
    add_targets(Target, PAYMENT_TARGETS)


def seed_voice(ScoreGroup: Any, ScoreItem: Any, Target: Any) -> None:
    """What issue 17 adds to a database seeded before it: the publicity group's feedback item (its points
    taken from the unmeasured publicity item only while that still has the seeded 12), the satisfaction
    item's indicator when it has none, and the targets of the seeded years where missing."""
    group = ScoreGroup.objects.filter(code="publicity").first()
    if group is not None and not ScoreItem.objects.filter(code=FEEDBACK_ITEM[0]).exists():
        ScoreItem.objects.filter(code="publicity_all", points=SYNC_SPLIT[0]).update(points=PUBLICITY_UNMEASURED_POINTS)
        ScoreItem.objects.create(
            code=FEEDBACK_ITEM[0],
            group=group,
            name=FEEDBACK_ITEM[1],
            points=FEEDBACK_ITEM[2],
            indicator=FEEDBACK_ITEM[3],
            full_at=None,
            position=2,
        )
    ScoreItem.objects.filter(code="satisfaction_all", indicator="").update(indicator=SATISFACTION_INDICATOR)
    add_targets(Target, VOICE_TARGETS)
