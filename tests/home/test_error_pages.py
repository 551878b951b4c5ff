import pytest
from django.test import RequestFactory

from home import views


@pytest.mark.django_db
def test_404_page_uses_the_site_layout(client, home_page):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    html = response.content.decode()
    assert "Page not found" in html
    assert "nhsuk-header" in html and 'id="maincontent"' in html


@pytest.mark.django_db
def test_403_page_uses_the_site_layout(rf, home_page):
    request = RequestFactory().get("/")
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    response = views.permission_denied(request)

    assert response.status_code == 403
    assert "You do not have permission to see this page" in response.content.decode()


def test_500_page_renders_without_database_or_request():
    response = views.server_error(None)

    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in response.content.decode()


@pytest.mark.django_db
def test_400_page_uses_the_site_layout_and_plain_words(client, home_page):
    response = client.get("/learn/", {"q": "\x00"})

    assert response.status_code == 400
    assert [template.name for template in response.templates][0] == "400.html"
    html = response.content.decode()
    assert "nhsuk-header" in html and 'id="maincontent"' in html
    assert "Bad request" in html
    assert "go back and type your answers again" in html


@pytest.mark.django_db
def test_csrf_failure_page_uses_the_site_layout_and_plain_words(home_page):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)

    response = client.post("/accounts/login/", {"login": "a@example.org", "password": "x"})

    assert response.status_code == 403
    assert [template.name for template in response.templates][0] == "403_csrf.html"
    html = response.content.decode()
    assert "nhsuk-header" in html and 'id="maincontent"' in html
    assert "Your form could not be sent" in html
    assert "Go back, refresh the page and try again." in html
