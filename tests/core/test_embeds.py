"""Embedded videos use the players that set no cookies when a lesson opens."""

from unittest import mock

import pytest
from wagtail.embeds.embeds import get_embed
from wagtail.embeds.models import Embed

from core.embeds import privacy_enhanced

YOUTUBE_OEMBED = {
    "type": "video",
    "title": "A team meeting",
    "provider_name": "YouTube",
    "html": '<iframe width="200" height="113" '
    'src="https://www.youtube.com/embed/abc123?feature=oembed" '
    'frameborder="0" allowfullscreen title="A team meeting"></iframe>',
    "width": 200,
    "height": 113,
}
VIMEO_OEMBED = {
    "type": "video",
    "title": "Listening well",
    "provider_name": "Vimeo",
    "html": '<iframe src="https://player.vimeo.com/video/76979871?h=8272103f6e&amp;app_id=122963" '
    'width="640" height="360" title="Listening well"></iframe>',
    "width": 640,
    "height": 360,
}


def test_youtube_player_moves_to_the_no_cookie_host():
    html = privacy_enhanced(YOUTUBE_OEMBED["html"])
    assert 'src="https://www.youtube-nocookie.com/embed/abc123?feature=oembed"' in html
    assert "www.youtube.com" not in html


def test_vimeo_player_gets_do_not_track_once():
    html = privacy_enhanced(VIMEO_OEMBED["html"])
    assert (
        'src="https://player.vimeo.com/video/76979871?h=8272103f6e&amp;app_id=122963&amp;dnt=1"'
        in html
    )
    assert privacy_enhanced(html) == html
    bare = privacy_enhanced('<iframe src="https://player.vimeo.com/video/1"></iframe>')
    assert 'src="https://player.vimeo.com/video/1?dnt=1"' in bare


def test_other_html_is_left_alone():
    html = '<iframe src="https://example.org/embed/youtube.com/embed/x"></iframe>'
    assert privacy_enhanced(html) == html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "oembed", "host"),
    [
        ("https://www.youtube.com/watch?v=abc123", YOUTUBE_OEMBED, "www.youtube-nocookie.com"),
        ("https://vimeo.com/76979871", VIMEO_OEMBED, "player.vimeo.com"),
    ],
)
def test_the_configured_finder_stores_the_privacy_enhanced_player(url, oembed, host):
    """Through Wagtail's own get_embed, as the admin and the video block call it."""
    response = mock.Mock(status_code=200)
    response.json.return_value = oembed
    response.raise_for_status.return_value = None
    with mock.patch("wagtail.embeds.finders.oembed.requests.get", return_value=response):
        embed = get_embed(url)
    assert f'src="https://{host}/' in embed.html
    assert "www.youtube.com/embed" not in Embed.objects.get(url=url).html
