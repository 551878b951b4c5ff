"""Factories for the accounts app. Other apps keep theirs beside their tests."""

import factory

from accounts.models import Organisation, User

DEFAULT_PASSWORD = "correct-horse-battery-staple"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Riverside Health and Care Partnership {n}")
    type = Organisation.Type.NHS_TRUST
    status = Organisation.Status.APPROVED


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    first_name = factory.Faker("first_name", locale="en_GB")
    last_name = factory.Faker("last_name", locale="en_GB")
    organisation = factory.SubFactory(OrganisationFactory)
    job_role = "Ward manager"

    @factory.post_generation
    def password(obj, create, extracted, **kwargs):
        obj.set_password(extracted or DEFAULT_PASSWORD)
        if create:
            obj.save(update_fields=["password"])

    @factory.post_generation
    def verified(obj, create, extracted, **kwargs):
        """A verified primary email address, as allauth records it (on unless False)."""
        if not create or extracted is False:
            return
        from allauth.account.models import EmailAddress

        EmailAddress.objects.create(user=obj, email=obj.email, primary=True, verified=True)
