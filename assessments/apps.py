from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "assessments"

    def ready(self):
        from django.db.models.signals import post_save
        from wagtail.models import Revision

        from accounts.privacy import registry

        from .privacy import AssessmentsPrivacy

        registry.register(AssessmentsPrivacy())
        post_save.connect(
            _forget_cached_questionnaire,
            sender=Revision,
            dispatch_uid="assessments.forget_cached_questionnaire",
        )


def _forget_cached_questionnaire(sender, instance, **kwargs):
    """A revision saved under an id may differ from one cached under it (see
    `definitions.forget_revision`); the questionnaire cache is per process."""
    from .definitions import forget_revision

    forget_revision(instance.pk)
