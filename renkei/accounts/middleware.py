"""Two guards on every request of a signed-in person (ADR 0005).

``SessionPolicyMiddleware`` ends a session that has been idle or open too long (staff: 30
minutes idle, 8 hours in all). ``SecondFactorMiddleware`` sends a person who must use a
second factor and has not yet entered a code in this session to set it up or to enter one:
every other page, action, the admin and the API are refused until then.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils.translation import gettext as _

from renkei.accounts import second_factor, sessions

# Pages a person may open before their second factor is verified.
OPEN_BEFORE_VERIFIED = frozenset(
    {
        "accounts:second_factor_setup",
        "accounts:second_factor_verify",
        "accounts:logout",
        "accounts:login",
        "set_language",
    }
)


def _with_next(url, request):
    if request.method != "GET":
        return url
    return f"{url}?{urlencode({'next': request.get_full_path()})}"


class SessionPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated:
            reason = sessions.expired(request, user)
            if reason:
                logout(request)
                messages.info(
                    request,
                    _(
                        "しばらく操作がなかったため、ログアウトしました。もう一度ログインしてください。"
                    )
                    if reason == "idle"
                    else _(
                        "ログインしてから%(hours)s時間たったため、ログアウトしました。"
                        "もう一度ログインしてください。"
                    )
                    % {"hours": settings.RENKEI_STAFF_SESSION_HOURS},
                )
                return redirect(_with_next(reverse("accounts:login"), request))
        return self.get_response(request)


class SecondFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if second_factor.must_verify(request):
            try:
                name = resolve(request.path_info).view_name
            except Resolver404:
                name = ""
            if name not in OPEN_BEFORE_VERIFIED:
                return self.refuse(request)
        return self.get_response(request)

    def refuse(self, request):
        if request.path_info.startswith("/api/"):
            return JsonResponse(
                {"detail": _("2段階認証を済ませてから利用してください。")}, status=403
            )
        if second_factor.must_set_up(request):
            target = reverse("accounts:second_factor_setup")
        else:
            target = reverse("accounts:second_factor_verify")
        return redirect(_with_next(target, request))
