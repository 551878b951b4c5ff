"""Guards around the few places in packages we use that turn bad input into a server error.

Each is installed once by `core.apps.CoreConfig.ready` and names what it guards against.
"""

from django.core.exceptions import ValidationError


def install_chooser_guard() -> None:
    """Wagtail's chooser widgets look up whatever value a form comes back with.

    A page, snippet or workflow chooser re-displaying a form whose posted id is not a
    number (`x`, `9999-12-31`) or too large for SQLite raised ValueError or OverflowError
    while rendering the form's error page (Wagtail's sites, redirects, workflows, page copy
    and move views). Such a value names no object, so the widget shows none; the form
    itself has already refused it beside the field.
    """
    from wagtail.admin.widgets.chooser import BaseChooser

    original = BaseChooser.get_instance
    if getattr(original, "guarded", False):
        return

    def get_instance(self, value):
        try:
            return original(self, value)
        except (ValueError, TypeError, OverflowError, ValidationError):
            return None

    get_instance.guarded = True
    BaseChooser.get_instance = get_instance


def install_external_link_guard() -> None:
    """Wagtail's external-link chooser form raised AttributeError when the post had no
    `url` at all (`None.startswith`); a missing URL is now the field's "required" error."""
    from wagtail.admin.forms.choosers import URLOrAbsolutePathField

    original = URLOrAbsolutePathField.to_python
    if getattr(original, "guarded", False):
        return

    def to_python(self, value):
        return original(self, "" if value is None else value)

    to_python.guarded = True
    URLOrAbsolutePathField.to_python = to_python


def install_rich_text_guard() -> None:
    """Wagtail's rich text editor (Draftail) posts its content as JSON and converted
    whatever arrived: text that is not its JSON raised JSONDecodeError or AttributeError
    (a server error, in the assessment instrument editor among others). Such a value is
    now `Unreadable`, so the field says it could not read it and nothing is saved.
    """
    from wagtail.admin.rich_text.editors.draftail import DraftailRichTextArea

    from .unreadable import Unreadable

    original = DraftailRichTextArea.value_from_datadict
    if getattr(original, "guarded", False):
        return

    def value_from_datadict(self, data, files, name):
        try:
            return original(self, data, files, name)
        except (ValueError, TypeError, AttributeError, KeyError, IndexError):
            return Unreadable("")

    value_from_datadict.guarded = True
    DraftailRichTextArea.value_from_datadict = value_from_datadict


def install_media_search_filter_guard() -> None:
    """Wagtail 8.0's image and document listings raised AttributeError (a server error)
    when a search and the usage-count filter were used together: its search backend
    cannot filter on the usage-count annotation. Wagtail already drops ordering by usage
    count while searching; the filter is now dropped the same way."""
    from wagtail.admin.filters import BaseMediaFilterSet

    original = BaseMediaFilterSet.__init__
    if getattr(original, "guarded", False):
        return

    def __init__(self, *args, is_searching=None, **kwargs):
        original(self, *args, is_searching=is_searching, **kwargs)
        if is_searching:
            self.filters.pop("usage_count", None)

    __init__.guarded = True
    BaseMediaFilterSet.__init__ = __init__


def install_page_copy_guard() -> None:
    """Wagtail's page copy view looked up the posted `new_parent_page` before its form
    checked it, so a value that is not a page's id raised ValueError or DoesNotExist.
    Such a post is now a 400; the copy form itself still checks a real page."""
    from django.core.exceptions import BadRequest
    from wagtail.admin.views.pages.copy import CopyView
    from wagtail.models import Page

    from .fields import is_id

    original = CopyView.post
    if getattr(original, "guarded", False):
        return

    def post(self, request, *args, **kwargs):
        value = request.POST.get("new_parent_page", "")
        if not is_id(value) or not Page.objects.filter(pk=int(value)).exists():
            raise BadRequest("The copy form named no page to copy into.")
        return original(self, request, *args, **kwargs)

    post.guarded = True
    CopyView.post = post


def install_redirect_import_guard() -> None:
    """Wagtail's redirect import confirmation read its signed fields even when the post
    left them out (KeyError); a missing field now keeps its "required" error."""
    from wagtail.contrib.redirects.forms import ConfirmImportManagementForm

    original = ConfirmImportManagementForm.clean
    if getattr(original, "guarded", False):
        return

    def clean(self):
        if not {"import_file_name", "input_format"} <= self.cleaned_data.keys():
            return self.cleaned_data
        return original(self)

    clean.guarded = True
    ConfirmImportManagementForm.clean = clean


def install_chooser_create_guard() -> None:
    """A Wagtail chooser's create view that offers no creation form (the self-assessment
    instrument chooser: instruments are written in their own editor) raised
    AttributeError when posted to. It now answers 404, as there is nothing to create."""
    from django.http import Http404
    from wagtail.admin.views.generic.chooser import CreateViewMixin

    original = CreateViewMixin.post
    if getattr(original, "guarded", False):
        return

    def post(self, request, *args, **kwargs):
        if self.get_creation_form_class() is None:
            raise Http404
        return original(self, request, *args, **kwargs)

    post.guarded = True
    CreateViewMixin.post = post


def install_root_page_choice_guard() -> None:
    """Wagtail's "choose several pages" response read the parent of every chosen page, so
    choosing the root page (`?id=1`, which has none) raised AttributeError. The root page
    can never be chosen in the page chooser; it is left out of the response."""
    from wagtail.admin.views.chooser import ChosenMultipleView
    from wagtail.models import Page

    original = ChosenMultipleView.get
    if getattr(original, "guarded", False):
        return

    def get(self, request, *args, **kwargs):
        roots = {str(pk) for pk in Page.objects.filter(depth=1).values_list("pk", flat=True)}
        ids = request.GET.getlist("id")
        if roots & set(ids):
            query = request.GET.copy()
            query.setlist("id", [pk for pk in ids if pk not in roots])
            request.GET = query
        return original(self, request, *args, **kwargs)

    get.guarded = True
    ChosenMultipleView.get = get
