from django.apps import AppConfig


class AccountsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "accounts"
    verbose_name = "Accounts and organisations"

    def ready(self):
        from core.audit import install_former_user_names

        from .privacy import AccountsPrivacy, registry

        registry.register(AccountsPrivacy())
        # Audit entries made by someone who erased their account name them by pseudonym.
        install_former_user_names()
