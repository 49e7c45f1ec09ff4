"""The start page (マイページ): what waits for the person, gathered from each app's
``todo.py``, and the pages their roles use, so nothing needs a typed address."""

import importlib
from dataclasses import dataclass

from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.module_loading import module_has_submodule
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from renkei.accounts.models import Role
from renkei.communities.models import Community
from renkei.lib.todo import Item
from renkei.portal import jobs
from renkei.regions.models import Organization

# The order of the sections on the page: the person's own account first, then their work.
TODO_APPS = [
    "renkei.accounts",
    "renkei.notifications",
    "renkei.communities",
    "renkei.maturity",
    "renkei.matching",
    "renkei.councils",
    "renkei.regions",
    "renkei.programs",
]


def waiting_for(user):
    """Every app's items for this person (apps without a todo.py have nothing to say)."""
    names = TODO_APPS + sorted(
        config.name
        for config in apps.get_app_configs()
        if config.name.startswith("renkei.") and config.name not in TODO_APPS
    )
    items = []
    for name in names:
        config = next((c for c in apps.get_app_configs() if c.name == name), None)
        if config is None or not module_has_submodule(config.module, "todo"):
            continue
        items += importlib.import_module(f"{name}.todo").waiting_for(user)
    if user.is_secretariat:
        failed = jobs.failed_count()
        if failed:
            items.append(
                Item(
                    title=_("失敗したバックグラウンド処理"),
                    url=reverse("portal:jobs"),
                    count=failed,
                    urgent=True,
                    section=_("事務局: 運用"),
                )
            )
    return items


def sections(items):
    """[(section, [items])] in the order the sections first appear; urgent items first."""
    grouped = {}
    for item in items:
        grouped.setdefault(item.section or _("その他"), []).append(item)
    return [
        (title, sorted(group, key=lambda item: not item.urgent)) for title, group in grouped.items()
    ]


@dataclass(frozen=True)
class Link:
    label: str
    url: str


def _link(label, name, *args, query=""):
    """A link to a named page, or None while that page does not exist (yet)."""
    try:
        return Link(str(label), reverse(name, args=args) + query)
    except NoReverseMatch:
        return None


def _group(title, *links):
    links = [link for link in links if link]
    return (str(title), links) if links else None


def role_links(user):
    """[(heading, [Link])]: the pages each of the person's roles uses."""
    kinds = {role.kind for role in user.cached_roles}
    groups = [
        _group(
            gettext_lazy("自分のアカウント"),
            _link(gettext_lazy("お知らせ"), "notifications:inbox"),
            _link(gettext_lazy("お知らせの受け取り方"), "notifications:preferences"),
            _link(gettext_lazy("保存した検索とフォロー中の施策"), "programs:saved"),
            _link(gettext_lazy("アカウントの設定"), "accounts:settings"),
            _link(gettext_lazy("2段階認証"), "accounts:second_factor"),
            _link(gettext_lazy("ログイン中の端末"), "accounts:sessions"),
            _link(gettext_lazy("パスワードの変更"), "accounts:password_change"),
            _link(gettext_lazy("メールアドレスの変更"), "accounts:change_email"),
            _link(gettext_lazy("あなた宛ての招待"), "accounts:my_invitations"),
        )
    ]
    if user.is_secretariat:
        groups.append(
            _group(
                gettext_lazy("事務局"),
                _link(gettext_lazy("利用者と役割"), "accounts:people"),
                _link(gettext_lazy("招待する"), "accounts:invite"),
                _link(gettext_lazy("招待の一覧"), "accounts:invitations"),
                _link(gettext_lazy("認定ラウンド"), "communities:rounds"),
                _link(gettext_lazy("認定ラウンドを開く"), "communities:round_new"),
                _link(gettext_lazy("支援メニューの年度更新"), "programs:editions"),
                _link(
                    gettext_lazy("施策のアップロード（CSV・XLSX・Jグランツ）"), "programs:uploads"
                ),
                _link(gettext_lazy("成熟度の年次報告"), "maturity:reports"),
                _link(gettext_lazy("成熟度把握指標"), "maturity:indicators"),
                _link(gettext_lazy("ご相談（ニーズ）の受付一覧"), "matching:queue"),
                _link(gettext_lazy("調査（作成・送付・回答の状況）"), "councils:surveys"),
                _link(gettext_lazy("窓口の確認"), "regions:windows_review"),
                _link(gettext_lazy("協議会と指標"), "councils:councils"),
                _link(gettext_lazy("課題と、ポータルの対応"), "councils:findings"),
                _link(gettext_lazy("バックグラウンド処理"), "portal:jobs"),
                _link(gettext_lazy("管理画面"), "admin:index") if user.is_staff else None,
            )
        )
    if Role.Kind.REVIEWER in kinds or user.review_rounds.exists():
        groups.append(
            _group(
                gettext_lazy("審査委員"),
                _link(gettext_lazy("割り当てられた審査"), "communities:reviews"),
                _link(gettext_lazy("認定ラウンド"), "communities:rounds"),
            )
        )
    community_ids = [r.community_id for r in user.cached_roles if r.kind == Role.Kind.COORDINATOR]
    for community in Community.objects.filter(pk__in=community_ids).order_by("name"):
        groups.append(
            _group(
                _("コーディネーター: %(community)s") % {"community": community.name},
                Link(_("コミュニティのページ"), community.get_absolute_url()),
                _link(gettext_lazy("成熟度のダッシュボード"), "maturity:dashboard", community.slug),
                _link(gettext_lazy("年次報告"), "maturity:reports"),
                _link(gettext_lazy("認定ラウンドと申請"), "communities:rounds"),
                _link(gettext_lazy("ご相談（ニーズ）の受付一覧"), "matching:queue"),
                _link(gettext_lazy("協議会"), "councils:councils"),
                _link(gettext_lazy("メンバーを招待する"), "accounts:invite"),
                _link(gettext_lazy("招待の一覧"), "accounts:invitations"),
            )
        )
    organization_ids = [
        r.organization_id for r in user.cached_roles if r.kind == Role.Kind.ORGANIZATION_MEMBER
    ]
    for organization in Organization.objects.filter(pk__in=organization_ids).order_by("name"):
        groups.append(
            _group(
                _("所属機関: %(organization)s") % {"organization": organization.name},
                Link(_("機関のページと窓口"), organization.get_absolute_url()),
                _link(
                    gettext_lazy("自機関の窓口を登録・更新する"),
                    "regions:my_windows",
                    query=f"?organization={organization.pk}",
                ),
                _link(gettext_lazy("協議会を登録する"), "councils:council_new"),
                _link(gettext_lazy("自機関のシーズ"), "matching:my_seeds"),
                _link(gettext_lazy("シーズを登録する"), "matching:seed_new"),
                _link(gettext_lazy("シーズを取り込む（CSV・XLSX）"), "matching:seed_import"),
                _link(gettext_lazy("シーズに合うご相談（連携先を探す）"), "matching:partners"),
                _link(gettext_lazy("同僚を招待する"), "accounts:invite"),
                _link(gettext_lazy("招待の一覧"), "accounts:invitations"),
            )
        )
    return [group for group in groups if group]


@login_required
def mypage(request):
    items = waiting_for(request.user)
    return render(
        request,
        "portal/mypage.html",
        {
            "sections": sections(items),
            "waiting": len(items),
            "links": role_links(request.user),
            "roles": request.user.cached_roles,
        },
    )
