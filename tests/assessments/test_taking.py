"""Taking a self-assessment: the list, an instrument's page, starting, answering section by
section, saving a draft, resuming it and submitting."""

import re

import pytest
from django.contrib.messages import get_messages
from django.test import Client, RequestFactory
from django.urls import reverse

from assessments import services
from assessments.models import Answer, DimensionScore, Instrument, Response
from tests.factories import UserFactory

from .factories import answers, forty_item_instrument, keys_of, small_instrument, submit

pytestmark = pytest.mark.django_db

INDEX = "/assessments/"


def page_url(response, section) -> str:
    return reverse("assessments:question_page", kwargs={"pk": response.pk, "section": section})


def result_url(response) -> str:
    return reverse("assessments:result", kwargs={"pk": response.pk})


def text_of(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def said(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def field(key: str) -> str:
    return f"item-{key}"


def posted(values: dict[str, int | str], action: str = "next") -> dict[str, str]:
    return {**{field(key): str(value) for key, value in values.items()}, "action": action}


def stored(response) -> dict[str, int]:
    return dict(Answer.objects.filter(response=response).values_list("item_key", "value"))


@pytest.fixture
def signed_in(client, learner) -> Client:
    client.force_login(learner)
    return client


@pytest.fixture
def draft(learner, instrument) -> Response:
    return services.response_start(learner=learner, instrument=instrument)


# The list --------------------------------------------------------------------------------


def test_anyone_can_see_the_live_instruments(client, instrument, team_instrument):
    small_instrument(slug="unpublished", title="Not yet ready", publish=False)

    response = client.get(INDEX)

    assert response.status_code == 200
    page = text_of(response)
    assert "Team check" in page
    assert "A short check called Team check." in page
    assert "About 5 minutes" in page
    assert "Team safety" in page
    assert ">Team</strong>" in page
    assert "Not yet ready" not in page
    assert "/accounts/login/?next=%2Fassessments%2F" in page
    assert "Continue" not in page


def test_a_learner_sees_what_they_can_continue_and_their_results(signed_in, learner, instrument):
    finished = small_instrument(slug="finished", title="Finished check")
    submitted = submit(learner, finished)
    services.response_start(learner=learner, instrument=instrument)
    submit(UserFactory(), small_instrument(slug="theirs", title="Their check"))

    page = text_of(signed_in.get(INDEX))

    assert page.count(">Continue<") == 1
    assert 'Continue<span class="nhsuk-u-visually-hidden">: Team check' in page
    assert page.count(">Results<") == 1
    assert f'href="{result_url(submitted)}">Results' in page


def list_queries(client, django_assert_max_num_queries, bound):
    with django_assert_max_num_queries(bound):
        response = client.get(INDEX)
    assert response.status_code == 200


@pytest.mark.parametrize("count", [1, 12])
def test_the_list_costs_the_same_queries_for_1_or_12_instruments(
    signed_in, learner, count, django_assert_max_num_queries
):
    """No query per instrument for the Continue and Results hints: session, user, the
    annotated instruments, and the site, its settings and the header's checks."""
    for number in range(count):
        instrument = small_instrument(slug=f"check-{number}", title=f"Check {number}")
        if number % 2:
            submit(learner, instrument)
        services.response_start(learner=learner, instrument=instrument)
    signed_in.get(INDEX)  # warm the site root paths cache, as a running site has

    list_queries(signed_in, django_assert_max_num_queries, 7)


# An instrument's page --------------------------------------------------------------------


def test_unknown_and_unpublished_instruments_are_not_found(client, learner):
    small_instrument(slug="unpublished", publish=False)
    withdrawn = small_instrument(slug="withdrawn")
    withdrawn.unpublish()
    client.force_login(learner)

    for slug in ["no-such-thing", "unpublished", "withdrawn"]:
        assert client.get(f"/assessments/{slug}/").status_code == 404
        assert client.post(f"/assessments/{slug}/start/").status_code == 404
    assert not Response.objects.exists()


def test_visitors_see_the_introduction_and_a_sign_in_link(client, instrument):
    response = client.get(instrument.get_absolute_url())

    assert response.status_code == 200
    page = text_of(response)
    assert "<h1" in page and "Team check" in page
    assert "There are no right answers." in page
    assert "Questions</dt> <dd" in page and ">6</dd>" in page
    assert "About 5 minutes" in page
    assert "/accounts/login/?next=%2Fassessments%2Fteam-check%2F" in page
    assert "/start/" not in page


def test_a_learner_can_start(signed_in, instrument):
    page = text_of(signed_in.get(instrument.get_absolute_url()))

    assert 'action="/assessments/team-check/start/"' in page
    assert ">Start</button>" in page


def test_a_learner_with_a_draft_continues_at_the_first_unanswered_section(
    signed_in, draft, instrument
):
    services.answers_save(response=draft, answers=dict.fromkeys(keys_of(instrument)[:3], 2))

    page = text_of(signed_in.get(instrument.get_absolute_url()))

    assert "You have answered 3 of 6 questions." in page
    assert f'href="{page_url(draft, 2)}">Continue</a>' in page
    assert "/start/" not in page


def test_past_results_are_listed_with_links(signed_in, learner, instrument):
    first = submit(learner, instrument)
    second = submit(learner, instrument)
    theirs = submit(UserFactory(), instrument)

    page = text_of(signed_in.get(instrument.get_absolute_url()))

    assert "Your results" in page
    assert f'href="{result_url(first)}"' in page
    assert f'href="{result_url(second)}"' in page
    assert f'href="{result_url(theirs)}"' not in page
    assert ">Start again</button>" in page


def test_a_team_instrument_explains_teams_and_lists_the_learners_teams(
    signed_in, learner, other_learner, team_instrument
):
    mine = services.team_create(learner=learner, instrument=team_instrument, name="Ward 7")
    services.team_create(learner=other_learner, instrument=team_instrument, name="Not mine")

    page = text_of(signed_in.get(team_instrument.get_absolute_url()))

    assert "Answer it with your team" in page
    assert f'href="{reverse("assessments:team_create", args=["team-safety"])}"' in page
    assert f'href="{reverse("assessments:team_join")}"' in page
    assert f'href="{reverse("assessments:team", args=[mine.pk])}">Ward 7</a>' in page
    assert "Not mine" not in page
    assert "/start/" not in page


@pytest.mark.parametrize("attempts", [1, 8])
def test_the_instrument_page_costs_the_same_queries_for_1_or_8_results(
    signed_in, learner, instrument, attempts, django_assert_max_num_queries
):
    """Session, user, the instrument, the draft, its answers, the past results, and the
    site, its settings and the header's two permission checks: none per result."""
    for _ in range(attempts):
        submit(learner, instrument)
    services.response_start(learner=learner, instrument=instrument)
    signed_in.get(instrument.get_absolute_url())

    with django_assert_max_num_queries(10):
        assert signed_in.get(instrument.get_absolute_url()).status_code == 200


# Starting --------------------------------------------------------------------------------


def test_starting_needs_sign_in_and_a_post(client, instrument):
    response = client.post("/assessments/team-check/start/")

    assert response.status_code == 302
    assert response.url == "/accounts/login/?next=/assessments/team-check/"
    assert client.get("/assessments/team-check/start/").status_code == 405
    assert not Response.objects.exists()


def test_starting_opens_the_first_section_and_a_second_start_resumes(
    signed_in, learner, instrument
):
    response = signed_in.post("/assessments/team-check/start/")

    draft = Response.objects.get()
    assert draft.learner == learner
    assert response.url == page_url(draft, 1)

    services.answers_save(response=draft, answers=dict.fromkeys(keys_of(instrument)[:3], 1))
    again = signed_in.post("/assessments/team-check/start/")

    assert again.url == page_url(draft, 2)
    assert Response.objects.count() == 1


def test_a_team_instrument_is_not_started_here(signed_in, team_instrument):
    response = signed_in.post("/assessments/team-safety/start/")

    assert response.url == team_instrument.get_absolute_url()
    assert "answered in a team" in said(response)[0]
    assert not Response.objects.exists()


# The question page -----------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_sign_in(client, draft):
    for response in [client.get(page_url(draft, 1)), client.post(page_url(draft, 1))]:
        assert response.status_code == 302
        assert response.url.startswith("/accounts/login/?next=")
    assert not Answer.objects.exists()


def test_another_learners_response_is_not_found(client, other_learner, draft, instrument):
    client.force_login(other_learner)

    assert client.get(page_url(draft, 1)).status_code == 404
    posted_answers = posted(dict.fromkeys(keys_of(instrument)[:3], 2))
    assert client.post(page_url(draft, 1), posted_answers).status_code == 404
    assert client.post(page_url(draft, 2), {"action": "submit"}).status_code == 404
    assert not Answer.objects.exists()


def test_sections_out_of_range_are_not_found(signed_in, draft):
    assert signed_in.get(page_url(draft, 3)).status_code == 404
    assert signed_in.get(f"/assessments/responses/{draft.pk}/0/").status_code == 404
    assert signed_in.post(page_url(draft, 3), {"action": "submit"}).status_code == 404


def test_the_first_section_shows_its_questions_as_radios(signed_in, draft, instrument):
    response = signed_in.get(page_url(draft, 1))

    assert response.status_code == 200
    page = text_of(response)
    assert "How we get on</h1>" in page
    assert "Section 1 of 2" in page
    assert "You have answered 0 of 6 questions" in page
    first = keys_of(instrument)[0]
    assert (
        '<span class="nhsuk-u-visually-hidden">Question </span>1. '
        "We admit our mistakes to each other."
    ) in page
    assert f'id="{field(first)}" name="{field(first)}" type="radio" value="3"' in page
    assert f'id="{field(first)}-2" name="{field(first)}" type="radio" value="2"' in page
    assert 'for="item-' in page and ">Usually</label>" in page
    assert "Save and continue" in page
    assert "Save and come back later" in page
    assert ">Previous<" not in page
    assert "Submit your answers" not in page
    assert "checked" not in page


def test_the_last_section_offers_submit_and_previous(signed_in, draft):
    page = text_of(signed_in.get(page_url(draft, 2)))

    assert "Section 2 of 2" in page
    assert "Submit your answers" in page
    assert ">Previous<" in page
    assert "Save and continue" not in page


def test_save_and_continue_saves_and_goes_to_the_next_section(signed_in, draft, instrument):
    keys = keys_of(instrument)

    response = signed_in.post(page_url(draft, 1), posted({keys[0]: 3, keys[1]: 1}))

    assert response.status_code == 302
    assert response.url == page_url(draft, 2)
    assert stored(draft) == {keys[0]: 3, keys[1]: 1}  # one left unanswered: still a draft


def test_previous_saves_then_goes_back(signed_in, draft, instrument):
    keys = keys_of(instrument)

    response = signed_in.post(page_url(draft, 2), posted({keys[4]: 2}, "previous"))

    assert response.url == page_url(draft, 1)
    assert stored(draft) == {keys[4]: 2}


def test_save_and_come_back_later_then_resume(signed_in, draft, instrument):
    """Answers on page 1 saved, leave, come back: pre-filled, and Continue lands on page 2."""
    keys = keys_of(instrument)

    response = signed_in.post(page_url(draft, 1), posted(dict.fromkeys(keys[:3], 2), "later"))

    assert response.url == instrument.get_absolute_url()
    assert "Your answers are saved" in said(response)[0]
    assert stored(draft) == dict.fromkeys(keys[:3], 2)

    page = text_of(signed_in.get(instrument.get_absolute_url()))
    assert f'href="{page_url(draft, 2)}">Continue</a>' in page
    first_page = text_of(signed_in.get(page_url(draft, 1)))
    for key in keys[:3]:
        assert (
            f'id="{field(key)}-2" name="{field(key)}" type="radio" value="2" checked' in first_page
        )
    assert first_page.count(" checked") == 3
    assert "You have answered 3 of 6 questions" in first_page


def test_submitting_every_answer_goes_to_the_result(signed_in, draft, instrument):
    keys = keys_of(instrument)
    services.answers_save(response=draft, answers=dict.fromkeys(keys[:3], 3))

    response = signed_in.post(page_url(draft, 2), posted(dict.fromkeys(keys[3:], 3), "submit"))

    assert response.status_code == 302
    assert response.url == result_url(draft)
    draft.refresh_from_db()
    assert draft.is_submitted
    assert draft.scores.count() == 2


def test_submitting_with_missing_answers_lists_each_and_loses_nothing(signed_in, draft, instrument):
    keys = keys_of(instrument)
    services.answers_save(response=draft, answers={keys[0]: 3})

    response = signed_in.post(page_url(draft, 2), posted({keys[3]: 1}, "submit"))

    assert response.status_code == 200
    assert response.wsgi_request.path == page_url(draft, 2)
    page = text_of(response)
    assert "There is a problem" in page
    start = page.index("nhsuk-error-summary__list")
    summary = page[start : page.index("</ul>", start)]
    links = re.findall(r'<a href="([^"]+)">([^<]+)</a>', summary)
    assert [text for _href, text in links] == [
        "Answer question 2: We argue about ideas, not people.",
        "Answer question 3: We hide our weaknesses from each other.",
        "Answer question 5: We ask each other for help.",
        "Answer question 6: We avoid difficult topics.",
    ]
    assert [href for href, _text in links] == [
        f"{page_url(draft, 1)}#{field(keys[1])}",
        f"{page_url(draft, 1)}#{field(keys[2])}",
        f"#{field(keys[4])}",
        f"#{field(keys[5])}",
    ]
    # The errors on this page sit by their questions, and the answer just given is kept.
    assert f'id="{field(keys[4])}-error"' in page
    assert f'aria-describedby="{field(keys[4])}-error"' in page
    assert f'id="{field(keys[3])}-3" name="{field(keys[3])}" type="radio" value="1" checked' in page
    assert "You have answered 2 of 6 questions" in page
    assert stored(draft) == {keys[0]: 3, keys[3]: 1}
    draft.refresh_from_db()
    assert not draft.is_submitted
    assert not DimensionScore.objects.exists()


def test_a_second_submit_goes_to_the_result_and_keeps_one_response(signed_in, draft, instrument):
    keys = keys_of(instrument)
    services.answers_save(response=draft, answers=dict.fromkeys(keys[:3], 3))
    done = posted(dict.fromkeys(keys[3:], 3), "submit")
    signed_in.post(page_url(draft, 2), done)

    again = signed_in.post(page_url(draft, 2), posted(dict.fromkeys(keys[3:], 1), "submit"))

    assert again.status_code == 302
    assert again.url == result_url(draft)
    assert "already submitted" in said(again)[-1]
    assert Response.objects.count() == 1
    assert set(stored(draft).values()) == {3}
    assert DimensionScore.objects.count() == 2
    assert signed_in.get(page_url(draft, 1)).url == result_url(draft)


@pytest.mark.parametrize("value", ["4", "0", "-1", "Usually", "3.0", ""])
def test_an_answer_off_the_scale_is_an_error_and_nothing_is_written(
    signed_in, draft, instrument, value
):
    keys = keys_of(instrument)
    data = {field(keys[0]): "3", field(keys[1]): value, "action": "next"}

    response = signed_in.post(page_url(draft, 1), data)

    if value == "":  # an empty answer is no answer: allowed in a draft
        assert response.status_code == 302
        assert stored(draft) == {keys[0]: 3}
        return
    assert response.status_code == 200
    page = text_of(response)
    assert "There is a problem" in page
    assert f'<a href="#{field(keys[1])}">Choose one of the answers offered.</a>' in page
    assert f'id="{field(keys[1])}-error"' in page
    assert not Answer.objects.exists()


def test_an_unknown_question_key_is_an_error_and_nothing_is_written(signed_in, draft, instrument):
    keys = keys_of(instrument)
    other = small_instrument(slug="other", title="Other")
    for stranger in [keys_of(other)[0], keys[4], "not-a-question"]:
        data = {field(keys[0]): "3", field(stranger): "3", "action": "submit"}

        response = signed_in.post(page_url(draft, 1), data)

        assert response.status_code == 200
        assert "questions that are not on this page" in text_of(response)
        assert not Answer.objects.exists()


def test_a_withdrawn_instrument_refuses_answers_and_writes_nothing(signed_in, draft, instrument):
    keys = keys_of(instrument)
    Instrument.objects.get(pk=instrument.pk).unpublish()

    assert signed_in.get(instrument.get_absolute_url()).status_code == 404
    response = signed_in.post(page_url(draft, 2), posted(dict.fromkeys(keys[3:], 3), "submit"))

    assert response.status_code == 302
    assert response.url == INDEX
    assert said(response) == ["This self-assessment is not available at the moment."]
    assert not Answer.objects.exists()
    draft.refresh_from_db()
    assert not draft.is_submitted
    assert signed_in.get(page_url(draft, 1)).url == INDEX


def test_a_team_draft_is_answered_on_the_same_pages(client, learner, team_instrument):
    team = services.team_create(learner=learner, instrument=team_instrument, name="Ward 7")
    draft = services.response_start(learner=learner, instrument=team_instrument, team=team)
    client.force_login(learner)

    response = client.post(page_url(draft, 1), posted(answers(team_instrument, 4), "submit"))

    assert response.url == result_url(draft)
    draft.refresh_from_db()
    assert draft.is_submitted and draft.team == team


# Query counts ----------------------------------------------------------------------------


def question_page_setup(learner, size):
    instrument = small_instrument() if size == 6 else forty_item_instrument(size)
    draft = services.response_start(learner=learner, instrument=instrument)
    keys = [question.key for question in instrument.questionnaire().sections[0].questions]
    services.answers_save(response=draft, answers={keys[0]: 1})
    return instrument, draft, keys


@pytest.mark.parametrize("size", [6, 40])
def test_the_question_page_takes_a_fixed_number_of_queries(
    signed_in, learner, size, django_assert_max_num_queries
):
    """Session, user, the response with its instrument, the saved answers, and the site,
    its settings and the header's checks: none per question."""
    _instrument, draft, keys = question_page_setup(learner, size)
    signed_in.get(page_url(draft, 1))

    with django_assert_max_num_queries(8):
        assert signed_in.get(page_url(draft, 1)).status_code == 200


@pytest.mark.parametrize("size", [6, 40])
def test_saving_a_page_takes_a_fixed_number_of_queries(
    signed_in, learner, size, django_assert_max_num_queries
):
    """Session, user, the response with its instrument, the saved answers, then in one
    transaction (savepoint and release) the response locked with its instrument, the
    answers' upsert and the draft's `updated_at`. The setup's save cached the
    questionnaire, as an earlier request would have."""
    _instrument, draft, keys = question_page_setup(learner, size)

    with django_assert_max_num_queries(9):
        response = signed_in.post(page_url(draft, 1), posted(dict.fromkeys(keys, 2)))

    assert response.status_code == 302
    assert len(stored(draft)) == len(keys)


@pytest.mark.parametrize("size", [6, 40])
def test_submitting_takes_a_fixed_number_of_queries(
    signed_in, learner, size, django_assert_max_num_queries
):
    instrument, draft, _keys = question_page_setup(learner, size)
    questionnaire = instrument.questionnaire()
    last = questionnaire.sections[-1]
    services.answers_save(
        response=draft,
        answers={
            question.key: 2
            for section in questionnaire.sections[:-1]
            for question in section.questions
        },
    )
    data = posted({question.key: 2 for question in last.questions}, "submit")

    # As saving, but the saved answers are read back under the lock, then the scores are
    # inserted and the response pinned, in place of the draft's `updated_at`.
    with django_assert_max_num_queries(11):
        response = signed_in.post(page_url(draft, last.number), data)

    assert response.url == result_url(draft)
    assert draft.answers.count() == size


@pytest.mark.parametrize("size", [6, 40])
def test_an_incomplete_submission_takes_a_fixed_number_of_queries(
    signed_in, learner, size, django_assert_max_num_queries
):
    """The error summary names every missing question without a query per question."""
    instrument, draft, _keys = question_page_setup(learner, size)
    last = instrument.questionnaire().sections[-1]
    data = posted({last.questions[0].key: 2}, "submit")
    signed_in.get(page_url(draft, last.number))  # warm the site root paths cache

    with django_assert_max_num_queries(15):
        response = signed_in.post(page_url(draft, last.number), data)

    assert response.status_code == 200
    page = text_of(response)
    start = page.index("nhsuk-error-summary__list")
    assert page[start : page.index("</ul>", start)].count("Answer question ") == size - 2


# The editor's preview --------------------------------------------------------------------


def test_the_preview_shows_every_question_without_a_form(learner, home_page):
    instrument = small_instrument()
    request = RequestFactory().get("/")
    request.user = learner

    response = instrument.serve_preview(request, instrument.default_preview_mode)
    response.render()

    page = text_of(response)
    assert "Preview: answers cannot be saved." in page
    assert "There are no right answers." in page
    assert "How we get on</h2>" in page and "How we decide</h2>" in page
    for number, question in enumerate(instrument.questionnaire().questions, start=1):
        assert f"{number}. {question.text}" in page
    assert page.count('type="radio"') == 6 * 3
    assert '<fieldset class="nhsuk-fieldset" disabled>' in page
    assert "<form" not in page.split('id="maincontent"')[1]
