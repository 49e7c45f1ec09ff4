from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from renkei.notifications import actions
from renkei.notifications.forms import PreferencesForm
from renkei.notifications.models import MailLanguage, Notification, NotificationPreference


@login_required
def inbox(request):
    notifications = Notification.objects.for_user(request.user)
    if request.GET.get("show") == "unread":
        notifications = notifications.unread()
    page = Paginator(notifications, 30).get_page(request.GET.get("page"))
    unread = Notification.objects.for_user(request.user).unread().count()
    return render(
        request,
        "notifications/inbox.html",
        {"page": page, "unread": unread, "show": request.GET.get("show", "")},
    )


@login_required
def detail(request, pk):
    """One notification, marked read as it is opened (as a mail client does)."""
    notification = get_object_or_404(Notification.objects.for_user(request.user), pk=pk)
    if notification.read_at is None:
        actions.mark_read(request.user, [notification.pk])
        notification.refresh_from_db()
    return render(request, "notifications/detail.html", {"notification": notification})


@login_required
@require_POST
def mark_read(request):
    ids = request.POST.getlist("id")
    ids = [int(i) for i in ids if i.isdigit()] if ids else None
    count = actions.mark_read(request.user, ids)
    if ids is None:
        messages.success(request, _("すべてのお知らせを既読にしました。"))
    elif count:
        messages.success(request, _("既読にしました。"))
    back = request.POST.get("next", "")
    if back and url_has_allowed_host_and_scheme(back, {request.get_host()}, require_https=False):
        return redirect(back)
    return redirect("notifications:inbox")


@login_required
def preferences(request):
    channels = dict(
        NotificationPreference.objects.filter(user=request.user).values_list("kind", "channel")
    )
    chosen = MailLanguage.objects.filter(user=request.user).first()
    language = chosen.language if chosen else settings.LANGUAGE_CODE
    form = PreferencesForm(
        request.POST or None, channels=channels, language=language, prefix="notify"
    )
    if request.method == "POST" and form.is_valid():
        actions.set_preferences(request.user, form.channels(), form.cleaned_data["language"])
        messages.success(request, _("お知らせの受け取り方を保存しました。"))
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})
