"""The secretariat's people pages: everyone by role and organisation, with search; one
person's roles (grant, revoke with a reason), deactivation, and their audit history."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from renkei.accounts import actions
from renkei.accounts.forms import GrantForm, PeopleSearchForm, ReasonForm
from renkei.accounts.models import AuditLog, Role, User
from renkei.lib.clients import client_ip
from renkei.lib.forms import add_errors


def _require_secretariat(user):
    if not user.is_secretariat:
        raise PermissionDenied(_("このページは事務局だけが使えます。"))


def _roles():
    return Prefetch(
        "roles",
        queryset=Role.objects.select_related("community", "organization").order_by("kind"),
    )


@login_required
def people(request):
    _require_secretariat(request.user)
    form = PeopleSearchForm(request.GET or None)
    listed = User.objects.select_related("affiliation").prefetch_related(_roles())
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            q = data["q"].strip()
            listed = listed.filter(
                Q(username__icontains=q)
                | Q(display_name__icontains=q)
                | Q(email__icontains=q)
                | Q(roles__organization__name__icontains=q)
                | Q(roles__community__name__icontains=q)
            ).distinct()
        if data["kind"] == "none":
            listed = listed.filter(roles__isnull=True)
        elif data["kind"]:
            listed = listed.filter(roles__kind=data["kind"]).distinct()
        if data["state"]:
            listed = listed.filter(is_active=data["state"] == "active")
    listed = listed.order_by("-is_active", "username")
    page = Paginator(listed, 50).get_page(request.GET.get("page"))
    with_device = set(
        TOTPDevice.objects.filter(
            user__in=[p.pk for p in page.object_list], confirmed=True
        ).values_list("user_id", flat=True)
    )
    return render(
        request,
        "accounts/people.html",
        {"page": page, "form": form, "with_device": with_device},
    )


@login_required
def person(request, pk, grant_form=None, reason_form=None, status=200):
    _require_secretariat(request.user)
    shown = get_object_or_404(User.objects.prefetch_related(_roles()), pk=pk)
    history = AuditLog.objects.for_object(shown).select_related("actor")[:30]
    return render(
        request,
        "accounts/person.html",
        {
            "person": shown,
            "grant_form": grant_form or GrantForm(),
            "reason_form": reason_form or ReasonForm(),
            "history": history,
            "has_device": TOTPDevice.objects.filter(user=shown, confirmed=True).exists(),
        },
        status=status,
    )


@login_required
@require_POST
def grant(request, pk):
    _require_secretariat(request.user)
    shown = get_object_or_404(User, pk=pk)
    form = GrantForm(request.POST)
    try:
        # One transaction: finding a local government's office may create it.
        with transaction.atomic():
            if form.is_valid():
                data = form.cleaned_data
                actions.grant_role(
                    shown,
                    kind=data["kind"],
                    community=data["community"],
                    organization=data["organization"] or None,
                    by=request.user,
                    reason=data["reason"],
                    address=client_ip(request),
                )
    except ValidationError as exc:
        add_errors(form, exc)
    if form.errors:
        return person(request, pk, grant_form=form, status=400)
    messages.success(request, _("役割を付与しました。"))
    return redirect("accounts:person", pk=pk)


@login_required
@require_POST
def revoke(request, pk, role_pk):
    _require_secretariat(request.user)
    role = get_object_or_404(Role, pk=role_pk, user_id=pk)
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            actions.revoke_role(
                role,
                by=request.user,
                reason=form.cleaned_data["reason"],
                address=client_ip(request),
            )
        except ValidationError as exc:
            add_errors(form, exc)
    if form.errors:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return person(request, pk, reason_form=form, status=400)
    messages.success(request, _("役割を取り消しました。"))
    return redirect("accounts:person", pk=pk)


@login_required
@require_POST
def deactivate(request, pk):
    _require_secretariat(request.user)
    shown = get_object_or_404(User, pk=pk)
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            actions.deactivate_person(
                shown,
                by=request.user,
                reason=form.cleaned_data["reason"],
                address=client_ip(request),
            )
        except ValidationError as exc:
            add_errors(form, exc)
    if form.errors:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return person(request, pk, reason_form=form, status=400)
    messages.success(
        request,
        _("%(person)s さんのアカウントを停止しました。ログイン中のセッションも終了しました。")
        % {"person": shown},
    )
    return redirect("accounts:person", pk=pk)
