"""What waits on the start page: windows to confirm (members), to verify (secretariat)."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from renkei.lib.todo import Item
from renkei.regions.models import ContactWindow
from renkei.regions.rules import member_organizations


def waiting_for(user):
    if not user.is_authenticated:
        return []
    now = timezone.now()
    items = []
    for organization in member_organizations(user):
        section = _("所属機関: %(organization)s") % {"organization": organization.name}
        url = reverse("regions:my_windows") + f"?organization={organization.pk}"
        windows = organization.contact_windows.listed()
        stale = windows.stale(now).count()
        if stale:
            items.append(
                Item(
                    title=_("12か月以上確認されていない窓口"),
                    url=url,
                    count=stale,
                    note=_("内容を見直し、変わりがなければ「内容に変わりなし」を押してください。"),
                    urgent=True,
                    section=section,
                )
            )
    if user.is_secretariat:
        waiting = ContactWindow.objects.awaiting_verification().count()
        if waiting:
            items.append(
                Item(
                    title=_("事務局の確認を待っている窓口"),
                    url=reverse("regions:windows_review"),
                    count=waiting,
                    section=_("事務局: 窓口"),
                )
            )
        stale = ContactWindow.objects.listed().stale(now).count()
        if stale:
            items.append(
                Item(
                    title=_("12か月以上確認されていない窓口"),
                    url=reverse("regions:windows_review"),
                    count=stale,
                    section=_("事務局: 窓口"),
                )
            )
    return items
