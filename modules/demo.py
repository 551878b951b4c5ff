"""Demo programmes, modules and lessons for `manage.py seed_demo`, read from files."""

from wagtail.models import Site

from .demo_content import load_programmes
from .models import LessonPage, ModulePage, ProgrammePage

ORDER = 30


def _publish(parent, page, *, tags=()):
    parent.add_child(instance=page)
    if tags:
        page.tags.add(*tags)
        page.save()
    page.save_revision().publish()
    return page


def seed(*, password: str, log) -> list[tuple[str, str]]:
    home = Site.objects.get(is_default_site=True).root_page
    modules_by_slug: dict[str, ModulePage] = {}
    pending_prerequisites = []
    for programme in load_programmes():
        programme_page = ProgrammePage.objects.child_of(home).filter(slug=programme.slug).first()
        if programme_page is None:
            programme_page = _publish(
                home,
                ProgrammePage(
                    title=programme.title,
                    slug=programme.slug,
                    summary=programme.summary,
                    introduction=programme.introduction,
                ),
            )
            log(f"programme: {programme.title}")
        for module in programme.modules:
            module_page = (
                ModulePage.objects.child_of(programme_page).filter(slug=module.slug).first()
            )
            if module_page is None:
                module_page = ModulePage(
                    title=module.title,
                    slug=module.slug,
                    summary=module.summary,
                    estimated_minutes=module.estimated_minutes,
                    audience=module.audience,
                    learning_outcomes=[("outcome", outcome) for outcome in module.outcomes],
                )
                _publish(programme_page, module_page, tags=module.tags)
                pending_prerequisites.append((module_page, module.prerequisites))
                log(f"module: {module.title}")
            modules_by_slug[module.slug] = module_page
            for lesson in module.lessons:
                if LessonPage.objects.child_of(module_page).filter(slug=lesson.slug).exists():
                    continue
                _publish(
                    module_page,
                    LessonPage(
                        title=lesson.title,
                        slug=lesson.slug,
                        estimated_minutes=lesson.estimated_minutes,
                        body=lesson.body,
                    ),
                )
    for module_page, prerequisite_slugs in pending_prerequisites:
        prerequisites = [modules_by_slug[slug] for slug in prerequisite_slugs]
        if prerequisites:
            module_page.prerequisites.set(prerequisites)
            module_page.save_revision().publish()
    seed_progress(log)
    return []


# Demo learners' progress: some not started, some part-way, some finished, so that every
# progress screen has something to show. Runs only for learners with no enrolments yet,
# so a second run changes nothing.

PROGRESS_PLAN = {
    # learner number: [(programme slug, module index, lessons to complete or "all")]
    1: [
        ("working-collaboratively", 0, "all"),
        ("working-collaboratively", 1, 2),
        ("systems-and-relational-leadership", 0, 1),
    ],
    2: [
        ("systems-and-relational-leadership", 0, "all"),
        ("systems-and-relational-leadership", 1, 2),
    ],
    3: [("compassionate-cultures", 0, "all"), ("compassionate-cultures", 1, "all")],
    4: [("strengths-and-team-dysfunctions", 1, 1)],
    5: [("working-collaboratively", 0, 2)],
    6: [("systems-and-relational-leadership", 2, "all"), ("compassionate-cultures", 0, 1)],
    7: [("strengths-and-team-dysfunctions", 0, "all")],
    8: [("systems-and-relational-leadership", 0, 0)],
    # learners 9 to 12 have not started anything
}


def seed_progress(log) -> None:
    from django.contrib.auth import get_user_model

    from . import services

    User = get_user_model()
    home = Site.objects.get(is_default_site=True).root_page
    for number, plan in PROGRESS_PLAN.items():
        learner = User.objects.filter(email=f"learner{number}@example.org").first()
        if learner is None or learner.enrolments.exists():
            continue
        for programme_slug, module_index, count in plan:
            programme = ProgrammePage.objects.child_of(home).filter(slug=programme_slug).first()
            modules = list(ModulePage.objects.child_of(programme).live().order_by("path"))
            if programme is None or module_index >= len(modules):
                continue
            module = modules[module_index]
            lessons = list(LessonPage.objects.child_of(module).live().order_by("path"))
            done = lessons if count == "all" else lessons[:count]
            visited = lessons[min(len(done), len(lessons) - 1)] if lessons else None
            if visited is not None:
                services.lesson_visit(learner=learner, lesson=visited, module=module)
            for lesson in done:
                services.lesson_complete(learner=learner, lesson=lesson, module=module)
        log(f"progress: learner{number}")
