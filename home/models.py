from django.core.cache import cache
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, PageChooserPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page, Site
from wagtail.search import index

from core.cache_versions import PAGE_TREE_VERSION_KEY, cache_version_bump, cache_versions

from .blocks import HomeBodyBlock
from .cookies import site_cookies
from .privacy_notice import default_body


class HomePage(Page):
    """The front door: what the service is for and where to start."""

    introduction = models.TextField(
        _("introduction"),
        blank=True,
        help_text=_("One or two sentences under the main heading."),
    )
    body = StreamField(HomeBodyBlock(), blank=True, verbose_name=_("body"))

    content_panels = [*Page.content_panels, FieldPanel("introduction"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("introduction")]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "modules.ProgrammePage",
        "home.PrivacyNoticePage",
        "learning_sets.FacilitatorGuideIndexPage",
    ]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        from modules.models import ProgrammePage

        context = super().get_context(request, *args, **kwargs)
        context["programmes"] = (
            ProgrammePage.objects.child_of(self)
            .live()
            .order_by("path")
            .only("title", "summary", "url_path", "path", "depth")
        )
        return context


class PrivacyNoticePage(Page):
    """What the site holds about people, why, who sees it, for how long, and their rights.

    Site admins write it (a new notice opens with a template to complete, see
    `privacy_notice.py`); the cookie statement below it is generated from
    `home.cookies`, so that it always names exactly the cookies the code sets. The footer
    and the sign-up page link to the notice chosen in the site settings.
    """

    introduction = models.TextField(
        _("introduction"),
        blank=True,
        help_text=_("One or two sentences under the main heading."),
    )
    body = RichTextField(
        _("body"),
        features=["h2", "h3", "bold", "italic", "link", "ol", "ul"],
        default=default_body,
        help_text=_(
            "Replace every part in [square brackets] with your organisation's details "
            "before you publish. The list of cookies is added below this text for you."
        ),
    )

    content_panels = [*Page.content_panels, FieldPanel("introduction"), FieldPanel("body")]
    search_fields = [
        *Page.search_fields,
        index.SearchField("introduction"),
        index.SearchField("body"),
    ]

    parent_page_types = ["home.HomePage"]
    subpage_types: list[str] = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("privacy notice")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["cookies"] = site_cookies()
        return context


# The site settings as every page's header and footer read them (`for_request`), cached
# per site. The key holds two versions: this one, changed when any site's settings or any
# site are saved or deleted (`home.signal_handlers`), and the page tree's, changed when a
# page is published, unpublished, moved or deleted or an image is saved (the settings
# carry the privacy notice, the site's root page and the logo).
SETTINGS_VERSION_KEY = "home:site-settings-version"
SETTINGS_CACHE_SECONDS = 24 * 60 * 60


def site_settings_changed() -> None:
    """Forget every site's cached settings."""
    cache_version_bump(SETTINGS_VERSION_KEY)


@register_setting(icon="site")
class SiteSettings(BaseSiteSetting):
    """How the service names itself in the header, footer and emails."""

    service_name = models.CharField(_("service name"), max_length=80, default="Leading Together")
    show_nhs_logo = models.BooleanField(
        _("show the NHS logo"),
        default=False,
        help_text=_(
            "Only NHS organisations may use the NHS logo. Leave this off unless this "
            "service is run by one."
        ),
    )
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Your organisation's logo, shown in the header instead of the NHS logo."),
    )
    logo_alt_text = models.CharField(
        _("logo text alternative"),
        max_length=120,
        blank=True,
        help_text=_("What the logo says, for people who cannot see it."),
    )
    footer_text = RichTextField(
        _("footer text"),
        blank=True,
        features=["bold", "italic", "link"],
        help_text=_("A short line in the footer, such as who runs the service."),
    )
    contact_email = models.EmailField(_("contact email"), blank=True)
    privacy_notice = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("privacy notice"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Linked in the footer of every page and on the sign-up page."),
    )

    # The footer links to the notice on every page: fetch it, and the site's root page
    # that its URL is relative to, with the settings (see `privacy_notice_url`); and the
    # logo the header shows.
    select_related = ["privacy_notice", "site__root_page", "logo"]

    panels = [
        FieldPanel("service_name"),
        MultiFieldPanel(
            [FieldPanel("show_nhs_logo"), FieldPanel("logo"), FieldPanel("logo_alt_text")],
            heading=_("Logo"),
        ),
        FieldPanel("footer_text"),
        FieldPanel("contact_email"),
        PageChooserPanel("privacy_notice", page_type="home.PrivacyNoticePage"),
    ]

    class Meta:
        verbose_name = _("site settings")

    @classmethod
    def for_request(cls, request):
        """The settings for the request's site, read from Django's cache (a query only
        when they, the site or the page tree changed), and kept on the request as Wagtail
        does. `for_site`, which code that edits the settings uses, always reads the
        database."""
        attr_name = cls.get_cache_attr_name()
        if hasattr(request, attr_name):
            return getattr(request, attr_name)
        site = Site.find_for_request(request)
        if site is None:
            return super().for_request(request)
        versions = cache_versions(SETTINGS_VERSION_KEY, PAGE_TREE_VERSION_KEY)
        key = f"home:site-settings:{versions}:{site.pk}"
        instance = cache.get(key)
        if instance is None:
            instance = cls.for_site(site)
            cache.set(key, instance, timeout=SETTINGS_CACHE_SECONDS)
        instance._request = request
        setattr(request, attr_name, instance)
        return instance

    @property
    def privacy_notice_url(self) -> str:
        """The chosen notice's URL if it is live, else "".

        For a notice inside this site (the usual case) the URL comes from the rows fetched
        with the settings; `pageurl` would look up every site's root path, a query on
        every page whenever the cache is cold.
        """
        notice = self.privacy_notice
        if notice is None or not notice.live:
            return ""
        root_path = self.site.root_page.url_path
        if notice.url_path.startswith(root_path):
            return "/" + notice.url_path[len(root_path) :]
        return notice.get_url() or ""
