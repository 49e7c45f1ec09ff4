"""The background jobs page for the secretariat: what is queued, what failed and why,
what runs daily; a failed job can be queued again."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from renkei.portal import jobs


def _secretariat_only(request):
    if not request.user.is_secretariat:
        raise PermissionDenied(_("このページは事務局だけが使えます。"))


@login_required
def jobs_page(request):
    _secretariat_only(request)
    return render(
        request,
        "portal/jobs.html",
        {
            "database_queue": jobs.uses_database_queue(),
            "queued": [(row, jobs.label(row.func())) for row in jobs.queued()],
            "queue_size": jobs.queue_size(),
            "failed": [(task, jobs.label(task.func)) for task in jobs.failed()],
            "retrying": jobs.retrying(),
            "recent": [(task, jobs.label(task.func)) for task in jobs.recent()],
            "schedules": [(s, jobs.label(s.func)) for s in jobs.schedules()],
        },
    )


@login_required
@require_POST
def retry(request, task_id):
    _secretariat_only(request)
    failure = jobs.retry(task_id)
    if failure is None:
        messages.error(request, _("この処理は見つかりません。すでに再実行されたかもしれません。"))
    else:
        messages.success(
            request,
            _("「%(job)s」をもう一度実行するよう登録しました。")
            % {"job": jobs.label(failure.func)},
        )
    return redirect("portal:jobs")
