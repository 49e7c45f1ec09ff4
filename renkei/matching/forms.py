import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from renkei.communities.models import StrategyMarketArea
from renkei.lib.validators import validate_phone
from renkei.matching.indexes import Scope
from renkei.matching.models import MatchRecord, Need, Seed
from renkei.regions.models import ContactWindow, Prefecture

MIN_DESCRIPTION = 10


class NeedForm(forms.ModelForm):
    """The public form: short, friendly, no account needed."""

    cooperation = forms.MultipleChoiceField(
        label=_("希望する連携（いくつでも）"),
        choices=Need.Cooperation.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    consent = forms.BooleanField(
        label=_("個人情報の取扱いに同意します"),
        error_messages={"required": _("個人情報の取扱いへの同意が必要です。")},
    )
    # A field people never see (hidden by CSS and from assistive technology); bots fill it.
    website = forms.CharField(
        label=_("この欄は空のままにしてください"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    class Meta:
        model = Need
        fields = [
            "title",
            "description",
            "prefecture",
            "outside_partners_welcome",
            "cooperation",
            "timeline",
            "budget",
            "submitter_kind",
            "submitter_organization",
            "submitter_name",
            "email",
            "phone",
            "show_name",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 8}),
            "title": forms.TextInput(attrs={"size": 50}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "phone": forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
            "submitter_name": forms.TextInput(attrs={"autocomplete": "name"}),
            "submitter_organization": forms.TextInput(attrs={"autocomplete": "organization"}),
        }
        help_texts = {
            "title": _("例: 牡蠣の殻の処分に困っている"),
            "description": _(
                "専門用語は要りません。いま何に困っていて、どうなれば助かるかを書いてください。"
            ),
            "phone": _("任意。公開されることはありません。"),
            "email": _("確認のメールを送ります。公開されることはありません。"),
            "show_name": _("許可しない場合、一覧には会社・団体名を出しません。"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["prefecture"].queryset = Prefecture.objects.order_by("code")
        self.fields["prefecture"].empty_label = _("選んでください")

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        if phone:
            validate_phone(phone)
        return phone

    def clean_description(self):
        text = self.cleaned_data["description"].strip()
        if len(text) < MIN_DESCRIPTION:
            raise ValidationError(
                _("もう少しくわしく（%(n)s文字以上）書いてください。") % {"n": MIN_DESCRIPTION}
            )
        return text

    def is_bot(self):
        return bool(self.data.get("website"))


class SeedForm(forms.ModelForm):
    kaken_id = forms.CharField(
        label=_("KAKEN 研究者番号"),
        required=False,
        validators=[RegexValidator(r"^\d{8}$", _("KAKEN 研究者番号は8桁の数字です。"))],
    )
    researchmap_id = forms.CharField(
        label=_("researchmap ID"),
        required=False,
        max_length=100,
        validators=[
            RegexValidator(r"^[A-Za-z0-9_.-]+$", _("researchmap ID は英数字で入力してください。"))
        ],
    )

    class Meta:
        model = Seed
        fields = [
            "title",
            "summary",
            "problem",
            "advantage",
            "uses",
            "stage",
            "keywords",
            "market_areas",
            "patents",
            "researcher_name",
            "researcher_affiliation",
            "researchmap_id",
            "kaken_id",
            "prefecture",
            "contact_window",
            "visibility",
            "code",
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 5}),
            "problem": forms.Textarea(attrs={"rows": 3}),
            "advantage": forms.Textarea(attrs={"rows": 3}),
            "uses": forms.Textarea(attrs={"rows": 3}),
            "market_areas": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.organization = organization
        self.fields["contact_window"].queryset = ContactWindow.objects.filter(
            organization=organization
        )
        self.fields["market_areas"].queryset = StrategyMarketArea.objects.order_by("number")
        self.fields["prefecture"].queryset = Prefecture.objects.order_by("code")
        if not self.instance.pk:
            self.initial.setdefault("prefecture", organization.prefecture_id)

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        if (
            code
            and Seed.objects.filter(organization=self.organization, code=code)
            .exclude(pk=self.instance.pk)
            .exists()
        ):
            raise ValidationError(_("番号「%(code)s」は既に使われています。") % {"code": code})
        return code

    def clean_keywords(self):
        parts = re.split(r"[、,，;；\n]+", self.cleaned_data["keywords"])
        return "、".join(p.strip() for p in parts if p.strip())


class MatchRecordForm(forms.ModelForm):
    class Meta:
        model = MatchRecord
        fields = ["status", "agreement", "agreed_on", "note"]
        widgets = {
            "agreed_on": forms.DateInput(attrs={"type": "date"}),
            "note": forms.Textarea(attrs={"rows": 3}),
        }

    def clean(self):
        data = super().clean()
        if data.get("status") == MatchRecord.Status.AGREED and not data.get("agreement"):
            self.add_error("agreement", _("合意の内容を選んでください。"))
        return data


class MatchFilterForm(forms.Form):
    scope = forms.ChoiceField(label=_("探す範囲"), choices=Scope.choices, required=False)
    stage = forms.MultipleChoiceField(
        label=_("開発段階"),
        choices=Seed.Stage.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def values(self):
        if not self.is_valid():
            return Scope.NATIONWIDE, ()
        scope = self.cleaned_data["scope"] or Scope.NATIONWIDE
        return scope, tuple(self.cleaned_data["stage"])


class SeedSearchForm(forms.Form):
    q = forms.CharField(label=_("キーワード・困りごと"), required=False, max_length=200)
    prefecture = forms.ModelChoiceField(
        label=_("都道府県"),
        queryset=Prefecture.objects.order_by("code"),
        required=False,
        empty_label=_("全国"),
    )
    stage = forms.MultipleChoiceField(
        label=_("開発段階"),
        choices=Seed.Stage.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class UploadForm(forms.Form):
    file = forms.FileField(label=_("CSV または XLSX ファイル"))
