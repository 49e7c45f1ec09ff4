from renkei.accounts.models.audit import AuditAction, AuditLog, AuditLogIsAppendOnly
from renkei.accounts.models.invitations import Invitation
from renkei.accounts.models.people import RenkeiUserManager, Role, User, UserQuerySet
from renkei.accounts.models.sessions import SessionRecord

__all__ = [
    "AuditAction",
    "AuditLog",
    "AuditLogIsAppendOnly",
    "Invitation",
    "RenkeiUserManager",
    "Role",
    "SessionRecord",
    "User",
    "UserQuerySet",
]
