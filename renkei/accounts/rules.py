"""Default permissions: the secretariat may view and edit every renkei model.

Apps set single permissions in their own ``rules.py`` with ``rules.set_perm``. An app's rules
may be imported before this module (a models module that reads them), so a default here never
replaces a permission an app has already set.
"""

import rules
from django.apps import apps

from renkei.accounts.permissions import is_secretariat

RENKEI_APPS = {"accounts", "regions", "programs", "communities", "councils", "maturity", "matching"}

for model in apps.get_models():
    if model._meta.app_label not in RENKEI_APPS:
        continue
    for action in ("view", "add", "change", "delete"):
        name = f"{model._meta.app_label}.{action}_{model._meta.model_name}"
        if not rules.perm_exists(name):
            rules.set_perm(name, is_secretariat)

# The audit log is read by the secretariat and written only by actions, never edited.
rules.set_perm("accounts.add_auditlog", rules.always_deny)
rules.set_perm("accounts.change_auditlog", rules.always_deny)
rules.set_perm("accounts.delete_auditlog", rules.always_deny)
# Roles and accounts are granted by superusers only (see README, "first secretariat account").
for action in ("add", "change", "delete"):
    rules.set_perm(f"accounts.{action}_role", rules.is_superuser)
    rules.set_perm(f"accounts.{action}_user", rules.is_superuser)
