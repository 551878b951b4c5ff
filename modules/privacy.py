"""The learning records a learner leaves: progress, answers, the journal and certificates.

Registered from `ModulesConfig.ready`; see `accounts.privacy` for the contract.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils import timezone

from accounts.data_exports import service_name
from accounts.privacy import Claim, ExportFile, Provider, iso

from . import certificates, journal
from .models import (
    Certificate,
    ChecklistProgress,
    Enrolment,
    JournalEntry,
    KnowledgeCheckAttempt,
    LessonCompletion,
)

PRIVATE_TO_LEARNER = "The learner only. Nobody else, leads and site admins included, reads it."
UNTIL_ERASED = "While the account exists; content changes never delete it."
DELETED = "Deleted."


class ModulesPrivacy(Provider):
    section = "learning"
    claims = (
        Claim(
            model="modules.JournalEntry",
            fields=(
                "learner",
                "text",
                "plan",
                "act",
                "observe",
                "reflect",
                "due_on",
                "prompt",
                "lesson_title",
                "module_title",
            ),
            purpose="The learner's reflections, action commitments and learning cycles: "
            "their journal.",
            visible_to=PRIVATE_TO_LEARNER,
            retention=UNTIL_ERASED,
            erasure=DELETED,
        ),
        Claim(
            model="modules.ChecklistProgress",
            fields=("learner", "ticked"),
            purpose="Which checklist items the learner has ticked, so they see them again.",
            visible_to=PRIVATE_TO_LEARNER,
            retention=UNTIL_ERASED,
            erasure=DELETED,
        ),
        Claim(
            model="modules.KnowledgeCheckAttempt",
            fields=("learner", "selected", "is_correct"),
            purpose="The learner's answers to knowledge checks and whether they were right.",
            visible_to="The learner. Course editors see only totals per question, never who.",
            retention=UNTIL_ERASED,
            erasure=DELETED,
        ),
        Claim(
            model="modules.Enrolment",
            fields=(
                "learner",
                "started_at",
                "completed_at",
                "last_visited_at",
                "seconds_on_page",
                "lessons_completed",
            ),
            purpose="Which modules the learner started and finished, where to resume, and "
            "time on task.",
            visible_to="The learner; leads of cohorts they belong to (progress only).",
            retention=UNTIL_ERASED,
            erasure=DELETED,
        ),
        Claim(
            model="modules.LessonCompletion",
            fields=("learner", "completed_at"),
            purpose="Which lessons the learner completed and when.",
            visible_to="The learner; leads of cohorts they belong to (as progress).",
            retention=UNTIL_ERASED,
            erasure=DELETED,
        ),
        Claim(
            model="modules.Certificate",
            fields=("learner", "learner_name", "completed_at"),
            purpose="A certificate of completion and its public verification code.",
            visible_to="The learner; anyone with the code sees the name, module and date "
            "on the verification page.",
            retention=UNTIL_ERASED,
            erasure="The name and the link to the person are removed; the row stays so "
            "the verification page says the certificate is no longer available.",
        ),
    )

    def export(self, user) -> dict[str, Any]:
        return {
            "enrolments": [
                {
                    "module": enrolment.module_title,
                    "started": iso(enrolment.started_at),
                    "completed": iso(enrolment.completed_at),
                    "last_visited": iso(enrolment.last_visited_at),
                    "lessons_completed": enrolment.lessons_completed,
                    "lessons_in_module": enrolment.lessons_total,
                    "seconds_on_lessons": enrolment.seconds_on_page,
                }
                for enrolment in Enrolment.objects.filter(learner=user).order_by("started_at")
            ],
            "lesson_completions": [
                {"lesson": completion.lesson_title, "completed": iso(completion.completed_at)}
                for completion in LessonCompletion.objects.filter(learner=user).order_by(
                    "completed_at", "pk"
                )
            ],
            "journal": [
                {
                    "kind": str(entry.get_kind_display()),
                    "module": entry.module_title,
                    "lesson": entry.lesson_title,
                    "prompt": entry.prompt,
                    "text": entry.text,
                    "due_on": iso(entry.due_on),
                    "plan": entry.plan,
                    "act": entry.act,
                    "observe": entry.observe,
                    "reflect": entry.reflect,
                    "created": iso(entry.created_at),
                    "updated": iso(entry.updated_at),
                }
                for entry in JournalEntry.objects.filter(learner=user).order_by("created_at")
            ],
            "checklists": [
                {
                    "module": progress.module_title,
                    "lesson": progress.lesson_title,
                    "ticked_items": list(progress.ticked),
                    "updated": iso(progress.updated_at),
                }
                for progress in ChecklistProgress.objects.filter(learner=user).order_by("pk")
            ],
            "knowledge_check_attempts": [
                {
                    "module": attempt.module_title,
                    "lesson": attempt.lesson_title,
                    "selected_options": list(attempt.selected),
                    "correct": attempt.is_correct,
                    "when": iso(attempt.created_at),
                }
                for attempt in KnowledgeCheckAttempt.objects.filter(learner=user).order_by(
                    "created_at", "pk"
                )
            ],
            "certificates": [
                {
                    "module": certificate.module_title,
                    "name_on_certificate": certificate.learner_name,
                    "completed": iso(certificate.completed_at),
                    "issued": iso(certificate.issued_at),
                    "code": certificates.display_code(certificate.code),
                    "verification_link": certificates.verification_url(certificate.code),
                }
                for certificate in Certificate.objects.filter(learner=user).order_by("issued_at")
            ],
        }

    def files(self, user) -> Iterable[ExportFile]:
        today = timezone.localdate()
        name = user.get_full_name() or user.email
        yield ExportFile(
            path="journal.md",
            content=journal.render_markdown(
                journal.journal_entries_for(user), learner_name=name, today=today
            ).encode(),
        )
        service = service_name()
        used: set[str] = set()
        for certificate in Certificate.objects.filter(learner=user).order_by("issued_at", "pk"):
            filename = _unique(certificates.download_filename(certificate.module_title), used)
            yield ExportFile(
                path=f"certificates/{filename}",
                content=certificates.render_pdf(
                    certificates.certificate_details(certificate, service=service)
                ),
            )

    def erase(self, user) -> None:
        JournalEntry.objects.filter(learner=user).delete()
        ChecklistProgress.objects.filter(learner=user).delete()
        KnowledgeCheckAttempt.objects.filter(learner=user).delete()
        LessonCompletion.objects.filter(learner=user).delete()
        Certificate.objects.filter(learner=user).update(
            learner=None, learner_name="", enrolment=None
        )
        Enrolment.objects.filter(learner=user).delete()


def _unique(filename: str, used: set[str]) -> str:
    """`filename`, or with "-2", "-3"… before its extension if it is taken already."""
    stem, dot, extension = filename.rpartition(".")
    candidate, number = filename, 1
    while candidate in used:
        number += 1
        candidate = f"{stem}-{number}{dot}{extension}"
    used.add(candidate)
    return candidate
