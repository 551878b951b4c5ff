"""Pages sent to someone signed in are never stored by a cache: `private, no-store`.

Learner pages (a lesson with answers, profile, journal, results, My learning) are checked
here, a programme lead's cohort pages in tests/cohorts/test_private_responses.py; a
public page for an anonymous visitor is not forced private.
"""

import pytest
from django.urls import reverse

from tests.assessments.factories import small_instrument, submit
from tests.modules.conftest import block_of, build_module


def assert_private(response, where: str) -> None:
    directives = {part.strip() for part in response.get("Cache-Control", "").split(",")}
    assert response.status_code == 200, (where, response.status_code)
    assert {"private", "no-store"} <= directives, (where, response.get("Cache-Control"))
    assert "public" not in directives, where


@pytest.mark.django_db
def test_every_page_of_a_learners_own_data_is_private(client, home_page, learner):
    _programme, _module, (lesson, *_rest) = build_module(home_page)
    reflection = block_of(lesson, "reflection")
    result = submit(learner, small_instrument())
    client.force_login(learner)
    saved = client.post(
        f"/learn/lessons/{lesson.pk}/answer/{reflection.id}/",
        {f"{reflection.id}-text": "What I noticed about my team this week"},
    )
    assert saved.status_code == 302

    pages = {
        "lesson with an answer": lesson.url,
        "profile": reverse("accounts_profile"),
        "journal": reverse("modules:journal"),
        "results": reverse("assessments:history"),
        "one result": reverse("assessments:result", args=[result.pk]),
        "my learning": reverse("modules:my_learning"),
        "home page, signed in": "/",
    }
    for where, url in pages.items():
        assert_private(client.get(url), where)
    assert "What I noticed about my team" in client.get(lesson.url).content.decode()


@pytest.mark.django_db
def test_a_public_page_for_an_anonymous_visitor_is_not_forced_private(client, home_page):
    response = client.get("/")

    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
