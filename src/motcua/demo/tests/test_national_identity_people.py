from motcua.demo.province import DEMO_CITIZENS
from motcua.identity import fake_oidc


def test_the_fake_identity_provider_offers_the_demo_citizens_as_they_are() -> None:
    people = {p["personal_id"]: (p["name"], p["phone_number"], p["email"]) for p in fake_oidc.DEMO_PEOPLE}
    for citizen in DEMO_CITIZENS:
        assert people[citizen.personal_id] == (citizen.full_name, citizen.phone, citizen.email)
    assert len(people) == len(DEMO_CITIZENS) + 1  # and one person who has no account yet
