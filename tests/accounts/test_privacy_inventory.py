"""docs/privacy.md is the registry's inventory, word for word."""

from io import StringIO
from pathlib import Path

from django.conf import settings
from django.core.management import call_command

from accounts.privacy import NOT_PERSONAL, registry

DOC = Path(settings.BASE_DIR) / "docs" / "privacy.md"


def generated() -> str:
    out = StringIO()
    call_command("privacy_inventory", stdout=out)
    return out.getvalue()


def test_the_committed_inventory_matches_the_registry():
    assert DOC.read_text(encoding="utf-8") == generated(), (
        "docs/privacy.md is out of date: run `python manage.py privacy_inventory > docs/privacy.md`"
    )


def test_the_inventory_lists_every_claim_and_every_not_personal_model():
    text = generated()
    for _provider, claim in registry.claims():
        assert f"| `{claim.model}` |" in text
    for label in NOT_PERSONAL:
        assert f"| `{label}` |" in text
