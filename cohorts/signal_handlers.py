"""Accept the one invitation a newcomer followed, once they have signed up or signed in.

An invitation link followed by someone who is not signed in leaves its token in their
session (see `views.InvitationView`). When they confirm their email address, or sign in,
that invitation, and only that one, is accepted through the services, which check that it
was sent to one of their verified addresses. Any other invitation to their address waits
on My learning for them to accept or decline. The handlers only hand over to the services.
"""

from django.contrib import messages
from django.utils.translation import gettext as _

from . import services
from .models import Cohort

INVITATION_SESSION_KEY = "cohorts_invitation_token"


def _session(request, learner):
    """The request's session, if it is the learner's own (not a staff member's, say)."""
    session = getattr(request, "session", None)
    user = getattr(request, "user", None)
    if session is None or (user is not None and user.is_authenticated and user.pk != learner.pk):
        return None
    return session


def _accept_token_from_session(request, learner) -> Cohort | None:
    session = _session(request, learner)
    token = session.pop(INVITATION_SESSION_KEY, None) if session is not None else None
    if not token:
        return None
    try:
        return services.invitation_accept(token=token, learner=learner)
    except services.InvitationRefused:
        return None


def _say_joined(request, learner, cohort: Cohort) -> None:
    if _session(request, learner) is None:
        return
    messages.success(
        request,
        _("You are a member of the cohort %(name)s. Its modules are in My learning.")
        % {"name": cohort.name},
        fail_silently=True,
    )


def accept_invitation_on_email_confirmed(sender, request, email_address, **kwargs) -> None:
    learner = email_address.user
    if learner is None:
        return
    if (cohort := _accept_token_from_session(request, learner)) is not None:
        _say_joined(request, learner, cohort)


def accept_invitation_on_login(sender, request, user, **kwargs) -> None:
    if (cohort := _accept_token_from_session(request, user)) is not None:
        _say_joined(request, user, cohort)
