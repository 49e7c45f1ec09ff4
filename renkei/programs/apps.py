from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgramsConfig(AppConfig):
    name = "renkei.programs"
    verbose_name = _("支援施策")

    def ready(self):
        # Signal handlers need the models, which exist only once the app registry is ready.
        from renkei.programs.search import index

        index.connect()
