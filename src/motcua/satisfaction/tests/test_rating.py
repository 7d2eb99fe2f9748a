"""Rating a dossier (issue 17, item 2): online from the signed link, at the desk on the tablet; one rating
per dossier, counted once in the day's statistics; refusals change nothing."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from motcua.core.exceptions import PermissionDenied
from motcua.core.models import AuditEntry
from motcua.core.site import rating_token
from motcua.dossiers.models import Dossier
from motcua.satisfaction.constants import Level, RatingChannel
from motcua.satisfaction.exceptions import AlreadyRated, NotRateable
from motcua.satisfaction.models import Rating, SatisfactionDayStat
from motcua.satisfaction.services import rating_record
from motcua.satisfaction.tests.walk import result_ready, returned
from motcua.workflow.services import dossier_submit_online
from tests.intake import birth_application
from tests.processing import process_staff


@pytest.fixture
def staff(province, settings, tmp_path) -> dict[str, Any]:
    return process_staff(province, settings, tmp_path)


@pytest.fixture
def ready(people, staff, monday_morning) -> Dossier:
    return result_ready(people, staff)


def state() -> tuple[Any, ...]:
    """Everything a rating writes: its row, the day counts, the audit trail."""
    return (
        list(Rating.objects.order_by("id").values()),
        list(SatisfactionDayStat.objects.order_by("id").values()),
        AuditEntry.objects.filter(action="satisfaction.rate").count(),
    )


def rate_url(code: str) -> str:
    return reverse("portal:rate", kwargs={"token": rating_token(code)})


def test_the_citizen_rates_from_the_link_without_logging_in(ready, people, monday_morning) -> None:
    client = Client()
    page = client.get(rate_url(ready.code))
    assert page.status_code == 200
    body = page.content.decode()
    assert ready.code in body and "Thủ tục đăng ký khai sinh" in body
    assert "Rất hài lòng" in body and "Không hài lòng" in body
    assert "0912345678" not in body and people["citizen"].full_name not in body  # nothing personal

    response = client.post(
        rate_url(ready.code),
        {"level": "satisfied", "c_attitude": "very_satisfied", "c_time": "satisfied", "comment": "  Nhanh.  "},
    )

    assert response.status_code == 302
    assert response["Location"] == f"{rate_url(ready.code)}?cam-on=1"
    assert 'id="rating-thanks"' in client.get(response["Location"]).content.decode()
    rating = Rating.objects.get()
    assert (rating.dossier_id, rating.level, rating.scores, rating.comment, rating.channel) == (
        ready.pk,
        Level.SATISFIED,
        {"attitude": "very_satisfied", "time": "satisfied"},
        "Nhanh.",
        RatingChannel.ONLINE,
    )
    assert (rating.agency_id, rating.desk_id, rating.officer_id, rating.recorded_by_id) == (
        ready.competent_agency_id,
        ready.desk_id,
        people["desk"].pk,
        None,
    )
    stats = list(
        SatisfactionDayStat.objects.values_list("agency_id", "day", "very_satisfied", "satisfied", "not_satisfied")
    )
    assert stats == [(ready.competent_agency_id, date(2026, 3, 9), 0, 1, 0)]  # Monday, the local day
    assert AuditEntry.objects.filter(action="satisfaction.rate", object_id=str(rating.pk)).count() == 1


def test_a_second_rating_is_refused_and_changes_nothing(ready, people) -> None:
    rating_record(
        dossier=ready, level=Level.VERY_SATISFIED, channel=RatingChannel.ONLINE, token=rating_token(ready.code)
    )
    before = state()
    client = Client()

    again = client.post(rate_url(ready.code), {"level": "not_satisfied", "comment": "Lần hai"})
    page = client.get(rate_url(ready.code))
    with pytest.raises(AlreadyRated):
        rating_record(dossier=ready, level=Level.NOT_SATISFIED, channel=RatingChannel.ONLINE, actor=people["citizen"])

    assert (again.status_code, page.status_code) == (200, 200)  # the page says so; nothing was recorded
    assert 'id="rating-already"' in again.content.decode()
    assert (
        'id="rating-already"' in page.content.decode() and "<form" not in page.content.decode().split('id="rating"')[1]
    )
    assert state() == before
    assert SatisfactionDayStat.objects.get().very_satisfied == 1


def test_a_token_for_another_dossier_or_forged_is_refused(ready, people) -> None:
    other = dossier_submit_online(actor=people["citizen"], application=birth_application())
    before = state()

    with pytest.raises(PermissionDenied):
        rating_record(
            dossier=ready, level=Level.SATISFIED, channel=RatingChannel.ONLINE, token=rating_token(other.code)
        )
    forged = rating_token(ready.code)[:-2] + "xx"
    unsigned = f"{ready.code}:abc"
    got = [Client().get(reverse("portal:rate", kwargs={"token": t})).status_code for t in (forged, unsigned, "x")]
    posted = Client().post(reverse("portal:rate", kwargs={"token": forged}), {"level": "satisfied"}).status_code

    assert (got, posted) == ([404, 404, 404], 404)
    assert state() == before


def test_a_dossier_without_its_result_cannot_be_rated(people, monday_morning) -> None:
    dossier = dossier_submit_online(actor=people["citizen"], application=birth_application())
    before = state()

    page = Client().get(rate_url(dossier.code))
    posted = Client().post(rate_url(dossier.code), {"level": "satisfied"})
    with pytest.raises(NotRateable):
        rating_record(
            dossier=dossier, level=Level.SATISFIED, channel=RatingChannel.ONLINE, token=rating_token(dossier.code)
        )

    assert (page.status_code, posted.status_code) == (200, 200)
    assert 'id="rating-not-ready"' in page.content.decode() and 'id="rating-not-ready"' in posted.content.decode()
    assert state() == before


def test_bad_input_shows_a_clear_message_and_changes_nothing(ready) -> None:
    before = state()
    client = Client()
    for data in (
        {},
        {"level": "tuyet-voi"},
        {"level": "satisfied", "c_attitude": "x"},
        {"level": "satisfied", "comment": "a" * 2001},
    ):
        response = client.post(rate_url(ready.code), data)
        assert response.status_code == 400, data
        assert 'class="error-summary"' in response.content.decode()
    assert "Hãy chọn một trong ba mức" in client.post(rate_url(ready.code), {}).content.decode()
    assert state() == before


def test_the_signed_in_applicant_finds_the_link_on_their_dossier_page(ready, people) -> None:
    client = Client()
    client.force_login(people["citizen"])
    page = client.get(reverse("portal:my-dossier", kwargs={"code": ready.code})).content.decode()
    assert f'href="{rate_url(ready.code)}"' in page

    rating_record(dossier=ready, level=Level.SATISFIED, channel=RatingChannel.ONLINE, actor=people["citizen"])
    after = client.get(reverse("portal:my-dossier", kwargs={"code": ready.code})).content.decode()
    assert 'id="rating-link"' not in after


def test_the_desk_tablet_records_a_desk_rating_and_thanks(people, staff, monday_morning) -> None:
    dossier = returned(people, staff)
    officer = Client()
    officer.force_login(people["desk"])
    dossier_page = officer.get(reverse("backoffice:dossier", kwargs={"code": dossier.code})).content.decode()
    tablet_url = reverse("backoffice:rating-desk", kwargs={"code": dossier.code})
    assert f'href="{tablet_url}"' in dossier_page

    page = officer.get(tablet_url)
    tapped = officer.post(tablet_url, {"level": "very_satisfied", "c_clarity": "satisfied"})
    thanks = officer.get(tapped["Location"]).content.decode()

    assert page.status_code == 200 and 'id="tablet-very_satisfied"' in page.content.decode()
    assert tapped["Location"] == f"{tablet_url}?cam-on=1"
    assert 'id="tablet-thanks"' in thanks
    assert f'content="6;url={reverse("backoffice:rating-desk-waiting")}"' in thanks
    rating = Rating.objects.get()
    assert (rating.level, rating.scores, rating.channel, rating.recorded_by_id, rating.officer_id) == (
        Level.VERY_SATISFIED,
        {"clarity": "satisfied"},
        RatingChannel.DESK,
        people["desk"].pk,
        people["desk"].pk,
    )
    waiting = officer.get(reverse("backoffice:rating-desk-waiting"))
    assert waiting.status_code == 200 and 'id="tablet-waiting"' in waiting.content.decode()
    assert (
        'id="rating-desk-link"'
        not in officer.get(reverse("backoffice:dossier", kwargs={"code": dossier.code})).content.decode()
    )


def test_the_tablet_is_refused_to_a_desk_officer_of_another_agency(people, staff, monday_morning) -> None:
    dossier = returned(people, staff)
    before = state()
    other = Client()
    other.force_login(people["other_desk"])
    url = reverse("backoffice:rating-desk", kwargs={"code": dossier.code})
    assert (other.get(url).status_code, other.post(url, {"level": "satisfied"}).status_code) == (404, 404)
    with pytest.raises(PermissionDenied):
        rating_record(dossier=dossier, level=Level.SATISFIED, channel=RatingChannel.DESK, actor=people["other_desk"])
    assert state() == before


def test_the_day_counts_equal_the_ratings(people, staff, monday_morning) -> None:
    levels = [Level.VERY_SATISFIED, Level.SATISFIED, Level.NOT_SATISFIED, Level.SATISFIED]
    for index, level in enumerate(levels):
        dossier = result_ready(people, staff)
        monday_morning.shift(timedelta(hours=8 * (index % 2)))  # 09:00 then 17:00 local: two days' ratings
        rating_record(dossier=dossier, level=level, channel=RatingChannel.ONLINE, token=rating_token(dossier.code))

    by_day: dict[Any, dict[str, int]] = {}
    for rating in Rating.objects.all():
        counts = by_day.setdefault(timezone.localdate(rating.rated_at), dict.fromkeys(Level.values, 0))
        counts[rating.level] += 1
    stats = {
        row.day: {"very_satisfied": row.very_satisfied, "satisfied": row.satisfied, "not_satisfied": row.not_satisfied}
        for row in SatisfactionDayStat.objects.all()
    }
    assert stats == by_day
    assert sum(sum(c.values()) for c in stats.values()) == 4
