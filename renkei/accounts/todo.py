"""What waits about people and access (for the start page, マイページ): invitations the
person may accept, a second factor to set up or recovery codes running out, invitations
they sent that nobody has accepted yet."""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from renkei.accounts import second_factor
from renkei.accounts.models import Invitation
from renkei.accounts.permissions import may_invite
from renkei.lib.todo import Item

LOW_ON_CODES = 3


def waiting_for(user, now=None):
    now = now or timezone.now()
    section = _("アカウント")
    items = []
    if user.email:
        offered = Invitation.objects.to(user.email).pending(now)
        count = offered.count()
        if count:
            items.append(
                Item(
                    title=_("あなた宛ての招待"),
                    url=reverse("accounts:my_invitations"),
                    count=count,
                    note=_("受けると役割が加わります。"),
                    section=section,
                )
            )
    if second_factor.required(user) and not second_factor.enrolled(user):
        items.append(
            Item(
                title=_("2段階認証を設定してください"),
                url=reverse("accounts:second_factor_setup"),
                urgent=True,
                section=section,
            )
        )
    elif second_factor.enrolled(user):
        left = second_factor.recovery_codes_left(user)
        if left <= LOW_ON_CODES:
            items.append(
                Item(
                    title=_("回復コードが残り少なくなっています"),
                    url=reverse("accounts:second_factor"),
                    count=left,
                    note=_("作り直して、安全な場所に保管してください。"),
                    urgent=left == 0,
                    section=section,
                )
            )
    if may_invite(user):
        sent = Invitation.objects.filter(state=Invitation.State.PENDING)
        if not user.is_secretariat:
            sent = sent.sent_by(user)
        counts = sent.aggregate(
            waiting=Count("pk", filter=Q(expires_at__gt=now)),
            expired=Count("pk", filter=Q(expires_at__lte=now)),
        )
        title = _("受諾待ちの招待") if user.is_secretariat else _("あなたが送った受諾待ちの招待")
        if counts["waiting"]:
            items.append(
                Item(
                    title=title,
                    url=reverse("accounts:invitations") + "?state=pending",
                    count=counts["waiting"],
                    section=_("招待"),
                )
            )
        if counts["expired"]:
            items.append(
                Item(
                    title=_("期限切れで受諾されなかった招待"),
                    url=reverse("accounts:invitations") + "?state=expired",
                    count=counts["expired"],
                    note=_("必要なら再送するか、取り消してください。"),
                    section=_("招待"),
                )
            )
    return items
