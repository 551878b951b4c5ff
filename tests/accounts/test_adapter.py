"""allauth's emails leave the request: queued as tasks after commit (accounts.adapter).

The tests with a mail server that is down commit for real (`transaction=True`), so the
queued email is handed to the immediate backend inside the request, as on the site.
"""

import pytest
from django_tasks import default_task_backend

from accounts.models import User
from core.mail import email_send
from tests.mail_backends import DUMMY_TASKS, REFUSING, UNREACHABLE

from .test_registration import SIGNUP_URL, signup_data


@pytest.mark.parametrize("backend", [REFUSING, UNREACHABLE])
@pytest.mark.django_db(transaction=True)
def test_sign_up_answers_as_normal_when_the_mail_server_is_down(
    client, site_home, organisation, settings, backend
):
    settings.EMAIL_BACKEND = backend
    client.raise_request_exception = False

    response = client.post(SIGNUP_URL, signup_data(organisation=organisation.pk))

    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    assert User.objects.filter(email="nia.okafor@example.org").exists()


@pytest.mark.parametrize("backend", [REFUSING, UNREACHABLE])
@pytest.mark.django_db(transaction=True)
def test_password_reset_answers_as_normal_when_the_mail_server_is_down(
    client, site_home, settings, backend
):
    from tests.factories import UserFactory

    learner = UserFactory()
    settings.EMAIL_BACKEND = backend
    client.raise_request_exception = False

    response = client.post("/accounts/password/reset/", {"email": learner.email})

    assert response.status_code == 302
    assert response["Location"] == "/accounts/password/reset/done/"


@pytest.mark.django_db
def test_sign_up_only_queues_its_email(client, home_page, organisation, settings, mailoutbox):
    settings.TASKS = DUMMY_TASKS

    response = client.post(SIGNUP_URL, signup_data(organisation=organisation.pk))

    assert response.status_code == 302
    assert mailoutbox == []  # nothing sent inside the request
    (queued,) = default_task_backend.results
    assert queued.task.func is email_send.func
    message = queued.args[0]
    assert message["to"] == ["nia.okafor@example.org"]
    assert "/accounts/confirm-email/" in message["body"]


@pytest.mark.django_db
def test_password_reset_only_queues_its_email(client, learner, home_page, settings, mailoutbox):
    settings.TASKS = DUMMY_TASKS

    client.post("/accounts/password/reset/", {"email": learner.email})

    assert mailoutbox == []
    (queued,) = default_task_backend.results
    assert queued.args[0]["to"] == [learner.email]
    assert "/accounts/password/reset/key/" in queued.args[0]["body"]
