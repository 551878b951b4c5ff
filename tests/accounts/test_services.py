from unittest import mock

import pytest
from django.core.exceptions import ValidationError

from accounts import services
from accounts.forms import ProfileForm, SignupForm
from accounts.models import ORGANISATION_NAME_MAX_LENGTH, Organisation, User
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


# organisation_propose -----------------------------------------------------------------


def test_propose_returns_the_existing_organisation_whatever_the_case():
    existing = OrganisationFactory(name="Leeds City Council")

    proposed = services.organisation_propose(name="  leeds   CITY council ")

    assert proposed == existing
    assert Organisation.objects.count() == 1


def test_propose_creates_a_pending_organisation_with_a_tidy_name():
    proposed = services.organisation_propose(
        name="  Calderdale   Carers  Project ", type=Organisation.Type.CHARITY
    )

    proposed.refresh_from_db()
    assert proposed.name == "Calderdale Carers Project"
    assert proposed.type == Organisation.Type.CHARITY
    assert proposed.status == Organisation.Status.PENDING
    assert list(Organisation.objects.pending()) == [proposed]


def test_a_pending_organisation_is_usable_at_once():
    pending = services.organisation_propose(name="Hebden Bridge Men's Shed")
    approved = OrganisationFactory(name="Airedale NHS Foundation Trust")

    person = UserFactory(organisation=pending)
    person.full_clean(exclude=["password"])
    person.refresh_from_db()

    assert person.organisation == pending
    profile_choices = ProfileForm(user=person).fields["organisation"].queryset
    signup_choices = SignupForm().fields["organisation"].queryset
    for choices in (profile_choices, signup_choices):
        assert set(choices) == {pending, approved}


@pytest.mark.parametrize(
    "name",
    [
        "",
        "   ",
        "\t\n",
        "x" * (ORGANISATION_NAME_MAX_LENGTH + 1),
        "!!!",
        "---",
        "- . -",
        "A!",
    ],
    ids=["empty", "spaces", "whitespace", "too-long", "bangs", "dashes", "dots", "one-letter"],
)
def test_propose_refuses_names_nobody_could_recognise(name):
    with pytest.raises(ValidationError):
        services.organisation_propose(name=name)

    assert not Organisation.objects.exists()


def test_propose_accepts_a_name_of_the_maximum_length():
    name = "N" * ORGANISATION_NAME_MAX_LENGTH

    assert services.organisation_propose(name=name).name == name


# organisation_approve -------------------------------------------------------------------


def test_approve_marks_a_pending_organisation_approved():
    pending = services.organisation_propose(name="Todmorden Food Bank")

    services.organisation_approve(organisation=pending)

    pending.refresh_from_db()
    assert pending.status == Organisation.Status.APPROVED


# organisation_merge ---------------------------------------------------------------------


def test_merge_moves_every_member_and_deletes_the_source():
    source = OrganisationFactory(name="Leeds Teaching Hosp")
    target = OrganisationFactory(name="Leeds Teaching Hospitals NHS Trust")
    bystander = OrganisationFactory(name="York Hospice")
    movers = UserFactory.create_batch(3, organisation=source)
    stayers = UserFactory.create_batch(2, organisation=target)
    elsewhere = UserFactory(organisation=bystander)

    moved = services.organisation_merge(source=source, target=target)

    assert moved == 3
    assert not Organisation.objects.filter(pk=source.pk).exists()
    assert set(target.members.all()) == {*movers, *stayers}
    assert list(bystander.members.all()) == [elsewhere]
    # No orphans: every user points at an organisation that exists.
    assert not User.objects.exclude(organisation__isnull=True).exclude(
        organisation__in=Organisation.objects.all()
    )
    assert not User.objects.filter(organisation_id=source.pk).exists()
    assert User.objects.count() == 6


def test_merge_of_an_organisation_without_members_just_deletes_it():
    source = OrganisationFactory()
    target = OrganisationFactory()

    assert services.organisation_merge(source=source, target=target) == 0
    assert list(Organisation.objects.all()) == [target]


def test_merge_into_itself_is_refused_and_changes_nothing():
    organisation = OrganisationFactory()
    member = UserFactory(organisation=organisation)

    with pytest.raises(ValueError, match="itself"):
        services.organisation_merge(source=organisation, target=organisation)

    member.refresh_from_db()
    assert member.organisation == organisation
    assert Organisation.objects.filter(pk=organisation.pk).exists()


def test_merge_is_atomic_when_deleting_the_source_fails():
    source = OrganisationFactory()
    target = OrganisationFactory()
    members = UserFactory.create_batch(3, organisation=source)

    with (
        mock.patch.object(Organisation, "delete", side_effect=RuntimeError("disk on fire")),
        pytest.raises(RuntimeError),
    ):
        services.organisation_merge(source=source, target=target)

    assert Organisation.objects.filter(pk=source.pk).exists()
    assert set(User.objects.filter(organisation=source)) == set(members)
    assert not target.members.exists()
