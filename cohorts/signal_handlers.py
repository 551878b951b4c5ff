"""Put newly signed-up (or signed-in) people into the cohort they were invited to.

An invitation link followed by someone without an account leaves its token in their
session (see `views.InvitationView`). When they confirm their email address, or sign in,
the invitation is accepted through the services. If they confirmed their address in
another browser, the token is gone; any pending invitation to that confirmed address is
accepted instead. The handlers only hand over to the services.
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
    except services.JoinRefused:
        return None


def _say_joined(request, learner, cohorts: list[Cohort]) -> None:
    if _session(request, learner) is None:
        return
    for cohort in dict.fromkeys(cohorts):
        messages.success(
            request,
            _("You are a member of the cohort %(name)s. Its modules are in My learning.")
            % {"name": cohort.name},
            fail_silently=True,
        )


def accept_invitations_on_email_confirmed(sender, request, email_address, **kwargs) -> None:
    learner = email_address.user
    if learner is None:
        return
    joined = []
    if (cohort := _accept_token_from_session(request, learner)) is not None:
        joined.append(cohort)
    joined.extend(services.invitations_accept_for_email(learner=learner))
    _say_joined(request, learner, joined)


def accept_invitation_on_login(sender, request, user, **kwargs) -> None:
    if (cohort := _accept_token_from_session(request, user)) is not None:
        _say_joined(request, user, [cohort])
