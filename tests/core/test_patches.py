"""Wagtail's admin views answer malformed input with a form error or a 400, not a 500."""

import pytest

from tests.factories import UserFactory


@pytest.fixture
def admin_client(client, home_page):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    client.home = home_page
    return client


@pytest.mark.parametrize("root_page", ["x", "9999-12-31", "9" * 20])
def test_a_chooser_shows_nothing_for_a_posted_id_that_is_not_one(admin_client, root_page):
    """The site form's page chooser raised ValueError while showing the form's errors."""
    response = admin_client.post(
        "/admin/sites/new/",
        {"hostname": "example.org", "port": "80", "root_page": root_page},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["root_page"]


@pytest.mark.parametrize("value", ["x", "9" * 20, "-1"])
def test_a_chooser_asked_for_ids_that_are_not_ids_chooses_nothing(admin_client, value):
    response = admin_client.get(
        "/admin/choose-page/chosen-multiple/", {"id": [value, str(admin_client.home.pk)]}
    )

    assert response.status_code == 200
    assert [item["id"] for item in response.json()["result"]] == [admin_client.home.pk]


def test_a_page_edit_post_missing_wagtails_own_fields_is_a_bad_request(admin_client, home_page):
    """Wagtail's page editor reads request.POST[...] directly: MultiValueDictKeyError."""
    response = admin_client.post(f"/admin/pages/{home_page.pk}/edit/", {"q": "x"})

    assert response.status_code == 400


def test_the_external_link_chooser_without_a_url_asks_for_one(admin_client):
    response = admin_client.post("/admin/choose-external-link/", {"link_text": "x"})

    assert response.status_code == 200
    assert "This field is required" in response.content.decode()


@pytest.mark.parametrize("posted", ["x", "9999-12-31", "[]", '{"blocks": 1}'])
def test_rich_text_that_is_not_the_editors_json_is_refused_beside_the_field(posted):
    """Wagtail's Draftail editor raised JSONDecodeError or AttributeError (a server error,
    in the instrument editor) on content that was not its JSON."""
    from django import forms
    from wagtail.fields import RichTextField

    class Form(forms.Form):
        introduction = RichTextField(blank=True).formfield()

    form = Form({"introduction": posted})

    assert not form.is_valid()
    assert "contains characters we could not read" in str(form.errors["introduction"])
    assert "<form" not in form.as_div()  # and the form still renders


@pytest.mark.parametrize("listing", ["/admin/images/", "/admin/documents/"])
def test_searching_a_media_listing_with_the_usage_filter_lists_instead_of_failing(
    admin_client, listing
):
    """Wagtail 8.0 raised AttributeError for a search combined with the usage filter."""
    response = admin_client.get(listing, {"q": "report", "usage_count_min": "1"})

    assert response.status_code == 200


@pytest.mark.parametrize("parent", ["x", "9" * 20, "-1", "999999", ""])
def test_copying_a_page_into_a_page_that_is_not_one_is_a_bad_request(admin_client, parent):
    """The copy view looked the parent up before its form checked it."""
    from modules.models import ProgrammePage
    from tests.modules.conftest import build_module

    programme, _module, _lessons = build_module(admin_client.home)

    response = admin_client.post(
        f"/admin/pages/{programme.pk}/copy/",
        {"new_title": "Copy", "new_slug": "copy", "new_parent_page": parent},
    )

    assert response.status_code == 400
    assert ProgrammePage.objects.count() == 1


def test_the_redirect_import_confirmation_without_its_fields_is_a_form_error(admin_client):
    response = admin_client.post("/admin/redirects/import/process/", {"from_index": "0"})

    assert response.status_code == 400


def test_the_instrument_chooser_offers_nothing_to_create(admin_client):
    """Instruments are written in their own editor; the chooser has no creation form."""
    response = admin_client.post("/admin/snippets/choose/assessments/instrument/create/", {})

    assert response.status_code == 404


def test_the_root_page_is_never_chosen(admin_client):
    """Choosing the root page (which has no parent) raised AttributeError."""
    response = admin_client.get(
        "/admin/choose-page/chosen-multiple/", {"id": ["1", str(admin_client.home.pk)]}
    )

    assert response.status_code == 200
    assert [item["id"] for item in response.json()["result"]] == [admin_client.home.pk]
