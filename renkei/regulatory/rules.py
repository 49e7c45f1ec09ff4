"""Who may do what with regulatory consultations.

- The asker acts through the signed link of their mails (no account needed).
- The members of the organisation whose window a consultation was routed to answer it (or
  the window by the signed link of its mail); the secretariat routes, reroutes and answers.
- Only these see the question as asked; the public sees the anonymised question and answer
  the asker agreed to publish.
"""

from renkei.regions.rules import member_organization_ids


def answers_consultation(user, consultation):
    if not user.is_authenticated:
        return False
    if user.is_secretariat:
        return True
    return bool(
        consultation.window_id
        and consultation.window.organization_id in member_organization_ids(user)
    )


def sees_inbox(user):
    return bool(user.is_authenticated and (user.is_secretariat or member_organization_ids(user)))
