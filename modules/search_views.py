"""Search over published modules and lessons, with Wagtail's search backend.

Anyone can search. Only live pages that are not behind a view restriction are found, so
drafts and restricted pages never appear. A page of results costs the same number of
queries however many results there are.
"""

import re
from dataclasses import dataclass
from urllib.parse import urlencode

from django import forms
from django.core.paginator import Paginator
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.models import Page

from .models import LessonPage, ModulePage

MAX_QUERY_LENGTH = 200
MAX_TERMS = 12
RESULTS_PER_PAGE = 10
_WORD = re.compile(r"\w+")


class SearchInput(forms.TextInput):
    input_type = "search"


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search modules and lessons"),
        required=False,
        max_length=MAX_QUERY_LENGTH,
        strip=True,
        widget=SearchInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={
            "max_length": _("Search terms must be %(limit_value)d characters or fewer")
        },
    )


def search_terms(query: str) -> str:
    """The words of a query, lower case, without punctuation or search-syntax operators.

    The SQLite full-text backend fails on a stray double quote, and PostgreSQL on a NUL
    character, so only word characters reach the backend. Single letters are dropped
    when there are longer words ("manager's" finds "manager").
    """
    words = [word.lower() for word in _WORD.findall(query)]
    longer = [word for word in words if len(word) > 1]
    return " ".join((longer or words)[:MAX_TERMS])


@dataclass(frozen=True)
class SearchHit:
    page: Page
    url: str
    kind: str  # "module" or "lesson"
    module_title: str = ""


def search_hits(pages: list[Page], request) -> list[SearchHit]:
    """Results ready to show, with each lesson's module title from one query."""
    lesson_parents = {page.path[: -page.steplen] for page in pages if isinstance(page, LessonPage)}
    module_titles = dict(
        Page.objects.filter(path__in=lesson_parents).values_list("path", "title")
        if lesson_parents
        else []
    )
    hits = []
    for page in pages:
        if isinstance(page, LessonPage):
            hits.append(
                SearchHit(
                    page=page,
                    url=page.get_url(request),
                    kind="lesson",
                    module_title=module_titles.get(page.path[: -page.steplen], ""),
                )
            )
        else:
            hits.append(SearchHit(page=page, url=page.get_url(request), kind="module"))
    return hits


class SearchView(TemplateView):
    template_name = "modules/search.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = SearchForm(self.request.GET)
        context["form"] = form
        query = form.cleaned_data["q"] if form.is_valid() else ""
        context["query"] = query
        if not query:
            return context

        terms = search_terms(query)
        results = (
            Page.objects.live().public().type(ModulePage, LessonPage).specific().search(terms)
            if terms
            else []
        )
        paginator = Paginator(results, RESULTS_PER_PAGE)
        page = paginator.get_page(self.request.GET.get("page"))
        context.update(
            paginator=paginator,
            page_obj=page,
            hits=search_hits(list(page.object_list), self.request),
            page_links=self._page_links(paginator, page, query),
        )
        return context

    @staticmethod
    def _page_links(paginator, page, query) -> dict:
        def url(number):
            return "?" + urlencode({"q": query, "page": number})

        return {
            "previous": url(page.previous_page_number()) if page.has_previous() else "",
            "next": url(page.next_page_number()) if page.has_next() else "",
            "pages": [
                {"number": number, "url": url(number) if number != paginator.ELLIPSIS else ""}
                for number in paginator.get_elided_page_range(
                    page.number, on_each_side=1, on_ends=1
                )
            ],
        }
