"""Signed unsubscribe tokens: a person and the kind of email they can stop with one click.

The token is signed with the site's secret and a salt of its own, so it cannot be forged
or reused as any other signed value. It does not expire: an old email's link still works.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core import signing

from .models import DEFAULTS, Kind

SALT = "notifications.unsubscribe"
MAX_TOKEN_LENGTH = 200
# What one click stops: a kind itself, or for the weekly summary every kind it gathers.
SUMMARY_KINDS: tuple[str, ...] = (
    Kind.NOT_STARTED,
    Kind.GONE_QUIET,
    Kind.COMMITMENT_DUE,
    Kind.TEAM_WAITING,
    Kind.MEETING_TOMORROW,
)
UNSUBSCRIBABLE = frozenset([*DEFAULTS, Kind.WEEKLY_SUMMARY])


@dataclass(frozen=True)
class Unsubscribe:
    person_id: int
    kind: str

    @property
    def switches_off(self) -> tuple[str, ...]:
        if self.kind == Kind.WEEKLY_SUMMARY:
            return SUMMARY_KINDS
        return (self.kind,)


def unsubscribe_token(person_id: int, kind: str) -> str:
    if kind not in UNSUBSCRIBABLE:
        raise ValueError(f"{kind!r} cannot be switched off.")
    return signing.dumps([person_id, kind], salt=SALT, compress=False)


def unsubscribe_read(token: str) -> Unsubscribe | None:
    """What a token stops, or None if it is not one of ours."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    try:
        value = signing.loads(token, salt=SALT)
    except (signing.BadSignature, ValueError, UnicodeError):
        return None
    if (
        not isinstance(value, list)
        or len(value) != 2
        or not isinstance(value[0], int)
        or isinstance(value[0], bool)
        or value[1] not in UNSUBSCRIBABLE
    ):
        return None
    return Unsubscribe(person_id=value[0], kind=value[1])
