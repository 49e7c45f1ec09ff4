"""A survey's results: aggregates per question (from the responses, or as a published
document gives them), charts, per-organisation answers and the rows of the exports."""

import statistics
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from renkei.councils.models import Question, Survey
from renkei.lib.charts import horizontal_bars


@dataclass
class OptionCount:
    option: str
    count: int
    percent: int | None
    derived: bool = False  # worked out from the published figures, not printed in them


@dataclass
class QuestionResult:
    question: Question
    answered: int  # organisations that answered this question
    base: int  # what the percentages are of
    options: list[OptionCount] = field(default_factory=list)
    numbers: dict = field(default_factory=dict)  # n, total, mean, median, min, max
    texts: list = field(default_factory=list)  # (organisation, text), when shown
    items: list = field(default_factory=list)  # published summary items
    items_note: str = ""
    note: str = ""
    published: bool = False

    @property
    def chart(self):
        if not self.options:
            return None
        return horizontal_bars(
            self.question.text,
            [(o.option, o.count, _label(o)) for o in self.options],
        )

    @property
    def has_figures(self):
        return bool(self.options or self.numbers or self.texts or self.items)


def _label(option):
    if option.percent is None:
        return str(option.count)
    return _("%(count)s（%(percent)s%%）") % {"count": option.count, "percent": option.percent}


def _percent(count, base):
    return round(100 * count / base) if base else None


def answer_text(question, value):
    """One answer as a cell of a table or an export."""
    if value in (None, "", []):
        return ""
    if question.kind == Question.Kind.MULTIPLE:
        return "、".join(value)
    return str(value)


def _number(value):
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def _plain(number):
    number = Decimal(number)
    if number == number.to_integral_value():
        return int(number)
    return float(round(number, 2))


def _from_responses(question, responses, with_texts):
    values = [(r.organization, r.answers.get(question.key)) for r in responses]
    values = [(o, v) for o, v in values if v not in (None, "", [])]
    result = QuestionResult(question=question, answered=len(values), base=len(values))
    if question.is_choice:
        counts = dict.fromkeys(question.options, 0)
        for _organization, value in values:
            for choice in value if isinstance(value, list) else [value]:
                if choice in counts:
                    counts[choice] += 1
        result.options = [
            OptionCount(option, count, _percent(count, len(values)))
            for option, count in counts.items()
        ]
    elif question.kind == Question.Kind.NUMBER:
        numbers = [n for n in (_number(v) for _o, v in values) if n is not None]
        if numbers:
            result.numbers = {
                "n": len(numbers),
                "total": _plain(sum(numbers)),
                "mean": _plain(sum(numbers) / len(numbers)),
                "median": _plain(statistics.median(numbers)),
                "min": _plain(min(numbers)),
                "max": _plain(max(numbers)),
            }
    elif with_texts:
        result.texts = [(organization, value) for organization, value in values]
    return result


def _from_published(question, population):
    figures = question.published_figures or {}
    counts = figures.get("counts", {})
    derived = set(figures.get("derived", []))
    base = population or sum(counts.values())
    return QuestionResult(
        question=question,
        answered=sum(counts.values()),
        base=base,
        options=[
            OptionCount(option, count, _percent(count, base), option in derived)
            for option, count in counts.items()
        ],
        items=list(figures.get("items", [])),
        items_note=figures.get("items_note", ""),
        note=figures.get("note", ""),
        published=True,
    )


def survey_results(survey, *, with_texts=False):
    """Every question's result. Free-text answers name their organisation, so they are given
    only when ``with_texts`` (the secretariat, or a survey that publishes its answers)."""
    questions = list(survey.questions.all())
    if survey.origin == Survey.Origin.PUBLISHED:
        return [_from_published(q, survey.population) for q in questions]
    responses = list(survey.responses.select_related("organization"))
    return [_from_responses(q, responses, with_texts) for q in questions]


# --- exports -------------------------------------------------------------------------------


def answer_rows(survey):
    """(header, rows) of the per-organisation answers: one row per responding organisation."""
    questions = list(survey.questions.all())
    header = ["organization", "code", "submitted_at", "updated_at"] + [
        f"Q{number}. {q.text}" for number, q in enumerate(questions, start=1)
    ]
    rows = []
    for response in survey.responses.select_related("organization"):
        organization = response.organization
        row = {
            "organization": organization.name,
            "code": organization.lg_code or organization.school_code or organization.code or "",
            "submitted_at": response.submitted_at.isoformat(),
            "updated_at": response.updated_at.isoformat(),
        }
        for number, question in enumerate(questions, start=1):
            row[f"Q{number}. {question.text}"] = answer_text(
                question, response.answers.get(question.key)
            )
        rows.append(row)
    return header, rows


AGGREGATE_HEADER = ["question", "kind", "option", "count", "percent", "statistic", "value", "note"]


def aggregate_rows(survey):
    """(header, rows) of the aggregates: one row per option or statistic."""
    rows = []
    for number, result in enumerate(survey_results(survey), start=1):
        question = f"Q{number}. {result.question.text}"
        kind = result.question.kind
        for option in result.options:
            rows.append(
                {
                    "question": question,
                    "kind": kind,
                    "option": option.option,
                    "count": option.count,
                    "percent": "" if option.percent is None else option.percent,
                    "note": result.note,
                }
            )
        for statistic, value in result.numbers.items():
            rows.append(
                {"question": question, "kind": kind, "statistic": statistic, "value": value}
            )
        for item in result.items:
            rows.append({"question": question, "kind": kind, "value": item, "note": result.note})
        if not result.has_figures:
            rows.append({"question": question, "kind": kind, "note": result.note})
    return AGGREGATE_HEADER, rows
