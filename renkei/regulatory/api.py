"""Published regulatory Q&A: the anonymised questions and answers the askers agreed to
publish, never the question as asked nor who asked."""

from django.core.paginator import Paginator
from ninja import Field, Query, Router, Schema
from pydantic import ConfigDict

from renkei.lib.schemas import choice
from renkei.regulatory import indexes
from renkei.regulatory.models import RegulatoryConsultation, RegulatoryTopic

router = Router(tags=["regulatory"])


class ConsultationOut(Schema):
    id: int
    topic: str
    topic_label: str
    question: str = Field(description="公開用に匿名化した質問")
    answer: str = Field(description="公開用の回答")
    answered_by: str = Field(description="回答した窓口の機関")
    published_at: str
    url: str


class ConsultationListOut(Schema):
    count: int
    page: int
    pages: int
    results: list[ConsultationOut]


class ConsultationParams(Schema):
    model_config = ConfigDict(use_enum_values=True)

    q: str = Field("", max_length=200, description="言葉で検索")
    topic: choice(RegulatoryTopic) | None = None
    page: int = Field(1, ge=1)


def consultation_out(consultation, request):
    window = consultation.window
    return {
        "id": consultation.pk,
        "topic": consultation.topic,
        "topic_label": str(consultation.get_topic_display()),
        "question": consultation.public_question,
        "answer": consultation.public_answer,
        "answered_by": window.organization.name if window else "",
        "published_at": consultation.published_at.isoformat(),
        "url": request.build_absolute_uri(consultation.get_public_url()),
    }


@router.get(
    "/consultations",
    response=ConsultationListOut,
    summary="規制・特区相談の公開 Q&A（相談者が同意したものだけ、匿名）",
)
def consultations(request, params: Query[ConsultationParams]):
    if params.q.strip():
        items = indexes.search(params.q)
    else:
        items = list(
            RegulatoryConsultation.objects.published().select_related("window__organization")
        )
    if params.topic:
        items = [c for c in items if c.topic == params.topic]
    page = Paginator(items, 50).get_page(params.page)
    return {
        "count": page.paginator.count,
        "page": page.number,
        "pages": page.paginator.num_pages,
        "results": [consultation_out(c, request) for c in page],
    }
