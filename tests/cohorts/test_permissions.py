"""The one rule for who sees which learners (cohorts/permissions.py)."""

from cohorts.permissions import cohort_for, visible_cohorts, visible_learners
from tests.factories import UserFactory

from .factories import add_members, make_lead, with_role


def test_a_lead_sees_only_members_of_cohorts_they_lead(lead, cohort, other_cohort):
    assert list(visible_cohorts(lead)) == [cohort]
    assert set(visible_learners(lead)) == set(cohort.members.all())
    assert cohort_for(lead, other_cohort.pk) is None
    assert cohort_for(lead, cohort.pk) == cohort


def test_a_site_admin_sees_every_cohort(site_admin, cohort, other_cohort):
    assert set(visible_cohorts(site_admin)) == {cohort, other_cohort}
    assert visible_learners(site_admin).count() == 4


def test_learners_editors_and_anonymous_visitors_see_nobody(cohort):
    from django.contrib.auth.models import AnonymousUser

    member = cohort.members.first()
    editor = with_role(UserFactory(), "Course editor")
    for user in (member, editor, AnonymousUser()):
        assert not visible_cohorts(user).exists()
        assert not visible_learners(user).exists()
        assert cohort_for(user, cohort.pk) is None


def test_a_lead_listed_on_a_cohort_without_the_lead_role_sees_nothing(cohort):
    former_lead = UserFactory()
    cohort.leads.add(former_lead)

    assert not visible_learners(former_lead).exists()


def test_co_leads_see_the_cohort_and_excluded_accounts_are_never_counted(lead, cohort):
    co_lead = make_lead()
    cohort.leads.add(co_lead)
    tester = UserFactory(exclude_from_reports=True)
    add_members(cohort, [tester])

    assert set(visible_learners(co_lead)) == set(visible_learners(lead))
    assert tester not in visible_learners(lead)
    assert visible_learners(lead, cohort).count() == 3


def test_an_inactive_lead_sees_nobody(lead, cohort):
    lead.is_active = False
    lead.save()

    assert not visible_learners(lead).exists()
