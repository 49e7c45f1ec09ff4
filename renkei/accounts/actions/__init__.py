"""Every write about people, each one transaction with its audit row: invitations, roles
and accounts (people.py), what people do with their own account (account.py), signing in
safely (security.py)."""

from renkei.accounts.actions.account import (
    ask_to_change_email,
    ask_to_sign_up,
    change_email,
    record_password_change,
    sign_up,
    sign_up_address,
)
from renkei.accounts.actions.invitations import (
    InvalidInvitation,
    InvitationRequest,
    accept_invitation,
    accept_own_invitation,
    invitation_for,
    invite_from_file,
    invite_person,
    read_invitation_file,
    resend_invitation,
    revoke_invitation,
    when,
)
from renkei.accounts.actions.people import deactivate_person, grant_role, revoke_role
from renkei.accounts.actions.security import (
    Outcome,
    confirm_authenticator,
    end_other_sessions,
    remove_second_factor,
    replace_recovery_codes,
    verify_second_factor,
)

__all__ = [
    "InvalidInvitation",
    "InvitationRequest",
    "Outcome",
    "accept_invitation",
    "accept_own_invitation",
    "ask_to_change_email",
    "ask_to_sign_up",
    "change_email",
    "confirm_authenticator",
    "deactivate_person",
    "end_other_sessions",
    "grant_role",
    "invitation_for",
    "invite_from_file",
    "invite_person",
    "read_invitation_file",
    "record_password_change",
    "remove_second_factor",
    "replace_recovery_codes",
    "resend_invitation",
    "revoke_invitation",
    "revoke_role",
    "sign_up",
    "sign_up_address",
    "verify_second_factor",
    "when",
]
