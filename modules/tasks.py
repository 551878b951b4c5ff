"""Background work for modules, through Django's tasks API (the django-tasks backport).

Tasks take ids, not objects, so that they can be queued in the database backend, and
they write only through services.
"""

from django_tasks import task

from .models import Enrolment


@task()
def certificate_generate(enrolment_id: int, regenerate: bool = False) -> str | None:
    """Issue the certificate for a completed enrolment, or with `regenerate` refresh it.

    Returns the certificate's code, or None if there is nothing to certify any more (the
    enrolment was deleted, or a lesson was marked not complete before the task ran).
    """
    from . import services

    enrolment = Enrolment.objects.filter(pk=enrolment_id, completed_at__isnull=False).first()
    if enrolment is None:
        return None
    if regenerate:
        return services.certificate_regenerate(enrolment=enrolment).code
    return services.certificate_issue(enrolment=enrolment).code
