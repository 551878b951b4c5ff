"""Whether a person may use the admin is cached between requests (`core.admin_access`),
and every way their access can change shows on their very next request."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.roles import COURSE_EDITOR
from core.admin_access import may_access_admin
from tests.factories import UserFactory

ADMIN_LINK = 'href="/admin/">Admin</a>'
USER_BAR = "<wagtail-userbar"


def access_admin() -> Permission:
    return Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")


def editors() -> Group:
    return Group.objects.get(name=COURSE_EDITOR)


@pytest.fixture
def visit(client, learner, home_page):
    """Open the home page as the learner; True if it shows the Admin link (and then the
    user bar too)."""
    client.force_login(learner)

    def shows_admin() -> bool:
        html = client.get("/").content.decode()
        assert (ADMIN_LINK in html) == (USER_BAR in html), "the link and the bar agree"
        return ADMIN_LINK in html

    return shows_admin


@pytest.mark.django_db
def test_a_learner_sees_neither_the_admin_link_nor_the_user_bar(visit):
    assert visit() is False
    assert visit() is False


@pytest.mark.django_db
def test_a_learners_permissions_are_read_once_then_from_the_cache(client, visit):
    visit()

    with CaptureQueriesContext(connection) as captured:
        assert client.get("/").status_code == 200

    assert not [q["sql"] for q in captured.captured_queries if "auth_permission" in q["sql"]]


@pytest.mark.django_db
def test_promoted_through_the_persons_groups_and_demoted_again(visit, learner):
    assert visit() is False

    learner.groups.add(editors())
    assert visit() is True

    learner.groups.remove(editors())
    assert visit() is False

    learner.groups.add(editors())
    assert visit() is True
    learner.groups.clear()
    assert visit() is False


@pytest.mark.django_db
def test_promoted_through_the_groups_members_and_demoted_again(visit, learner):
    assert visit() is False

    editors().user_set.add(learner)
    assert visit() is True

    editors().user_set.remove(learner)
    assert visit() is False

    editors().user_set.add(learner)
    assert visit() is True
    editors().user_set.clear()
    assert visit() is False


@pytest.mark.django_db
def test_a_groups_permissions_change_for_its_members_at_once(visit, learner):
    group = Group.objects.create(name="Reviewers")
    learner.groups.add(group)
    assert visit() is False

    group.permissions.add(access_admin())
    assert visit() is True

    group.permissions.remove(access_admin())
    assert visit() is False

    access_admin().group_set.add(group)
    assert visit() is True
    access_admin().group_set.remove(group)
    assert visit() is False


@pytest.mark.django_db
def test_deleting_a_group_takes_its_access_away_at_once(visit, learner):
    group = Group.objects.create(name="Reviewers")
    group.permissions.add(access_admin())
    learner.groups.add(group)
    assert visit() is True

    group.delete()

    assert visit() is False


@pytest.mark.django_db
def test_the_persons_own_permissions_change_at_once(visit, learner):
    assert visit() is False

    learner.user_permissions.add(access_admin())
    assert visit() is True

    learner.user_permissions.remove(access_admin())
    assert visit() is False

    access_admin().user_set.add(learner)
    assert visit() is True
    access_admin().user_set.remove(learner)
    assert visit() is False


@pytest.mark.django_db
def test_becoming_a_superuser_and_back_changes_at_once(visit, learner):
    assert visit() is False

    learner.is_superuser = True
    learner.save()
    assert visit() is True

    learner.is_superuser = False
    learner.save()
    assert visit() is False


@pytest.mark.django_db
def test_superuser_and_active_are_read_from_the_person_not_the_cache(learner):
    learner.groups.add(editors())
    assert may_access_admin(learner) is True

    fresh = type(learner).objects.get(pk=learner.pk)
    fresh.is_active = False
    assert may_access_admin(fresh) is False

    staff = UserFactory(is_superuser=True)
    assert may_access_admin(staff) is True
    # Demoted without any signal (a queryset update): the person's own flag decides.
    type(staff).objects.filter(pk=staff.pk).update(is_superuser=False)
    assert may_access_admin(type(staff).objects.get(pk=staff.pk)) is False


@pytest.mark.django_db
def test_a_deleted_permission_is_gone_at_once(visit, learner):
    learner.user_permissions.add(access_admin())
    assert visit() is True

    access_admin().delete()

    assert visit() is False


@pytest.mark.django_db
def test_an_answer_read_before_the_change_committed_is_not_kept(
    learner, django_capture_on_commit_callbacks
):
    """A request that read the old groups while the promotion's transaction was still
    open stores its answer under a version that the commit replaces."""
    assert may_access_admin(learner) is False
    with django_capture_on_commit_callbacks(execute=True):
        learner.groups.add(editors())
        # Another request, before the commit, cannot see the new row yet: it reads "no"
        # and caches it under the version current now.
        before_the_commit = type(learner).objects.get(pk=learner.pk)
        before_the_commit.has_perm = lambda perm: False
        assert may_access_admin(before_the_commit) is False

    assert may_access_admin(type(learner).objects.get(pk=learner.pk)) is True
