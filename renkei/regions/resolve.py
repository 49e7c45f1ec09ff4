"""Find organisations named in data files: universities, local governments, by name."""

from django.utils.translation import gettext as _

from renkei.regions.models import Municipality, Organization, Prefecture


class NotFound(Exception):
    pass


def prefecture_named(name):
    try:
        return Prefecture.objects.get(name=name)
    except Prefecture.DoesNotExist as exc:
        raise NotFound(_("都道府県「%(n)s」が見つかりません。") % {"n": name}) from exc


def _body(prefecture, municipality=None):
    """The organisation of a prefecture or municipality, created on first use with its
    local-government code, so a local government appears once however often it is named."""
    place = municipality or prefecture
    organization, _created = Organization.objects.get_or_create(
        lg_code=place.lg_code,
        defaults={
            "name": place.name,
            "kind": Organization.Kind.LOCAL_GOVERNMENT,
            "prefecture": prefecture,
            "municipality": municipality,
            "website": place.url,
        },
    )
    return organization


def local_government(name):
    """The organisation of a prefecture ("山形県") or municipality ("山形県鶴岡市")."""
    prefecture = next(
        (p for p in Prefecture.objects.all() if name.startswith(p.name)),
        None,
    )
    if prefecture is None:
        raise NotFound(_("地方公共団体「%(n)s」の都道府県が分かりません。") % {"n": name})
    rest = name[len(prefecture.name) :]
    if not rest:
        return _body(prefecture)
    try:
        municipality = Municipality.objects.get(prefecture=prefecture, name=rest)
    except Municipality.DoesNotExist as exc:
        raise NotFound(_("市区町村「%(n)s」が見つかりません。") % {"n": name}) from exc
    return _body(prefecture, municipality)


def body(lg_code):
    """The organisation of the prefecture or municipality with this local-government code
    (created on first use), or None when no prefecture or municipality has it."""
    prefecture = Prefecture.objects.filter(lg_code=lg_code).first()
    if prefecture is not None:
        return _body(prefecture)
    municipality = Municipality.objects.select_related("prefecture").filter(lg_code=lg_code).first()
    if municipality is None:
        return None
    return _body(municipality.prefecture, municipality)


def university(name):
    try:
        return Organization.objects.get(
            kind=Organization.Kind.UNIVERSITY, name=name, is_active=True
        )
    except Organization.DoesNotExist as exc:
        raise NotFound(_("学校コード一覧に「%(n)s」がありません。") % {"n": name}) from exc


def organization(name):
    try:
        return Organization.objects.get(name=name, is_active=True)
    except Organization.DoesNotExist as exc:
        raise NotFound(_("機関「%(n)s」が定義されていません。") % {"n": name}) from exc
    except Organization.MultipleObjectsReturned as exc:
        raise NotFound(
            _("機関「%(n)s」が複数あります。種別を指定してください。") % {"n": name}
        ) from exc
