from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from renkei.lib.uploads import remove_files_on_delete


class CommunitiesConfig(AppConfig):
    name = "renkei.communities"
    verbose_name = _("バイオコミュニティ")

    def ready(self):
        # models can be imported only once the app registry is ready
        from renkei.communities.models import Attachment

        # An application's attachments leave the disk when it (or one of them) is deleted.
        remove_files_on_delete(Attachment, "file")
