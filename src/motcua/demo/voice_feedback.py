"""The demo's feedback: a dozen across the communes, most answered on time, one answered late, two open,
two answers published, so that the feedback list, the portal's published answers and the on-time
indicator show something on a fresh demo.

Everything is written by ``feedback.services`` (entered by the province's supervisor, as if received by
telephone, letter or e-mail on the days below). Only the answering and publishing times are then moved back
to the days they describe: the services stamp "now", and a demo's history has to have happened earlier.
Each feedback carries a fixed token, so a second load finds it and adds nothing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from motcua.agencies.calendar import deployment_calendar
from motcua.agencies.models import Agency
from motcua.feedback.constants import FeedbackChannel, FeedbackStatus, FeedbackSubject
from motcua.feedback.models import Feedback
from motcua.feedback.services import FeedbackInput, feedback_answer, feedback_publish, feedback_submit
from motcua.identity.models import User


@dataclass(frozen=True)
class DemoFeedback:
    title: str
    content: str
    sender: str
    channel: str
    days_ago: int  # working days before today's opening
    answer: str = ""
    answer_after: int = 0  # working days after reception; beyond the rule's 10: late
    publish: bool = False


DEMO_FEEDBACK = [
    DemoFeedback(
        "Thời gian cấp bản sao trích lục khai sinh",
        "Tôi nộp hồ sơ cấp bản sao trích lục khai sinh từ sáng nhưng chiều vẫn chưa nhận được. Xin hỏi thời hạn?",
        "Nguyễn Văn Hùng",
        FeedbackChannel.PHONE,
        30,
        "Theo quy định, bản sao trích lục được cấp ngay trong ngày nếu nộp trước 15 giờ. Hồ sơ của ông đã được "
        "trả ngay sáng hôm sau; UBND xã xin lỗi vì chậm trễ và đã nhắc nhở bộ phận liên quan.",
        3,
        publish=True,
    ),
    DemoFeedback(
        "Lệ phí chứng thực bản sao",
        "Tại sao chứng thực bản sao phải nộp phí theo từng trang?",
        "Trần Thị Hoa",
        FeedbackChannel.EMAIL,
        25,
        "Phí chứng thực bản sao từ bản chính là 2.000 đồng/trang theo Thông tư 226/2016/TT-BTC; từ trang thứ ba "
        "trở lên thu 1.000 đồng/trang, tối đa 200.000 đồng/bản.",
        5,
        publish=True,
    ),
    DemoFeedback(
        "Cán bộ một cửa hướng dẫn chưa rõ",
        "Tôi phải đi lại hai lần vì không được hướng dẫn đủ giấy tờ.",
        "Lê Văn Nam",
        FeedbackChannel.DESK,
        22,
        "UBND xã đã làm việc với cán bộ tiếp nhận và niêm yết lại danh mục giấy tờ tại bộ phận một cửa.",
        6,
    ),
    DemoFeedback(
        "Đề nghị nộp hồ sơ trực tuyến đăng ký kết hôn",
        "Đề nghị cho phép nộp hồ sơ đăng ký kết hôn trực tuyến toàn trình.",
        "Phạm Thị Thu",
        FeedbackChannel.LETTER,
        20,
        "Thủ tục đăng ký kết hôn đã được cung cấp trực tuyến một phần trên Cổng dịch vụ công của tỉnh.",
        4,
    ),
    DemoFeedback(
        "Chưa nhận được kết quả qua bưu điện",
        "Hồ sơ của tôi đã có kết quả nhưng chưa nhận được qua bưu chính.",
        "Hoàng Văn Long",
        FeedbackChannel.PHONE,
        18,
        "Bưu điện đã phát kết quả ngày hôm sau; đơn vị đã đề nghị bưu điện báo trước khi phát.",
        2,
    ),
    DemoFeedback(
        "Giờ làm việc buổi chiều",
        "Bộ phận một cửa có làm việc đến 17 giờ không?",
        "Đỗ Thị Lan",
        FeedbackChannel.EMAIL,
        16,
        "Bộ phận một cửa làm việc buổi chiều từ 13 giờ 30 đến 17 giờ các ngày làm việc.",
        1,
    ),
    DemoFeedback(
        "Thái độ cán bộ tiếp nhận",
        "Cán bộ tiếp nhận trả lời thiếu lịch sự.",
        "Vũ Văn Bình",
        FeedbackChannel.LETTER,
        15,
        "Đơn vị đã xác minh, nhắc nhở cán bộ và xin lỗi ông.",
        12,  # answered after the 10 working days: late
    ),
    DemoFeedback(
        "Hỏi về hồ sơ chuyển nhượng đất",
        "Hồ sơ chuyển nhượng cần những giấy tờ gì?",
        "Ngô Thị Mai",
        FeedbackChannel.PHONE,
        12,
        "Danh mục giấy tờ được đăng tại trang thủ tục trên Cổng dịch vụ công.",
        3,
    ),
    DemoFeedback(
        "Đề nghị thêm ghế chờ",
        "Khu vực chờ ở bộ phận một cửa thiếu ghế vào buổi sáng thứ Hai.",
        "Bùi Văn Tâm",
        FeedbackChannel.DESK,
        9,
        "Đã bổ sung 10 ghế chờ.",
        2,
    ),
    DemoFeedback(
        "Máy lấy số thứ tự không in được",
        "Sáng nay máy lấy số không in được phiếu.",
        "Đặng Thị Hà",
        FeedbackChannel.PHONE,
        6,
        "Đã thay giấy in và kiểm tra máy.",
        1,
    ),
    DemoFeedback(
        "Hỏi thời hạn giải quyết cấp giấy phép xây dựng",
        "Xin hỏi thời hạn giải quyết cấp giấy phép xây dựng nhà ở riêng lẻ.",
        "Lý Văn Quang",
        FeedbackChannel.EMAIL,
        3,
    ),
    DemoFeedback(
        "Đường vào trụ sở bị ngập",
        "Đường vào trụ sở UBND xã bị ngập khi mưa, khó đi lại.",
        "Trịnh Thị Yến",
        FeedbackChannel.LETTER,
        1,
    ),
]


def _working_days_back(calendar: Any, days: int) -> datetime:
    """09:00 on the working day ``days`` working days before today."""
    day = timezone.localdate()
    while days > 0:
        day -= timedelta(days=1)
        if calendar.is_working_day(day):
            days -= 1
    return timezone.make_aware(datetime(day.year, day.month, day.day, 9, 0))


def load(places: dict[str, Any]) -> None:
    supervisor = User.objects.filter(username="giamsat").first()
    if supervisor is None:
        return
    communes = list(Agency.objects.filter(level="commune", is_active=True).order_by("code")[:4]) or [places["commune"]]
    for number, item in enumerate(DEMO_FEEDBACK, start=1):
        token = f"demo-feedback-{number:02d}"
        if Feedback.objects.filter(form_token=token).exists():
            continue
        agency = places["commune"] if number <= 4 else communes[number % len(communes)]
        calendar = deployment_calendar(agency)
        received = _working_days_back(calendar, item.days_ago)
        feedback = feedback_submit(
            actor=supervisor,
            channel=item.channel,
            data=FeedbackInput(
                subject=FeedbackSubject.OTHER,
                title=item.title,
                content=item.content,
                sender_name=item.sender,
                sender_phone=f"09{number:08d}",
                agency=agency,
            ),
            received_at=received,
            idempotency_key=token,
        )
        if not item.answer:
            continue
        feedback = feedback_answer(actor=supervisor, feedback=feedback, answer=item.answer)
        answered = calendar.add_working_time(received, calendar.working_day * item.answer_after)
        moved: dict[str, Any] = {"answered_at": answered}
        if item.publish:
            feedback_publish(actor=supervisor, feedback=feedback)
            moved["published_at"] = answered + timedelta(hours=1)
        # Back to the days the history describes (the services stamped "now").
        Feedback.objects.filter(pk=feedback.pk, status=FeedbackStatus.ANSWERED).update(**moved)
