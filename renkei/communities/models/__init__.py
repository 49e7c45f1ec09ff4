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
    "StrategyMarketArea",
]
