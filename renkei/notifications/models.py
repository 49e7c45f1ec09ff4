"""What renkei tells people: inbox rows, the mails it sends, and each person's preferences.

An app that tells people something new adds its kind to :class:`Kind` (with a Japanese
label: people choose per kind whether it also comes by mail) and calls
:func:`renkei.notifications.tell`.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    """What a notification is about. People choose per kind whether it also comes by mail,
    except for the kinds in ``ALWAYS_MAILED``."""

    # accounts
    INVITATION = "invitation", _("招待")
    ACCOUNT = "account", _("アカウントの安全（ログイン・パスワード・メールアドレス）")
    ROLE = "role", _("役割の付与と取消し")
    # certification rounds
    CERTIFICATION = "certification", _("認定申請の提出・決定・公表")
    REVIEW = "review", _("審査の依頼")
    # maturity
    MATURITY_REPORT = "maturity_report", _("成熟度の年次報告")
    # matching
    NEED_QUEUE = "need_queue", _("新しいご相談（ニーズ）")
    NEED_STATUS = "need_status", _("ご相談（ニーズ）の進み具合")
    SEED_PROPOSAL = "seed_proposal", _("シーズの提案・紹介・合意")
    MATCH_FLAG = "match_flag", _("対応の遅れ（14日間提案なし・10日間回答なし）")
    # experts and regulatory consultations
    EXPERT_ASSIGNMENT = "expert_assignment", _("専門家・コーディネーターへの割当て")
    REGULATORY = "regulatory", _("規制・特区相談")
    # programs
    ALERT = "alert", _("保存した検索の新着と締切のお知らせ")
    # councils and windows
    SURVEY = "survey", _("調査へのご回答のお願い")
    WINDOW_REMINDER = "window_reminder", _("窓口情報の確認のお願い")


# Kinds a person cannot turn to "inbox only": they concern the account itself, or the person
# may have no inbox yet (an invitation).
ALWAYS_MAILED = frozenset({Kind.INVITATION, Kind.ACCOUNT})


# Kind columns carry no ``choices``: apps add kinds as they grow, and a new kind must not
# need a migration of this app. ``tell`` refuses a kind that is not a member of Kind.
def kind_label(value):
    try:
        return Kind(value).label
    except ValueError:
        return value


class Channel(models.TextChoices):
    MAIL = "mail", _("受信箱とメール")
    INBOX = "inbox", _("受信箱のみ")


class NotificationQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(recipient=user)

    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """One thing told to one person with an account: their inbox (お知らせ) row."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("受信者"),
    )
    kind = models.CharField(_("種類"), max_length=32)  # a Kind; see kind_label
    subject = models.CharField(_("件名"), max_length=300)
    body = models.TextField(_("本文"))
    link = models.CharField(_("リンク"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("日時"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("既読日時"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("お知らせ")
        verbose_name_plural = _("お知らせ")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread")]

    def __str__(self):
        return self.subject

    @property
    def kind_label(self):
        return kind_label(self.kind)

    @property
    def is_read(self):
        return self.read_at is not None


class NotificationPreference(models.Model):
    """How one person wants one kind: in the inbox and by mail (the default), or inbox only."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preferences",
        verbose_name=_("利用者"),
    )
    kind = models.CharField(_("種類"), max_length=32)  # a Kind; see kind_label
    channel = models.CharField(
        _("受け取り方"), max_length=16, choices=Channel.choices, default=Channel.MAIL
    )

    class Meta:
        verbose_name = _("お知らせの受け取り方")
        verbose_name_plural = _("お知らせの受け取り方")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="notification_preference_once")
        ]

    def __str__(self):
        return f"{self.user} / {kind_label(self.kind)}: {self.get_channel_display()}"


class MailLanguage(models.Model):
    """The language a person's mails and inbox are written in (Japanese unless they chose)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="mail_language",
        verbose_name=_("利用者"),
    )
    language = models.CharField(_("言語"), max_length=8, choices=settings.LANGUAGES)

    class Meta:
        verbose_name = _("お知らせの言語")
        verbose_name_plural = _("お知らせの言語")

    def __str__(self):
        return f"{self.user}: {self.language}"


class MailQuerySet(models.QuerySet):
    def unsent(self):
        return self.filter(sent_at__isnull=True)


class Mail(models.Model):
    """One mail renkei sends, written out in full when it was told; a background job sends
    it (``renkei.notifications.jobs.send``), records when and drops the text (it may hold a
    single-use link). The record of who was sent what, when, is kept for 90 days."""

    kind = models.CharField(_("種類"), max_length=32)  # a Kind; see kind_label
    to = models.EmailField(_("宛先"))
    subject = models.CharField(_("件名"), max_length=300)
    body = models.TextField(_("本文"))
    notification = models.ForeignKey(
        Notification,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="mails",
        verbose_name=_("お知らせ"),
    )
    created_at = models.DateTimeField(_("作成日時"), auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField(_("送信日時"), null=True, blank=True)

    objects = MailQuerySet.as_manager()

    class Meta:
        verbose_name = _("送信メール")
        verbose_name_plural = _("送信メール")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.to}: {self.subject}"
