"""Serve the facilitator guides' printable worksheets to the people who may read guides."""

from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from core.downloads import mark_private

from .guide_access import guide_denial
from .worksheets import WORKSHEETS


@require_GET
def worksheet(request: HttpRequest, key: str) -> HttpResponse:
    """A worksheet's PDF, drawn now (it holds nothing about anyone).

    Access first, so that someone who may not read guides learns nothing, not even which
    worksheets exist. The answer is kept by no cache, shared or private, like every page
    behind the guides' rule: a browser at a shared computer must not show it to the next
    person.
    """
    denial = guide_denial(request)
    if denial is not None:
        return denial
    sheet = WORKSHEETS.get(key)
    if sheet is None:
        raise Http404
    response = HttpResponse(sheet.build(), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{sheet.filename}"'
    mark_private(response)
    response["Vary"] = "Cookie"
    return response
