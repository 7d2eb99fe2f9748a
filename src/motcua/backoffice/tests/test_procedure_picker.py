"""The desk's procedure picker (issue 12): search without diacritics, only what the desk receives."""

from __future__ import annotations

from django.urls import reverse

from motcua.dossiers.queues import desk_procedures
from tests.factories import row_counts


def picker_url(people, who="citizen") -> str:
    return reverse("backoffice:walk-in-dossier", kwargs={"applicant_id": people[who].pk})


def test_the_choice_lists_what_the_desk_receives_name_first(client, people) -> None:
    client.force_login(people["other_desk"])  # Xã Bình offers only the birth registration
    response = client.get(picker_url(people))
    assert response.status_code == 200
    assert response.context["choice"].fields["procedure"].choices == [
        ("", "—"),
        ("1.001193", "Thủ tục đăng ký khai sinh (1.001193)"),
    ]
    assert response.context["results"] is None  # nothing searched yet
    # A procedure of another agency is refused by the choice (the desk sees the wider list on request).
    before = row_counts()
    assert client.get(picker_url(people), {"procedure": "2.000815"}).status_code == 400
    assert row_counts() == before
    everywhere = client.get(picker_url(people), {"all": "1"})
    assert [c for c, _ in everywhere.context["choice"].fields["procedure"].choices] == [
        "",
        "2.000815",
        "1.001193",  # ordered by name without the leading "Thủ tục"
        "2.000528",
    ]
    assert client.get(picker_url(people), {"procedure": "2.000815", "all": "1"}).context["procedure"].code == "2.000815"


def test_the_search_ignores_diacritics_and_lists_links_without_javascript(client, people) -> None:
    client.force_login(people["desk"])
    response = client.get(picker_url(people), {"q": "chung thuc ban sao"})
    assert response.status_code == 200
    assert response.context["results"] == [("2.000815", "Chứng thực bản sao từ bản chính giấy tờ, văn bản")]
    page = response.content.decode()
    assert (
        '<li><a href="?procedure=2.000815">Chứng thực bản sao từ bản chính giấy tờ, văn bản</a> '
        '<span class="code">2.000815</span></li>'
    ) in page
    assert "procedure_picker.js" in page  # the enhancement that refreshes the list while typing
    assert "field-error" not in page  # searching is not a failed choice


def test_the_search_stays_within_the_desks_procedures(client, people) -> None:
    client.force_login(people["other_desk"])
    response = client.get(picker_url(people), {"q": "khai sinh"})
    assert response.context["results"] == [("1.001193", "Thủ tục đăng ký khai sinh")]
    nothing = client.get(picker_url(people), {"q": "chứng thực"})
    assert nothing.context["results"] == []
    assert "Không có thủ tục nào mà bộ phận của bạn tiếp nhận khớp với “chứng thực”." in nothing.content.decode()
    wider = client.get(picker_url(people), {"q": "khai sinh", "all": "1"})
    assert [code for code, _ in wider.context["results"]] == ["1.001193", "2.000528"]


def test_desk_procedures_is_empty_for_staff_without_a_desk_role(people) -> None:
    assert list(desk_procedures(people["specialist"])) == []
    assert [p.code for p in desk_procedures(people["desk"], query="khai sinh")] == ["1.001193", "2.000528"]
