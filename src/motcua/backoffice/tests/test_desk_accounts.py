"""Walk-in applicant search (issue 12): the number typed once is carried into the account form."""

from __future__ import annotations

import pytest
from django.urls import reverse

from motcua.backoffice.accounts import typed_identifier
from motcua.identity.models import User
from tests.factories import row_counts


@pytest.mark.parametrize(
    ("typed", "initial"),
    [
        (" 042190001234 ", {"kind": "citizen", "personal_id": "042190001234"}),
        ("0912 345 678", {"phone": "0912345678"}),
        ("+84912345678", {"phone": "+84912345678"}),
        ("0101234567", {"kind": "organisation", "tax_code": "0101234567"}),
        ("0101234567-001", {"kind": "organisation", "tax_code": "0101234567-001"}),
        ("Nguyễn", {}),
    ],
)
def test_the_typed_number_is_read_as_id_phone_or_enterprise_code(typed, initial) -> None:
    assert typed_identifier(typed)[0] == initial


def test_walk_in_search_without_result_prefills_the_account_form(client, people) -> None:
    client.force_login(people["desk"])
    before = row_counts()
    response = client.get(reverse("backoffice:walk-in"), {"q": "022196002222"})
    assert response.status_code == 200
    assert list(response.context["found"]) == []
    form = response.context["form"]
    assert (form["kind"].value(), form["personal_id"].value(), form["phone"].value()) == (
        "citizen",
        "022196002222",
        None,
    )
    page = response.content.decode()
    assert "Công dân chưa có tài khoản: mở tài khoản cho số định danh 022196002222." in page
    assert 'value="022196002222"' in page
    assert row_counts() == before  # a search writes nothing

    # The officer adds the name and phone only, and the account is opened for the number searched.
    response = client.post(
        f"{reverse('backoffice:walk-in')}?q=022196002222",
        {"kind": "citizen", "full_name": "Phạm Thị Hoa", "personal_id": "022196002222", "phone": "0909876543"},
    )
    assert response.status_code == 200
    assert User.objects.get(username="022196002222").full_name == "Phạm Thị Hoa"


def test_walk_in_search_by_phone_prefills_the_phone(client, people) -> None:
    client.force_login(people["desk"])
    response = client.get(reverse("backoffice:walk-in"), {"q": "0909 876 543"})
    assert response.context["form"]["phone"].value() == "0909876543"
    assert "mở tài khoản cho số điện thoại 0909876543." in response.content.decode()


def test_a_found_applicant_prefills_nothing(client, people) -> None:
    client.force_login(people["desk"])
    response = client.get(reverse("backoffice:walk-in"), {"q": "042190001234"})
    assert [p.pk for p in response.context["found"]] == [people["citizen"].pk]
    assert response.context["hint"] == ""
    assert response.context["form"]["personal_id"].value() is None


def test_the_applicants_page_links_to_a_prefilled_account_form(client, people) -> None:
    client.force_login(people["desk"])
    search = client.get(reverse("backoffice:applicants"), {"q": "022196002222"})
    create_url = f"{reverse('backoffice:applicant-create')}?q=022196002222"
    assert create_url in search.content.decode()
    form_page = client.get(create_url)
    assert form_page.context["form"]["personal_id"].value() == "022196002222"
    assert "Công dân chưa có tài khoản: mở tài khoản cho số định danh 022196002222." in form_page.content.decode()
