"""`core.search_index.index_updates_once`: each object saved inside is indexed once, when
the block ends, through the same task the site enqueues after every save."""

from unittest import mock

import pytest
from django.db import transaction
from wagtail.search.backends import get_search_backend

from accounts.models import Organisation
from core.search_index import index_updates_once

pytestmark = pytest.mark.django_db

TASK = "core.search_index.insert_or_update_object_task"
# The task the site enqueues after each save (modelsearch, which wagtail.search re-exports).
HANDLER_TASK = "modelsearch.signal_handlers.insert_or_update_object_task"


def found(words: str) -> set[str]:
    return {organisation.name for organisation in get_search_backend().search(words, Organisation)}


def test_each_object_saved_inside_is_indexed_once_when_the_block_ends():
    with mock.patch(HANDLER_TASK) as per_save, mock.patch(TASK) as once:
        with index_updates_once():
            riverside = Organisation.objects.create(name="Riverside Wellbeing Trust")
            riverside.name = "Riverside Wellbeing NHS Trust"
            riverside.save()
            harbour = Organisation.objects.create(name="Harbour Carers Network")
            assert not once.enqueue.called
        assert not per_save.enqueue.called

    assert sorted(call.args for call in once.enqueue.call_args_list) == sorted(
        [
            ("accounts", "organisation", str(riverside.pk)),
            ("accounts", "organisation", str(harbour.pk)),
        ]
    )


def test_what_it_indexes_is_found_and_saves_after_it_index_as_before():
    with index_updates_once():
        Organisation.objects.create(name="Riverside Wellbeing Trust")
        assert found("Riverside") == set()

    assert found("Riverside") == {"Riverside Wellbeing Trust"}
    with mock.patch(HANDLER_TASK) as per_save:
        Organisation.objects.create(name="Harbour Carers Network")
    assert per_save.enqueue.call_count == 1


def test_an_object_deleted_inside_or_a_failed_block_indexes_nothing():
    with mock.patch(TASK) as once:
        with index_updates_once():
            Organisation.objects.create(name="Gone Before The End").delete()
        assert not once.enqueue.called

        with pytest.raises(RuntimeError), index_updates_once(), transaction.atomic():
            Organisation.objects.create(name="Never Committed")
            raise RuntimeError
        assert not once.enqueue.called
