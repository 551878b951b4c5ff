"""Responses that hand a person a file holding personal data.

A private file (see `core.storage`) leaves only through a view that has checked who is
asking; that view returns `private_file_response`. Downloads built in the request (a CSV
streamed from a query, a PDF drawn in memory) pass through `mark_private`, so that no
shared cache keeps them and no browser guesses their type.
"""

import mimetypes

from django.core.files.storage import Storage
from django.http import FileResponse, Http404, HttpResponseBase

DEFAULT_CONTENT_TYPE = "application/octet-stream"


def mark_private(response: HttpResponseBase) -> HttpResponseBase:
    """Forbid any cache to keep the response and any browser to sniff its type."""
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def private_file_response(
    *, storage: Storage, name: str, filename: str, content_type: str | None = None
) -> FileResponse:
    """Stream the file `name` of `storage` as an attachment called `filename`.

    `filename` is what the person's browser saves, chosen by the caller; the storage name
    (random, and no business of the browser) never appears in the response. The content
    type is `content_type`, or guessed from `filename`. A missing file is a 404.

    Only the Storage API is used (`exists`, `open`), so this works the same for a local
    folder or a private bucket.
    """
    if not name or not storage.exists(name):
        raise Http404
    try:
        handle = storage.open(name, "rb")
    except FileNotFoundError as error:  # deleted between the two calls
        raise Http404 from error
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=filename,
        content_type=content_type or mimetypes.guess_type(filename)[0] or DEFAULT_CONTENT_TYPE,
    )
    mark_private(response)
    return response
