from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from .blocks import HomeBodyBlock


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
    subpage_types = ["modules.ProgrammePage"]
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

    panels = [
        FieldPanel("service_name"),
        MultiFieldPanel(
            [FieldPanel("show_nhs_logo"), FieldPanel("logo"), FieldPanel("logo_alt_text")],
            heading=_("Logo"),
        ),
        FieldPanel("footer_text"),
        FieldPanel("contact_email"),
    ]

    class Meta:
        verbose_name = _("site settings")
