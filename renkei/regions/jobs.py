"""Daily job of regions (registered as a django-q2 schedule in renkei/portal/schedules.py)."""

from renkei.regions.actions import remind_stale_windows


def remind_stale_windows_daily():
    """Remind organisations of their windows unconfirmed for 12 months."""
    return remind_stale_windows()
