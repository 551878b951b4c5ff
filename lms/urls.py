from django.conf import settings
from django.urls import include, path
from django.views.generic import RedirectView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from accounts import urls as accounts_urls
from accounts.roles import is_site_admin
from core import health

handler400 = "home.views.bad_request"
handler403 = "home.views.permission_denied"
handler404 = "home.views.page_not_found"
handler500 = "home.views.server_error"

urlpatterns = [
    # For load balancers and monitors; see core/health.py.
    path("health/", health.HealthView.as_view(), name="health"),
    path("health/live/", health.live, name="health_live"),
    path(
        "health/detail/",
        health.HealthDetailView.as_view(is_site_admin=is_site_admin),
        name="health_detail",
    ),
    # The admin signs in through allauth, so that email verification, rate limits and
    # multi-factor authentication apply there too.
    path(
        "admin/login/",
        RedirectView.as_view(pattern_name="account_login", query_string=True),
        name="wagtailadmin_login",
    ),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("accounts/", include(accounts_urls)),
    path("accounts/", include("allauth.urls")),
    path("learn/", include("modules.urls")),
    path("assessments/", include("assessments.urls")),
    path("cohorts/", include("cohorts.urls")),
    path("sets/", include("learning_sets.urls")),
    path("notifications/", include("notifications.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [path("", include(wagtail_urls))]
