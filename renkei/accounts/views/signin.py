"""Signing in: the password, then the second factor where the person has or needs one; the
second factor's setup and recovery codes; the person's sessions."""

from urllib.parse import urlencode

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_response
from axes.utils import reset
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from renkei.accounts import actions, second_factor, sessions
from renkei.accounts.forms import CodeForm, LoginForm, SetupForm
from renkei.lib.clients import browser_label
from renkei.lib.forms import add_errors


def _next(request):
    """The page to go on to: ``next`` when it is on this site, the start page otherwise."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return resolve_url(settings.LOGIN_REDIRECT_URL)


class LoginView(auth_views.LoginView):
    """Django's login; the session key changes; staff and people who opted in go on to their
    second factor before anything else."""

    authentication_form = LoginForm
    redirect_authenticated_user = False

    def get_success_url(self):
        target = super().get_success_url()
        query = urlencode({"next": target})
        if second_factor.must_set_up(self.request):
            return f"{reverse('accounts:second_factor_setup')}?{query}"
        if second_factor.must_verify(self.request):
            return f"{reverse('accounts:second_factor_verify')}?{query}"
        return target


def _locked(request):
    user = request.user
    logout(request)
    return get_lockout_response(request, None, {"username": user.get_username()})


def verify(request):
    """Enter a code from the authenticator app or a recovery code."""
    if not request.user.is_authenticated:
        return redirect("accounts:login")
    if not second_factor.must_verify(request):
        return redirect(_next(request))
    if second_factor.must_set_up(request):
        return redirect(reverse("accounts:second_factor_setup"))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if AxesProxyHandler.is_locked(request, {"username": request.user.get_username()}):
            return _locked(request)
        outcome = actions.verify_second_factor(request, form.cleaned_data["code"])
        if outcome == actions.Outcome.VERIFIED:
            reset(username=request.user.get_username())
            return redirect(_next(request))
        if getattr(request, "axes_locked_out", False):
            return _locked(request)
        form.add_error(
            "code",
            _("この回復コードは使用済みです。まだ使っていない回復コードを入力してください。")
            if outcome == actions.Outcome.REPLAYED
            else _(
                "コードが正しくありません。認証アプリの最新の6桁、"
                "または未使用の回復コードを入力してください。"
            ),
        )
    status = 400 if form.errors else 200
    return render(
        request,
        "accounts/second_factor_verify.html",
        {"form": form, "next": _next(request)},
        status=status,
    )


@login_required
def setup(request):
    """Set up the authenticator app: scan the QR code (or type the key), enter a code."""
    if request.user.is_verified() or (
        second_factor.enrolled(request.user) and not second_factor.must_set_up(request)
    ):
        if second_factor.must_verify(request):
            return redirect("accounts:second_factor_verify")
        messages.info(request, _("2段階認証は設定済みです。"))
        return redirect("accounts:second_factor")
    device = second_factor.pending_device(request.user)
    form = SetupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = actions.confirm_authenticator(request, device, form.cleaned_data["code"])
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            return render(
                request,
                "accounts/recovery_codes.html",
                {"codes": codes, "next": _next(request), "first_time": True},
            )
    return render(
        request,
        "accounts/second_factor_setup.html",
        {
            "form": form,
            "qr": second_factor.qr_svg(device),
            "secret": second_factor.secret_text(device),
            "required": second_factor.required(request.user),
            "next": _next(request),
        },
        status=400 if form.errors else 200,
    )


@login_required
def settings_page(request):
    """The person's account: username, address, password, roles."""
    return render(request, "accounts/settings.html")


@login_required
def second_factor_page(request):
    return render(
        request,
        "accounts/second_factor.html",
        {
            "enrolled": second_factor.enrolled(request.user),
            "required": second_factor.required(request.user),
            "codes_left": second_factor.recovery_codes_left(request.user),
        },
    )


@login_required
def sessions_page(request):
    """The person's sessions: started, last seen, address, browser."""
    current = request.session.session_key
    records = [
        {
            "record": record,
            "browser": browser_label(record.user_agent),
            "current": record.session_key == current,
        }
        for record in sessions.recent(request.user)
    ]
    return render(request, "accounts/sessions.html", {"sessions": records})


@login_required
@require_POST
def recovery_codes(request):
    codes = actions.replace_recovery_codes(request)
    return render(
        request,
        "accounts/recovery_codes.html",
        {"codes": codes, "next": reverse("accounts:second_factor"), "first_time": False},
    )


@login_required
@require_POST
def remove_second_factor(request):
    try:
        actions.remove_second_factor(request)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("2段階認証を解除しました。"))
    return redirect("accounts:second_factor")


@login_required
@require_POST
def end_other_sessions(request):
    count = actions.end_other_sessions(request)
    messages.success(request, _("ほかのセッションを%(count)s件終了しました。") % {"count": count})
    return redirect("accounts:sessions")
