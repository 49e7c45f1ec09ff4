"""The secretariat rolls the support menu into a new fiscal year: start, edit each program
beside last year's figures, publish all together (ADR 0008)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from renkei.lib.formats import wareki_fiscal_year
from renkei.lib.forms import add_errors
from renkei.programs import actions
from renkei.programs.forms import DraftForm, RolloverForm
from renkei.programs.models import MenuEdition, catalogue_fiscal_year


def _secretariat(request):
    if not request.user.is_secretariat:
        raise PermissionDenied(_("支援メニューの年度更新は事務局だけが行えます。"))


def _render_editions(request, form=None, status=200):
    current = catalogue_fiscal_year()
    return render(
        request,
        "programs/editions.html",
        {
            "editions": MenuEdition.objects.all(),
            "current": current,
            "form": form or RolloverForm(initial={"fiscal_year": (current or 2022) + 1}),
        },
        status=status,
    )


@login_required
def editions(request):
    _secretariat(request)
    return _render_editions(request)


@login_required
@require_POST
def edition_new(request):
    _secretariat(request)
    form = RolloverForm(request.POST)
    if form.is_valid():
        try:
            edition = actions.start_rollover(form.cleaned_data["fiscal_year"], by=request.user)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(
                request,
                _(
                    "支援メニューを新しい年度に引き継ぎました。各施策の内容と予算額を確認してください。"
                ),
            )
            return redirect(edition)
    return _render_editions(request, form, status=400)


def _edition(fiscal_year):
    return get_object_or_404(MenuEdition, fiscal_year=fiscal_year)


def _render_edition(request, edition, errors=(), status=200):
    drafts = list(edition.drafts.select_related("program__ministry"))
    return render(
        request,
        "programs/edition.html",
        {
            "edition": edition,
            "drafts": drafts,
            "missing": [d for d in drafts if not d.ready],
            "included": sum(1 for d in drafts if d.included),
            "errors": errors,
        },
        status=status,
    )


@login_required
def edition(request, fiscal_year):
    _secretariat(request)
    return _render_edition(request, _edition(fiscal_year))


@login_required
def draft(request, fiscal_year, pk):
    _secretariat(request)
    edition = _edition(fiscal_year)
    found = get_object_or_404(edition.drafts.select_related("program"), pk=pk)
    form = DraftForm(request.POST or None, instance=found)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                actions.edit_draft(form, by=request.user)
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(request, _("「%(name)s」を保存しました。") % {"name": found.name})
                return redirect(edition)
        status = 400
    return render(
        request,
        "programs/draft.html",
        {"edition": edition, "draft": found, "form": form, "previous": found.previous},
        status=status,
    )


@login_required
@require_POST
def edition_publish(request, fiscal_year):
    _secretariat(request)
    edition = _edition(fiscal_year)
    try:
        actions.publish_edition(edition, by=request.user)
    except ValidationError as exc:
        return _render_edition(request, edition, errors=exc.messages, status=400)
    messages.success(
        request,
        _("%(fy)sの支援メニューを公開しました。") % {"fy": wareki_fiscal_year(edition.fiscal_year)},
    )
    return redirect("programs:budget_overview")


@login_required
@require_POST
def edition_discard(request, fiscal_year):
    _secretariat(request)
    edition = _edition(fiscal_year)
    try:
        actions.discard_edition(edition, by=request.user)
    except ValidationError as exc:
        return _render_edition(request, edition, errors=exc.messages, status=400)
    messages.success(request, _("準備中の年度版を取りやめました。"))
    return redirect("programs:editions")
