"""A repeated submission with the same key (the page's form token, the API's Idempotency-Key) makes one
dossier for that account, and only for that account."""

from motcua.dossiers.models import Dossier, DossierDocument, DossierEvent
from motcua.workflow.services import dossier_submit_online, dossier_submitted_with, idempotency_scope
from tests.factories import make_citizen
from tests.intake import birth_application


def test_three_submissions_with_one_key_make_one_dossier(people, monday_morning) -> None:
    citizen = people["citizen"]
    dossiers = [
        dossier_submit_online(actor=citizen, application=birth_application(), idempotency_key="page-token-1")
        for _ in range(3)
    ]

    assert [d.code for d in dossiers] == ["H99.101-260309-0001"] * 3
    assert (Dossier.objects.count(), DossierDocument.objects.count(), DossierEvent.objects.count()) == (1, 2, 1)
    assert Dossier.objects.get().idempotency_key == f"{citizen.pk}:page-token-1"
    assert dossier_submitted_with(citizen, "page-token-1") == dossiers[0]


def test_a_key_is_scoped_to_its_account(people, monday_morning) -> None:
    first = dossier_submit_online(actor=people["citizen"], application=birth_application(), idempotency_key="k")
    other = make_citizen()
    second = dossier_submit_online(actor=other, application=birth_application(), idempotency_key="k")

    assert (first.code, second.code, second.applicant) == ("H99.101-260309-0001", "H99.101-260309-0002", other)
    assert dossier_submitted_with(other, "k") == second
    assert (idempotency_scope(other, "  "), idempotency_scope(other, None)) == (None, None)
    # Without a key every submission is its own dossier.
    dossier_submit_online(actor=other, application=birth_application())
    dossier_submit_online(actor=other, application=birth_application())
    assert Dossier.objects.count() == 4
