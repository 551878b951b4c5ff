"""Load the demo data: one idempotent entry point that every app extends.

Each app may have a `demo.py` module with `ORDER` (an int; lower runs first) and
`seed(*, password: str, log: Callable[[str], None]) -> list[tuple[str, str]]`, which
creates what is missing and returns demo log-ins as (email, what the account is for).
This command finds those modules, so apps never import each other to take part.
"""

import os
from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from core.search_index import index_updates_once

DEFAULT_DEMO_PASSWORD = "learn-together"  # noqa: S105 - a documented demo password


def demo_modules():
    found = []
    for app_config in apps.get_app_configs():
        name = f"{app_config.name}.demo"
        if find_spec(app_config.name) is None or find_spec(name) is None:
            continue
        found.append(import_module(name))
    return sorted(found, key=lambda module: getattr(module, "ORDER", 100))


class Command(BaseCommand):
    help = "Create the demo site, organisations, accounts and content. Safe to run twice."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even though DEBUG is off (never do this on a real site).",
        )

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo creates accounts with a shared password, so it only runs when "
                "DEBUG is on. Pass --force if you really mean it."
            )
        self.verbosity = options.get("verbosity", 1)
        password = os.environ.get("DEMO_PASSWORD") or DEFAULT_DEMO_PASSWORD
        logins: list[tuple[str, str]] = []
        # Each page and organisation is saved several times as it is built: its search
        # index entry is written once, after the commit (356 updates became 113).
        with index_updates_once(), transaction.atomic():
            for module in demo_modules():
                logins.extend(module.seed(password=password, log=self._log))
        self._print_logins(logins, password)

    def _log(self, message: str) -> None:
        if self.verbosity >= 2:
            self.stdout.write(f"  {message}")

    def _print_logins(self, logins, password):
        if not logins or self.verbosity == 0:
            return
        self.stdout.write(self.style.SUCCESS("Demo data is ready. Sign in with:"))
        width = max(len(email) for email, _role in logins)
        for email, role in logins:
            self.stdout.write(f"  {email.ljust(width)}  {role}")
        source = "DEMO_PASSWORD" if os.environ.get("DEMO_PASSWORD") else "the default"
        self.stdout.write(f"Password for every account ({source}): {password}")
