from django.apps import AppConfig


class ModulesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "modules"

    def ready(self):
        from accounts.privacy import registry

        from . import signal_handlers
        from .privacy import ModulesPrivacy

        signal_handlers.connect()
        registry.register(ModulesPrivacy())
