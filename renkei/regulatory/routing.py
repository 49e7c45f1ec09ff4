"""Which window a regulatory question goes to (ADR 0009 §5).

Among the listed windows that handle 規制・特区 (or are 総合窓口, which take anything), in
this order:
  0. for a topic prefectures and municipalities administer (食品表示, 薬機, 農地, 漁業権,
     廃棄物, 特区制度, その他): a local government's window in the asker's prefecture;
  1. the ministries the topic's table lists, in its order (e.g. 遺伝子組換え・ゲノム編集 →
     農林水産省, 環境省, 文部科学省, 厚生労働省);
  2. another window in the asker's prefecture that names 規制・特区 (a university's or a
     support body's regulatory desk);
  3. a window that takes regulatory questions from anywhere;
windows that name 規制・特区 before general ones, then nearest first. None found: the
secretariat routes it by hand.
"""

import math
from dataclasses import dataclass

from renkei.regions.models import ContactWindow, Organization, Topic, distance_km
from renkei.regulatory.models import RegulatoryTopic


@dataclass(frozen=True)
class Rule:
    local: bool  # prefectures and municipalities administer it
    ministries: tuple  # organisation codes, most concerned first


RULES = {
    RegulatoryTopic.FOOD_LABELLING: Rule(True, ("mhlw", "maff")),
    RegulatoryTopic.PHARMACEUTICAL: Rule(True, ("mhlw",)),
    RegulatoryTopic.GMO_GENOME: Rule(False, ("maff", "env", "mext", "mhlw")),
    RegulatoryTopic.FARMLAND: Rule(True, ("maff",)),
    RegulatoryTopic.FISHERY_RIGHTS: Rule(True, ("maff",)),
    RegulatoryTopic.WASTE: Rule(True, ("env",)),
    RegulatoryTopic.SPECIAL_ZONE: Rule(True, ("cao",)),
    RegulatoryTopic.OTHER: Rule(True, ()),
}


def _names_regulation(window):
    return any(link.topic == Topic.REGULATION for link in window.topic_links.all())


def candidates(topic, prefecture):
    """The windows for ``topic`` from ``prefecture``, best first."""
    rule = RULES[RegulatoryTopic(topic)]
    origin = _point(prefecture)
    windows = (
        ContactWindow.objects.listed()
        .handling(Topic.REGULATION)
        .select_related("organization__prefecture", "organization__municipality")
        .with_topics()
    )
    ranked = []
    for window in windows:
        organization = window.organization
        same = organization.prefecture_id == prefecture.pk
        named = _names_regulation(window)
        ministry = (
            rule.ministries.index(organization.code)
            if organization.kind == Organization.Kind.MINISTRY
            and organization.code in rule.ministries
            else None
        )
        if rule.local and same and organization.kind == Organization.Kind.LOCAL_GOVERNMENT:
            tier = 0
        elif ministry is not None:
            tier = 1
        elif same and named:
            tier = 2
        elif named and (
            window.scope == ContactWindow.Scope.NATIONWIDE or organization.prefecture_id is None
        ):
            tier = 3
        else:
            continue
        distance = distance_km(origin, point_of(organization))
        key = (
            tier,
            ministry or 0,
            not named,
            distance if distance is not None else math.inf,
            organization.name,
            window.pk,
        )
        ranked.append((key, window))
    ranked.sort(key=lambda item: item[0])
    return [window for _key, window in ranked]


def _point(place):
    if place is None or place.latitude is None or place.longitude is None:
        return None
    return (place.latitude, place.longitude)


def point_of(organization):
    """Where an organisation is: its municipality, else its prefecture's capital."""
    return _point(organization.municipality) or _point(organization.prefecture)


def route_for(consultation):
    """The window a consultation goes to, or None (the secretariat routes it)."""
    found = candidates(consultation.topic, consultation.prefecture)
    return found[0] if found else None
