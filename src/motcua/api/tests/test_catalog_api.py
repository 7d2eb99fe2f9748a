import pytest
from rest_framework.test import APIClient


@pytest.fixture
def api() -> APIClient:
    return APIClient()


def test_search_without_diacritics_lists_birth_registration_first(api, catalog) -> None:
    response = api.get("/api/v1/procedures", {"search": "dang ky khai sinh"})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    assert [(p["code"], p["name"]) for p in body["results"]] == [
        ("1.001193", "Thủ tục đăng ký khai sinh"),
        ("2.000528", "Đăng ký khai sinh có yếu tố nước ngoài"),
    ]
    assert body["results"][0]["online_mode"] == "full"
    assert body["results"][0]["legacy_online_level"] == 4
    assert body["results"][0]["sector"] == {"code": "HOTICH", "name": "Hộ tịch"}


def test_procedure_detail_carries_documents_fees_and_version(api, catalog) -> None:
    body = api.get("/api/v1/procedures/1.001193").json()
    current = body["current"]
    assert body["agencies"] == ["H99.101", "H99.102"]
    assert current["number"] == 1
    assert current["processing_time"] == {"amount": "1.00", "unit": "working_days", "cutoff": "15:00"}
    assert [d["document_type_code"] for d in current["required_documents"]] == ["TKKS", "GCS"]
    assert current["fees"] == [{"name": "Lệ phí", "amount": 0, "note": "Miễn"}]
    assert current["form_schema"]["required"] == ["ho_ten_tre", "ngay_sinh"]


def test_unknown_procedure_is_problem_json(api, catalog) -> None:
    response = api.get("/api/v1/procedures/9.999999")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "not_found"


def test_bad_filter_is_a_validation_problem(api, catalog) -> None:
    response = api.get("/api/v1/procedures", {"online_mode": "level4"})
    assert response.status_code == 400
    body = response.json()
    assert (body["code"], body["status"], list(body["errors"])) == ("validation_failed", 400, ["online_mode"])


def test_unknown_api_path_is_problem_json(api, db) -> None:
    response = api.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_writes_are_not_allowed_on_read_endpoints(api, catalog) -> None:
    response = api.post("/api/v1/procedures", {}, format="json")
    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"


def test_agencies_list_filter_and_detail(api, province) -> None:
    communes = api.get("/api/v1/agencies", {"level": "commune"}).json()
    assert [a["code"] for a in communes["results"]] == ["H99.101", "H99.102"]
    assert communes["results"][0]["parent_code"] == "H99"
    detail = api.get("/api/v1/agencies/H99.101").json()
    assert detail["desks"] == [{"code": "H99.101.MC", "name": "Desk H99.101", "address": ""}]
    assert api.get("/api/v1/sectors").json()["count"] == 0


def test_pagination(api, catalog) -> None:
    body = api.get("/api/v1/procedures", {"page_size": 2}).json()
    assert (body["count"], len(body["results"]), body["next"] is not None) == (3, 2, True)
