"""Invitations: inviting from the portal (one person or a file), the list with resend and
revoke, and accepting by link."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from renkei.accounts import actions, bindings
from renkei.accounts.forms import AccountForm, InvitationFileForm, InvitationFilterForm, InviteForm
from renkei.accounts.models import Invitation, Role
from renkei.accounts.permissions import may_invite
from renkei.lib.clients import client_ip
from renkei.lib.forms import add_errors
from renkei.lib.imports import DataImportError

BACKEND = "renkei.accounts.backends.UsernameOrEmailBackend"


def _require_inviter(user):
    if not may_invite(user):
        raise PermissionDenied(
            _("招待できるのは、事務局、コミュニティのコーディネーター、機関の担当者です。")
        )


def _invite_form(user, data=None):
    """The form with the roles and targets ``user`` may grant."""
    if user.is_secretariat:
        return InviteForm(
            data, kinds=set(Role.Kind.values), communities=bindings.choices("community")
        )
    kinds = set()
    communities, organizations = [], []
    for role in user.roles.select_related("community", "organization"):
        if role.kind == Role.Kind.COORDINATOR:
            kinds.add(Role.Kind.COORDINATOR)
            communities.append((role.community_id, str(role.community)))
        elif role.kind == Role.Kind.ORGANIZATION_MEMBER:
            kinds.add(Role.Kind.ORGANIZATION_MEMBER)
            organizations.append((role.organization_id, str(role.organization)))
    return InviteForm(data, kinds=kinds, communities=communities, organizations=organizations)


@login_required
def invitations(request):
    """The secretariat's list of every invitation; others see those they sent."""
    _require_inviter(request.user)
    listed = Invitation.objects.with_current_state().select_related(
        "invited_by", "community", "organization", "round", "accepted_by"
    )
    if not request.user.is_secretariat:
        listed = listed.sent_by(request.user)
    filters = InvitationFilterForm(request.GET or None)
    if filters.is_valid() and filters.cleaned_data["state"]:
        listed = listed.filter(state_now=filters.cleaned_data["state"])
    page = Paginator(listed, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/invitations.html",
        {"page": page, "filters": filters, "now": timezone.now()},
    )


@login_required
def invite(request):
    _require_inviter(request.user)
    form = _invite_form(request.user, request.POST or None)
    if request.method == "POST":
        try:
            # One transaction: finding a local government's office may create it.
            with transaction.atomic():
                if form.is_valid():
                    data = form.cleaned_data
                    invitation, _link = actions.invite_person(
                        actions.InvitationRequest(
                            email=data["email"],
                            kind=data["kind"],
                            community=data.get("community"),
                            organization=data.get("organization"),
                            round=data.get("round"),
                            name=data.get("name", ""),
                        ),
                        by=request.user,
                        address=client_ip(request),
                    )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            if form.is_valid():
                messages.success(
                    request,
                    _("%(email)s さんに招待を送りました（有効期限 %(expires)s）。")
                    % {"email": invitation.email, "expires": actions.when(invitation.expires_at)},
                )
                return redirect("accounts:invitations")
    return render(
        request,
        "accounts/invite.html",
        {"form": form, "file_form": InvitationFileForm() if request.user.is_secretariat else None},
        status=400 if form.errors else 200,
    )


@login_required
def invite_file(request):
    """Invite everyone in a CSV/XLSX file (the secretariat), or nobody."""
    if not request.user.is_secretariat:
        raise PermissionDenied(_("ファイルからの一括招待は事務局だけが行えます。"))
    form = InvitationFileForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            created = actions.invite_from_file(
                upload.read(), upload.name, by=request.user, address=client_ip(request)
            )
        except DataImportError as exc:
            errors = exc.errors
        else:
            messages.success(
                request, _("%(count)s 人に招待を送りました。") % {"count": len(created)}
            )
            return redirect("accounts:invitations")
    return render(
        request,
        "accounts/invite_file.html",
        {"form": form, "errors": errors},
        status=400 if (errors or form.errors) else 200,
    )


@login_required
@require_POST
def resend(request, pk):
    invitation = get_object_or_404(Invitation, pk=pk)
    try:
        actions.resend_invitation(invitation, by=request.user, address=client_ip(request))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("%(email)s さんに招待を再送しました。") % {"email": invitation.email}
        )
    return redirect("accounts:invitations")


@login_required
@require_POST
def revoke(request, pk):
    invitation = get_object_or_404(Invitation, pk=pk)
    try:
        actions.revoke_invitation(invitation, by=request.user, address=client_ip(request))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("%(email)s さんへの招待を取り消しました。") % {"email": invitation.email},
        )
    return redirect("accounts:invitations")


def accept(request, token):
    """The invitation link: a new person chooses a username and password; a signed-in person
    adds the role to their account."""
    try:
        invitation = actions.invitation_for(token)
    except actions.InvalidInvitation as exc:
        return render(
            request, "accounts/link_invalid.html", {"message": " ".join(exc.messages)}, status=410
        )
    signed_in = request.user.is_authenticated
    form = None if signed_in else AccountForm(request.POST or None)
    if request.method == "POST" and (signed_in or form.is_valid()):
        account = None
        if form is not None:
            account = {
                "username": form.cleaned_data["username"],
                "password": form.cleaned_data["password1"],
                "display_name": form.cleaned_data["display_name"],
            }
        try:
            person = actions.accept_invitation(
                token,
                user=request.user if signed_in else None,
                account=account,
                address=client_ip(request),
            )
        except actions.InvalidInvitation as exc:
            return render(
                request,
                "accounts/link_invalid.html",
                {"message": " ".join(exc.messages)},
                status=410,
            )
        except ValidationError as exc:
            if form is None:
                messages.error(request, " ".join(exc.messages))
            else:
                add_errors(form, exc)
        else:
            if not signed_in:
                login(request, person, backend=BACKEND)
            messages.success(
                request,
                _("招待を受けました。あなたの役割: %(role)s") % {"role": invitation.role_label},
            )
            return redirect(settings.LOGIN_REDIRECT_URL)
    return render(
        request,
        "accounts/accept.html",
        {"invitation": invitation, "form": form},
        status=400 if form is not None and form.errors else 200,
    )


@login_required
def mine(request):
    """Invitations sent to the address of the signed-in person's account."""
    pending = (
        Invitation.objects.to(request.user.email).pending().select_related("invited_by")
        if request.user.email
        else Invitation.objects.none()
    )
    return render(request, "accounts/my_invitations.html", {"invitations": pending})


@login_required
@require_POST
def accept_own(request, pk):
    invitation = get_object_or_404(Invitation, pk=pk)
    try:
        actions.accept_own_invitation(invitation, user=request.user, address=client_ip(request))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("accounts:my_invitations")
    messages.success(
        request, _("招待を受けました。あなたの役割: %(role)s") % {"role": invitation.role_label}
    )
    return redirect(settings.LOGIN_REDIRECT_URL)
