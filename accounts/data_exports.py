"""Download my data: a person asks for a copy of everything the site holds about them.

`data_export_request` records the request and queues `tasks.data_export_build` once the
transaction commits. The worker writes the ZIP (`data_export_archive`) from the privacy
registry's providers into the private storage under a random name, marks it ready and
emails the person a link to their "Your data" page, which needs them signed in. The file
is deleted `DATA_EXPORT_RETENTION_DAYS` after it is ready (`data_exports_expire`, run
hourly by the scheduler).

One build at a time per person (a constraint on `DataExport`); a request while a download
is ready is allowed, and the new download replaces the old one once it is ready.
"""

from __future__ import annotations

import datetime
import logging
import tempfile
from functools import partial

from django.apps import apps
from django.conf import settings
from django.core.files import File
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.mail import email_queue
from core.storage import files_delete, orphans_delete

from . import tasks
from .data_export_archive import Header, archive_write
from .models import DATA_EXPORT_FOLDER, DataExport, User
from .privacy import registry
from .roles import SITE_ADMIN

logger = logging.getLogger(__name__)

# A build not finished this long after it was asked for has lost its worker (or its task
# never reached the queue): it is marked failed, so that the person may ask again.
STALE_AFTER = datetime.timedelta(hours=3)
ZIP_NAME = "data.zip"  # only its extension is kept (see the model's `upload_to`)


class DataExportRefused(ValueError):
    """A request that cannot be carried out; the message says why, for the person."""


class DataExportInProgress(DataExportRefused):
    pass


def _may_act_for_others(user: User) -> bool:
    return user.is_superuser or user.groups.filter(name=SITE_ADMIN).exists()


def _stale_fail(*, now: datetime.datetime, user: User | None = None) -> int:
    """Mark builds that have waited longer than STALE_AFTER as failed."""
    stale = DataExport.objects.in_progress().filter(requested_at__lte=now - STALE_AFTER)
    if user is not None:
        stale = stale.filter(user=user)
    return stale.update(status=DataExport.Status.FAILED)


def _build_in_progress(user: User) -> bool:
    return DataExport.objects.in_progress().filter(user=user).exists()


@transaction.atomic
def data_export_request(
    *,
    user: User,
    requested_by: User | None = None,
    reason: str = "",
    base_url: str | None = None,
) -> DataExport:
    """Ask for a download of everything the site holds about `user`, built in the
    background; the email that says it is ready links to `base_url` (the site's address,
    WAGTAILADMIN_BASE_URL if not given).

    `requested_by` is a site admin acting for them (they must give a `reason`), or None
    for the person themselves. Refused (DataExportInProgress) while a build for `user` is
    queued or running, a double click or a concurrent request included.
    """
    requested_by = requested_by or user
    reason = reason.strip()
    if requested_by.pk != user.pk:
        if not _may_act_for_others(requested_by):
            raise DataExportRefused(_("Only a site admin may ask for someone else's data."))
        if not reason:
            raise DataExportRefused(_("Give the reason for asking for this person's data."))
    now = timezone.now()
    _stale_fail(now=now, user=user)
    in_progress = DataExportInProgress(
        _(
            "Your data is already being prepared. We will email you when it is ready: "
            "you can ask again after that."
        )
        if requested_by.pk == user.pk
        else _("This person's data is already being prepared.")
    )
    if _build_in_progress(user):
        raise in_progress
    export = DataExport(user=user, requested_by=requested_by, reason=reason, requested_at=now)
    export.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            export.save()
    except IntegrityError:
        # A request a moment ago (a double click) got there first.
        raise in_progress from None
    base_url = base_url or settings.WAGTAILADMIN_BASE_URL
    transaction.on_commit(
        partial(tasks.data_export_build.enqueue, export.pk, base_url), robust=True
    )
    return export


def latest_data_export(user: User) -> DataExport | None:
    """The person's newest download or request, if any."""
    return DataExport.objects.filter(user=user).latest_first().first()


def service_name() -> str:
    """The site's name as its settings give it (the home app's SiteSettings, looked up by
    name so that accounts imports none of the apps above it), or WAGTAIL_SITE_NAME."""
    from wagtail.models import Site

    try:
        site_settings = apps.get_model("home", "SiteSettings")
    except LookupError:
        return settings.WAGTAIL_SITE_NAME
    site = Site.objects.filter(is_default_site=True).first()
    name = site_settings.for_site(site).service_name if site is not None else ""
    return name or settings.WAGTAIL_SITE_NAME


def download_filename(export: DataExport) -> str:
    day = timezone.localdate(export.ready_at or export.requested_at)
    return f"your-data-{day.isoformat()}.zip"


def data_export_ready_email(*, export: DataExport, page_url: str, site_name: str) -> EmailMessage:
    context = {
        "page_url": page_url,
        "expires_at": export.expires_at,
        "service_name": site_name,
        "for_someone_else": export.requested_by_id not in (None, export.user_id),
    }
    subject = render_to_string("accounts/email/data_export_ready_subject.txt", context)
    body = render_to_string("accounts/email/data_export_ready_message.txt", context)
    return EmailMessage(
        " ".join(subject.split()), body, settings.DEFAULT_FROM_EMAIL, [export.user.email]
    )


def data_export_build(*, export_id: int, base_url: str) -> DataExport | None:
    """Write the ZIP of a queued request, mark it ready, delete the person's earlier
    downloads and email them; None if there was nothing to do (it was built already, or
    the person is gone). Any failure marks it failed and raises, so that the failed tasks
    report shows it."""
    claimed = DataExport.objects.filter(pk=export_id, status=DataExport.Status.QUEUED).update(
        status=DataExport.Status.BUILDING
    )
    if not claimed:
        return None
    export = DataExport.objects.select_related("user").get(pk=export_id)
    user = export.user
    try:
        site_name = service_name()
        header = Header(generated_at=timezone.now(), site_name=site_name, email=user.email)
        with tempfile.TemporaryFile() as output:
            archive_write(
                output,
                header=header,
                sections=registry.export(user),
                claims=[(provider.section, claim) for provider, claim in registry.claims()],
                files=registry.files(user),
            )
            size = output.tell()
            output.seek(0)
            # Into the private storage under a random name: only the extension is kept.
            export.file.save(ZIP_NAME, File(output, name=ZIP_NAME), save=False)
    except Exception:
        logger.exception("Data export %s failed", export_id)
        DataExport.objects.filter(pk=export_id).update(status=DataExport.Status.FAILED)
        raise
    ready_at = timezone.now()
    export.status = DataExport.Status.READY
    export.size = size
    export.ready_at = ready_at
    export.expires_at = ready_at + datetime.timedelta(days=settings.DATA_EXPORT_RETENTION_DAYS)
    with transaction.atomic():
        saved = DataExport.objects.filter(pk=export_id, status=DataExport.Status.BUILDING).update(
            status=export.status,
            file=export.file.name,
            size=size,
            ready_at=ready_at,
            expires_at=export.expires_at,
        )
        if not saved:  # the person was erased (or the row swept) while it was built
            transaction.on_commit(partial(export.file.storage.delete, export.file.name))
            return None
        earlier = list(
            DataExport.objects.filter(user_id=export.user_id)
            .exclude(pk=export_id)
            .exclude(status__in=DataExport.IN_PROGRESS)
            .only("pk", "file")
        )
        DataExport.objects.filter(pk__in=[old.pk for old in earlier]).delete()
        # The files once the rows are gone for good; one that stays is an orphan, which
        # `data_exports_expire` deletes later.
        transaction.on_commit(
            partial(
                files_delete, export.file.storage, [old.file.name for old in earlier if old.file]
            ),
            robust=True,
        )
        page_url = base_url.rstrip("/") + reverse("accounts_data")
        email_queue(data_export_ready_email(export=export, page_url=page_url, site_name=site_name))
    return export


def data_exports_expire(*, now: datetime.datetime | None = None) -> int:
    """Delete every download past its expiry, file and row, and every request that failed
    (or lost its worker) longer ago than the retention; returns how many went (a download
    with a file counts once). Files in the folder that no record names are deleted once
    they are older than STALE_AFTER: a build cut short, or a person erased meanwhile.
    """
    now = now or timezone.now()
    retention = datetime.timedelta(days=settings.DATA_EXPORT_RETENTION_DAYS)
    _stale_fail(now=now)
    storage = DataExport._meta.get_field("file").storage
    expired = list(DataExport.objects.expired(now=now, retention=retention).only("pk", "file"))
    # The files first: if a deletion fails, the rows are still there for the next run.
    files_delete(storage, (export.file.name for export in expired if export.file))
    DataExport.objects.filter(pk__in=[export.pk for export in expired]).delete()
    return len(expired) + orphans_delete(
        storage=storage,
        folder=DATA_EXPORT_FOLDER,
        named=DataExport.objects.exclude(file="").values_list("file", flat=True),
        older_than=now - STALE_AFTER,
    )
