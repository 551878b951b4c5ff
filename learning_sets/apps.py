from django.apps import AppConfig


class LearningSetsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "learning_sets"
    verbose_name = "Action-learning sets"

    def ready(self):
        from django.db.models.signals import m2m_changed, post_delete

        from accounts.privacy import registry
        from cohorts.models import Cohort, Membership
        from core.audit import restrict_log_entries

        from . import signal_handlers
        from .models import LearningSet
        from .permissions import sets_in_audit_log
        from .privacy import LearningSetsPrivacy

        registry.register(LearningSetsPrivacy())

        post_delete.connect(
            signal_handlers.leave_set_with_cohort,
            sender=Membership,
            dispatch_uid="learning_sets_leave_set_with_cohort",
        )
        m2m_changed.connect(
            signal_handlers.check_facilitators_when_leads_change,
            sender=Cohort.leads.through,
            dispatch_uid="learning_sets_check_facilitators_when_leads_change",
        )
        # Wagtail's site history shows a lead the entries about their own cohorts' sets.
        restrict_log_entries(LearningSet, sets_in_audit_log)
