"""Who sees and keeps a researcher's contribution record.

- the researcher (the account with the record's e-mail address) sees it, exports it, and
  alone decides whether it is public;
- the liaison office (members of the researcher's organisation) registers its researchers,
  records their council roles and sees their records; the secretariat sees all;
- everyone else sees a record only once the researcher consented, without any submitter's
  or asker's details.
"""

from renkei.regions.rules import member_organization_ids


def is_the_researcher(user, researcher):
    return bool(
        user.is_authenticated
        and researcher.email
        and user.email
        and user.email.strip().lower() == researcher.email.strip().lower()
    )


def keeps(user, researcher_or_organization_id):
    """The liaison office of the organisation (or the secretariat)."""
    organization_id = getattr(
        researcher_or_organization_id, "organization_id", researcher_or_organization_id
    )
    return bool(
        user.is_authenticated
        and (user.is_secretariat or organization_id in member_organization_ids(user))
    )


def sees_inside(user, researcher):
    """Sees the whole record (needs' titles, private consultations)."""
    return is_the_researcher(user, researcher) or keeps(user, researcher)


def sees(user, researcher):
    return sees_inside(user, researcher) or researcher.is_public
