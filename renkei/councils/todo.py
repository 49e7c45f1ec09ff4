"""What waits on the start page: surveys to answer (an organisation's members), council
action items due (the people who keep a council), surveys to watch (the secretariat)."""

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from renkei.councils.models import ActionItem, Survey, SurveyInvitation
from renkei.councils.rules import kept_council_ids
from renkei.lib.formats import wareki_date
from renkei.lib.todo import Item
from renkei.regions.rules import member_organization_ids

SOON = datetime.timedelta(days=7)
DUE_WITHIN = datetime.timedelta(days=14)


def _surveys_to_answer(user, now):
    invitations = (
        SurveyInvitation.objects.filter(
            organization_id__in=member_organization_ids(user),
            survey__status=Survey.Status.OPEN,
            survey__closes_at__gt=now,
        )
        .select_related("survey", "organization", "response")
        .order_by("survey__closes_at")
    )
    items = []
    for invitation in invitations:
        answered = getattr(invitation, "response", None) is not None
        if answered:
            continue
        survey = invitation.survey
        items.append(
            Item(
                title=_("調査「%(survey)s」への回答") % {"survey": survey.title},
                url=invitation.get_absolute_url(),
                note=_("%(organization)s として・回答期限 %(date)s")
                % {
                    "organization": invitation.organization.name,
                    "date": wareki_date(survey.closes_at),
                },
                urgent=survey.closes_at - now <= SOON,
                section=_("調査"),
            )
        )
    return items


def _action_items(user, today):
    ids = kept_council_ids(user)
    due = (
        ActionItem.objects.pending()
        .filter(council_id__in=ids, due_on__lte=today + DUE_WITHIN)
        .select_related("council")
    )
    by_council = {}
    for item in due:
        by_council.setdefault(item.council, []).append(item)
    return [
        Item(
            title=_("協議会「%(council)s」の期限が近い・過ぎた実行項目")
            % {"council": council.name},
            url=council.get_absolute_url(),
            count=len(items),
            note=_("うち期限切れ %(n)s 件") % {"n": sum(1 for i in items if i.due_on < today)},
            urgent=any(i.due_on < today for i in items),
            section=_("協議会"),
        )
        for council, items in by_council.items()
    ]


def _surveys_to_watch(now):
    items = []
    for survey in Survey.objects.filter(origin=Survey.Origin.RENKEI).exclude(
        status=Survey.Status.DRAFT
    ):
        if survey.status == Survey.Status.OPEN:
            invited = survey.invitations.count()
            answered = survey.responses.count()
            items.append(
                Item(
                    title=_("回答受付中の調査「%(survey)s」") % {"survey": survey.title},
                    url=reverse("councils:survey_progress", args=[survey.slug]),
                    note=_("%(n)s 団体中 %(a)s 団体が回答・回答期限 %(date)s")
                    % {"n": invited, "a": answered, "date": wareki_date(survey.closes_at)},
                    urgent=bool(survey.closes_at and survey.closes_at - now <= SOON),
                    section=_("事務局: 調査"),
                )
            )
        elif survey.results_published_at is None:
            items.append(
                Item(
                    title=_("結果の公表を待っている調査「%(survey)s」") % {"survey": survey.title},
                    url=reverse("councils:survey_progress", args=[survey.slug]),
                    section=_("事務局: 調査"),
                )
            )
    return items


def waiting_for(user):
    if not user.is_authenticated:
        return []
    now = timezone.now()
    items = _surveys_to_answer(user, now) + _action_items(user, timezone.localdate())
    if user.is_secretariat:
        items += _surveys_to_watch(now)
    return items
