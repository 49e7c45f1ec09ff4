"""Load the communities of the source's first table, enriched with bio_communities.json."""

import datetime
import json
import zoneinfo

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from pydantic import Field, ValidationError, model_validator

from renkei.communities.models import (
    Application,
    CertificationRound,
    Community,
    CommunityFact,
    CommunityMember,
    CommunityStatusEvent,
    StrategyMarketArea,
)
from renkei.lib.imports import (
    DataImportError,
    Errors,
    RowError,
    pydantic_errors,
    read_text,
    read_yaml,
)
from renkei.lib.schemas import Record, Slug, Text
from renkei.regions import resolve
from renkei.regions.models import Municipality, Organization, Prefecture

JST = zoneinfo.ZoneInfo("Asia/Tokyo")


class OrganizationRecord(Record):
    name: Text
    short_name: str = ""
    kind: Organization.Kind
    prefecture: str | None = None
    note: str = ""


class MemberRecord(Record):
    as_written: str = ""
    json_name: str = ""
    university: str = ""
    local_government: str = ""
    organization: str = ""
    role: CommunityMember.Role
    note: str = ""

    @model_validator(mode="after")
    def one_target(self):
        targets = [t for t in (self.university, self.local_government, self.organization) if t]
        if len(targets) != 1:
            raise ValueError(
                _("university / local_government / organization のどれか1つを指定してください。")
            )
        return self


class CommunityRecord(Record):
    key: Text
    slug: Slug
    name: Text
    kind: Community.Kind
    status: Community.Status
    table_order: int | None = Field(None, ge=1)
    status_date_note: str = ""
    prefectures: list[str] = Field(min_length=1)
    network_organization: str = ""
    members_as_listed: str = ""
    overview: str = ""
    themes: str = ""
    members: list[MemberRecord] = []
    market_areas: list[int] = []


def _records(data, key, model, errors):
    out = []
    for index, item in enumerate(data.get(key) or []):
        line = item.get("__line__") if isinstance(item, dict) else None
        try:
            out.append(model.model_validate(item))
        except ValidationError as exc:
            errors.extend(
                pydantic_errors(exc, errors.source, line, prefix=f"{key}[{index}]", data=item)
            )
    return out


def _date(value):
    try:
        return datetime.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def parse_communities(yaml_path, json_path):
    errors = Errors(yaml_path.name)
    data = read_yaml(yaml_path)
    organizations = _records(data, "organizations", OrganizationRecord, errors)
    communities = _records(data, "communities", CommunityRecord, errors)
    try:
        facts = json.loads(read_text(json_path))
    except json.JSONDecodeError as exc:
        raise DataImportError(
            [
                RowError(
                    json_path.name,
                    exc.lineno,
                    "",
                    _("JSON の形式が正しくありません: %(e)s") % {"e": exc.msg},
                )
            ]
        ) from exc
    by_key = {c["key"]: c for c in facts.get("communities", [])}
    seen_keys, seen_slugs = set(), set()
    for community in communities:
        for value, seen, column in (
            (community.key, seen_keys, "key"),
            (community.slug, seen_slugs, "slug"),
        ):
            if value in seen:
                errors.add(community.line, column, _("「%(v)s」が重複しています。") % {"v": value})
            seen.add(value)
        if community.key not in by_key and community.table_order is None:
            errors.add(
                community.line,
                "key",
                _("%(k)s は原資料の表にも JSON にもありません。") % {"k": community.key},
            )
        named = (by_key.get(community.key) or {}).get("named_members", [])
        covered = {m.json_name for m in community.members if m.json_name}
        for name in named:
            if name not in covered:
                errors.add(
                    community.line,
                    "members",
                    _("JSON の構成機関「%(n)s」が members で扱われていません。") % {"n": name},
                )
        for name in covered - set(named):
            errors.add(
                community.line,
                "members",
                _("json_name「%(n)s」は JSON の named_members にありません。") % {"n": name},
            )
    for key in set(by_key) - seen_keys:
        errors.add(
            None,
            "communities",
            _("JSON のコミュニティ「%(k)s」が YAML にありません。") % {"k": key},
        )
    errors.raise_if_any()
    return data, organizations, communities, by_key


def check_references(yaml_name, organizations, communities, universities, local_governments):
    """Every name a record points at exists: universities (active names), local governments
    ("県名" or "県名+市町村名"), organisations defined in the file, prefectures."""
    errors = Errors(yaml_name)
    defined = {o.name for o in organizations}
    prefectures = {name for name in local_governments if name.endswith(("都", "道", "府", "県"))}
    for record in organizations:
        if record.prefecture and record.prefecture not in prefectures:
            errors.add(
                record.line,
                "prefecture",
                _("都道府県「%(n)s」が見つかりません。") % {"n": record.prefecture},
            )
    for community in communities:
        for name in community.prefectures:
            if name not in prefectures:
                errors.add(
                    community.line,
                    "prefectures",
                    _("都道府県「%(n)s」が見つかりません。") % {"n": name},
                )
        if community.network_organization and community.network_organization not in defined:
            errors.add(
                community.line,
                "network_organization",
                _("機関「%(n)s」が定義されていません。") % {"n": community.network_organization},
            )
        for member in community.members:
            if member.university and member.university not in universities:
                message = _("学校コード一覧に「%(n)s」がありません。") % {"n": member.university}
            elif member.local_government and member.local_government not in local_governments:
                message = _("地方公共団体「%(n)s」が見つかりません。") % {
                    "n": member.local_government
                }
            elif member.organization and member.organization not in defined:
                message = _("機関「%(n)s」が定義されていません。") % {"n": member.organization}
            else:
                continue
            errors.add(member.line, "members", message)
    errors.raise_if_any()


def local_government_names(prefectures, municipalities):
    """'山形県' and '山形県鶴岡市' style names of every prefecture and municipality."""
    names = {p.name for p in prefectures}
    names |= {m.prefecture.name + m.name for m in municipalities if m.kind != "ward"}
    return names


def _facts_from_json(entry):
    """Published figures of one JSON entry as (label, value, number, as_of) rows.

    Labels are stored in Japanese and translated when shown ({% translate fact.label %}).
    """
    rows = []
    if entry.get("founded_on"):
        rows.append((gettext_noop("設立日"), entry["founded_on"], None, ""))
    if entry.get("founding_member_count") is not None:
        rows.append(
            (
                gettext_noop("設立時の会員数"),
                str(entry["founding_member_count"]),
                entry["founding_member_count"],
                entry.get("founded_on", ""),
            )
        )
    if entry.get("participating_org_count") is not None:
        rows.append(
            (
                gettext_noop("参画機関数"),
                str(entry["participating_org_count"]),
                entry["participating_org_count"],
                entry.get("participating_org_count_as_of", ""),
            )
        )
    for point in entry.get("member_count_series", []):
        rows.append((gettext_noop("会員数"), str(point["count"]), point["count"], point["as_of"]))
    if entry.get("hubs"):
        rows.append((gettext_noop("拠点"), "、".join(entry["hubs"]), None, ""))
    if entry.get("kpi_note"):
        rows.append((gettext_noop("目標指標（KPI）"), entry["kpi_note"], None, ""))
    if entry.get("note"):
        rows.append((gettext_noop("備考"), entry["note"], None, ""))
    return rows


class MarketAreaRecord(Record):
    number: int = Field(ge=1, le=9)
    code: Slug
    name: Text
    group: StrategyMarketArea.Group


class ResultRecord(Record):
    community: Slug
    decision: Application.Decision
    reasons: str = ""


class RoundRecord(Record):
    kind: Community.Kind
    fiscal_year: int = Field(ge=2019, le=2100)
    title: Text
    published_on: datetime.date
    source: str = ""
    results: list[ResultRecord] = Field(min_length=1)


def parse_market_areas(path):
    errors = Errors(path.name)
    records = _records(read_yaml(path), "market_areas", MarketAreaRecord, errors)
    if sorted(r.number for r in records) != list(range(1, 10)) and not errors:
        errors.add(None, "number", _("市場領域は 1〜9 の9つが必要です。"))
    errors.raise_if_any()
    return records


def parse_rounds(path, communities):
    """Round records; ``communities`` maps slug → kind of the communities they may name."""
    errors = Errors(path.name)
    records = _records(read_yaml(path), "rounds", RoundRecord, errors)
    for record in records:
        for result in record.results:
            if result.community not in communities:
                errors.add(
                    result.line,
                    "community",
                    _("コミュニティ「%(s)s」がありません。") % {"s": result.community},
                )
            elif communities[result.community] != record.kind:
                errors.add(result.line, "community", _("ラウンドと種別が違います。"))
    errors.raise_if_any()
    return records


def load_market_areas(path):
    records = parse_market_areas(path)
    StrategyMarketArea.objects.bulk_create(
        StrategyMarketArea(number=r.number, code=r.code, name=r.name, group=r.group)
        for r in records
    )
    return len(records)


def load_rounds(path):
    """Published rounds: their applications carry the decision and the communities a dated
    status event."""
    errors = Errors(path.name)
    records = _records(read_yaml(path), "rounds", RoundRecord, errors)
    communities = {c.slug: c for c in Community.objects.all()}
    for record in records:
        for result in record.results:
            if result.community not in communities:
                errors.add(
                    result.line,
                    "community",
                    _("コミュニティ「%(s)s」がありません。") % {"s": result.community},
                )
            elif communities[result.community].kind != record.kind:
                errors.add(result.line, "community", _("ラウンドと種別が違います。"))
    errors.raise_if_any()
    for record in records:
        round_ = CertificationRound.objects.create(
            kind=record.kind,
            fiscal_year=record.fiscal_year,
            title=record.title,
            status=CertificationRound.Status.PUBLISHED,
            published_on=record.published_on,
            source=record.source,
        )
        published = datetime.datetime.combine(record.published_on, datetime.time(), tzinfo=JST)
        for result in record.results:
            community = communities[result.community]
            Application.objects.create(
                round=round_,
                community=community,
                state=Application.State.PUBLISHED,
                decision=result.decision,
                decision_reasons=result.reasons,
                decided_at=published,
                published_at=published,
                source=record.source,
            )
            CommunityStatusEvent.objects.create(
                community=community,
                status=result.decision,
                decided_on=record.published_on,
                round=round_,
            )
    return len(records)


def load_communities(source_dir, reference_dir):
    yaml_path = source_dir / "communities.yaml"
    market_areas = load_market_areas(source_dir / "market_areas.yaml")
    data, organizations, communities, by_key = parse_communities(
        yaml_path, reference_dir / "bio_communities.json"
    )
    check_references(
        yaml_path.name,
        organizations,
        communities,
        set(
            Organization.objects.filter(kind="university", is_active=True).values_list(
                "name", flat=True
            )
        ),
        local_government_names(
            Prefecture.objects.all(),
            Municipality.objects.exclude(kind="ward").select_related("prefecture"),
        ),
    )
    errors = Errors(yaml_path.name)
    for record in organizations:
        prefecture = None
        if record.prefecture:
            try:
                prefecture = resolve.prefecture_named(record.prefecture)
            except resolve.NotFound as exc:
                errors.add(record.line, "prefecture", str(exc))
                continue
        Organization.objects.create(
            name=record.name,
            short_name=record.short_name,
            kind=record.kind,
            prefecture=prefecture,
            note=record.note,
            source=data.get("document", ""),
        )
    counts = {"communities": 0, "members": 0, "facts": 0, "market_areas": market_areas}
    for record in communities:
        entry = by_key.get(record.key, {})
        community = Community.objects.create(
            slug=record.slug,
            name=record.name,
            abbreviation=entry.get("abbr", ""),
            kind=record.kind,
            status=record.status,
            certified_on=_date(entry.get("certified_on")),
            registered_on=_date(entry.get("registered_on")),
            status_date_note=record.status_date_note,
            network_organization_note=entry.get("network_org", ""),
            members_as_listed=record.members_as_listed,
            overview=record.overview,
            themes=record.themes,
            sources=entry.get("sources", []),
            table_order=record.table_order,
        )
        for name in record.prefectures:
            try:
                community.prefectures.add(resolve.prefecture_named(name))
            except resolve.NotFound as exc:
                errors.add(record.line, "prefectures", str(exc))
        if record.market_areas:
            community.market_areas.set(
                StrategyMarketArea.objects.filter(number__in=record.market_areas)
            )
            community.market_areas_note = _("原資料の取組概要から renkei が対応付け")
            community.save(update_fields=["market_areas_note"])
        if record.network_organization:
            try:
                community.network_organization = resolve.organization(record.network_organization)
                community.save(update_fields=["network_organization"])
            except resolve.NotFound as exc:
                errors.add(record.line, "network_organization", str(exc))
        source_url = (entry.get("sources") or [""])[0]
        for order, member in enumerate(record.members):
            try:
                if member.university:
                    organization = resolve.university(member.university)
                elif member.local_government:
                    organization = resolve.local_government(member.local_government)
                else:
                    organization = resolve.organization(member.organization)
            except resolve.NotFound as exc:
                errors.add(member.line, "members", str(exc))
                continue
            CommunityMember.objects.create(
                community=community,
                organization=organization,
                role=member.role,
                as_written=member.as_written,
                in_source_table=bool(member.as_written),
                note=member.note,
                source=source_url if member.json_name else "",
                order=order,
            )
            counts["members"] += 1
        for order, (label, value, number, as_of) in enumerate(_facts_from_json(entry)):
            CommunityFact.objects.create(
                community=community,
                label=label,
                value=value,
                number=number,
                as_of=as_of,
                order=order,
            )
            counts["facts"] += 1
        counts["communities"] += 1
    errors.raise_if_any()
    counts["rounds"] = load_rounds(source_dir / "rounds.yaml")
    return counts
