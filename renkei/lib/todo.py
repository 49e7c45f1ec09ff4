"""What waits for one person, as each app tells the start page (マイページ).

An app that has work waiting for people defines ``waiting_for(user)`` in its ``todo.py``,
returning a list of :class:`Item`; the portal's start page gathers them in a fixed order.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Item:
    """One thing waiting: 「審査待ちの申請 3件」 with the page where it is done."""

    title: str  # translated, e.g. _("審査が割り当てられた申請")
    url: str  # the page where the person does it
    count: int | None = None  # how many, where it is a list
    note: str = ""  # one line more: a deadline, who asked
    urgent: bool = False  # overdue or due within a week
    section: str = ""  # heading it belongs under (_("事務局"), _("審査"), …)
