"""Background work for cohorts, through Django's tasks API (the django-tasks backport).

Exports of large cohorts are built here rather than in the request: the lead asks for one,
`services.cohort_export_request` records it and queues `cohort_export_build` once the
request's transaction commits, and the exports page offers the file when it is ready. The
file goes to the private storage under a random name and is deleted after
`COHORT_EXPORT_RETENTION_DAYS` (`services.cohort_exports_expire`).
"""

import datetime
import io
import logging
import tempfile
from urllib.parse import urljoin

from django.conf import settings
from django.core.files import File
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django_tasks import task

from core.mail import delivery_connection, retry_later

from . import invitations, permissions, reports
from .models import Cohort, CohortExport, Invitation

logger = logging.getLogger(__name__)


def export_filename(cohort: Cohort, export_format: str, *, day=None) -> str:
    """e.g. "leading-across-northfield-learners-2025-05-03.csv" (today, unless `day`)."""
    stamp = (day or timezone.localdate()).isoformat()
    return f"{slugify(cohort.name) or 'cohort'}-learners-{stamp}.{export_format}"


@task()
def cohort_export_build(export_id: int) -> int | None:
    """Write the export's file (every member its requester may see, at the time it runs)
    and mark it ready; returns the number of learner rows, or None if there was nothing to
    do. Any failure marks the export failed."""
    updated = CohortExport.objects.filter(pk=export_id, status=CohortExport.Status.PENDING).update(
        status=CohortExport.Status.RUNNING
    )
    if not updated:
        return None
    export = CohortExport.objects.select_related("cohort", "requested_by").get(pk=export_id)
    try:
        memberships = permissions.visible_memberships(export.requested_by, export.cohort)
        rows = reports.export_rows(memberships, export.cohort)
        with tempfile.TemporaryFile() as output:
            if export.format == CohortExport.Format.XLSX:
                count = reports.write_xlsx(rows, output)
            else:
                text = io.TextIOWrapper(output, encoding="utf-8", newline="")
                count = reports.write_csv(rows, text)
                text.flush()
                text.detach()
            output.seek(0)
            # Into the private storage under a random name (see the model's `upload_to`):
            # only the extension of this name is kept.
            name = f"export.{export.format}"
            export.file.save(name, File(output, name=name), save=False)
    except Exception:
        logger.exception("Cohort export %s failed", export_id)
        CohortExport.objects.filter(pk=export_id).update(
            status=CohortExport.Status.FAILED, finished_at=timezone.now()
        )
        raise
    export.status = CohortExport.Status.READY
    export.rows = count
    export.finished_at = timezone.now()
    export.expires_at = export.finished_at + datetime.timedelta(
        days=settings.COHORT_EXPORT_RETENTION_DAYS
    )
    export.save(update_fields=["file", "status", "rows", "finished_at", "expires_at"])
    return count


@task()
def invitation_email_send(invitation_id: int, base_url: str, attempt: int = 1) -> bool:
    """Email one invitation, rendered from the database as it is now, and mark it sent.

    Nothing to do (False) once it is sent, answered or gone. If the mail server refuses,
    `sent_at` stays unset and another attempt is queued for later (`core.mail.retry_later`);
    after the last one this raises, the invitation stays unsent and sending the list again
    queues it again. The message is sent here, in the worker, with the delivery backend
    rather than through `core.mail.email_send`, because `sent_at` must record that it
    really went.
    """
    invitation = (
        Invitation.objects.select_related("cohort", "invited_by")
        .filter(
            pk=invitation_id,
            sent_at__isnull=True,
            accepted_at__isnull=True,
            declined_at__isnull=True,
        )
        .first()
    )
    if invitation is None:
        return False
    invitation_url = urljoin(base_url, reverse("cohorts:invitation", args=(invitation.token,)))
    message = invitations.invitation_email(invitation=invitation, invitation_url=invitation_url)
    message.connection = delivery_connection()
    try:
        message.send()
    except Exception as error:
        retried = retry_later(
            invitation_email_send, invitation_id, base_url, attempt=attempt, error=error
        )
        if retried:
            return False
        raise
    Invitation.objects.filter(pk=invitation_id, sent_at__isnull=True).update(sent_at=timezone.now())
    return True
