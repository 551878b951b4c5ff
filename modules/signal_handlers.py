"""Keep progress summaries true when lessons are published, unpublished, moved or deleted.

Publishing can happen in the editor, through a workflow or on a schedule, so Wagtail's
signals are the one place that sees every case; the handlers only call the service.
"""

from django.db.models.signals import post_delete, pre_delete
from wagtail.signals import page_published, page_unpublished, post_page_move

from . import services
from .models import LessonPage, ModulePage


def _refresh_parent_module(lesson) -> None:
    module = ModulePage.objects.parent_of(lesson).first()
    if module is not None:
        services.module_progress_refresh(module=module)


def on_lesson_published_or_unpublished(sender, instance, **kwargs):
    _refresh_parent_module(instance)


def on_lesson_moved(sender, instance, parent_page_before, parent_page_after, **kwargs):
    for parent in {parent_page_before, parent_page_after}:
        module = ModulePage.objects.filter(pk=parent.pk).first()
        if module is not None:
            services.module_progress_refresh(module=module)


def remember_module_before_delete(sender, instance, **kwargs):
    instance._module_before_delete = ModulePage.objects.parent_of(instance).first()


def on_lesson_deleted(sender, instance, **kwargs):
    module = getattr(instance, "_module_before_delete", None)
    if module is not None and ModulePage.objects.filter(pk=module.pk).exists():
        services.module_progress_refresh(module=module)


def connect() -> None:
    page_published.connect(on_lesson_published_or_unpublished, sender=LessonPage)
    page_unpublished.connect(on_lesson_published_or_unpublished, sender=LessonPage)
    post_page_move.connect(on_lesson_moved, sender=LessonPage)
    pre_delete.connect(remember_module_before_delete, sender=LessonPage)
    post_delete.connect(on_lesson_deleted, sender=LessonPage)
