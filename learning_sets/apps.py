from django.apps import AppConfig


class LearningSetsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "learning_sets"
    verbose_name = "Action-learning sets"
