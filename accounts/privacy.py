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

import hashlib
import hmac
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from importlib import import_module
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.db.models import Q, TextField
from django.db.models.functions import Cast
from django.utils import timezone

from core.audit import FORMER_USER_KEY

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


class Provider(ABC):
    """One app's personal data. Subclass it in the app's `privacy.py`.

    `section` names the app's part of the JSON export (for example "modules"); `claims`
    lists every model the app answers for.
    """

    section: str = ""
    claims: tuple[Claim, ...] = ()

    @abstractmethod
    def export(self, user: User) -> dict[str, Any]:
        """Everything this app holds about `user`, as JSON-serialisable data. Never writes."""

    def files(self, user: User) -> Iterable[ExportFile]:
        """Files for the data download besides the JSON (PDFs, Markdown). Never writes."""
        return ()

    @abstractmethod
    def erase(self, user: User) -> None:
        """Delete or anonymise what this app holds about `user`.

        Runs inside `account_erase`'s transaction, before the user row is deleted. Keep
        anonymous scores that feed aggregates; remove identity and free text.
        """


# Installed models that point at a user or hold an email address, but hold no personal
# data that an export or erasure must handle: "app_label.ModelName" -> the reason.
NOT_PERSONAL: dict[str, str] = {
    "home.SiteSettings": (
        "contact_email is the service's contact address, which site admins set for the "
        "organisation running the site (a shared mailbox), not a user's address."
    ),
    "wagtailsearch.IndexEntry": (
        "The search index of pages, images, documents, self-assessments and organisations. "
        "Its generic relation could point at any indexed model, but the user model is not "
        "indexed (tests/accounts/test_privacy_claims.py checks), so it holds nobody's name."
    ),
    "taggit.TaggedItem": (
        "Tags on images and documents. Its generic relation could point at any model, but "
        "no model holding personal data is taggable."
    ),
}


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


# Helpers every provider uses ---------------------------------------------------------


def iso(value) -> str | None:
    """A date or datetime as ISO 8601 text for the JSON export (None stays None)."""
    return value.isoformat() if value is not None else None


def pseudonym(user: User) -> str:
    """A stable, short stand-in for `user` in records kept after their erasure.

    An HMAC (keyed with SECRET_KEY) of the user's id and the moment they joined: the same
    for every record of one person, so that a reader can tell that two audit entries were
    about the same former user, and not reversible from anything kept afterwards (the
    join time goes with the account, so even the key's holder cannot try ids one by one).
    """
    message = f"privacy-pseudonym:{user.pk}:{iso(user.date_joined)}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()[:10]


def former_user_label(user: User) -> str:
    """How records kept after erasure name `user`: "Former lead 1a2b3c4d5e" for someone
    in the Programme lead role, "Former user 1a2b3c4d5e" for anyone else."""
    from .roles import PROGRAMME_LEAD

    if user.groups.filter(name=PROGRAMME_LEAD).exists():
        return f"Former lead {pseudonym(user)}"
    return f"Former user {pseudonym(user)}"


# Accounts' own personal data ---------------------------------------------------------

DELETED_WITH_ACCOUNT = "Deleted with the account."
UNTIL_ERASED = "While the account exists."


class AccountsPrivacy(Provider):
    """Identity, sign-in and the audit log: the user row and everything the packages we
    sign people in with (allauth, Django's sessions) and Wagtail's audit log hold."""

    section = "account"
    claims = (
        Claim(
            model="accounts.User",
            fields=(
                "email",
                "first_name",
                "last_name",
                "organisation",
                "job_role",
                "password",
                "last_login",
                "date_joined",
                "is_active",
                "is_staff",
                "is_superuser",
                "exclude_from_reports",
                "retention_warning_sent_at",
                "groups",
                "user_permissions",
            ),
            purpose=(
                "The person's account: who they are, the organisation and job role they "
                "gave, and their roles. The password is stored only as a salted hash."
            ),
            visible_to=(
                "The person; site admins; leads see the name, email, organisation and job "
                "role of members of cohorts they lead."
            ),
            retention="While the account exists. A learner's account unused for "
            "ACCOUNT_RETENTION_DAYS (3 years) is erased, after a warning email "
            "ACCOUNT_RETENTION_WARNING_DAYS (30) before; staff accounts are reported to site "
            "admins instead.",
            erasure="Deleted.",
        ),
        Claim(
            model="accounts.User_groups",
            fields=("user", "group"),
            purpose="Which roles (Learner, Course editor, Programme lead…) the person holds.",
            visible_to="Site admins.",
            retention=UNTIL_ERASED,
            erasure=DELETED_WITH_ACCOUNT,
        ),
        Claim(
            model="accounts.User_user_permissions",
            fields=("user", "permission"),
            purpose="Permissions given to one person directly (the site gives none today).",
            visible_to="Site admins.",
            retention=UNTIL_ERASED,
            erasure=DELETED_WITH_ACCOUNT,
        ),
        Claim(
            model="accounts.DataExport",
            fields=("user", "requested_by", "reason", "file"),
            purpose=(
                "To give a person a copy of everything the site holds about them, when they "
                "or a site admin acting on their request ask for it."
            ),
            visible_to=(
                "The person, who alone can download the file; site admins see that a "
                "download was asked for, by whom and why."
            ),
            retention=(
                "The file and its record are deleted DATA_EXPORT_RETENTION_DAYS (7) days "
                "after it is ready, or when a newer download replaces it; a request that "
                "failed is deleted after the same number of days."
            ),
            erasure="Deleted, file and record. A site admin's name on requests they made "
            "for others is removed.",
        ),
        Claim(
            model="account.EmailAddress",
            fields=("user", "email", "verified", "primary"),
            purpose="The addresses the person signs in and is written to with, and whether "
            "each is verified.",
            visible_to="The person; site admins.",
            retention=UNTIL_ERASED,
            erasure="Deleted.",
        ),
        Claim(
            model="account.EmailConfirmation",
            fields=("email_address", "key"),
            purpose="A pending check that the person owns an address (a one-time key).",
            visible_to="Nobody; the key is sent to the address.",
            retention="Until used or replaced.",
            erasure="Deleted with the address.",
        ),
        Claim(
            model="mfa.Authenticator",
            fields=("user", "type", "data", "created_at", "last_used_at"),
            purpose="Two-step sign-in: the authenticator app's secret and recovery codes.",
            visible_to="Nobody reads the secrets; the person sees which methods are on. "
            "The export says which types are set up and when, never the secrets.",
            retention="Until the person turns it off.",
            erasure="Deleted.",
        ),
        Claim(
            model="usersessions.UserSession",
            fields=("user", "ip", "user_agent", "session_key", "created_at", "last_seen_at"),
            purpose="The person's signed-in sessions, so that they can see and end them.",
            visible_to="The person.",
            retention="Until the session ends or expires.",
            erasure="Every session is ended and its record deleted.",
        ),
        Claim(
            model="sessions.Session",
            fields=("session_key", "session_data"),
            purpose="Keeps a person signed in (their user id, inside the session data).",
            visible_to="Nobody.",
            retention="Until sign-out or expiry (SESSION_COOKIE_AGE).",
            erasure="Every session of the person is deleted.",
        ),
        Claim(
            model="wagtailusers.UserProfile",
            fields=(
                "user",
                "preferred_language",
                "current_time_zone",
                "avatar",
                "theme",
                "contrast",
                "density",
                "keyboard_shortcuts",
                "dismissibles",
                "submitted_notifications",
                "approved_notifications",
                "rejected_notifications",
                "updated_comments_notifications",
            ),
            purpose="Admin preferences of staff (language, time zone, notifications, avatar).",
            visible_to="The person; the avatar to other staff in the admin.",
            retention=UNTIL_ERASED,
            erasure="Deleted, avatar file included.",
        ),
        Claim(
            model="wagtailcore.APIToken",
            fields=("user", "name", "key_hash", "prefix", "created", "last_used_at"),
            purpose="Tokens a person made for Wagtail's API (the site issues none today).",
            visible_to="The person; the key is stored only as a hash.",
            retention="Until revoked.",
            erasure="Deleted.",
        ),
        Claim(
            model="wagtailcore.ModelLogEntry",
            fields=("user", "label", "data"),
            purpose="The audit log: who did what to which object (cohorts viewed and "
            "exported, users and organisations edited, accounts erased).",
            visible_to="Site admins; leads see the entries about cohorts they lead.",
            retention="Kept as the site's audit record.",
            erasure="Entries about the person keep the action; their name is replaced by a "
            "stable pseudonym. Entries they made keep the action, attributed to "
            "'Former lead' or 'Former user' with the same pseudonym.",
        ),
        Claim(
            model="wagtailcore.PageLogEntry",
            fields=("user",),
            purpose="The audit log of pages: who created, edited, published or moved them.",
            visible_to="Staff who may see the pages.",
            retention="Kept as the site's audit record.",
            erasure="Entries they made are attributed to 'Former lead' or 'Former user' "
            "with their pseudonym.",
        ),
        Claim(
            model="admin.LogEntry",
            fields=("user", "object_repr", "change_message"),
            purpose="Django's own admin log. The site does not serve Django's admin, so it "
            "stays empty.",
            visible_to="Nobody.",
            retention=UNTIL_ERASED,
            erasure="Deleted.",
        ),
        Claim(
            model="django_tasks_database.DBTaskResult",
            fields=("args_kwargs", "return_value"),
            purpose="The background task queue: queued emails hold the recipient's address "
            "and the message.",
            visible_to="Site admins (the task queue report).",
            retention="Until the task is pruned after it has run.",
            erasure="Tasks whose arguments hold one of the person's addresses are deleted.",
        ),
    )

    def export(self, user: User) -> dict[str, Any]:
        from allauth.account.models import EmailAddress
        from allauth.mfa.models import Authenticator
        from allauth.usersessions.models import UserSession
        from wagtail.models import APIToken
        from wagtail.users.models import UserProfile

        organisation = user.organisation
        profile = UserProfile.objects.filter(user=user).first()
        return {
            "profile": {
                "email": user.email,
                "first_name": user.first_name,
                "last_name": user.last_name,
                "job_role": user.job_role,
                "organisation": (
                    {"name": organisation.name, "type": str(organisation.get_type_display())}
                    if organisation is not None
                    else None
                ),
                "roles": sorted(user.groups.values_list("name", flat=True)),
                "date_joined": iso(user.date_joined),
                "last_login": iso(user.last_login),
                "retention_warning_sent": iso(user.retention_warning_sent_at),
                "is_active": user.is_active,
                "left_out_of_reports": user.exclude_from_reports,
            },
            "email_addresses": [
                {"email": address.email, "verified": address.verified, "primary": address.primary}
                for address in EmailAddress.objects.filter(user=user).order_by("email")
            ],
            # The fact of each session, never its key.
            "sessions": [
                {
                    "started": iso(session.created_at),
                    "last_seen": iso(session.last_seen_at),
                    "ip_address": session.ip,
                    "browser": session.user_agent,
                }
                for session in UserSession.objects.filter(user=user).order_by("created_at")
            ],
            # The fact and type of two-step sign-in, never its secret or recovery codes.
            "two_step_sign_in": [
                {
                    "type": str(authenticator.get_type_display()),
                    "set_up": iso(authenticator.created_at),
                    "last_used": iso(authenticator.last_used_at),
                }
                for authenticator in Authenticator.objects.filter(user=user).order_by("pk")
            ],
            "admin_preferences": (
                {
                    "preferred_language": profile.preferred_language,
                    "time_zone": profile.current_time_zone,
                    "has_avatar": bool(profile.avatar),
                    "theme": profile.theme,
                    "contrast": profile.contrast,
                    "density": profile.density,
                    "keyboard_shortcuts": profile.keyboard_shortcuts,
                    "notifications": {
                        "submitted": profile.submitted_notifications,
                        "approved": profile.approved_notifications,
                        "rejected": profile.rejected_notifications,
                        "comments": profile.updated_comments_notifications,
                    },
                }
                if profile is not None
                else None
            ),
            "api_tokens": [
                {
                    "name": token.name,
                    "created": iso(token.created),
                    "revoked": iso(token.revoked_at),
                    "last_used": iso(token.last_used_at),
                }
                for token in APIToken.objects.filter(user=user).order_by("created")
            ],
            "data_downloads": [
                {
                    "requested": iso(export.requested_at),
                    "status": str(export.get_status_display()),
                    "asked_for_by": (
                        "you" if export.requested_by_id in (None, user.pk) else "a site admin"
                    ),
                    "reason": export.reason,
                    "ready": iso(export.ready_at),
                    "expires": iso(export.expires_at),
                }
                for export in user.data_exports.order_by("requested_at", "pk")
            ],
            "audit_entries": audit_entries_of(user),
        }

    def erase(self, user: User) -> None:
        from allauth.account.models import EmailAddress
        from allauth.mfa.models import Authenticator
        from allauth.usersessions.models import UserSession
        from django.contrib.admin.models import LogEntry as AdminLogEntry
        from wagtail.models import APIToken
        from wagtail.users.models import UserProfile

        addresses = _addresses_of(user)
        _delete_queued_tasks_to(addresses)
        for session in UserSession.objects.filter(user=user):
            session.end()
        _delete_sessions_of(user)
        Authenticator.objects.filter(user=user).delete()
        EmailAddress.objects.filter(user=user).delete()
        for profile in UserProfile.objects.filter(user=user):
            if profile.avatar:
                name, storage = profile.avatar.name, profile.avatar.storage
                transaction.on_commit(lambda name=name, storage=storage: storage.delete(name))
            profile.delete()
        APIToken.objects.filter(user=user).delete()
        AdminLogEntry.objects.filter(user=user).delete()
        self._data_exports_delete(user)
        audit_entries_anonymise(user)

    @staticmethod
    def _data_exports_delete(user: User) -> None:
        """Their downloads, rows now and files once the erasure commits (a file left by a
        failed delete is an orphan that `data_exports_expire` sweeps)."""
        from core.storage import files_delete

        from .models import DataExport

        exports = DataExport.objects.filter(user=user)
        names = [name for name in exports.values_list("file", flat=True) if name]
        exports.delete()
        if names:
            storage = DataExport._meta.get_field("file").storage
            transaction.on_commit(lambda: files_delete(storage, names))


def _addresses_of(user: User) -> list[str]:
    from allauth.account.models import EmailAddress

    addresses = {user.email.lower()}
    addresses.update(
        address.lower()
        for address in EmailAddress.objects.filter(user=user).values_list("email", flat=True)
    )
    return sorted(addresses)


def _delete_queued_tasks_to(addresses: list[str]) -> None:
    """Delete background tasks (queued emails, mostly) whose arguments hold an address."""
    if not apps.is_installed("django_tasks_db"):  # its app label: django_tasks_database
        return
    from django_tasks_db.models import DBTaskResult

    as_text = Cast("args_kwargs", TextField())
    matches = Q()
    for address in addresses:
        matches |= Q(arguments__icontains=address)
    DBTaskResult.objects.annotate(arguments=as_text).filter(matches).delete()


def _delete_sessions_of(user: User) -> None:
    """Delete every stored session signed in as `user` (also those usersessions missed)."""
    from django.contrib.sessions.models import Session

    engine = import_module(settings.SESSION_ENGINE)
    if not hasattr(engine.SessionStore, "get_model_class"):
        return  # sessions not kept in the database (signed cookies or cache only)
    model = engine.SessionStore.get_model_class()
    if model is not Session and not issubclass(model, Session):
        return
    user_id = str(user.pk)
    for session in model.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get("_auth_user_id")) == user_id:
            engine.SessionStore().delete(session.session_key)


def _user_log_entries(user: User):
    """Wagtail's log entries about `user` (the user object itself)."""
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import ModelLogEntry

    user_type = ContentType.objects.get_for_model(type(user))
    return ModelLogEntry.objects.filter(content_type=user_type, object_id=str(user.pk))


def audit_entries_of(user: User) -> list[dict[str, Any]]:
    """The audit entries about `user` or made by them, oldest first, for their export."""
    from wagtail.models import ModelLogEntry, PageLogEntry

    about = _user_log_entries(user)
    entries = []
    for queryset, about_them in (
        (about, True),
        (ModelLogEntry.objects.filter(user=user).exclude(pk__in=about.values("pk")), False),
        (PageLogEntry.objects.filter(user=user), False),
    ):
        for entry in queryset.select_related("content_type").order_by("timestamp", "pk"):
            entries.append(
                {
                    "when": iso(entry.timestamp),
                    "action": entry.action,
                    "object": entry.label,
                    "object_type": str(entry.object_verbose_name),
                    "about_you": about_them,
                    "by_you": entry.user_id == user.pk,
                }
            )
    entries.sort(key=lambda entry: entry["when"] or "")
    return entries


def audit_entries_anonymise(user: User) -> None:
    """Keep the audit log's actions without the person: entries about them are relabelled
    with their pseudonym; entries they made are attributed to "Former lead/user …"."""
    from wagtail.models import ModelLogEntry, PageLogEntry

    label = former_user_label(user)
    _user_log_entries(user).update(label=label, data={})
    for model in (ModelLogEntry, PageLogEntry):
        for entry in model.objects.filter(user=user).only("pk", "data"):
            data = entry.data if isinstance(entry.data, dict) else {"data": entry.data}
            entry.data = {**data, FORMER_USER_KEY: label}
            entry.user = None
            entry.save(update_fields=["data", "user"])


# The data inventory (docs/privacy.md) ----------------------------------------------------

INVENTORY_HEADER = """\
# Personal data inventory

Generated from the privacy registry (`accounts/privacy.py` and each app's `privacy.py`) by
`python manage.py privacy_inventory > docs/privacy.md`; a test fails when this file and
the registry differ. Each model that holds personal data is listed once, under the app
that answers for it: the fields holding personal data or pointing at a person, why it is
held, who can see it, how long it is kept, and what erasure does to it. Every model is
also in the person's data download (`export` and `files` of the same provider).

Erasure (`accounts.services.account_erase`) runs every provider in one transaction,
dependents first (in the reverse of the order below), then deletes the user row, and
writes one audit entry for the erasure that names the person only by a pseudonym.
"""


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def inventory_markdown() -> str:
    """The data inventory as Markdown: one table per provider, then the models that point
    at a person but hold nothing personal, with the reason."""
    lines = [INVENTORY_HEADER]
    for provider in registry:
        lines += [
            f"## {provider.section.replace('_', ' ').capitalize()} (`{provider.section}`)",
            "",
            f"Provider: `{type(provider).__module__}.{type(provider).__name__}`",
            "",
            "| model | personal fields | purpose | who can see it | retention | erasure |",
            "| --- | --- | --- | --- | --- | --- |",
        ]
        for claim in provider.claims:
            fields = ", ".join(f"`{field}`" for field in claim.fields)
            lines.append(
                f"| `{claim.model}` | {fields} | {_cell(claim.purpose)} | "
                f"{_cell(claim.visible_to)} | {_cell(claim.retention)} | {_cell(claim.erasure)} |"
            )
        lines.append("")
    lines += [
        "## Not personal",
        "",
        "These installed models point at a person or hold an email address, but hold no "
        "personal data that an export or erasure must handle.",
        "",
        "| model | why not |",
        "| --- | --- |",
    ]
    lines += [f"| `{label}` | {_cell(reason)} |" for label, reason in sorted(NOT_PERSONAL.items())]
    return "\n".join(lines) + "\n"
