"""The response for a private file, on its own (no middleware, no admin decorators): the
headers it must carry wherever a view of the project uses it."""

import pytest
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.base import ContentFile
from django.http import Http404, StreamingHttpResponse

from core.downloads import mark_private, private_file_response
from core.storage import PrivateFileSystemStorage


@pytest.fixture
def storage(tmp_path):
    return PrivateFileSystemStorage(
        location=tmp_path, file_permissions_mode=0o600, directory_permissions_mode=0o700
    )


def test_a_private_file_is_an_uncached_attachment_under_the_given_name(storage):
    name = storage.save("exports/Zq3x.csv", ContentFile(b"learner\nAmira Khan\n"))
    response = private_file_response(
        storage=storage, name=name, filename="cohort-learners-2026-12-06.csv"
    )
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        'attachment; filename="cohort-learners-2026-12-06.csv"'
    )
    assert response["Content-Type"] == "text/csv"
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == b"learner\nAmira Khan\n"
    assert all("Zq3x" not in value for _header, value in response.items())
    response.file_to_stream.close()


def test_the_caller_may_name_the_content_type(storage):
    name = storage.save("a.bin", ContentFile(b"PK"))
    response = private_file_response(
        storage=storage,
        name=name,
        filename="journal.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response.file_to_stream.close()


def test_an_unknown_type_is_a_plain_download(storage):
    name = storage.save("a.bin", ContentFile(b"\x00"))
    response = private_file_response(storage=storage, name=name, filename="data.unknownext")
    assert response["Content-Type"] == "application/octet-stream"
    response.file_to_stream.close()


def test_a_name_outside_ascii_is_encoded(storage):
    name = storage.save("a.csv", ContentFile(b"x"))
    response = private_file_response(storage=storage, name=name, filename="Siân’s data.csv")
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''Si%C3%A2n%E2%80%99s%20data.csv"
    )
    response.file_to_stream.close()


@pytest.mark.parametrize("name", ["", "exports/gone.csv"])
def test_a_missing_file_is_not_found(storage, name):
    with pytest.raises(Http404):
        private_file_response(storage=storage, name=name, filename="x.csv")


def test_a_name_outside_the_storage_is_refused(storage, tmp_path):
    (tmp_path.parent / "outside.csv").write_bytes(b"secret")
    # Django answers SuspiciousOperation with a 400.
    with pytest.raises(SuspiciousFileOperation):
        private_file_response(storage=storage, name="../outside.csv", filename="x.csv")


def test_mark_private_on_a_response_built_in_the_request():
    response = mark_private(StreamingHttpResponse(iter([b"a,b\n"]), content_type="text/csv"))
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_private_files_have_no_url(storage):
    name = storage.save("a.csv", ContentFile(b"x"))
    with pytest.raises(ValueError, match="no public URL"):
        storage.url(name)
