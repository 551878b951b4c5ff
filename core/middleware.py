"""Middleware that knows no domain."""

from csp.middleware import CSPMiddleware
from csp.utils import default_config
from django.conf import settings
from django.utils.cache import patch_cache_control


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
