"""tests/worlds.py: a world built once per module, with each test's writes undone."""

from types import SimpleNamespace

import pytest
from django.db import connection

from accounts.models import Organisation
from tests.factories import OrganisationFactory
from tests.worlds import committing_tests, module_world

BUILDS = []


def build():
    BUILDS.append(1)
    return OrganisationFactory(name="Built once")


shared = module_world(build)


@pytest.mark.django_db
@pytest.mark.parametrize("turn", [1, 2])
def test_each_test_finds_the_world_as_built_and_its_own_writes_are_undone(shared, turn):
    assert list(Organisation.objects.values_list("name", flat=True)) == ["Built once"]
    # Within the world's transaction and the test's own savepoint.
    assert connection.in_atomic_block
    assert len(connection.savepoint_ids) >= 1

    Organisation.objects.filter(pk=shared.pk).update(name=f"Renamed in turn {turn}")
    OrganisationFactory(name=f"Added in turn {turn}")


@pytest.mark.django_db
def test_the_world_is_built_once_for_the_module_in_each_test_process(shared):
    assert len(BUILDS) == 1
    assert Organisation.objects.get(pk=shared.pk).name == "Built once"


def test_a_test_without_the_database_gets_none_while_a_world_is_alive():
    with pytest.raises(RuntimeError, match="Database access not allowed"):
        Organisation.objects.count()


def test_a_world_refuses_the_tests_of_its_module_that_commit_for_real():
    """Their commits would run inside the world's transaction and be rolled back with it."""
    here, elsewhere = object(), object()

    def item(nodeid, module, names, transaction=None):
        marker = None if transaction is None else SimpleNamespace(kwargs={"transaction": True})
        return SimpleNamespace(
            nodeid=nodeid,
            module=module,
            fixturenames=names,
            get_closest_marker=lambda name: marker,
        )

    items = [
        item("reads", here, ["shared", "db"]),
        item("live", here, ["shared", "live_server"]),
        item("flushes", here, ["shared", "transactional_db"]),
        item("commits", here, ["shared", "db"], transaction=True),
        item("without the world", here, ["transactional_db"]),
        item("another module", elsewhere, ["shared", "transactional_db"]),
    ]

    assert committing_tests(items, here, "shared") == ["live", "flushes", "commits"]
