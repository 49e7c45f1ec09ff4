from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExpertsConfig(AppConfig):
    """Experts and coordinators (専門家・コーディネーター): profiles found by a need's text,
    needs assigned to them with each person's open load, and consultations (相談)."""

    name = "renkei.experts"
    verbose_name = _("専門家・コーディネーター")

    def ready(self):
        # Imported here: rules read the models, ready only now. Matching cannot import this
        # app (it sits below), so the experts assigned to a need are registered with it.
        from renkei.experts.rules import is_assigned_expert

        # (matching's registry of who else handles a need, for the same reason)
        from renkei.matching.rules import register_handler

        register_handler(is_assigned_expert)
