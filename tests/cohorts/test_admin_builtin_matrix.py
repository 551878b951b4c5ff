"""Wagtail's own admin URLs, for every kind of visitor: the exact status, and nothing of a
cohort the visitor may not see (its name, its lead, its members' names and emails) in
any page or export.

The URLs come from the resolver: every pattern under /admin/ whose arguments this file
knows how to fill (a page, an image, a document, an instrument, a user, an organisation,
a group, a site, a collection, a cohort). Views that offer Wagtail's CSV and XLSX export
are also fetched with `?export=csv` and `?export=xlsx`. A new admin URL fails
`test_every_admin_url_has_an_expected_status` until it is given its statuses below.

Anonymous visitors are sent to sign in; signed-in learners get the "admin is for staff"
page (403); staff get what their permissions allow, and Wagtail's "permission denied"
redirect to the admin home (302) otherwise. Cohort URLs here are about cohort A, which
"lead" leads and "other lead" does not.
"""

import io
import re

import openpyxl
import pytest
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.urls import URLResolver, get_resolver, reverse
from wagtail.admin.views.mixins import SpreadsheetExportMixin
from wagtail.documents.models import Document
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Collection, Site

from accounts.roles import COURSE_EDITOR, LEARNER
from cohorts import services
from learning_sets.models import LearningSet
from tests.assessments.factories import small_instrument
from tests.factories import UserFactory

from .factories import make_site_admin, with_role

ROLES = ["anonymous", "learner", "lead", "other lead", "course editor", "site admin"]
STAFF = ROLES[2:]

# Not fetched: signing out ends the session; Wagtail's "failwhale" raises on purpose to
# test error reporting (a 500 for any admin user; see the report for issue 10).
NOT_FETCHED = {"wagtailadmin_logout", "wagtailadmin_error_test"}

# URLs Wagtail leaves open to everyone (they do not pass `require_admin_access`).
OPEN = {
    "wagtailadmin_sprite": 200,
    "wagtailadmin_javascript_catalog": 200,
    "wagtailadmin_login": 302,  # to our sign-in page
    # WAGTAIL_PASSWORD_RESET_ENABLED is off: people reset through allauth.
    "wagtailadmin_password_reset": 404,
    "wagtailadmin_password_reset_done": 404,
    "wagtailadmin_password_reset_complete": 404,
}

# Statuses for lead, other lead, course editor and site admin, by URL name ("?export="
# variants answer as their page does). 302 is Wagtail's "permission denied" redirect.
STAFF_STATUSES: dict[tuple[int, int, int, int], set[str]] = {
    # Any admin user: the home page, their account, choosers, the admin API, and the site
    # history (narrowed to what each may read, see core/audit.py).
    (200, 200, 200, 200): {
        "wagtailadmin_account",
        "wagtailadmin_api:documents:detail",
        "wagtailadmin_api:documents:listing",
        "wagtailadmin_api:images:detail",
        "wagtailadmin_api:images:listing",
        "wagtailadmin_api:pages:listing",
        "wagtailadmin_choose_page",
        "wagtailadmin_choose_page_anchor_link",
        "wagtailadmin_choose_page_child",
        "wagtailadmin_choose_page_chosen_multiple",
        "wagtailadmin_choose_page_email_link",
        "wagtailadmin_choose_page_external_link",
        "wagtailadmin_choose_page_phone_link",
        "wagtailadmin_choose_page_search",
        "wagtailadmin_dismissibles",
        "wagtailadmin_home",
        "wagtailadmin_pages:confirm_workflow_cancellation",
        "wagtailadmin_reports:site_history",
        "wagtailadmin_reports:site_history_results",
        "wagtailadmin_tag_autocomplete",
        "wagtailadmin_workflows:task_chooser",
        "wagtailadmin_workflows:task_chooser_create",
        "wagtailadmin_workflows:task_chooser_results",
        "wagtaildocs_chooser:choose",
        "wagtaildocs_chooser:choose_results",
        "wagtaildocs_chooser:chosen_multiple",
        "wagtailembeds:chooser",
        "wagtailembeds:chooser_upload",
        "wagtailimages_chooser:choose",
        "wagtailimages_chooser:choose_results",
        "wagtailimages_chooser:chosen_multiple",
        "wagtailsnippetchoosers_assessments_instrument:choose",
        "wagtailsnippetchoosers_assessments_instrument:choose_results",
        "wagtailsnippetchoosers_assessments_instrument:chosen_multiple",
    },
    # The Cohorts screens: leads and site admins.
    (200, 200, 302, 200): {
        "cohort:add",
        "cohort:index",
        "cohort:index_results",
    },
    # Cohort A: its leads and site admins; another lead's cohort is not found.
    (200, 404, 302, 200): {
        "cohort:edit",
    },
    (200, 404, 404, 200): {
        "cohort:delete",
        "cohort:history",
        "cohort:history_results",
        "cohort:usage",
        "cohorts_admin:dashboard",
        "cohorts_admin:exports",
        "cohorts_admin:grid",
        "cohorts_admin:grid_results",
        "cohorts_admin:invite",
        "learning_sets_admin:add",
        "learning_sets_admin:delete",
        "learning_sets_admin:facilitator",
        "learning_sets_admin:move",
        "learning_sets_admin:overview",
        "learning_sets_admin:rename",
        "learning_sets_admin:suggest",
    },
    # Content: course editors and site admins.
    (302, 302, 200, 200): {
        "wagtailadmin_explore",
        "wagtailadmin_explore_results",
        "wagtailadmin_explore_root",
        "wagtailadmin_pages:copy",
        "wagtailadmin_pages:edit",
        "wagtailadmin_pages:history",
        "wagtailadmin_pages:history_results",
        "wagtailadmin_pages:preview_on_edit",
        "wagtailadmin_pages:search",
        "wagtailadmin_pages:search_results",
        "wagtailadmin_pages:usage",
        "wagtailadmin_pages:view_draft",
        "wagtailadmin_pages:workflow_history",
        "wagtailadmin_reports:aging_pages",
        "wagtailadmin_reports:aging_pages_results",
        "wagtailadmin_reports:locked_pages",
        "wagtailadmin_reports:locked_pages_results",
        "wagtailadmin_reports:page_types_usage",
        "wagtailadmin_reports:page_types_usage_results",
        "wagtailadmin_reports:workflow",
        "wagtailadmin_reports:workflow_results",
        "wagtailadmin_reports:workflow_tasks",
        "wagtailadmin_reports:workflow_tasks_results",
        "wagtaildocs:add",
        "wagtaildocs:add_multiple",
        "wagtaildocs:delete",
        "wagtaildocs:document_usage",
        "wagtaildocs:edit",
        "wagtaildocs:index",
        "wagtaildocs:index_results",
        "wagtaildocs_chooser:create",
        "wagtailforms:index",
        "wagtailforms:index_results",
        "wagtailimages:add",
        "wagtailimages:add_multiple",
        "wagtailimages:delete",
        "wagtailimages:edit",
        "wagtailimages:image_usage",
        "wagtailimages:index",
        "wagtailimages:index_results",
        "wagtailimages_chooser:create",
        "wagtailimages_chooser:select_format",
        "wagtailsnippetchoosers_assessments_instrument:create",
        "wagtailsnippets_assessments_instrument:add",
        "wagtailsnippets_assessments_instrument:delete",
        "wagtailsnippets_assessments_instrument:edit",
        "wagtailsnippets_assessments_instrument:history",
        "wagtailsnippets_assessments_instrument:history_results",
        "wagtailsnippets_assessments_instrument:list",
        "wagtailsnippets_assessments_instrument:list_results",
        "wagtailsnippets_assessments_instrument:preview_on_add",
        "wagtailsnippets_assessments_instrument:preview_on_edit",
        "wagtailsnippets_assessments_instrument:statistics",
        "wagtailsnippets_assessments_instrument:statistics_csv",
        "wagtailsnippets_assessments_instrument:unpublish",
        "wagtailsnippets_assessments_instrument:usage",
    },
    # People, organisations, sites, page moves and failed tasks: site admins only.
    (302, 302, 302, 200): {
        "core_failed_tasks",
        "core_failed_tasks_results",
        "data_requests:erase",
        "data_requests:export",
        "data_requests:index",
        "data_requests:person",
        "organisations:add",
        "organisations:approve",
        "organisations:delete",
        "organisations:edit",
        "organisations:history",
        "organisations:history_results",
        "organisations:index",
        "organisations:index_results",
        "organisations:merge",
        "organisations:usage",
        "wagtailadmin_pages:delete",
        "wagtailadmin_pages:move",
        "wagtailadmin_pages:set_privacy",
        "wagtailadmin_pages:unpublish",
        "wagtailsites:edit",
        "wagtailsites:history",
        "wagtailsites:history_results",
        "wagtailsites:index",
        "wagtailsites:index_results",
        "wagtailsites:usage",
        "wagtailusers_groups:add",
        "wagtailusers_groups:delete",
        "wagtailusers_groups:edit",
        "wagtailusers_groups:history",
        "wagtailusers_groups:history_results",
        "wagtailusers_groups:index",
        "wagtailusers_groups:index_results",
        "wagtailusers_groups:usage",
        "wagtailusers_users:add",
        "wagtailusers_users:copy",
        "wagtailusers_users:delete",
        "wagtailusers_users:edit",
        "wagtailusers_users:history",
        "wagtailusers_users:history_results",
        "wagtailusers_users:index",
        "wagtailusers_users:index_results",
        "wagtailusers_users:usage",
    },
    # Nobody but a superuser.
    (302, 302, 302, 302): {
        "wagtailadmin_collections:add",
        "wagtailadmin_collections:edit",
        "wagtailadmin_collections:index",
        "wagtailadmin_collections:set_privacy",
        "wagtailadmin_pages:add_subpage",
        "wagtailadmin_pages:revisions_index",
        "wagtailadmin_workflows:add",
        "wagtailadmin_workflows:index",
        "wagtailadmin_workflows:index_results",
        "wagtailadmin_workflows:select_task_type",
        "wagtailadmin_workflows:task_index",
        "wagtailadmin_workflows:task_index_results",
        "wagtailforms:delete_submissions",
        "wagtailredirects:add",
        "wagtailredirects:index",
        "wagtailredirects:index_results",
        "wagtailredirects:process_import",
        "wagtailredirects:start_import",
        "wagtailsettings:edit",
        "wagtailsites:add",
        "wagtailsites:copy",
        "wagtailsites:delete",
        "wagtailsnippets:index",
    },
    # WAGTAILIMAGES_URL_GENERATOR is off.
    (302, 302, 404, 404): {
        "wagtailimages:url_generator",
        "wagtailimages:url_generator_output",
    },
    # Our certificate regeneration view refuses with a plain 403.
    (403, 403, 403, 200): {
        "modules_certificates_regenerate",
    },
    # The admin API finds a page only for people with page permissions.
    (404, 404, 200, 200): {
        "wagtailadmin_api:pages:detail",
    },
    # Features that are off, or objects these URLs cannot be given (no form page, alias).
    (404, 404, 404, 404): {
        "wagtailadmin_api:documents:find",
        "wagtailadmin_api:images:find",
        "wagtailadmin_api:pages:find",
        "wagtailadmin_block_preview",
        "wagtailadmin_collections:delete",
        "wagtailadmin_pages:convert_alias",
        "wagtailforms:list_submissions",
        "wagtailforms:list_submissions_results",
    },
    # POST only.
    (405, 405, 405, 405): {
        "wagtailadmin_pages:lock",
        "wagtailadmin_pages:set_page_position",
        "wagtailadmin_pages:unlock",
        "wagtaildocs:delete_multiple",
        "wagtaildocs:edit_multiple",
        "wagtailimages:delete_multiple",
        "wagtailimages:edit_multiple",
    },
}


def walk(patterns, prefix="", namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace + (f"{pattern.namespace}:" if pattern.namespace else "")
            yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif pattern.name:
            yield prefix + str(pattern.pattern), namespace + pattern.name, pattern


def is_export_view(pattern) -> bool:
    view_class = getattr(pattern.callback, "view_class", None)
    return view_class is not None and issubclass(view_class, SpreadsheetExportMixin)


@pytest.fixture
def world(lead, cohort, other_cohort, site_admin, programme):
    other_lead = other_cohort.leads.get()
    services.cohort_access_record(user=lead, cohort=cohort, action=services.VIEW_ACTION)
    services.cohort_access_record(
        user=other_lead, cohort=other_cohort, action=services.EXPORT_ACTION, detail="csv"
    )
    services.cohort_access_record(user=site_admin, cohort=other_cohort, action=services.VIEW_ACTION)
    hidden = other_cohort.members.get()
    objects = {
        "page": programme,
        "image": _image(),
        "document": Document.objects.create(
            title="Facilitator notes", file=ContentFile(b"notes", name="notes.txt")
        ),
        "instrument": small_instrument(),
        "learning set": LearningSet.objects.create(cohort=cohort, name="Tuesday set"),
        "user": hidden,
        "organisation": hidden.organisation,
        "group": Group.objects.get(name=LEARNER),
        "site": Site.objects.get(is_default_site=True),
        "collection": Collection.get_first_root_node(),
        "cohort": cohort,
    }
    users = {
        "anonymous": None,
        "learner": with_role(UserFactory()),
        "lead": lead,
        "other lead": other_lead,
        "course editor": with_role(UserFactory(organisation=None), COURSE_EDITOR),
        "site admin": site_admin,
    }
    return {"users": users, "objects": objects, "cohort": cohort, "other": other_cohort}


def _image():
    from wagtail.images.models import Image

    return Image.objects.create(title="Team photo", file=get_test_image_file())


PAGE_ARGS = {"page_id", "parent_page_id", "page_to_move_id"}
PK_BY_NAMESPACE = {
    "wagtailadmin_api:pages": "page",
    "wagtailadmin_api:images": "image",
    "wagtailadmin_api:documents": "document",
    "wagtailsnippets_assessments_instrument": "instrument",
    "wagtailusers_users": "user",
    "wagtailusers_groups": "group",
    "organisations": "organisation",
    "wagtailsites": "site",
    "wagtailadmin_collections": "collection",
    "cohort": "cohort",
    "cohorts_admin": "cohort",
    "learning_sets_admin": "cohort",
    "data_requests": "user",
}


ROUTE_ARGUMENT = re.compile(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>")


def fill(name: str, route: str, objects) -> dict | None:
    """Keyword arguments for the route (its own and those of the includes it sits in),
    or None if this file cannot fill them."""
    kwargs = {}
    for key in (own or outer for own, outer in ROUTE_ARGUMENT.findall(route)):
        if key in PAGE_ARGS:
            kwargs[key] = objects["page"].pk
        elif key == "image_id":
            kwargs[key] = objects["image"].pk
        elif key in {"document_id", "doc_id"}:
            kwargs[key] = objects["document"].pk
        elif key == "collection_id":
            kwargs[key] = objects["collection"].pk
        elif key == "set_id":
            kwargs[key] = objects["learning set"].pk
        elif key == "pk" and name.rpartition(":")[0] in PK_BY_NAMESPACE:
            kwargs[key] = objects[PK_BY_NAMESPACE[name.rpartition(":")[0]]].pk
        elif key == "app_name" and name == "wagtailsettings:edit":
            kwargs[key] = "home"
        elif key == "model_name" and name == "wagtailsettings:edit":
            kwargs[key] = "sitesettings"
        else:
            return None
    return kwargs


def admin_urls(objects) -> dict[str, str]:
    """Every admin URL this file can build, by name ("<name> ?export=csv" for exports)."""
    urls = {}
    for route, name, pattern in walk(get_resolver().url_patterns):
        if not route.startswith("admin/") or name in NOT_FETCHED:
            continue
        kwargs = fill(name, route, objects)
        if kwargs is None or name in urls:
            continue
        url = reverse(name, kwargs=kwargs)
        urls[name] = url
        if is_export_view(pattern):
            for export_format in ("csv", "xlsx"):
                urls[f"{name} ?export={export_format}"] = f"{url}?export={export_format}"
    return urls


def expected_status(role: str, name: str) -> int:
    page = name.split(" ?export=")[0]
    if page in OPEN:
        return OPEN[page]
    if role == "anonymous":
        return 302
    if role == "learner":
        return 403
    for statuses, names in STAFF_STATUSES.items():
        if page in names:
            return statuses[STAFF.index(role)]
    raise KeyError(f"{page}: give this admin URL its expected statuses in STAFF_STATUSES")


def body(response) -> str:
    """Everything a response shows, spreadsheets included, as text."""
    content_type = response.get("Content-Type", "")
    raw = (
        b"".join(response.streaming_content)
        if getattr(response, "streaming", False)
        else response.content
    )
    if content_type.startswith("application/vnd.openxmlformats-officedocument.spreadsheetml"):
        workbook = openpyxl.load_workbook(io.BytesIO(raw))
        return "\n".join(
            ",".join(str(cell) for cell in row if cell is not None)
            for sheet in workbook.worksheets
            for row in sheet.iter_rows(values_only=True)
        )
    return raw.decode(errors="replace")


def about(cohort) -> list[str]:
    """What would give a cohort away: its name, its members' names and emails. (Leads'
    names are not secret from other leads: they choose co-leads from them.)"""
    members = list(cohort.members.all())
    return [cohort.name, *(m.get_full_name() for m in members), *(m.email for m in members)]


def hidden_from(role: str, world) -> list[str]:
    if role == "site admin":
        return []
    if role == "lead":
        return about(world["other"])
    if role == "other lead":
        return about(world["cohort"])
    return about(world["cohort"]) + about(world["other"])


def test_every_admin_url_has_an_expected_status(world):
    urls = admin_urls(world["objects"])

    for name in urls:
        for role in ROLES:
            expected_status(role, name)  # raises for a URL nobody has considered
    # The reports, history and usage views the issue names are all among them.
    for name in (
        "wagtailadmin_reports:site_history ?export=csv",
        "wagtailadmin_reports:aging_pages ?export=xlsx",
        "wagtailadmin_reports:locked_pages",
        "wagtailadmin_reports:workflow",
        "wagtailadmin_reports:workflow_tasks",
        "wagtailadmin_reports:page_types_usage",
        "wagtailadmin_pages:search",
        "wagtailadmin_pages:history",
        "wagtailadmin_pages:usage",
        "wagtailimages:image_usage",
        "wagtaildocs:document_usage",
        "wagtailsnippets_assessments_instrument:history",
        "wagtailadmin_workflows:index",
        "wagtailadmin_collections:index",
        "wagtailusers_users:history",
        "wagtailusers_groups:index",
        "wagtailsettings:edit",
        "wagtailredirects:index",
        "wagtailforms:index",
        "organisations:index ?export=csv",
        "cohort:history",
        "data_requests:index",
        "data_requests:person",
        "data_requests:export",
        "data_requests:erase",
    ):
        assert name in urls, name


@pytest.mark.parametrize("role", ROLES)
def test_every_admin_url_answers_each_role_exactly_and_hides_other_cohorts(client, world, role):
    user = world["users"][role]
    if user is not None:
        client.force_login(user)
    hidden = hidden_from(role, world)
    wrong = []

    for name, url in admin_urls(world["objects"]).items():
        response = client.get(url)
        expected = expected_status(role, name)
        if response.status_code != expected:
            wrong.append(f"{name}: {response.status_code}, expected {expected}")
            continue
        if response.status_code == 302 and role != "anonymous":
            assert not response["Location"].startswith("/accounts/login/") or name in OPEN, name
        if response.status_code == 200:
            text = body(response)
            wrong.extend(f"{name} shows {needle!r}" for needle in hidden if needle in text)

    assert wrong == [], role


def test_anonymous_visitors_are_sent_to_sign_in_and_come_back(client, world):
    url = reverse("wagtailadmin_reports:site_history")

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={url}"


def test_staff_without_permission_are_sent_to_the_admin_home(client, world):
    client.force_login(world["users"]["lead"])

    response = client.get(reverse("wagtailusers_users:edit", args=[world["objects"]["user"].pk]))

    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_home")


# The site history report, in detail ---------------------------------------------------


def site_history(client, **params):
    return body(client.get(reverse("wagtailadmin_reports:site_history"), params))


def test_a_lead_reads_only_their_own_cohorts_in_the_site_history(client, world):
    client.force_login(world["users"]["lead"])

    for params in ({}, {"export": "csv"}, {"export": "xlsx"}):
        text = site_history(client, **params)
        assert world["cohort"].name in text, params
        for needle in about(world["other"]):
            assert needle not in text, (params, needle)
    results = body(client.get(reverse("wagtailadmin_reports:site_history_results")))
    assert world["cohort"].name in results
    assert world["other"].name not in results


def test_the_site_history_filters_offer_a_lead_only_what_happened_to_their_cohorts(client, world):
    client.force_login(world["users"]["lead"])

    page = site_history(client)

    # Cohort A was created and viewed; only the other cohort was exported.
    assert 'value="cohorts.view"' in page
    assert 'value="wagtail.create"' in page
    assert 'value="cohorts.export"' not in page


def test_searching_for_another_cohort_by_name_shows_a_lead_no_entries(client, world):
    client.force_login(world["users"]["lead"])
    url = reverse("wagtailadmin_reports:site_history_results")

    theirs = body(client.get(url, {"label": world["other"].name}))
    ours = body(client.get(url, {"label": world["cohort"].name}))

    assert theirs.count('<td class="title">') == 0
    assert ours.count('<td class="title">') == 2  # created, viewed


def test_a_site_admin_reads_every_cohort_in_the_site_history_even_deleted_ones(client, world):
    client.force_login(world["users"]["site admin"])
    other_name = world["other"].name
    world["other"].delete()

    text = site_history(client, export="csv")

    assert world["cohort"].name in text
    assert other_name in text


def test_a_superuser_reads_every_cohort_in_the_site_history(client, world):
    client.force_login(UserFactory(is_superuser=True))

    text = site_history(client, export="csv")

    assert world["cohort"].name in text
    assert world["other"].name in text


def test_the_hidden_cohort_is_findable_where_allowed_so_the_scans_can_fail(client, world):
    client.force_login(world["users"]["other lead"])
    assert world["other"].name in site_history(client)

    client.force_login(make_site_admin(email="second.admin@example.org"))
    assert world["other"].name in site_history(client, export="xlsx")
    users = body(client.get(reverse("wagtailusers_users:index")))
    assert world["other"].members.get().email in users
