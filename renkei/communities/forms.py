from django import forms
from django.utils.translation import gettext_lazy as _

from renkei.accounts.models import Role, User
from renkei.communities.models import Application, Community, StrategyMarketArea
from renkei.communities.models.rounds import REQUIREMENTS, RUBRIC
from renkei.ja.normalize import normalize
from renkei.lib.forms import FiscalYearField
from renkei.lib.uploads import UploadField
from renkei.regions.models import Prefecture


class DirectoryForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("種別"), required=False, choices=[("", _("すべて")), *Community.Kind.choices]
    )
    status = forms.ChoiceField(
        label=_("状態"), required=False, choices=[("", _("すべて")), *Community.Status.choices]
    )
    prefecture = forms.ModelChoiceField(
        label=_("都道府県"),
        queryset=Prefecture.objects.all(),
        required=False,
        empty_label=_("すべて"),
        to_field_name="code",
    )
    market_area = forms.ModelChoiceField(
        label=_("市場領域"),
        queryset=StrategyMarketArea.objects.all(),
        required=False,
        empty_label=_("すべて"),
        to_field_name="code",
    )
    theme = forms.CharField(label=_("テーマ"), required=False, max_length=50)

    def filter(self, queryset):
        data = self.cleaned_data
        if data.get("kind"):
            queryset = queryset.filter(kind=data["kind"])
        if data.get("status"):
            queryset = queryset.filter(status=data["status"])
        if data.get("prefecture"):
            queryset = queryset.filter(prefectures=data["prefecture"])
        if data.get("market_area"):
            queryset = queryset.filter(market_areas=data["market_area"])
        if data.get("theme"):
            wanted = normalize(data["theme"])
            queryset = [
                c
                for c in queryset
                if any(wanted in normalize(t) for t in [*c.theme_list, c.overview])
            ]
        return queryset


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class RoundForm(forms.Form):
    kind = forms.ChoiceField(label=_("種別"), choices=Community.Kind.choices)
    fiscal_year = FiscalYearField(label=_("年度"), min_value=2019)
    title = forms.CharField(label=_("名称"), max_length=200)
    opens_at = forms.DateTimeField(label=_("受付開始"), widget=DateTimeInput())
    closes_at = forms.DateTimeField(label=_("受付締切"), widget=DateTimeInput())
    review_deadline = forms.DateTimeField(label=_("審査期限"), widget=DateTimeInput())
    reviewers = forms.ModelMultipleChoiceField(
        label=_("審査委員"),
        queryset=User.objects.filter(roles__kind=Role.Kind.REVIEWER, is_active=True).distinct(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


class StartApplicationForm(forms.Form):
    community = forms.ModelChoiceField(
        label=_("申請するコミュニティ"), queryset=Community.objects.none()
    )

    def __init__(self, *args, communities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = communities


class ApplicationForm(forms.Form):
    """The coordinator's one form on an application: the four answers and a file to attach.
    Each of its buttons (``action``: save, attach, submit; ``remove_attachment``: an
    attachment's id) saves the answers first, so nothing typed is lost."""

    ACTIONS = ("save", "attach", "submit")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field, label in REQUIREMENTS:
            self.fields[field] = forms.CharField(
                label=label,
                required=False,
                max_length=20000,
                widget=forms.Textarea(attrs={"rows": 6}),
            )
        self.fields["file"] = UploadField(
            kind="pdf",
            label=_("添付資料（PDF、10MBまで）"),
            required=False,
            help_text=_("ファイルを選んでどのボタンを押しても、回答とともに保存されます。"),
        )

    def answers_valid(self):
        """Whether the answers can be saved (the file may still have been refused)."""
        self.is_valid()
        return not any(field in self.errors for field, _label in REQUIREMENTS)

    def answers(self):
        """The answers sent (a requirement missing from the form keeps its saved answer)."""
        return {
            field: self.cleaned_data.get(field, "")
            for field, _label in REQUIREMENTS
            if field in self.data
        }

    def action(self):
        action = self.data.get("action", "save")
        return action if action in self.ACTIONS else "save"


def _reviewers():
    return User.objects.holding(Role.Kind.REVIEWER).order_by("display_name", "username")


class AssignForm(forms.Form):
    reviewer = forms.ModelChoiceField(
        label=_("審査委員"),
        queryset=User.objects.none(),
        help_text=_("このラウンドの審査委員でない方を選ぶと、ラウンドにも加わります。"),
    )

    def __init__(self, *args, round_, application=None, **kwargs):
        super().__init__(*args, **kwargs)
        reviewers = _reviewers()
        if application is not None:
            reviewers = reviewers.exclude(review_assignments__application=application)
        self.fields["reviewer"].queryset = reviewers


class RoundReviewerForm(forms.Form):
    reviewer = forms.ModelChoiceField(label=_("加える審査委員"), queryset=User.objects.none())

    def __init__(self, *args, round_, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].queryset = _reviewers().exclude(review_rounds=round_)


class ConflictForm(forms.Form):
    reason = forms.CharField(
        label=_("利益相反の内容"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ReviewForm(forms.Form):
    """A reviewer's scores (1–5, each with its meaning) and comments. ``action``: save_draft
    keeps what is there (any score may be empty), submit requires every score."""

    ACTIONS = ("save_draft", "submit")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(str(score), _score_label(score, meaning)) for score, meaning in RUBRIC]
        for field, label in REQUIREMENTS:
            self.fields[f"{field}_score"] = forms.ChoiceField(
                label=_("%(label)s の評点（1〜5）") % {"label": label},
                choices=choices,
                required=False,
                widget=forms.RadioSelect,
            )
            self.fields[f"{field}_comment"] = forms.CharField(
                label=_("%(label)s の講評") % {"label": label},
                required=False,
                max_length=5000,
                widget=forms.Textarea(attrs={"rows": 3}),
            )

    def action(self):
        action = self.data.get("action", "submit")
        return action if action in self.ACTIONS else "submit"

    def scores(self):
        return {field: self.cleaned_data.get(f"{field}_score") for field, _label in REQUIREMENTS}

    def comments(self):
        return {field: self.cleaned_data.get(f"{field}_comment") for field, _label in REQUIREMENTS}


def _score_label(score, meaning):
    return _("%(score)s：%(meaning)s") % {"score": score, "meaning": meaning}


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("決定"), choices=Application.Decision.choices, widget=forms.RadioSelect
    )
    reasons = forms.CharField(
        label=_("決定の理由"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
