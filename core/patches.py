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
