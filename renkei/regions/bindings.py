"""Organisations as accounts binds roles to them (see renkei/accounts/bindings.py).

An organisation is named by one of its public codes, whichever it has:

- a university, junior college or college of technology: its MEXT school code
  (学校コード, e.g. ``F115110105055``);
- a prefecture or municipality office: its local-government code (地方公共団体コード, six
  digits with the check digit, e.g. ``150002`` for 新潟県, ``151009`` for 新潟市); the
  office's organisation is created on first use, as the community loader does;
- a company or other corporation: its corporate number (法人番号, 13 digits);
- a ministry: renkei's own code (``mext``, ``maff``…).
"""

import re

from renkei.accounts import bindings
from renkei.regions.models import Municipality, Organization, Prefecture

_LG_CODE = re.compile(r"\d{6}")


def _local_government(lg_code):
    """The office of the prefecture or municipality with ``lg_code``, created on first use."""
    prefecture = Prefecture.objects.filter(lg_code=lg_code).first()
    if prefecture is not None:
        name, url = prefecture.name, prefecture.url
    else:
        municipality = Municipality.objects.filter(lg_code=lg_code).first()
        if municipality is None:
            return None
        prefecture, name, url = municipality.prefecture, municipality.name, municipality.url
    organization, _created = Organization.objects.get_or_create(
        lg_code=lg_code,
        defaults={
            "name": name,
            "kind": Organization.Kind.LOCAL_GOVERNMENT,
            "prefecture": prefecture,
            "website": url,
        },
    )
    return organization.pk


def find_organization(identifier):
    identifier = identifier.strip()
    for field, value in (
        ("school_code", identifier.upper()),
        ("lg_code", identifier),
        ("corporate_number", identifier),
        ("code", identifier.lower()),
    ):
        pk = Organization.objects.filter(**{field: value}).values_list("pk", flat=True).first()
        if pk is not None:
            return pk
    if _LG_CODE.fullmatch(identifier):
        return _local_government(identifier)
    return None


def organization_name(pk):
    return Organization.objects.filter(pk=pk).values_list("name", flat=True).first()


def organization_choices():
    """Too many to list (every university and local government): forms take a code."""
    return []


bindings.register(
    bindings.Binding(
        field="organization",
        find=find_organization,
        name=organization_name,
        choices=organization_choices,
    )
)
