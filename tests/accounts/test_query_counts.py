"""Pages a learner sees cost the same number of queries however many organisations exist."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import OrganisationFactory, UserFactory


def queries_for(client, url: str) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return [query["sql"] for query in captured.captured_queries]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "bound"), [("/", 6), ("/accounts/signup/", 3), ("/accounts/login/", 2)]
)
def test_public_pages_use_a_fixed_number_of_queries(client, home_page, url, bound):
    OrganisationFactory.create_batch(2)
    client.get(url)  # warm Wagtail's site and settings caches
    few = queries_for(client, url)

    OrganisationFactory.create_batch(40)
    many = queries_for(client, url)

    assert len(many) == len(few), "\n".join(many)
    assert len(few) <= bound, "\n".join(few)


@pytest.mark.django_db
def test_profile_page_uses_a_fixed_number_of_queries(client, home_page):
    learner = UserFactory()
    client.force_login(learner)
    OrganisationFactory.create_batch(2)
    client.get("/accounts/profile/")
    few = queries_for(client, "/accounts/profile/")

    OrganisationFactory.create_batch(40)
    UserFactory.create_batch(10, organisation=learner.organisation)
    many = queries_for(client, "/accounts/profile/")

    # Session, user, site, settings, two permission look-ups for the menu, organisations.
    assert len(many) == len(few) <= 7, "\n".join(many)
