"""Every page and download of a programme lead's cohort admin is `private, no-store`.

Wagtail already marks its admin URLs `never_cache`, and core.middleware.
PrivateResponsesMiddleware does so for anything sent to a signed-in person; this keeps
both true for every cohort page, the exports and the download included."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from cohorts.models import CohortExport
from tests.core.test_private_responses import assert_private


@pytest.mark.django_db
def test_every_cohort_admin_page_and_download_is_private(client, lead, cohort):
    export = CohortExport.objects.create(
        cohort=cohort, requested_by=lead, format="csv", status=CohortExport.Status.READY
    )
    export.file.save("progress.csv", ContentFile(b"learner\nAmira Khan\n"))
    grid = reverse("cohorts_admin:grid", args=[cohort.pk])
    client.force_login(lead)

    pages = {
        "listing": reverse("cohort:index"),
        "edit": reverse("cohort:edit", args=[cohort.pk]),
        "dashboard": reverse("cohorts_admin:dashboard", args=[cohort.pk]),
        "grid": grid,
        "grid results": reverse("cohorts_admin:grid_results", args=[cohort.pk]),
        "csv": f"{grid}?export=csv",
        "xlsx": f"{grid}?export=xlsx",
        "exports": reverse("cohorts_admin:exports", args=[cohort.pk]),
        "download": reverse("cohorts_admin:export_download", args=[cohort.pk, export.pk]),
        "invite": reverse("cohorts_admin:invite", args=[cohort.pk]),
        "admin home": reverse("wagtailadmin_home"),
    }
    for where, url in pages.items():
        assert_private(client.get(url), where)
