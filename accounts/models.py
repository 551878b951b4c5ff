from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from wagtail.search import index

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
