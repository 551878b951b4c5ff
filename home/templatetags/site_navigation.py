"""Breadcrumbs for pages in the site's tree, in one query."""

from django import template
from wagtail.models import Page, Site

register = template.Library()


@register.inclusion_tag("wagtailnhsukfrontend/breadcrumb.html", takes_context=True)
def site_breadcrumbs(context):
    """The page's ancestors from the site's home page down, for the NHS.UK breadcrumb.

    Wagtail found the request's site while routing and caches the sites' root paths, so
    only the ancestors are fetched; the package's own tag looks the site and its home
    page up again.
    """
    page = context.get("page")
    request = context.get("request")
    site = Site.find_for_request(request) if request is not None else None
    if not isinstance(page, Page) or site is None:
        return {"breadcrumb_pages": []}
    root_path = next(
        (root.root_path for root in Site.get_site_root_paths() if root.site_id == site.pk),
        None,
    )
    if root_path is None:
        return {"breadcrumb_pages": []}
    ancestors = page.get_ancestors().filter(url_path__startswith=root_path).order_by("depth")
    return {"breadcrumb_pages": list(ancestors)}


@register.inclusion_tag("components/breadcrumb_trail.html")
def breadcrumb_trail(*links):
    """Breadcrumbs for pages outside the page tree: Home, then each (url, label) pair.

    `{% breadcrumb_trail index_url index_label team_url team.name %}`; the last link is
    also the "Back to" link shown on narrow screens.
    """
    pairs = list(zip(links[::2], links[1::2], strict=True))
    return {"links": pairs, "back": pairs[-1] if pairs else None}
