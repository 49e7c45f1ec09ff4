from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MaturityConfig(AppConfig):
    name = "renkei.maturity"
    verbose_name = _("成熟度把握指標")
