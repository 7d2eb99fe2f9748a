"""The submission page refuses a NUL character with a Vietnamese field error, on every database."""

import pytest

from motcua.portal.tests.test_submit import URL, birth_post, state

pytestmark = pytest.mark.usefixtures("monday_morning")

NUL_MESSAGE = "Không được dùng ký tự NUL (mã 0)."


@pytest.fixture
def citizen_client(client, people):
    client.force_login(people["citizen"])
    return client


@pytest.mark.parametrize("field", ["eform-ho_ten_tre", "return_address"], ids=["e-form text", "return address"])
def test_a_nul_character_is_a_field_error_and_changes_nothing(citizen_client, field: str) -> None:
    before = state()
    post = birth_post(return_method="post", return_address="12 Lê Lợi")
    post[field] = "Nguyễn\x00An"
    response = citizen_client.post(URL, post)
    assert response.status_code == 400
    assert f'<p class="field-error" id="id_{field}-error">{NUL_MESSAGE}</p>' in response.content.decode()
    assert state() == before
