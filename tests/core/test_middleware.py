"""NUL bytes get the 400 page; text that is not UTF-8 gets a field error, never stored."""

from urllib.parse import urlencode

import pytest
from django.http import HttpResponse

from core.middleware import BadInputMiddleware
from core.unreadable import Unreadable
from tests.factories import UserFactory

NOT_UTF8_PERCENT = "%FF%FE%C3%28"
NOT_UTF8 = b"\xff\xfe\xc3\x28"
FORM = "application/x-www-form-urlencoded"


def multipart_body(**fields: bytes) -> tuple[bytes, str]:
    boundary = b"b0undary"
    body = b"".join(
        b'--%s\r\nContent-Disposition: form-data; name="%s"\r\n\r\n%s\r\n'
        % (boundary, name.encode(), value)
        for name, value in fields.items()
    )
    return body + b"--%s--\r\n" % boundary, "multipart/form-data; boundary=b0undary"


# How Django decodes it on its own: the reason for the middleware ------------------------


def test_django_alone_turns_percent_encoded_bytes_into_replacement_characters(rf):
    request = rf.post("/", data=f"job_role={NOT_UTF8_PERCENT}", content_type=FORM)

    assert request.POST["job_role"] == "\ufffd\ufffd\ufffd("


def test_django_alone_turns_a_raw_body_into_latin1_mojibake(rf):
    request = rf.post("/", data="first_name=Rosá&job_role=".encode() + NOT_UTF8, content_type=FORM)

    # Every value is garbled, the readable name included.
    assert request.POST["job_role"] == "ÿþÃ("
    assert request.POST["first_name"] == "RosÃ¡"


def test_django_alone_turns_multipart_bytes_into_replacement_characters(rf):
    body, content_type = multipart_body(job_role=NOT_UTF8)
    request = rf.post("/", data=body, content_type=content_type)

    assert request.POST["job_role"] == "\ufffd\ufffd\ufffd("


# The middleware -----------------------------------------------------------------------


def run(request):
    seen = {}

    def view(request):
        seen["post"] = request.POST
        return HttpResponse("ok")

    BadInputMiddleware(view)(request)
    return seen["post"], request.unreadable_fields


def test_a_raw_body_is_decoded_field_by_field_and_the_unreadable_one_marked(rf):
    request = rf.post("/", data="first_name=Rosá&job_role=".encode() + NOT_UTF8, content_type=FORM)

    post, unreadable = run(request)

    assert post["first_name"] == "Rosá" and not isinstance(post["first_name"], Unreadable)
    assert isinstance(post["job_role"], Unreadable)
    assert unreadable == {"job_role"}


@pytest.mark.parametrize("kind", ["percent", "multipart"])
def test_unreadable_values_are_marked(rf, kind):
    if kind == "percent":
        request = rf.post("/", data=f"a=ok&job_role={NOT_UTF8_PERCENT}", content_type=FORM)
    else:
        body, content_type = multipart_body(a=b"ok", job_role=NOT_UTF8)
        request = rf.post("/", data=body, content_type=content_type)

    post, unreadable = run(request)

    assert unreadable == {"job_role"}
    assert isinstance(post["job_role"], Unreadable)
    assert post["a"] == "ok"


@pytest.mark.parametrize(
    "request_args",
    [
        {"path": "/cohorts/invitations/\x00/"},
        {"path": "/learn/", "QUERY_STRING": "q=%00"},
        {"path": "/learn/", "QUERY_STRING": f"q={NOT_UTF8_PERCENT}"},
        {"path": "/learn/", "method": "post", "data": "name=a%00b"},
        {"path": "/learn/", "method": "post", "data": b"name=a\x00b"},
        {"path": "/learn/", "method": "post", "data": f"{NOT_UTF8_PERCENT}=x"},
    ],
    ids=["path", "query", "query-not-utf8", "body", "raw-body", "field-name-not-utf8"],
)
def test_nul_bytes_and_unreadable_queries_are_bad_requests(client, home_page, request_args):
    args = dict(request_args)
    method = args.pop("method", "get")
    if method == "post":
        response = client.post(args["path"], data=args["data"], content_type=FORM)
    else:
        response = client.get(args.pop("path"), **args)

    assert response.status_code == 400
    html = response.content.decode()
    assert "Bad request" in html and "nhsuk-header" in html
    assert response.templates[0].name == "400.html"


def test_a_nul_byte_in_an_invitation_token_is_refused_before_the_database(client, home_page):
    """On PostgreSQL this was a server error: text fields cannot contain NUL."""
    client.force_login(UserFactory())

    response = client.get("/cohorts/invitations/%00/")

    assert response.status_code == 400


def test_ordinary_requests_pass_untouched(client, home_page):
    response = client.get("/", {"q": "Rosá"})

    assert response.status_code == 200


# Field errors, in our forms and allauth's ------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("raw", [True, False], ids=["raw-bytes", "percent-encoded"])
def test_the_profile_form_refuses_unreadable_text_and_stores_nothing(client, home_page, raw):
    learner = UserFactory(first_name="Rosa", job_role="Nurse")
    client.force_login(learner)
    fields = urlencode(
        {
            "first_name": "Rosá",
            "last_name": learner.last_name,
            "organisation": learner.organisation_id,
        }
    ).encode()
    job_role = NOT_UTF8 if raw else NOT_UTF8_PERCENT.encode()

    response = client.post(
        "/accounts/profile/", data=fields + b"&job_role=" + job_role, content_type=FORM
    )

    assert response.status_code == 200
    assert "Job role contains characters we could not read. Type it again." in (
        response.content.decode()
    )
    learner.refresh_from_db()
    assert (learner.first_name, learner.job_role) == ("Rosa", "Nurse")


@pytest.mark.django_db
def test_allauth_sign_in_shows_a_field_error_for_unreadable_text(client, home_page):
    response = client.post(
        "/accounts/login/", data=f"login={NOT_UTF8_PERCENT}&password=x", content_type=FORM
    )

    assert response.status_code == 200
    assert "contains characters we could not read. Type it again." in response.content.decode()


@pytest.mark.django_db
def test_allauth_sign_up_shows_a_field_error_and_creates_nobody(client, home_page):
    from accounts.models import User

    body, content_type = multipart_body(
        email=b"new@example.org", first_name=NOT_UTF8, password1=b"x", password2=b"x"
    )

    response = client.post("/accounts/signup/", data=body, content_type=content_type)

    assert response.status_code == 200
    assert "contains characters we could not read. Type it again." in response.content.decode()
    assert not User.objects.filter(email="new@example.org").exists()


# Query strings too long to be real, and `next` values that are not paths -----------------


def test_a_query_string_longer_than_nginx_allows_is_a_bad_request(client, home_page):
    response = client.get("/learn/search/", {"q": "x" * 100_000})

    assert response.status_code == 400


@pytest.mark.parametrize("count", ["501", "99999999999999999999", " 1000 "])
def test_a_formset_claiming_too_many_forms_is_a_bad_request(client, home_page, count):
    """Wagtail's group editor built and rendered a thousand permission forms (megabytes,
    seconds of CPU) for a 20-digit count."""
    client.force_login(UserFactory(is_superuser=True, is_staff=True))

    response = client.post(
        "/admin/groups/new/",
        {"name": "Ward 7", "page_permissions-TOTAL_FORMS": count},
    )

    assert response.status_code == 400
    assert len(response.content) < 20_000


@pytest.mark.parametrize("count", ["0", "500", "-1", "x", "9999-12-31"])
def test_a_formset_count_within_bounds_or_not_a_number_is_left_to_the_formset(rf, count):
    request = rf.post("/", {"pages-TOTAL_FORMS": count, "pages-INITIAL_FORMS": "0"})

    response = BadInputMiddleware(lambda request: HttpResponse("reached the view"))(request)

    assert response.content == b"reached the view"
    assert request.POST["pages-TOTAL_FORMS"] == count


@pytest.mark.parametrize("next_url", ["x", "-1", "9999-12-31", "//evil.example/"])
def test_a_next_that_is_not_a_path_here_is_dropped(rf, next_url):
    request = rf.post(f"/?next={next_url}", data={"next": next_url, "name": "a"})
    seen = {}

    def view(request):
        seen["get"], seen["post"] = request.GET, request.POST
        return HttpResponse("ok")

    BadInputMiddleware(view)(request)

    assert "next" not in seen["get"] and "next" not in seen["post"]
    assert seen["post"]["name"] == "a"


def test_a_path_next_is_kept(rf):
    request = rf.get("/", {"next": "/learn/"})
    BadInputMiddleware(lambda request: HttpResponse("ok"))(request)

    assert request.GET["next"] == "/learn/"


def test_wagtails_lock_view_with_a_bare_word_next_redirects_instead_of_failing(client, home_page):
    """Django's redirect() took "x" for a view name: NoReverseMatch, a server error."""
    client.force_login(UserFactory(is_superuser=True, is_staff=True))

    response = client.post(f"/admin/pages/{home_page.pk}/lock/", {"next": "x"})

    assert response.status_code == 302


def test_ids_that_are_not_ids_are_dropped_from_the_query_but_all_is_kept(rf):
    request = rf.get("/", {"id": ["1", "x", "9" * 20, "-1", "all"]})
    BadInputMiddleware(lambda request: HttpResponse("ok"))(request)

    assert request.GET.getlist("id") == ["1", "all"]
