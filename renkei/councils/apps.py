from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from renkei.lib.uploads import remove_files_on_delete


class CouncilsConfig(AppConfig):
    name = "renkei.councils"
    verbose_name = _("協議会・調査・事例")

    def ready(self):
        # models can be imported only once the app registry is ready
        from renkei.councils.models import Meeting

        # A meeting's minutes leave the disk when the meeting is deleted.
        remove_files_on_delete(Meeting, "minutes_file")
