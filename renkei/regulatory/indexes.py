"""The published Q&A, searchable by words: the matching engine's lexical signal over the
anonymised questions and answers (no embeddings; renkei.matching.indexes)."""

from renkei.matching.engine import Document, Query
from renkei.matching.indexes import PortalIndex
from renkei.regulatory.models import RegulatoryConsultation


class QAIndex(PortalIndex):
    def rows(self):
        return RegulatoryConsultation.objects.all()

    def wanted(self, consultation):
        return consultation.is_published

    def document(self, consultation):
        return Document(
            id=str(consultation.pk),
            fields={"question": consultation.public_question, "answer": consultation.public_answer},
        )


qa_index = QAIndex("regulatory-qa", {"question": 2.0, "answer": 1.0}, mode="lexical")


def search(text, *, top=50):
    """Published consultations that answer these words, best first."""
    results = qa_index.get().match(Query(id="qa", fields={"text": text}), top=top)
    by_id = {
        str(c.pk): c
        for c in RegulatoryConsultation.objects.published()
        .filter(pk__in=[r.document.id for r in results])
        .select_related("window__organization")
    }
    return [by_id[r.document.id] for r in results if r.document.id in by_id]
