"""Building many indexed objects with one search-index update for each.

On the site, every save of an indexed model (a page, an organisation) enqueues a task
that indexes it again, and a page published as an editor does is saved three or four
times. Code that builds many objects at once (the demo) saves them inside
`index_updates_once()`: the saves are noted rather than each enqueuing its task, and when
the block ends each object that still exists gets the same task, once.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from django.apps import apps
from django.db.models.signals import post_save
from wagtail.search import index
from wagtail.search.signal_handlers import post_save_signal_handler
from wagtail.search.tasks import insert_or_update_object_task


@contextmanager
def index_updates_paused() -> Iterator[list[type]]:
    """Stop the task that follows each save of an indexed model; yields the models paused.

    Only what this call paused is resumed, so that an inner call ends without turning
    the updates back on inside an outer one.
    """
    models = [
        model for model in index.get_indexed_models() if getattr(model, "search_auto_update", True)
    ]
    paused = [
        model for model in models if post_save.disconnect(post_save_signal_handler, sender=model)
    ]
    try:
        yield paused
    finally:
        for model in paused:
            post_save.connect(post_save_signal_handler, sender=model)


@contextmanager
def index_updates_once() -> Iterator[None]:
    """Index each object saved inside the block once, when it ends; nothing if it fails.

    Enter it outside the block's transaction, so that the tasks are enqueued after the
    commit. Deleting an object inside the block still takes it out of the index at once.
    """
    saved: dict[str, set[str]] = {}

    def note(sender, instance, raw=False, **kwargs):
        if not raw:
            saved.setdefault(sender._meta.label, set()).add(str(instance.pk))

    with index_updates_paused() as paused:
        for model in paused:
            post_save.connect(note, sender=model, weak=False)
        try:
            yield
        finally:
            for model in paused:
                post_save.disconnect(note, sender=model)
    for label, pks in saved.items():
        model = apps.get_model(label)
        for pk in model.objects.filter(pk__in=pks).order_by("pk").values_list("pk", flat=True):
            insert_or_update_object_task.enqueue(
                model._meta.app_label, model._meta.model_name, str(pk)
            )
