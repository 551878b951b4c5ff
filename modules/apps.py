from django.apps import AppConfig


class ModulesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "modules"

    def ready(self):
        from accounts.privacy import registry

        from . import lessons, selectors, signal_handlers
        from .models import reads
        from .privacy import ModulesPrivacy

        reads.selectors = selectors
        reads.lessons = lessons
        signal_handlers.connect()
        registry.register(ModulesPrivacy())
