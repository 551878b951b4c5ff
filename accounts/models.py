from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.search import index

from core.storage import RandomName, private_storage

ORGANISATION_NAME_MAX_LENGTH = 200


# The longest email address there can be (RFC 5321).
EMAIL_MAX_LENGTH = 254


class OrganisationQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=Organisation.Status.PENDING)

    def usable(self):
        """Organisations a person may choose: approved ones and pending proposals alike."""
        return self.order_by(Lower("name"))

    def by_name(self, name: str):
        return self.filter(name__iexact=name.strip())

    def with_member_count(self):
        """Annotate `member_count` in the same query, so listings cost no query per row."""
        return self.annotate(member_count=models.Count("members"))


class Organisation(index.Indexed, models.Model):
    class Type(models.TextChoices):
        NHS_TRUST = "nhs_trust", _("NHS trust or board")
        LOCAL_AUTHORITY = "local_authority", _("Local authority")
        CHARITY = "charity", _("Charity")
        HOUSING = "housing", _("Housing association")
        PRIMARY_CARE = "primary_care", _("GP practice or primary care network")
        VOLUNTARY = "voluntary", _("Voluntary or community group")
        EDUCATION = "education", _("University or college")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending review")
        APPROVED = "approved", _("Approved")

    name = models.CharField(_("name"), max_length=ORGANISATION_NAME_MAX_LENGTH)
    type = models.CharField(_("type"), max_length=32, choices=Type.choices, default=Type.OTHER)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    ods_code = models.CharField(
        _("ODS code"),
        max_length=16,
        blank=True,
        help_text=_("Organisation Data Service code, where the organisation has one."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = OrganisationQuerySet.as_manager()

    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.FilterField("type"),
        index.FilterField("status"),
    ]

    class Meta:
        ordering = [Lower("name")]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                name="organisation_name_unique_ci",
                violation_error_message=_("An organisation with this name already exists."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING


class UserManager(DjangoUserManager):
    """Email is the username; it is stored in lower case so that uniqueness ignores case."""

    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        email = self.normalize_email(email).lower()
        user = self.model(email=email, **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email=None, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email=None, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        if extra_fields.get("is_staff") is not True:
            raise ValueError("Superuser must have is_staff=True.")
        if extra_fields.get("is_superuser") is not True:
            raise ValueError("Superuser must have is_superuser=True.")
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, username):
        if len(username) > EMAIL_MAX_LENGTH:
            # No address is this long; SQLite refuses a LIKE pattern of 50,000 bytes or more.
            raise self.model.DoesNotExist
        return self.get(email__iexact=username)


class User(AbstractUser):
    """A person who uses the site. They sign in with their email address."""

    username = None
    email = models.EmailField(_("email address"), max_length=EMAIL_MAX_LENGTH, unique=True)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="members",
        null=True,
        blank=True,
    )
    job_role = models.CharField(_("job role"), max_length=120, blank=True)
    exclude_from_reports = models.BooleanField(
        _("leave out of reports"),
        default=False,
        help_text=_("For staff and test accounts: not counted in cohort reports and exports."),
    )
    # When the retention job last warned that this account, unused for a long time, is to
    # be erased (`accounts.retention`). A sign-in after it (a later last_login) cancels it.
    retention_warning_sent_at = models.DateTimeField(
        _("retention warning sent at"), null=True, blank=True, editable=False
    )

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                name="user_email_unique_ci",
                violation_error_message=_("An account with this email address already exists."),
            ),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    def clean(self):
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()

    @property
    def full_name(self) -> str:
        return self.get_full_name()


DATA_EXPORT_FOLDER = "data-exports"


class DataExportQuerySet(models.QuerySet):
    def in_progress(self):
        """Queued or being built: a person has at most one (a database constraint)."""
        return self.filter(status__in=DataExport.IN_PROGRESS)

    def latest_first(self):
        return self.order_by("-requested_at", "-pk")

    def expired(self, *, now, retention):
        """Past their expiry; or with no expiry (failed, or queued and building ones whose
        worker is long gone) and requested longer ago than `retention`, a timedelta."""
        return self.filter(
            Q(expires_at__lte=now) | Q(expires_at__isnull=True, requested_at__lte=now - retention)
        )


class DataExport(models.Model):
    """A copy of everything the site holds about one person, built in the background as a
    ZIP in the private storage (`accounts.data_exports`).

    One build at a time per person: a second request while one is queued or being built
    is refused (the constraint below, not only a check in the service). A request while a
    download is ready is allowed; once the new one is ready, the earlier ones and their
    files are deleted, so a person has at most one download at a time. A ready download is
    deleted (file and row) `DATA_EXPORT_RETENTION_DAYS` after it is ready, by
    `manage.py data_exports_expire`.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        BUILDING = "building", _("Being prepared")
        READY = "ready", _("Ready to download")
        FAILED = "failed", _("Could not be prepared")

    IN_PROGRESS = (Status.QUEUED, Status.BUILDING)

    user = models.ForeignKey(
        User, verbose_name=_("person"), on_delete=models.CASCADE, related_name="data_exports"
    )
    # The person themselves, or a site admin acting for them (who then gives a reason).
    requested_by = models.ForeignKey(
        User,
        verbose_name=_("requested by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.QUEUED
    )
    # In the private storage under a random name: never where a web server publishes files.
    file = models.FileField(
        _("file"),
        storage=private_storage,
        upload_to=RandomName(DATA_EXPORT_FOLDER),
        blank=True,
        max_length=200,
    )
    size = models.PositiveBigIntegerField(_("size in bytes"), default=0)
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    ready_at = models.DateTimeField(_("ready at"), null=True, blank=True)
    # When the file is deleted (`manage.py data_exports_expire`); set once it is ready.
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True, db_index=True)

    objects = DataExportQuerySet.as_manager()

    class Meta:
        verbose_name = _("data download")
        verbose_name_plural = _("data downloads")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(status__in=["queued", "building"]),
                name="data_export_one_build_per_person",
                violation_error_message=_("Your data is already being prepared."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.status}"

    def is_expired(self, now=None) -> bool:
        return self.expires_at is not None and self.expires_at <= (now or timezone.now())

    def is_downloadable(self, now=None) -> bool:
        return self.status == self.Status.READY and bool(self.file) and not self.is_expired(now)
