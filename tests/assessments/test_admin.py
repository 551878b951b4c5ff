"""Self-assessments in the Wagtail admin: editors define, draft and publish instruments, and
see each instrument's statistics and an anonymous CSV of its answers."""

import csv
import html
import io
import re
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.messages import get_messages
from django.urls import reverse
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from accounts.models import User
from accounts.roles import COURSE_EDITOR, PROGRAMME_LEAD, SITE_ADMIN
from assessments import services, statistics
from assessments.models import Instrument, Response
from core.spreadsheets import safe_cell
from tests.factories import OrganisationFactory, UserFactory, search_index_add

from .factories import build_instrument, dimension, keys_of, small_instrument, submit

pytestmark = pytest.mark.django_db

NAMESPACE = "wagtailsnippets_assessments_instrument"
INDEX_URL = reverse(f"{NAMESPACE}:list")
ADD_URL = reverse(f"{NAMESPACE}:add")


def edit_url(instrument) -> str:
    return reverse(f"{NAMESPACE}:edit", args=[instrument.pk])


def statistics_url(instrument) -> str:
    return reverse(f"{NAMESPACE}:statistics", args=[instrument.pk])


def csv_url(instrument) -> str:
    return reverse(f"{NAMESPACE}:statistics_csv", args=[instrument.pk])


def in_group(name: str, **kwargs) -> User:
    user = UserFactory(**kwargs)
    user.groups.add(Group.objects.get(name=name))
    return user


def page_text(response) -> str:
    """The page as text, with entities decoded (StreamField errors arrive inside JSON)."""
    return html.unescape(response.content.decode()).replace("\\u201c", "“").replace("\\u201d", "”")


@pytest.fixture
def course_editor(db):
    return in_group(COURSE_EDITOR, email="course.editor@example.org", organisation=None)


@pytest.fixture
def editor_client(client, course_editor):
    client.force_login(course_editor)
    return client


# Form data ---------------------------------------------------------------------------------


def band_data(lower, upper, label):
    return {
        "lower": str(lower),
        "upper": str(upper),
        "label": label,
        "feedback": rich_text(f"<p>What “{label}” means.</p>", features=["bold", "italic"]),
        "suggested_module": "",
    }


def dimension_data(name, *, rule="mean", scaled=None, bands=()):
    return {
        "name": name,
        "cluster": "",
        "description": f"How well {name.lower()} holds.",
        "rule": rule,
        "scaled_min": str(scaled[0]) if scaled else "",
        "scaled_max": str(scaled[1]) if scaled else "",
        "bands": {
            "count": str(len(bands)),
            **{
                str(index): {
                    "value": band_data(*spec),
                    "deleted": "",
                    "order": str(index),
                }
                for index, spec in enumerate(bands)
            },
        },
    }


def question(text, dimension_name, reverse=False):
    data = {"text": text, "dimension": dimension_name}
    if reverse:
        data["reverse"] = "on"
    return ("item", data)


SCALE = [("Never", 0), ("Sometimes", 1), ("Often", 2), ("Always", 3)]
PURPOSE = dimension_data(
    "Shared purpose", rule="sum", bands=[(0, 2, "Early days"), (3, 4, "Growing"), (5, 6, "Strong")]
)
TRUST = dimension_data(
    "Trust across organisations",
    rule="mean",
    scaled=(0, 10),
    bands=[(0, "4.99", "Fragile"), (5, "7.99", "Building"), (8, 10, "Firm")],
)
QUESTIONS = [
    ("section", {"heading": "Purpose", "intro": ""}),
    question("We agree what we are trying to achieve together.", "Shared purpose"),
    question("I can explain our shared aim to someone new.", "Shared purpose"),
    ("section", {"heading": "Trust", "intro": "About the partners you work with."}),
    question("I can rely on partners to do what they say.", "Trust across organisations"),
    question("Partners hold back information from us.", "Trust across organisations", True),
    question("I would raise a problem early with partners.", "Trust across organisations"),
]


def instrument_form_data(
    *, scale=SCALE, dimensions=(PURPOSE, TRUST), items=QUESTIONS, composites=(), **extra
):
    return nested_form_data(
        {
            "title": "Working across boundaries",
            "slug": "working-across-boundaries",
            "kind": "individual",
            "summary": "How partners see their shared purpose and trust.",
            "estimated_minutes": "4",
            "introduction": rich_text("<p>Think of the partnership you work in most.</p>"),
            "scale": streamfield(
                [("option", {"label": label, "value": str(value)}) for label, value in scale]
            ),
            "dimensions": streamfield([("dimension", spec) for spec in dimensions]),
            "composites": streamfield([("composite", spec) for spec in composites]),
            "items": streamfield(list(items)),
            **extra,
        }
    )


# An editor defines a new instrument ---------------------------------------------------------


def test_editor_defines_drafts_and_publishes_an_instrument_that_scores_correctly(
    editor_client, learner
):
    # Saved as a draft: it exists, but learners cannot take it.
    response = editor_client.post(ADD_URL, instrument_form_data())
    assert response.status_code == 302, page_text(response)
    instrument = Instrument.objects.get(slug="working-across-boundaries")
    assert not instrument.live
    assert instrument.latest_revision is not None
    assert instrument not in Instrument.objects.live()
    with pytest.raises(services.InstrumentUnavailable):
        services.response_start(learner=learner, instrument=instrument)

    # Published from the edit view.
    data = instrument_form_data(**{"action-publish": "action-publish"})
    response = editor_client.post(edit_url(instrument), data)
    assert response.status_code == 302, page_text(response)
    instrument.refresh_from_db()
    assert instrument.live
    assert instrument.live_revision is not None
    questionnaire = instrument.questionnaire()
    assert [d.name for d in questionnaire.dimensions] == [
        "Shared purpose",
        "Trust across organisations",
    ]
    assert [s.heading for s in questionnaire.sections] == ["Purpose", "Trust"]

    # A learner answers: Often, Always | Often, Sometimes (reverse-keyed), Always.
    q1, q2, q3, q4, q5 = keys_of(instrument)
    attempt = services.response_start(learner=learner, instrument=instrument)
    submitted = services.response_submit(
        response=attempt, answers={q1: 2, q2: 3, q3: 2, q4: 1, q5: 3}
    )

    scores = {score.name: score for score in submitted.scores.all()}
    # Shared purpose: sum 2 + 3 = 5, in "Strong" (5 to 6).
    purpose = scores["Shared purpose"]
    assert purpose.raw_score == Decimal("5") and purpose.scaled_score == Decimal("5")
    assert (purpose.minimum, purpose.maximum) == (Decimal("0"), Decimal("6"))
    assert purpose.band_label == "Strong"
    # Trust: the reverse-keyed "Sometimes" (1) counts 0 + 3 - 1 = 2, so the mean is
    # (2 + 2 + 3) / 3 = 7/3 = 2.3333 on 0 to 3, rescaled to 0-10: 7/3 * 10/3 = 70/9 = 7.7778,
    # in "Building" (5 to 7.99).
    trust = scores["Trust across organisations"]
    assert trust.raw_score == Decimal("2.3333")
    assert trust.scaled_score == Decimal("7.7778")
    assert (trust.minimum, trust.maximum) == (Decimal("0"), Decimal("10"))
    assert trust.band_label == "Building"
    assert submitted.revision_id == instrument.live_revision_id


def test_the_snippet_has_its_own_menu_item_and_listing(editor_client, instrument, learner):
    submit(learner, instrument, 3)
    draft = build_instrument(
        slug="draft-check",
        title="A draft check",
        publish=False,
        dimensions=[dimension("Trust", rule="sum")],
        sections=[("Only", [("We trust each other.", "Trust")])],
    )

    response = editor_client.get(INDEX_URL)

    assert response.status_code == 200
    rows = {row.title: row for row in response.context["object_list"]}
    assert rows["Team check"].response_count == 1
    assert rows["A draft check"].response_count == 0
    text = page_text(response)
    assert "Self-assessments" in text
    assert "Individual" in text
    assert ">draft<" in text.replace(" ", "").replace("\n", "")
    assert ">live<" in text.replace(" ", "").replace("\n", "")
    assert statistics_url(instrument) in text
    assert statistics_url(draft) in text
    home = editor_client.get(reverse("wagtailadmin_home"))
    assert INDEX_URL in home.content.decode()


def test_listing_queries_do_not_grow_with_instruments_or_responses(
    editor_client, learner, django_assert_max_num_queries
):
    def add(count):
        for _number in range(count):
            instrument = build_instrument(
                slug=f"check-{Instrument.objects.count()}",
                title=f"Check {Instrument.objects.count()}",
                dimensions=[dimension("Trust", rule="sum")],
                sections=[("Only", [("We trust each other.", "Trust")])],
            )
            submit(UserFactory(), instrument, 2)

    add(2)
    editor_client.get(INDEX_URL)  # warm caches (content types, permissions)
    with django_assert_max_num_queries(25) as small:
        editor_client.get(INDEX_URL)
    add(8)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = editor_client.get(INDEX_URL)
    assert len(response.context["object_list"]) == 10


def test_listing_filters_by_kind_and_searches(editor_client, instrument, team_instrument):
    search_index_add(instrument, team_instrument)
    team_only = editor_client.get(INDEX_URL, {"kind": "team"})
    assert [i.title for i in team_only.context["object_list"]] == ["Team safety"]

    found = editor_client.get(INDEX_URL, {"q": "safety"})
    assert [i.title for i in found.context["object_list"]] == ["Team safety"]


def test_edit_view_offers_statistics(editor_client, instrument):
    response = editor_client.get(edit_url(instrument))
    assert response.status_code == 200
    assert statistics_url(instrument) in response.content.decode()


def test_permission_codenames_granted_to_editors_and_site_admins():
    codenames = {"add_instrument", "change_instrument", "delete_instrument", "publish_instrument"}
    for name in (COURSE_EDITOR, SITE_ADMIN):
        granted = set(
            Group.objects.get(name=name)
            .permissions.filter(content_type__app_label="assessments")
            .values_list("codename", flat=True)
        )
        assert granted == codenames
    # One row per codename: Wagtail's and Django's own set-up found ours and added none.
    assert (
        Permission.objects.filter(
            content_type__app_label="assessments", codename="publish_instrument"
        ).count()
        == 1
    )


# Validation through the admin form ----------------------------------------------------------


def assert_refused(response, message):
    assert response.status_code == 200
    text = page_text(response)
    assert message in text, text[:3000]
    assert "could not be created" in text


@pytest.mark.parametrize(
    ("form", "message"),
    [
        pytest.param(
            {
                "dimensions": (
                    dimension_data(
                        "Shared purpose",
                        rule="sum",
                        bands=[(0, 3, "Early days"), (3, 6, "Strong")],
                    ),
                    TRUST,
                )
            },
            "Shared purpose: the bands “Early days” (0 to 3) and “Strong” (3 to 6) overlap.",
            id="overlapping bands",
        ),
        pytest.param(
            {
                "dimensions": (
                    dimension_data(
                        "Shared purpose",
                        rule="sum",
                        bands=[(0, 2, "Early days"), (4, 6, "Strong")],
                    ),
                    TRUST,
                )
            },
            "Shared purpose: a score of 3 falls in no band.",
            id="gap in the possible range",
        ),
        pytest.param(
            {"dimensions": (PURPOSE, TRUST, dimension_data("Curiosity"))},
            "Curiosity: no question belongs to this dimension.",
            id="dimension without questions",
        ),
        pytest.param(
            {"items": [*QUESTIONS, question("We share our data.", "Data sharing")]},
            "Question 6 names the dimension “Data sharing”, which is not one of this "
            "instrument's dimensions.",
            id="question naming an unknown dimension",
        ),
        pytest.param(
            {"scale": [("Yes", 1)]},
            "The answer scale needs at least two options.",
            id="scale with one option",
        ),
    ],
)
def test_the_admin_refuses_an_invalid_instrument_and_says_why(editor_client, form, message):
    response = editor_client.post(ADD_URL, instrument_form_data(**form))

    assert_refused(response, message)
    assert not Instrument.objects.exists()


def test_publishing_an_invalid_change_is_refused_and_the_live_version_stays(editor_client, learner):
    editor_client.post(ADD_URL, instrument_form_data(**{"action-publish": "action-publish"}))
    instrument = Instrument.objects.get()
    assert instrument.live
    published = instrument.live_revision_id

    broken = dimension_data(
        "Shared purpose", rule="sum", bands=[(0, 3, "Early days"), (3, 6, "Strong")]
    )
    response = editor_client.post(
        edit_url(instrument),
        instrument_form_data(dimensions=(broken, TRUST), **{"action-publish": "action-publish"}),
    )

    assert response.status_code == 200
    assert "overlap" in page_text(response)
    assert "could not be saved" in page_text(response)
    instrument.refresh_from_db()
    assert instrument.live_revision_id == published
    assert [b.label for b in instrument.questionnaire().definition.dimensions[0].bands] == [
        "Early days",
        "Growing",
        "Strong",
    ]


# Revisions ------------------------------------------------------------------------------------


def test_publishing_a_new_revision_keeps_past_results(editor_client, learner, other_learner):
    editor_client.post(ADD_URL, instrument_form_data(**{"action-publish": "action-publish"}))
    instrument = Instrument.objects.get()
    first = submit(learner, instrument, 2)
    first_scores = list(first.scores.values_list("name", "scaled_score", "band_label"))
    first_revision = first.revision_id

    # The editor renames the purpose bands and publishes: a new revision.
    renamed = dimension_data(
        "Shared purpose", rule="sum", bands=[(0, 3, "Not yet"), (4, 6, "Well on the way")]
    )
    data = instrument_form_data(dimensions=(renamed, TRUST), **{"action-publish": "on"})
    # Keep the question and dimension ids, as the editor's browser does.
    for index, block in enumerate(instrument.dimensions):
        data[f"dimensions-{index}-id"] = block.id
    for index, block in enumerate(instrument.items):
        data[f"items-{index}-id"] = block.id
    response = editor_client.post(edit_url(instrument), data)
    assert response.status_code == 302, page_text(response)

    instrument.refresh_from_db()
    assert instrument.live_revision_id != first_revision
    first.refresh_from_db()
    assert first.revision_id == first_revision
    assert list(first.scores.values_list("name", "scaled_score", "band_label")) == first_scores
    second = submit(other_learner, instrument, 2)
    assert second.revision_id == instrument.live_revision_id
    assert second.scores.get(name="Shared purpose").band_label == "Well on the way"
    # All "Often" (2): a purpose sum of 4, "Growing" then, "Well on the way" now.
    assert first.scores.get(name="Shared purpose").band_label == "Growing"


# Statistics page ------------------------------------------------------------------------------


def test_statistics_page_shows_counts_means_and_alpha_notice(editor_client, instrument):
    for value in (3, 1, 2):
        submit(UserFactory(), instrument, value)

    response = editor_client.get(statistics_url(instrument))

    assert response.status_code == 200
    text = page_text(response)
    assert "3 submitted responses" in text
    assert "Scores for Trust" in text and "Questions in Conflict" in text
    assert "We admit our mistakes to each other." in text
    # Everyone answering the same value v on all three questions (one reverse-keyed) scores
    # v + v + (4 - v) = v + 4: 7, 5 and 6, so the mean is 6 and the spread 1.
    stats = response.context["statistics"]
    trust = stats.dimensions[0]
    assert trust.summary.mean == pytest.approx(6) and trust.summary.spread == pytest.approx(1)
    assert "6.00" in text and "1.00" in text
    assert "7 more are needed" in text
    assert csv_url(instrument) in text


def test_statistics_page_with_no_responses(editor_client, instrument):
    response = editor_client.get(statistics_url(instrument))
    assert response.status_code == 200
    assert "Nobody has submitted this self-assessment yet." in page_text(response)


def test_statistics_for_a_missing_instrument_is_not_found(editor_client):
    assert editor_client.get(reverse(f"{NAMESPACE}:statistics", args=[999999])).status_code == 404


def denied(response) -> bool:
    """Wagtail's refusals: to the login page, to the dashboard with a message, or 403."""
    if response.status_code == 403:
        return True
    if response.status_code != 302:
        return False
    if response.url.startswith(reverse("wagtailadmin_login")) or "/login/" in response.url:
        return True
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    return response.url == reverse("wagtailadmin_home") and any(
        "permission" in message for message in messages
    )


@pytest.mark.parametrize("role", [None, PROGRAMME_LEAD, "admin access only"])
def test_statistics_and_csv_are_refused_without_change_permission(client, instrument, role):
    for value in (3, 1, 2):
        submit(UserFactory(), instrument, value)
    user = UserFactory()
    if role == PROGRAMME_LEAD:
        user.groups.add(Group.objects.get(name=PROGRAMME_LEAD))
    elif role:
        user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)

    for url in (statistics_url(instrument), csv_url(instrument)):
        response = client.get(url)
        assert denied(response), (url, response.status_code)
        assert b"submitted responses" not in response.content
        assert b"respondent" not in response.content


def test_statistics_page_queries_are_fixed(
    editor_client, instrument, django_assert_max_num_queries
):
    def add(count):
        for number in range(count):
            submit(UserFactory(), instrument, lambda index, key, n=number: (n + index) % 3 + 1)

    add(10)
    editor_client.get(statistics_url(instrument))  # warm caches
    with django_assert_max_num_queries(30) as small:
        editor_client.get(statistics_url(instrument))
    add(30)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = editor_client.get(statistics_url(instrument))
    assert response.context["statistics"].response_count == 40


# CSV export -----------------------------------------------------------------------------------


def read_csv(response) -> list[dict]:
    content = b"".join(response.streaming_content).decode("utf-8")
    return list(csv.DictReader(io.StringIO(content)))


def test_csv_has_one_row_per_answer_and_nothing_that_identifies_anyone(editor_client, instrument):
    organisation = OrganisationFactory(name="Zanzibar Borough Hospice")
    people = [
        UserFactory(
            first_name="Quintessa",
            last_name=f"Vandersnoot{n}",
            email=f"quintessa.{n}@identifiable.example",
            organisation=organisation,
            job_role="Chief Unicorn Wrangler",
        )
        for n in range(3)
    ]
    responses = [
        submit(person, instrument, value) for person, value in zip(people, (1, 2, 3), strict=True)
    ]

    response = editor_client.get(csv_url(instrument))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert (
        response["Content-Disposition"] == 'attachment; filename="team-check-anonymous-answers.csv"'
    )
    content = b"".join(response.streaming_content).decode("utf-8")
    for secret in ["Quintessa", "Vandersnoot", "identifiable", "Zanzibar", "Unicorn"]:
        assert secret not in content
    # Numbers as whole words: a question's UUID may hold "184" by chance, and a person's
    # id may equal the revision's.
    for number in [
        *[person.pk for person in people if person.pk > 9],
        *[r.submitted_at.year for r in responses],
    ]:
        if number != instrument.live_revision_id:
            assert not re.search(rf"(?<![\w-]){number}(?![\w-])", content), number
    rows = list(csv.DictReader(io.StringIO(content)))
    assert list(rows[0]) == [
        "respondent",
        "revision",
        "question_number",
        "question_id",
        "dimension",
        "question",
        "reverse_keyed",
        "answer_label",
        "answer_value",
        "scored_value",
    ]
    assert len(rows) == 3 * 6
    assert {row["respondent"] for row in rows} == {"1", "2", "3"}
    # Each respondent answered one value throughout; reverse keying mirrors it (1 <-> 3).
    for respondent in ("1", "2", "3"):
        mine = [row for row in rows if row["respondent"] == respondent]
        assert [row["question_number"] for row in mine] == ["1", "2", "3", "4", "5", "6"]
        assert len({row["answer_value"] for row in mine}) == 1
        for row in mine:
            expected = 4 - int(row["answer_value"]) if row["reverse_keyed"] == "yes" else None
            assert int(row["scored_value"]) == (expected or int(row["answer_value"]))
    first = next(row for row in rows if row["question_number"] == "3")
    assert first["question"] == "We hide our weaknesses from each other."
    assert first["dimension"] == "Trust"
    assert first["revision"] == str(instrument.live_revision_id)


def test_csv_cells_cannot_run_as_formulas(editor_client, learner, settings):
    settings.MIN_GROUP_SIZE = 1  # one respondent is enough to check the cells
    instrument = build_instrument(
        slug="formula-check",
        title="Formula check",
        dimensions=[dimension("=SUM(A1)", rule="sum")],
        sections=[("Only", [("+call someone", "=SUM(A1)"), ("@here we trust", "=SUM(A1)")])],
    )
    submit(learner, instrument, 2)

    rows = read_csv(editor_client.get(csv_url(instrument)))

    assert {row["dimension"] for row in rows} == {"'=SUM(A1)"}
    assert {row["question"] for row in rows} == {"'+call someone", "'@here we trust"}
    assert safe_cell("-1") == "'-1" and safe_cell(-1) == -1 and safe_cell("Agree") == "Agree"


def test_csv_leaves_out_drafts(editor_client, instrument, learner, other_learner, settings):
    settings.MIN_GROUP_SIZE = 1  # one respondent is enough to check what is left out
    submit(learner, instrument, 2)
    draft = services.response_start(learner=other_learner, instrument=instrument)
    services.answers_save(response=draft, answers={keys_of(instrument)[0]: 3})

    rows = read_csv(editor_client.get(csv_url(instrument)))

    assert {row["respondent"] for row in rows} == {"1"}
    assert len(rows) == 6
    assert Response.objects.drafts().count() == 1


def test_statistics_page_shows_alpha_and_left_out_answers(editor_client, instrument):
    from .test_statistics import publish_without, submit_trust

    # The worked example in test_statistics: alpha = 33/37 = 0.89.
    for row in [(3, 3, 3)] * 4 + [(1, 1, 1)] * 4 + [(3, 1, 1), (1, 3, 3)]:
        submit_trust(instrument, row)
    instrument = publish_without(instrument, drop_last=True)

    text = page_text(editor_client.get(statistics_url(instrument)))

    assert "Cronbach's alpha: <strong>0.89</strong> (from 10 responses" in text
    assert "10 submitted responses" in text
    assert "10 answers (from 10 responses) are left out" in text
    # Everyone gave Conflict the same total.
    assert "every response gave this dimension the same total" in text


def test_editor_previews_a_new_instrument_before_saving_it(editor_client):
    preview_url = reverse(f"{NAMESPACE}:preview_on_add")

    posted = editor_client.post(preview_url, instrument_form_data())
    assert posted.json()["is_valid"] is True
    response = editor_client.get(preview_url)

    assert response.status_code == 200
    text = page_text(response)
    assert "Working across boundaries" in text
    assert "Partners hold back information from us." in text
    assert not Instrument.objects.exists()


def test_figures_and_answers_are_withheld_until_enough_people_have_answered(
    editor_client, instrument, settings
):
    settings.MIN_GROUP_SIZE = 3
    for _ in range(2):
        submit(UserFactory(first_name="Zebedee"), instrument, 1)

    page = editor_client.get(statistics_url(instrument))
    text = page_text(page)
    download = editor_client.get(csv_url(instrument))

    assert "figures and the download appear once 1 more response is in" in text
    assert "Mean" not in text and csv_url(instrument) not in text
    assert download.status_code == 302
    assert download.url == statistics_url(instrument)
    assert list(statistics.export_rows(instrument)) == []

    submit(UserFactory(), instrument, 2)

    assert "2 submitted so far" not in page_text(editor_client.get(statistics_url(instrument)))
    assert len(read_csv(editor_client.get(csv_url(instrument)))) == 3 * 6


def test_an_answered_instrument_cannot_be_deleted_and_says_why(editor_client, instrument, learner):
    submit(learner, instrument, 2)
    url = reverse("wagtailsnippets_assessments_instrument:delete", args=[instrument.pk])

    confirm = editor_client.get(url)
    refused = editor_client.post(url)

    assert confirm.status_code == 302 and refused.status_code == 302
    assert refused.url == reverse("wagtailsnippets_assessments_instrument:list")
    assert Instrument.objects.filter(pk=instrument.pk).exists()
    shown = [str(message) for message in get_messages(refused.wsgi_request)]
    assert any("cannot be deleted" in message and "Unpublish" in message for message in shown)


def test_an_answered_instrument_survives_a_bulk_delete_too(editor_client, instrument, learner):
    unanswered = small_instrument(slug="never-answered", title="Never answered")
    submit(learner, instrument, 2)
    url = reverse(
        "wagtail_bulk_action",
        args=["assessments", "instrument", "delete"],
    )

    response = editor_client.post(f"{url}?id={instrument.pk}&id={unanswered.pk}")

    assert response.status_code == 302
    assert Instrument.objects.filter(pk=instrument.pk).exists()
    assert Instrument.objects.filter(pk=unanswered.pk).exists()  # nothing half-done
    # The same request for the unanswered one alone does delete it.
    editor_client.post(f"{url}?id={unanswered.pk}")
    assert not Instrument.objects.filter(pk=unanswered.pk).exists()


def test_an_instrument_nobody_answered_can_be_deleted(editor_client):
    unanswered = small_instrument(slug="never-answered", title="Never answered")
    url = reverse("wagtailsnippets_assessments_instrument:delete", args=[unanswered.pk])

    response = editor_client.post(url)

    assert response.status_code == 302
    assert not Instrument.objects.filter(pk=unanswered.pk).exists()
