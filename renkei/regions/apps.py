from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegionsConfig(AppConfig):
    name = "renkei.regions"
    verbose_name = _("地域と機関")
