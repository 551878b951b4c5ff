"""A lead nudges learners in a real browser: they tick two learners in the grid with the
keyboard, open "Send a nudge", preview and send, with axe on each page and no script
errors; the two get the email and the third does not."""

import importlib

import pytest
from django.apps import apps
from django.urls import reverse
from playwright.sync_api import expect

from notifications.models import Nudge
from tests.browser.axe import check_page
from tests.browser.keyboard import tab_to
from tests.cohorts.factories import add_members, make_cohort, make_lead
from tests.factories import DEFAULT_PASSWORD, UserFactory
from tests.modules.factories import ModulePageFactory, ProgrammePageFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

lead_permissions = importlib.import_module("cohorts.migrations.0002_programme_lead_permissions")


@pytest.fixture
def cohort(site_home):
    lead_permissions.grant(apps, None)
    lead = make_lead(first_name="Tom", last_name="Gallagher", email="lead@example.org")
    programme = ProgrammePageFactory(parent=site_home, title="Systems leadership")
    module = ModulePageFactory(parent=programme, title="Seeing the system")
    cohort = make_cohort(lead=lead, name="Northfield leaders", modules=[module])
    add_members(
        cohort,
        [
            UserFactory(first_name=first, last_name=last, email=f"{first.lower()}@example.org")
            for first, last in (("Amira", "Khan"), ("Ben", "Okafor"), ("Chloe", "Price"))
        ],
    )
    return cohort


def test_lead_chooses_learners_by_keyboard_previews_and_sends(page, sign_in, cohort, mailoutbox):
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    sign_in(email="lead@example.org", password=DEFAULT_PASSWORD)

    page.goto(reverse("cohorts_admin:grid", args=[cohort.pk]))
    for name in ("Amira Khan", "Chloe Price"):
        checkbox = page.get_by_role("checkbox", name=f"Choose {name}")
        tab_to(page, checkbox)
        page.keyboard.press("Space")
        expect(checkbox).to_be_checked()
    check_page(page, "learner grid with learners chosen")
    tab_to(page, page.get_by_role("button", name="Send a nudge to the learners you chose"))
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_contain_text("Send a nudge")
    expect(page.get_by_text("2 learners will get this nudge.")).to_be_visible()
    check_page(page, "send a nudge")

    message = page.get_by_role("textbox", name="Message")
    tab_to(page, message)
    page.keyboard.press("Control+a")
    page.keyboard.type("Hello {first_name}, the next session of {cohort_name} is on Friday.")
    tab_to(page, page.get_by_role("button", name="Preview"))
    page.keyboard.press("Enter")
    expect(page.get_by_text("Hello Amira, the next session of Northfield leaders")).to_be_visible()
    check_page(page, "nudge preview")

    tab_to(page, page.get_by_role("button", name="Send to 2 learners"))
    page.keyboard.press("Enter")

    expect(page.get_by_text("Your nudge is on its way to 2 learners.")).to_be_visible()
    assert page.url.endswith(reverse("cohorts_admin:grid", args=[cohort.pk]))
    nudge = Nudge.objects.get()
    assert (nudge.chosen, nudge.sent) == (2, 2)
    assert sorted(m.to[0] for m in mailoutbox) == ["amira@example.org", "chloe@example.org"]
    assert not errors
