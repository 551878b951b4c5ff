"""Certificates of completion: codes, the text on a certificate and its PDF.

Everything here except `service_name` and `certificate_details` is a pure function of
what it is given. A certificate's PDF is rendered on request from the snapshot stored on
`Certificate` (one page, a few milliseconds), so no file with a learner's name sits in
MEDIA, nothing needs erasing besides the row, and every instance renders the same bytes
without shared storage.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer

from core import pdf as toolkit
from core.codes import random_code
from core.pdf import NHS_BLUE, SECONDARY, markup

from .journal import LONDON, format_date

# Codes ---------------------------------------------------------------------------------

# RFC 4648 base32: capitals and the digits 2 to 7, so no 0/O or 1/I/L confusion between
# digits and letters. 20 characters of 5 bits each: 100 random bits.
CODE_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
CODE_LENGTH = 20
CODE_GROUP = 5
CODE_BITS = CODE_LENGTH * 5
_CODE = re.compile(rf"[{CODE_ALPHABET}]{{{CODE_LENGTH}}}")
_SEPARATORS = re.compile(r"[\s\-–—]+")


def new_code() -> str:
    """A new random certificate code, as stored (no separators)."""
    return random_code(CODE_LENGTH, CODE_ALPHABET)


def normalise_code(text: str) -> str | None:
    """The stored form of a code typed or pasted by a person, or None if it cannot be one.

    Case, spaces and hyphens do not matter: 'abcde-fghij klmno pqrst' is accepted.
    """
    if len(text) > 4 * CODE_LENGTH:
        return None
    candidate = _SEPARATORS.sub("", text).upper()
    return candidate if _CODE.fullmatch(candidate) else None


def display_code(code: str) -> str:
    """'ABCDE-FGHIJ-KLMNO-PQRST': the code in groups, as printed and used in links."""
    return "-".join(code[i : i + CODE_GROUP] for i in range(0, len(code), CODE_GROUP))


# What a certificate says ---------------------------------------------------------------


def format_duration(minutes: int) -> str:
    """'about 45 minutes', 'about 1 hour', 'about 1.5 hours' (to the nearest half hour)."""
    if minutes < 60:
        return ngettext("about %(count)d minute", "about %(count)d minutes", minutes) % {
            "count": minutes
        }
    hours = round(minutes / 30) / 2
    return ngettext("about %(count)s hour", "about %(count)s hours", 1 if hours == 1 else 2) % {
        "count": f"{hours:g}"
    }


def completion_date(value: datetime.datetime) -> str:
    """'3 March 2027', the day in the UK."""
    return format_date(timezone.localtime(value, LONDON).date())


def verification_path(code: str) -> str:
    return reverse("modules:certificate_verify", kwargs={"code": display_code(code)})


def verification_url(code: str) -> str:
    """The absolute link printed on the certificate."""
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + verification_path(code)


def download_filename(module_title: str) -> str:
    return f"certificate-{slugify(module_title) or 'module'}.pdf"


@dataclass(frozen=True)
class CertificateDetails:
    """Everything printed on a certificate."""

    learner_name: str
    module_title: str
    completed_at: datetime.datetime
    estimated_minutes: int
    code: str
    service_name: str
    verification_url: str


def certificate_details(certificate, *, service: str) -> CertificateDetails:
    """What the certificate prints. `service` is the service's name, which the caller
    reads from the site's settings (`accounts.data_exports.service_name`)."""
    return CertificateDetails(
        learner_name=certificate.learner_name,
        module_title=certificate.module_title,
        completed_at=certificate.completed_at,
        estimated_minutes=certificate.estimated_minutes,
        code=certificate.code,
        service_name=service,
        verification_url=verification_url(certificate.code),
    )


# PDF -----------------------------------------------------------------------------------


def _styles() -> dict[str, ParagraphStyle]:
    """The toolkit's styles, centred and larger, as a certificate wants them."""
    styles = toolkit.styles(alignment=TA_CENTER)
    base = ParagraphStyle(
        "CertificateBody", parent=styles["body"], fontSize=14, leading=19, spaceAfter=4
    )
    bold = toolkit.FONT_BOLD
    return {
        "service": ParagraphStyle(
            "CertificateService", parent=base, fontName=bold, textColor=NHS_BLUE
        ),
        "title": ParagraphStyle(
            "CertificateTitle", parent=base, fontName=bold, fontSize=30, leading=36
        ),
        "name": ParagraphStyle(
            "CertificateName", parent=base, fontName=bold, fontSize=26, leading=32
        ),
        "module": ParagraphStyle(
            "CertificateModule",
            parent=base,
            fontName=bold,
            fontSize=20,
            leading=25,
            textColor=NHS_BLUE,
        ),
        "body": base,
        "small": ParagraphStyle(
            "CertificateSmall", parent=base, fontSize=10, leading=14, textColor=SECONDARY
        ),
    }


def _border(canvas, document):
    width, height = document.pagesize
    canvas.saveState()
    canvas.setStrokeColor(NHS_BLUE)
    canvas.setLineWidth(3)
    canvas.rect(10 * mm, 10 * mm, width - 20 * mm, height - 20 * mm)
    canvas.setLineWidth(0.75)
    canvas.rect(13 * mm, 13 * mm, width - 26 * mm, height - 26 * mm)
    canvas.restoreState()


def render_pdf(details: CertificateDetails, *, compress: bool = True) -> bytes:
    """The certificate as one A4 landscape page. `compress=False` keeps the text readable."""
    styles = _styles()
    minutes = details.estimated_minutes
    story: list = [
        Paragraph(markup(details.service_name), styles["service"]),
        Spacer(0, 6 * mm),
        Paragraph(markup(_("Certificate of completion")), styles["title"]),
        Spacer(0, 8 * mm),
        Paragraph(markup(_("This is to certify that")), styles["body"]),
        Paragraph(markup(details.learner_name), styles["name"]),
        Paragraph(markup(_("has completed the module")), styles["body"]),
        Paragraph(markup(details.module_title), styles["module"]),
        Paragraph(
            markup(_("on %(date)s") % {"date": completion_date(details.completed_at)}),
            styles["body"],
        ),
    ]
    if minutes:
        story.append(
            Paragraph(
                markup(_("Estimated learning time: %(time)s") % {"time": format_duration(minutes)}),
                styles["body"],
            )
        )
    link = markup(details.verification_url)
    story += [
        Spacer(0, 12 * mm),
        Paragraph(
            markup(_("Check this certificate is genuine at"))
            + f'<br/><link href="{link}">{link}</link>',
            styles["small"],
        ),
        Paragraph(
            markup(_("Certificate code: %(code)s") % {"code": display_code(details.code)}),
            styles["small"],
        ),
    ]
    return toolkit.build(
        story,
        title=_("Certificate of completion: %(module)s") % {"module": details.module_title},
        author=details.service_name,
        subject=details.learner_name,
        landscape_page=True,
        margins=(25 * mm, 25 * mm, 20 * mm, 25 * mm),
        on_page=_border,
        compress=compress,
    )
