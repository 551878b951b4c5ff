"""Middleware that knows no domain."""

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
