"""The privacy registry: every app that holds personal data says what it holds, and how to
export and erase it.

Each such app has a `privacy.py` with one `Provider` subclass and registers an instance
from its `AppConfig.ready()`:

    def ready(self):
        from accounts.privacy import registry
        from .privacy import ModulesPrivacy

        registry.register(ModulesPrivacy())

so that `accounts` imports none of the apps it collects from (imports point down).

A provider *claims* models. Every installed model, ours and our dependencies', that points
at the user model or stores an email address must be claimed by exactly one provider, or
be listed in `NOT_PERSONAL` with a reason; `tests/accounts/test_privacy_claims.py` fails
otherwise. The claims are also the data inventory in docs/privacy.md.

Reads for an export go through `export()` and `files()` (they never write); erasure goes
through `erase()`, which the one service `accounts.services.account_erase` calls for every
provider inside one transaction before it deletes the user.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from accounts.models import User


@dataclass(frozen=True)
class Claim:
    """One model's personal data, as the inventory in docs/privacy.md describes it.

    `model` is "app_label.ModelName" (a string, so that a provider can claim models of
    apps it does not import). `fields` are the fields that hold personal data or point at
    a person. The other four say, in plain words for a data protection officer, why the
    data is held, who can see it, how long it is kept and what erasure does to it.
    """

    model: str
    fields: tuple[str, ...]
    purpose: str
    visible_to: str
    retention: str
    erasure: str


@dataclass(frozen=True)
class ExportFile:
    """A file for a person's data download (a certificate PDF, their journal in Markdown).

    `path` is relative inside the ZIP, for example "certificates/leading-in-systems.pdf".
    """

    path: str
    content: bytes


class Provider:
    """One app's personal data. Subclass it in the app's `privacy.py`.

    `section` names the app's part of the JSON export (for example "modules"); `claims`
    lists every model the app answers for.
    """

    section: str = ""
    claims: tuple[Claim, ...] = ()

    def export(self, user: User) -> dict[str, Any]:
        """Everything this app holds about `user`, as JSON-serialisable data. Never writes."""
        raise NotImplementedError

    def files(self, user: User) -> Iterable[ExportFile]:
        """Files for the data download besides the JSON (PDFs, Markdown). Never writes."""
        return ()

    def erase(self, user: User) -> None:
        """Delete or anonymise what this app holds about `user`.

        Runs inside `account_erase`'s transaction, before the user row is deleted. Keep
        anonymous scores that feed aggregates; remove identity and free text.
        """
        raise NotImplementedError


# Installed models that point at a user or hold an email address, but hold no personal
# data that an export or erasure must handle: "app_label.ModelName" -> the reason.
NOT_PERSONAL: dict[str, str] = {}


class Registry:
    def __init__(self) -> None:
        self._providers: dict[str, Provider] = {}

    def register(self, provider: Provider) -> None:
        if not provider.section:
            raise ValueError(f"{type(provider).__name__} has no section name.")
        if provider.section in self._providers:
            raise ValueError(f"A privacy provider for {provider.section!r} is registered already.")
        self._providers[provider.section] = provider

    def __iter__(self) -> Iterator[Provider]:
        return iter(self._providers.values())

    def claims(self) -> list[tuple[Provider, Claim]]:
        return [(provider, claim) for provider in self for claim in provider.claims]

    def export(self, user: User) -> dict[str, dict[str, Any]]:
        """Every provider's export for `user`, keyed by section, in registration order."""
        return {provider.section: provider.export(user) for provider in self}

    def files(self, user: User) -> list[ExportFile]:
        return [file for provider in self for file in provider.files(user)]


registry = Registry()
