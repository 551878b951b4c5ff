"""Middleware that knows no domain."""

from csp.middleware import CSPMiddleware
from csp.utils import default_config
from django.conf import settings
from django.core.exceptions import BadRequest
from django.http import QueryDict
from django.utils.cache import patch_cache_control
from django.utils.datastructures import MultiValueDict, MultiValueDictKeyError

from .fields import is_id
from .unreadable import (
    REPLACEMENT_CHARACTER,
    Unreadable,
    contains_nul,
    decodes,
    urlencoded_is_readable,
    urlencoded_pairs,
)

URLENCODED = "application/x-www-form-urlencoded"
MULTIPART = "multipart/form-data"
# nginx's default limit for a request line; no link or search box of the site comes near.
MAX_QUERY_STRING = 8192
# The most forms one formset in a post may claim (`<prefix>-TOTAL_FORMS`). Django caps a
# formset at 1,000 forms, and rendering that many again with their errors takes several
# seconds of CPU and answers with megabytes: Wagtail's group and workflow editors did so
# for a 20-digit count. No formset of this site's admin comes near this many.
MAX_FORMSET_FORMS = 500
TOTAL_FORMS = "-TOTAL_FORMS"


class BadInputMiddleware:
    """Refuse or defuse input that crashes views, before any view reads it.

    - A NUL byte (raw or percent-encoded) in the path, the query string or a form post's
      field names or values is answered with the site's 400 "Bad request" page. No browser
      sends one from a form a person typed into, PostgreSQL refuses it in any text lookup
      (a server error), and some views read `request.POST` without a form; one rule for
      every part of the request keeps them all safe. File contents are not looked at.
    - A query string that is not valid UTF-8 is a 400 too: it comes from a link or a
      search box, and there is no field to put a message next to. So is one longer than
      MAX_QUERY_STRING, which nginx would refuse in production anyway (and whose search
      terms SQLite refuses as "LIKE pattern too complex").
    - An `id` in the query string that is not a database id (digits fitting 64 bits) is
      dropped: Wagtail's choosers and admin API pass `?id=` to the database unchecked.
      Wagtail's bulk actions' `?id=all` is kept.
    - A `next` parameter that is not a path on this site (`/…`, not `//…`) is dropped:
      Django's `redirect()` treats a bare word such as `x` as a view name and fails with a
      server error, in Wagtail's views among others.
    - A form post whose formset claims more than MAX_FORMSET_FORMS forms (its
      `<prefix>-TOTAL_FORMS`) is a 400: Django would build and render a thousand forms
      for a few bytes of input.
    - A form post (urlencoded or multipart) whose values are not valid UTF-8 goes on to the
      view with each such value marked `Unreadable` (its text holds replacement
      characters, never Latin-1 mojibake), and every form field refuses a marked value
      with a field error ("… contains characters we could not read. Type it again."); see
      `core.unreadable`. A field name that is not UTF-8 is a 400, as no field can show it.
      The names of the marked fields are in `request.unreadable_fields`. A replacement
      character that arrives as such is treated the same way: it means the text was
      already unreadable before it reached us.

    It sits near the top of `MIDDLEWARE` so that no other middleware meets the raw input
    first. The 400 page comes from `handler400`, as Django answers `BadRequest` with it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def process_exception(self, request, exception):
        """A view that reads a form field the client did not send (`request.POST["x"]`,
        as Wagtail's page editor does) raises MultiValueDictKeyError: that is the client's
        mistake, so it is a 400, not a 500."""
        if isinstance(exception, MultiValueDictKeyError):
            raise BadRequest("A required form field is missing") from exception
        return None

    def __call__(self, request):
        request.unreadable_fields = set()
        if "\x00" in request.path:
            raise BadRequest("NUL byte in the path")
        self.check_query_string(request)
        if request.method not in {"GET", "HEAD", "OPTIONS", "TRACE"}:
            self.check_form_post(request)
        return self.get_response(request)

    def check_query_string(self, request):
        raw = request.META.get("QUERY_STRING", "")
        if not raw:
            return
        if len(raw) > MAX_QUERY_STRING:
            raise BadRequest("Query string too long")
        try:
            raw_bytes = raw.encode("iso-8859-1")
        except UnicodeEncodeError:
            raw_bytes = raw.encode()
        if not urlencoded_is_readable(raw_bytes):
            raise BadRequest("Query string is not UTF-8")
        if any(
            contains_nul(name) or any(map(contains_nul, values))
            for name, values in request.GET.lists()
        ):
            raise BadRequest("NUL byte in the query string")
        if unsafe_next(request.GET):
            request.GET = without_next(request.GET)
        ids = request.GET.getlist("id")
        usable = [value for value in ids if is_id(value) or value == "all"]
        if usable != ids:
            request.GET = request.GET.copy()
            request.GET.setlist("id", usable)
            request.GET._mutable = False

    def check_form_post(self, request):
        content_type = request.content_type or ""
        if content_type not in {URLENCODED, MULTIPART}:
            return
        encoding = request.encoding or settings.DEFAULT_CHARSET
        post = request.POST  # Django's own limits (size, number of fields) apply first.
        if content_type == URLENCODED and not urlencoded_is_readable(request.body, encoding):
            post = request._post = self.decode_urlencoded(request.body, encoding)
            request._files = MultiValueDict()
        marked = QueryDict(mutable=True, encoding=encoding)
        for name, values in post.lists():
            if contains_nul(name) or any(map(contains_nul, values)):
                raise BadRequest("NUL byte in a form post")
            if REPLACEMENT_CHARACTER in name:
                raise BadRequest("Form field name is not UTF-8")
            if name.endswith(TOTAL_FORMS) and any(map(too_many_forms, values)):
                raise BadRequest("Too many forms in one formset")
            readable = [
                value
                if isinstance(value, Unreadable) or REPLACEMENT_CHARACTER not in value
                else Unreadable(value)
                for value in values
            ]
            if any(isinstance(value, Unreadable) for value in readable):
                request.unreadable_fields.add(name)
            marked.setlist(name, readable)
        if request.unreadable_fields:
            marked._mutable = False
            request._post = marked
        if unsafe_next(request.POST):
            request._post = without_next(request.POST)

    @staticmethod
    def decode_urlencoded(raw: bytes, encoding: str) -> QueryDict:
        """Decode each name and value on its own, marking those that are not `encoding`.

        Django decodes the whole body as Latin-1 when any part of it is not UTF-8, which
        garbles every value in it, the readable ones included.
        """
        post = QueryDict(mutable=True, encoding=encoding)
        for name, value in urlencoded_pairs(raw):
            if not decodes(name, encoding):
                raise BadRequest("Form field name is not UTF-8")
            text = value.decode(encoding, errors="replace")
            post.appendlist(
                name.decode(encoding), text if decodes(value, encoding) else Unreadable(text)
            )
        post._mutable = False
        return post


def too_many_forms(value: str) -> bool:
    """A form count of more than MAX_FORMSET_FORMS (anything else is left to the formset,
    which refuses a count that is not a number)."""
    text = value.strip()
    return text.isascii() and text.isdigit() and int(text) > MAX_FORMSET_FORMS


def unsafe_next(params: QueryDict) -> bool:
    return any(
        not value.startswith("/") or value.startswith("//") for value in params.getlist("next")
    )


def without_next(params: QueryDict) -> QueryDict:
    params = params.copy()
    del params["next"]
    params._mutable = False
    return params


class PrivateResponsesMiddleware:
    """Tell browsers and proxies never to keep a page sent to someone signed in.

    Every page a signed-in person sees can show something of theirs (their name in the
    header at least; answers, results, cohorts and downloads at most), so none of them
    may be stored by a shared cache or left in the browser's history cache for the next
    person at a shared computer: `Cache-Control: private, no-store`. Pages for anonymous
    visitors are left to their views. Place it after AuthenticationMiddleware.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            if "public" in response.get("Cache-Control", ""):
                del response["Cache-Control"]
            patch_cache_control(response, private=True, no_store=True)
        return response


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with a different policy for some parts of the site.

    `settings.CONTENT_SECURITY_POLICY_BY_PATH` maps a path prefix to the directives used
    instead of the site-wide policy for every response under it, in whichever mode
    (enforced or report-only) the site-wide policy is on. The longest matching prefix wins.

    Why by path rather than django-csp's view decorators: the part that needs a looser
    policy is Wagtail's admin, hundreds of views that Wagtail and its hooks register and
    that we do not write; a decorator could not reach them all, and a new admin view would
    silently get the public policy. A view may still adjust its own policy with
    `csp_update` or `csp_replace`, which apply on top of the policy chosen here.
    """

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        site_wide = "CONTENT_SECURITY_POLICY" + ("_REPORT_ONLY" if report_only else "")
        if parts.config is None and getattr(settings, site_wide, None):
            directives = self._directives_for(request.path_info)
            if directives is not None:
                parts.config = default_config(directives)
        return parts

    @staticmethod
    def _directives_for(path: str) -> dict | None:
        policies = getattr(settings, "CONTENT_SECURITY_POLICY_BY_PATH", {})
        matches = [prefix for prefix in policies if path.startswith(prefix)]
        return policies[max(matches, key=len)] if matches else None


class PermissionsPolicyMiddleware:
    """Send `settings.PERMISSIONS_POLICY` as the Permissions-Policy header.

    The setting maps a feature to the origins allowed to use it: `[]` turns the feature off
    everywhere (`camera=()`), `["self"]` allows the page's own origin (`camera=(self)`),
    and other entries are origins (`"https://player.vimeo.com"`). Django has no setting for
    this header (5.2), hence this middleware. A response that already has the header keeps
    its own.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.header = permissions_policy_header(getattr(settings, "PERMISSIONS_POLICY", {}))

    def __call__(self, request):
        response = self.get_response(request)
        if self.header and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = self.header
        return response


def permissions_policy_header(policy: dict[str, list[str]]) -> str:
    """`{"camera": [], "fullscreen": ["self", "https://x.org"]}` as
    `camera=(), fullscreen=(self "https://x.org")`."""

    def allowlist(origins: list[str]) -> str:
        return " ".join(origin if origin in {"self", "*"} else f'"{origin}"' for origin in origins)

    return ", ".join(f"{feature}=({allowlist(origins)})" for feature, origins in policy.items())
