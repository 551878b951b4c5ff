"""The cohorts' fixtures (a lead, a cohort of three, another lead's cohort, a site admin)
for the learning-set tests."""

from tests.cohorts.conftest import (  # noqa: F401 - fixtures, found by name
    cohort,
    cohort_modules,
    lead,
    other_cohort,
    other_lead,
    programme,
    site_admin,
)
