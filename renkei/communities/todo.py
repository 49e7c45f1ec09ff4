"""What waits in certification rounds (for the start page, マイページ): drafts and open
rounds for coordinators, assigned reviews for reviewers, assignments, decisions and
publication for the secretariat."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from renkei.communities.models import Application, CertificationRound, Community, ReviewAssignment
from renkei.communities.rules import coordinated_community_ids
from renkei.lib.todo import Item

State = Application.State
SOON = timedelta(days=7)


def _when(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def _closes(round_, now):
    """(note, urgent) for a round's closing time: urgent within a week."""
    if round_.closes_at is None:
        return "", False
    note = _("受付締切: %(when)s") % {"when": _when(round_.closes_at)}
    return note, round_.closes_at <= now + SOON


def waiting_for(user, now=None):
    now = now or timezone.now()
    items = []
    community_ids = coordinated_community_ids(user)
    if community_ids:
        items += _for_coordinator(community_ids, now)
    items += _for_reviewer(user, now)
    if user.is_secretariat:
        items += _for_secretariat(now)
    return items


def _for_coordinator(community_ids, now):
    section = _("認定申請")
    items = []
    applications = Application.objects.filter(community_id__in=community_ids).select_related(
        "round", "community"
    )
    applied = {(a.round_id, a.community_id) for a in applications}
    for application in applications:
        if application.state != State.DRAFT:
            continue
        note, urgent = _closes(application.round, now)
        items.append(
            Item(
                title=_("申請の下書きを仕上げて提出する: %(community)s（%(round)s）")
                % {"community": application.community, "round": application.round},
                url=application.get_absolute_url(),
                note=note,
                urgent=urgent,
                section=section,
            )
        )
    communities = list(Community.objects.filter(pk__in=community_ids))
    for round_ in CertificationRound.objects.filter(status=CertificationRound.Status.OPEN):
        if not round_.accepts_submissions(now):
            continue
        for community in communities:
            if community.kind != round_.kind or (round_.pk, community.pk) in applied:
                continue
            note, urgent = _closes(round_, now)
            items.append(
                Item(
                    title=_("申請を受け付けている認定ラウンド: %(round)s（%(community)s）")
                    % {"round": round_, "community": community},
                    url=round_.get_absolute_url(),
                    note=note,
                    urgent=urgent,
                    section=section,
                )
            )
    return items


def _for_reviewer(user, now):
    assignments = list(
        ReviewAssignment.objects.filter(
            reviewer=user,
            conflict_declared=False,
            review__isnull=True,
            application__state=State.UNDER_REVIEW,
        ).select_related("application__round")
    )
    if not assignments:
        return []
    deadlines = [a.application.round.review_deadline for a in assignments]
    first = min((d for d in deadlines if d), default=None)
    return [
        Item(
            title=_("審査が割り当てられた申請"),
            url=reverse("communities:reviews"),
            count=len(assignments),
            note=_("審査期限: %(when)s") % {"when": _when(first)} if first else "",
            urgent=bool(first and first <= now + SOON),
            section=_("審査"),
        )
    ]


def _for_secretariat(now):
    section = _("事務局: 認定ラウンド")
    items = []
    open_rounds = list(
        CertificationRound.objects.unpublished().prefetch_related(
            "applications__assignments__review"
        )
    )
    for round_ in open_rounds:
        applications = list(round_.applications.all())
        waiting = [a for a in applications if a.state == State.SUBMITTED]
        if waiting:
            items.append(
                Item(
                    title=_("審査委員の割当てを待つ申請: %(round)s") % {"round": round_},
                    url=round_.get_absolute_url(),
                    count=len(waiting),
                    section=section,
                )
            )
        reviewed = [
            a
            for a in applications
            if a.state == State.UNDER_REVIEW
            and all(hasattr(x, "review") for x in a.assignments.all() if not x.conflict_declared)
        ]
        if reviewed:
            items.append(
                Item(
                    title=_("審査がそろい、決定を待つ申請: %(round)s") % {"round": round_},
                    url=round_.get_absolute_url(),
                    count=len(reviewed),
                    section=section,
                )
            )
        pending = any(a.state in (State.SUBMITTED, State.UNDER_REVIEW) for a in applications)
        decided = [a for a in applications if a.state == State.DECIDED]
        if decided and not pending and not round_.accepts_submissions(now):
            items.append(
                Item(
                    title=_("結果を公表できる認定ラウンド: %(round)s") % {"round": round_},
                    url=round_.get_absolute_url(),
                    count=len(decided),
                    section=section,
                )
            )
    return items
