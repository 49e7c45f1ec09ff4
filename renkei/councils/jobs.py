"""Daily job of councils (registered as a django-q2 schedule in renkei/portal/schedules.py)."""

from renkei.councils.actions import send_survey_reminders


def survey_reminders_daily():
    """Close surveys past their deadline; remind those who have not answered in the last
    week before a deadline."""
    return send_survey_reminders()
