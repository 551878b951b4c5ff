"""Content-Security-Policy and Permissions-Policy headers: their values for a public page
and an admin page, report-only mode, nonces and the media host. The browser test
(tests/browser/test_content_security_policy.py) proves that the pages keep to them."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.http import HttpResponse
from django.template import engines
from django.test import RequestFactory
from wagtail.embeds.blocks import EmbedValue
from wagtail.embeds.embeds import get_embed_hash
from wagtail.embeds.finders import get_finders
from wagtail.embeds.models import Embed

from core.middleware import ContentSecurityPolicyMiddleware, permissions_policy_header
from lms.settings.base import media_origins
from tests.factories import UserFactory


def directives(header: str) -> dict[str, str]:
    return {
        name: value.strip()
        for name, _space, value in (part.strip().partition(" ") for part in header.split(";"))
    }


@pytest.mark.django_db
def test_a_public_page_gets_the_strict_policy(client, home_page):
    response = client.get("/")

    assert response.status_code == 200
    assert "Content-Security-Policy-Report-Only" not in response
    assert directives(response["Content-Security-Policy"]) == {
        "default-src": "'self'",
        "script-src": "'self'",
        "style-src": "'self'",
        "img-src": "'self' data:",
        "font-src": "'self' https://assets.nhs.uk",
        "connect-src": "'self'",
        "frame-src": (
            "https://www.youtube.com https://www.youtube-nocookie.com https://player.vimeo.com"
        ),
        "object-src": "'none'",
        "base-uri": "'self'",
        "form-action": "'self'",
        "frame-ancestors": "'none'",
    }


@pytest.mark.django_db
def test_an_admin_page_gets_the_admins_own_policy(client, home_page):

    client.force_login(UserFactory(is_superuser=True))

    response = client.get("/admin/pages/")

    assert response.status_code == 200
    policy = directives(response["Content-Security-Policy"])
    assert policy["script-src"] == "'self' 'unsafe-inline'"
    assert policy["style-src"] == "'self' 'unsafe-inline'"
    assert policy["img-src"] == "'self' data: blob:"
    assert policy["connect-src"] == "'self' https://releases.wagtail.org"
    assert policy["frame-ancestors"] == "'self'"
    assert policy["object-src"] == "'none'"
    assert "unsafe-eval" not in response["Content-Security-Policy"]
    assert "nonce-" not in response["Content-Security-Policy"]


@pytest.mark.django_db
def test_every_response_gets_the_permissions_policy(client, home_page):
    for path in ["/", "/admin/", "/no-such-page/"]:
        header = client.get(path)["Permissions-Policy"]

        features = dict(part.split("=") for part in header.split(", "))
        for feature in ["camera", "microphone", "geolocation", "payment", "usb"]:
            assert features[feature] == "()", (path, feature)
        assert features["browsing-topics"] == "()"
        # The video players ask for these, so they stay at the browser's default.
        assert "fullscreen" not in features
        assert "autoplay" not in features


def test_the_permissions_policy_header_quotes_origins():
    header = permissions_policy_header(
        {"camera": [], "fullscreen": ["self", "https://player.vimeo.com"]}
    )

    assert header == 'camera=(), fullscreen=(self "https://player.vimeo.com")'


def policy_for(path: str, *, nonce: bool = False, report_only: bool = False) -> HttpResponse:
    request = RequestFactory().get(path)
    middleware = ContentSecurityPolicyMiddleware(lambda request: HttpResponse())
    middleware.process_request(request)
    if nonce:
        str(request.csp_nonce)
    return middleware.process_response(request, HttpResponse())


def test_a_public_template_that_uses_the_nonce_gets_it_in_script_src():
    request = RequestFactory().get("/")
    middleware = ContentSecurityPolicyMiddleware(lambda request: HttpResponse())
    middleware.process_request(request)
    html = (
        engines["django"]
        .from_string('<script nonce="{{ request.csp_nonce }}">go()</script>')
        .render({}, request)
    )

    response = middleware.process_response(request, HttpResponse(html))

    nonce = html.split('"')[1]
    assert directives(response["Content-Security-Policy"])["script-src"] == (
        f"'self' 'nonce-{nonce}'"
    )


def test_the_admins_policy_never_carries_a_nonce():
    """A nonce would make browsers ignore the admin's 'unsafe-inline'."""
    response = policy_for("/admin/pages/", nonce=True)

    assert directives(response["Content-Security-Policy"])["script-src"] == (
        "'self' 'unsafe-inline'"
    )


def test_report_only_mode_sends_each_policy_as_report_only(settings):
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = settings.CONTENT_SECURITY_POLICY
    del settings.CONTENT_SECURITY_POLICY

    public = policy_for("/")
    admin = policy_for("/admin/pages/")

    assert "Content-Security-Policy" not in public
    assert "Content-Security-Policy" not in admin
    assert "'unsafe-inline'" not in public["Content-Security-Policy-Report-Only"]
    assert directives(admin["Content-Security-Policy-Report-Only"])["script-src"] == (
        "'self' 'unsafe-inline'"
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [("1", (False, True)), ("", (True, False)), (None, (True, False))],
    ids=["on", "empty", "unset"],
)
def test_csp_report_only_in_the_environment_switches_the_mode(value, expected):
    environ = {**os.environ, "DJANGO_SETTINGS_MODULE": "lms.settings.test"}
    environ.pop("CSP_REPORT_ONLY", None)
    if value is not None:
        environ["CSP_REPORT_ONLY"] = value
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(hasattr(settings, 'CONTENT_SECURITY_POLICY'), "
        "hasattr(settings, 'CONTENT_SECURITY_POLICY_REPORT_ONLY'))"
    )

    result = subprocess.run(  # noqa: S603 - our own interpreter and a fixed script
        [sys.executable, "-c", code],
        env=environ,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    )

    assert result.stdout.split() == [str(flag) for flag in expected]


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({}, []),
        ({"AWS_STORAGE_BUCKET_NAME": "lt-media"}, ["https://lt-media.s3.amazonaws.com"]),
        (
            {"AWS_STORAGE_BUCKET_NAME": "lt-media", "AWS_S3_REGION_NAME": "eu-west-2"},
            ["https://lt-media.s3.amazonaws.com", "https://lt-media.s3.eu-west-2.amazonaws.com"],
        ),
        (
            {
                "AWS_STORAGE_BUCKET_NAME": "lt-media",
                "AWS_S3_ENDPOINT_URL": "http://127.0.0.1:9000",
            },
            ["http://127.0.0.1:9000"],
        ),
        (
            {
                "AWS_STORAGE_BUCKET_NAME": "lt-media",
                "AWS_S3_ENDPOINT_URL": "https://s3.example.net/",
                "AWS_S3_ADDRESSING_STYLE": "virtual",
            },
            ["https://lt-media.s3.example.net"],
        ),
        (
            {"AWS_STORAGE_BUCKET_NAME": "lt-media", "AWS_S3_CUSTOM_DOMAIN": "media.example.org"},
            ["https://media.example.org"],
        ),
        ({"AWS_S3_CUSTOM_DOMAIN": "cdn.example.org/media"}, ["https://cdn.example.org"]),
    ],
    ids=["local", "aws", "aws-region", "endpoint", "endpoint-virtual", "custom", "custom-path"],
)
def test_images_may_come_from_the_media_host_when_one_is_configured(environ, expected):
    assert media_origins(environ) == expected


@pytest.mark.django_db
def test_a_video_embed_keeps_its_shape_without_an_inline_style():
    url = "https://www.youtube.com/watch?v=abc"
    Embed.objects.create(
        hash=get_embed_hash(url),
        url=url,
        type="video",
        html='<iframe width="480" height="360" src="https://www.youtube.com/embed/abc"></iframe>',
        width=480,
        height=360,
        thumbnail_url="",
    )

    html = EmbedValue(url).html

    assert "style=" not in html
    assert 'class="lms-embed lms-embed--4x3"' in html
    assert 'src="https://www.youtube.com/embed/abc"' in html


@pytest.mark.parametrize(
    ("url", "accepted"),
    [
        ("https://www.youtube.com/watch?v=abc", True),
        ("https://youtu.be/abc", True),
        ("https://vimeo.com/123456", True),
        ("https://www.flickr.com/photos/someone/123/", False),
        ("https://soundcloud.com/someone/a-track", False),
        ("https://twitter.com/someone/status/1", False),
    ],
)
def test_only_hosts_the_policy_lets_frame_can_be_embedded(url, accepted):
    """Another provider's embed would be blocked by frame-src, so editors cannot add one
    (the embed block then says "Cannot find an embed for this URL")."""
    assert any(finder.accept(url) for finder in get_finders()) is accepted
