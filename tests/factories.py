"""Factories for the accounts app, and building test pages without index updates. Other
apps keep their factories beside their tests."""

from collections.abc import Iterator
from contextlib import contextmanager

import factory
from django.utils.html import escape
from wagtail.search import index
from wagtail.signal_handlers import disable_reference_index_auto_update

from accounts.models import Organisation, User
from core.search_index import index_updates_paused
from home.services import site_ensure_home

DEFAULT_PASSWORD = "correct-horse-battery-staple"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Riverside Health and Care Partnership {n}")
    type = Organisation.Type.NHS_TRUST
    status = Organisation.Status.APPROVED

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        """Not put into the search index, which most tests never read; one that does adds
        its organisations (`search_index_add`). Every UserFactory makes one."""
        with without_index_updates():
            return super()._create(model_class, *args, **kwargs)


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


def mentions(text: str, words: str) -> bool:
    """Whether `text` holds `words` as written (an email, a CSV file) or as HTML escapes
    them (a page shows "O'Brien" as "O&#x27;Brien"). Faker's names include such letters,
    and a check that a name is not shown must not pass because it was escaped."""
    return words in text or escape(words) in text


@contextmanager
def without_index_updates() -> Iterator[None]:
    """Build test pages and objects without updating Wagtail's search and reference indexes.

    On the site a task updates the search index after every save of an indexed model (a
    page, an organisation), and the reference index is updated after every save of a
    page; a page published through `save_revision().publish()` is saved three times. The
    tasks run inline in the tests, and one ran (loading its object again) even when the
    backend was told not to write: 3.7 ms of the 5.9 ms a test user took on PostgreSQL.
    Only what is built inside this is left out: the code under test updates both as on the
    site, and the tests that read an index (search, usage) build their objects outside it
    or add them (`search_index_add`).
    """
    with index_updates_paused(), disable_reference_index_auto_update():
        yield


def home_page_ensure():
    """The site's home page as the tests know it (the `home_page` fixture)."""
    with without_index_updates():
        return site_ensure_home(
            title="Lead and learn together", introduction="Modules for everyone."
        )


def search_index_add(*objects) -> None:
    """Put objects built `without_index_updates` into the search index, as the task that
    follows each save on the site would."""
    for instance in objects:
        index.insert_or_update_object(instance)


def publish(parent, page):
    """Add `page` under `parent` and publish it, as an editor would, without index updates."""
    with without_index_updates():
        parent.add_child(instance=page)
        page.save_revision().publish()
    page.refresh_from_db()
    return page
