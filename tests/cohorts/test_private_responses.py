"""Every page and download of a programme lead's cohort admin is `private, no-store`.

Wagtail already marks its admin URLs `never_cache`, and core.middleware.
PrivateResponsesMiddleware does so for anything sent to a signed-in person; this keeps
both true for every cohort page, the exports and the download included."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from cohorts.models import CohortExport
from tests.core.test_private_responses import assert_private

from .test_permission_matrix import urls

NOT_ADMIN_PAGES = {"file in media", "old name in media", "file in private", "join"}


@pytest.mark.django_db
def test_every_cohort_admin_page_and_download_is_private(client, lead, cohort):
    export = CohortExport.objects.create(
        cohort=cohort, requested_by=lead, format="csv", status=CohortExport.Status.READY
    )
    export.file.save("progress.csv", ContentFile(b"learner\nAmira Khan\n"))
    client.force_login(lead)
    # Every page of the permission matrix the lead may open: not the raw file paths (404
    # by design) nor the learners' join page.
    pages = {
        where: url for where, url in urls(cohort, export).items() if where not in NOT_ADMIN_PAGES
    }
    pages["admin home"] = reverse("wagtailadmin_home")
    for where, url in pages.items():
        assert_private(client.get(url), where)
