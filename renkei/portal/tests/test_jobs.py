"""Background work on a real queue: mail is sent by a job, never by the request; a failed
job keeps its error where the secretariat sees it and can run it again; the daily jobs are
scheduled by migrating; `renkei worker` and `make run` run the queue."""

import re
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django_q.conf import Conf
from django_q.models import Failure, OrmQ, Schedule

from renkei.lib.addresses import site_url
from renkei.lib.jobs import run_queued
from renkei.notifications import tell
from renkei.notifications.models import Kind, Mail

JOBS = reverse("portal:jobs")
PROJECT = Path(__file__).resolve().parents[3]


@pytest.fixture
def queue(monkeypatch):
    """Jobs stay in the database queue until the test runs them (as `renkei worker` would)."""
    monkeypatch.setattr(Conf, "SYNC", False)


class FailingBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise OSError("SMTP unreachable")


def told(people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        tell(
            Kind.REVIEW,
            people,
            "【renkei】審査の依頼",
            "communities/email/submitted.txt",
            {"application": None},
            link="/communities/reviews/",
        )


def test_a_mail_is_sent_by_a_job_not_by_the_request(
    queue, reviewer, django_capture_on_commit_callbacks
):
    told([reviewer], django_capture_on_commit_callbacks)
    (job,) = OrmQ.objects.all()
    assert job.func() == "renkei.notifications.jobs.send"
    assert job.args() == (Mail.objects.get().pk,)
    assert mail.outbox == []
    assert run_queued() == 1
    assert [m.to for m in mail.outbox] == [["tanaka@example.jp"]]
    assert not OrmQ.objects.exists()
    sent = Mail.objects.get()
    assert sent.sent_at is not None and sent.body == ""  # a sent mail's text is not kept


def test_a_failed_mail_stays_visible_to_the_secretariat_and_is_sent_when_retried(
    queue, settings, login, secretariat, reviewer, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "renkei.portal.tests.test_jobs.FailingBackend"
    told([reviewer], django_capture_on_commit_callbacks)
    run_queued()
    (failure,) = Failure.objects.all()
    assert "SMTP unreachable" in failure.result
    assert OrmQ.objects.count() == 1  # handed out again after Q_CLUSTER["retry"] seconds
    sato = login(secretariat)
    html = sato.get(JOBS).content.decode()
    assert "メールの送信" in html and "SMTP unreachable" in html and "自動で再試行します" in html
    assert "失敗したバックグラウンド処理" in sato.get(reverse("portal:mypage")).content.decode()

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with django_capture_on_commit_callbacks(execute=True):
        response = sato.post(reverse("portal:job_retry", args=[failure.id]))
    assert response["Location"] == JOBS
    assert not Failure.objects.exists() and OrmQ.objects.count() == 1  # one run, not two
    run_queued()
    assert [m.to for m in mail.outbox] == [["tanaka@example.jp"]]
    assert "失敗した処理はありません。" in sato.get(JOBS).content.decode()


def test_retrying_a_job_that_is_gone_says_so(login, secretariat):
    response = login(secretariat).post(reverse("portal:job_retry", args=["nothing"]), follow=True)
    assert "この処理は見つかりません" in response.content.decode()


def test_only_the_secretariat_sees_and_retries_jobs(client, login, reviewer, coordinator):
    assert reverse("accounts:login") in client.get(JOBS)["Location"]
    assert login(reviewer).get(JOBS).status_code == 403
    assert login(coordinator).post(reverse("portal:job_retry", args=["x"])).status_code == 403


def test_the_daily_jobs_are_scheduled_by_migrating_and_kept_as_they_are(secretariat):
    from renkei.portal.schedules import SCHEDULES, ensure_schedules

    schedules = {s.name: s for s in Schedule.objects.all()}
    assert set(SCHEDULES) <= set(schedules)
    alerts = schedules["send-alerts"]
    assert alerts.func == "renkei.programs.alerts.send_alerts_daily"
    assert alerts.schedule_type == Schedule.DAILY and alerts.repeats == -1
    moved = alerts.next_run.replace(hour=5)
    Schedule.objects.filter(pk=alerts.pk).update(next_run=moved)
    ensure_schedules()
    assert Schedule.objects.get(name="send-alerts").next_run == moved
    assert Schedule.objects.filter(name="send-alerts").count() == 1


def test_the_daily_alerts_job_sends_the_alerts():
    from renkei.programs.alerts import send_alerts_daily

    assert send_alerts_daily()["failed"] == 0


def test_renkei_worker_runs_django_q2s_cluster(monkeypatch):
    from renkei.portal.management.commands import worker

    ran = []
    monkeypatch.setattr(worker, "call_command", lambda name: ran.append(name))
    call_command("worker")
    assert ran == ["qcluster"]


def test_make_run_starts_a_worker_beside_the_server_and_stops_it_with_the_server():
    makefile = (PROJECT / "Makefile").read_text(encoding="utf-8")
    run = re.search(r"^run: .*?(?=^\S)", makefile, re.S | re.M).group(0)
    assert "renkei worker" in run and "renkei serve" in run
    assert "trap" in run and "kill" in run


def test_the_site_address_follows_where_the_server_listens():
    assert site_url("127.0.0.1", 8000) == "http://127.0.0.1:8000"
    assert site_url("::1", "8080") == "http://[::1]:8080"
    assert site_url("renkei.example.jp", 80) == "http://renkei.example.jp"
    import socket

    assert site_url("0.0.0.0", 8080) == f"http://{socket.gethostname()}:8080"  # noqa: S104


def test_renkei_serve_gives_mails_its_own_address_unless_one_is_set(monkeypatch, settings):
    from renkei.portal.management.commands import serve

    monkeypatch.setattr(serve._Server, "run", lambda self: None)
    monkeypatch.setenv("RENKEI_SITE_URL", "")  # restored as it was, whatever serve sets
    monkeypatch.delenv("RENKEI_SITE_URL")
    call_command("serve", "--host", "localhost", "--port", "8080", stdout=None)
    assert settings.RENKEI_SITE_URL == "http://localhost:8080"
    monkeypatch.setenv("RENKEI_SITE_URL", "https://renkei.example.jp")
    settings.RENKEI_SITE_URL = "https://renkei.example.jp"
    call_command("serve", "--host", "0.0.0.0", "--port", "8000")  # noqa: S104
    assert settings.RENKEI_SITE_URL == "https://renkei.example.jp"


def test_make_run_on_every_interface_links_mails_to_the_machine_and_answers_there():
    import os
    import socket
    import subprocess
    import sys

    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("RENKEI_") and key != "DATABASE_URL"
    }
    environment.update(HOST="0.0.0.0", PORT="8080", DJANGO_SETTINGS_MODULE="renkei.settings")  # noqa: S104
    shown = subprocess.run(
        [
            sys.executable,
            "-c",
            "from django.conf import settings; print(settings.RENKEI_SITE_URL);"
            "print(settings.ALLOWED_HOSTS[-1])",
        ],
        env={
            **environment,
            "RENKEI_VAR_DIR": os.environ.get("RENKEI_VAR_DIR", str(PROJECT / "var")),
        },
        capture_output=True,
        text=True,
        check=True,
        cwd=PROJECT,
    ).stdout.split()
    assert shown == [f"http://{socket.gethostname()}:8080", socket.gethostname()]
