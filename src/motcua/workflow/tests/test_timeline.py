from datetime import datetime, timedelta

from django.utils import translation

from motcua.dossiers.models import Dossier
from motcua.workflow.services import (
    dossier_receive,
    dossier_request_supplement,
    dossier_submit_online,
    dossier_submit_supplement,
    dossier_withdraw,
)
from motcua.workflow.timeline import dossier_timeline, supplement_items
from tests.intake import HCM, birth_application, pdf


def test_timeline_labels_times_and_public_notes(people, monday_morning) -> None:
    code = dossier_submit_online(actor=people["citizen"], application=birth_application()).code
    dossier_receive(actor=people["desk"], code=code)
    monday_morning.shift(timedelta(hours=1))
    dossier_request_supplement(actor=people["desk"], code=code, missing=["Giấy chứng sinh"], note="Bổ sung bản chính")
    monday_morning.shift(timedelta(hours=1))
    dossier_submit_supplement(actor=people["citizen"], code=code, uploads=[pdf()], note="Nhà số 12")
    dossier_withdraw(actor=people["citizen"], code=code, reason="Không cần nữa")
    dossier = Dossier.objects.prefetch_related("events").get(code=code)

    with translation.override("en"):
        entries = dossier_timeline(dossier)
        everything = dossier_timeline(dossier, all_notes=True)

    assert [(e.at, e.action_label, e.status_label, e.note) for e in entries] == [
        (datetime(2026, 3, 9, 9, 0, tzinfo=HCM), "Submit", "Newly registered", ""),
        (datetime(2026, 3, 9, 9, 0, tzinfo=HCM), "Receive", "Accepted", ""),
        (
            datetime(2026, 3, 9, 10, 0, tzinfo=HCM),
            "Request a supplement",
            "Supplement of documents requested",
            "Bổ sung bản chính",
        ),
        (datetime(2026, 3, 9, 11, 0, tzinfo=HCM), "Submit the supplement", "Accepted", ""),
        (datetime(2026, 3, 9, 11, 0, tzinfo=HCM), "Withdraw", "Withdrawn at the citizen's request", "Không cần nữa"),
    ]
    assert [e.note for e in everything][3] == "Nhà số 12"
    assert supplement_items(dossier) == ["Giấy chứng sinh"]


def test_no_supplement_request_means_no_items(people, monday_morning) -> None:
    dossier = dossier_submit_online(actor=people["citizen"], application=birth_application())
    assert supplement_items(dossier) == []
