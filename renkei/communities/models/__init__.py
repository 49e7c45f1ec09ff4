from renkei.communities.models.registry import (
    Community,
    CommunityFact,
    CommunityMember,
    CommunityStatusEvent,
    KeyPerson,
    StrategyMarketArea,
)
from renkei.communities.models.rounds import (
    Application,
    Attachment,
    CertificationRound,
    Review,
    ReviewAssignment,
    ReviewDraft,
)

__all__ = [
    "Application",
    "Attachment",
    "CertificationRound",
    "Community",
    "CommunityFact",
    "CommunityMember",
    "CommunityStatusEvent",
    "KeyPerson",
    "Review",
    "ReviewAssignment",
    "ReviewDraft",
    "StrategyMarketArea",
]
