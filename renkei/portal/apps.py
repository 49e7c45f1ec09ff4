from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The portal shell: the home page, the default data set and the commands that touch
    every app. It sits above the domain apps; no app imports it."""

    name = "renkei.portal"
    verbose_name = _("ポータル")
