"""Self-assessment responses, their scores and sharing choices, and teams.

Registered from `AssessmentsConfig.ready`; see `accounts.privacy` for the contract.
Erasure keeps the submitted responses that count in a team's or a cohort's anonymous
results, without the person (`services.responses_anonymise`), so those results stay true.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from wagtail.models import ModelLogEntry

from accounts.privacy import Claim, ExportFile, Provider, iso

from . import pdf, selectors, services
from .models import Response, Team, TeamMembership
from .team_reports import counted_responses_of

ERASED_TEAM_LABEL = "A team deleted with its creator's account"


class AssessmentsPrivacy(Provider):
    section = "self_assessments"
    claims = (
        Claim(
            model="assessments.Response",
            fields=("learner", "shared_with_leads", "started_at", "submitted_at"),
            purpose="The learner's self-assessment attempts; their answers (Answer) and "
            "scores (DimensionScore) hang from each.",
            visible_to="The learner. Leads see a result only if the learner shares it; "
            "otherwise leads and team members see only aggregates of at least "
            "MIN_GROUP_SIZE responses.",
            retention="While the account exists.",
            erasure="Submitted responses that count in a team's or a cohort's aggregate "
            "results are kept without the person (no link, no sharing), so those results "
            "stay true; every other response, drafts included, is deleted.",
        ),
        Claim(
            model="assessments.Team",
            fields=("created_by", "members", "name"),
            purpose="A named group that answers a team self-assessment together.",
            visible_to="Its members (the name and the aggregate report only).",
            retention="While the team exists.",
            erasure="A team its creator made that nobody else has joined is deleted, name "
            "and all (audit entries about it lose the name too); otherwise it stays, no "
            "longer linked to them.",
        ),
        Claim(
            model="assessments.TeamMembership",
            fields=("learner", "joined_at"),
            purpose="Who belongs to a team.",
            visible_to="The learner; the team's other members see only how many there are.",
            retention="While the account exists.",
            erasure="Deleted.",
        ),
    )

    def export(self, user) -> dict[str, Any]:
        responses = (
            Response.objects.filter(learner=user)
            .select_related("instrument", "team")
            .prefetch_related("answers", "scores")
            .order_by("started_at", "pk")
        )
        return {
            "responses": [
                {
                    "self_assessment": response.instrument.title,
                    "status": str(response.get_status_display()),
                    "started": iso(response.started_at),
                    "submitted": iso(response.submitted_at),
                    "shared_with_cohort_leads": response.shared_with_leads,
                    "team": response.team.name if response.team is not None else None,
                    "answers": {answer.item_key: answer.value for answer in response.answers.all()},
                    "scores": [
                        {
                            "dimension": score.name,
                            "raw_score": str(score.raw_score),
                            "scaled_score": str(score.scaled_score),
                            "band": score.band_label,
                        }
                        for score in response.scores.all()
                    ],
                }
                for response in responses
            ],
            "teams_created": [
                {"name": team.name, "created": iso(team.created_at)}
                for team in Team.objects.filter(created_by=user).order_by("created_at")
            ],
            "team_memberships": [
                {"team": membership.team.name, "joined": iso(membership.joined_at)}
                for membership in TeamMembership.objects.filter(learner=user)
                .select_related("team")
                .order_by("joined_at")
            ],
        }

    def files(self, user) -> Iterable[ExportFile]:
        name = user.get_full_name() or user.email
        used: set[str] = set()
        for response in (
            Response.objects.of(user)
            .submitted()
            .select_related("instrument", "revision", "team")
            .order_by("submitted_at", "pk")
        ):
            detail = selectors.result_detail(user, response)
            filename = pdf.download_filename(detail)
            number = 1
            while filename in used:
                number += 1
                filename = pdf.download_filename(detail).replace(".pdf", f"-{number}.pdf")
            used.add(filename)
            yield ExportFile(
                path=f"self-assessments/{filename}",
                content=pdf.render_pdf(detail, learner_name=name),
            )

    def erase(self, user) -> None:
        # Cohorts' provider ran first and kept what counts in cohort figures; keep what
        # counts in team reports, then delete the rest (drafts, earlier attempts).
        services.responses_anonymise(learner=user, responses=counted_responses_of(user))
        Response.objects.filter(learner=user).delete()
        for team in Team.objects.filter(created_by=user):
            if not TeamMembership.objects.filter(team=team).exclude(learner=user).exists():
                # The name they chose goes from the audit log too.
                ModelLogEntry.objects.for_instance(team).update(label=ERASED_TEAM_LABEL)
                team.delete()
        TeamMembership.objects.filter(learner=user).delete()
