"""Print the personal data inventory (docs/privacy.md) from the privacy registry.

python manage.py privacy_inventory > docs/privacy.md
"""

from django.core.management.base import BaseCommand

from accounts.privacy import inventory_markdown


class Command(BaseCommand):
    help = "Print the personal data inventory as Markdown (the text of docs/privacy.md)."

    def handle(self, *args, **options):
        self.stdout.write(inventory_markdown(), ending="")
