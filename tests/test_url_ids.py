"""Every URL that takes a database id answers a guessed id too large for the database with
a 404, never a server error."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from core.converters import IdConverter
from tests.factories import UserFactory

TOO_BIG = "9" * 25


def routes_with_ids(patterns=None, prefix=""):
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        route = getattr(pattern.pattern, "_route", None)
        if route is None:  # regex patterns (Wagtail's page serving) take no ids
            continue
        if isinstance(pattern, URLResolver):
            yield from routes_with_ids(pattern.url_patterns, prefix + route)
        elif isinstance(pattern, URLPattern) and any(
            isinstance(converter, IdConverter) for converter in pattern.pattern.converters.values()
        ):
            yield prefix + route


def fill(route: str) -> str:
    route = re.sub(r"<id:\w+>", TOO_BIG, route)
    return "/" + re.sub(r"<\w+:\w+>", "x", route)


ROUTES = sorted(routes_with_ids())


def test_the_apps_use_the_bounded_id_converter():
    assert any(route.startswith("learn/") for route in ROUTES)
    assert any(route.startswith("assessments/") for route in ROUTES)


@pytest.mark.django_db
@pytest.mark.parametrize("route", ROUTES)
def test_an_id_too_big_for_the_database_is_not_found(client, route):
    # Admin pages need someone who may open them; learner pages any signed-in learner.
    admin = route.startswith("admin/")
    client.force_login(UserFactory(is_superuser=admin, is_staff=admin))

    assert client.get(fill(route)).status_code == 404
    assert client.post(fill(route)).status_code == 404


def test_the_converter_round_trips_ids():
    converter = IdConverter()
    assert converter.to_python("42") == 42
    assert converter.to_url(42) == "42"
    assert re.fullmatch(converter.regex, "9" * 18)
    assert not re.fullmatch(converter.regex, TOO_BIG)
