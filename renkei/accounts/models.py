from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class UserQuerySet(models.QuerySet):
    def holding(self, kind, **bound):
        """Active people holding a role of ``kind`` (bound to ``community=`` or
        ``organization=`` where given)."""
        filters = {f"roles__{key}": value for key, value in bound.items()}
        return self.filter(is_active=True, roles__kind=kind, **filters).distinct()

    def secretariat(self):
        return self.holding(Role.Kind.SECRETARIAT)

    def coordinators_of(self, community):
        return self.holding(Role.Kind.COORDINATOR, community=community)

    def members_of(self, organization):
        return self.holding(Role.Kind.ORGANIZATION_MEMBER, organization=organization)


class RenkeiUserManager(UserManager.from_queryset(UserQuerySet)):
    pass


class User(AbstractUser):
    """A person who signs in. What they may do comes from their roles."""

    display_name = models.CharField(_("表示名"), max_length=100, blank=True)
    affiliation = models.ForeignKey(
        "regions.Organization",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="affiliated_users",
        verbose_name=_("所属機関"),
        help_text=_("審査委員の利益相反の判定に使います"),
    )

    objects = RenkeiUserManager()

    class Meta:
        verbose_name = _("ユーザー")
        verbose_name_plural = _("ユーザー")

    def __str__(self):
        return self.display_name or self.get_full_name() or self.username

    def has_role(self, kind, obj=None):
        return any(role.grants(kind, obj) for role in self.cached_roles)

    @property
    def cached_roles(self):
        if not hasattr(self, "_cached_roles"):
            self._cached_roles = list(self.roles.all()) if self.pk else []
        return self._cached_roles

    @property
    def is_secretariat(self):
        return self.is_active and (self.is_superuser or self.has_role(Role.Kind.SECRETARIAT))


class RoleQuerySet(models.QuerySet):
    def of_kind(self, kind):
        return self.filter(kind=kind)


class Role(models.Model):
    """One role of one user, bound to a community or an organisation where the kind needs it."""

    class Kind(models.TextChoices):
        SECRETARIAT = "secretariat", _("事務局")
        REVIEWER = "reviewer", _("審査委員")
        COORDINATOR = "coordinator", _("コーディネーター（ネットワーク機関）")
        ORGANIZATION_MEMBER = "organization_member", _("所属機関の担当者")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="roles",
        verbose_name=_("ユーザー"),
    )
    kind = models.CharField(_("役割"), max_length=32, choices=Kind.choices)
    community = models.ForeignKey(
        "communities.Community",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="roles",
        verbose_name=_("バイオコミュニティ"),
    )
    organization = models.ForeignKey(
        "regions.Organization",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="roles",
        verbose_name=_("機関"),
    )
    granted_at = models.DateTimeField(_("付与日時"), auto_now_add=True)

    objects = RoleQuerySet.as_manager()

    class Meta:
        verbose_name = _("役割")
        verbose_name_plural = _("役割")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind"],
                condition=models.Q(community__isnull=True, organization__isnull=True),
                name="role_unique_unbound",
            ),
            models.UniqueConstraint(
                fields=["user", "kind", "community"],
                condition=models.Q(community__isnull=False),
                name="role_unique_per_community",
            ),
            models.UniqueConstraint(
                fields=["user", "kind", "organization"],
                condition=models.Q(organization__isnull=False),
                name="role_unique_per_organization",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="coordinator") | models.Q(community__isnull=False),
                name="role_coordinator_has_community",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="organization_member")
                | models.Q(organization__isnull=False),
                name="role_member_has_organization",
            ),
        ]

    def __str__(self):
        target = self.community or self.organization
        label = self.get_kind_display()
        return f"{self.user} / {label}" + (f" / {target}" if target else "")

    def clean(self):
        if self.kind == self.Kind.COORDINATOR and not self.community_id:
            raise ValidationError(
                {"community": _("コーディネーターには担当コミュニティが必要です。")}
            )
        if self.kind == self.Kind.ORGANIZATION_MEMBER and not self.organization_id:
            raise ValidationError({"organization": _("所属機関の担当者には機関が必要です。")})

    def grants(self, kind, obj=None):
        """Whether this role is ``kind`` and, when ``obj`` is given, bound to it."""
        if self.kind != kind:
            return False
        if obj is None:
            return True
        if self.kind == self.Kind.COORDINATOR:
            return self.community_id == getattr(obj, "pk", obj)
        if self.kind == self.Kind.ORGANIZATION_MEMBER:
            return self.organization_id == getattr(obj, "pk", obj)
        return True


class AuditAction(models.TextChoices):
    """Every action the audit log records: one name, one readable label. A new kind of write
    adds its member here; ``record`` refuses a name that is not one of these."""

    # accounts
    CREATE_SECRETARIAT = "account.create_secretariat", _("事務局アカウントの作成")
    # the admin (the model is the row's target type)
    ADMIN_ADD = "admin.add", _("管理画面で追加")
    ADMIN_CHANGE = "admin.change", _("管理画面で変更")
    ADMIN_DELETE = "admin.delete", _("管理画面で削除")
    ADMIN_PASSWORD = "admin.password", _("管理画面でパスワードを変更")
    # the default data set
    BOOTSTRAP = "dataset.bootstrap", _("既定データの読み込み")
    # programs
    IMPORT_PROGRAMS = "programs.import", _("支援施策の取り込み")
    SAVE_SEARCH = "programs.save_search", _("検索条件の保存")
    DELETE_SAVED_SEARCH = "programs.delete_saved_search", _("保存した検索条件の削除")
    FOLLOW_PROGRAM = "programs.follow", _("支援施策のフォロー")
    UNFOLLOW_PROGRAM = "programs.unfollow", _("支援施策のフォロー解除")
    SEND_ALERTS = "programs.send_alerts", _("お知らせメールの送信")
    # certification rounds
    OPEN_ROUND = "certification.open_round", _("認定ラウンドの開始")
    PUBLISH_ROUND = "certification.publish_round", _("認定結果の公表")
    START_APPLICATION = "certification.start", _("申請の作成")
    EDIT_APPLICATION = "certification.edit", _("申請の編集")
    ATTACH_FILE = "certification.attach", _("申請への添付")
    SUBMIT_APPLICATION = "certification.submit", _("申請の提出")
    WITHDRAW_APPLICATION = "certification.withdraw", _("申請の取下げ")
    START_REVIEW = "certification.start_review", _("審査の開始")
    ASSIGN_REVIEWER = "certification.assign", _("審査委員の割当て")
    DECLARE_CONFLICT = "certification.declare_conflict", _("利益相反の申告")
    REVIEW_APPLICATION = "certification.review", _("審査の記入")
    DECIDE_APPLICATION = "certification.decide", _("認定の決定")
    PUBLISH_APPLICATION = "certification.publish", _("決定の公表")
    # maturity reports
    CREATE_REPORT = "maturity.create_report", _("年次報告の作成")
    SAVE_REPORT_VALUES = "maturity.save_values", _("年次報告の値の保存")
    SUBMIT_REPORT = "maturity.submit", _("年次報告の提出")
    REQUEST_REPORT_CHANGES = "maturity.request_changes", _("年次報告の修正依頼")
    ACCEPT_REPORT = "maturity.accept", _("年次報告の受理")
    RECORD_COUNTED_VALUES = "maturity.record_counted", _("自動集計の値の記録")
    # matching
    SUBMIT_NEED = "matching.submit_need", _("ニーズの投稿")
    CONFIRM_NEED = "matching.confirm_need", _("ニーズの確認")
    TAKE_NEED = "matching.take_need", _("ニーズの担当")
    SET_NEED_STATUS = "matching.set_need_status", _("ニーズの状態変更")
    RECORD_MATCH = "matching.record_match", _("マッチングの記録")
    CREATE_SEED = "matching.create_seed", _("シーズの登録")
    UPDATE_SEED = "matching.update_seed", _("シーズの更新")
    ARCHIVE_SEED = "matching.archive_seed", _("シーズの公開終了")
    IMPORT_SEEDS = "matching.import_seeds", _("シーズの取り込み")


class AuditLogQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AuditLogIsAppendOnly(_("監査ログは追記のみで、変更できません。"))

    def delete(self):
        raise AuditLogIsAppendOnly(_("監査ログは追記のみで、削除できません。"))

    def for_object(self, obj):
        return self.filter(target_type=obj._meta.label_lower, target_id=str(obj.pk))


class AuditLogIsAppendOnly(Exception):
    pass


class AuditLog(models.Model):
    """Who did what, when, to which object, with the values before and after.

    Append-only: the model, its queryset and database triggers (see the migration) refuse
    updates and deletes.
    """

    at = models.DateTimeField(_("日時"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("実行者"),
    )
    actor_label = models.CharField(_("実行者（記録時）"), max_length=150, blank=True)
    action = models.CharField(_("操作"), max_length=80, db_index=True)
    target_type = models.CharField(_("対象の種類"), max_length=100, blank=True, db_index=True)
    target_id = models.CharField(_("対象ID"), max_length=64, blank=True, db_index=True)
    target_label = models.CharField(_("対象"), max_length=300, blank=True)
    before = models.JSONField(_("変更前"), null=True, blank=True)
    after = models.JSONField(_("変更後"), null=True, blank=True)
    note = models.TextField(_("備考"), blank=True)

    objects = AuditLogQuerySet.as_manager()

    class Meta:
        verbose_name = _("監査ログ")
        verbose_name_plural = _("監査ログ")
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.target_label}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AuditLogIsAppendOnly(_("監査ログは追記のみで、変更できません。"))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditLogIsAppendOnly(_("監査ログは追記のみで、削除できません。"))

    @property
    def action_label(self):
        """The action as people read it (「認定の決定」), or its name if it is no longer known."""
        try:
            return AuditAction(self.action).label
        except ValueError:
            return self.action
