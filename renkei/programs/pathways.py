"""Pathways (次の一手): which programs can carry a project to its next stage, and why."""

from django.utils.translation import gettext as _
from pydantic import Field, ValidationError

from renkei.lib.imports import Errors, pydantic_errors, read_yaml
from renkei.lib.schemas import Slug
from renkei.programs.models import Program, ProgramRelation, Stage
from renkei.programs.records import PathwayData

# Where a project at one stage goes next. Surveys and facilities support the main line
# 人材育成 → 研究開発 → 実証 → 社会実装・事業化.
NEXT_STAGES = {
    Stage.HUMAN_RESOURCES: [Stage.RESEARCH],
    Stage.SURVEY: [Stage.RESEARCH, Stage.DEMONSTRATION],
    Stage.RESEARCH: [Stage.DEMONSTRATION, Stage.FACILITIES],
    Stage.DEMONSTRATION: [Stage.IMPLEMENTATION, Stage.FACILITIES],
    Stage.FACILITIES: [Stage.IMPLEMENTATION],
    Stage.IMPLEMENTATION: [],
}


class PathwayRecord(PathwayData):
    """A pathway of pathways.yaml: a program's pathway (ProgramData.pathways) and the program
    it starts from."""

    from_: Slug = Field(alias="from")


def load_pathways(path):
    """Create the seeded pathways; every code must name a program."""
    errors = Errors(path.name)
    data = read_yaml(path)
    codes = set(Program.objects.values_list("code", flat=True))
    relations = []
    for index, item in enumerate(data.get("pathways") or []):
        try:
            record = PathwayRecord.model_validate(item)
        except ValidationError as exc:
            errors.extend(
                pydantic_errors(exc, path.name, item.get("__line__"), f"pathways[{index}]", item)
            )
            continue
        for column, code in (("from", record.from_), ("to", record.to)):
            if code not in codes:
                errors.add(
                    record.line, column, _("施策コード「%(c)s」がありません。") % {"c": code}
                )
        relations.append(record)
    errors.raise_if_any()
    programs = dict(Program.objects.values_list("code", "pk"))
    ProgramRelation.objects.bulk_create(
        ProgramRelation(
            from_program_id=programs[r.from_],
            to_program_id=programs[r.to],
            kind=r.kind,
            reason=r.reason,
            order=order,
        )
        for order, r in enumerate(relations)
    )
    return len(relations)


def next_programs(program):
    """The pathways out of ``program``, next stages first."""
    return (
        ProgramRelation.objects.filter(from_program=program)
        .select_related("to_program__ministry")
        .order_by("kind", "order")
    )


def for_stage(stage):
    """For a project at ``stage``: the programs of its next stages and the curated links
    out of the programs at this stage."""
    stages = NEXT_STAGES[Stage(stage)]
    programs = (
        Program.objects.filter(stage__in=stages)
        .select_related("ministry")
        .order_by("-accepts_new_projects", "menu_order", "name")
    )
    relations = (
        ProgramRelation.objects.filter(from_program__stage=stage)
        .select_related("from_program", "to_program__ministry")
        .order_by("from_program__menu_order", "order")
    )
    return stages, programs, relations
