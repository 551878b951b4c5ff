"""Each shipped instrument taken through the learners' pages, as the demo learners do:
individual ones to banded (or ranked) results, team ones to a team report."""

import pytest
from django.urls import reverse

from assessments.demo_content import load_instruments
from assessments.models import Instrument, Response
from tests.factories import UserFactory

SPECS = {spec.slug: spec for spec in load_instruments()}


def shipped(slug: str) -> Instrument:
    instrument = Instrument(**SPECS[slug].fields, live=False)
    instrument.full_clean()
    instrument.save()
    instrument.save_revision().publish()
    instrument.refresh_from_db()
    return instrument


def answer_all_pages(client, response: Response, value_index: int):
    """Post every section of the draft with the scale option at `value_index`, submitting
    on the last; returns the final response."""
    questionnaire = response.instrument.questionnaire()
    value = [option.value for option in questionnaire.definition.scale][value_index]
    sections = questionnaire.sections
    for section in sections:
        last = section.number == len(sections)
        posted = client.post(
            reverse("assessments:question_page", args=[response.pk, section.number]),
            {
                **{f"item-{question.key}": value for question in section.questions},
                "action": "submit" if last else "next",
            },
        )
        assert posted.status_code == 302, posted.content.decode()[:500]
    return posted


@pytest.mark.parametrize(
    "slug", [slug for slug, spec in SPECS.items() if spec.fields["kind"] == "individual"]
)
def test_a_learner_takes_each_individual_instrument_to_its_results(client, learner, slug):
    instrument = shipped(slug)
    client.force_login(learner)

    started = client.post(reverse("assessments:start", args=[slug]))
    draft = Response.objects.get(learner=learner, instrument=instrument)
    assert started.status_code == 302
    finished = answer_all_pages(client, draft, value_index=0)
    result = client.get(finished.url)

    draft.refresh_from_db()
    assert draft.is_submitted and draft.revision_id == instrument.live_revision_id
    html = result.content.decode()
    assert result.status_code == 200
    if instrument.show_ranking:
        assert "Your top five" in html
    else:
        labels = {score.band_label for score in draft.scores.all()}
        assert "" not in labels
        assert all(label in html for label in labels)


@pytest.mark.parametrize(
    "slug", [slug for slug, spec in SPECS.items() if spec.fields["kind"] == "team"]
)
def test_a_team_takes_each_team_instrument_to_its_report(client, learner, slug, settings):
    instrument = shipped(slug)
    client.force_login(learner)
    created = client.post(
        reverse("assessments:team_create", args=[slug]), {"name": "Ward 7 leadership team"}
    )
    assert created.status_code == 302
    team = instrument.teams.get()
    members = [learner] + [UserFactory() for _ in range(settings.MIN_GROUP_SIZE - 1)]

    for index, member in enumerate(members):
        client.force_login(member)
        if member != learner:
            client.post(
                reverse("assessments:team_join_code", args=[team.join_code]),
                {"code": team.join_code},
            )
        client.post(reverse("assessments:team_start", args=[team.pk]))
        draft = Response.objects.drafts().get(learner=member, team=team)
        answer_all_pages(client, draft, value_index=index % 2)

    report = client.get(reverse("assessments:team_report", args=[team.pk]))

    html = report.content.decode()
    assert report.status_code == 200
    assert "more response" not in html
    for dimension in instrument.questionnaire().definition.dimensions:
        assert dimension.name in html
    assert all(member.email not in html for member in members)
