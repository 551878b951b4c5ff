"""My journal: a learner's own reflections, action commitments and learning cycles.

Both views read only through `journal_entries_for(request.user)`, so nobody (a programme
lead or an administrator included) ever sees anyone's journal but their own.
"""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView

from .journal import (
    download_filename,
    group_by_module,
    journal_entries_for,
    render_markdown,
    render_pdf,
)


@method_decorator(never_cache, name="dispatch")
class JournalView(LoginRequiredMixin, TemplateView):
    template_name = "modules/journal.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["groups"] = group_by_module(journal_entries_for(self.request.user))
        return context


@method_decorator(never_cache, name="dispatch")
class JournalDownloadView(LoginRequiredMixin, View):
    """`download.md` or `download.pdf`: the same journal as a file to keep."""

    formats = {
        "md": ("text/markdown; charset=utf-8", render_markdown),
        "pdf": ("application/pdf", render_pdf),
    }

    def get(self, request, fmt: str):
        if fmt not in self.formats:
            raise Http404
        content_type, render = self.formats[fmt]
        user = request.user
        today = timezone.localdate()
        content = render(
            journal_entries_for(user),
            learner_name=user.get_full_name() or user.email,
            today=today,
        )
        response = HttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{download_filename(today, fmt)}"'
        return response
