from django.apps import AppConfig


class CohortsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "cohorts"

    def ready(self):
        from allauth.account.signals import email_confirmed, user_logged_in

        from accounts.privacy import registry
        from core.audit import restrict_log_entries

        from . import signal_handlers
        from .models import Cohort
        from .permissions import cohorts_in_audit_log
        from .privacy import CohortsPrivacy

        registry.register(CohortsPrivacy())

        email_confirmed.connect(
            signal_handlers.accept_invitation_on_email_confirmed,
            dispatch_uid="cohorts_accept_invitation_on_email_confirmed",
        )
        user_logged_in.connect(
            signal_handlers.accept_invitation_on_login,
            dispatch_uid="cohorts_accept_invitation_on_login",
        )
        # Wagtail's site history shows a lead the entries about their own cohorts only.
        restrict_log_entries(Cohort, cohorts_in_audit_log)
