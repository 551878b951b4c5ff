"""Writes for the personal calendar feed: giving a person their feed address, and replacing
it (which revokes the old one).

The feed's secret lives on the person's `Preferences` row. A person who never changed a
preference has no row (the defaults apply), so the row is created the first time they ask
for their feed address; its other fields keep their defaults.
"""

import hmac

from django.db import IntegrityError, transaction

from accounts.models import User

from .models import Preferences, new_calendar_token


def calendar_feed_open(*, person: User) -> Preferences:
    """The person's preferences row, created if they have none, so that their feed has an
    address. Idempotent: a double click, or two requests at once, leave one row."""
    try:
        with transaction.atomic():
            preferences, _created = Preferences.objects.get_or_create(person=person)
    except IntegrityError:  # the other request created it first
        preferences = Preferences.objects.get(person=person)
    return preferences


def calendar_token_reset(*, person: User, current: str) -> Preferences:
    """Give the person's feed a new secret address; the old address stops working at once.

    `current` is the secret the page showed when the person pressed the button. Only that
    secret is replaced: a second press of the same form (a double click, or a page left open
    after an earlier reset) changes nothing, so the address the person is shown afterwards
    is the one that works.
    """
    with transaction.atomic():
        preferences = calendar_feed_open(person=person)
        preferences = Preferences.objects.select_for_update().get(pk=preferences.pk)
        if hmac.compare_digest(preferences.calendar_token.encode(), current.encode()):
            preferences.calendar_token = new_calendar_token()
            preferences.save(update_fields=["calendar_token", "updated_at"])
    return preferences
