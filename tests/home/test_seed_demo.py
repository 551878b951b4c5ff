"""seed_demo creates accounts with a shared password, so it refuses to run without DEBUG
unless forced. What it seeds, and that seeding twice makes nothing more, is
tests/test_demo.py."""

import pytest
from django.core.management import CommandError, call_command

from accounts.models import User


@pytest.mark.django_db
def test_seed_demo_refuses_without_debug_or_force(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="only runs when DEBUG is on"):
        call_command("seed_demo")
    assert User.objects.count() == 0
