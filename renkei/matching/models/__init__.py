"""Seeds, needs, and the pipeline that carries a need to an outcome (ADR 0009)."""

from renkei.matching.models.needs import Need, NeedQuerySet, need_for_status_token
from renkei.matching.models.pipeline import (
    AGREEMENTS,
    FINISHED,
    HistoryIsAppendOnly,
    Judgement,
    Outcome,
    Proposal,
    Reason,
    State,
    Step,
    proposal_for_answer_token,
)
from renkei.matching.models.seeds import Embedding, Seed, SeedQuerySet, Visibility

__all__ = [
    "AGREEMENTS",
    "FINISHED",
    "Embedding",
    "HistoryIsAppendOnly",
    "Judgement",
    "Need",
    "NeedQuerySet",
    "Outcome",
    "Proposal",
    "Reason",
    "Seed",
    "SeedQuerySet",
    "State",
    "Step",
    "Visibility",
    "need_for_status_token",
    "proposal_for_answer_token",
]
