"""Background work for accounts, through Django's tasks API (the django-tasks backport).

Tasks take ids, not objects, so that they can be queued in the database backend.
"""

from django_tasks import task


@task()
def data_export_build(export_id: int, base_url: str) -> int | None:
    """Build a person's data download (`data_exports.data_export_build`); returns the
    ZIP's size in bytes, or None if there was nothing to do."""
    from . import data_exports

    export = data_exports.data_export_build(export_id=export_id, base_url=base_url)
    return export.size if export is not None else None
