"""Breadcrumbs for pages outside the page tree: Home first, the last link is "Back to"."""

from django.template import Context, Template


def render(source: str, **context) -> str:
    return Template("{% load site_navigation %}" + source).render(Context(context))


def test_the_trail_starts_at_home_and_goes_back_to_the_last_link():
    html = render(
        "{% breadcrumb_trail first_url 'Self-assessments' team_url team_name %}",
        first_url="/assessments/",
        team_url="/assessments/teams/4/",
        team_name="Ward <7>",
    )

    links = html.split('class="nhsuk-breadcrumb__link')
    assert len(links) == 4  # the text before, then Home and the two links
    assert 'href="/">Home</a>' in links[1]
    assert 'href="/assessments/">Self-assessments</a>' in links[2]
    assert 'href="/assessments/teams/4/">Ward &lt;7&gt;</a>' in links[3]
    assert 'class="nhsuk-back-link" href="/assessments/teams/4/"' in html


def test_an_empty_trail_goes_back_home():
    html = render("{% breadcrumb_trail %}")

    assert html.count("nhsuk-breadcrumb__list-item") == 1
    assert 'class="nhsuk-back-link" href="/"' in html
