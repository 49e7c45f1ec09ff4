"""A researcher's contribution record (社会貢献の記録), read from the portal's records — never
typed, except council roles — each item with its evidence (ADR 0009 §6).

A researcher's seeds are their organisation's seeds naming them by researchmap id, KAKEN id
or researcher address, or, for a seed naming no id, by their name. Their expert profiles
are those with the same ids, address or account. From these:

- introductions, meetings and agreements (by type): the steps of the proposals of their
  seeds (renkei.matching: the step's id, date and who recorded it are the evidence);
- consultations answered: the consultations of their expert profiles, and the regulatory
  consultations their account answered;
- expert roles: their profiles and the needs assigned to them;
- council roles: recorded by their liaison office, each naming a council of the portal.
"""

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from renkei.experts.models import Assignment, Consultation, Expert
from renkei.matching.models import AGREEMENTS, Outcome, Seed, Step
from renkei.regulatory.models import RegulatoryConsultation

CATEGORIES = {
    "consultation": _("専門家としての相談対応"),
    "regulatory": _("規制・特区相談への回答"),
    "introduction": _("シーズの紹介"),
    "meeting": _("相談者との面談"),
    "agreement": _("合意"),
    "expert_role": _("専門家・コーディネーターとしての登録"),
    "assignment": _("専門家としてのご相談の担当"),
    "council_role": _("協議会での役割"),
}


@dataclass
class Item:
    on: object  # a date
    category: str
    detail: str  # for the researcher and their liaison office
    public_detail: str  # for everyone, once the researcher consented
    evidence: str  # where in the portal it is recorded (a path), for those who see inside
    public_evidence: str = ""
    evidence_label: str = ""
    recorded_by: str = ""
    kind: str = ""  # the agreement's type, the consultation's outcome
    order: int = 0  # within a day: the order things were recorded in

    @property
    def label(self):
        return CATEGORIES[self.category]


@dataclass
class Record:
    researcher: object
    seeds: list
    items: list = field(default_factory=list)

    def count(self, *categories):
        return sum(1 for item in self.items if item.category in categories)

    @property
    def summary(self):
        by_type = Counter(item.kind for item in self.items if item.category == "agreement")
        return {
            "consultations": self.count("consultation", "regulatory"),
            "introductions": self.count("introduction"),
            "meetings": self.count("meeting"),
            "agreements": self.count("agreement"),
            "agreements_by_type": [(o.label, by_type.get(str(o.label), 0)) for o in AGREEMENTS],
            "expert_roles": self.count("expert_role", "assignment"),
            "council_roles": self.count("council_role"),
        }


def _plain(name):
    return "".join((name or "").split())


def seeds_of(researcher):
    identified = Q()
    if researcher.researchmap_id:
        identified |= Q(researchmap_id=researcher.researchmap_id)
    if researcher.kaken_id:
        identified |= Q(kaken_id=researcher.kaken_id)
    if researcher.email:
        identified |= Q(researcher_email__iexact=researcher.email)
    seeds = Seed.objects.filter(organization=researcher.organization)
    found = list(seeds.filter(identified)) if identified else []
    unnamed = seeds.filter(researchmap_id="", kaken_id="", researcher_email="")
    found += [s for s in unnamed if _plain(s.researcher_name) == _plain(researcher.name)]
    return sorted({s.pk: s for s in found}.values(), key=lambda s: s.pk)


def experts_of(researcher):
    identified = Q(pk__in=[])
    if researcher.researchmap_id:
        identified |= Q(researchmap_id=researcher.researchmap_id)
    if researcher.kaken_id:
        identified |= Q(kaken_id=researcher.kaken_id)
    if researcher.email:
        identified |= Q(email__iexact=researcher.email) | Q(user__email__iexact=researcher.email)
    return list(Expert.objects.filter(identified))


def _day(value):
    return timezone.localtime(value).date() if hasattr(value, "tzinfo") and value.tzinfo else value


def record_of(researcher):
    seeds = seeds_of(researcher)
    record = Record(researcher=researcher, seeds=seeds)
    items = record.items
    steps = (
        Step.objects.filter(
            proposal__seed__in=seeds,
            kind__in=[Step.Kind.INTRODUCED, Step.Kind.MEETING, Step.Kind.OUTCOME],
        )
        .exclude(kind=Step.Kind.OUTCOME, outcome=Outcome.NOT_CONCLUDED)
        .select_related("need", "proposal__seed")
        .order_by("on", "pk")
    )
    for step in steps:
        need, seed = step.need, step.proposal.seed
        category = {
            Step.Kind.INTRODUCED: "introduction",
            Step.Kind.MEETING: "meeting",
            Step.Kind.OUTCOME: "agreement",
        }[step.kind]
        kind = str(step.get_outcome_display()) if step.outcome else ""
        items.append(
            Item(
                on=step.on,
                category=category,
                kind=kind,
                detail=_("シーズ「%(seed)s」→ ご相談「%(need)s」（%(pref)s・%(who)s）")
                % {
                    "seed": seed.title,
                    "need": need.title,
                    "pref": need.prefecture_id and need.prefecture.name,
                    "who": need.get_submitter_kind_display(),
                },
                public_detail=_("シーズ「%(seed)s」→ %(who)sからのご相談")
                % {"seed": seed.title, "who": need.get_submitter_kind_display()},
                # the proposal's page: its seed's organisation and the need's coordinators
                evidence=f"{step.proposal.get_absolute_url()}#step-{step.pk}",
                order=step.pk,
                public_evidence=seed.get_absolute_url(),
                evidence_label=_("ご相談の経過 %(id)s") % {"id": step.pk},
                recorded_by=step.by_label,
            )
        )
    experts = experts_of(researcher)
    for expert in experts:
        items.append(
            Item(
                on=_day(expert.created_at),
                category="expert_role",
                kind=str(expert.get_kind_display()),
                detail=expert.expertise[:120],
                public_detail=str(expert.get_kind_display()),
                evidence=expert.get_absolute_url(),
                public_evidence=expert.get_absolute_url() if expert.public else "",
                evidence_label=_("専門家のページ"),
            )
        )
    for assignment in Assignment.objects.filter(expert__in=experts).select_related("need"):
        items.append(
            Item(
                on=_day(assignment.assigned_at),
                category="assignment",
                detail=_("ご相談「%(need)s」") % {"need": assignment.need.title},
                public_detail=str(CATEGORIES["assignment"]),
                evidence=assignment.need.get_absolute_url(),
                evidence_label=_("ご相談のページ"),
                recorded_by=str(assignment.assigned_by),
            )
        )
    for consultation in Consultation.objects.filter(expert__in=experts).select_related(
        "recorded_by"
    ):
        items.append(
            Item(
                on=consultation.held_on,
                category="consultation",
                kind=str(consultation.get_outcome_display()),
                detail=_("%(topic)s（%(who)s）")
                % {"topic": consultation.topic, "who": consultation.get_asker_kind_display()},
                public_detail=_("%(who)sからの相談")
                % {"who": consultation.get_asker_kind_display()},
                evidence=consultation.expert.get_absolute_url(),
                evidence_label=_("相談の記録 %(id)s") % {"id": consultation.pk},
                recorded_by=str(consultation.recorded_by),
            )
        )
    if researcher.email:
        answered = RegulatoryConsultation.objects.filter(
            answered_by__email__iexact=researcher.email, answered_at__isnull=False
        )
        for consultation in answered:
            public = consultation.get_public_url() if consultation.is_published else ""
            items.append(
                Item(
                    on=_day(consultation.answered_at),
                    category="regulatory",
                    kind=str(consultation.get_topic_display()),
                    detail=consultation.title,
                    public_detail=str(consultation.get_topic_display()),
                    evidence=consultation.get_absolute_url(),
                    public_evidence=public,
                    evidence_label=_("規制・特区相談 %(id)s") % {"id": consultation.pk},
                )
            )
    for role in researcher.council_roles.select_related("council", "recorded_by"):
        council = role.council
        items.append(
            Item(
                on=role.since,
                category="council_role",
                kind=str(role.get_role_display()),
                detail=_("%(council)s（%(role)s）")
                % {"council": council.name, "role": role.get_role_display()},
                public_detail=_("%(council)s（%(role)s）")
                % {"council": council.name, "role": role.get_role_display()},
                evidence=council.get_absolute_url(),
                public_evidence=council.get_absolute_url() if council.is_public else "",
                evidence_label=_("協議会のページ"),
                recorded_by=str(role.recorded_by),
            )
        )
    items.sort(key=lambda item: (item.on, item.order, item.category))
    return record
