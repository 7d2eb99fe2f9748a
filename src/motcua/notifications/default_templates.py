"""The message templates motcua ships (issue 15, item 5): one per kind and channel, in Vietnamese.

Migration 0004 writes them as ``MessageTemplate`` rows, which administrators then edit; a kind and channel
without a row (a database emptied by a test's flush) is sent with its text here, an inactive row not at
all. They are the texts of the template files that were the source until then (kept as
notifications/tests/seed_templates/<kind>.txt), with their msgids translated by the catalogue of that day;
notifications/tests/test_message_templates.py checks that they give the same messages as those files.
"""

# ruff: noqa: E501 - each line of a message is one string, as an administrator reads it

from __future__ import annotations

# (kind, channel, subject, body)
TEMPLATES: list[tuple[str, str, str, str]] = [
    (
        "apology",
        "email",
        "Hồ sơ {{ code }}: thư xin lỗi và hẹn lại ngày trả kết quả",
        (
            "Kính gửi {{ applicant }},\n"
            "\n"
            'Chúng tôi xin lỗi: hồ sơ {{ code }} của bạn về thủ tục "{{ procedure }}" không thể giải quyết xong trước {{ original_due }}.\n'
            "Lý do: {{ reason }}\n"
            "Thời hạn trả kết quả mới: {{ due }}.\n"
            "\n"
            "Chi tiết: {{ tracking_url }}\n"
            "\n"
            "Đây là thư gửi tự động; vui lòng không trả lời thư này.\n"
        ),
    ),
    ("apology", "sms", "", "Xin lỗi: hồ sơ {{ code }} bị chậm, hẹn trả mới {{ due }}. Chi tiết: {{ tracking_url }}"),
    (
        "payment_requested",
        "email",
        "Hồ sơ {{ code }}: yêu cầu thực hiện nghĩa vụ tài chính",
        (
            "Kính gửi {{ applicant }},\n"
            "\n"
            'Để tiếp tục giải quyết hồ sơ {{ code }} về thủ tục "{{ procedure }}", đề nghị bạn nộp {{ amount }} đồng.\n'
            "{% if reason %}{{ reason }}{% endif %}\n"
            "Việc giải quyết tạm dừng cho đến khi xác nhận đã nộp.\n"
            "\n"
            "Chi tiết: {{ tracking_url }}\n"
            "\n"
            "Đây là thư gửi tự động; vui lòng không trả lời thư này.\n"
        ),
    ),
    (
        "payment_requested",
        "sms",
        "",
        "Ho so {{ code }}: de nghi nop {{ amount }} dong de tiep tuc. Chi tiet: {{ tracking_url }}",
    ),
    (
        "received",
        "email",
        "Hồ sơ {{ code }} đã được tiếp nhận, hẹn trả kết quả {{ due }}",
        (
            "Kính gửi {{ applicant }},\n"
            "\n"
            'Hồ sơ {{ code }} của bạn về thủ tục "{{ procedure }}" đã được {{ agency }} tiếp nhận.\n'
            "Thời gian hẹn trả kết quả: {{ due }}.\n"
            "\n"
            "Theo dõi tình trạng giải quyết hồ sơ tại {{ tracking_url }}\n"
            "\n"
            "Đây là thư gửi tự động; vui lòng không trả lời thư này.\n"
        ),
    ),
    ("received", "sms", "", "Hồ sơ {{ code }} đã được tiếp nhận. Hẹn trả kết quả {{ due }}."),
    (
        "refused",
        "email",
        "Hồ sơ {{ code }} không được tiếp nhận",
        (
            "Kính gửi {{ applicant }},\n"
            "\n"
            '{{ agency }} không thể tiếp nhận hồ sơ {{ code }} của bạn về thủ tục "{{ procedure }}".\n'
            "Lý do: {{ reason }}\n"
            "\n"
            "Chi tiết: {{ tracking_url }}\n"
            "\n"
            "Đây là thư gửi tự động; vui lòng không trả lời thư này.\n"
        ),
    ),
    ("refused", "sms", "", "Hồ sơ {{ code }} không được tiếp nhận. Lý do và chi tiết: {{ tracking_url }}"),
    (
        "result_ready",
        "email",
        "Hồ sơ {{ code }}: đã có kết quả",
        (
            "Kính gửi {{ applicant }},\n"
            "\n"
            'Hồ sơ {{ code }} của bạn về thủ tục "{{ procedure }}" đã có kết quả (số {{ result_number }}).\n'
            "{% if electronic %}Bạn có thể tải kết quả đã ký số tại mục “Hồ sơ của tôi” trên Cổng.{% else %}Bạn có thể nhận kết quả tại {{ agency }}.{% endif %}\n"
            "\n"
            "Chi tiết: {{ tracking_url }}\n"
            "\n"
            "Đây là thư gửi tự động; vui lòng không trả lời thư này.\n"
        ),
    ),
    ("result_ready", "sms", "", "Ho so {{ code }} da co ket qua. Chi tiet: {{ tracking_url }}"),
    (
        "stopped",
        "email",
        "Hồ sơ {{ code }}: dừng xử lý",
        (
            "Kính gửi {{ applicant }},\n"
            "\n"
            'Hồ sơ {{ code }} của bạn về thủ tục "{{ procedure }}" đã bị dừng xử lý.\n'
            "Lý do: {{ reason }}\n"
            "\n"
            "Chi tiết: {{ tracking_url }}\n"
            "\n"
            "Đây là thư gửi tự động; vui lòng không trả lời thư này.\n"
        ),
    ),
    ("stopped", "sms", "", "Ho so {{ code }} bi dung xu ly. Ly do va chi tiet: {{ tracking_url }}"),
    (
        "submitted",
        "email",
        "Hồ sơ {{ code }} đã được đăng ký trực tuyến",
        (
            "Kính gửi {{ applicant }},\n"
            "\n"
            'Hồ sơ của bạn về thủ tục "{{ procedure }}" đã được đăng ký trực tuyến với mã {{ code }}. Hồ sơ đang chờ Bộ phận Một cửa của {{ agency }} kiểm tra và tiếp nhận.\n'
            "\n"
            "Theo dõi tình trạng giải quyết hồ sơ tại {{ tracking_url }}\n"
            "\n"
            "Đây là thư gửi tự động; vui lòng không trả lời thư này.\n"
        ),
    ),
    ("submitted", "sms", "", "Hồ sơ {{ code }} đã được đăng ký trực tuyến. Theo dõi tại: {{ tracking_url }}"),
    (
        "supplement_requested",
        "email",
        "Hồ sơ {{ code }}: giấy tờ cần bổ sung",
        (
            "Kính gửi {{ applicant }},\n"
            "\n"
            'Hồ sơ {{ code }} của bạn về thủ tục "{{ procedure }}" cần được bổ sung:\n'
            "{% for item in items %}- {{ item }}\n"
            "{% endfor %}\n"
            "Việc giải quyết hồ sơ tạm dừng cho đến khi hồ sơ được bổ sung đầy đủ. Bạn có thể bổ sung giấy tờ trực tuyến hoặc mang đến Bộ phận Một cửa.\n"
            "\n"
            "Chi tiết: {{ tracking_url }}\n"
            "\n"
            "Đây là thư gửi tự động; vui lòng không trả lời thư này.\n"
        ),
    ),
    (
        "supplement_requested",
        "sms",
        "",
        "Hồ sơ {{ code }} cần bổ sung giấy tờ. Xem nội dung cần bổ sung: {{ tracking_url }}",
    ),
    (
        "withdrawn",
        "email",
        "Hồ sơ {{ code }} đã được rút",
        (
            "Kính gửi {{ applicant }},\n"
            "\n"
            'Hồ sơ {{ code }} của bạn về thủ tục "{{ procedure }}" đã được rút.\n'
            "Lý do: {{ reason }}\n"
            "\n"
            "Đây là thư gửi tự động; vui lòng không trả lời thư này.\n"
        ),
    ),
    ("withdrawn", "sms", "", "Hồ sơ {{ code }} đã được rút."),
]

# Issue 17: the satisfaction rating link ({{ rating_url }}). Migration 0005 adds these rows, and replaces the
# result-ready e-mail only where administrators left it as shipped. The result-ready SMS keeps its tracking
# link: with a second link it would no longer fit one segment; the returned SMS carries the rating link alone.
RATING_INVITATION = "Mời bạn đánh giá mức độ hài lòng về việc giải quyết hồ sơ: {{ rating_url }}\n"
RATING_TEMPLATES: list[tuple[str, str, str, str]] = [
    (
        "result_ready",
        "email",
        "Hồ sơ {{ code }}: đã có kết quả",
        (
            "Kính gửi {{ applicant }},\n"
            "\n"
            'Hồ sơ {{ code }} của bạn về thủ tục "{{ procedure }}" đã có kết quả (số {{ result_number }}).\n'
            "{% if electronic %}Bạn có thể tải kết quả đã ký số tại mục “Hồ sơ của tôi” trên Cổng.{% else %}Bạn có thể nhận kết quả tại {{ agency }}.{% endif %}\n"
            "\n"
            f"{RATING_INVITATION}"
            "\n"
            "Chi tiết: {{ tracking_url }}\n"
            "\n"
            "Đây là thư gửi tự động; vui lòng không trả lời thư này.\n"
        ),
    ),
    (
        "result_returned",
        "email",
        "Hồ sơ {{ code }}: đã trả kết quả",
        (
            "Kính gửi {{ applicant }},\n"
            "\n"
            'Kết quả hồ sơ {{ code }} của bạn về thủ tục "{{ procedure }}" đã được trả.\n'
            "\n"
            f"{RATING_INVITATION}"
            "Ý kiến của bạn giúp {{ agency }} phục vụ tốt hơn.\n"
            "\n"
            "Đây là thư gửi tự động; vui lòng không trả lời thư này.\n"
        ),
    ),
    # Without diacritics, as the result-ready SMS: one GSM-7 segment (160 characters) with the signed link.
    ("result_returned", "sms", "", "Ho so {{ code }} da tra KQ. Danh gia: {{ rating_url }}"),
]

DEFAULT_TEMPLATES: dict[tuple[str, str], tuple[str, str]] = {
    (kind, channel): (subject, body) for kind, channel, subject, body in [*TEMPLATES, *RATING_TEMPLATES]
}
