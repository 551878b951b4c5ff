"""Print the labels of the installed apps that live in this repository, one a line.

`make test` checks their migrations with `makemigrations --check`: migrations that a
third-party package lacks are that package's to ship, not ours to write.
"""

import os
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.dev")

import django  # noqa: E402

django.setup()

from django.apps import apps  # noqa: E402

for app_config in apps.get_app_configs():
    if Path(app_config.path).resolve().is_relative_to(BASE_DIR / ".venv"):
        continue
    if Path(app_config.path).resolve().is_relative_to(BASE_DIR):
        sys.stdout.write(f"{app_config.label}\n")
