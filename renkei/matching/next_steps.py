"""The next step funded (ADR 0009): when a collaboration is agreed, the programs of the
navigator that fit its stage and each party's applicant type, with the reason.

The collaboration's stage is the later of the seed's stage and what the agreement implies
(a licence is a step toward putting a technology to use; 試作・実証 is a demonstration); the
programs proposed are those of that stage and the next ones (programs.pathways), for each
party as the support menu numbers applicants: ① the university or research institute of
the seed, ② the company, cooperative or association that asked, ③ a municipality that
asked. Curated pathways (次の一手) out of programs of the stage add their own reason."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from renkei.matching.models import Need, Outcome
from renkei.programs.models import ApplicantType, Program, ProgramRelation, Stage
from renkei.programs.pathways import NEXT_STAGES

# the main line of programs.pathways, earliest first
ORDER = [
    Stage.HUMAN_RESOURCES,
    Stage.SURVEY,
    Stage.RESEARCH,
    Stage.DEMONSTRATION,
    Stage.FACILITIES,
    Stage.IMPLEMENTATION,
]
SEED_STAGE = {
    "basic": Stage.RESEARCH,
    "applied": Stage.RESEARCH,
    "demonstration": Stage.DEMONSTRATION,
    "practical": Stage.IMPLEMENTATION,
}
OUTCOME_STAGE = {
    Outcome.JOINT_RESEARCH: Stage.RESEARCH,
    Outcome.CONTRACT_RESEARCH: Stage.RESEARCH,
    Outcome.PROTOTYPE: Stage.DEMONSTRATION,
    Outcome.LICENSE: Stage.IMPLEMENTATION,
}
SUBMITTER_APPLICANT = {
    Need.SubmitterKind.COMPANY: ApplicantType.COMPANY,
    Need.SubmitterKind.SME: ApplicantType.COMPANY,
    Need.SubmitterKind.JA: ApplicantType.COMPANY,
    Need.SubmitterKind.FISHERY_COOPERATIVE: ApplicantType.COMPANY,
    Need.SubmitterKind.ASSOCIATION: ApplicantType.COMPANY,
    Need.SubmitterKind.LOCAL_GOVERNMENT: ApplicantType.LOCAL_GOVERNMENT,
}
ORGANIZATION_APPLICANT = {
    "university": ApplicantType.UNIVERSITY,
    "research_institute": ApplicantType.UNIVERSITY,
    "company": ApplicantType.COMPANY,
    "local_government": ApplicantType.LOCAL_GOVERNMENT,
}
PER_PARTY = 4


@dataclass
class Suggestion:
    program: Program
    reason: str


@dataclass
class Party:
    name: str
    applicant: ApplicantType
    suggestions: list = field(default_factory=list)

    @property
    def applicant_label(self):
        return self.applicant.label


def collaboration_stage(seed_stage, outcome):
    stages = [SEED_STAGE.get(seed_stage, Stage.RESEARCH)]
    if outcome in OUTCOME_STAGE:
        stages.append(OUTCOME_STAGE[Outcome(outcome)])
    return max(stages, key=ORDER.index)


def parties(need, seed):
    """(name, applicant type) of each side that can apply, the seed's side first."""
    found = []
    seed_side = ORGANIZATION_APPLICANT.get(seed.organization.kind)
    if seed_side:
        found.append((seed.organization.name, seed_side))
    need_side = SUBMITTER_APPLICANT.get(need.submitter_kind)
    if need_side:
        name = need.submitter_organization or need.get_submitter_kind_display()
        found.append((name, need_side))
    return found


def suggest(stage, applicant, *, limit=PER_PARTY):
    """The programs for ``applicant`` at ``stage`` and its next stages, with the reason."""
    stage = Stage(stage)
    stages = [stage, *NEXT_STAGES[stage]]
    curated = {
        relation.to_program_id: relation.reason
        for relation in ProgramRelation.objects.filter(
            from_program__stage=stage, kind=ProgramRelation.Kind.NEXT_STAGE
        )
    }
    programs = (
        Program.objects.for_applicant(applicant)
        .filter(stage__in=stages)
        .exclude(accepts_new_projects=False)
        .select_related("ministry")
        .order_by("-accepts_new_projects", "menu_order", "name")
    )
    ranked = sorted(
        programs,
        key=lambda p: (p.pk not in curated, stages.index(Stage(p.stage)) == 0, p.menu_order),
    )
    suggestions = []
    for program in ranked[:limit]:
        program_stage = Stage(program.stage)
        if program_stage == stage:
            reason = _("%(applicant)sが申請できる、いまの段階（%(stage)s）を支える施策です。") % {
                "applicant": ApplicantType(applicant).label,
                "stage": stage.label,
            }
        else:
            reason = _(
                "%(applicant)sが申請できる、次の段階（%(next)s）へ進むための施策です"
                "（いまの段階: %(stage)s）。"
            ) % {
                "applicant": ApplicantType(applicant).label,
                "next": program_stage.label,
                "stage": stage.label,
            }
        if program.pk in curated:
            reason += " " + curated[program.pk]
        suggestions.append(Suggestion(program=program, reason=reason))
    return suggestions


def for_proposal(proposal, outcome=None):
    """[Party with suggestions] for an agreed proposal (its outcome read from its steps
    unless given)."""
    if outcome is None:
        step = proposal.steps.filter(kind="outcome").first()
        outcome = step.outcome if step else ""
    stage = collaboration_stage(proposal.seed.stage, outcome)
    found = []
    for name, applicant in parties(proposal.need, proposal.seed):
        party = Party(name=name, applicant=applicant)
        party.suggestions = suggest(stage, applicant)
        found.append(party)
    return found
