"""Coordinators' marks of ranked seeds (useful / not useful): the judgements that teach the
ranker (renkei.matching.judgements turns them into graded judgements)."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from renkei.accounts import audit
from renkei.matching.models import Judgement, Need
from renkei.matching.rules import acts_on_need


@transaction.atomic
def judge_seed(need, seed, *, useful, by, rank=None):
    """Mark ``seed`` useful or not for ``need``; a new mark follows the earlier ones."""
    need = Need.objects.get(pk=need.pk)
    if not (by.is_authenticated and acts_on_need(by, need)):
        raise PermissionDenied(
            _("シーズを判定できるのは、このご相談を担当するコミュニティのコーディネーターです。")
        )
    judgement = Judgement.objects.create(
        need=need, seed=seed, useful=bool(useful), by=by, rank=rank
    )
    audit.record(
        audit.Action.JUDGE_SEED,
        actor=by,
        target=need,
        after={"seed": seed.pk, "useful": bool(useful), "rank": rank},
    )
    return judgement
