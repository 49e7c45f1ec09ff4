"""{% load councils %}{% case_links obj %}: the cases that involve a prefecture, community,
program or organisation, for their pages (one query; nothing shown when there is none)."""

from django import template

from renkei.councils.models import CaseStudy

register = template.Library()

_FILTERS = {
    "regions.organization": lambda obj: {"participants__organization": obj},
    "regions.prefecture": lambda obj: {"prefecture": obj},
    "communities.community": lambda obj: {"communities": obj},
    "programs.program": lambda obj: {"programs": obj},
}


@register.inclusion_tag("councils/_case_links.html")
def case_links(obj, heading_level=2):
    where = _FILTERS.get(obj._meta.label_lower)
    cases = (
        list(CaseStudy.objects.filter(**where(obj)).select_related("prefecture").distinct())
        if where
        else []
    )
    return {"cases": cases, "heading": f"h{heading_level}"}
