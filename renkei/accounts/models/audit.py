"""The audit log: who did what, when, to which object, from which address."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    """Every action the audit log records: one name, one readable label. A new kind of write
    adds its member here; ``record`` refuses a name that is not one of these."""

    # accounts
    CREATE_SECRETARIAT = "account.create_secretariat", _("事務局アカウントの作成")
    SIGN_UP = "account.sign_up", _("アカウントの登録")
    CHANGE_EMAIL = "account.change_email", _("メールアドレスの変更")
    CHANGE_PASSWORD = "account.change_password", _("パスワードの変更")
    RESET_PASSWORD = "account.reset_password", _("パスワードの再設定")
    LOGIN = "account.login", _("ログイン")
    LOGIN_FAILED = "account.login_failed", _("ログインの失敗")
    LOCKED_OUT = "account.locked_out", _("ログインのロック")
    SET_UP_SECOND_FACTOR = "account.second_factor", _("2段階認証の設定")
    REMOVE_SECOND_FACTOR = "account.remove_second_factor", _("2段階認証の解除")
    NEW_RECOVERY_CODES = "account.recovery_codes", _("回復コードの再発行")
    USE_RECOVERY_CODE = "account.use_recovery_code", _("回復コードの使用")
    END_SESSIONS = "account.end_sessions", _("ほかのセッションの終了")
    REFUSED = "access.refused", _("権限のない操作の拒否")
    # invitations and roles
    INVITE = "people.invite", _("招待")
    INVITE_FROM_FILE = "people.invite_file", _("ファイルからの一括招待")
    RESEND_INVITATION = "people.resend_invitation", _("招待の再送")
    REVOKE_INVITATION = "people.revoke_invitation", _("招待の取消し")
    ACCEPT_INVITATION = "people.accept_invitation", _("招待の受諾")
    GRANT_ROLE = "people.grant_role", _("役割の付与")
    REVOKE_ROLE = "people.revoke_role", _("役割の取消し")
    DEACTIVATE = "people.deactivate", _("アカウントの停止")
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
    START_ROLLOVER = "programs.start_rollover", _("支援メニューの年度更新の開始")
    EDIT_DRAFT = "programs.edit_draft", _("年度版の施策の編集")
    PUBLISH_EDITION = "programs.publish_edition", _("支援メニューの年度版の公開")
    DISCARD_EDITION = "programs.discard_edition", _("支援メニューの年度版の取りやめ")
    UPLOAD_PROGRAMS = "programs.upload", _("施策ファイルのアップロード")
    # certification rounds
    OPEN_ROUND = "certification.open_round", _("認定ラウンドの開始")
    ADD_ROUND_REVIEWER = "certification.add_round_reviewer", _("ラウンドへの審査委員の追加")
    CLOSE_ROUND = "certification.close_round", _("認定ラウンドの受付終了")
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
    REOPEN_APPLICATION = "certification.reopen", _("申請の取下げの取消し")
    REMOVE_ATTACHMENT = "certification.remove_attachment", _("申請の添付の削除")
    SAVE_REVIEW_DRAFT = "certification.save_review_draft", _("審査の下書き保存")
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
    REASSIGN_NEED = "matching.reassign_need", _("ニーズの担当替え")
    MOVE_PROPOSAL = "matching.move_proposal", _("提案の経過の記録")
    JUDGE_SEED = "matching.judge_seed", _("シーズの判定")
    # experts and coordinators
    SAVE_EXPERT = "experts.save", _("専門家の登録・更新")
    ASSIGN_EXPERT = "experts.assign", _("専門家の割当て")
    END_ASSIGNMENT = "experts.end_assignment", _("専門家の割当ての終了")
    RECORD_CONSULTATION = "experts.record_consultation", _("専門家への相談の記録")
    # regulatory and special-zone consultations
    ASK_REGULATORY = "regulatory.ask", _("規制・特区相談の受付")
    CONFIRM_REGULATORY = "regulatory.confirm", _("規制・特区相談の確認")
    ROUTE_REGULATORY = "regulatory.route", _("規制・特区相談の窓口への振り分け")
    ANSWER_REGULATORY = "regulatory.answer", _("規制・特区相談への回答")
    PUBLISH_REGULATORY = "regulatory.publish", _("規制・特区相談の公開")
    CLOSE_REGULATORY = "regulatory.close", _("規制・特区相談の終了")
    # researchers' contribution records
    REGISTER_RESEARCHER = "contributions.register", _("研究者の登録")
    PUBLISH_RECORD = "contributions.publish", _("社会貢献の記録の公開設定")
    ADD_COUNCIL_ROLE = "contributions.add_council_role", _("協議会での役割の記録")
    # contact windows
    CREATE_WINDOW = "regions.create_window", _("窓口の登録")
    UPDATE_WINDOW = "regions.update_window", _("窓口の更新")
    CONFIRM_WINDOW = "regions.confirm_window", _("窓口情報の確認")
    VERIFY_WINDOW = "regions.verify_window", _("窓口の事務局確認")
    ARCHIVE_WINDOW = "regions.archive_window", _("窓口の掲載終了")
    IMPORT_WINDOWS = "regions.import_windows", _("窓口の取り込み")
    REMIND_WINDOWS = "regions.remind_windows", _("窓口情報の確認依頼")
    # councils
    CREATE_COUNCIL = "councils.create", _("協議会の登録")
    UPDATE_COUNCIL = "councils.update", _("協議会の更新")
    ADD_COUNCIL_MEMBER = "councils.add_member", _("協議会の構成員の追加")
    REMOVE_COUNCIL_MEMBER = "councils.remove_member", _("協議会の構成員の削除")
    RECORD_MEETING = "councils.record_meeting", _("会議の記録")
    ADD_ACTION_ITEM = "councils.add_action_item", _("実行項目の登録")
    UPDATE_ACTION_ITEM = "councils.update_action_item", _("実行項目の更新")
    # surveys
    CREATE_SURVEY = "surveys.create", _("調査の作成")
    UPDATE_SURVEY = "surveys.update", _("調査の編集")
    SEND_SURVEY = "surveys.send", _("調査の送付")
    REISSUE_SURVEY_LINK = "surveys.reissue_link", _("回答リンクの再発行")
    REMIND_SURVEY = "surveys.remind", _("調査の督促")
    ANSWER_SURVEY = "surveys.answer", _("調査への回答")
    CLOSE_SURVEY = "surveys.close", _("調査の締切")
    PUBLISH_SURVEY_RESULTS = "surveys.publish", _("調査結果の公表")
    # findings → responses
    ADD_FINDING_RESPONSE = "findings.add_response", _("課題への対応の追加")
    REMOVE_FINDING_RESPONSE = "findings.remove_response", _("課題への対応の削除")


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
    address = models.GenericIPAddressField(_("接続元アドレス"), null=True, blank=True)

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
