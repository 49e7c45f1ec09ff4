"""Which windows to ask, nearest first (ADR 0007).

A window is *nationwide* when it says it takes questions from anywhere, or when its
organisation has no prefecture (a ministry); the others are *nearby* windows, ordered by
  1. same prefecture as the asker before other prefectures,
  2. great-circle distance from the asker's place (the municipality's office when given,
     else the prefectural capital) to the organisation's place (its municipality, else its
     prefecture's capital),
  3. windows that name the topic before general windows (総合窓口), then by name.
Nationwide windows follow, those naming the topic first.
"""

import math
from dataclasses import dataclass

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from renkei.regions.models import (
    ContactWindow,
    Municipality,
    Prefecture,
    Topic,
    distance_km,
    point_of,
)

NEARBY_LIMIT = 10


@dataclass
class Found:
    window: ContactWindow
    distance: float | None  # km
    same_prefecture: bool
    names_topic: bool

    @property
    def distance_label(self):
        if self.distance is None:
            return ""
        return _("約%(km)skm") % {"km": max(1, round(self.distance))}


@dataclass
class Answer:
    topic: Topic
    prefecture: Prefecture
    municipality: Municipality | None
    nearby: list
    nearby_total: int
    nationwide: list


class AskForm(forms.Form):
    topic = forms.ChoiceField(label=_("相談したいこと"), choices=Topic.choices)
    prefecture = forms.ModelChoiceField(
        label=_("どこから（都道府県）"),
        queryset=Prefecture.objects.all(),
        to_field_name="code",
        empty_label=_("選んでください"),
    )
    city = forms.CharField(
        label=_("市区町村（任意）"),
        max_length=40,
        required=False,
        help_text=_("例: 長岡市。書くと、より近い窓口から並べます。"),
    )

    def clean(self):
        data = super().clean()
        data["municipality"] = None
        name = (data.get("city") or "").strip()
        prefecture = data.get("prefecture")
        if name and prefecture:
            found = list(
                Municipality.objects.filter(prefecture=prefecture)
                .filter(Q(name=name) | Q(lg_code=name))
                .select_related("parent")[:2]
            )
            if len(found) != 1:
                self.add_error(
                    "city",
                    _("%(p)s に「%(n)s」という市区町村は見つかりません。")
                    % {"p": prefecture.name, "n": name},
                )
            else:
                data["municipality"] = found[0]
        return data


def _origin(prefecture, municipality):
    for place in (municipality, prefecture):
        if place is not None and place.latitude is not None and place.longitude is not None:
            return (place.latitude, place.longitude)
    return None


def windows_for(topic, prefecture, municipality=None, *, limit=NEARBY_LIMIT):
    """The windows to ask about ``topic`` from ``prefecture`` (and ``municipality``)."""
    origin = _origin(prefecture, municipality)
    windows = (
        ContactWindow.objects.listed()
        .handling(topic)
        .select_related("organization", "organization__prefecture", "organization__municipality")
        .with_topics()
    )
    nearby, nationwide = [], []
    for window in windows:
        organization = window.organization
        found = Found(
            window=window,
            distance=distance_km(origin, point_of(organization)),
            same_prefecture=organization.prefecture_id == prefecture.code,
            names_topic=any(link.topic == topic for link in window.topic_links.all()),
        )
        national = (
            window.scope == ContactWindow.Scope.NATIONWIDE or organization.prefecture_id is None
        )
        (nationwide if national else nearby).append(found)

    def far(found):
        return found.distance if found.distance is not None else math.inf

    nearby.sort(
        key=lambda f: (
            not f.same_prefecture,
            far(f),
            not f.names_topic,
            f.window.organization.name,
            f.window.department,
        )
    )
    nationwide.sort(
        key=lambda f: (
            not f.names_topic,
            not f.same_prefecture,
            far(f),
            f.window.organization.name,
            f.window.department,
        )
    )
    return Answer(
        topic=Topic(topic),
        prefecture=prefecture,
        municipality=municipality,
        nearby=nearby[:limit],
        nearby_total=len(nearby),
        nationwide=nationwide,
    )
