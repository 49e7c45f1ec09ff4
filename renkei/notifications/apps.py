from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    """Telling people what concerns them: an inbox in the portal and mail, with each
    person's preferences per kind. Every app tells people through this one module."""

    name = "renkei.notifications"
    verbose_name = _("お知らせ")
