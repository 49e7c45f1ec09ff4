"""Which windows to ask, nearest first (ADR 0007).

A window is *nationwide* when it says it takes questions from anywhere, or when its
organisation has no prefecture (a ministry); the others are *nearby* windows, ordered by
  1. same prefecture as the asker before other prefectures,
  2. great-circle distance from the asker's place (the municipality's office when given,
     else the prefectural capital) to the organisation's place (its municipality, else its
     prefecture's capital),
  3. windows that name the topic before general windows (総合窓口), then by name.
Nationwide windows follow, those naming the topic first; each list shows its first ten.
"""

import math
from dataclasses import dataclass

from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from renkei.regions.models import (
    ContactWindow,
    Municipality,
    Prefecture,
    Topic,
    WindowTopic,
    distance_km,
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
    nationwide_total: int


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


def _point(row, prefix):
    latitude, longitude = row[f"{prefix}latitude"], row[f"{prefix}longitude"]
    return (latitude, longitude) if latitude is not None and longitude is not None else None


def windows_for(topic, prefecture, municipality=None, *, limit=NEARBY_LIMIT):
    """The windows to ask about ``topic`` from ``prefecture`` (and ``municipality``).

    Ranks every candidate from a few plain columns (no objects), then loads only the
    windows it shows: ``limit`` nearby ones and ``limit`` nationwide ones."""
    origin = _origin(prefecture, municipality)
    rows = (
        ContactWindow.objects.listed()
        .handling(topic)
        .annotate(
            names_topic=Exists(WindowTopic.objects.filter(window=OuterRef("pk"), topic=topic))
        )
        .values(
            "pk",
            "scope",
            "department",
            "names_topic",
            "organization__name",
            "organization__prefecture_id",
            "organization__municipality__latitude",
            "organization__municipality__longitude",
            "organization__prefecture__latitude",
            "organization__prefecture__longitude",
        )
    )
    nearby, nationwide = [], []
    for row in rows:
        point = _point(row, "organization__municipality__") or _point(
            row, "organization__prefecture__"
        )
        distance = distance_km(origin, point)
        same = row["organization__prefecture_id"] == prefecture.code
        far = distance if distance is not None else math.inf
        names = (row["organization__name"], row["department"])
        if row["scope"] == ContactWindow.Scope.NATIONWIDE or not row["organization__prefecture_id"]:
            nationwide.append(((not row["names_topic"], not same, far, *names), row, distance))
        else:
            nearby.append(((not same, far, not row["names_topic"], *names), row, distance))
    nearby.sort(key=lambda item: item[0])
    nationwide.sort(key=lambda item: item[0])
    shown = nearby[:limit] + nationwide[:limit]
    windows = (
        ContactWindow.objects.filter(pk__in=[row["pk"] for _key, row, _d in shown])
        .select_related("organization", "organization__prefecture", "organization__municipality")
        .with_topics()
        .in_bulk()
    )

    def found(items):
        return [
            Found(
                window=windows[row["pk"]],
                distance=distance,
                same_prefecture=row["organization__prefecture_id"] == prefecture.code,
                names_topic=row["names_topic"],
            )
            for _key, row, distance in items
        ]

    return Answer(
        topic=Topic(topic),
        prefecture=prefecture,
        municipality=municipality,
        nearby=found(nearby[:limit]),
        nearby_total=len(nearby),
        nationwide=found(nationwide[:limit]),
        nationwide_total=len(nationwide),
    )
