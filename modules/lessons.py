"""The lesson path: who may open a lesson, and what its page shows.

One guard answers for every lesson endpoint (the page, the answer, complete, uncomplete
and time posts) and, for the parts that apply, the module start and complete views:

1. the lesson is live, its module is live, and the view restrictions of the lesson and
   its ancestors accept the request (for the page, Wagtail's routing and its
   `before_serve_page` hook have checked the lesson and its restrictions already);
2. the visitor is signed in;
3. with a confirmed email address.

The first failing check decides: a 404 for (1); for (2) and (3) a redirect to sign in or
to the email page, or a 403 for the time beacon, which has no page to show.

The lesson's context is built here too. Reads only: the one write of the lesson page,
recording the visit, is `visit_record`, which `LessonPage.serve` calls on GET.

What is cached (Django's cache: local memory in tests, Redis in production):

- a module's navigation (the module, its live lessons in order and the breadcrumb pages),
  per module and page-tree version; the version changes whenever any page is published,
  unpublished, moved or deleted (`signal_handlers`), so such a change shows at once;
- the HTML of a lesson's non-interactive blocks, per lesson, live revision, language and
  page-tree version (rich text links to other pages follow the tree; the version also
  changes when an image or document is saved or deleted). Previews render unsaved
  content and never read or fill it;
- that a learner has a confirmed email address (only ever "yes", and forgotten whenever
  one of their email addresses changes).
"""

import enum
from dataclasses import dataclass, field
from typing import Any, NoReturn

from allauth.account.models import EmailAddress
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from wagtail.models import Page, Site

from core.cache_versions import PAGE_TREE_VERSION_KEY, cache_version, cache_version_bump

from . import services
from .interactions import INTERACTIONS
from .models import LessonPage, ModulePage
from .selectors import LessonAnswers, lesson_answers, module_lessons

# How long a cached navigation, body or email check may live even if nothing changes.
CACHE_SECONDS = 24 * 60 * 60
# A visit to the same lesson is recorded at most once in this many seconds.
VISIT_THROTTLE_SECONDS = 60

# Non-interactive blocks whose HTML depends on more than the lesson's revision: a
# self-assessment card shows the instrument's own title and whether it is live.
UNCACHED_BLOCK_TYPES = frozenset({"self_assessment"})

# The page tree's version ------------------------------------------------------------------


def tree_version() -> str:
    """A token that changes whenever a page is published, unpublished, moved or deleted."""
    return cache_version(PAGE_TREE_VERSION_KEY)


def tree_changed() -> None:
    """Forget every cached navigation and lesson body (called by the page signals)."""
    cache_version_bump(PAGE_TREE_VERSION_KEY)


# Navigation -------------------------------------------------------------------------------


@dataclass
class LessonNavigation:
    module: ModulePage | None
    lessons: list[LessonPage]
    position: int
    previous: LessonPage | None
    next: LessonPage | None
    # The module's ancestors from depth 2 (the home page) down, then the module.
    ancestors: list[Page] = field(default_factory=list)


@dataclass
class _ModuleOutline:
    module: ModulePage | None
    lessons: list[LessonPage]
    ancestors: list[Page]


def _module_outline(parent_path: str) -> _ModuleOutline:
    """The module at `parent_path`, its live lessons and its ancestors (three queries)."""
    module = (
        ModulePage.objects.filter(path=parent_path)
        .only("id", "title", "slug", "url_path", "path", "depth", "live", "locale_id")
        .first()
    )
    if module is None:
        return _ModuleOutline(None, [], [])
    ancestors = list(
        Page.objects.ancestor_of(module)
        .filter(depth__gte=2)
        .order_by("depth")
        .only("id", "title", "slug", "url_path", "path", "depth", "locale_id")
    )
    return _ModuleOutline(module, module_lessons(module), [*ancestors, module])


def lesson_navigation(lesson: LessonPage, *, use_cache: bool = True) -> LessonNavigation:
    """The lesson's module, its live lessons in order, and the lesson's place among them.

    Read from the cache, per module and page-tree version, when `use_cache`; otherwise
    three queries.
    """
    parent_path = lesson.path[: -lesson.steplen]
    if use_cache:
        key = f"modules:lesson-nav:{tree_version()}:{parent_path}"
        outline = cache.get(key)
        if outline is None:
            outline = _module_outline(parent_path)
            cache.set(key, outline, timeout=CACHE_SECONDS)
    else:
        outline = _module_outline(parent_path)
    lessons = outline.lessons
    ids = [page.pk for page in lessons]
    position = ids.index(lesson.pk) if lesson.pk in ids else -1
    previous = lessons[position - 1] if position > 0 else None
    following = lessons[position + 1] if 0 <= position < len(lessons) - 1 else None
    return LessonNavigation(
        outline.module, lessons, position, previous, following, outline.ancestors
    )


def breadcrumb_pages(request, navigation: LessonNavigation) -> list[Page]:
    """The navigation's ancestors within the request's site, as the site's breadcrumbs
    show them for any page (`home.templatetags.site_navigation`), without a query."""
    site = Site.find_for_request(request)
    if site is None:
        return []
    root_path = next(
        (root.root_path for root in Site.get_site_root_paths() if root.site_id == site.pk),
        None,
    )
    if root_path is None:
        return []
    return [page for page in navigation.ancestors if page.url_path.startswith(root_path)]


# The guard --------------------------------------------------------------------------------


class Refusal(enum.Enum):
    NOT_FOUND = "not_found"
    SIGN_IN = "sign_in"
    CONFIRM_EMAIL = "confirm_email"


def _email_key(user_id) -> str:
    return f"modules:email-confirmed:{user_id}"


def has_confirmed_email(user) -> bool:
    """Whether the user has a confirmed email address. A "yes" is cached; any change to
    their addresses forgets it (`email_changed`)."""
    key = _email_key(user.pk)
    if cache.get(key):
        return True
    confirmed = EmailAddress.objects.filter(user=user, verified=True).exists()
    if confirmed:
        cache.set(key, True, timeout=CACHE_SECONDS)
    return confirmed


def email_changed(user_id) -> None:
    cache.delete(_email_key(user_id))


def learner_refusal(user) -> Refusal | None:
    """Checks 2 and 3: a signed-in learner with a confirmed email address."""
    if not user.is_authenticated:
        return Refusal.SIGN_IN
    if not has_confirmed_email(user):
        return Refusal.CONFIRM_EMAIL
    return None


def restrictions_refuse(request, page: Page) -> bool:
    """Whether a view restriction on the page or an ancestor refuses this request, as
    Wagtail's `before_serve_page` check decides for pages it serves."""
    return any(not r.accept_request(request) for r in page.get_view_restrictions())


def lesson_refusal(
    request, lesson: LessonPage, navigation: LessonNavigation, *, routed: bool = False
) -> Refusal | None:
    """The one guard: None if the request may use this lesson, else the first refusal.

    `routed`: Wagtail's routing found the lesson and its hooks applied the view
    restrictions (the lesson page), so only the module is left to check in (1).
    """
    if not routed and (not lesson.live or restrictions_refuse(request, lesson)):
        return Refusal.NOT_FOUND
    if navigation.module is None or not navigation.module.live:
        return Refusal.NOT_FOUND
    return learner_refusal(request.user)


def refusal_response(
    request, refusal: Refusal, *, next_url: str | None = None, confirm_message: str = ""
) -> HttpResponse:
    """The page-or-form answer to a refusal: 404, sign in, or confirm the email address.

    `next_url` is where signing in returns to (a page to GET, for refusals of a post); the
    request's own path by default. `confirm_message` says what the address is needed for.
    """
    if refusal is Refusal.NOT_FOUND:
        raise Http404
    if refusal is Refusal.SIGN_IN:
        return redirect_to_login(next_url or request.get_full_path())
    messages.info(request, confirm_message or _("Confirm your email address to open lessons."))
    return redirect("account_email")


def learner_response(request, *, confirm_message: str) -> HttpResponse | None:
    """None for an active, signed-in learner with a confirmed address; otherwise the
    answer that lessons give (sign in, or confirm the address), for pages beyond lessons
    that ask the same of a learner."""
    refusal = learner_refusal(request.user)
    if refusal is not None:
        return refusal_response(request, refusal, confirm_message=confirm_message)
    if not request.user.is_active:
        raise Http404
    return None


def beacon_refusal(refusal: Refusal | None) -> NoReturn:
    """The answer to a refusal for the time beacon, which has no page to show: 404 when
    there is no such lesson for this request, 403 when the visitor may not use lessons."""
    if refusal in (Refusal.SIGN_IN, Refusal.CONFIRM_EMAIL):
        raise PermissionDenied
    raise Http404


@dataclass(frozen=True)
class OpenLesson:
    lesson: LessonPage
    navigation: LessonNavigation

    @property
    def module(self) -> ModulePage:
        assert self.navigation.module is not None  # noqa: S101 (the guard checked it)
        return self.navigation.module


def lesson_for_post(request, lesson_id: int) -> tuple[OpenLesson | None, Refusal | None]:
    """The lesson a post is about, and the guard's refusal if any (None, NOT_FOUND when
    there is no such lesson)."""
    lesson = LessonPage.objects.filter(pk=lesson_id).first()
    if lesson is None:
        return None, Refusal.NOT_FOUND
    navigation = lesson_navigation(lesson)
    return OpenLesson(lesson, navigation), lesson_refusal(request, lesson, navigation)


def module_refusal(request, module: ModulePage | None) -> Refusal | None:
    """The guard for a module's own endpoints (start): the module is live and visible to
    this request, and the visitor a signed-in learner with a confirmed email."""
    if module is None or not module.live or restrictions_refuse(request, module):
        return Refusal.NOT_FOUND
    return learner_refusal(request.user)


# Recording the visit ----------------------------------------------------------------------


def visit_record(request, lesson: LessonPage, module: ModulePage) -> bool:
    """Record that the learner opened the lesson (`LessonPage.serve`, on GET only).

    At most once a minute for the same lesson, unless the learner opened another lesson of
    the module in between: so "resume" always points at the lesson they last opened, and
    reloading a page writes nothing. Returns whether a visit was written.
    """
    user = request.user
    key = f"modules:last-visit:{user.pk}:{module.pk}"
    now = timezone.now().timestamp()
    last = cache.get(key)
    if last is not None and last[0] == lesson.pk and now - last[1] < VISIT_THROTTLE_SECONDS:
        return False
    services.lesson_visit(learner=user, lesson=lesson, module=module)
    cache.set(key, (lesson.pk, now), timeout=VISIT_THROTTLE_SECONDS)
    return True


# The lesson's context ---------------------------------------------------------------------


@dataclass
class BodyItem:
    """One block of a lesson body, with its form and saved answer if it is interactive."""

    block: Any
    form: Any = None
    saved: Any = None

    @property
    def anchor(self) -> str:
        return f"block-{self.block.id}"


@dataclass(frozen=True)
class StaticBlocks:
    """A run of non-interactive blocks, rendered once per revision (see `body_items`)."""

    html: SafeString


def _static_html(lesson: LessonPage, blocks: list) -> SafeString:
    return SafeString(
        render_to_string(
            "modules/lesson_static_blocks.html",
            {"page": lesson, "items": [BodyItem(block) for block in blocks]},
        )
    )


def _static_runs(lesson: LessonPage) -> list[tuple[str, Any]]:
    """The body as ("html", rendered run of non-interactive blocks) and ("block", block)."""
    runs: list[tuple[str, Any]] = []
    pending: list = []
    for block in lesson.body:
        if block.block_type in INTERACTIONS or block.block_type in UNCACHED_BLOCK_TYPES:
            if pending:
                runs.append(("html", _static_html(lesson, pending)))
                pending = []
            runs.append(("block", block.id))
        else:
            pending.append(block)
    if pending:
        runs.append(("html", _static_html(lesson, pending)))
    return runs


def body_items(
    lesson: LessonPage,
    answers: LessonAnswers,
    bound_forms: dict,
    *,
    use_cache: bool,
) -> list[BodyItem | StaticBlocks]:
    """The lesson body: runs of non-interactive blocks as HTML, the others as items with
    the learner's forms and saved answers.

    With `use_cache`, the HTML runs come from the cache, keyed by the lesson's live
    revision, the language and the page-tree version, and are rendered once per key.
    """
    runs = None
    key = None
    if use_cache and lesson.live_revision_id is not None:
        key = (
            f"modules:lesson-body:{lesson.pk}:{lesson.live_revision_id}:"
            f"{get_language()}:{tree_version()}"
        )
        runs = cache.get(key)
    if runs is None:
        runs = _static_runs(lesson)
        if key is not None:
            cache.set(key, runs, timeout=CACHE_SECONDS)
    blocks = {block.id: block for block in lesson.body}
    items: list[BodyItem | StaticBlocks] = []
    for kind, value in runs:
        if kind == "html":
            items.append(StaticBlocks(value))
            continue
        block = blocks[value]
        interaction = INTERACTIONS.get(block.block_type)
        if interaction is None:
            items.append(BodyItem(block))
            continue
        form = bound_forms.get(block.id) or interaction.form_class(
            block=block, prefix=block.id, initial=interaction.initial(block, answers)
        )
        items.append(BodyItem(block, form=form, saved=interaction.saved(block, answers)))
    return items


def lesson_context(
    request,
    lesson: LessonPage,
    bound_forms: dict | None = None,
    navigation: LessonNavigation | None = None,
) -> dict:
    """The lesson's place in its module and its body, with the learner's saved answers.

    A read: nothing is written here (the visit is recorded by `LessonPage.serve`).
    """
    is_preview = getattr(request, "is_preview", False)
    learner = request.user
    if navigation is None or is_preview:
        navigation = lesson_navigation(lesson, use_cache=not is_preview)
    # The learner's answers and, outside previews, whether they completed the lesson: one
    # query (`lesson_answers`).
    answers = lesson_answers(
        learner=learner,
        lesson=lesson,
        with_completion=not is_preview and navigation.module is not None,
    )
    return {
        "navigation": navigation,
        "breadcrumb_pages": breadcrumb_pages(request, navigation),
        "body_items": body_items(lesson, answers, bound_forms or {}, use_cache=not is_preview),
        "is_preview": is_preview,
        "completion": answers.completion,
    }
