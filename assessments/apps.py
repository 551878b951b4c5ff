from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "assessments"

    def ready(self):
        from accounts.privacy import registry

        from . import signal_handlers
        from .privacy import AssessmentsPrivacy

        registry.register(AssessmentsPrivacy())
        signal_handlers.connect()
