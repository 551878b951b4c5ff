"""The set pages for members and facilitators (`member_urls.py`).

Every page opens its set through `access.py`: a person who may not open it, or an id that
is nobody's, gets "page not found". Members must accept the ground rules before anything
else of the set is shown to them. Reads never write; every change is a POST to a service in
`member_services.py`, and a form with mistakes is shown again with the NHS.UK error
summary, having changed nothing.
"""

import re

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View
from django.views.decorators.cache import never_cache

from core.calendars import calendar_response, feed_response
from modules.lessons import learner_response

from . import calendars, member_services, selectors
from .access import SetAccess, set_access
from .forms import (
    AttendanceForm,
    ChallengeForm,
    CheckInForm,
    CommitmentForm,
    MeetingForm,
    ShareFromLessonsForm,
)
from .member_services import SetError
from .models import SharedCommitment

FEED_TOKEN = re.compile(r"[A-Za-z0-9_-]{20,64}")


def set_url(learning_set) -> str:
    return reverse("learning_sets:set", args=[learning_set.pk])


def _refused(request):
    return learner_response(
        request, confirm_message=_("Confirm your email address to open your learning set.")
    )


@method_decorator(never_cache, name="dispatch")
class MySetsView(View):
    def get(self, request):
        refused = _refused(request)
        if refused is not None:
            return refused
        return TemplateResponse(
            request, "learning_sets/member/my_sets.html", {"sets": selectors.my_sets(request.user)}
        )


@method_decorator(never_cache, name="dispatch")
class SetView(View):
    """A page of one set. `role` says who may use it: "any" (members and facilitators),
    "member" or "facilitator"."""

    role = "any"
    template_name = ""
    # The ground rules page is the one member page shown before they are accepted.
    before_ground_rules = False

    access: SetAccess

    def dispatch(self, request, *args, **kwargs):
        if request.method.lower() not in self.http_method_names or not hasattr(
            self, request.method.lower()
        ):
            return self.http_method_not_allowed(request, *args, **kwargs)
        refused = _refused(request)
        if refused is not None:
            return refused
        access = set_access(request.user, kwargs["pk"])
        if access is None:
            raise Http404
        if (self.role == "member" and not access.is_member) or (
            self.role == "facilitator" and not access.facilitates
        ):
            raise Http404
        self.access = access
        membership = access.membership
        if (
            membership is not None
            and membership.ground_rules_accepted_at is None
            and not self.before_ground_rules
            and self.role != "facilitator"
        ):
            return redirect("learning_sets:ground_rules", pk=access.learning_set.pk)
        return super().dispatch(request, *args, **kwargs)

    @property
    def learning_set(self):
        return self.access.learning_set

    @property
    def membership(self):
        return self.access.membership

    def render(self, **context):
        return TemplateResponse(
            self.request,
            self.template_name,
            {"learning_set": self.learning_set, "access": self.access, **context},
        )

    def done(self, message: str):
        messages.success(self.request, message)
        return redirect(set_url(self.learning_set))


class SetPageView(SetView):
    template_name = "learning_sets/member/set.html"

    def get(self, request, pk):
        page = selectors.set_page(self.access)
        feed_url = request.build_absolute_uri(
            reverse("learning_sets:feed", args=[self.learning_set.feed_token])
        )
        return self.render(page=page, feed_url=feed_url, now=timezone.now())


class GroundRulesView(SetView):
    role = "member"
    before_ground_rules = True
    template_name = "learning_sets/member/ground_rules.html"

    def get(self, request, pk):
        return self.render()

    def post(self, request, pk):
        already = self.membership.ground_rules_accepted_at is not None
        member_services.ground_rules_accept(membership=self.membership)
        if already:
            return redirect(set_url(self.learning_set))
        return self.done(_("Thank you. Welcome to %(name)s.") % {"name": self.learning_set.name})


class ChallengeView(SetView):
    role = "member"
    template_name = "learning_sets/member/challenge.html"

    def get(self, request, pk):
        return self.render(form=ChallengeForm(initial={"challenge": self.membership.challenge}))

    def post(self, request, pk):
        form = ChallengeForm(data=request.POST)
        if form.is_valid():
            try:
                member_services.challenge_save(
                    membership=self.membership, challenge=form.cleaned_data["challenge"]
                )
            except SetError as error:
                form.add_error("challenge", str(error))
            else:
                return self.done(_("Your challenge is saved. Your set can see it."))
        return self.render(form=form)


class CommitmentCreateView(SetView):
    role = "member"
    template_name = "learning_sets/member/commitment_form.html"

    def get(self, request, pk):
        return self.render(form=CommitmentForm())

    def post(self, request, pk):
        form = CommitmentForm(data=request.POST)
        if form.is_valid():
            try:
                member_services.commitment_share(
                    membership=self.membership,
                    text=form.cleaned_data["text"],
                    due_on=form.cleaned_data.get("due_on"),
                )
            except SetError as error:
                form.add_error("text", str(error))
            else:
                return self.done(_("Your commitment is shared with your set."))
        return self.render(form=form)


class ShareFromLessonsView(SetView):
    role = "member"
    template_name = "learning_sets/member/share_from_lessons.html"

    def entries(self):
        shared = SharedCommitment.objects.filter(
            learning_set=self.learning_set, journal_entry__isnull=False
        ).values("journal_entry_id")
        shareable = member_services.shareable_entries(self.membership.learner_id).order_by(
            "-updated_at", "-pk"
        )
        return shareable.exclude(pk__in=shared), shareable.filter(pk__in=shared)

    def get(self, request, pk):
        unshared, shared = self.entries()
        return self.render(form=ShareFromLessonsForm(entries=unshared), shared=list(shared))

    def post(self, request, pk):
        unshared, shared = self.entries()
        # Entries already shared are accepted again (a double click), and change nothing.
        form = ShareFromLessonsForm(
            data=request.POST, entries=member_services.shareable_entries(self.membership.learner_id)
        )
        if form.is_valid():
            try:
                chosen = member_services.commitments_share_from_lessons(
                    membership=self.membership, entries=form.cleaned_data["entries"]
                )
            except SetError as error:
                form.add_error("entries", str(error))
            else:
                count = len(chosen)
                return self.done(
                    ngettext(
                        "%(count)s commitment is shared with your set.",
                        "%(count)s commitments are shared with your set.",
                        count,
                    )
                    % {"count": count}
                )
        form.entries_field.queryset = unshared
        return self.render(form=form, shared=list(shared))


class CommitmentWithdrawView(SetView):
    role = "member"
    template_name = "learning_sets/member/commitment_withdraw.html"

    def commitment(self, commitment_id):
        commitment = member_services.own_commitment(
            membership=self.membership, commitment_id=commitment_id
        )
        if commitment is None:
            raise Http404
        return commitment

    def get(self, request, pk, commitment_id):
        return self.render(commitment=self.commitment(commitment_id))

    def post(self, request, pk, commitment_id):
        member_services.commitment_withdraw(
            membership=self.membership, commitment=self.commitment(commitment_id)
        )
        return self.done(_("Your commitment is withdrawn. Your set can no longer see it."))


class CheckInView(SetView):
    role = "member"
    template_name = "learning_sets/member/check_in.html"

    def objects(self, commitment_id, meeting_id):
        commitment = member_services.own_commitment(
            membership=self.membership, commitment_id=commitment_id
        )
        meeting = selectors.meeting_of(self.learning_set, meeting_id)
        if commitment is None or meeting is None or meeting.starts_at > timezone.now():
            raise Http404
        check_in = commitment.check_ins.filter(meeting=meeting).first()
        return commitment, meeting, check_in

    def get(self, request, pk, commitment_id, meeting_id):
        commitment, meeting, check_in = self.objects(commitment_id, meeting_id)
        initial = {}
        if check_in is not None:
            initial = {
                name: getattr(check_in, name)
                for name in ("status", "acted", "observed", "reflected", "next_plan")
            }
        return self.render(
            form=CheckInForm(initial=initial),
            commitment=commitment,
            meeting=meeting,
            check_in=check_in,
        )

    def post(self, request, pk, commitment_id, meeting_id):
        commitment, meeting, check_in = self.objects(commitment_id, meeting_id)
        form = CheckInForm(data=request.POST)
        if form.is_valid():
            try:
                member_services.check_in_save(
                    membership=self.membership,
                    commitment=commitment,
                    meeting=meeting,
                    **form.cleaned_data,
                )
            except SetError as error:
                form.add_error(None, str(error))
            else:
                return self.done(_("Your check-in is saved. Your set can see it."))
        return self.render(form=form, commitment=commitment, meeting=meeting, check_in=check_in)


class LeaveView(SetView):
    role = "member"
    before_ground_rules = True
    template_name = "learning_sets/member/leave.html"

    def get(self, request, pk):
        return self.render()

    def post(self, request, pk):
        name = self.learning_set.name
        member_services.set_leave(membership=self.membership)
        messages.success(
            request,
            _("You have left %(name)s. What you shared there has gone with you.") % {"name": name},
        )
        return redirect("learning_sets:my_sets")


class MeetingFormView(SetView):
    role = "facilitator"
    template_name = "learning_sets/member/meeting_form.html"

    def meeting(self, meeting_id):
        meeting = selectors.meeting_of(self.learning_set, meeting_id)
        if meeting is None:
            raise Http404
        return meeting


class MeetingCreateView(MeetingFormView):
    def get(self, request, pk):
        return self.render(form=MeetingForm(), meeting=None)

    def post(self, request, pk):
        form = MeetingForm(data=request.POST)
        if form.is_valid():
            try:
                member_services.meeting_schedule(
                    learning_set=self.learning_set,
                    by=request.user,
                    starts_at=form.cleaned_data["starts_at"],
                    duration_minutes=form.cleaned_data["duration_minutes"],
                    place=form.cleaned_data["place"],
                    video_url=form.cleaned_data["video_url"],
                )
            except SetError as error:
                form.add_error(None, str(error))
            else:
                return self.done(
                    _("The meeting is scheduled. Members can add it to their calendars.")
                )
        return self.render(form=form, meeting=None)


class MeetingEditView(MeetingFormView):
    def get(self, request, pk, meeting_id):
        meeting = self.meeting(meeting_id)
        return self.render(
            form=MeetingForm(initial=MeetingForm.initial_for(meeting)), meeting=meeting
        )

    def post(self, request, pk, meeting_id):
        meeting = self.meeting(meeting_id)
        form = MeetingForm(data=request.POST)
        if form.is_valid():
            try:
                member_services.meeting_update(
                    meeting=meeting,
                    starts_at=form.cleaned_data["starts_at"],
                    duration_minutes=form.cleaned_data["duration_minutes"],
                    place=form.cleaned_data["place"],
                    video_url=form.cleaned_data["video_url"],
                )
            except SetError as error:
                form.add_error(None, str(error))
            else:
                return self.done(_("The meeting is changed. Calendars that have it will update."))
        return self.render(form=form, meeting=meeting)


class MeetingCancelView(MeetingFormView):
    template_name = "learning_sets/member/meeting_cancel.html"

    def get(self, request, pk, meeting_id):
        meeting = self.meeting(meeting_id)
        return self.render(meeting=meeting, started=meeting.starts_at <= timezone.now())

    def post(self, request, pk, meeting_id):
        meeting = self.meeting(meeting_id)
        try:
            member_services.meeting_cancel(meeting=meeting)
        except SetError as error:
            messages.error(request, str(error))
            return redirect(set_url(self.learning_set))
        return self.done(_("The meeting is cancelled."))


class AttendanceView(MeetingFormView):
    template_name = "learning_sets/member/attendance.html"

    def started_meeting(self, meeting_id):
        meeting = self.meeting(meeting_id)
        if meeting.starts_at > timezone.now():
            raise Http404
        return meeting

    def get(self, request, pk, meeting_id):
        meeting = self.started_meeting(meeting_id)
        members = list(selectors.set_members(self.learning_set))
        form = AttendanceForm(
            members=members, initial={"present": sorted(selectors.attendance_of(meeting))}
        )
        return self.render(form=form, meeting=meeting)

    def post(self, request, pk, meeting_id):
        meeting = self.started_meeting(meeting_id)
        members = list(selectors.set_members(self.learning_set))
        form = AttendanceForm(data=request.POST, members=members)
        if form.is_valid():
            try:
                member_services.attendance_record(
                    meeting=meeting, present=form.cleaned_data["present"]
                )
            except SetError as error:
                form.add_error("present", str(error))
            else:
                return self.done(_("Attendance is recorded."))
        return self.render(form=form, meeting=meeting)


class FeedResetView(SetView):
    role = "facilitator"
    http_method_names = ["post"]

    def post(self, request, pk):
        member_services.feed_token_reset(learning_set=self.learning_set)
        return self.done(_("The calendar feed has a new address. The old address no longer works."))


class MeetingIcsView(SetView):
    """A meeting as a calendar file, for members (once they accept the ground rules) and
    facilitators."""

    def get(self, request, pk, meeting_id):
        meeting = selectors.meeting_of(self.learning_set, meeting_id)
        if meeting is None:
            raise Http404
        meeting.learning_set = self.learning_set
        return calendar_response(
            calendars.meeting_ics(meeting),
            filename=calendars.meeting_filename(meeting),
            private=True,
        )


class FeedView(View):
    """The set's private calendar feed: no sign-in, the secret in the address is the key.
    Calendars poll it, so it is never cached by anyone on the way."""

    def get(self, request, token: str):
        if not FEED_TOKEN.fullmatch(token):
            raise Http404
        found = selectors.feed_meetings(token)
        if found is None:
            raise Http404
        learning_set, meetings = found
        return feed_response(
            calendars.set_feed(learning_set, meetings), filename="learning-set.ics"
        )
