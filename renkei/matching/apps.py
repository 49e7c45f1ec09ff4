from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    name = "renkei.matching"
    verbose_name = _("ニーズ・シーズマッチング")

    def ready(self):
        # Imported here: the schedules module reads django-q2's models, ready only now.
        from renkei.matching.schedules import ensure_schedules

        # Sent once per app with models: django-q2's, whose tables the schedules live in.
        post_migrate.connect(
            ensure_schedules,
            sender=apps.get_app_config("django_q"),
            dispatch_uid="renkei-matching-schedules",
        )
