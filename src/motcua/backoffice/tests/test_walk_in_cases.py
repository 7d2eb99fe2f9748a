"""The walk-in form follows the case and records each paper in its real form (issue 12, item 2)."""

from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.backoffice.tests.test_intake_pages import walk_in_data, walk_in_url
from motcua.dossiers.models import Dossier
from motcua.workflow.tests.test_intake_cases import cases, state  # noqa: F401 - the fixture
from tests.intake import PDF


def test_the_desk_picks_the_case_and_records_the_papers(client, people, cases, monday_morning) -> None:  # noqa: F811
    client.force_login(people["desk"])
    page = client.get(walk_in_url(people["citizen"]), HTTP_ACCEPT_LANGUAGE="en")
    form = page.context["form"]
    assert [code for code, _name in form.fields["case"].choices] == ["dung-han", "qua-han", "nuoc-ngoai"]
    letter, certificate = cases["Văn bản ủy quyền"], cases["Giấy chứng sinh"]
    assert [code for code, _label in form.fields[f"paper_{letter.pk}"].choices] == [
        "",
        "original",
        "certified_copy",
        "copy",
    ]
    assert "This case applies to the applicant" in page.content.decode()

    data = walk_in_data(
        case="dung-han",
        **{
            "eform-submitted_by_authorised_person": "on",
            f"file_{cases['Tờ khai đăng ký khai sinh'].pk}": SimpleUploadedFile("to-khai.pdf", PDF),
            f"paper_{certificate.pk}": "original",
        },
    )
    before = state()
    refused = client.post(walk_in_url(people["citizen"]), data)
    assert (refused.status_code, refused.context["missing"]) == (400, ["Văn bản ủy quyền"])
    assert {k: v for k, v in state().items() if k not in ("files", "dossiers.StagedUpload")} == {
        k: v for k, v in before.items() if k not in ("files", "dossiers.StagedUpload")
    }

    token = refused.context["form_token"]
    response = client.post(
        walk_in_url(people["citizen"]),
        {
            **walk_in_data(**{k: v for k, v in data.items() if not k.startswith("file_")}),
            f"paper_{letter.pk}": "certified_copy",
            "form_token": token,
        },
    )
    dossier = Dossier.objects.get()
    assert response.status_code == 302
    assert (dossier.case_code, dossier.case_name) == ("dung-han", "Đăng ký khai sinh đúng hạn")
    assert list(dossier.documents.order_by("id").values_list("name", "form")) == [
        ("Tờ khai đăng ký khai sinh", "electronic"),
        ("Giấy chứng sinh", "original"),
        ("Văn bản ủy quyền", "certified_copy"),
    ]
    page = client.get(response["Location"]).content.decode()
    assert "Đã nhận bản giấy: Bản sao chứng thực" in page  # the letter, as a certified copy
    assert page.count("Đã đối chiếu bản chính tại Bộ phận Một cửa") == 1  # the birth certificate
