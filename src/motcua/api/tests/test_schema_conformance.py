"""Responses of every endpoint match openapi.yaml, errors included."""

import pytest
from rest_framework.test import APIClient

from tests.openapi import assert_matches_spec

CASES = [
    ("/api/v1/procedures?search=khai+sinh", "/api/v1/procedures"),
    ("/api/v1/procedures/1.001193", "/api/v1/procedures/{code}"),
    ("/api/v1/procedures/2.000815", "/api/v1/procedures/{code}"),
    ("/api/v1/procedures/9.999999", "/api/v1/procedures/{code}"),
    ("/api/v1/procedures?online_mode=x", "/api/v1/procedures"),
    ("/api/v1/agencies?level=commune", "/api/v1/agencies"),
    ("/api/v1/agencies/H99.101", "/api/v1/agencies/{code}"),
    ("/api/v1/agencies/H00", "/api/v1/agencies/{code}"),
    ("/api/v1/sectors", "/api/v1/sectors"),
    ("/api/v1/sectors/HOTICH", "/api/v1/sectors/{code}"),
]


@pytest.mark.parametrize(("url", "path"), CASES)
def test_response_matches_the_committed_schema(catalog, url, path) -> None:
    response = APIClient().get(url)
    assert response.status_code in {200, 400, 404}
    assert_matches_spec(response, path)
