from django.apps import AppConfig


class CohortsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "cohorts"

    def ready(self):
        from allauth.account.signals import email_confirmed, user_logged_in

        from . import signal_handlers

        email_confirmed.connect(
            signal_handlers.accept_invitation_on_email_confirmed,
            dispatch_uid="cohorts_accept_invitation_on_email_confirmed",
        )
        user_logged_in.connect(
            signal_handlers.accept_invitation_on_login,
            dispatch_uid="cohorts_accept_invitation_on_login",
        )
