"""Every installed model that points at a person or stores an email address is claimed by
exactly one privacy provider, or listed as not personal with a reason (DESIGN rule 6)."""

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from wagtail.search.index import class_is_indexed

from accounts.privacy import NOT_PERSONAL, registry


def points_at_a_person(model) -> list[str]:
    """The fields `model` itself declares that relate to the user model (FK, one-to-one,
    many-to-many, generic) or hold an email address."""
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    found = []
    for field in model._meta.get_fields(include_hidden=True):
        if getattr(field, "model", model) is not model:
            continue  # inherited from a parent (multi-table inheritance): the parent's
        if field.auto_created and not field.concrete:
            continue  # the reverse side of someone else's relation
        if isinstance(field, GenericForeignKey):
            found.append(field.name)
        elif field.is_relation and field.related_model is user_model:
            found.append(field.name)
        elif isinstance(field, models.EmailField) or "email" in field.name.lower():
            found.append(field.name)
    if model is user_model:
        found.append("(the user model)")
    return found


def claimed() -> dict[str, list[str]]:
    owners: dict[str, list[str]] = {}
    for provider, claim in registry.claims():
        owners.setdefault(claim.model, []).append(provider.section)
    return owners


def test_every_model_holding_personal_data_is_claimed_exactly_once():
    owners = claimed()
    problems = []
    for model in apps.get_models(include_auto_created=True):
        fields = points_at_a_person(model)
        if not fields:
            continue
        label = model._meta.label
        sections = owners.get(label, [])
        if label in NOT_PERSONAL and sections:
            problems.append(f"{label} is claimed by {sections} and also listed as not personal")
        elif label not in NOT_PERSONAL and len(sections) != 1:
            problems.append(f"{label} ({', '.join(fields)}) is claimed by {sections or 'nobody'}")
    assert not problems, "\n".join(problems)


def test_every_claim_names_a_model_and_fields_that_exist():
    problems = []
    for provider, claim in registry.claims():
        try:
            model = apps.get_model(claim.model)
        except (LookupError, ValueError):
            problems.append(f"{provider.section}: no model {claim.model}")
            continue
        if not claim.fields:
            problems.append(f"{provider.section}: {claim.model} names no fields")
        for name in claim.fields:
            try:
                model._meta.get_field(name)
            except FieldDoesNotExist:
                problems.append(f"{provider.section}: {claim.model} has no field {name!r}")
        for text in (claim.purpose, claim.visible_to, claim.retention, claim.erasure):
            if not text.strip():
                problems.append(f"{provider.section}: {claim.model} leaves a description empty")
    assert not problems, "\n".join(problems)


def test_not_personal_names_installed_models_with_a_reason():
    for label, reason in NOT_PERSONAL.items():
        apps.get_model(label)
        assert len(reason.split()) >= 8, label


def test_the_search_index_holds_no_user_as_not_personal_says():
    assert not class_is_indexed(apps.get_model(settings.AUTH_USER_MODEL))


def test_the_walk_finds_what_it_must():
    """The walk itself is not blind: it sees a foreign key, a many-to-many, an auto-created
    through table, an email field and a generic relation."""
    assert points_at_a_person(apps.get_model("modules.JournalEntry")) == ["learner"]
    assert "leads" in points_at_a_person(apps.get_model("cohorts.Cohort"))
    assert points_at_a_person(apps.get_model("cohorts.Cohort_leads")) == ["user"]
    assert "email" in points_at_a_person(apps.get_model("cohorts.Invitation"))
    assert "content_object" in points_at_a_person(apps.get_model("taggit.TaggedItem"))
    # Page subclasses inherit owner and locked_by: wagtailcore.Page answers for them.
    assert points_at_a_person(apps.get_model("modules.LessonPage")) == []


def test_providers_erase_in_reverse_order_of_registration_dependents_first():
    sections = [provider.section for provider in registry]
    assert sections[0] == "account"
    assert sections.index("cohorts") > sections.index("self_assessments")
