"""The secretariat uploads program lists and jGrants responses: validated whole, previewed
(new / changed / unchanged), then applied — unless the preview went stale."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from renkei.lib.imports import DataImportError
from renkei.programs.actions import uploads as actions
from renkei.programs.forms import UploadForm
from renkei.programs.models import ProgramUpload


def _secretariat(request):
    if not request.user.is_secretariat:
        raise PermissionDenied(_("施策のアップロードは事務局だけが行えます。"))


def _render_uploads(request, form=None, errors=(), status=200):
    return render(
        request,
        "programs/uploads.html",
        {
            "form": form or UploadForm(initial={"kind": ProgramUpload.Kind.PROGRAMS}),
            "errors": errors,
            "uploads": ProgramUpload.objects.select_related("created_by").defer("content")[:20],
        },
        status=status,
    )


@login_required
def uploads(request):
    _secretariat(request)
    return _render_uploads(request)


@login_required
@require_POST
def upload_new(request):
    _secretariat(request)
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render_uploads(request, form, status=400)
    file = form.cleaned_data["file"]
    try:
        upload = actions.preview_upload(
            form.cleaned_data["kind"], file.read(), file.name, by=request.user
        )
    except DataImportError as exc:
        return _render_uploads(request, form, errors=[str(e) for e in exc.errors], status=400)
    return redirect(upload)


def _upload(pk):
    return get_object_or_404(ProgramUpload.objects.defer("content"), pk=pk)


def _render_upload(request, upload, errors=(), status=200):
    rows = upload.summary.get("rows", [])
    return render(
        request,
        "programs/upload.html",
        {
            "upload": upload,
            "counts": upload.summary.get("counts", {}),
            "groups": [
                (status_, label, [r for r in rows if r["status"] == status_])
                for status_, label in (
                    (actions.NEW, _("新しく載る施策")),
                    (actions.CHANGED, _("変わる施策")),
                    (actions.UNCHANGED, _("変わらない施策")),
                )
            ],
            "errors": errors,
        },
        status=status,
    )


@login_required
def upload(request, pk):
    _secretariat(request)
    return _render_upload(request, _upload(pk))


@login_required
@require_POST
def upload_apply(request, pk):
    _secretariat(request)
    found = _upload(pk)
    try:
        counts = actions.apply_upload(found, by=request.user)
    except ValidationError as exc:
        return _render_upload(request, found, errors=exc.messages, status=409)
    except DataImportError as exc:  # the rules changed since the preview: nothing written
        return _render_upload(request, found, errors=[str(e) for e in exc.errors], status=400)
    messages.success(
        request,
        _("反映しました: 新規 %(created)s 件、更新 %(updated)s 件。") % counts,
    )
    return redirect("programs:uploads")


@login_required
@require_POST
def upload_discard(request, pk):
    _secretariat(request)
    found = _upload(pk)
    try:
        actions.discard_upload(found, by=request.user)
    except ValidationError as exc:
        return _render_upload(request, found, errors=exc.messages, status=409)
    messages.success(request, _("アップロードを取りやめました。カタログは変わっていません。"))
    return redirect("programs:uploads")
