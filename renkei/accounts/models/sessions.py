"""The sessions a person has open: when each started, was last seen, from where, in which
browser, so they can see them and end the others."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SessionRecordQuerySet(models.QuerySet):
    def open(self):
        return self.filter(ended_at__isnull=True)

    def of(self, user):
        return self.filter(user=user)


class SessionRecord(models.Model):
    """One signed-in session. ``session_key`` is the key Django's session store keeps (the
    same value the store's own table holds); ending the session deletes it from the store."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="session_records",
        verbose_name=_("ユーザー"),
    )
    session_key = models.CharField(max_length=40, unique=True)
    started_at = models.DateTimeField(_("開始"))
    last_seen_at = models.DateTimeField(_("最終利用"))
    address = models.GenericIPAddressField(_("接続元アドレス"), null=True, blank=True)
    user_agent = models.CharField(_("ブラウザ"), max_length=300, blank=True)
    ended_at = models.DateTimeField(_("終了"), null=True, blank=True)

    objects = SessionRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("セッション")
        verbose_name_plural = _("セッション")
        ordering = ["-last_seen_at"]

    def __str__(self):
        return f"{self.user} {self.started_at:%Y-%m-%d %H:%M}"
