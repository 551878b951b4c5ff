"""A fake privacy provider and a private storage of the test's own, for the tests of the
data download (`accounts.data_exports`)."""

from allauth.account.models import EmailAddress

from accounts.models import DataExport
from accounts.privacy import Claim, ExportFile, Provider, registry

HOSTILE = '<script>alert("x")</script> & "quotes"'

FAKE_CLAIM = Claim(
    model="account.EmailAddress",
    fields=("user", "email"),
    purpose="So that the fake provider has something to say.",
    visible_to="The person.",
    retention="As long as the account.",
    erasure="Deleted.",
)


class FakeProvider(Provider):
    """Exports the person's email addresses (one query, whatever their number) and a
    note per address as a file: enough to see sizes that grow."""

    section = "fake_section"
    claims = (FAKE_CLAIM,)

    def __init__(self, *, note: str = HOSTILE, fail: bool = False):
        self.note = note
        self.fail = fail

    def addresses(self, user):
        return list(EmailAddress.objects.filter(user=user).order_by("email"))

    def export(self, user):
        if self.fail:
            raise RuntimeError("The provider broke.")
        return {
            "note": self.note,
            "email_addresses": [
                {"email": address.email, "verified": address.verified}
                for address in self.addresses(user)
            ],
            "nested": {"kind": "record", "items": [1, 2], "when": "2026-12-05T10:00:00+00:00"},
        }

    def files(self, user):
        return [
            ExportFile(path=f"notes/{address.email}.md", content=f"# {address.email}\n".encode())
            for address in self.addresses(user)
        ]

    def erase(self, user):
        """It holds nothing of its own: its records are the person's addresses, which
        accounts' provider erases."""


def use_provider(monkeypatch, provider: Provider) -> Provider:
    """Register `provider` beside the real ones for this test only."""
    monkeypatch.setattr(registry, "_providers", dict(registry._providers))
    registry.register(provider)
    return provider


def use_private_folder(settings, monkeypatch, folder):
    """The configured private storage with its root moved to `folder`, resolved again for
    the model's field as a freshly started process would; returns the storage."""
    settings.PRIVATE_ROOT = folder
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            **settings.STORAGES["private"],
            "OPTIONS": {**settings.STORAGES["private"].get("OPTIONS", {}), "location": folder},
        },
    }
    field = DataExport._meta.get_field("file")
    monkeypatch.setattr(field, "storage", field._storage_callable())
    return field.storage
