"""Every kind of page keeps to its Content-Security-Policy in a real browser.

Each visit collects the browser's `securitypolicyviolation` events (recorded from before
the page's first script runs, in every frame) and fails on any, after the page has
settled; each response must carry the policy header. Public and learner pages get the
strict policy (no inline script or style), Wagtail's admin its own looser one (see
lms/settings/base.py). The editor pages are also used a little (a StreamField block menu,
the image chooser), since lazy scripts can break the policy long after the page loads.
"""

import importlib
import re
import time

import pytest
from django.apps import apps
from django.template import TemplateDoesNotExist
from django.template.loader import select_template
from django.urls import reverse
from playwright.sync_api import expect
from wagtail.embeds.embeds import get_embed_hash
from wagtail.embeds.models import Embed
from wagtail_factories import DocumentFactory, ImageFactory

from assessments.models import Instrument, Team
from home.services import privacy_notice_ensure
from modules.models import LessonPage
from tests.assessments.factories import (
    AGREEMENT,
    build_instrument,
    dimension,
    small_instrument,
    submit,
)
from tests.cohorts.factories import add_members, make_cohort, make_lead, progress
from tests.factories import DEFAULT_PASSWORD, UserFactory
from tests.modules.conftest import INTERACTIVE_BODY, block_of, build_module, publish

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

lead_permissions = importlib.import_module("cohorts.migrations.0002_programme_lead_permissions")

COLLECT_VIOLATIONS = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__csp.push(
    `${event.effectiveDirective} blocked ${event.blockedURI || "inline"} ` +
    `at ${event.sourceFile || document.location.href}:${event.lineNumber}` +
    (event.sample ? ` (${event.sample})` : "")
  );
});
"""

VIDEO_URL = "https://www.youtube.com/watch?v=csp-test"


@pytest.fixture
def page(page, live_server):
    """Collects violations in every frame, and every page response without a policy."""
    page.add_init_script(COLLECT_VIOLATIONS)
    page.unguarded = []

    def check_header(response):
        ours = response.url.startswith(live_server.url)
        is_page = response.request.resource_type == "document"
        redirect = 300 <= response.status < 400
        if (
            ours
            and is_page
            and not redirect
            and not response.header_value("content-security-policy")
        ):
            page.unguarded.append(f"{response.status} {response.url}")

    page.on("response", check_header)
    page.open_requests = set()
    page.on("request", lambda request: page.open_requests.add(request))
    page.on("requestfinished", lambda request: page.open_requests.discard(request))
    page.on("requestfailed", lambda request: page.open_requests.discard(request))
    return page


def violations(page) -> list[str]:
    found = []
    for frame in page.frames:
        try:
            found += frame.evaluate("() => window.__csp || []")
        except Exception:  # noqa: BLE001, S112 - a cross-origin frame that failed to load
            continue
    return found


# Two animation frames and then a short pause: the browser dispatches the violation
# events it has queued, and starts whatever a script asks for next.
NEXT_FRAMES = """() => new Promise(
  (done) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(done, 50)))
)"""
QUIET_ROUNDS = 2
SETTLE_SECONDS = 10


def settled(page, where: str) -> None:
    """Wait until the page has loaded and stayed quiet (no request open) for two rounds of
    `NEXT_FRAMES`, so that lazy scripts and their requests are done, then fail on any
    violation. Playwright's "networkidle" would wait 500 ms on every page instead."""
    page.wait_for_load_state("load")
    deadline = time.monotonic() + SETTLE_SECONDS
    quiet = 0
    while quiet < QUIET_ROUNDS:
        assert time.monotonic() < deadline, f"{where}: requests still open {page.open_requests}"
        page.evaluate(NEXT_FRAMES)
        quiet = 0 if page.open_requests else quiet + 1
    assert not page.unguarded, f"Pages sent without a Content-Security-Policy: {page.unguarded}"
    found = violations(page)
    assert not found, f"{where} broke its Content-Security-Policy:\n" + "\n".join(found)


def visit(page, path: str, *, status: int = 200, admin: bool = False) -> None:
    response = page.goto(path)
    assert response.status == status, (path, response.status)
    policy = response.header_value("content-security-policy")
    assert policy, f"{path} has no Content-Security-Policy header"
    assert ("'unsafe-inline'" in policy) is admin, (path, policy)
    assert "frame-ancestors 'self'" in policy if admin else "frame-ancestors 'none'" in policy
    assert response.header_value("permissions-policy").startswith("accelerometer=()")
    settled(page, path)


def lesson_with_every_block(home):
    """A lesson using every block type, the video as YouTube's oEmbed answer (cached, so
    nothing is fetched)."""
    Embed.objects.create(
        hash=get_embed_hash(VIDEO_URL),
        url=VIDEO_URL,
        type="video",
        html=(
            '<iframe width="480" height="270" src="https://www.youtube.com/embed/csp-test'
            '?feature=oembed" title="Mapping a system" allow="autoplay; encrypted-media; '
            'picture-in-picture" allowfullscreen></iframe>'
        ),
        width=480,
        height=270,
        provider_name="YouTube",
        thumbnail_url="",
    )
    _programme, module, (lesson,) = build_module(home, lessons=1)
    image = ImageFactory(title="A map of partners")
    document = DocumentFactory(title="Stakeholder map template")
    instrument = small_instrument()
    body = [
        *INTERACTIVE_BODY,
        ("heading", {"text": "Seeing the whole", "level": "h2"}),
        ("image", {"image": image, "alt_text": "A map of partners", "decorative": False}),
        ("video", {"title": "Mapping a system", "video": VIDEO_URL, "transcript": "<p>A</p>"}),
        ("quote", {"quote": "Start with who cares.", "attribution": "A ward sister"}),
        ("inset_text", {"body": "<p>Relationships first.</p>"}),
        ("callout", {"title": "Remember", "heading_level": 3, "body": "<p>Pause.</p>"}),
        (
            "details",
            {"title": "More about systems", "body": [("richtext", "<p>Boundaries.</p>")]},
        ),
        ("do_list", {"heading_level": 3, "label": "", "do": ["<p>Listen</p>"]}),
        ("dont_list", {"heading_level": 3, "label": "", "dont": ["<p>Rush</p>"]}),
        ("resource", {"document": document, "description": "A blank map"}),
        ("self_assessment", {"instrument": instrument, "introduction": "Where are you?"}),
    ]
    everything = publish(
        module,
        LessonPage(title="Every block", slug="every-block", estimated_minutes=5, body=body),
    )
    return module, lesson, everything, instrument


def test_public_pages_keep_to_the_policy(page, site_home):
    module, lesson, everything, _instrument = lesson_with_every_block(site_home)
    notice = privacy_notice_ensure(home=site_home)

    for path in [
        "/",
        module.get_parent().url,
        module.url,
        notice.url,
        "/learn/search/?q=system",
        "/accounts/login/",
        "/accounts/signup/",
        "/accounts/password/reset/",
        "/accounts/password/reset/done/",
        "/cohorts/join/",
        "/assessments/",
    ]:
        visit(page, path)
    visit(page, "/no-such-page/", status=404)
    # Chromium knows every feature the Permissions-Policy names (it logs an error for any
    # it does not, and ignores it).
    header = page.request.get("/").headers["permissions-policy"]
    named = {part.split("=")[0] for part in header.split(", ")}
    assert named <= set(page.evaluate("() => document.featurePolicy.features()"))
    # Lessons ask visitors to sign in first.
    visit(page, everything.url)
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def test_learner_pages_keep_to_the_policy(page, site_home, sign_in_with_the_form):
    module, lesson, everything, instrument = lesson_with_every_block(site_home)
    learner = UserFactory(first_name="Priya")
    previous = submit(learner, instrument, 2)
    sign_in_with_the_form(email=learner.email, password=DEFAULT_PASSWORD)
    settled(page, "the sign-in journey")

    visit(page, everything.url)
    expect(page.locator(".lms-embed iframe")).to_have_attribute(
        "src", re.compile(r"^https://www\.youtube\.com/embed/")
    )
    expect(page.get_by_role("img", name="A map of partners")).to_be_visible()
    page.get_by_text("Read the transcript").click()
    settled(page, "the lesson with every block")

    visit(page, lesson.url)
    reflection = page.locator(f"#block-{block_of(lesson, 'reflection').id}")
    reflection.get_by_role("textbox").fill("The housing officer knew the family best.")
    reflection.get_by_role("button").first.click()
    check = page.locator(f"#block-{block_of(lesson, 'knowledge_check').id}")
    check.get_by_label("Reducing loneliness").check()
    check.get_by_role("button").first.click()
    expect(check.get_by_text("Wicked.")).to_be_visible()
    settled(page, "a lesson after answering")

    for path in [
        "/learn/",
        module.url,
        "/learn/journal/",
        "/learn/search/?q=housing",
        "/assessments/results/",
        reverse("assessments:result", args=[previous.pk]),
        "/accounts/profile/",
        "/accounts/email/",
        "/accounts/password/change/",
        "/accounts/sessions/",
        "/accounts/2fa/",
    ]:
        visit(page, path)
    # Setting up an authenticator app asks for the password again, then shows a QR code.
    visit(page, "/accounts/2fa/totp/activate/")
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Continue").click()
    expect(page.locator("img.lms-qr-code")).to_be_visible()
    settled(page, "the authenticator set-up page")

    # A self-assessment from its first question page to the result and its chart.
    visit(page, instrument.get_absolute_url())
    page.get_by_role("button", name="Start").click()
    expect(page.get_by_role("progressbar")).to_be_visible()
    settled(page, "a question page")
    for number in (1, 2):
        expect(page.get_by_text(f"Section {number} of 2", exact=True)).to_be_visible()
        for group in page.get_by_role("group").all():
            group.get_by_role("radio").first.check()
        page.get_by_role("button", name=re.compile(r"^(Save and continue|Submit)")).click()
    expect(page.get_by_role("heading", level=1, name=instrument.title)).to_be_visible()
    settled(page, "a result with its chart")

    # Team pages: create one, its page, its report.
    team_instrument = build_instrument(
        slug="team-safety",
        title="Team safety",
        kind=Instrument.Kind.TEAM,
        scale=AGREEMENT,
        dimensions=[dimension("Safety", bands=[(1, "2.99", "Low"), (3, 5, "Good")])],
        sections=[("Your team", [("It is safe to take a risk here.", "Safety")])],
    )
    visit(page, f"/assessments/{team_instrument.slug}/teams/new/")
    page.get_by_label("Team name").fill("Riverside discharge team")
    page.get_by_role("button", name="Create team").click()
    expect(page.get_by_role("heading", level=1, name="Riverside discharge team")).to_be_visible()
    settled(page, "a team page")
    team = Team.objects.get()
    visit(page, f"/assessments/teams/{team.pk}/report/")
    visit(page, "/assessments/teams/join/")

    # The admin's "for staff only" page is the site's 403.
    visit(page, "/admin/pages/", status=403, admin=True)


def programme_lead():
    lead_permissions.grant(apps, None)
    return make_lead(first_name="Tom", last_name="Gallagher", email="lead@example.org")


def test_lead_admin_pages_keep_to_the_policy(page, site_home, sign_in_with_the_form):
    lead = programme_lead()
    _programme, module, _lessons = build_module(site_home, lessons=2)
    cohort = make_cohort(lead=lead, modules=[module])
    members = [UserFactory(first_name=name) for name in ("Amira", "Ben", "Chloe")]
    add_members(cohort, members)
    progress(members[0], module, done=2, total=2, completed_days_ago=2)
    progress(members[1], module, done=1, total=2)
    instrument = small_instrument()
    for value, member in zip((3, 2, 1), members, strict=True):
        submit(member, instrument, value)
    sign_in_with_the_form(email=lead.email, password=DEFAULT_PASSWORD)

    for path in [
        "/admin/",
        "/admin/cohorts/",
        f"/admin/cohorts/{cohort.pk}/",
        reverse("cohorts_admin:exports", args=[cohort.pk]),
        reverse("cohorts_admin:invite", args=[cohort.pk]),
        f"/admin/cohorts/edit/{cohort.pk}/",
    ]:
        visit(page, path, admin=True)
    visit(page, reverse("cohorts_admin:grid", args=[cohort.pk]), admin=True)
    page.get_by_role("button", name="Show filters").click()
    page.get_by_role("button", name="Organisation").click()
    page.get_by_role("combobox", name="Organisation").select_option(index=1)
    expect(page).to_have_url(re.compile(r"organisation=\d+"))
    settled(page, "the grid filtered by organisation")


def test_editor_admin_pages_keep_to_the_policy(page, site_home, sign_in_with_the_form):
    module, _lesson, everything, instrument = lesson_with_every_block(site_home)
    editor = UserFactory(
        first_name="Edith", last_name="Editor", organisation=None, is_superuser=True
    )
    sign_in_with_the_form(email=editor.email, password=DEFAULT_PASSWORD)

    visit(page, "/admin/", admin=True)
    visit(page, f"/admin/pages/{module.pk}/", admin=True)

    visit(page, f"/admin/pages/{everything.pk}/edit/", admin=True)
    page.get_by_role("button", name="Insert a block").first.click()
    expect(
        page.get_by_role("option", name="Reflection")
        .or_(page.get_by_text("Reflection", exact=True))
        .first
    ).to_be_visible()
    settled(page, "the lesson editor with its block menu open")

    visit(page, f"/admin/pages/{module.pk}/edit/", admin=True)
    page.get_by_role("button", name="Choose an image").click()
    expect(page.get_by_role("dialog")).to_be_visible()
    settled(page, "the image chooser")

    visit(page, f"/admin/snippets/assessments/instrument/edit/{instrument.pk}/", admin=True)
    visit(page, "/admin/images/", admin=True)

    # The Wagtail user bar on a public page, under the public policy.
    visit(page, everything.url)
    page.get_by_role("button", name="View Wagtail quick actions").click()
    settled(page, "the user bar on a lesson")


def test_the_check_catches_a_violation(page, live_server):
    """Guards against a check that passes because nothing was collected."""
    page.route(
        f"{live_server.url}/csp-probe/",
        lambda route: route.fulfill(
            status=200,
            headers={"Content-Type": "text/html", "Content-Security-Policy": "style-src 'self'"},
            body='<!DOCTYPE html><html lang="en"><title>Probe</title><p style="color: red">x</p>',
        ),
    )
    page.goto("/csp-probe/")

    with pytest.raises(AssertionError, match="style-src-attr blocked inline"):
        settled(page, "a page with an inline style")


def site_page(template: str) -> bool:
    """Whether the site has its own page for this error (the 400, 429 and CSRF pages come
    with the hostile-input work; until then Django's and allauth's own pages answer)."""
    try:
        select_template([template])
    except TemplateDoesNotExist:
        return False
    return True


def test_error_pages_keep_to_the_policy(page, site_home):
    learner = UserFactory(first_name="Ola")
    checked = 0

    if site_page("400.html"):
        visit(page, "/learn/search/?q=%FF", status=400)
        checked += 1

    if site_page("403_csrf.html"):
        visit(page, "/accounts/login/")
        page.context.clear_cookies()
        page.get_by_label(re.compile(r"^Email")).fill(learner.email)
        page.get_by_label(re.compile(r"^password", re.IGNORECASE)).fill(DEFAULT_PASSWORD)
        with page.expect_navigation() as navigation:
            page.get_by_role("button", name=re.compile(r"^Sign in$", re.IGNORECASE)).click()
        assert navigation.value.status == 403
        assert navigation.value.header_value("content-security-policy")
        settled(page, "the CSRF failure page")
        checked += 1

    if site_page("429.html"):
        visit(page, "/accounts/password/reset/")
        status = None
        for _attempt in range(8):
            page.get_by_label(re.compile(r"^Email")).fill(learner.email)
            with page.expect_navigation() as navigation:
                page.locator("main form").get_by_role("button").first.click()
            status = navigation.value.status
            if status == 429:
                break
            page.goto("/accounts/password/reset/")
        assert status == 429
        assert navigation.value.header_value("content-security-policy")
        settled(page, "the too-many-requests page")
        checked += 1

    if not checked:
        pytest.skip("The site has no 400, 429 or CSRF page of its own yet.")
