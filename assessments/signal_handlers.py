"""Signal handlers for assessments: they only hand over to the module that owns the work."""

from django.db.models.signals import post_save
from wagtail.models import Revision

from .definitions import forget_revision


def _forget_cached_questionnaire(sender, instance, **kwargs):
    """A revision saved under an id may differ from one cached under it (see
    `definitions.forget_revision`); the questionnaire cache is per process."""
    forget_revision(instance.pk)


def connect() -> None:
    post_save.connect(
        _forget_cached_questionnaire,
        sender=Revision,
        dispatch_uid="assessments.forget_cached_questionnaire",
    )
