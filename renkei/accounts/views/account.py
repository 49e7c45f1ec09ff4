"""One's own account: sign up (with a verified address), password reset and change
(Django's views, in Japanese), change of e-mail address (verified)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _

from renkei.accounts import actions, sessions
from renkei.accounts.forms import AccountForm, EmailChangeForm, ResetForm, SignUpForm
from renkei.lib.clients import client_ip
from renkei.lib.forms import add_errors

BACKEND = "renkei.accounts.backends.UsernameOrEmailBackend"


def sign_up(request):
    """Step 1: an address; a link goes to it (the page is the same for every address)."""
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        actions.ask_to_sign_up(form.cleaned_data["email"])
        return render(request, "accounts/sign_up_sent.html", {"email": form.cleaned_data["email"]})
    return render(
        request, "accounts/sign_up.html", {"form": form}, status=400 if form.errors else 200
    )


def sign_up_finish(request, token):
    """Step 2, from the mailed link: username, display name, password."""
    try:
        email = actions.sign_up_address(token)
    except ValidationError as exc:
        return render(
            request, "accounts/link_invalid.html", {"message": " ".join(exc.messages)}, status=400
        )
    form = AccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = actions.sign_up(
                token,
                username=data["username"],
                password=data["password1"],
                display_name=data["display_name"],
                address=client_ip(request),
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            login(request, user, backend=BACKEND)
            messages.success(request, _("アカウントを登録しました。"))
            return redirect(settings.LOGIN_REDIRECT_URL)
    return render(
        request,
        "accounts/sign_up_finish.html",
        {"form": form, "email": email},
        status=400 if form.errors else 200,
    )


@login_required
def change_email(request):
    form = EmailChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        actions.ask_to_change_email(request.user, form.cleaned_data["email"])
        return render(
            request, "accounts/change_email_sent.html", {"email": form.cleaned_data["email"]}
        )
    return render(
        request, "accounts/change_email.html", {"form": form}, status=400 if form.errors else 200
    )


@login_required
def change_email_confirm(request, token):
    try:
        actions.change_email(token, user=request.user, address=client_ip(request))
    except ValidationError as exc:
        return render(
            request, "accounts/link_invalid.html", {"message": " ".join(exc.messages)}, status=400
        )
    messages.success(request, _("メールアドレスを変更しました。"))
    return redirect("accounts:settings")


class PasswordResetView(auth_views.PasswordResetView):
    form_class = ResetForm
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        actions.record_password_change(form.user, reset=True, address=client_ip(self.request))
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    success_url = reverse_lazy("accounts:password_change_done")

    def form_valid(self, form):
        old = self.request.session.session_key
        response = super().form_valid(form)  # other sessions end; this one gets a new key
        sessions.moved(old, self.request.session.session_key)
        actions.record_password_change(form.user, reset=False, address=client_ip(self.request))
        return response
