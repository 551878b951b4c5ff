"""Fixtures for the nudges and digest tests: the cohorts app's own (a lead, their cohort of
three who have not started, another lead's cohort), imported from there, plus helpers."""

import uuid

from tests.cohorts.conftest import (
    cohort,
    cohort_modules,
    lead,
    other_cohort,
    other_lead,
    programme,
    site_admin,
)

# The fixtures, for `from .conftest_nudges import *` in the test modules (a star import, so
# that the tests' parameters of the same names do not read as redefinitions).
__all__ = [
    "cohort",
    "cohort_modules",
    "lead",
    "other_cohort",
    "other_lead",
    "programme",
    "site_admin",
]


def members(of_cohort):
    return list(of_cohort.members.order_by("first_name"))


def compose_data(learners, *, subject="Time to start", message="Hello {first_name}", run=None):
    return {
        "learners": ",".join(str(person.pk) for person in learners),
        "run": str(run or uuid.uuid4()),
        "subject": subject,
        "message": message,
    }
