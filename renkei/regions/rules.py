import rules

from renkei.accounts.permissions import is_member_of, is_secretariat

# A university liaison office (organisation member) keeps its own organisation's profile and
# contact windows current; the secretariat may edit any.
rules.set_perm("regions.change_organization", is_secretariat | is_member_of)
rules.set_perm("regions.add_contactwindow", is_secretariat | is_member_of)
rules.set_perm("regions.change_contactwindow", is_secretariat | is_member_of)
rules.set_perm("regions.delete_contactwindow", is_secretariat | is_member_of)
