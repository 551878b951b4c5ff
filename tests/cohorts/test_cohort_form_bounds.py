"""The cohort form answers far-off dates and impossible ids beside the field, never with a
server error (they raised OverflowError)."""

import pytest
from django.urls import reverse

from cohorts.models import Cohort

from .factories import make_lead

DATE_MESSAGE = "Enter a date between the years 1900 and 2100."


@pytest.fixture
def lead_client(client, lead):
    client.force_login(lead)
    return client


def cohort_data(**overrides):
    data = {"name": "Northfield leaders 2026", "capacity": "40", "join_link_expires": ""}
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"join_link_expires": "9999-12-31"}, "join_link_expires", DATE_MESSAGE),
        ({"join_link_expires": "0001-01-01"}, "join_link_expires", DATE_MESSAGE),
        ({"join_link_expires": "0000-01-01"}, "join_link_expires", "Enter a valid date."),
        ({"start_date": "9999-12-31"}, "start_date", DATE_MESSAGE),
        ({"end_date": "0001-01-01"}, "end_date", DATE_MESSAGE),
        ({"programmes": ["9" * 20]}, "programmes", "Select a valid choice"),
        ({"programmes": ["-1"]}, "programmes", "Select a valid choice"),
        ({"modules": ["9" * 20]}, "modules", "Select a valid choice"),
        ({"co_leads": ["9" * 20]}, "co_leads", "Select a valid choice"),
        ({"co_leads": ["-1"]}, "co_leads", "Select a valid choice"),
        ({"capacity": "9" * 20}, "capacity", "less than or equal to"),
        ({"capacity": "-1"}, "capacity", "greater than or equal to"),
    ],
)
def test_out_of_range_input_is_refused_beside_the_field(lead_client, overrides, field, message):
    response = lead_client.post(reverse("cohort:add"), cohort_data(**overrides))

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert any(message in error for error in errors[field]), errors
    assert not Cohort.objects.exists()


def test_the_edit_form_refuses_a_twenty_digit_co_lead(client, lead, cohort):
    client.force_login(lead)

    response = client.post(
        reverse("cohort:edit", args=[cohort.pk]),
        cohort_data(name="Renamed", co_leads=["9" * 20, str(make_lead().pk)]),
    )

    assert response.status_code == 200
    assert "Select a valid choice" in str(response.context["form"].errors["co_leads"])
    cohort.refresh_from_db()
    assert cohort.name != "Renamed"
