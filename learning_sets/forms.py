"""Forms for the set pages. They check what a browser sends and say what is wrong next to
the field; `member_services.py` checks again and does the writing."""

import datetime
import re
import zoneinfo
from typing import cast

from django import forms
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.fields import IdMultipleChoiceField
from core.forms import date_from_parts

from .calendars import clock
from .member_services import MAX_CHALLENGE, MAX_CHECK_IN_ANSWER, MAX_COMMITMENT
from .models import CheckIn

LONDON = zoneinfo.ZoneInfo("Europe/London")
_TIME = re.compile(r"(?P<hour>[0-9]{1,2})(?:[:.](?P<minute>[0-9]{2}))?\s*(?P<half>am|pm)?")


def _text(label, limit: int, *, required: bool, help_text="", rows: int = 4, required_message=""):
    messages = {"required": required_message} if required_message else {}
    return forms.CharField(
        label=label,
        required=required,
        max_length=limit,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={
            "max_length": gettext_lazy("%(label)s must be %(limit)s characters or fewer.")
            % {"label": label, "limit": limit},
            **messages,
        },
    )


def strip_nul(value: str) -> str:
    return (value or "").replace("\x00", "").strip()


def parse_time(text: str) -> datetime.time | None:
    """A time as people type it: 14:30, 14.30, 2:30pm, 2pm or 9am; None if it is not one."""
    match = _TIME.fullmatch(strip_nul(text).lower().replace(" ", ""))
    if match is None:
        return None
    hour = int(match["hour"])
    minute = int(match["minute"] or 0)
    if match["half"]:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if match["half"] == "pm" else 0)
    if hour > 23 or minute > 59:
        return None
    return datetime.time(hour, minute)


def london_to_utc(day: datetime.date, time: datetime.time) -> datetime.datetime:
    """A date and time on UK clocks as UTC; refuses the hour that the clocks skip in March
    and the hour they repeat in October, which name no single moment."""
    naive = datetime.datetime.combine(day, time)
    first = naive.replace(tzinfo=LONDON, fold=0)
    second = naive.replace(tzinfo=LONDON, fold=1)
    if first.utcoffset() != second.utcoffset():
        back = first.astimezone(datetime.UTC).astimezone(LONDON).replace(tzinfo=None)
        if back != naive:
            raise forms.ValidationError(
                _(
                    "The clocks go forward on %(date)s, so %(time)s does not happen that day. "
                    "Choose a time before 1am or from 2am."
                )
                % {"date": date_format(day, "j F Y"), "time": clock(naive)}
            )
        raise forms.ValidationError(
            _(
                "The clocks go back on %(date)s, so %(time)s happens twice that day. "
                "Choose a time before 1am or from 2am."
            )
            % {"date": date_format(day, "j F Y"), "time": clock(naive)}
        )
    return first.astimezone(datetime.UTC)


class ChallengeForm(forms.Form):
    challenge = _text(
        gettext_lazy("The challenge you are bringing"),
        MAX_CHALLENGE,
        required=True,
        rows=6,
        help_text=gettext_lazy(
            "A real problem from your work that you cannot solve alone and want to make "
            "progress on. Your set will see this; nobody else will."
        ),
        required_message=gettext_lazy("Enter the challenge you are bringing."),
    )

    def clean_challenge(self):
        challenge = strip_nul(self.cleaned_data["challenge"])
        if not challenge:
            raise forms.ValidationError(_("Enter the challenge you are bringing."))
        return challenge


class CommitmentForm(forms.Form):
    text = _text(
        gettext_lazy("What will you do?"),
        MAX_COMMITMENT,
        required=True,
        help_text=gettext_lazy(
            "One thing you will try before the next meeting. Make it small enough to do."
        ),
        required_message=gettext_lazy("Enter what you will do."),
    )
    # The NHS.UK date input: three boxes, checked together in clean().
    due_day = forms.CharField(label=gettext_lazy("Day"), required=False)
    due_month = forms.CharField(label=gettext_lazy("Month"), required=False)
    due_year = forms.CharField(label=gettext_lazy("Year"), required=False)

    date_fields = ("due_day", "due_month", "due_year")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.date_fields:
            self.fields[name].widget.attrs.update({"inputmode": "numeric"})

    def clean_text(self):
        text = strip_nul(self.cleaned_data["text"])
        if not text:
            raise forms.ValidationError(_("Enter what you will do."))
        return text

    def clean(self):
        cleaned = super().clean() or self.cleaned_data
        parts = [self.data.get(name, "") for name in self.date_fields]
        try:
            cleaned["due_on"] = date_from_parts(
                [part if isinstance(part, str) else "" for part in parts],
                what=_("the date you will do it by"),
                required=False,
            )
        except forms.ValidationError as error:
            self.add_error("due_day", error)
        return cleaned

    @property
    def date_errors(self):
        return self.errors.get("due_day", [])


class CommitmentChoiceField(IdMultipleChoiceField):
    """Commitments from lessons, each shown by its own words."""

    def label_from_instance(self, obj) -> str:
        return obj.text


class ShareFromLessonsForm(forms.Form):
    entries = CommitmentChoiceField(
        label=gettext_lazy("Commitments from your lessons"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Select each one you want your set to see."),
        error_messages={
            "required": gettext_lazy("Select at least one commitment to share."),
            "invalid_choice": gettext_lazy("Choose from the commitments listed."),
            "invalid_pk_value": gettext_lazy("Choose from the commitments listed."),
            "invalid_list": gettext_lazy("Choose from the commitments listed."),
        },
    )

    def __init__(self, *args, entries, **kwargs):
        super().__init__(*args, **kwargs)
        self.entries_field.queryset = entries

    @property
    def entries_field(self) -> CommitmentChoiceField:
        return cast(CommitmentChoiceField, self.fields["entries"])


class CheckInForm(forms.Form):
    status = forms.ChoiceField(
        label=gettext_lazy("How did it go?"),
        choices=CheckIn.Status.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": gettext_lazy("Select how it went."),
            "invalid_choice": gettext_lazy("Select how it went."),
        },
    )
    acted = _text(
        gettext_lazy("What did you do? (Act)"),
        MAX_CHECK_IN_ANSWER,
        required=False,
        help_text=gettext_lazy("What you actually tried, even if it was not what you planned."),
    )
    observed = _text(
        gettext_lazy("What did you notice? (Observe)"),
        MAX_CHECK_IN_ANSWER,
        required=False,
        help_text=gettext_lazy("What happened, how people responded, what surprised you."),
    )
    reflected = _text(
        gettext_lazy("What did you learn? (Reflect)"),
        MAX_CHECK_IN_ANSWER,
        required=False,
        help_text=gettext_lazy("What this tells you about the problem, or about yourself."),
    )
    next_plan = _text(
        gettext_lazy("What will you try next? (Plan)"),
        MAX_CHECK_IN_ANSWER,
        required=False,
        help_text=gettext_lazy("Your next step, to check in on at the following meeting."),
    )

    def clean(self):
        cleaned = super().clean() or self.cleaned_data
        for name in ("acted", "observed", "reflected", "next_plan"):
            if name in cleaned:
                cleaned[name] = strip_nul(cleaned[name])
        return cleaned


class MeetingForm(forms.Form):
    """A meeting's start as people in the UK read their clocks, its length and where."""

    day = forms.CharField(label=gettext_lazy("Day"), required=False)
    month = forms.CharField(label=gettext_lazy("Month"), required=False)
    year = forms.CharField(label=gettext_lazy("Year"), required=False)
    time = forms.CharField(
        label=gettext_lazy("Start time"),
        max_length=16,
        help_text=gettext_lazy("UK time. For example, 9:30am, 2pm or 14:00."),
        error_messages={
            "required": gettext_lazy("Enter the time the meeting starts."),
            "max_length": gettext_lazy("Enter a time like 9:30am, 2pm or 14:00."),
        },
    )
    duration_minutes = forms.IntegerField(
        label=gettext_lazy("Length in minutes"),
        min_value=15,
        max_value=480,
        initial=120,
        help_text=gettext_lazy("From 15 to 480 minutes. Most sets meet for 2 to 3 hours."),
        error_messages={
            "required": gettext_lazy("Enter how long the meeting is, in minutes."),
            "invalid": gettext_lazy("The length must be a whole number of minutes, like 120."),
            "min_value": gettext_lazy("The length must be at least 15 minutes."),
            "max_value": gettext_lazy("The length must be 480 minutes (8 hours) or less."),
        },
    )
    place = forms.CharField(
        label=gettext_lazy("Place (optional if you give a video link)"),
        required=False,
        max_length=200,
        help_text=gettext_lazy("The building and room, so that everyone can find it."),
        error_messages={"max_length": gettext_lazy("The place must be 200 characters or fewer.")},
    )
    video_url = forms.URLField(
        label=gettext_lazy("Video link (optional if you give a place)"),
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text=gettext_lazy("The link members use to join the call."),
        error_messages={
            "invalid": gettext_lazy("Enter the video link as a web address, like https://…"),
            "max_length": gettext_lazy("The video link must be 500 characters or fewer."),
        },
    )

    date_fields = ("day", "month", "year")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in (*self.date_fields, "duration_minutes"):
            self.fields[name].widget.attrs.update({"inputmode": "numeric"})

    def clean_place(self):
        return strip_nul(self.cleaned_data["place"])

    def clean(self):
        cleaned = super().clean() or self.cleaned_data
        parts = [self.data.get(name, "") for name in self.date_fields]
        try:
            day = date_from_parts(
                [part if isinstance(part, str) else "" for part in parts],
                what=_("the date of the meeting"),
                required=True,
            )
        except forms.ValidationError as error:
            self.add_error("day", error)
            day = None
        time = None
        if "time" in cleaned:
            time = parse_time(cleaned["time"])
            if time is None:
                self.add_error("time", _("Enter a time like 9:30am, 2pm or 14:00."))
        if day is not None and time is not None:
            try:
                cleaned["starts_at"] = london_to_utc(day, time)
            except forms.ValidationError as error:
                self.add_error("time", error)
        no_place = not cleaned.get("place") and not cleaned.get("video_url")
        if no_place and "place" not in self.errors and "video_url" not in self.errors:
            self.add_error("place", _("Enter a place or a video link, so members can join."))
        return cleaned

    @property
    def date_errors(self):
        return self.errors.get("day", [])

    @classmethod
    def initial_for(cls, meeting) -> dict:
        local = meeting.starts_at.astimezone(LONDON)
        return {
            "day": str(local.day),
            "month": str(local.month),
            "year": str(local.year),
            "time": date_format(local, "H:i"),
            "duration_minutes": meeting.duration_minutes,
            "place": meeting.place,
            "video_url": meeting.video_url,
        }


class AttendanceForm(forms.Form):
    present = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Who came?"),
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Select everyone who was there. Anyone not selected is absent."),
        error_messages={"invalid_choice": gettext_lazy("Choose from the members listed.")},
    )

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.TypedMultipleChoiceField, self.fields["present"]).choices = [
            (member.learner_id, member.learner.get_full_name() or member.learner.email)
            for member in members
        ]
