"""Input the site cannot read: NUL bytes and bytes that are not UTF-8.

Django decodes what a client sends leniently. An invalid UTF-8 sequence in a form post
becomes U+FFFD replacement characters when it is percent-encoded (and in multipart
posts), and turns the whole body into Latin-1 mojibake when the bytes are sent raw
(`%FF%FE%C3%28` is stored as "ÿþÃ("). A NUL byte passes through untouched, and PostgreSQL
refuses it in any text lookup with a server error.

`core.middleware.BadInputMiddleware` refuses NUL bytes outright and marks each
form value that was not valid UTF-8 as `Unreadable`; `install_unreadable_field_check()`
(run once by `core.apps.CoreConfig.ready`) makes every Django form field (ours, Wagtail's
and allauth's alike) answer such a value with a field error, so that it is never stored.
"""

from urllib.parse import unquote_to_bytes

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

REPLACEMENT_CHARACTER = "\ufffd"

UNREADABLE_MESSAGE = _("%(label)s contains characters we could not read. Type it again.")


class Unreadable(str):
    """A submitted value that was not valid UTF-8, decoded with replacement characters."""

    __slots__ = ()


def contains_nul(value) -> bool:
    return isinstance(value, str) and "\x00" in value


def is_unreadable(value) -> bool:
    """Whether a form value (a string, or a list of them) holds an unreadable part."""
    if isinstance(value, list | tuple):
        return any(is_unreadable(item) for item in value)
    return isinstance(value, Unreadable)


def urlencoded_pairs(raw: bytes):
    """Name and value bytes of an `application/x-www-form-urlencoded` string, undecoded."""
    for chunk in raw.split(b"&"):
        if not chunk:
            continue
        name, _sep, value = chunk.partition(b"=")
        yield (
            unquote_to_bytes(name.replace(b"+", b" ")),
            unquote_to_bytes(value.replace(b"+", b" ")),
        )


def decodes(raw: bytes, encoding: str = "utf-8") -> bool:
    try:
        raw.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return False
    return True


def urlencoded_is_readable(raw: bytes, encoding: str = "utf-8") -> bool:
    """Whether every name and value in an urlencoded string decodes strictly."""
    return all(
        decodes(name, encoding) and decodes(value, encoding)
        for name, value in urlencoded_pairs(raw)
    )


def _clean_bound_field(original):
    def clean_bound_field(self, bf):
        if not self.disabled and is_unreadable(bf.data):
            raise ValidationError(
                UNREADABLE_MESSAGE, code="unreadable", params={"label": bf.label or bf.name}
            )
        return original(self, bf)

    clean_bound_field.unreadable_check = True
    return clean_bound_field


def install_unreadable_field_check() -> None:
    """Make every form field refuse an `Unreadable` value with a field error.

    Django cleans each bound field through `Field._clean_bound_field`, so wrapping it once
    covers every form without editing any of them. File fields override the method and
    are left alone: a file's bytes are not text.
    """
    if getattr(forms.Field._clean_bound_field, "unreadable_check", False):
        return
    forms.Field._clean_bound_field = _clean_bound_field(forms.Field._clean_bound_field)
