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
    return []
