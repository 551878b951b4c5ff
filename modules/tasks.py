"""Background work for modules, through Django's tasks API (the django-tasks backport).

Tasks take ids, not objects, so that they can be queued in the database backend, and
they write only through services.
"""

import logging

from django_tasks import task

from . import certificate_services
from .models import Enrolment

logger = logging.getLogger(__name__)


@task()
def certificate_generate(enrolment_id: int, regenerate: bool = False) -> str | None:
    """Issue the certificate for a completed enrolment, or with `regenerate` refresh it.

    Returns the certificate's code, or None if there is nothing to certify any more (the
    enrolment was deleted, or a lesson was marked not complete before the task ran).
    """
    enrolment = Enrolment.objects.filter(pk=enrolment_id, completed_at__isnull=False).first()
    if enrolment is None:
        return None
    if regenerate:
        return certificate_services.certificate_regenerate(enrolment=enrolment).code
    return certificate_services.certificate_issue(enrolment=enrolment).code


@task()
def module_certificates_regenerate_all(module_id: int) -> int:
    """Regenerate every certificate earned in the module, one enrolment (and one short
    transaction) at a time, in the worker rather than in the request that asked: a module
    may have tens of thousands. Returns how many were regenerated.

    One enrolment that fails does not stop the rest; if any failed, this raises at the end,
    so that the failed tasks report shows it.
    """
    enrolments = Enrolment.objects.filter(module_id=module_id, completed_at__isnull=False)
    done = failed = 0
    for enrolment_id in enrolments.order_by("pk").values_list("pk", flat=True).iterator():
        enrolment = Enrolment.objects.filter(pk=enrolment_id, completed_at__isnull=False).first()
        if enrolment is None:
            continue
        try:
            certificate_services.certificate_regenerate(enrolment=enrolment)
        except Exception:
            logger.exception("Regenerating the certificate of enrolment %s failed", enrolment_id)
            failed += 1
        else:
            done += 1
    if failed:
        raise RuntimeError(f"{failed} of {done + failed} certificates could not be regenerated.")
    return done
