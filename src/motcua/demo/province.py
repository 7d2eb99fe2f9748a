"""The demo province: agencies, catalog, staff for every role, two citizens. Loading it twice changes nothing."""

from __future__ import annotations

import base64
import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction
from django_otp.oath import hotp
from django_otp.plugins.otp_totp.models import TOTPDevice

from motcua.agencies.models import Agency
from motcua.agencies.services import agency_import
from motcua.catalog.services import catalog_import
from motcua.demo import voice_feedback, voice_guidance, voice_queue
from motcua.documents.models import DigitizationFee
from motcua.documents.services import document_types_import
from motcua.identity.constants import AccountKind, Role
from motcua.identity.models import RoleGrant, User
from motcua.identity.services import ApplicantData, applicant_register, applicant_verify, role_grant, staff_create
from motcua.integrations.postal_services import postal_tariff_set
from motcua.reports.defaults import seed as seed_report_defaults
from motcua.reports.models import ScoreGroup, ScoreItem, Target
from motcua.satisfaction.defaults import seed_criteria
from motcua.satisfaction.models import Criterion
from motcua.signing import demo_agency_certificate_issue, demo_certificate_issue
from motcua.signing.store import signing_dir
from motcua.workflow.certification import certification_processes_ensure

DATA_DIR = Path(__file__).resolve().parent / "demo_data"
DEMO_PASSWORD = "motcua-demo"
# Every demo staff account's authenticator shares this one published secret (base32, TOTP, 30 s, 6 digits):
# add it to any authenticator app, or run `python manage.py demo_totp`. Demo data only: production accounts
# each set up their own secret at their first login.
DEMO_TOTP_SECRET = "MOTCUADEMOMOTCUADEMOMOTCUADEMO22"


@dataclass(frozen=True)
class DemoStaff:
    username: str
    full_name: str
    role: str
    agency: str  # "province", "commune" or "department": resolved against the data files
    include_subagencies: bool = False


def demo_staff() -> list[DemoStaff]:
    return [
        DemoStaff("quantri", "Nguyễn Văn Quản", Role.ADMINISTRATOR, "province", True),
        DemoStaff("giamsat", "Trần Thị Giám", Role.SUPERVISOR, "province", True),
        DemoStaff("motcua.xa", "Lê Thị Mai", Role.DESK_OFFICER, "commune"),
        DemoStaff("chuyenvien.xa", "Phạm Văn Chuyên", Role.SPECIALIST, "commune"),
        DemoStaff("lanhdao.xa", "Hoàng Văn Lãnh", Role.UNIT_LEADER, "commune"),
        DemoStaff("vanthu.xa", "Đỗ Thị Thư", Role.CLERK, "commune"),
        DemoStaff("motcua.so", "Vũ Thị Hạnh", Role.DESK_OFFICER, "department"),
        DemoStaff("chuyenvien.so", "Bùi Văn Thẩm", Role.SPECIALIST, "department"),
        DemoStaff("lanhdao.so", "Ngô Văn Duyệt", Role.UNIT_LEADER, "department"),
        DemoStaff("vanthu.so", "Đặng Thị Số", Role.CLERK, "department"),
    ]


DEMO_CITIZENS = [
    ApplicantData(
        full_name="Nguyễn Thị Lan",
        personal_id="022190001234",
        phone="0912345678",
        email="lan.nguyen@example.vn",
        address="Thôn Trung, xã demo",
    ),
    ApplicantData(
        full_name="Trần Văn Minh",
        personal_id="022088005678",
        phone="0987654321",
        email="minh.tran@example.vn",
        address="Tổ dân phố 3, phường demo",
    ),
]


def read_json(name: str) -> Any:
    return json.loads((DATA_DIR / name).read_text(encoding="utf-8"))


def demo_agencies() -> dict[str, Agency]:
    """The agencies the demo accounts work at: the province, its first commune, its justice department."""
    province = Agency.objects.filter(level="province").order_by("path").first()
    commune = Agency.objects.filter(level="commune").order_by("code").first()
    department = (
        Agency.objects.filter(level="department", name__icontains="Tư pháp").first()
        or Agency.objects.filter(level="department").order_by("code").first()
    )
    if province is None or commune is None or department is None:
        raise RuntimeError("demo agencies are missing")
    return {"province": province, "commune": commune, "department": department}


@transaction.atomic
def load_demo_province() -> dict[str, Any]:
    agencies = read_json("agencies.json")
    agency_report = agency_import(actor=None, rows=list(enumerate(agencies, start=1)))
    catalog_report = catalog_import(actor=None, document=read_json("catalog.json"))
    # Document types with how long a digitized copy stays usable (documents.services.validity_months).
    types_report = document_types_import(actor=None, rows=read_json("document_types.json"))
    places = demo_agencies()
    staff_created = 0
    for member in demo_staff():
        user = User.objects.filter(username=member.username).first()
        if user is None:
            user = staff_create(
                actor=None,
                username=member.username,
                full_name=member.full_name,
                email=f"{member.username}@demo.motcua.local",
                password=DEMO_PASSWORD,
                is_superuser=member.role == Role.ADMINISTRATOR,
            )
            staff_created += 1
        demo_authenticator(user)
        agency = places[member.agency]
        if not RoleGrant.objects.filter(user=user, role=member.role, agency=agency).exists():
            role_grant(
                actor=None, user=user, role=member.role, agency=agency, include_subagencies=member.include_subagencies
            )
    certificates = demo_leader_certificates(places)
    demo_desk_certificates(places)
    demo_digitization_fee()
    # Return by post: 30,000 VND and 2 more working days anywhere in the province (integrations).
    postal_tariff_set(actor=None, agency=None, fee=30_000, extra_working_days=2)
    certification_processes_ensure()  # the e-copy procedure: desk, certifier, clerk, desk
    # The scorecard and the yearly targets come with the migrations; seeding again is harmless and
    # restores them where a test run flushed the tables.
    seed_report_defaults(ScoreGroup, ScoreItem, Target)
    seed_criteria(Criterion)  # the rating criteria (issue 17), like the scorecard: data a flush removes
    citizens_created = 0
    desk = User.objects.get(username=next(m.username for m in demo_staff() if m.role == Role.DESK_OFFICER))
    for citizen in DEMO_CITIZENS:
        if not User.objects.filter(username=citizen.personal_id).exists():
            account = applicant_register(data=citizen, kind=AccountKind.CITIZEN, password=DEMO_PASSWORD)
            # The demo citizens have shown their cards at the desk: verified, as walk-in accounts are.
            applicant_verify(actor=desk, user=account, card_number=citizen.personal_id)
            citizens_created += 1
    voice_feedback.load(places)  # issue 17: feedback across the communes, some answered and published
    voice_guidance.load(places)
    voice_queue.load(places)
    return {
        "agencies_created": agency_report.created,
        "procedures_created": catalog_report.created,
        "document_types_created": types_report.created,
        "staff_created": staff_created,
        "citizens_created": citizens_created,
        "certificates": certificates,
        "places": places,
    }


def demo_authenticator(user: User) -> TOTPDevice:
    """The demo staff account's authenticator, on the published demo secret (idempotent)."""
    key = base64.b32decode(DEMO_TOTP_SECRET).hex()
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        return TOTPDevice.objects.create(user=user, name="demo", key=key, confirmed=True)
    if device.key != key:
        device.key = key
        device.save(update_fields=["key"])
    return device


def demo_totp_code() -> tuple[str, int]:
    """The code an authenticator shows now for the demo secret, and the seconds it stays valid."""
    now = time.time()
    code = hotp(base64.b32decode(DEMO_TOTP_SECRET), int(now // 30))
    return f"{code:06d}", 30 - int(now % 30)


def demo_leader_certificates(places: dict[str, Any]) -> int:
    """Every demo leader gets a certificate of the local demo authority, so that results are signed
    (production plugs in a real signing provider instead). Idempotent; returns how many exist."""
    directory = signing_dir()
    leaders = [m for m in demo_staff() if m.role == Role.UNIT_LEADER]
    for member in leaders:
        demo_certificate_issue(
            directory, username=member.username, full_name=member.full_name, organisation=places[member.agency].name
        )
    # The agencies whose leaders sign results issue them: each gets its own seal certificate.
    for key in sorted({member.agency for member in leaders}):
        demo_agency_certificate_issue(directory, agency_code=places[key].code, agency_name=places[key].name)
    return len(leaders)


def demo_desk_certificates(places: dict[str, Any]) -> int:
    """Every demo desk officer gets a certificate of the local demo authority: the paper they scan is
    signed in their name when it lands in the owner's data store (documents.services). Idempotent."""
    directory = signing_dir()
    officers = [m for m in demo_staff() if m.role == Role.DESK_OFFICER]
    for member in officers:
        demo_certificate_issue(
            directory, username=member.username, full_name=member.full_name, organisation=places[member.agency].name
        )
    return len(officers)


# The demo's digitization fee, for every agency without its own (administrators change it in the admin).
DEMO_DIGITIZATION_FEE = {"name": "Phí số hóa", "amount_per_page": 2000, "legal_basis": "Mức thu minh họa (dữ liệu mẫu)"}


def demo_digitization_fee() -> DigitizationFee:
    fee = DigitizationFee.objects.filter(agency__isnull=True, is_active=True).first()
    return fee or DigitizationFee.objects.create(agency=None, **DEMO_DIGITIZATION_FEE)


def demo_logins() -> list[tuple[str, str, str]]:
    """(role, login, where) for the README and the start-up banner."""
    places = demo_agencies()
    rows = [(str(Role(m.role).label), m.username, places[m.agency].name) for m in demo_staff()]
    rows += [(str(AccountKind.CITIZEN.label), c.personal_id, c.full_name) for c in DEMO_CITIZENS]
    return rows
