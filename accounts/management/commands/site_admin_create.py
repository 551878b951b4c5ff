"""`manage.py site_admin_create`: the first site admin of a fresh production database.

    SITE_ADMIN_PASSWORD_FILE=/run/secrets/admin-password \\
      python manage.py site_admin_create --email ada@example.org --first-name Ada \\
      --last-name Okafor --organisation "Riverside NHS Trust" --organisation-type nhs_trust

The password is read from `--password-file` (its first line), else the file named by
SITE_ADMIN_PASSWORD_FILE, else the SITE_ADMIN_PASSWORD variable, else asked for twice at
the terminal. Never from an argument: arguments are visible to every user of the machine
(`ps`) and stay in shell history.
"""

import getpass
import os
import sys
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from accounts.models import Organisation
from accounts.services import AccountExists, site_admin_create


class Command(BaseCommand):
    help = "Create the first site admin (a superuser with a verified address) on a fresh site."

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        # `--password` must not be taken for `--password-file`: that would treat the
        # password as a file name (and print it in the error).
        parser.allow_abbrev = False
        return parser

    def add_arguments(self, parser):
        parser.add_argument("--email", required=True)
        parser.add_argument("--first-name", required=True)
        parser.add_argument("--last-name", required=True)
        parser.add_argument(
            "--organisation", required=True, help="Their organisation's name (created if new)."
        )
        parser.add_argument(
            "--organisation-type",
            choices=Organisation.Type.values,
            default=Organisation.Type.OTHER,
        )
        parser.add_argument("--job-role", default="")
        parser.add_argument(
            "--password-file",
            type=Path,
            help="A file whose first line is the password (or set SITE_ADMIN_PASSWORD_FILE).",
        )

    def handle(self, *args, **options):
        password = self.read_password(options["password_file"])
        try:
            user = site_admin_create(
                email=options["email"],
                first_name=options["first_name"],
                last_name=options["last_name"],
                password=password,
                organisation_name=options["organisation"],
                organisation_type=options["organisation_type"],
                job_role=options["job_role"],
            )
        except AccountExists as exists:
            raise CommandError(
                f"An account for {exists} already exists; nothing was changed. Give it the "
                "Site admin role in the admin (Settings › Users) instead."
            ) from None
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Site admin {user.email} created. Sign in at /accounts/login/; with "
                "STAFF_MFA_REQUIRED on, the admin asks them to set up an authenticator app."
            )
        )

    def read_password(self, path: Path | None) -> str:
        path = path or (
            Path(os.environ["SITE_ADMIN_PASSWORD_FILE"])
            if os.environ.get("SITE_ADMIN_PASSWORD_FILE")
            else None
        )
        if path is not None:
            try:
                lines = path.read_text(encoding="utf-8").splitlines()
            except (OSError, UnicodeDecodeError) as error:
                raise CommandError(f"Cannot read the password file {path}: {error}") from None
            password = lines[0] if lines else ""
        elif os.environ.get("SITE_ADMIN_PASSWORD"):
            password = os.environ["SITE_ADMIN_PASSWORD"]
        elif sys.stdin.isatty():
            password = getpass.getpass("Password: ")
            if getpass.getpass("Password (again): ") != password:
                raise CommandError("The passwords do not match.")
        else:
            raise CommandError(
                "Give the password with --password-file, SITE_ADMIN_PASSWORD_FILE or "
                "SITE_ADMIN_PASSWORD, or run this at a terminal to be asked for it."
            )
        if not password:
            raise CommandError("The password is empty.")
        return password
