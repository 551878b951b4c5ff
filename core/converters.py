"""URL converters shared by every app.

Importing this module registers them, and `CoreConfig.ready()` imports it, so `<id:...>`
works in every URL module however it is reached: Wagtail loads the admin's URL modules
through its hooks (from `wagtail.snippets`' own `ready()`, after ours) before the
project's URLconf, and a URL module may also import this one itself.
"""

from django.urls import register_converter


class IdConverter:
    """A database id: digits that fit a 64-bit integer column.

    Django's `int` converter accepts any number of digits, and a guessed id too large for
    the database makes the query fail with a server error instead of a 404. Eighteen
    digits always fit.
    """

    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return str(int(value))


register_converter(IdConverter, "id")
