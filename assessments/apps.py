from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "assessments"

    def ready(self):
        from accounts.privacy import registry

        from .privacy import AssessmentsPrivacy

        registry.register(AssessmentsPrivacy())
