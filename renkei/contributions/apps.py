from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContributionsConfig(AppConfig):
    """Researchers' contribution records (社会貢献の記録, ADR 0009 §6): what a researcher did
    for regions through the portal, read from its records, each item with its evidence."""

    name = "renkei.contributions"
    verbose_name = _("社会貢献の記録")
