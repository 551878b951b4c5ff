"""Keep progress summaries true when lessons are published, unpublished, moved or deleted,
and the lesson path's caches with them.

Publishing can happen in the editor, through a workflow or on a schedule, so Wagtail's
signals are the one place that sees every case; the handlers only call the service.
"""

from allauth.account.models import EmailAddress
from django.db.models.signals import post_delete, post_save, pre_delete
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished, post_page_move

from . import lessons, services
from .models import LessonPage, ModulePage


def on_any_page_changed(sender, instance, **kwargs):
    """A page was published, unpublished, moved or deleted, or an image or document
    changed: cached navigation and lesson bodies (which link to pages and show images and
    documents) are out of date."""
    lessons.tree_changed()


def on_page_deleted(sender, instance, **kwargs):
    if isinstance(instance, Page):
        lessons.tree_changed()


def on_email_address_changed(sender, instance, **kwargs):
    lessons.email_changed(instance.user_id)


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
    # Every page type: a module's or programme's title is in the lesson's navigation and
    # breadcrumbs, and any page can be linked from a lesson's text.
    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(on_any_page_changed, dispatch_uid="modules.lessons.tree_changed")
    post_delete.connect(on_page_deleted, dispatch_uid="modules.lessons.page_deleted")
    # A lesson's cached HTML holds image renditions' and documents' URLs, which change
    # when their file is replaced.
    for model in (get_image_model(), get_document_model()):
        for signal in (post_save, post_delete):
            signal.connect(on_any_page_changed, sender=model)
    for signal in (post_save, post_delete):
        signal.connect(on_email_address_changed, sender=EmailAddress)
