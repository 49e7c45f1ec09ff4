"""Which support programs fit a community: by market area, by aim, and by its themes."""

from django.utils.translation import gettext as _

from renkei.programs.models import Aim, MarketArea, Program
from renkei.programs.search import SearchParams, matching_ids


def programs_for(community, limit=12):
    """(program, reasons) for the programs whose market area or aim fit the community, or
    whose text matches one of its themes; programs taking new projects first."""
    reasons = {}
    groups = {area.group for area in community.market_areas.all()}
    if groups:
        for program in Program.objects.filter(market_area__in=groups):
            reasons.setdefault(program.pk, []).append(
                _("市場領域「%(area)s」") % {"area": program.get_market_area_display()}
            )
        for program in Program.objects.filter(market_area=MarketArea.CROSS_MARKET):
            reasons.setdefault(program.pk, []).append(_("市場領域横断の施策"))
    for program in Program.objects.filter(aim=Aim.BIO_COMMUNITY):
        reasons.setdefault(program.pk, []).append(_("地域バイオコミュニティの実現をねらう施策"))
    for theme in community.theme_list:
        for pk in matching_ids(SearchParams(q=theme))[:5]:
            reasons.setdefault(pk, []).append(_("テーマ「%(theme)s」に一致") % {"theme": theme})
    programs = Program.objects.filter(pk__in=reasons).select_related("ministry")
    ranked = sorted(
        programs,
        key=lambda p: (
            p.accepts_new_projects is not True,
            -len(reasons[p.pk]),
            p.menu_order,
            p.name,
        ),
    )
    return [(p, reasons[p.pk]) for p in ranked[:limit]]
