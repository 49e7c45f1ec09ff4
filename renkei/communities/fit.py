"""Which support programs fit a community, each with the reasons it was chosen.

A program is listed only when someone in the community can apply to it and its score
reaches ``THRESHOLD``; words shared with the community's themes no longer count (they
listed 11 of 12 programs on weak matches). The reasons, all shown on the page:

- **applicant type** (required): a member the program takes as applicant — a university or
  research institute for ①, a company for ②, a prefecture or municipality for ③;
- **market area**: the program's market area is one of the community's Bio Strategy market
  areas (2 points), or the program is 市場領域横断 (1 point);
- **stage**: the program's stage suits the community's assessed maturity stage (1 point).

So a program of the community's own market area fits; a cross-market program fits when it
also suits the community's stage. Programs that take no new projects (新規課題採択 無) are
left out: nobody can apply to them, and so are drafts of a coming fiscal year (they are
not in the catalogue until published, ADR 0008).
"""

from collections import defaultdict
from dataclasses import dataclass

from django.core.exceptions import ObjectDoesNotExist
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from renkei.programs.models import ApplicantType, MarketArea, Program, Stage

THRESHOLD = 2
SAME_MARKET_AREA, CROSS_MARKET, STAGE = 2, 1, 1

# The program stages that suit each maturity stage (ADR 0003: 1 形成期 … 5 成熟期).
STAGES_FOR_MATURITY = {
    1: {Stage.SURVEY, Stage.HUMAN_RESOURCES},
    2: {Stage.HUMAN_RESOURCES, Stage.RESEARCH},
    3: {Stage.RESEARCH, Stage.DEMONSTRATION, Stage.FACILITIES},
    4: {Stage.DEMONSTRATION, Stage.IMPLEMENTATION, Stage.FACILITIES},
    5: {Stage.IMPLEMENTATION},
}
MATURITY_LABELS = {  # as renkei.maturity.snapshots.STAGES names them
    1: gettext_lazy("形成期"),
    2: gettext_lazy("立ち上がり期"),
    3: gettext_lazy("成長期"),
    4: gettext_lazy("発展期"),
    5: gettext_lazy("成熟期"),
}
# Who may apply as each applicant type, by the kind of organisation.
APPLICANT_KINDS = {
    ApplicantType.UNIVERSITY: {"university", "research_institute"},
    ApplicantType.COMPANY: {"company"},
    ApplicantType.LOCAL_GOVERNMENT: {"local_government"},
}


@dataclass
class Fit:
    program: Program
    score: int
    reasons: list  # sentences, in the order applicant, market area, stage


def maturity_stage(community):
    """The community's assessed stage (1–5) from its maturity snapshot, or None."""
    try:
        return community.maturity.stage  # the snapshot the maturity app keeps for it
    except ObjectDoesNotExist:
        return None


def _applicants(community):
    """ApplicantType → the names of members who can apply as it."""
    found = defaultdict(list)
    members = community.members.filter(left_on__isnull=True).select_related("organization")
    for member in members:
        for applicant, kinds in APPLICANT_KINDS.items():
            if member.organization.kind in kinds:
                found[applicant].append(member.organization.name)
    return found


def _names(names):
    shown = "、".join(names[:2])
    if len(names) > 2:
        return ngettext("%(names)sほか %(n)s 機関", "%(names)sほか %(n)s 機関", len(names) - 2) % {
            "names": shown,
            "n": len(names) - 2,
        }
    return shown


def fit(program, *, applicants, areas, stage):
    """The Fit of one program, or None when nobody can apply or the score is too low."""
    who = [(t, applicants[t]) for t in program.applicant_types if applicants.get(t)]
    if not who or program.accepts_new_projects is False:
        return None
    applicant, names = who[0]
    reasons = [
        _("申請主体「%(type)s」: 構成機関の%(names)sが申請できます")
        % {"type": ApplicantType(applicant).label, "names": _names(names)}
    ]
    score = 0
    if program.market_area and program.market_area in areas:
        score += SAME_MARKET_AREA
        reasons.append(
            _("市場領域「%(area)s」: このコミュニティの市場領域（%(mine)s）と同じです")
            % {
                "area": program.get_market_area_display(),
                "mine": "、".join(areas[program.market_area]),
            }
        )
    elif program.market_area == MarketArea.CROSS_MARKET:
        score += CROSS_MARKET
        reasons.append(_("市場領域横断の施策で、どの市場領域でも使えます"))
    if stage and program.stage in STAGES_FOR_MATURITY.get(stage, ()):
        score += STAGE
        reasons.append(
            _("段階「%(program_stage)s」: コミュニティの成熟度（段階 %(n)s %(label)s）に合います")
            % {
                "program_stage": program.get_stage_display(),
                "n": stage,
                "label": MATURITY_LABELS[stage],
            }
        )
    if score < THRESHOLD:
        return None
    return Fit(program=program, score=score, reasons=reasons)


def programs_for(community, limit=12):
    """The Fits of the programs that fit the community, best first (then those taking new
    projects, then the menu's order)."""
    applicants = _applicants(community)
    if not applicants:
        return []
    areas = defaultdict(list)
    for area in community.market_areas.all():
        areas[area.group].append(area.name)
    stage = maturity_stage(community)
    fits = [
        found
        for program in Program.objects.select_related("ministry")
        if (found := fit(program, applicants=applicants, areas=areas, stage=stage))
    ]
    fits.sort(
        key=lambda f: (
            -f.score,
            f.program.accepts_new_projects is not True,
            f.program.menu_order,
            f.program.name,
        )
    )
    return fits[:limit]
