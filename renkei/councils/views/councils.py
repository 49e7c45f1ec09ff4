"""Council pages: the list with indicators, a council's page, and the keepers' forms."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from renkei.councils import actions
from renkei.councils.forms import (
    ActionItemForm,
    ActionStatusForm,
    CouncilForm,
    MeetingForm,
    MemberForm,
)
from renkei.councils.models import ActionItem, Council, CouncilMember, Meeting
from renkei.councils.rules import can_keep, kept_council_ids
from renkei.regions.models import Prefecture, Sector


class CouncilFilterForm(forms.Form):
    prefecture = forms.ModelChoiceField(
        label=gettext_lazy("都道府県"),
        queryset=Prefecture.objects.all(),
        to_field_name="code",
        required=False,
        empty_label=gettext_lazy("すべて"),
    )


def _visible(request):
    return Council.objects.visible_to(request.user, kept_council_ids(request.user))


def _council_for(request, pk):
    council = get_object_or_404(_visible(request).with_indicator_data(), pk=pk)
    return council


def _keeper(request, council):
    if not can_keep(request.user, council):
        raise PermissionDenied(_("この協議会の記録は更新できません。"))


def councils(request):
    form = CouncilFilterForm(request.GET or None)
    queryset = _visible(request).with_indicator_data()
    if form.is_valid() and form.cleaned_data["prefecture"]:
        queryset = queryset.in_prefecture(form.cleaned_data["prefecture"])
    today = timezone.localdate()
    rows = [(council, council.indicators(today)) for council in queryset]
    summary = None
    if request.user.is_authenticated and request.user.is_secretariat:
        summary = {
            "councils": len(rows),
            "dormant": sum(1 for _c, i in rows if i.meetings == 0),
            "overdue": sum(i.overdue for _c, i in rows),
            "private": sum(1 for c, _i in rows if not c.is_public),
        }
    return render(
        request,
        "councils/councils.html",
        {
            "form": form,
            "rows": rows,
            "summary": summary,
            "can_add": request.user.has_perm("councils.add_council"),
        },
    )


def council(request, pk):
    council = _council_for(request, pk)
    keeper = can_keep(request.user, council)
    today = timezone.localdate()
    members = list(council.members.all())
    meetings = [m for m in council.meetings.all() if keeper or m.is_public]
    items = sorted(council.action_items.all(), key=lambda i: (i.status == "done", i.due_on))
    by_sector = [
        (sector, [m for m in members if m.sector == sector.value and m.active_on(today)])
        for sector in Sector
    ]
    return render(
        request,
        "councils/council.html",
        {
            "council": council,
            "keeper": keeper,
            "indicators": council.indicators(today),
            "by_sector": [(s, ms) for s, ms in by_sector if ms],
            "former": [m for m in members if not m.active_on(today)],
            "meetings": meetings,
            "items": items,
            "member_form": MemberForm(council=council) if keeper else None,
            "today": today,
        },
    )


@login_required
def council_edit(request, pk=None):
    if pk is None:
        if not request.user.has_perm("councils.add_council"):
            raise PermissionDenied(
                _("協議会を登録できるのは、自治体等の担当者、コーディネーター、事務局です。")
            )
        council = Council()
    else:
        council = get_object_or_404(Council, pk=pk)
        _keeper(request, council)
    form = CouncilForm(request.POST or None, instance=council, user=request.user)
    if request.method == "POST" and form.is_valid():
        council = actions.save_council(form, by=request.user)
        messages.success(request, _("協議会を保存しました。"))
        return redirect(council)
    return render(
        request,
        "councils/council_form.html",
        {"form": form, "council": council if council.pk else None},
        status=400 if form.errors else 200,
    )


@require_POST
@login_required
def member_add(request, pk):
    council = get_object_or_404(Council, pk=pk)
    _keeper(request, council)
    form = MemberForm(request.POST, council=council)
    if form.is_valid():
        member = actions.add_council_member(form, by=request.user)
        messages.success(
            request, _("「%(o)s」を構成員に加えました。") % {"o": member.organization.name}
        )
    else:
        messages.error(request, " ".join(str(m) for errors in form.errors.values() for m in errors))
    return redirect(council)


@require_POST
@login_required
def member_remove(request, pk):
    member = get_object_or_404(CouncilMember.objects.select_related("council"), pk=pk)
    _keeper(request, member.council)
    actions.remove_council_member(member, by=request.user)
    messages.success(request, _("構成員から外しました。"))
    return redirect(member.council)


@login_required
def meeting_new(request, pk):
    council = get_object_or_404(Council, pk=pk)
    _keeper(request, council)
    form = MeetingForm(request.POST or None, request.FILES or None, council=council)
    if request.method == "POST" and form.is_valid():
        meeting = actions.record_meeting(form, by=request.user)
        messages.success(request, _("会議を記録しました。"))
        return redirect(meeting)
    return render(
        request,
        "councils/meeting_form.html",
        {"form": form, "council": council},
        status=400 if form.errors else 200,
    )


def _meeting_for(request, pk):
    meeting = get_object_or_404(
        Meeting.objects.select_related("council", "council__organization"), pk=pk
    )
    keeper = can_keep(request.user, meeting.council)
    visible = meeting.is_public and (
        meeting.council.is_public or meeting.council.pk in kept_council_ids(request.user)
    )
    secretariat = request.user.is_authenticated and request.user.is_secretariat
    if not (keeper or visible or secretariat):
        raise Http404
    return meeting, keeper


def meeting(request, pk):
    meeting, keeper = _meeting_for(request, pk)
    return render(
        request,
        "councils/meeting.html",
        {
            "meeting": meeting,
            "council": meeting.council,
            "keeper": keeper,
            "attendees": meeting.attendance.select_related("member__organization"),
            "decisions": meeting.decisions.all(),
            "items": meeting.action_items.select_related("owner__organization"),
        },
    )


def meeting_minutes(request, pk):
    meeting, _keeper_flag = _meeting_for(request, pk)
    if not meeting.minutes_file:
        raise Http404
    return FileResponse(
        meeting.minutes_file.open("rb"),
        as_attachment=True,
        filename=meeting.minutes_name or "minutes.pdf",
        content_type="application/pdf",
    )


@login_required
def action_new(request, pk):
    council = get_object_or_404(Council, pk=pk)
    _keeper(request, council)
    initial = {"meeting": request.GET.get("meeting")} if request.GET.get("meeting") else None
    form = ActionItemForm(request.POST or None, council=council, initial=initial)
    if request.method == "POST" and form.is_valid():
        actions.add_action_item(form, by=request.user)
        messages.success(request, _("実行項目を登録しました。"))
        return redirect(council)
    return render(
        request,
        "councils/action_form.html",
        {"form": form, "council": council, "item": None},
        status=400 if form.errors else 200,
    )


@login_required
def action_update(request, pk):
    item = get_object_or_404(ActionItem.objects.select_related("council", "owner"), pk=pk)
    _keeper(request, item.council)
    form = ActionStatusForm(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        actions.update_action_item(form, by=request.user)
        messages.success(request, _("実行項目を更新しました。"))
        return redirect(item.council)
    return render(
        request,
        "councils/action_form.html",
        {"form": form, "council": item.council, "item": item},
        status=400 if form.errors else 200,
    )
