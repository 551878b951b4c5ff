"""The privacy notice a new site starts with.

It describes what this software actually holds and does. The parts only the organisation
running the site can know (who it is, its lawful bases, its suppliers, where it hosts)
are left in [square brackets] for a site admin to complete before publishing. The numbers
(how long invitations and exports last, the smallest group a lead sees) come from the
settings, so the text is true to the site it is created on.

The cookie statement is not part of this text: the page adds it from `home.cookies`.
"""

from django.conf import settings
from django.utils.html import escape

DEFAULT_INTRODUCTION = (
    "How we use the information you give us when you learn with us, who can see it, how "
    "long we keep it, and your rights."
)


def _days(count: int) -> str:
    return "1 day" if count == 1 else f"{count} days"


def _years_or_days(days: int) -> str:
    if days % 365 == 0:
        years = days // 365
        return "1 year" if years == 1 else f"{years} years"
    return _days(days)


def default_body() -> str:
    """The notice's template text, as Wagtail rich text (HTML)."""
    group = int(getattr(settings, "MIN_GROUP_SIZE", 3))
    invitation_days = int(getattr(settings, "COHORT_INVITATION_DAYS", 30))
    export_days = int(getattr(settings, "COHORT_EXPORT_RETENTION_DAYS", 7))
    retention = _years_or_days(int(getattr(settings, "ACCOUNT_RETENTION_DAYS", 3 * 365)))
    sections = [
        (
            "Who we are",
            "<p>[Name of your organisation] runs this learning service and is the data "
            "controller for the information it holds about you. Our data protection "
            "officer is [name], and you can write to them at [email address] or "
            "[postal address].</p>",
        ),
        (
            "What we hold about you",
            "<ul>"
            "<li><b>Your account:</b> your name, email addresses, organisation and job "
            "role. Your password is stored only in a scrambled form that nobody, including "
            "us, can turn back into the password.</li>"
            "<li><b>Signing in:</b> for each device you are signed in on, when you signed "
            "in, its internet (IP) address and the name of its browser, so that you can "
            "see your sessions and end them. If you turn on two-step sign-in, we hold the "
            "key that checks your authenticator app's codes, and your recovery codes.</li>"
            "<li><b>Your learning:</b> the modules you have started and finished, the "
            "lessons you have completed and when, where you left off, and your "
            "certificates.</li>"
            "<li><b>What you write and choose in lessons:</b> your reflections, action "
            "commitments, learning cycles, checklist ticks and knowledge-check "
            "answers.</li>"
            "<li><b>Self-assessments:</b> your answers, your scores, and whether you chose "
            "to share a result with your cohort's leads.</li>"
            "<li><b>Teams and cohorts:</b> the teams and cohorts you have joined, and "
            "invitations sent to your email address (we hold these even before you have "
            "an account, so that you can accept them).</li>"
            "<li><b>Records of what happened:</b> a log of important actions, such as a "
            "lead viewing or exporting a cohort's progress, or an administrator changing "
            "an account.</li>"
            "</ul>"
            "<p>We do not ask for, and you should not write, information about your "
            "health, your patients or the people you support.</p>",
        ),
        (
            "Why we use it, and our lawful basis",
            "<ul>"
            "<li>To give you an account, your learning, your progress and your "
            "certificates. Lawful basis: [for example, performance of a task carried out "
            "in the public interest, or legitimate interests].</li>"
            "<li>To let the leads of the cohorts you join support your learning. Lawful "
            "basis: [lawful basis].</li>"
            "<li>To keep the service and your account secure. Lawful basis: [for example, "
            "legitimate interests].</li>"
            "<li>To send you emails about your account and your learning, such as "
            "confirming your email address, invitations and reminders. Lawful basis: "
            "[lawful basis].</li>"
            "</ul>"
            "<p>We do not use your information for marketing, we do not sell it, and we "
            "do not use it to make decisions about you automatically.</p>",
        ),
        (
            "Who can see your information",
            "<ul>"
            "<li><b>You</b> can see everything we hold about you.</li>"
            "<li><b>Nobody else ever reads your reflections, action commitments or "
            "learning cycles.</b> They are for you alone.</li>"
            "<li><b>Programme leads</b> of a cohort you have joined see your name, email "
            "address, organisation and job role, your progress in the cohort's modules and "
            "when you were last active. They see self-assessment results only as averages "
            f"of at least {group} people, unless you choose to share your own result with "
            "them.</li>"
            "<li><b>Other members of a team</b> see the team's averages once at least "
            f"{group} members have answered, never anyone's own answers.</li>"
            "<li><b>Course editors</b> see figures with no names attached, such as which "
            "lessons people find hard and how self-assessment questions were answered "
            "overall.</li>"
            "<li><b>Site administrators</b> see account details so that they can run the "
            "service, help you and act on your requests.</li>"
            "<li><b>Anyone you give a certificate's verification link to</b> can see your "
            "name, the module and the date on that certificate.</li>"
            "<li><b>Our suppliers</b> who host the service and send its emails: [names of "
            "your hosting and email providers]. They act only on our instructions, under "
            "contract.</li>"
            "</ul>",
        ),
        (
            "Where we keep it",
            "<p>[Where the service is hosted, for example: on servers in the United "
            "Kingdom run by (supplier)]. Files that hold personal information, such as "
            "exports and certificates, are kept in private storage that can only be "
            "reached through the service, by people allowed to see them.</p>",
        ),
        (
            "How long we keep it",
            "<ul>"
            "<li>We keep your account and your learning while you use the service. If you "
            f"do not sign in for {retention}, we email you, and we delete your account 30 "
            "days later unless you sign in.</li>"
            "<li>Invitations that are not accepted expire after "
            f"{_days(invitation_days)} and are then deleted.</li>"
            "<li>Downloads of your data and cohort exports are deleted after "
            f"{_days(export_days)}.</li>"
            "<li>Backups are kept for [period] and then overwritten.</li>"
            "</ul>"
            "<p>When your account is deleted, your name, email addresses, sessions, "
            "progress, memberships and everything you wrote are deleted. Self-assessment "
            "answers that count towards a team's or a cohort's averages are kept without "
            "your name, so that those averages stay true. Your certificates can no longer "
            "be verified. Records of what happened keep the action but not your "
            "name.</p>",
        ),
        (
            "Your rights",
            "<p>You have the right to:</p>"
            "<ul>"
            "<li>get a copy of your information: you can download it yourself from your "
            "account pages, as a file other software can read and a page you can "
            "read;</li>"
            "<li>have it corrected: you can change your details on your profile "
            "page;</li>"
            "<li>have it deleted: you can delete your account yourself from your account "
            "pages;</li>"
            "<li>object to how we use it, or ask us to restrict it, in some "
            "circumstances.</li>"
            "</ul>"
            "<p>To use any of these rights, or if you cannot do something yourself, "
            "contact our data protection officer (see “Who we are”). We will reply within "
            "one month.</p>"
            "<p>If you are unhappy with how we have used your information, please tell us "
            "first. You can also complain to the Information Commissioner's Office: "
            '<a href="https://ico.org.uk/make-a-complaint/">ico.org.uk/make-a-complaint</a>'
            " or 0303 123 1113.</p>",
        ),
        (
            "Changes to this notice",
            "<p>We will update this page if we change how we use your information. The "
            "date it was last updated is at the top.</p>",
        ),
    ]
    return "".join(f"<h2>{escape(heading)}</h2>{html}" for heading, html in sections)
