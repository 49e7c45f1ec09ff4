"""What waits in the inbox (for the start page, マイページ)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from renkei.lib.todo import Item
from renkei.notifications.models import Notification


def waiting_for(user):
    unread = Notification.objects.for_user(user).unread().count()
    if not unread:
        return []
    return [
        Item(
            title=_("未読のお知らせ"),
            url=reverse("notifications:inbox") + "?show=unread",
            count=unread,
            section=_("お知らせ"),
        )
    ]
