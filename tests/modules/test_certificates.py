"""Certificates of completion: issuing, codes, the PDF, downloads, verification, admin."""

import datetime
import math
import re
import threading

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test import override_settings
from wagtail.models import PageLogEntry, Site

from accounts.data_exports import service_name
from accounts.roles import COURSE_EDITOR, SITE_ADMIN
from home.models import SiteSettings
from modules import certificates, services
from modules.certificate_views import NOINDEX
from modules.models import Certificate, Enrolment, ModulePage
from modules.tasks import certificate_generate
from tests.factories import UserFactory
from tests.modules.conftest import build_module
from tests.modules.test_journal import pdf_text

# 14:30 UTC on 3 March 2027 is 14:30 in London (GMT); 23:30 UTC on 30 June 2027 is
# already 1 July in London (BST).
COMPLETED_AT = datetime.datetime(2027, 3, 3, 14, 30, tzinfo=datetime.UTC)
LATE_IN_JUNE = datetime.datetime(2027, 6, 30, 23, 30, tzinfo=datetime.UTC)
ADMIN_URL = "/admin/certificates/regenerate/"


@pytest.fixture
def module(home_page):
    _programme, module, lessons = build_module(home_page, lessons=2)
    ModulePage.objects.filter(pk=module.pk).update(estimated_minutes=90)
    module.refresh_from_db()
    module.test_lessons = lessons
    return module


@pytest.fixture
def ada(organisation):
    return UserFactory(
        email="ada.okafor@example.org",
        first_name="Ada",
        last_name="Okafor",
        organisation=organisation,
    )


def complete(learner, module, when=COMPLETED_AT) -> Enrolment:
    """Complete every lesson through the service, then pin the completion time."""
    for lesson in module.test_lessons:
        enrolment = services.lesson_complete(learner=learner, lesson=lesson, module=module)
    Enrolment.objects.filter(pk=enrolment.pk).update(completed_at=when)
    enrolment.refresh_from_db()
    return enrolment


@pytest.fixture
def certificate(ada, module) -> Certificate:
    return services.certificate_issue(enrolment=complete(ada, module))


# Issuing -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_issuing_snapshots_the_learner_module_and_date(certificate, ada, module):
    assert certificate.learner == ada
    assert certificate.module_id == module.pk
    assert certificate.learner_name == "Ada Okafor"
    assert certificate.module_title == "Seeing the system"
    assert certificate.estimated_minutes == 90
    assert certificate.completed_at == COMPLETED_AT
    assert certificate.issued_at is not None
    assert certificate.regenerated_at is None


@pytest.mark.django_db
def test_issuing_twice_returns_the_same_certificate(certificate, ada, module):
    enrolment = Enrolment.objects.get(learner=ada, module=module)

    again = services.certificate_issue(enrolment=enrolment)

    assert again.pk == certificate.pk
    assert again.code == certificate.code
    assert Certificate.objects.count() == 1


@pytest.mark.django_db
def test_an_unfinished_enrolment_earns_no_certificate(ada, module):
    enrolment = services.lesson_complete(learner=ada, lesson=module.test_lessons[0], module=module)

    with pytest.raises(services.CertificateNotEarned):
        services.certificate_issue(enrolment=enrolment)
    assert certificate_generate.enqueue(enrolment.pk).return_value is None
    assert not Certificate.objects.exists()


@pytest.mark.django_db
def test_the_task_issues_the_certificate_through_the_immediate_backend(ada, module):
    enrolment = complete(ada, module)

    result = certificate_generate.enqueue(enrolment.pk)

    assert result.status == "SUCCESSFUL"
    certificate = Certificate.objects.get()
    assert result.return_value == certificate.code
    assert certificate.enrolment == enrolment
    # Run again (a retried task): still one certificate, same code.
    assert certificate_generate.enqueue(enrolment.pk).return_value == certificate.code
    assert Certificate.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_tasks_issuing_at_once_leave_one_certificate(site_home):
    learner = UserFactory()
    _programme, module, lessons = build_module(site_home, lessons=1)
    module.test_lessons = lessons
    enrolment = complete(learner, module)
    barrier = threading.Barrier(2)
    codes, errors = [], []

    def issue():
        try:
            barrier.wait(timeout=5)
            codes.append(services.certificate_issue(enrolment=enrolment).code)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=issue) for _task in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)

    assert errors == []
    assert Certificate.objects.count() == 1
    assert codes == [Certificate.objects.get().code] * 2


@pytest.mark.django_db
def test_a_deleted_module_keeps_the_certificate(certificate, module):
    module.delete()
    certificate.refresh_from_db()

    assert certificate.module is None
    assert certificate.module_title == "Seeing the system"


# Codes ---------------------------------------------------------------------------------


def test_codes_carry_at_least_80_random_bits():
    codes = {certificates.new_code() for _ in range(2000)}

    assert len(codes) == 2000
    assert all(re.fullmatch(r"[A-Z2-7]{20}", code) for code in codes)
    assert certificates.CODE_LENGTH * math.log2(len(certificates.CODE_ALPHABET)) >= 80
    assert certificates.CODE_BITS >= 80
    # Every symbol turns up: the alphabet is really used, not a fixed prefix.
    assert set("".join(codes)) == set(certificates.CODE_ALPHABET)


def test_codes_are_shown_in_groups_and_read_back_however_typed():
    code = "ABCDEFGHIJKLMNOPQRST"

    assert certificates.display_code(code) == "ABCDE-FGHIJ-KLMNO-PQRST"
    for typed in ["ABCDE-FGHIJ-KLMNO-PQRST", " abcde fghij klmno pqrst ", "abcdefghijklmnopqrst"]:
        assert certificates.normalise_code(typed) == code
    for bad in [
        "",
        "ABCDE",
        "ABCDE-FGHIJ-KLMNO-PQRS1",
        "ABCDE-FGHIJ-KLMNO-PQRSTU",
        "<script>",
        "x" * 500,
    ]:
        assert certificates.normalise_code(bad) is None


@pytest.mark.django_db
def test_issued_codes_are_unique(ada, home_page):
    codes = set()
    for number in range(5):
        _programme, module, lessons = build_module(home_page, lessons=1, slug=f"module-{number}")
        module.test_lessons = lessons
        codes.add(services.certificate_issue(enrolment=complete(ada, module)).code)

    assert len(codes) == 5


# What the certificate says -------------------------------------------------------------


@pytest.mark.parametrize(
    ("minutes", "text"),
    [
        (1, "about 1 minute"),
        (45, "about 45 minutes"),
        (60, "about 1 hour"),
        (90, "about 1.5 hours"),
        (100, "about 1.5 hours"),
        (120, "about 2 hours"),
    ],
)
def test_estimated_time_in_words(minutes, text):
    assert certificates.format_duration(minutes) == text


def test_completion_date_is_the_day_in_london():
    assert certificates.completion_date(COMPLETED_AT) == "3 March 2027"
    assert certificates.completion_date(LATE_IN_JUNE) == "1 July 2027"


@override_settings(WAGTAILADMIN_BASE_URL="https://learn.example.org/")
def test_pdf_holds_everything_printed_on_the_certificate():
    details = certificates.CertificateDetails(
        learner_name="Ada Okafor",
        module_title="Seeing the system",
        completed_at=COMPLETED_AT,
        estimated_minutes=90,
        code="ABCDEFGHIJKLMNOPQRST",
        service_name="Leading Together",
        verification_url=certificates.verification_url("ABCDEFGHIJKLMNOPQRST"),
    )

    data = certificates.render_pdf(details, compress=False)

    assert data.startswith(b"%PDF")
    assert b"/MediaBox [ 0 0 841.8898 595.2756 ]" in data  # A4 landscape
    for text in [
        b"Leading Together",
        b"Certificate of completion",
        b"Ada Okafor",
        b"Seeing the system",
        b"on 3 March 2027",
        b"about 1.5 hours",
        b"https://learn.example.org/learn/certificates/verify/ABCDE-FGHIJ-KLMNO-PQRST/",
        b"ABCDE-FGHIJ-KLMNO-PQRST",
    ]:
        assert text in data, text
    # Compressed by default, with the same text inside the streams.
    compressed = certificates.render_pdf(details)
    assert b"on 3 March 2027" not in compressed
    assert b"on 3 March 2027" in pdf_text(compressed)


def test_pdf_survives_awkward_names():
    details = certificates.CertificateDetails(
        learner_name="Zoë <O'Brien> & \x07Sons",
        module_title="Trust (and other things)",
        completed_at=COMPLETED_AT,
        estimated_minutes=0,
        code="ABCDEFGHIJKLMNOPQRST",
        service_name="Leading Together",
        verification_url="https://example.org/?a=1&b=2",
    )

    data = certificates.render_pdf(details, compress=False)

    assert b"O'Brien" in data
    assert b"Estimated learning time" not in data


# Downloading ---------------------------------------------------------------------------


def download_url(certificate) -> str:
    return f"/learn/certificates/{certificates.display_code(certificate.code)}.pdf"


@pytest.mark.django_db
def test_the_owner_downloads_their_certificate(client, certificate, ada):
    client.force_login(ada)

    response = client.get(download_url(certificate))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert (
        response["Content-Disposition"]
        == 'attachment; filename="certificate-seeing-the-system.pdf"'
    )
    text = pdf_text(response.content)
    assert b"Ada Okafor" in text
    assert certificates.display_code(certificate.code).encode() in text


@pytest.mark.django_db
def test_download_and_verification_cost_a_fixed_number_of_queries(
    client, certificate, ada, django_assert_max_num_queries
):
    client.force_login(ada)
    client.get(download_url(certificate))  # warm the site settings cache

    # Session and user, the certificate, the site and its settings.
    with django_assert_max_num_queries(6):
        assert client.get(download_url(certificate)).status_code == 200
    # The same, and the header's two permission checks for a signed-in user.
    with django_assert_max_num_queries(8):
        assert client.get(certificates.verification_path(certificate.code)).status_code == 200


@pytest.mark.django_db
def test_the_stored_form_of_the_code_also_downloads(client, certificate, ada):
    client.force_login(ada)

    assert client.get(f"/learn/certificates/{certificate.code}.pdf").status_code == 200


@pytest.mark.django_db
def test_nobody_else_can_download_it_or_learn_that_it_exists(client, certificate, other_learner):
    anonymous = client.get(download_url(certificate))
    client.force_login(other_learner)
    someone_else = client.get(download_url(certificate))
    unknown = client.get("/learn/certificates/ABCDE-FGHIJ-KLMNO-PQRST.pdf")

    assert anonymous.status_code == someone_else.status_code == unknown.status_code == 404
    assert b"%PDF" not in anonymous.content + someone_else.content


# Verification --------------------------------------------------------------------------


@pytest.mark.django_db
def test_verification_confirms_name_module_and_date_only(client, certificate, ada, organisation):
    response = client.get(certificates.verification_path(certificate.code))

    html = response.content.decode()
    assert response.status_code == 200
    assert response["X-Robots-Tag"] == NOINDEX
    assert "This certificate is genuine" in html
    assert "Leading Together issued this certificate of completion." in html
    assert "Ada Okafor" in html
    assert "Seeing the system" in html
    assert "3 March 2027" in html
    assert ada.email not in html
    assert organisation.name not in html
    assert ada.job_role not in html


@pytest.mark.django_db
def test_verification_shows_no_other_modules(client, certificate, ada, home_page):
    _programme, other, lessons = build_module(home_page, lessons=1, slug="trust")
    ModulePage.objects.filter(pk=other.pk).update(title="Building trust between partners")
    other.refresh_from_db()
    other.test_lessons = lessons
    services.certificate_issue(enrolment=complete(ada, other))

    html = client.get(certificates.verification_path(certificate.code)).content.decode()

    assert "Building trust between partners" not in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    "code",
    ["ABCDE-FGHIJ-KLMNO-PQRST", "not-a-code", "%3Cscript%3E", "A" * 300, "ABCDE-FGHIJ-KLMNO-PQRS1"],
)
def test_unknown_or_malformed_codes_show_not_found(client, certificate, code):
    response = client.get(f"/learn/certificates/verify/{code}/")

    assert response.status_code == 404
    assert "We could not find a certificate with this code" in response.content.decode()
    assert response["X-Robots-Tag"] == NOINDEX


@pytest.mark.django_db
def test_the_lookup_form_takes_a_code_however_it_is_typed(client, certificate):
    typed = certificates.display_code(certificate.code).lower().replace("-", " ")

    form = client.get("/learn/certificates/verify/")
    response = client.get("/learn/certificates/verify/", {"code": typed})

    assert form.status_code == 200
    assert 'name="code"' in form.content.decode()
    assert form["X-Robots-Tag"] == NOINDEX
    assert response.status_code == 302
    assert response["Location"] == certificates.verification_path(certificate.code)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Enter the certificate code"),
        ("hello", "Enter the certificate code as it is printed on the certificate"),
        ("x" * 200, "Enter the certificate code as it is printed on the certificate"),
    ],
)
def test_the_lookup_form_explains_bad_input(client, typed, message):
    response = client.get("/learn/certificates/verify/", {"code": typed})

    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert message in html
    assert "nhsuk-form-group--error" in html


# Regeneration in the admin -------------------------------------------------------------


def in_group(user, name):
    user.groups.add(Group.objects.get(name=name))
    return user


@pytest.fixture
def site_admin(db):
    return in_group(UserFactory(email="site.admin@example.org"), SITE_ADMIN)


@pytest.mark.django_db
def test_a_site_admin_regenerates_a_modules_certificates(
    client, certificate, ada, module, site_admin, django_capture_on_commit_callbacks
):
    other = UserFactory(first_name="Sam", last_name="Jones")
    second = services.certificate_issue(enrolment=complete(other, module))
    unfinished = UserFactory()
    services.lesson_complete(learner=unfinished, lesson=module.test_lessons[0], module=module)
    codes = {certificate.pk: certificate.code, second.pk: second.code}
    # The learner changed their name and the editor corrected the module's title.
    ada.last_name = "Okafor-Smith"
    ada.save()
    ModulePage.objects.filter(pk=module.pk).update(title="Seeing the whole system")
    client.force_login(site_admin)

    form = client.get(ADMIN_URL)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(ADMIN_URL, {"module": module.pk})

    assert form.status_code == 200
    assert "Regenerate certificates" in form.content.decode()
    assert response.status_code == 302
    # One task for the module, whatever the number of certificates.
    assert len(callbacks) == 1
    assert Certificate.objects.count() == 2
    for regenerated in Certificate.objects.all():
        assert regenerated.regenerated_at is not None
        assert regenerated.code == codes[regenerated.pk]
        assert regenerated.module_title == "Seeing the whole system"
        assert regenerated.completed_at == COMPLETED_AT
    assert Certificate.objects.get(pk=certificate.pk).learner_name == "Ada Okafor-Smith"
    entry = PageLogEntry.objects.get(action="modules.certificates_regenerate")
    assert entry.user == site_admin
    assert entry.data == {"certificates": 2}


@pytest.mark.django_db
def test_a_superuser_may_regenerate(
    client, certificate, module, django_capture_on_commit_callbacks
):
    superuser = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(superuser)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(ADMIN_URL, {"module": module.pk})

    assert response.status_code == 302
    certificate.refresh_from_db()
    assert certificate.regenerated_at is not None


@pytest.mark.django_db
def test_the_admin_form_refuses_a_missing_module(client, site_admin):
    client.force_login(site_admin)

    response = client.post(ADMIN_URL, {"module": "999999"})

    assert response.status_code == 200
    assert "Choose a module" in response.content.decode()


@pytest.mark.django_db
def test_a_course_editor_is_refused(
    client, certificate, module, django_capture_on_commit_callbacks
):
    editor = in_group(UserFactory(), COURSE_EDITOR)
    client.force_login(editor)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        shown = client.get(ADMIN_URL)
        posted = client.post(ADMIN_URL, {"module": module.pk})
        admin_home = client.get("/admin/")

    assert shown.status_code == posted.status_code == 403
    assert callbacks == []
    certificate.refresh_from_db()
    assert certificate.regenerated_at is None
    assert ADMIN_URL not in admin_home.content.decode()


@pytest.mark.django_db
def test_a_learner_is_kept_out_of_the_admin(client, certificate, ada, module):
    client.force_login(ada)

    response = client.post(ADMIN_URL, {"module": module.pk})

    # Turned away before the view runs: the admin is for staff (AdminForStaffMiddleware).
    assert response.status_code == 403
    certificate.refresh_from_db()
    assert certificate.regenerated_at is None


@pytest.mark.django_db
def test_the_site_admin_sees_the_certificates_menu_item(client, site_admin):
    client.force_login(site_admin)

    assert ADMIN_URL in client.get("/admin/").content.decode()


@pytest.mark.django_db
def test_a_module_page_offers_its_certificates_to_a_site_admin(client, module, site_admin):
    link = f"{ADMIN_URL}?module={module.pk}"
    editor = in_group(UserFactory(), COURSE_EDITOR)

    client.force_login(site_admin)
    for_admin = client.get(f"/admin/pages/{module.pk}/edit/").content.decode()
    form = client.get(link).content.decode()
    client.force_login(editor)
    for_editor = client.get(f"/admin/pages/{module.pk}/edit/")

    assert link in for_admin
    assert re.search(rf'<option value="{module.pk}" selected>', form)
    assert for_editor.status_code == 200
    assert link not in for_editor.content.decode()


@pytest.mark.django_db
def test_the_certificate_carries_the_sites_service_name(certificate, home_page):
    site_settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    site_settings.service_name = "Together in Riverside"
    site_settings.save()

    details = certificates.certificate_details(certificate, service=service_name())

    assert details.service_name == "Together in Riverside"
    assert b"Together in Riverside" in certificates.render_pdf(details, compress=False)
