"""Writes for certificates: issue one for a completed enrolment, or refresh its snapshot.

Keyword-only, validated, atomic and idempotent, like `services` (which re-exports them).
The background tasks in `tasks.py` call these; `services` queues those tasks, so these live
apart from it and the imports stay one-way.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone

from . import certificates
from .models import Certificate, Enrolment


class CertificateNotEarned(ValueError):
    """The enrolment is not complete, so there is no certificate to issue."""


def _certificate_snapshot(enrolment: Enrolment) -> dict:
    module = enrolment.module
    learner = enrolment.learner
    return {
        "module_title": module.title if module else enrolment.module_title,
        "learner_name": learner.get_full_name() or learner.email,
        "estimated_minutes": module.estimated_minutes if module else 0,
    }


@transaction.atomic
def certificate_issue(*, enrolment: Enrolment) -> Certificate:
    """The learner's certificate for the enrolment's module, issued once.

    Only a completed enrolment earns one. Issuing again (a retried task, two completions
    racing) returns the certificate already issued, unchanged.
    """
    # Lock only the enrolment row: PostgreSQL refuses FOR UPDATE on the nullable side of
    # the join to the module.
    enrolment = (
        Enrolment.objects.select_for_update(of=("self",))
        .select_related("learner", "module")
        .get(pk=enrolment.pk)
    )
    if enrolment.completed_at is None:
        raise CertificateNotEarned(f"Enrolment {enrolment.pk} is not complete.")
    existing = _certificate_for(enrolment)
    if existing is not None:
        return existing
    certificate = Certificate(
        learner_id=enrolment.learner_id,
        enrolment=enrolment,
        module_id=enrolment.module_id,
        completed_at=enrolment.completed_at,
        code=certificates.new_code(),
        issued_at=timezone.now(),
        **_certificate_snapshot(enrolment),
    )
    certificate.full_clean(validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            certificate.save()
    except IntegrityError:
        # Someone else issued it between our check and our insert.
        existing = _certificate_for(enrolment)
        if existing is None:
            raise
        return existing
    return certificate


def _certificate_for(enrolment: Enrolment) -> Certificate | None:
    found = Certificate.objects.filter(enrolment=enrolment).first()
    if found is None and enrolment.module_id is not None:
        found = Certificate.objects.filter(
            learner_id=enrolment.learner_id, module_id=enrolment.module_id
        ).first()
    return found


@transaction.atomic
def certificate_regenerate(*, enrolment: Enrolment) -> Certificate:
    """Refresh a certificate's snapshot (name, module title and time, completion date) from
    today's data, keeping its code; issue it first if it was never issued."""
    certificate = certificate_issue(enrolment=enrolment)
    enrolment = certificate.enrolment or enrolment
    for field, value in _certificate_snapshot(enrolment).items():
        setattr(certificate, field, value)
    if enrolment.completed_at is not None:
        certificate.completed_at = enrolment.completed_at
    certificate.regenerated_at = timezone.now()
    certificate.full_clean(validate_unique=False, validate_constraints=False)
    certificate.save()
    return certificate
