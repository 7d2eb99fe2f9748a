import pytest

from motcua.agencies.models import Desk
from motcua.catalog.models import Procedure
from motcua.identity.constants import Role
from motcua.identity.models import User
from motcua.identity.selectors import agencies_for
from motcua.workflow.services import Application, dossier_receive_at_desk
from tests.intake import pdf

pytestmark = pytest.mark.browser


def receive_a_walk_in() -> str:
    """The demo desk officer receives a birth registration for the demo citizen Nguyễn Thị Lan."""
    officer = User.objects.get(username="motcua.xa")
    agency = agencies_for(officer, [Role.DESK_OFFICER]).get()
    desk = Desk.objects.filter(agency=agency, is_active=True).order_by("code").first()
    version = Procedure.objects.get(code="1.001193").current_version
    application = Application(
        procedure_code="1.001193",
        agency_code=agency.code,
        form_data={
            "ho_ten_nguoi_yeu_cau": "Nguyễn Thị Lan",
            "so_dinh_danh_nguoi_yeu_cau": "022190001234",
            "quan_he_voi_tre": "Mẹ",
            "ho_ten_tre": "Nguyễn Văn An",
            "ngay_sinh": "2026-03-01",
            "gioi_tinh": "Nam",
            "noi_sinh": "Bệnh viện Bãi Cháy",
            "ho_ten_me": "Nguyễn Thị Lan",
        },
        uploads=[pdf(f"giay-to-{doc.pk}.pdf", doc.pk) for doc in version.required_documents.all()],
    )
    dossier = dossier_receive_at_desk(
        officer=officer,
        applicant=User.objects.get(username="022190001234"),
        desk_code=desk.code,
        application=application,
        originals_seen=[],
    )
    return dossier.code


def test_the_qr_address_on_the_receipt_shows_the_timeline_on_a_phone(demo_site, phone) -> None:
    code = receive_a_walk_in()

    phone.goto(f"{demo_site.url}/tra-cuu/{code}/")
    assert phone.get_by_label("Mã hồ sơ").input_value() == code
    phone.locator("input[name=factor]").fill("5678")  # 0912345678
    phone.locator("main button[type=submit]").click()

    phone.wait_for_selector(".timeline")
    assert phone.locator(".dossier-code").inner_text() == code
    assert phone.locator(".timeline .timeline-event").count() == 2
    assert "N***** T** L**" in phone.locator("main").inner_text()
    assert "0912345678" not in phone.content() and "022190001234" not in phone.content()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
