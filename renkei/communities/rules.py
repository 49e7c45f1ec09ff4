import rules

from renkei.accounts.permissions import is_coordinator_of, is_secretariat

# A community's coordinator keeps its profile, members, key persons and facts current.
rules.set_perm("communities.change_community", is_secretariat | is_coordinator_of)
for action in ("add", "change", "delete"):
    rules.set_perm(f"communities.{action}_communitymember", is_secretariat | is_coordinator_of)
    rules.set_perm(f"communities.{action}_communityfact", is_secretariat | is_coordinator_of)
    rules.set_perm(f"communities.{action}_keyperson", is_secretariat | is_coordinator_of)
