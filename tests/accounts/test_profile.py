"""A learner edits their own name, organisation and job role."""

import pytest

from accounts.models import Organisation
from tests.factories import OrganisationFactory

PROFILE_URL = "/accounts/profile/"


def profile_data(user, **overrides):
    data = {
        "first_name": user.first_name,
        "last_name": user.last_name,
        "organisation": user.organisation_id,
        "new_organisation_name": "",
        "new_organisation_type": "",
        "job_role": user.job_role,
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_profile_requires_sign_in(client, home_page):
    response = client.get(PROFILE_URL)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/accounts/profile/")


@pytest.mark.django_db
def test_profile_shows_current_details(client, home_page, learner):
    client.force_login(learner)

    response = client.get(PROFILE_URL)

    html = response.content.decode()
    assert response.status_code == 200
    assert f'value="{learner.first_name}"' in html
    assert f'<option value="{learner.organisation_id}" selected>' in html


@pytest.mark.django_db
def test_profile_update_changes_name_organisation_and_role(client, home_page, learner):
    other = OrganisationFactory(name="Greenway Homes")
    client.force_login(learner)

    response = client.post(
        PROFILE_URL,
        profile_data(learner, first_name="Rosa", organisation=other.pk, job_role="Tenancy officer"),
    )

    assert response.status_code == 302
    learner.refresh_from_db()
    assert (learner.first_name, learner.organisation, learner.job_role) == (
        "Rosa",
        other,
        "Tenancy officer",
    )


@pytest.mark.django_db
def test_profile_can_propose_a_new_organisation(client, home_page, learner):
    client.force_login(learner)

    client.post(
        PROFILE_URL,
        profile_data(
            learner,
            organisation="",
            new_organisation_name="Riverside Hospice",
            new_organisation_type=Organisation.Type.CHARITY,
        ),
    )

    learner.refresh_from_db()
    assert learner.organisation.name == "Riverside Hospice"
    assert learner.organisation.status == Organisation.Status.PENDING


@pytest.mark.django_db
@pytest.mark.parametrize(
    "overrides",
    [
        {"first_name": ""},
        {"job_role": "   "},
        {"organisation": ""},
        {"organisation": "not-a-number"},
        {"organisation": "987654"},
        {"organisation": "", "new_organisation_name": "???", "new_organisation_type": "charity"},
        {"job_role": "x" * 121},
    ],
)
def test_profile_bad_input_is_a_field_error_and_changes_nothing(
    client, home_page, learner, overrides
):
    client.force_login(learner)
    before = (learner.first_name, learner.organisation_id, learner.job_role)
    organisations_before = Organisation.objects.count()

    response = client.post(PROFILE_URL, profile_data(learner, **overrides))

    assert response.status_code == 200
    assert response.context["form"].errors
    assert "nhsuk-error-summary" in response.content.decode()
    learner.refresh_from_db()
    assert (learner.first_name, learner.organisation_id, learner.job_role) == before
    assert Organisation.objects.count() == organisations_before
