"""A team join link expiring in the year 9999 raised OverflowError; now it is a field
error and no team is made."""

import pytest

from assessments.models import Team


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("day", "month", "year", "message"),
    [
        ("31", "12", "9999", "Enter a date between the years 1900 and 2100."),
        ("1", "1", "2101", "Enter a date between the years 1900 and 2100."),
        ("1", "1", "1", "Enter a date between the years 1900 and 2100."),
        ("1", "1", "0", "The date the join link expires must be a real date, like 27 3 2027."),
        ("1", "1", "9" * 20, "The date the join link expires must be a real date, like 27 3 2027."),
    ],
)
def test_a_far_off_expiry_is_refused_beside_the_date(
    client, learner, team_instrument, day, month, year, message
):
    client.force_login(learner)

    response = client.post(
        f"/assessments/{team_instrument.slug}/teams/new/",
        {"name": "Ward 7", "expires_day": day, "expires_month": month, "expires_year": year},
    )

    assert response.status_code == 200
    assert response.content.decode().count(message) == 2  # the summary and the field
    assert not Team.objects.exists()
