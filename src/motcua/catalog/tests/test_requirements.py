"""The pure rules of which documents a dossier needs: no database, objects built in memory."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from motcua.catalog.constants import Requirement
from motcua.catalog.exceptions import UnknownCase
from motcua.catalog.models import ProcedureCase, RequiredDocument
from motcua.catalog.requirements import DocumentRule, case_for, document_rules, missing_documents


def make_case(pk: int, code: str, selector: dict[str, Any] | None = None) -> ProcedureCase:
    return ProcedureCase(pk=pk, code=code, name=code.title(), position=pk, selector=selector or {})


def make_document(pk: int, name: str, *, cases: list[ProcedureCase] = (), **fields: Any) -> RequiredDocument:  # type: ignore[assignment]
    document = RequiredDocument(pk=pk, name=name, **fields)
    # What prefetch_related("cases") leaves on the object: reading it costs no query.
    cached = ProcedureCase.objects.all()
    cached._result_cache = list(cases)
    cached._prefetch_done = True
    document._prefetched_objects_cache = {"cases": cached}
    return document


IN_TIME = make_case(1, "dung-han")
LATE = make_case(2, "qua-han", {"field": "dang_ky_qua_han", "equals": True})
AUTHORISED = {"field": "submitted_by_authorised_person", "equals": True}

FORM = make_document(10, "Tờ khai")
BIRTH_PAPER = make_document(11, "Giấy chứng sinh")
LETTER = make_document(
    12,
    "Văn bản ủy quyền",
    requirement=Requirement.CONDITIONAL,
    condition_label="Trường hợp nộp hồ sơ thông qua người được ủy quyền",
    condition=AUTHORISED,
)
RESIDENCE = make_document(
    13, "Giấy tờ chứng minh nơi cư trú", requirement=Requirement.CONDITIONAL, condition_label="Trường hợp chưa có"
)
LATE_PROOF = make_document(14, "Giấy tờ chứng minh việc sinh", cases=[LATE])
PASSPORT = make_document(15, "Hộ chiếu", requirement=Requirement.ONE_OF, group="id")
ID_CARD = make_document(16, "Thẻ căn cước", requirement=Requirement.ONE_OF, group="id")
PHOTO = make_document(17, "Ảnh", requirement=Requirement.OPTIONAL)
ALL = [FORM, BIRTH_PAPER, LETTER, RESIDENCE, LATE_PROOF, PASSPORT, ID_CARD, PHOTO]


def summary(rules: list[DocumentRule]) -> list[tuple[int, bool, str, str]]:
    return [(r.document.pk, r.mandatory, r.condition_label, r.group) for r in rules]


def test_chosen_case_wins_over_the_answers() -> None:
    assert case_for([IN_TIME, LATE], chosen="dung-han", answers={"dang_ky_qua_han": True}) is IN_TIME


def test_the_answers_choose_the_case_when_none_is_chosen() -> None:
    assert case_for([IN_TIME, LATE], chosen="", answers={"dang_ky_qua_han": True}) is LATE


def test_the_first_case_when_nothing_chooses() -> None:
    assert case_for([IN_TIME, LATE], chosen="", answers={"dang_ky_qua_han": False}) is IN_TIME
    assert case_for([IN_TIME, LATE], chosen="", answers={}) is IN_TIME


def test_no_case_for_a_version_without_cases() -> None:
    assert case_for([], chosen="", answers={"dang_ky_qua_han": True}) is None


def test_an_unknown_chosen_case_is_refused() -> None:
    with pytest.raises(UnknownCase) as caught:
        case_for([IN_TIME, LATE], chosen="khac", answers={})
    assert (caught.value.code, caught.value.details) == ("unknown_case", {"case": ["khac"]})
    with pytest.raises(UnknownCase):
        case_for([], chosen="khac", answers={})


def test_mother_submitting_herself_needs_no_letter() -> None:
    rules = document_rules(ALL, case=IN_TIME, answers={"submitted_by_authorised_person": False}, conditions_met=set())
    assert summary(rules) == [
        (10, True, "", ""),
        (11, True, "", ""),
        (13, False, "Trường hợp chưa có", ""),
        (15, False, "", "id"),
        (16, False, "", "id"),
        (17, False, "", ""),
    ]
    assert missing_documents(rules, given={10, 11, 16}) == []


def test_an_authorised_person_must_bring_the_letter() -> None:
    rules = document_rules(ALL, case=IN_TIME, answers={"submitted_by_authorised_person": True}, conditions_met=set())
    assert (12, True, "Trường hợp nộp hồ sơ thông qua người được ủy quyền", "") in summary(rules)
    with translation.override("en"):
        assert missing_documents(rules, given={10, 11}) == ["Văn bản ủy quyền", "One of: Hộ chiếu; Thẻ căn cước"]


def test_unanswered_condition_is_shown_but_not_required() -> None:
    rules = document_rules([LETTER], case=None, answers={}, conditions_met=set())
    assert summary(rules) == [(12, False, "Trường hợp nộp hồ sơ thông qua người được ủy quyền", "")]


def test_a_ticked_label_only_condition_makes_the_document_mandatory() -> None:
    rules = document_rules(
        [RESIDENCE, LETTER], case=None, answers={"submitted_by_authorised_person": False}, conditions_met={13, 12}
    )
    assert summary(rules) == [
        (13, True, "Trường hợp chưa có", ""),
        (12, True, "Trường hợp nộp hồ sơ thông qua người được ủy quyền", ""),
    ]
    assert missing_documents(rules, given={13}) == ["Văn bản ủy quyền"]


def test_case_documents_apply_only_to_their_case() -> None:
    late = document_rules(ALL, case=LATE, answers={}, conditions_met=set())
    in_time = document_rules(ALL, case=IN_TIME, answers={}, conditions_met=set())
    assert [r.document.pk for r in late] == [10, 11, 12, 13, 14, 15, 16, 17]
    assert [r.document.pk for r in in_time] == [10, 11, 12, 13, 15, 16, 17]
    assert missing_documents(late, given={10, 11, 15}) == ["Giấy tờ chứng minh việc sinh"]


def test_vietnamese_group_entry() -> None:
    rules = document_rules([PASSPORT, ID_CARD], case=None, answers={}, conditions_met=set())
    with translation.override("vi"):
        assert missing_documents(rules, given=set()) == ["Một trong các giấy tờ sau: Hộ chiếu; Thẻ căn cước"]


@given(
    given_ids=st.sets(st.sampled_from([d.pk for d in ALL])),
    authorised=st.booleans(),
    ticked=st.sets(st.sampled_from([12, 13])),
    late=st.booleans(),
)
def test_missing_is_exactly_the_mandatory_not_given_plus_empty_groups(
    given_ids: set[int], authorised: bool, ticked: set[int], late: bool
) -> None:
    case = LATE if late else IN_TIME
    rules = document_rules(
        ALL, case=case, answers={"submitted_by_authorised_person": authorised}, conditions_met=ticked
    )
    expected = [name for pk, name in _mandatory(case, authorised, ticked) if pk not in given_ids]
    if not given_ids & {15, 16}:
        expected.append("One of: Hộ chiếu; Thẻ căn cước")
    with translation.override("en"):
        assert missing_documents(rules, given=given_ids) == expected
    # Giving every document that applies leaves nothing missing.
    assert missing_documents(rules, given={r.document.pk for r in rules}) == []


def _mandatory(case: ProcedureCase, authorised: bool, ticked: set[int]) -> list[tuple[int, str]]:
    out = [(10, "Tờ khai"), (11, "Giấy chứng sinh")]
    if authorised or 12 in ticked:
        out.append((12, "Văn bản ủy quyền"))
    if 13 in ticked:
        out.append((13, "Giấy tờ chứng minh nơi cư trú"))
    if case is LATE:
        out.append((14, "Giấy tờ chứng minh việc sinh"))
    return out
