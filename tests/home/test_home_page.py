import pytest
from wagtail.models import Site

from home.models import HomePage
from home.services import site_ensure_home


@pytest.mark.django_db
def test_site_ensure_home_is_idempotent_and_serves_the_home_page(client):
    first = site_ensure_home(title="Lead and learn together")
    second = site_ensure_home(title="A different title")

    assert first.pk == second.pk
    assert HomePage.objects.count() == 1
    assert Site.objects.get(is_default_site=True).root_page_id == first.pk
    response = client.get("/")
    assert response.status_code == 200
    assert b"Lead and learn together" in response.content
