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


def local_government(name):
    """The organisation of a prefecture ("山形県") or municipality ("山形県鶴岡市").

    Created on first use with its local-government code, so a local government appears once
    however many communities name it.
    """
    prefecture = next(
        (p for p in Prefecture.objects.all() if name.startswith(p.name)),
        None,
    )
    if prefecture is None:
        raise NotFound(_("地方公共団体「%(n)s」の都道府県が分かりません。") % {"n": name})
    rest = name[len(prefecture.name) :]
    if not rest:
        code, display, url = prefecture.lg_code, prefecture.name, prefecture.url
    else:
        try:
            municipality = Municipality.objects.get(prefecture=prefecture, name=rest)
        except Municipality.DoesNotExist as exc:
            raise NotFound(_("市区町村「%(n)s」が見つかりません。") % {"n": name}) from exc
        code, display, url = municipality.lg_code, municipality.name, municipality.url
    organization, _created = Organization.objects.get_or_create(
        lg_code=code,
        defaults={
            "name": display,
            "kind": Organization.Kind.LOCAL_GOVERNMENT,
            "prefecture": prefecture,
            "website": url,
        },
    )
    return organization


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
