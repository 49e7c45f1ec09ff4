from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The portal shell: the home page, the start page (マイページ), the default data set and
    the commands that touch every app. It sits above the domain apps; no app imports it."""

    name = "renkei.portal"
    verbose_name = _("ポータル")

    def ready(self):
        # Imported here: the schedules module reads django-q2's models, ready only now.
        from renkei.portal.schedules import ensure_schedules

        # Sent once per app with models: django-q2's, whose tables the schedules live in.
        post_migrate.connect(
            ensure_schedules,
            sender=apps.get_app_config("django_q"),
            dispatch_uid="renkei-schedules",
        )
