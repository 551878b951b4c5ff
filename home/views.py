"""Error pages in the site's own style.

The 500 page renders without the database or site settings, since those may be what
failed.
"""

from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader


def bad_request(request, exception=None):
    """Input the site cannot read, such as a NUL byte in the address (see core.middleware)."""
    return render(request, "400.html", status=400)


def csrf_failure(request, reason=""):
    """A form refused by Django's CSRF check: say what happened and what to do."""
    return render(request, "403_csrf.html", status=403)


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    template = loader.get_template("500.html")
    return HttpResponseServerError(template.render())
