from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "notifications"
    verbose_name = "Reminders and notifications"

    def ready(self):
        from accounts.privacy import registry

        from .privacy import NotificationsPrivacy

        registry.register(NotificationsPrivacy())
