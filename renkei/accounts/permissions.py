"""Object-level permissions: the predicates about roles alone, and ``require``.

Permissions are django-rules predicates registered under Django's usual permission names
(``regions.change_organization``), so views, the admin and templates all ask the same
question with ``user.has_perm(name, obj)``. ``require`` is the one call a write makes before
changing anything. Predicates that need an app's models (is this person a coordinator of
this community?) live in that app's ``rules.py``, the one home of that app's rules.
"""

import rules
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _


@rules.predicate
def is_secretariat(user):
    return bool(user and user.is_authenticated and user.is_secretariat)


@rules.predicate
def is_reviewer(user):
    return bool(user and user.is_authenticated and user.has_role("reviewer"))


def require(user, permission, obj=None):
    """Raise PermissionDenied unless ``user`` holds ``permission`` on ``obj``."""
    if not user.has_perm(permission, obj):
        raise PermissionDenied(_("この操作を行う権限がありません。"))
