"""Meeting times as the set pages show them: on UK clocks, in the NHS.UK style."""

import datetime

from django import template

from ..calendars import LONDON, clock

register = template.Library()


@register.filter
def uk_clock(moment: datetime.datetime | None) -> str:
    """`{{ meeting.starts_at|uk_clock }}`: 9:30am or 2pm, UK time."""
    if moment is None:
        return ""
    return clock(moment.astimezone(LONDON))
