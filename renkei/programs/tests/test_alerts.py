"""`renkei programs send-alerts`: news for saved searches, and reminders two weeks before
deadlines."""

import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from renkei.accounts.models import AuditLog
from renkei.notifications.models import Mail
from renkei.programs.alerts import send_alerts as send_alerts_now
from renkei.programs.models import CallPeriod, Program, SavedProgram, SavedSearch, SentReminder


@pytest.fixture
def send_alerts(django_capture_on_commit_callbacks):
    """send_alerts, then the mail jobs it queued (as the worker would run them)."""

    def run(now, **options):
        with django_capture_on_commit_callbacks(execute=True):
            return send_alerts_now(now, **options)

    return run


@pytest.fixture
def saved_search(outsider):
    return SavedSearch.objects.create(
        user=outsider,
        name="自治体向け",
        query={"applicant": ["local_government"]},
        last_notified_at=timezone.now(),
    )


def test_a_changed_program_matching_a_saved_search_is_mailed_once(
    outsider, saved_search, send_alerts
):
    program = Program.objects.get(code="cao-regional-university-industry-grant")
    program.description += "（令和5年度も継続）"
    program.save()
    counts = send_alerts(timezone.now() + datetime.timedelta(minutes=1))
    assert counts["mails"] == 1 and counts["programs"] == 1
    (message,) = mail.outbox
    assert message.to == ["ito@example.jp"]
    assert "[更新] 地方大学・地域産業創生交付金" in message.body
    assert "保存した検索「自治体向け」" in message.body
    assert send_alerts(timezone.now() + datetime.timedelta(minutes=2))["mails"] == 0
    assert AuditLog.objects.filter(action="programs.send_alerts").count() == 2


def test_programs_not_matching_the_search_are_not_mailed(outsider, saved_search, send_alerts):
    program = Program.objects.get(code="mext-co-creation-platform")  # universities only
    program.description += "。"
    program.save()
    assert send_alerts(timezone.now() + datetime.timedelta(minutes=1))["mails"] == 0


def test_a_new_program_is_marked_new(outsider, saved_search, send_alerts):
    Program.objects.create(
        code="test-new-grant", name="新しい地域交付金", for_local_government=True
    )
    send_alerts(timezone.now() + datetime.timedelta(minutes=1))
    assert "[新着] 新しい地域交付金" in mail.outbox[0].body


def test_a_followed_program_is_reminded_two_weeks_before_its_call_closes_and_only_once(
    outsider, send_alerts
):
    program = Program.objects.get(code="maff-midori-food-system-rd")
    SavedProgram.objects.create(user=outsider, program=program)
    soon = CallPeriod.objects.create(
        program=program,
        title="二次公募",
        opens_at=timezone.now(),
        closes_at=timezone.now() + datetime.timedelta(days=13),
    )
    CallPeriod.objects.create(
        program=program,
        title="来年度公募",
        opens_at=timezone.now(),
        closes_at=timezone.now() + datetime.timedelta(days=40),
    )
    counts = send_alerts(timezone.now())
    assert counts["reminders"] == 1
    assert "二次公募" in mail.outbox[0].body and "来年度公募" not in mail.outbox[0].body
    assert SentReminder.objects.filter(user=outsider, call_period=soon).exists()
    assert send_alerts(timezone.now() + datetime.timedelta(hours=1))["mails"] == 0


def test_a_failed_mail_stays_a_failed_job_and_the_news_is_not_told_twice(
    outsider, saved_search, settings, send_alerts, monkeypatch
):
    from django_q.conf import Conf
    from django_q.models import Failure

    from renkei.lib.jobs import run_queued
    from renkei.notifications.jobs import send

    monkeypatch.setattr(Conf, "SYNC", False)  # the mail waits in the queue for the worker
    Program.objects.filter(code="cao-prism-bio-community").get().save()
    settings.EMAIL_BACKEND = "renkei.programs.tests.test_alerts.FailingBackend"
    counts = send_alerts(timezone.now() + datetime.timedelta(minutes=1))
    assert counts["mails"] == 1 and mail.outbox == []
    run_queued()
    (failure,) = Failure.objects.all()
    assert "SMTP unreachable" in failure.result
    unsent = Mail.objects.unsent().get()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    send(unsent.pk)  # what the worker's retry runs
    assert len(mail.outbox) == 1
    assert send_alerts(timezone.now() + datetime.timedelta(minutes=2))["mails"] == 0


class FailingBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise OSError("SMTP unreachable")


def test_the_command_reports_what_it_sent(outsider, saved_search):
    out = io.StringIO()
    call_command("programs", "send-alerts", "--dry-run", stdout=out)
    assert "メール 0 通" in out.getvalue()
