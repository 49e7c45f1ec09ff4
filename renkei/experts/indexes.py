"""The experts' index beside the seeds' one: the same engine, so a need's text finds the
people who can help as it finds seeds (renkei.matching.indexes)."""

from renkei.experts.models import Expert
from renkei.matching.engine import Document, Query
from renkei.matching.indexes import PortalIndex, need_query
from renkei.matching.rules import visibility_for

EXPERT_FIELD_WEIGHTS = {"expertise": 1.5, "fields": 2.0, "title": 0.8}


class ExpertIndex(PortalIndex):
    def rows(self):
        return Expert.objects.all()

    def wanted(self, expert):
        return expert.active

    def document(self, expert):
        return Document(
            id=str(expert.pk),
            fields=expert.matching_fields(),
            visibility="public" if expert.public else "coordinators",
        )


experts_index = ExpertIndex("experts", EXPERT_FIELD_WEIGHTS)


def _experts_for(results, queryset):
    by_id = {
        str(e.pk): e
        for e in queryset.filter(pk__in=[r.document.id for r in results])
        .select_related("organization", "user", "community")
        .prefetch_related("regions", "market_areas")
    }
    return [(by_id[r.document.id], r) for r in results if r.document.id in by_id]


def rank_experts(need, *, user, top=20):
    """Experts for a need, best first: [(expert, result)] with load (``open_assignments``)."""
    query = need_query(need, visibility=visibility_for(user))
    results = experts_index.get().match(query, top=top)
    return _experts_for(results, Expert.objects.active().with_load())


def search_experts(text, *, user, top=50):
    """Experts by words (the lexical signal), those this person may see."""
    query = Query(id="experts", fields={"text": text}, visibility=visibility_for(user))
    results = experts_index.get().match(query, top=top, mode="lexical")
    return _experts_for(results, Expert.objects.visible_to(user).active())
