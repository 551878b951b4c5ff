"""What a learner sees after submitting: the result page, its PDF, sharing, and the history.

Results are read from the scores stored at submission and the words of the revision the
learner answered, so the pinning test edits and republishes the instrument and checks
that the old result still says what it said. The privacy tests guess another learner's
ids and check that nothing is shown and nothing changes.
"""

import copy
import datetime
import re
from html import unescape

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments import pdf, selectors, services
from assessments.models import Instrument, Response
from tests.factories import UserFactory

from .factories import (
    AGREEMENT,
    build_instrument,
    dimension,
    forty_item_instrument,
    small_instrument,
    submit,
)

UTC = datetime.UTC


def result_url(response) -> str:
    return reverse("assessments:result", kwargs={"pk": response.pk})


def pdf_url(response) -> str:
    return reverse("assessments:result_pdf", kwargs={"pk": response.pk})


def share_url(response) -> str:
    return reverse("assessments:result_share", kwargs={"pk": response.pk})


HISTORY_URL = "/assessments/results/"


def text_of(content: bytes) -> str:
    """The page's visible words, tags removed and spaces collapsed."""
    html = content.decode()
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.DOTALL)
    # The headings that responsive tables repeat in each cell for small screens.
    html = re.sub(r'<span class="nhsuk-table-responsive__heading"[^>]*>[^<]*</span>', " ", html)
    text = " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())
    return re.sub(r" ([.,:;)])", r"\1", text)


def strong_answers(index: int, key: str) -> int:
    """'Usually' to every question of `small_instrument`, 'Rarely' to the reverse-keyed
    ones (questions 3 and 6): 3 + 3 + 3 = 9 in both dimensions, the top band."""
    return 1 if index in (2, 5) else 3


def republish(instrument: Instrument, change) -> Instrument:
    """Edit the live instrument's dimensions (`change(raw_blocks)`) and publish a new
    revision, as an editor would; block ids stay as they were."""
    instrument = Instrument.objects.get(pk=instrument.pk)
    raw = copy.deepcopy(instrument.dimensions.get_prep_value())
    change(raw)
    instrument.dimensions = raw
    instrument.full_clean()
    instrument.save_revision().publish()
    return Instrument.objects.get(pk=instrument.pk)


@pytest.fixture
def signed_in(client, learner):
    client.force_login(learner)
    return client


@pytest.fixture
def paced():
    """`submit` that dates each submission a day after the last, from 2 March 2027 at
    10am UTC (10am in London), so that attempts have distinct, known dates."""
    days = iter(range(1, 1000))

    def submit_next(learner, instrument, value, **kwargs) -> Response:
        response = submit(learner, instrument, value, **kwargs)
        moment = datetime.datetime(2027, 3, 1, 10, tzinfo=UTC) + datetime.timedelta(days=next(days))
        Response.objects.filter(pk=response.pk).update(submitted_at=moment)
        response.submitted_at = moment
        return response

    return submit_next


# Signing in and privacy -----------------------------------------------------------------


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_sign_in(client, learner, instrument):
    response = submit(learner, instrument)
    for url in (result_url(response), pdf_url(response), HISTORY_URL):
        reply = client.get(url)
        assert reply.status_code == 302
        assert reply["Location"].startswith(reverse("account_login"))
        assert "next=" in reply["Location"]
    reply = client.post(share_url(response), {"shared": "on"})
    assert reply.status_code == 302
    assert reply["Location"].startswith(reverse("account_login"))
    response.refresh_from_db()
    assert response.shared_with_leads is False


@pytest.mark.django_db
def test_another_learners_result_is_not_found_by_guessing_its_id(
    signed_in, instrument, other_learner
):
    theirs = submit(other_learner, instrument)

    assert signed_in.get(result_url(theirs)).status_code == 404
    assert signed_in.get(pdf_url(theirs)).status_code == 404
    assert signed_in.post(share_url(theirs), {"shared": "on"}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.shared_with_leads is False
    missing = Response(pk=theirs.pk + 1000)
    assert signed_in.get(result_url(missing)).status_code == 404
    assert signed_in.get(pdf_url(missing)).status_code == 404


@pytest.mark.django_db
def test_a_shared_result_of_another_learner_cannot_be_unshared_by_them(
    signed_in, instrument, other_learner
):
    theirs = submit(other_learner, instrument)
    services.response_share(learner=other_learner, response=theirs, shared=True)

    assert signed_in.post(share_url(theirs), {}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.shared_with_leads is True


@pytest.mark.django_db
def test_a_draft_goes_to_its_questions_and_another_learners_draft_is_not_found(
    signed_in, learner, other_learner, instrument
):
    mine = services.response_start(learner=learner, instrument=instrument)
    theirs = services.response_start(learner=other_learner, instrument=instrument)

    reply = signed_in.get(result_url(mine))
    assert reply.status_code == 302
    assert reply["Location"] == mine.get_absolute_url()
    assert signed_in.get(result_url(theirs)).status_code == 404
    assert signed_in.get(pdf_url(mine)).status_code == 404
    assert signed_in.post(share_url(mine), {"shared": "on"}).status_code == 404


# The result page ------------------------------------------------------------------------


@pytest.mark.django_db
def test_result_shows_each_score_band_and_feedback(signed_in, learner, instrument, paced):
    response = paced(learner, instrument, strong_answers)

    reply = signed_in.get(result_url(response))

    assert reply.status_code == 200
    assert "assessments/result.html" in [t.name for t in reply.templates]
    text = text_of(reply.content)
    assert "Team check" in text
    assert "Submitted on 2 March 2027 at 10:00am." in text
    html = reply.content.decode()
    assert (
        html.count('<strong class="nhsuk-tag nhsuk-u-margin-left-2">Probably a strength</strong>')
        == 2
    )
    assert "9 out of 9" in text
    assert text.count("Feedback for probably a strength.") == 2
    assert "What trust means." in text
    # The chart: one SVG per dimension with its text alternative, and the same numbers
    # in a table.
    assert 'aria-label="Trust: 9 out of 9 (Probably a strength)"' in html
    assert 'aria-label="Conflict: 9 out of 9 (Probably a strength)"' in html
    assert "Your scores as a table" in text
    # Nothing to compare with yet, so no comparison and no history.
    assert "Last time" not in text
    assert "Your scores over time" not in text
    assert "Download as PDF" in text
    assert pdf_url(response) in html


@pytest.mark.django_db
def test_result_keeps_the_feedback_and_score_of_the_revision_it_was_answered_on(
    signed_in, learner, instrument, paced
):
    old = paced(learner, instrument, strong_answers)

    def rewrite(blocks):
        for block in blocks:
            # Scores now run from 0 to 10 instead of 3 to 9, with new words for the top band.
            block["value"]["scaled_min"], block["value"]["scaled_max"] = 0, 10
            bands = [item["value"] for item in block["value"]["bands"]]
            for band, (lower, upper) in zip(
                bands, [(8, 10), (5, "7.99"), (0, "4.99")], strict=True
            ):
                band["lower"], band["upper"] = lower, upper
            bands[0]["label"] = "A real strength"
            bands[0]["feedback"] = "<p>Keep doing what you are doing.</p>"

    republish(instrument, rewrite)
    new = paced(learner, instrument, strong_answers)

    old_text = text_of(signed_in.get(result_url(old)).content)
    assert old_text.count("Feedback for probably a strength.") == 2
    assert "Probably a strength" in old_text
    assert "9 out of 9" in old_text
    assert "Keep doing what you are doing." not in old_text
    assert "A real strength" not in old_text

    new_text = text_of(signed_in.get(result_url(new)).content)
    assert new_text.count("Keep doing what you are doing.") == 2
    assert "10 out of 10" in new_text
    assert "Feedback for probably a strength." not in new_text


def three_part_instrument(**overrides) -> Instrument:
    """Three dimensions of two agreement questions (1 to 5), each scored as a mean."""
    spec = {
        "slug": "three-parts",
        "title": "Three parts",
        "scale": AGREEMENT,
        "dimensions": [
            dimension("Listening", bands=[(1, "2.99", "Early days"), (3, 5, "Established")]),
            dimension("Curiosity", bands=[(1, "2.99", "Early days"), (3, 5, "Established")]),
            dimension("Courage", bands=[(1, "2.99", "Early days"), (3, 5, "Established")]),
        ],
        "sections": [
            (
                "You",
                [
                    ("I listen before I speak.", "Listening"),
                    ("I ask why things are as they are.", "Curiosity"),
                    ("I say when something is wrong.", "Courage"),
                    ("I check I have understood.", "Listening"),
                    ("I look for what I do not know.", "Curiosity"),
                    ("I raise hard questions.", "Courage"),
                ],
            )
        ],
    }
    spec.update(overrides)
    return build_instrument(**spec)


def answers_by_part(listening, curiosity, courage):
    """Answers for `three_part_instrument`, two per dimension in question order."""
    values = [listening[0], curiosity[0], courage[0], listening[1], curiosity[1], courage[1]]
    return lambda index, key: values[index]


@pytest.mark.django_db
def test_result_compares_each_score_with_the_previous_attempt(signed_in, learner, paced):
    instrument = three_part_instrument()
    # Listening (2+3)/2 = 2.5, Curiosity (4+4)/2 = 4, Courage (3+3)/2 = 3.
    first = paced(learner, instrument, answers_by_part((2, 3), (4, 4), (3, 3)))
    # Listening (4+4)/2 = 4 (+1.5), Curiosity (3+4)/2 = 3.5 (−0.5), Courage 3 (no change).
    second = paced(learner, instrument, answers_by_part((4, 4), (3, 4), (3, 3)))

    reply = signed_in.get(result_url(second))
    html = reply.content.decode()
    text = text_of(reply.content)

    assert (
        "This is attempt 2. Each score is compared with your previous attempt, on 2 March 2027."
        in text
    )
    assert "Last time you scored 2.5. Change: +1.5 (up 1.5)." in text
    assert "Last time you scored 4. Change: \u22120.5 (down 0.5)." in text
    assert "Last time you scored 3: no change." in text
    # The table has the same numbers, in the same words.
    assert "Your scores, this time and last time" in text
    assert "+1.5 (up 1.5)" in text
    assert "\u22120.5 (down 0.5)" in text
    assert "No change" in text
    # The chart marks the previous attempt.
    assert 'aria-label="Listening: 4 out of 5 (Established). Last time: 2.5"' in html
    assert "The dashed line marks your previous attempt." in text
    # Scores over time, with a line per dimension and links to the other attempt.
    assert "Your scores over time" in text
    assert 'aria-label="Listening over 2 attempts: 2.5, 4"' in html
    assert 'aria-label="Curiosity over 2 attempts: 4, 3.5"' in html
    assert result_url(first) in html

    # The first attempt has nothing before it, but shows the line over both attempts.
    first_text = text_of(signed_in.get(result_url(first)).content)
    assert "Last time" not in first_text
    assert "Listening 2.5, 4" in first_text


@pytest.mark.django_db
def test_a_dimension_added_since_the_last_attempt_shows_no_change(signed_in, learner, paced):
    instrument = three_part_instrument()
    paced(learner, instrument, 3)

    def add_reflection(blocks):
        extra = copy.deepcopy(blocks[0])
        extra["id"] = "5f0d0f6e-0000-4000-8000-000000000001"
        extra["value"]["name"] = "Reflection"
        for item in extra["value"]["bands"]:
            del item["id"]
        blocks.append(extra)

    instrument = Instrument.objects.get(pk=instrument.pk)
    items = copy.deepcopy(instrument.items.get_prep_value())
    items.append(
        {
            "type": "item",
            "value": {"text": "I reflect.", "dimension": "Reflection", "reverse": False},
        }
    )
    items.append(
        {"type": "item", "value": {"text": "I learn.", "dimension": "Reflection", "reverse": False}}
    )
    instrument.items = items
    instrument.save()
    instrument = republish(instrument, add_reflection)
    second = paced(learner, instrument, 4)

    text = text_of(signed_in.get(result_url(second)).content)
    assert "Reflection Not scored 4 out of 5 New this time" in text
    assert "Last time you scored 3. Change: +1 (up 1)." in text


def strengths_instrument() -> Instrument:
    """A strengths-like profile: seven dimensions of two questions, means, no bands."""
    names = ["Focus", "Empathy", "Harmony", "Learner", "Arranger", "Includer", "Activator"]
    return build_instrument(
        slug="strengths",
        title="Strengths self-profile",
        scale=AGREEMENT,
        show_ranking=True,
        dimensions=[dimension(name, rule="mean") for name in names],
        sections=[
            ("About you", [(f"{name} question {n}.", name) for n in (1, 2) for name in names])
        ],
    )


@pytest.mark.django_db
def test_ranked_result_lists_a_top_five_with_ties_in_the_editors_order(signed_in, learner):
    instrument = strengths_instrument()
    # Means by dimension: Focus 2, Empathy 4.5, Harmony 3, Learner 4.5, Arranger 5,
    # Includer 1, Activator 3.
    first = {"Focus": 2, "Empathy": 4, "Harmony": 3, "Learner": 5, "Arranger": 5,
             "Includer": 1, "Activator": 3}  # fmt: skip
    second = {**first, "Empathy": 5, "Learner": 4}
    values = [first[n] for n in first] + [second[n] for n in second]
    response = submit(learner, instrument, lambda index, key: values[index])

    reply = signed_in.get(result_url(response))
    html = reply.content.decode()

    top = re.search(r'<ol class="nhsuk-list nhsuk-list--number">(.*?)</ol>', html, re.DOTALL)
    names = [unescape(name) for name in re.findall(r'class="lms-break-words">([^<]+)</a>', top[1])]
    # Arranger first; Empathy and Learner tie (4.5), as do Harmony and Activator (3):
    # the editor's order settles each tie. Focus and Includer are not in the top five.
    assert names == ["Arranger", "Empathy", "Learner", "Harmony", "Activator"]
    text = text_of(reply.content)
    assert "Your top five" in text
    assert text.index("Your top five") < text.index("All your scores")
    # All seven dimensions follow, in the editor's order, without bands.
    sections = re.findall(
        r'<h3 class="nhsuk-heading-m lms-break-words" id="[^"]+">([^<]+)</h3>', html
    )
    assert sections == [
        "Focus",
        "Empathy",
        "Harmony",
        "Learner",
        "Arranger",
        "Includer",
        "Activator",
    ]
    assert "nhsuk-tag nhsuk-u-margin-left-2" not in html
    assert ">Band<" not in html  # no dimension has bands, so the table has no such column
    detail = selectors.result_detail(learner, selectors.submitted_result(learner, response.pk))
    data = pdf.render_pdf(detail, learner_name="Ada Lovelace", compress=False)
    assert b"(Your top five)" in data
    assert data.index(b"(Arranger)") < data.index(b"(Empathy)") < data.index(b"(Learner)")


@pytest.mark.django_db
def test_team_result_links_to_the_team_report(signed_in, learner, team_instrument):
    team = services.team_create(learner=learner, instrument=team_instrument, name="Ward 7")
    response = submit(learner, team_instrument, 4, team=team)

    reply = signed_in.get(result_url(response))

    text = text_of(reply.content)
    assert "You answered as a member of Ward 7." in text
    assert signed_in.get(pdf_url(response)).content.startswith(b"%PDF")
    assert reverse("assessments:team_report", kwargs={"pk": team.pk}) in reply.content.decode()


@pytest.mark.django_db
def test_attempts_in_another_team_are_not_compared(signed_in, learner, team_instrument, paced):
    ward = services.team_create(learner=learner, instrument=team_instrument, name="Ward 7")
    clinic = services.team_create(learner=learner, instrument=team_instrument, name="Clinic")
    paced(learner, team_instrument, 2, team=ward)
    in_clinic = paced(learner, team_instrument, 4, team=clinic)

    text = text_of(signed_in.get(result_url(in_clinic)).content)
    assert "Last time" not in text
    assert "Your scores over time" not in text


@pytest.mark.django_db
def test_suggested_module_is_linked_when_live(signed_in, learner, home_page):
    from tests.modules.factories import ModulePageFactory

    module = ModulePageFactory(title="Trust in teams")
    bands = [
        (8, 9, "Probably a strength"),
        (6, 7, "Could be a problem"),
        ("3", "5", "Needs attention", "<p>Start small.</p>", module),
    ]
    instrument = small_instrument(
        dimensions=[
            dimension("Trust", rule="sum", bands=bands),
            dimension("Conflict", rule="sum", bands=bands),
        ]
    )
    response = submit(learner, instrument, 2)  # 2+2+2 = 6 in each: "Could be a problem"
    low = submit(learner, instrument, lambda index, key: 3 if index in (2, 5) else 1)  # 3

    assert "Suggested module" not in text_of(signed_in.get(result_url(response)).content)
    reply = signed_in.get(result_url(low))
    assert reply.content.decode().count(f'href="{module.url}"') == 2
    assert "Suggested module: Trust in teams" in text_of(reply.content)


# Sharing --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_sharing_is_off_by_default_and_can_be_turned_on_and_off(signed_in, learner, instrument):
    response = submit(learner, instrument)
    html = signed_in.get(result_url(response)).content.decode()
    checkbox = re.search(r'<input[^>]+name="shared"[^>]*>', html)[0]
    assert "checked" not in checkbox
    assert "Share this result with the leads of my cohorts" in html
    assert "They would not see your answers to the questions." in html
    assert "Only you can see this result." in html

    reply = signed_in.post(share_url(response), {"shared": "on"})
    assert reply.status_code == 302
    assert reply["Location"] == result_url(response) + "#sharing"
    response.refresh_from_db()
    assert response.shared_with_leads is True
    assert [str(m) for m in get_messages(reply.wsgi_request)] == [
        "This result is now shared with the leads of your cohorts."
    ]
    html = signed_in.get(result_url(response)).content.decode()
    assert "checked" in re.search(r'<input[^>]+name="shared"[^>]*>', html)[0]
    assert "This result is shared with the leads of your cohorts." in html

    reply = signed_in.post(share_url(response), {})
    response.refresh_from_db()
    assert response.shared_with_leads is False
    assert [str(m) for m in get_messages(reply.wsgi_request)] == [
        "This result is not shared with anyone."
    ]


@pytest.mark.django_db
def test_sharing_page_refuses_get(signed_in, learner, instrument):
    response = submit(learner, instrument)
    assert signed_in.get(share_url(response)).status_code == 405


# PDF ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_pdf_is_a_download_with_a_readable_name(signed_in, learner, instrument, paced):
    response = paced(learner, instrument, strong_answers)

    reply = signed_in.get(pdf_url(response))

    assert reply.status_code == 200
    assert reply["Content-Type"] == "application/pdf"
    assert reply["Content-Disposition"] == 'attachment; filename="team-check-2027-03-02.pdf"'
    assert reply.content.startswith(b"%PDF")


# History --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_empty_history_points_to_the_self_assessments(signed_in):
    reply = signed_in.get(HISTORY_URL)

    assert reply.status_code == 200
    assert "assessments/history.html" in [t.name for t in reply.templates]
    text = text_of(reply.content)
    assert "You have not taken a self-assessment yet." in text
    assert (
        f'href="{reverse("assessments:index")}">Choose a self-assessment' in reply.content.decode()
    )


@pytest.mark.django_db
def test_history_groups_attempts_by_instrument_newest_first_with_drafts_apart(
    signed_in, learner, other_learner, instrument, paced
):
    strengths = strengths_instrument()
    first = paced(learner, instrument, 2)
    profile = paced(learner, strengths, lambda index, key: 5 if index % 7 == 4 else 3)
    latest = paced(learner, instrument, strong_answers)
    draft = services.response_start(learner=learner, instrument=instrument)
    theirs = submit(other_learner, instrument)

    reply = signed_in.get(HISTORY_URL)
    html = reply.content.decode()
    text = text_of(reply.content)

    headings = re.findall(r'<h2 class="nhsuk-heading-l[^"]*"[^>]*>([^<]+)</h2>', html)
    assert headings == ["In progress", "Team check", "Strengths self-profile"]
    assert html.index(result_url(latest)) < html.index(result_url(first))
    assert "Submitted 4 March 2027" in text
    assert "Highest scores: Trust: Probably a strength; Conflict: Probably a strength" in text
    assert "Highest scores: Trust: Could be a problem; Conflict: Could be a problem" in text
    assert "Top strengths: Arranger, Focus, Empathy" in text
    assert pdf_url(profile) in html
    assert f'href="{draft.get_absolute_url()}">Continue' in html
    assert result_url(theirs) not in html


# Query counts ---------------------------------------------------------------------------


def queries_for(url: str, learner) -> list[str]:
    client = Client()
    client.force_login(learner)
    client.get(url)  # warm the site root paths cache, as a running site has
    with CaptureQueriesContext(connection) as context:
        reply = client.get(url)
    assert reply.status_code == 200
    return [query["sql"] for query in context.captured_queries]


@pytest.mark.django_db
def test_result_and_history_pages_cost_the_same_queries_for_1_or_8_attempts(home_page):
    """No query per attempt, dimension or suggested module.

    Result page (9): session, user, the response (with its instrument, revision and team),
    every attempt's scores in one query, the suggested modules in one, then what every
    page costs (the site, its settings and the header's two permission checks).
    History page (8): session, user, the responses with instruments and teams, their
    scores, and the same four for every page.
    """
    from tests.modules.factories import ModulePageFactory

    module = ModulePageFactory(title="Trust in teams")
    bands = [
        (8, 9, "Probably a strength", "<p>Keep going.</p>", module),
        (6, 7, "Could be a problem"),
        (3, 5, "Needs attention", "<p>Start small.</p>", module),
    ]
    instrument = small_instrument(
        dimensions=[
            dimension("Trust", rule="sum", bands=bands),
            dimension("Conflict", rule="sum", bands=bands),
        ]
    )
    runs = []
    for size in (1, 8):
        learner = UserFactory()
        for number in range(size):
            # Every attempt scores differently; the last scores 3, in a band that suggests
            # a module, so the page looks the module up in both runs.
            latest = submit(learner, instrument, 3 - number % 3 if number < size - 1 else 1)
        services.response_start(learner=learner, instrument=instrument)
        runs.append((queries_for(result_url(latest), learner), queries_for(HISTORY_URL, learner)))

    (few_result, few_history), (many_result, many_history) = runs
    assert len(few_result) == len(many_result) <= 9, "\n".join(many_result)
    assert len(few_history) == len(many_history) <= 8, "\n".join(many_history)


@pytest.mark.django_db
@pytest.mark.parametrize("size", [6, 40])
def test_the_result_page_costs_the_same_for_6_or_40_questions_and_1_or_8_attempts(home_page, size):
    """No query per question, dimension or earlier attempt (see the test above for what
    the queries are)."""
    instrument = small_instrument() if size == 6 else forty_item_instrument(size)
    counts = []
    for attempts in (1, 8):
        learner = UserFactory()
        for number in range(attempts):
            latest = submit(learner, instrument, number % 3 + 1)
        counts.append(queries_for(result_url(latest), learner))

    few, many = counts
    assert len(few) == len(many) <= 9, "\n".join(many)


@pytest.mark.django_db
def test_pdf_shows_the_scores_bands_and_feedback_of_the_result(learner, instrument, paced):
    response = paced(learner, instrument, strong_answers)
    detail = selectors.result_detail(learner, selectors.submitted_result(learner, response.pk))

    data = pdf.render_pdf(detail, learner_name="Ada Lovelace", compress=False)

    assert data.startswith(b"%PDF")
    for text in (
        b"(Team check)",
        b"(Ada Lovelace)",
        b"(Submitted on 2 March 2027)",
        b"(9 out of 9)",
        b"(3 to 9)",
        b"(Probably a strength)",
        b"(Feedback for probably a strength.)",
    ):
        assert text in data, text


def test_band_feedback_in_the_pdf_is_plain_text():
    feedback = "<p>Try <b>this</b> &amp; that.</p><ul><li>Ask</li><li>Listen</li></ul><p></p>"

    assert pdf.plain_text(feedback) == "Try this & that.\n- Ask\n- Listen"
