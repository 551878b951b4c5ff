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
