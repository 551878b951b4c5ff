"""Factories for programmes, modules, lessons and journal entries.

Pages are made with wagtail-factories, so `parent=` places them in the tree and they are
live unless `live=False` (a draft that was never published). `LessonPageFactory` with no
parent builds a programme and a module for it under the site's home page.

    lesson = LessonPageFactory(parent=module, title="Listening first")
    entry = JournalEntryFactory(learner=learner, lesson=lesson)  # titles copied from the tree
"""

import datetime

import factory
import wagtail_factories
from django.utils import timezone
from wagtail.models import Site

from modules.models import JournalEntry, LessonPage, ModulePage, ProgrammePage


def _home_page():
    return Site.objects.get(is_default_site=True).root_page


class ProgrammePageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = ProgrammePage

    title = factory.Sequence(lambda n: f"Systems leadership {n}")
    summary = "Leading across the boundaries between organisations."
    parent = factory.LazyFunction(_home_page)


class ModulePageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = ModulePage

    title = factory.Sequence(lambda n: f"Relational leadership {n}")
    summary = "How relationships shape the way a system works."
    learning_outcomes = factory.LazyFunction(
        lambda: [("outcome", "Name three relationships your work depends on.")]
    )
    parent = factory.SubFactory(ProgrammePageFactory)


class LessonPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = LessonPage

    title = factory.Sequence(lambda n: f"Lesson {n}")
    body = factory.LazyFunction(lambda: [("rich_text", "<p>Read, then reflect.</p>")])
    parent = factory.SubFactory(ModulePageFactory)


class JournalEntryFactory(factory.django.DjangoModelFactory):
    """A journal entry; pass `updated_at=` to back-date it (the field is `auto_now`)."""

    class Meta:
        model = JournalEntry

    learner = factory.SubFactory("tests.factories.UserFactory")
    lesson = None
    module = factory.LazyAttribute(
        lambda o: o.lesson.get_parent().specific if o.lesson is not None else None
    )
    block_id = factory.Faker("uuid4")
    lesson_title = factory.LazyAttribute(
        lambda o: o.lesson.title if o.lesson is not None else "A lesson that has gone"
    )
    module_title = factory.LazyAttribute(
        lambda o: o.module.title if o.module is not None else "A module that has gone"
    )
    kind = JournalEntry.Kind.REFLECTION
    prompt = "What did you notice about how you listen?"
    text = factory.Sequence(lambda n: f"I noticed something new, number {n}.")

    class Params:
        action = factory.Trait(
            kind=JournalEntry.Kind.ACTION,
            prompt="What will you do differently, and by when?",
            due_on=datetime.date(2025, 4, 30),
        )
        cycle = factory.Trait(
            kind=JournalEntry.Kind.LEARNING_CYCLE,
            prompt="Try one small change with your team.",
            text="",
            plan="Ask one question at each huddle.",
            act="Asked who had not spoken yet.",
            observe="Two quieter colleagues spoke up.",
            reflect="Silence is not agreement.",
        )

    @classmethod
    def _create(cls, model_class, *args, updated_at=None, **kwargs):
        entry = super()._create(model_class, *args, **kwargs)
        if updated_at is not None:
            if timezone.is_naive(updated_at):
                raise ValueError("updated_at must be timezone-aware")
            model_class.objects.filter(pk=entry.pk).update(updated_at=updated_at)
            entry.updated_at = updated_at
        return entry
