"""What waits in maturity reporting (for the start page, マイページ): the yearly report
due, drafts and reports returned for correction for coordinators; reports to check for the
secretariat."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from renkei.communities.models import Community
from renkei.communities.rules import coordinated_community_ids
from renkei.lib.formats import fiscal_year_of, wareki_fiscal_year
from renkei.lib.todo import Item
from renkei.maturity.models import Report


def waiting_for(user, today=None):
    today = today or timezone.localdate()
    items = []
    community_ids = coordinated_community_ids(user)
    if community_ids:
        items += _for_coordinator(community_ids, today)
    if user.is_secretariat:
        submitted = Report.objects.filter(state=Report.State.SUBMITTED).count()
        if submitted:
            items.append(
                Item(
                    title=_("確認を待つ成熟度の年次報告"),
                    url=reverse("maturity:reports"),
                    count=submitted,
                    section=_("事務局: 成熟度"),
                )
            )
    return items


def _for_coordinator(community_ids, today):
    section = _("成熟度の年次報告")
    last_year = fiscal_year_of(today) - 1  # the fiscal year that ended last
    items = []
    reports = Report.objects.filter(community_id__in=community_ids).select_related("community")
    reported = {(r.community_id, r.fiscal_year) for r in reports}
    for report in reports:
        if report.state == Report.State.CHANGES_REQUESTED:
            items.append(
                Item(
                    title=_("修正を依頼された報告を直して再提出する：%(community)s %(fy)s")
                    % {"community": report.community, "fy": wareki_fiscal_year(report.fiscal_year)},
                    url=report.get_absolute_url(),
                    note=(report.review_note or "").splitlines()[0][:120]
                    if report.review_note
                    else "",
                    urgent=True,
                    section=section,
                )
            )
        elif report.state == Report.State.DRAFT:
            items.append(
                Item(
                    title=_("報告の下書きを仕上げて提出する：%(community)s %(fy)s")
                    % {"community": report.community, "fy": wareki_fiscal_year(report.fiscal_year)},
                    url=report.get_absolute_url(),
                    section=section,
                )
            )
    for community in Community.objects.filter(pk__in=community_ids):
        if (community.pk, last_year) not in reported:
            items.append(
                Item(
                    title=_("%(fy)sの報告を作成する：%(community)s")
                    % {"community": community, "fy": wareki_fiscal_year(last_year)},
                    url=reverse("maturity:reports"),
                    note=_("年度の終わった実績を報告してください。"),
                    section=section,
                )
            )
    return items
