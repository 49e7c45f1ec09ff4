"""The coordination pipeline (ADR 0009): each seed proposed for a need travels
proposed → asked → interested → consent asked → introduced → meeting → outcome, and every
step is an append-only row of the need's history (date, who, note). Coordinators' marks of
useful / not useful seeds are kept the same way, as judgements that teach the ranker."""

import datetime
import secrets

from django.conf import settings
from django.core import signing
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

ANSWER_SALT = "renkei.matching.proposal-answer"
UNANSWERED_AFTER = datetime.timedelta(days=10)


class HistoryIsAppendOnly(Exception):
    """A history row (a step, a judgement) was to be changed or deleted."""


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise HistoryIsAppendOnly(_("経過の記録は追記のみで、変更できません。"))

    def delete(self):
        raise HistoryIsAppendOnly(_("経過の記録は追記のみで、削除できません。"))


class AppendOnly(models.Model):
    """A row written once: the model, its queryset and database triggers (see the
    migration) refuse updates and deletes."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise HistoryIsAppendOnly(_("経過の記録は追記のみで、変更できません。"))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise HistoryIsAppendOnly(_("経過の記録は追記のみで、削除できません。"))


class Reason(models.TextChoices):
    """Why a seed's organisation declines, or why a collaboration did not come about
    (coded, as IN-PART's decline codes are; その他 needs words)."""

    TECHNOLOGY = "technology", _("技術が合わない")
    TIMING = "timing", _("時期が合わない")
    CAPACITY = "capacity", _("体制が足りない")
    COST = "cost", _("費用")
    IP = "ip", _("知財の制約")
    PARTNERED = "partnered", _("既に他社と連携")
    OTHER = "other", _("その他")


class Outcome(models.TextChoices):
    """What a collaboration became (EEN's partnership types, as the source's programs
    name them); 不成立 needs a reason."""

    JOINT_RESEARCH = "joint_research", _("共同研究契約")
    CONTRACT_RESEARCH = "contract_research", _("受託研究")
    TECHNICAL_ADVICE = "technical_advice", _("技術指導・相談")
    LICENSE = "license", _("ライセンス")
    PROTOTYPE = "prototype", _("試作・実証")
    JOINT_APPLICATION = "joint_application", _("補助金の共同申請")
    NOT_CONCLUDED = "not_concluded", _("不成立")


AGREEMENTS = [o for o in Outcome if o != Outcome.NOT_CONCLUDED]


class State(models.TextChoices):
    """Where a proposal stands: the state its last transition left it in."""

    PROPOSED = "proposed", _("提案")
    ASKED = "asked", _("機関に打診中")
    INTERESTED = "interested", _("機関が関心あり")
    DECLINED = "declined", _("機関が辞退")
    CONSENT_ASKED = "consent_asked", _("相談者の同意待ち")
    INTRODUCED = "introduced", _("紹介済み")
    MEETING = "meeting", _("面談")
    AGREED = "agreed", _("合意")
    NOT_CONCLUDED = "not_concluded", _("不成立")
    WITHDRAWN = "withdrawn", _("取りやめ")


FINISHED = frozenset({State.DECLINED, State.AGREED, State.NOT_CONCLUDED, State.WITHDRAWN})
RELEASED = frozenset({State.INTRODUCED, State.MEETING, State.AGREED, State.NOT_CONCLUDED})


class ProposalQuerySet(models.QuerySet):
    def open(self):
        return self.exclude(state__in=FINISHED)

    def awaiting_answer(self):
        return self.filter(state=State.ASKED)

    def unanswered(self, now=None):
        """Asked 10 days ago or more and still unanswered (flagged to the need's
        coordinators and the secretariat)."""
        cutoff = (now or timezone.now()) - UNANSWERED_AFTER
        return self.awaiting_answer().filter(state_since__lte=cutoff)

    def of_organizations(self, organization_ids):
        return self.filter(seed__organization_id__in=organization_ids)


class Proposal(models.Model):
    """One seed proposed for one need. Its history is its steps; ``state`` and
    ``state_since`` repeat what the last transition said, so lists can filter on them."""

    need = models.ForeignKey(
        "matching.Need",
        on_delete=models.PROTECT,
        related_name="proposals",
        verbose_name=_("ニーズ"),
    )
    seed = models.ForeignKey(
        "matching.Seed",
        on_delete=models.PROTECT,
        related_name="proposals",
        verbose_name=_("シーズ"),
    )
    community = models.ForeignKey(
        "communities.Community",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposals",
        verbose_name=_("担当コミュニティ"),
    )
    state = models.CharField(
        _("状態"), max_length=20, choices=State.choices, default=State.PROPOSED, db_index=True
    )
    state_since = models.DateTimeField(_("この状態になった日時"), default=timezone.now)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("提案した人"),
    )
    # The signed link a seed's organisation without accounts answers with (its window's
    # address gets it); a new nonce retires the old link.
    answer_nonce = models.CharField(max_length=32, default="", editable=False)
    created_at = models.DateTimeField(_("提案日時"), default=timezone.now)

    objects = ProposalQuerySet.as_manager()

    class Meta:
        verbose_name = _("シーズの提案")
        verbose_name_plural = _("シーズの提案")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["need", "seed"], name="proposal_once_per_need_seed")
        ]

    def __str__(self):
        return f"{self.need} × {self.seed}"

    def get_absolute_url(self):
        return reverse("matching:proposal", args=[self.pk])

    @property
    def is_finished(self):
        return self.state in FINISHED

    @property
    def is_agreement(self):
        return self.state == State.AGREED

    @property
    def identity_released(self):
        """Whether the submitter agreed to be introduced to the seed's organisation (an
        outcome is recorded only after an introduction)."""
        return self.state in RELEASED

    @property
    def answer_token(self):
        return signing.Signer(salt=ANSWER_SALT).sign(f"{self.pk}.{self.answer_nonce}")

    def get_answer_url(self):
        return reverse("matching:proposal_answer", args=[self.answer_token])


def new_answer_nonce():
    return secrets.token_urlsafe(16)


def proposal_for_answer_token(token):
    """The proposal an answer link names, or None (forged, altered or retired)."""
    try:
        value = signing.Signer(salt=ANSWER_SALT).unsign(token or "")
    except signing.BadSignature:
        return None
    pk, _sep, nonce = value.partition(".")
    if not pk.isdigit() or not nonce:
        return None
    return Proposal.objects.filter(pk=int(pk), answer_nonce=nonce).first()


class StepQuerySet(AppendOnlyQuerySet):
    def timeline(self):
        return self.select_related("proposal__seed__organization", "by").order_by("at", "pk")


class Step(AppendOnly):
    """One thing that happened to a need or to one of its proposals, written once."""

    class Kind(models.TextChoices):
        # the need
        TAKEN = "taken", _("担当の決定")
        REASSIGNED = "reassigned", _("担当替え")
        STATUS = "status", _("状態の変更")
        FLAG_NO_PROPOSAL = "flag_no_proposal", _("14日間提案なし")
        EXPERT_ASSIGNED = "expert_assigned", _("専門家・コーディネーターの割当て")
        CONSULTATION = "consultation", _("専門家への相談")
        # a proposal
        PROPOSED = "proposed", _("シーズの提案")
        ASKED = "asked", _("機関への打診")
        INTERESTED = "interested", _("機関の回答: 関心あり")
        DECLINED = "declined", _("機関の回答: 辞退")
        CONSENT_ASKED = "consent_asked", _("相談者への同意の確認")
        CONSENT_GIVEN = "consent_given", _("相談者の同意")
        CONSENT_REFUSED = "consent_refused", _("相談者が紹介を見送り")
        INTRODUCED = "introduced", _("紹介（相談者の連絡先を機関へ）")
        MEETING = "meeting", _("面談")
        OUTCOME = "outcome", _("結果")
        WITHDRAWN = "withdrawn", _("提案の取りやめ")
        FLAG_UNANSWERED = "flag_unanswered", _("10日間回答なし")

    need = models.ForeignKey(
        "matching.Need", on_delete=models.PROTECT, related_name="steps", verbose_name=_("ニーズ")
    )
    proposal = models.ForeignKey(
        Proposal,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="steps",
        verbose_name=_("提案"),
    )
    kind = models.CharField(_("種類"), max_length=20, choices=Kind.choices)
    on = models.DateField(_("日付"), default=timezone.localdate)
    at = models.DateTimeField(_("記録日時"), default=timezone.now, db_index=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("記録した人"),
    )
    by_label = models.CharField(_("記録した人（記録時）"), max_length=200, blank=True)
    reason = models.CharField(_("理由"), max_length=20, choices=Reason.choices, blank=True)
    reason_text = models.CharField(_("理由（その他）"), max_length=500, blank=True)
    outcome = models.CharField(_("結果の種類"), max_length=30, choices=Outcome.choices, blank=True)
    note = models.TextField(
        _("メモ"), blank=True, help_text=_("このご相談を担当する人だけが読めます。")
    )
    # by the seed's organisation (its members or its window's link): its own notes are
    # shown to it
    by_organization = models.BooleanField(_("機関の記録"), default=False)
    legacy = models.BooleanField(_("移行した記録"), default=False)

    objects = StepQuerySet.as_manager()

    class Meta:
        verbose_name = _("経過")
        verbose_name_plural = _("経過")
        ordering = ["at", "pk"]
        constraints = [
            # one outcome per proposal, whatever the code does (duplicate outcomes)
            models.UniqueConstraint(
                fields=["proposal"],
                condition=models.Q(kind="outcome"),
                name="step_one_outcome_per_proposal",
            ),
            models.UniqueConstraint(
                fields=["proposal"],
                condition=models.Q(kind="introduced"),
                name="step_one_introduction_per_proposal",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="outcome") | ~models.Q(outcome=""),
                name="step_outcome_has_kind",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="declined") | ~models.Q(reason=""),
                name="step_decline_has_reason",
            ),
        ]

    def __str__(self):
        return f"{self.need_id}: {self.get_kind_display()} {self.on}"

    @property
    def summary(self):
        """The step in words, without its note: the outcome or the reason where it has one."""
        parts = []
        if self.outcome:
            parts.append(str(self.get_outcome_display()))
        if self.reason:
            label = str(self.get_reason_display())
            parts.append(f"{label}（{self.reason_text}）" if self.reason_text else label)
        return "・".join(parts)


class JudgementQuerySet(AppendOnlyQuerySet):
    def latest_per_pair(self):
        """The last mark per need × seed (a coordinator may change their mind)."""
        latest = {}
        for judgement in self.order_by("at", "pk"):
            latest[(judgement.need_id, judgement.seed_id)] = judgement
        return latest


class Judgement(AppendOnly):
    """A coordinator's mark of a seed ranked for a need: useful or not. The newest mark per
    need × seed counts; earlier ones stay (see renkei.matching.judgements for the grades)."""

    need = models.ForeignKey(
        "matching.Need",
        on_delete=models.PROTECT,
        related_name="judgements",
        verbose_name=_("ニーズ"),
    )
    seed = models.ForeignKey(
        "matching.Seed",
        on_delete=models.PROTECT,
        related_name="judgements",
        verbose_name=_("シーズ"),
    )
    useful = models.BooleanField(_("役に立つ"))
    rank = models.PositiveIntegerField(_("判定時の順位"), null=True, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("判定者"),
    )
    at = models.DateTimeField(_("判定日時"), default=timezone.now)

    objects = JudgementQuerySet.as_manager()

    class Meta:
        verbose_name = _("シーズの判定")
        verbose_name_plural = _("シーズの判定")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.need_id} × {self.seed_id}: {'useful' if self.useful else 'not useful'}"
