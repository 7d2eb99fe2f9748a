"""A digitization history checked by hand, for the digitization indicators (issue 14 §6).

The birth registration's two documents (TKKS, GCS) may be taken from the data store; the catalog adds the
certified electronic copy procedure 2.009815 at commune A (H99.101), and the paper certification 2.000815
is offered by commune A and the department (H99.01). From Monday 2026-03-09 09:00, one hour apart, at
commune A (the competent agency of every dossier):

- a1 online (citizen): both documents uploaded; received (the store was empty); asked the department's
  opinion, answered; result issued: crossed agencies, electronically;
- a2 online (citizen): GCS taken from the store, TKKS uploaded again while the store held it; received;
  result issued (not crossed);
- a3 online (citizen): both documents taken from the store; received;
- a4 at commune A's desk (citizen): the originals seen, nothing scanned (not digitized), the store held
  both: asked again for both;
- a5 online (citizen 2, an empty store): both uploaded; received;
- a6 at commune B's desk (citizen 2) for commune A: GCS scanned, TKKS received as a paper copy kept in
  the dossier (not digitized); result issued: crossed agencies, the paper carried;
- c1 at commune A's desk: a paper certification (2.000815, no document), result issued;
- c2 at commune A's desk: a certified electronic copy (2.009815, the original scanned); the certifier's
  copy lands in the store (as S4's certification does), result issued;
- backfile: two earlier results digitized by commune A's desk officer on the Monday, one by the
  department's specialist, one by commune A's desk officer in February (outside March).

Then the clock moves to Wednesday 2026-03-11 10:00.
"""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta
from typing import Any

import time_machine

from motcua.catalog.constants import DocumentForm
from motcua.catalog.models import RequiredDocument
from motcua.catalog.services import catalog_import
from motcua.documents.models import DigitizedDocument, DocumentType
from motcua.documents.services import Backfile, backfile_digitize
from motcua.dossiers.models import Dossier
from motcua.identity.constants import Role
from motcua.signing import demo_agency_certificate_issue
from motcua.workflow.certification import certification_processes_ensure, dossier_certify, dossier_original_compare
from motcua.workflow.processing import (
    consultation_answer,
    dossier_approve,
    dossier_consult,
    dossier_forward,
    dossier_issue_result,
)
from motcua.workflow.services import Application, dossier_receive, dossier_receive_at_desk, dossier_submit_online
from motcua.workflow.version_parts import published_required_documents
from tests.certification import e_copy_entry
from tests.factories import CATALOG_FORMAT, make_citizen, make_staff
from tests.intake import HCM, birth_application, birth_documents, make_pdf, pdf
from tests.processing import process_staff

ECOPY = "2.009815"
PAPER_COPY = "2.000815"


def certification_catalog() -> dict[str, Any]:
    return {
        "format": CATALOG_FORMAT,
        "sectors": [{"code": "CHUNGTHUC", "name": "Chứng thực"}],
        "procedures": [
            {**e_copy_entry(), "agencies": ["H99.101"]},
            {
                "code": PAPER_COPY,
                "name": "Chứng thực bản sao từ bản chính giấy tờ, văn bản",
                "sector": "CHUNGTHUC",
                "levels": ["commune", "department"],
                "online_mode": "none",
                "processing_time": {"amount": "4", "unit": "working_hours"},
                "fees": [{"name": "Phí chứng thực", "amount": 2000, "note": "mỗi trang"}],
                "agencies": ["H99.101", "H99.01"],
            },
        ],
    }


def reusable_birth_documents() -> list[RequiredDocument]:
    """The birth registration's documents, marked as reusable (published versions are immutable: the
    rows are updated directly, as a catalog that allowed it from the start would have them)."""
    docs = birth_documents()
    RequiredDocument.objects.filter(pk__in=[d.pk for d in docs]).update(reusable=True)
    published_required_documents.cache_clear()
    return birth_documents()


def _stored(owner: str, type_code: str) -> str:
    """The code of the owner's first stored document of the type."""
    first = DigitizedDocument.objects.filter(store__owner_id_number=owner, type_code=type_code).order_by("pk").first()
    assert first is not None
    return first.code


def _process(people: dict[str, Any], staff: dict[str, Any], code: str, *, desk: Any) -> None:
    dossier_forward(actor=desk, code=code, assignee=people["specialist"])
    dossier_forward(actor=people["specialist"], code=code, assignee=staff["leader"])
    dossier_approve(actor=staff["leader"], code=code, assignee=staff["clerk"])
    dossier_issue_result(actor=staff["clerk"], code=code)


def _desk(people: dict[str, Any], *, applicant: Any, desk_code: str, application: Application, **kw: Any) -> Dossier:
    officer = people["desk"] if desk_code == "H99.101.MC" else people["other_desk"]
    return dossier_receive_at_desk(
        officer=officer, applicant=applicant, desk_code=desk_code, application=application, **kw
    )


def digitization_history(
    province: dict[str, Any], people: dict[str, Any], settings: Any, tmp_path: Any, clock: Any
) -> dict[str, Any]:
    """Build the history through the services (``clock``: the ``monday_morning`` traveller). Returns the
    province's agencies, plus ``dossiers`` (name → code), ``staff`` and ``citizen2``."""
    staff = process_staff(province, settings, tmp_path)
    catalog_import(actor=None, document=certification_catalog())
    certification_processes_ensure()
    demo_agency_certificate_issue(
        settings.MOTCUA_SIGNING_DIR, agency_code="H99.101", agency_name="Ủy ban nhân dân Xã An"
    )
    DocumentType.objects.create(code="GCS", name="Giấy chứng sinh", validity_months=None)
    tkks, gcs = reusable_birth_documents()
    desk, citizen, specialist = people["desk"], people["citizen"], people["specialist"]
    citizen2 = make_citizen(personal_id="001190005678")
    owner = citizen.personal_id
    codes: dict[str, str] = {}

    def hour() -> None:
        clock.shift(timedelta(hours=1))

    a1 = dossier_submit_online(actor=citizen, application=birth_application())
    dossier_receive(actor=desk, code=a1.code)
    dossier_forward(actor=desk, code=a1.code, assignee=specialist)
    dossier_consult(actor=specialist, code=a1.code, agency_codes=["H99.01"], question="Ý kiến?", hours=4)
    consultation_answer(actor=staff["dept_specialist"], code=a1.code, answer="Đồng ý")
    dossier_forward(actor=specialist, code=a1.code, assignee=staff["leader"])
    dossier_approve(actor=staff["leader"], code=a1.code, assignee=staff["clerk"])
    dossier_issue_result(actor=staff["clerk"], code=a1.code)
    codes["a1"] = a1.code
    hour()

    a2 = dossier_submit_online(
        actor=citizen,
        application=birth_application(
            uploads=[pdf(required_document_id=tkks.pk)], reused={gcs.pk: _stored(owner, "GCS")}
        ),
    )
    dossier_receive(actor=desk, code=a2.code)
    _process(people, staff, a2.code, desk=desk)
    codes["a2"] = a2.code
    hour()

    a3 = dossier_submit_online(
        actor=citizen,
        application=birth_application(
            uploads=[], reused={tkks.pk: _stored(owner, "TKKS"), gcs.pk: _stored(owner, "GCS")}
        ),
    )
    dossier_receive(actor=desk, code=a3.code)
    codes["a3"] = a3.code
    hour()

    a4 = _desk(
        people,
        applicant=citizen,
        desk_code="H99.101.MC",
        application=birth_application(uploads=[]),
        originals_seen=[tkks.pk, gcs.pk],
    )
    codes["a4"] = a4.code
    hour()

    a5 = dossier_submit_online(actor=citizen2, application=birth_application())
    dossier_receive(actor=desk, code=a5.code)
    codes["a5"] = a5.code
    hour()

    a6 = _desk(
        people,
        applicant=citizen2,
        desk_code="H99.102.MC",
        application=birth_application(uploads=[pdf("gcs.pdf", gcs.pk)]),
        originals_seen=[],
        papers={tkks.pk: DocumentForm.COPY},
    )
    _process(people, staff, a6.code, desk=people["other_desk"])
    codes["a6"] = a6.code
    hour()

    c1 = _desk(
        people,
        applicant=citizen2,
        desk_code="H99.101.MC",
        application=Application(procedure_code=PAPER_COPY, agency_code="H99.101"),
        originals_seen=[],
    )
    _process(people, staff, c1.code, desk=desk)
    codes["c1"] = c1.code
    hour()

    original = RequiredDocument.objects.get(version__procedure__code=ECOPY)
    c2 = _desk(
        people,
        applicant=citizen2,
        desk_code="H99.101.MC",
        application=Application(
            procedure_code=ECOPY,
            agency_code="H99.101",
            form_data={
                "ho_ten_nguoi_yeu_cau": citizen2.full_name or "Trần Thị Bình",
                "so_dinh_danh_nguoi_yeu_cau": citizen2.personal_id,
                "ten_giay_to": "Bằng tốt nghiệp trung học phổ thông",
                "so_ban": 1,
            },
            uploads=[pdf("ban-chinh.pdf", original.pk)],
        ),
        originals_seen=[],
    )
    # The certification flow (workflow.certification): compare, certify (the agency signs the copy, which
    # lands in the store), then the clerk issues it.
    dossier_original_compare(actor=desk, code=c2.code, assignee=staff["leader"])
    dossier_certify(actor=staff["leader"], code=c2.code, assignee=staff["clerk"])
    dossier_issue_result(actor=staff["clerk"], code=c2.code)
    codes["c2"] = c2.code

    backfile_officer = make_staff(Role.SPECIALIST, province["department"])
    _backfile(owner, desk, "KQ.H99.000901", at=datetime(2026, 3, 9, 14, 0, tzinfo=HCM))
    _backfile(owner, desk, "KQ.H99.000902", at=datetime(2026, 3, 9, 15, 0, tzinfo=HCM))
    _backfile(owner, backfile_officer, "KQ.H99.000903", at=datetime(2026, 3, 9, 16, 0, tzinfo=HCM))
    _backfile(owner, desk, "KQ.H99.000904", at=datetime(2026, 2, 27, 9, 0, tzinfo=HCM))  # February

    clock.move_to(datetime(2026, 3, 11, 10, 0, tzinfo=HCM))
    return {**province, "dossiers": codes, "staff": staff, "citizen2": citizen2}


def _backfile(owner: str, officer: Any, number: str, *, at: datetime) -> DigitizedDocument:
    """An earlier result digitized into the owner's store by ``officer`` at ``at`` (the backfile service)."""
    scan = make_pdf(f"giay khai sinh {number}")
    with time_machine.travel(at, tick=False):
        return backfile_digitize(
            actor=officer,
            paper=Backfile(
                owner_id_number=owner,
                owner_name="Công dân",
                owner_kind="person",
                result_number=number,
                type_code="GKS",
                name="Giấy khai sinh (bản giấy cũ)",
                issuer="UBND xã An",
                issued_on=date(2001, 5, 6),
                valid_until=None,
                file_name="giay-khai-sinh.pdf",
                stream=io.BytesIO(scan),
                size=len(scan),
            ),
        )
