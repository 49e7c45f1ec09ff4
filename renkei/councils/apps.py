from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CouncilsConfig(AppConfig):
    name = "renkei.councils"
    verbose_name = _("協議会・調査・事例")
