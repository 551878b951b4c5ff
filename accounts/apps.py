from django.apps import AppConfig


class AccountsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "accounts"
    verbose_name = "Accounts and organisations"

    def ready(self):
        from core.spreadsheets import neutralise_wagtail_exports

        # Every Wagtail export (the organisations listing's among them) escapes formulas.
        # Here because `accounts` is the first of our apps to load; `core` is not an app.
        neutralise_wagtail_exports()
