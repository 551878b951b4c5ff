"""The printable worksheets: what each PDF says (read back from its bytes), that they use
only the toolkit's embedded font, how the view serves them, and that hostile input on
their address never causes a server error."""

import pytest
from django.test import Client
from django.urls import reverse

from assessments.demo_content import load_instruments
from learning_sets import worksheets
from learning_sets.worksheets import WORKSHEETS
from modules.demo_content import load_programmes
from tests.assessments.factories import AGREEMENT, build_instrument, dimension
from tests.cohorts.factories import make_lead
from tests.core.pdf_text import read_pdf
from tests.core.test_pdf import assert_only_the_bundled_font
from tests.test_hostile_input import requests_for, send

from .conftest_guides import guide_people


def text_of(data: bytes) -> str:
    """The PDF's text with line breaks and repeated spaces folded, as a reader sees it."""
    return " ".join(read_pdf(data).text.split())


def folded(text: str) -> str:
    return " ".join(text.split())


def test_every_worksheet_is_registered_with_a_title_and_description():
    assert set(WORKSHEETS) == {
        "stakeholder-network-map",
        "collaboration-checklists",
        "learning-cycle-log",
        "partnership-check",
    }
    assert worksheets.worksheet_choices() == [
        (sheet.key, sheet.title) for sheet in WORKSHEETS.values()
    ]
    assert all(sheet.description for sheet in WORKSHEETS.values())


def test_the_stakeholder_map_has_its_rings_table_and_questions():
    data = worksheets.stakeholder_map_pdf()
    text = text_of(data)

    assert "Stakeholder and network map" in text
    for label, _radius in worksheets.RINGS:
        assert str(label) in text
    for heading in ("Person or group", "What matters to them", "Who could connect us"):
        assert heading in text
    for question in worksheets.MAP_QUESTIONS:
        assert folded(str(question)) in text
    assert "Page 2 of 2" in text
    assert_only_the_bundled_font(data)


def test_the_checklists_are_every_checklist_of_the_shipped_collaboration_module():
    module = next(
        module
        for programme in load_programmes()
        for module in programme.modules
        if module.slug == worksheets.COLLABORATION_MODULE
    )
    shipped = [
        block["value"]
        for lesson in module.lessons
        for block in lesson.body
        if block["type"] == "checklist"
    ]
    assert len(shipped) >= 7  # one per step of the model, and the threads through it

    text = text_of(worksheets.collaboration_checklists_pdf())

    assert folded(module.title) in text
    position = 0
    for checklist in shipped:
        found = text.find(folded(checklist["heading"]), position)
        assert found >= position, checklist["heading"]  # in the lessons' order
        position = found
        for item in checklist["items"]:
            assert folded(item["value"]) in text, item["value"]
    assert text.count(worksheets.BOX) == sum(len(c["items"]) for c in shipped)


def test_the_learning_cycle_log_has_the_four_stages_for_several_meetings():
    data = worksheets.learning_cycle_log_pdf(meetings=4)
    text = text_of(data)

    for stage, prompt in worksheets.CYCLE_STAGES:
        assert str(stage) in text
        assert folded(str(prompt)) in text
    assert "Meeting 4" in text
    assert "Meeting 5" not in text
    assert_only_the_bundled_font(data)


@pytest.mark.django_db
def test_the_partnership_check_reads_the_shipped_definition_when_the_site_has_none():
    spec = next(spec for spec in load_instruments() if spec.slug == "partnership-health-check")
    items = [block["value"] for block in spec.fields["items"] if block["type"] == "item"]
    dimensions = [block["value"]["name"] for block in spec.fields["dimensions"]]

    text = text_of(worksheets.partnership_check_pdf())

    assert f"{spec.fields['title']}: for a group" in text
    for item in items:
        marker = " *" if item["reverse"] else ""
        assert folded(item["text"]) + marker in text, item["text"]
    for name in dimensions:
        assert name in text
    for option in spec.fields["scale"]:
        assert option["value"]["label"] in text
    assert "One person's score runs from 4 to 16 (13–16 strong; 9–12 developing" in text


@pytest.mark.django_db
def test_the_partnership_check_follows_the_live_instrument_as_editors_change_it():
    build_instrument(
        slug="partnership-health-check",
        title="Partnership check (edited)",
        scale=AGREEMENT,
        dimensions=[dimension("Trust", rule="sum", bands=[(2, 6, "Low"), (7, 10, "High")])],
        sections=[
            (
                "Trust",
                [
                    ("Partners keep the promises they make.", "Trust"),
                    ("People hide bad news from partners.", "Trust", True),
                ],
            )
        ],
    )

    text = text_of(worksheets.partnership_check_pdf())

    assert "Partnership check (edited): for a group" in text
    assert "Partners keep the promises they make." in text
    assert "People hide bad news from partners. *" in text
    assert "Neither agree nor disagree" in text
    assert "One person's score runs from 2 to 10 (2–6 low; 7–10 high)" in text
    assert "This partnership achieves things" not in text


# The view -------------------------------------------------------------------------------


@pytest.fixture
def lead(db):
    return make_lead()


PRINTED_TITLES = {
    "stakeholder-network-map": "Stakeholder and network map",
    "collaboration-checklists": "Collaboration checklists, step by step",
    "learning-cycle-log": "Learning-cycle log",
    "partnership-check": "Partnership health check: for a group",
}


@pytest.mark.parametrize("key", list(WORKSHEETS))
def test_the_view_serves_each_worksheet_as_a_private_inline_pdf(client, lead, key):
    client.force_login(lead)

    response = client.get(reverse("learning_sets:worksheet", args=[key]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'inline; filename="{key}.pdf"'
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= cache_control
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "Cookie" in response["Vary"]
    assert PRINTED_TITLES[key] in text_of(response.content)


@pytest.mark.django_db
def test_hostile_input_on_the_worksheet_address_never_causes_a_server_error():
    """The site-wide walk (tests/test_hostile_input.py) reaches this URL as an anonymous
    visitor and as a learner, who are turned away before any input is read; this sends the
    same requests as the people who may print worksheets, so the view itself is tried."""
    people = guide_people()
    failures = []
    served = set()
    for role in ("anonymous", "set member", "facilitator", "lead", "site admin"):
        client = Client(raise_request_exception=False)
        if people[role] is not None:
            client.force_login(people[role])
        for key in ("learning-cycle-log", "no-such-sheet", "9" * 20):
            url = reverse("learning_sets:worksheet", args=[key])
            for description, method, target, body, content_type in requests_for(
                url, ["key", "page", "q"]
            ):
                response = send(client, method, target, body, content_type)
                if response.status_code >= 500:
                    failures.append(f"{role} {description} {target[:80]}")
                if response.status_code == 200 and response["Content-Type"] == "application/pdf":
                    served.add(role)
    assert not failures, failures
    assert served == {"facilitator", "lead", "site admin"}  # the view itself was reached
