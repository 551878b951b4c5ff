"""Every data-download URL, for every kind of visitor: the exact status, and nothing of
another person's download in any page or file.

The rule: a download is its owner's alone. Anonymous visitors are sent to sign in (302);
anyone else signed in, site admins included, is told "not found" (404), whether the id
exists or not; the owner gets the file when it is ready, "not found" before, and "gone"
(410) once it has expired. The file's storage name is reachable at no other address.
A new URL under /accounts/data/ fails `test_every_data_url_is_in_the_matrix` until it is
given its statuses here.
"""

import datetime

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from accounts.data_exports import data_export_request
from accounts.models import DataExport
from accounts.roles import COURSE_EDITOR, PROGRAMME_LEAD, SITE_ADMIN
from tests.cohorts.factories import with_role
from tests.factories import UserFactory

from .data_exports import FakeProvider, use_private_folder, use_provider

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "owner", "learner", "lead", "course editor", "site admin"]
PAGES = ["page", "download", "expired download", "queued download", "other's download"]
FILE_PATHS = ["file in media", "file in private", "file at root"]
URL_NAMES = {"accounts_data", "accounts_data_download"}


def expected_status(role: str, page: str) -> int:
    if page in FILE_PATHS:
        return 404
    if role == "anonymous":
        return 302
    if page == "page":
        return 200
    if role != "owner" or page in {"queued download", "other's download"}:
        return 404
    return 410 if page == "expired download" else 200


@pytest.fixture
def world(settings, monkeypatch, tmp_path, django_capture_on_commit_callbacks):
    use_private_folder(settings, monkeypatch, tmp_path / "private")
    use_provider(monkeypatch, FakeProvider(note="Owner's private note"))
    owner = UserFactory(email="owner@example.org")
    stranger = UserFactory(email="stranger@example.org")
    exports = {}
    with django_capture_on_commit_callbacks(execute=True):
        exports["download"] = data_export_request(user=owner)
        exports["expired download"] = data_export_request(user=stranger)
        exports["other's download"] = data_export_request(user=UserFactory())
    for export in exports.values():
        export.refresh_from_db()
    # The stranger's is made the owner's, and expired (it keeps its own file).
    DataExport.objects.filter(pk=exports["expired download"].pk).update(
        user=owner, expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    exports["queued download"] = DataExport.objects.create(user=owner)
    return {
        "exports": exports,
        "anonymous": None,
        "owner": owner,
        "learner": stranger,
        "lead": with_role(UserFactory(), PROGRAMME_LEAD),
        "course editor": with_role(UserFactory(), COURSE_EDITOR),
        "site admin": with_role(UserFactory(is_superuser=True, is_staff=True), SITE_ADMIN),
    }


def urls(world) -> dict[str, str]:
    exports = world["exports"]
    name = exports["download"].file.name
    return {
        "page": reverse("accounts_data"),
        **{
            page: reverse("accounts_data_download", args=[exports[page].pk])
            for page in ("download", "expired download", "queued download", "other's download")
        },
        "file in media": f"/media/{name}",
        "file in private": f"/private/{name}",
        "file at root": f"/{name}",
    }


def body(response) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


@pytest.mark.parametrize("role", ROLES)
def test_every_data_url_answers_each_role_exactly(client, world, role):
    user = world[role]
    if user is not None:
        client.force_login(user)

    for page, url in urls(world).items():
        response = client.get(url)

        assert response.status_code == expected_status(role, page), (role, page)
        if role != "owner":
            content = body(response)
            assert b"owner@example.org" not in content, (role, page)
            assert b"PK\x03\x04" not in content[:4], (role, page)


@pytest.mark.parametrize("role", ROLES)
def test_posting_to_any_data_url_asks_only_for_ones_own_download(client, world, role):
    user = world[role]
    if user is not None:
        client.force_login(user)
    before = DataExport.objects.count()

    for page, url in urls(world).items():
        response = client.post(url)
        if page in FILE_PATHS:
            expected = 404
        elif role == "anonymous":
            expected = 302  # to sign in
        elif page == "page":
            # The owner's own build is queued already: refused, with the reason.
            expected = 200 if role == "owner" else 302
        else:
            expected = 405  # a download is only fetched
        assert response.status_code == expected, (role, page)

    made = list(DataExport.objects.order_by("pk")[before:].values_list("user_id", flat=True))
    assert made == ([] if role in {"anonymous", "owner"} else [user.pk])


def test_every_data_url_is_in_the_matrix():
    def names(patterns, prefix=""):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                yield from names(pattern.url_patterns, route)
            elif isinstance(pattern, URLPattern) and route.startswith("accounts/data"):
                yield pattern.name

    assert set(names(get_resolver().url_patterns)) == URL_NAMES


def test_the_owners_download_is_the_zip_so_the_checks_above_can_fail(client, world):
    client.force_login(world["owner"])
    content = body(client.get(urls(world)["download"]))
    assert content.startswith(b"PK\x03\x04")
    assert b"owner@example.org" in client.get(urls(world)["page"]).content
