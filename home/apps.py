from django.apps import AppConfig


class HomeConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "home"
    verbose_name = "Home and site settings"

    def ready(self):
        from accounts.privacy import registry

        from . import signal_handlers
        from .privacy import EditingPrivacy

        signal_handlers.connect()
        registry.register(EditingPrivacy())
