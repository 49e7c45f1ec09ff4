"""The public funnel (ADR 0009): from needs received to agreements, by fiscal year, prefecture
and community, read from the pipeline's history. Counts only: no need, organisation or
person is named, and reasons are the codes, never their free text.

A need belongs to the fiscal year (April–March, JST) it was confirmed in, to its prefecture,
and to the community that took it. Four queries, whatever the number of needs."""

import datetime
import statistics
from collections import defaultdict

from django.db.models import Max, Min
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from renkei.lib.formats import fiscal_year_of
from renkei.matching.models import AGREEMENTS, Need, Outcome, Proposal, Reason, Step


def _days(later, earlier):
    return (later - earlier).total_seconds() / 86400


def _median(values):
    return round(statistics.median(values), 1) if values else None


def _empty():
    return {
        "needs": 0,
        "needs_with_proposal": 0,
        "proposals": 0,
        "asked": 0,
        "answered": 0,
        "interested": 0,
        "declined": 0,
        "introductions": 0,
        "meetings": 0,
        "agreements": 0,
        "agreements_by_type": {o.value: 0 for o in AGREEMENTS},
        "not_concluded": 0,
        "median_days_to_first_proposal": None,
        "median_days_to_outcome": None,
        "decline_reasons": {r.value: 0 for r in Reason},
        "not_concluded_reasons": {r.value: 0 for r in Reason},
    }


def _fiscal_year_bounds(year):
    tz = timezone.get_current_timezone()
    start = datetime.datetime(year, 4, 1, tzinfo=tz)
    return start, datetime.datetime(year + 1, 4, 1, tzinfo=tz)


def needs_for(*, fiscal_year=None, prefecture=None, community=None):
    needs = Need.objects.confirmed()
    if fiscal_year:
        start, end = _fiscal_year_bounds(int(fiscal_year))
        needs = needs.filter(confirmed_at__gte=start, confirmed_at__lt=end)
    if prefecture:
        needs = needs.filter(prefecture_id=prefecture)
    if community:
        needs = needs.filter(community__slug=community)
    return needs


def compute(*, fiscal_year=None, prefecture=None, community=None):
    """{"total": figures, "by_year": {fiscal year: figures}} for the needs the filters
    select (see _empty for the figures)."""
    needs = {
        pk: confirmed_at
        for pk, confirmed_at in needs_for(
            fiscal_year=fiscal_year, prefecture=prefecture, community=community
        ).values_list("pk", "confirmed_at")
    }
    year_of = {pk: fiscal_year_of(timezone.localtime(at).date()) for pk, at in needs.items()}
    proposals = dict(
        Proposal.objects.filter(need_id__in=needs).values_list("pk", "need_id").order_by()
    )
    steps = list(
        Step.objects.filter(need_id__in=needs, proposal__isnull=False)
        .values_list("proposal_id", "need_id", "kind", "outcome", "reason", "on", "at")
        .order_by("at", "pk")
    )
    groups = defaultdict(_empty)
    first_proposal, outcome_days = defaultdict(list), defaultdict(list)
    met, answered, asked, proposed_at = set(), set(), set(), {}
    for need_id in needs:
        for key in ("total", year_of[need_id]):
            groups[key]["needs"] += 1
    for need_id in set(proposals.values()):
        for key in ("total", year_of[need_id]):
            groups[key]["needs_with_proposal"] += 1
    for need_id in proposals.values():
        for key in ("total", year_of[need_id]):
            groups[key]["proposals"] += 1
    for proposal_id, need_id, kind, outcome, reason, on, at in steps:
        keys = ("total", year_of[need_id])
        if kind == Step.Kind.PROPOSED:
            proposed_at.setdefault(need_id, at)
        elif kind == Step.Kind.ASKED and proposal_id not in asked:
            asked.add(proposal_id)
            for key in keys:
                groups[key]["asked"] += 1
        elif kind in (Step.Kind.INTERESTED, Step.Kind.DECLINED):
            field = "interested" if kind == Step.Kind.INTERESTED else "declined"
            for key in keys:
                groups[key][field] += 1
                if proposal_id not in answered:
                    groups[key]["answered"] += 1
                if kind == Step.Kind.DECLINED and reason:
                    groups[key]["decline_reasons"][reason] += 1
            answered.add(proposal_id)
        elif kind == Step.Kind.INTRODUCED:
            for key in keys:
                groups[key]["introductions"] += 1
        elif kind == Step.Kind.MEETING and proposal_id not in met:
            met.add(proposal_id)
            for key in keys:
                groups[key]["meetings"] += 1
        elif kind == Step.Kind.OUTCOME:
            confirmed = timezone.localtime(needs[need_id]).date()
            for key in keys:
                if outcome == Outcome.NOT_CONCLUDED:
                    groups[key]["not_concluded"] += 1
                    if reason:
                        groups[key]["not_concluded_reasons"][reason] += 1
                else:
                    groups[key]["agreements"] += 1
                    groups[key]["agreements_by_type"][outcome] += 1
                outcome_days[key].append((on - confirmed).days)
    for need_id, at in proposed_at.items():
        for key in ("total", year_of[need_id]):
            first_proposal[key].append(_days(at, needs[need_id]))
    for key, figures in groups.items():
        figures["median_days_to_first_proposal"] = _median(first_proposal[key])
        figures["median_days_to_outcome"] = _median(outcome_days[key])
    total = groups.pop("total", None) or _empty()
    return {"total": total, "by_year": dict(sorted(groups.items()))}


def decline_reasons(**filters):
    """[(code, label, declines, not concluded)] for the needs the filters select."""
    total = compute(**filters)["total"]
    return [
        (
            reason.value,
            reason.label,
            total["decline_reasons"][reason.value],
            total["not_concluded_reasons"][reason.value],
        )
        for reason in Reason
    ]


def fiscal_years():
    """The fiscal years needs were confirmed in, newest first (for the filter)."""
    span = Need.objects.confirmed().aggregate(first=Min("confirmed_at"), last=Max("confirmed_at"))
    if span["first"] is None:
        return []
    first, last = (fiscal_year_of(timezone.localtime(span[k]).date()) for k in ("first", "last"))
    return list(range(last, first - 1, -1))


STAGES = [
    ("needs", _("受け付けたご相談")),
    ("needs_with_proposal", _("シーズが提案されたご相談")),
    ("proposals", _("提案")),
    ("asked", _("機関への打診")),
    ("answered", _("機関の回答")),
    ("interested", _("関心あり")),
    ("introductions", _("紹介（相談者の同意のうえ）")),
    ("meetings", _("面談した提案")),
    ("agreements", _("合意")),
]


def stage_counts(total):
    """The funnel's stages in order: [(key, label, count)] (for the page's table)."""
    return [(key, label, total[key]) for key, label in STAGES]
