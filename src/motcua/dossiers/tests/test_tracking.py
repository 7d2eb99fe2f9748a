import pytest
from django.utils import timezone

from motcua.catalog.models import Procedure
from motcua.dossiers.constants import ApplicantType, Channel, NationalStatus, ReturnMethod, Status
from motcua.dossiers.models import Dossier
from motcua.dossiers.tracking import dossier_track, last_digits, masked_name

CODE = "H99.101-260309-0001"


@pytest.fixture
def dossier(province, catalog) -> Dossier:
    # A bare row is enough for the look-up rule (the workflow, a layer above, is tested on its own).
    procedure = Procedure.objects.get(code="1.001193")
    return Dossier.objects.create(
        code=CODE,
        procedure=procedure,
        procedure_version=procedure.current_version,
        receiving_agency=province["commune_a"],
        competent_agency=province["commune_a"],
        applicant_type=ApplicantType.CITIZEN,
        applicant_name="Nguyễn Thị Lan",
        applicant_id_number="042190001234",
        applicant_phone="0912345678",
        channel=Channel.ONLINE,
        return_method=ReturnMethod.ELECTRONIC,
        status=Status.SUBMITTED,
        national_status=NationalStatus.NEW,
        submitted_at=timezone.now(),
    )


def test_code_with_the_last_digits_of_the_phone_finds_the_dossier(dossier) -> None:
    assert dossier_track(CODE, "5678") == dossier


def test_code_with_the_last_digits_of_the_id_number_finds_the_dossier(dossier) -> None:
    assert dossier_track(CODE, "1234") == dossier


def test_code_typed_in_lower_case_or_with_spaces_still_matches(dossier) -> None:
    assert dossier_track(f"  {CODE.lower()} ", "5678") == dossier


def test_wrong_factor_finds_nothing(dossier) -> None:
    assert dossier_track(CODE, "0000") is None
    assert dossier_track(CODE, "5679") is None


def test_wrong_code_finds_nothing(dossier) -> None:
    assert dossier_track("H99.101-260309-0002", "5678") is None
    assert dossier_track("", "5678") is None
    assert dossier_track("x" * 500, "5678") is None


@pytest.mark.parametrize("factor", ["678", "45678", "", "56 8", "５６７８", "abcd", "5678\n"])
def test_factor_must_be_exactly_four_ascii_digits(dossier, factor) -> None:
    assert dossier_track(CODE, factor) is None


def test_an_applicant_without_phone_matches_only_by_id_number(dossier) -> None:
    Dossier.objects.filter(pk=dossier.pk).update(applicant_phone="")
    assert dossier_track(CODE, "1234") == dossier
    assert dossier_track(CODE, "5678") is None


def test_last_digits_ignore_separators_and_refuse_short_values() -> None:
    assert last_digits("+84 91 234.5678") == "5678"
    assert last_digits("123") == "----"
    assert last_digits("") == "----"


def test_masked_name_keeps_only_initials() -> None:
    assert masked_name("Nguyễn Thị Lan") == "N***** T** L**"
    assert masked_name("  Lê  Mai ") == "L* M**"
    assert masked_name("") == ""
