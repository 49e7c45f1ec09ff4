"""Communities and certification rounds as accounts binds roles and invitations to them
(see renkei/accounts/bindings.py): a community by its slug (``nagaoka``), a round by its
number; a round whose results are published takes no new reviewers."""

from renkei.accounts import bindings
from renkei.communities.actions import reviewer_joins_round
from renkei.communities.models import CertificationRound, Community


def find_community(identifier):
    return Community.objects.filter(slug=identifier).values_list("pk", flat=True).first()


def community_name(pk):
    return Community.objects.filter(pk=pk).values_list("name", flat=True).first()


def community_choices():
    return list(Community.objects.order_by("table_order", "name").values_list("pk", "name"))


def _rounds():
    return CertificationRound.objects.exclude(status=CertificationRound.Status.PUBLISHED)


def find_round(identifier):
    if not identifier.isdigit():
        return None
    return _rounds().filter(pk=int(identifier)).values_list("pk", flat=True).first()


def round_name(pk):
    return _rounds().filter(pk=pk).values_list("title", flat=True).first()


def round_choices():
    return list(_rounds().values_list("pk", "title"))


bindings.register(
    bindings.Binding(
        field="community", find=find_community, name=community_name, choices=community_choices
    )
)
bindings.register(
    bindings.Binding(
        field="round",
        find=find_round,
        name=round_name,
        choices=round_choices,
        on_accept=reviewer_joins_round,
    )
)
