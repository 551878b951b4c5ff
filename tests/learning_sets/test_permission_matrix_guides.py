"""Every facilitator-guide URL, for every kind of visitor: the exact status.

The rule under test is `learning_sets/guide_access.py`: programme leads (of any cohort),
site admins, course editors and the facilitator of a set may read the guides and print
their worksheets. Anyone else signed in is told "not found" (404), and an anonymous
visitor is sent to sign in (302), for the index, every guide, every worksheet and every
address under them, whether a guide or worksheet of that name exists or not.
"""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from learning_sets.worksheets import WORKSHEETS

from .conftest_guides import MAY_READ, ROLES, guide_people, make_guide, make_index

TWENTY_DIGITS = "9" * 20


@pytest.fixture
def world(home_page):
    index = make_index(home_page)
    guide = make_guide(index)
    draft = make_guide(index, slug="story-circles", title="Story circles", live=False)
    return {"index": index, "guide": guide, "draft": draft, **guide_people()}


def urls(world) -> dict[str, str]:
    index_url = world["index"].url
    pages = {
        "index": index_url,
        "guide": world["guide"].url,
        "guessed guide": f"{index_url}no-such-guide/",
        "20-digit guide": f"{index_url}{TWENTY_DIGITS}/",
        "draft guide": f"{index_url}{world['draft'].slug}/",
        "guessed worksheet": reverse("learning_sets:worksheet", args=["no-such-sheet"]),
        "20-digit worksheet": reverse("learning_sets:worksheet", args=[TWENTY_DIGITS]),
    }
    for key in WORKSHEETS:
        pages[f"worksheet {key}"] = reverse("learning_sets:worksheet", args=[key])
    return pages


MISSING = {
    "guessed guide",
    "20-digit guide",
    "draft guide",
    "guessed worksheet",
    "20-digit worksheet",
}


def expected_status(role: str, page: str) -> int:
    if role == "anonymous":
        return 302
    if role not in MAY_READ:
        return 404
    return 404 if page in MISSING else 200


def test_the_roles_cover_everyone_the_issue_names():
    assert set(ROLES) >= {
        "anonymous",
        "learner not in the cohort",
        "cohort member not in a set",
        "set member",
        "member of another set",
        "facilitator",
        "lead",
        "lead of another cohort",
        "course editor",
        "site admin",
    }


@pytest.mark.parametrize("role", ROLES)
def test_every_guide_url_answers_each_role_exactly(client, world, role):
    user = world[role]
    if user is not None:
        client.force_login(user)

    for page, url in urls(world).items():
        response = client.get(url)

        assert response.status_code == expected_status(role, page), (role, page)
        if response.status_code == 302:
            location = urlsplit(response["Location"])
            assert location.path == reverse("account_login"), (role, page)
            assert parse_qs(location.query)["next"] == [url], (role, page)
        if response.status_code == 404:
            assert world["guide"].title not in response.content.decode(), (role, page)
        if response.status_code == 200 and page.startswith("worksheet"):
            assert response["Content-Type"] == "application/pdf"
        elif response.status_code == 200:
            assert world["guide"].title in response.content.decode(), (role, page)


@pytest.mark.parametrize("role", ["set member", "lead"])
def test_a_post_to_a_worksheet_changes_nothing_and_is_refused(client, world, role):
    client.force_login(world[role])
    url = reverse("learning_sets:worksheet", args=["learning-cycle-log"])

    assert client.post(url, {"key": "x"}).status_code == 405


def test_an_inactive_lead_may_not_read_guides(client, world):
    lead = world["lead"]
    lead.is_active = False
    lead.save(update_fields=["is_active"])
    from learning_sets.guide_access import can_read_guides

    assert not can_read_guides(lead)


def test_a_facilitator_stops_seeing_guides_when_the_role_moves_on(client, world):
    facilitator = world["facilitator"]
    facilitator.facilitated_sets.update(facilitator=None)
    client.force_login(facilitator)

    assert client.get(world["guide"].url).status_code == 404
