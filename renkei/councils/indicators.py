"""Plain indicators of a working council (is it acting, or on paper only — 形骸化?).

Computed from a council whose members, meetings (with attendance) and action items are
prefetched, so a list of councils costs the same few queries however long it is:
``Council.objects.with_indicator_data()``.
"""

import datetime
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from renkei.regions.models import Sector

WINDOW = datetime.timedelta(days=365)


@dataclass
class SectorAttendance:
    sector: str
    label: str
    attended: int
    expected: int

    @property
    def percent(self):
        return round(100 * self.attended / self.expected) if self.expected else None


@dataclass
class Indicators:
    meetings: int  # in the last 12 months
    last_meeting_on: datetime.date | None
    items_due: int  # action items whose due date fell in the last 12 months
    done_on_time: int
    overdue: int  # not done and past their due date (any time)
    open_items: int
    attendance: list[SectorAttendance] = field(default_factory=list)

    @property
    def on_time_percent(self):
        return round(100 * self.done_on_time / self.items_due) if self.items_due else None

    @property
    def warnings(self):
        """Signs of a council on paper only, as sentences."""
        signs = []
        if self.meetings == 0:
            signs.append(_("この12か月、会議が開かれていません。"))
        if self.overdue:
            signs.append(_("期限を過ぎた実行項目が %(n)s 件あります。") % {"n": self.overdue})
        if self.on_time_percent is not None and self.on_time_percent < 50:
            signs.append(_("期限までに完了した実行項目が半分に届いていません。"))
        return signs


def compute(council, today):
    """The indicators of one council on ``today`` (members, meetings__attendance and
    action_items prefetched)."""
    since = today - WINDOW
    members = list(council.members.all())
    meetings = [m for m in council.meetings.all() if since < m.held_on <= today]
    last = max((m.held_on for m in council.meetings.all() if m.held_on <= today), default=None)
    items = list(council.action_items.all())
    due = [i for i in items if since < i.due_on <= today and i.status != "dropped"]
    attended, expected = {}, {}
    for meeting in meetings:
        present = {a.member_id for a in meeting.attendance.all()}
        for member in members:
            if not member.active_on(meeting.held_on):
                continue
            expected[member.sector] = expected.get(member.sector, 0) + 1
            if member.pk in present:
                attended[member.sector] = attended.get(member.sector, 0) + 1
    return Indicators(
        meetings=len(meetings),
        last_meeting_on=last,
        items_due=len(due),
        done_on_time=sum(1 for i in due if i.done_on_time),
        overdue=sum(1 for i in items if i.is_overdue(today)),
        open_items=sum(1 for i in items if i.status in ("open", "in_progress")),
        attendance=[
            SectorAttendance(s.value, str(s.label), attended.get(s.value, 0), expected[s.value])
            for s in Sector
            if s.value in expected
        ],
    )
