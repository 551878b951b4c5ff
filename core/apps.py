from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Core helpers"

    def ready(self):
        # Registers the `<id:...>` URL converter before anything loads a URL module:
        # Wagtail's apps, listed after this one, load every app's wagtail_hooks (and the
        # admin URL modules they include) from their own ready().
        from . import converters  # noqa: F401
        from .admin_access import connect as connect_admin_access
        from .fields import install_id_choice_check
        from .patches import (
            install_chooser_create_guard,
            install_chooser_guard,
            install_external_link_guard,
            install_media_search_filter_guard,
            install_page_copy_guard,
            install_redirect_import_guard,
            install_rich_text_guard,
            install_root_page_choice_guard,
        )
        from .spreadsheets import neutralise_wagtail_exports
        from .unreadable import install_unreadable_field_check

        connect_admin_access()
        install_unreadable_field_check()
        install_id_choice_check()
        install_chooser_guard()
        install_external_link_guard()
        install_rich_text_guard()
        install_media_search_filter_guard()
        install_page_copy_guard()
        install_redirect_import_guard()
        install_chooser_create_guard()
        install_root_page_choice_guard()
        # Every Wagtail export (the organisations listing's among them) escapes formulas.
        neutralise_wagtail_exports()
