import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from renkei.accounts.models import User
from renkei.communities.models import StrategyMarketArea
from renkei.lib.forms import PublicForm, ResearcherIdsForm
from renkei.lib.uploads import UploadField
from renkei.lib.validators import validate_phone
from renkei.matching.indexes import Scope
from renkei.matching.models import Need, Outcome, Reason, Seed
from renkei.regions.models import ContactWindow, Prefecture

MIN_DESCRIPTION = 10


class NeedForm(forms.ModelForm, PublicForm):
    """The public form: short, friendly, no account needed."""

    required_marks = True  # each label says 必須 or 任意 (renkei.lib.forms.Renderer)

    cooperation = forms.MultipleChoiceField(
        label=_("希望する連携（いくつでも）"),
        choices=Need.Cooperation.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
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


class SeedForm(forms.ModelForm, ResearcherIdsForm):
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
            "researcher_email",
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


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("メモ（担当者だけが読めます）"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ProposeForm(NoteForm):
    ask = forms.BooleanField(label=_("すぐにシーズの機関に打診する"), required=False, initial=True)


class JudgeForm(forms.Form):
    useful = forms.TypedChoiceField(
        label=_("このシーズは役に立つか"),
        choices=[("1", _("役に立つ")), ("0", _("役に立たない"))],
        coerce=lambda v: v == "1",
    )
    rank = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)


class ReasonFields(forms.Form):
    reason = forms.ChoiceField(label=_("理由"), choices=Reason.choices)
    reason_text = forms.CharField(
        label=_("理由（「その他」のときは必ず）"), required=False, max_length=500
    )

    def clean(self):
        data = super().clean()
        if data.get("reason") == Reason.OTHER and not (data.get("reason_text") or "").strip():
            self.add_error("reason_text", _("「その他」のときは理由を書いてください。"))
        return data


class AnswerForm(ReasonFields, NoteForm):
    """The seed's organisation answers a proposal: interested, or declines with a reason."""

    answer = forms.ChoiceField(
        label=_("ご回答"),
        choices=[
            ("interested", _("関心がある（相談者の紹介を受けたい）")),
            ("declined", _("辞退する")),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("コーディネーターへのひとこと（任意）"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].required = False
        self.fields["reason"].choices = [("", _("（辞退のときに選んでください）")), *Reason.choices]

    def clean(self):
        data = forms.Form.clean(self)
        if data.get("answer") == "declined":
            if not data.get("reason"):
                self.add_error("reason", _("辞退の理由を選んでください。"))
            elif data["reason"] == Reason.OTHER and not (data.get("reason_text") or "").strip():
                self.add_error("reason_text", _("「その他」のときは理由を書いてください。"))
        return data


class MeetingForm(NoteForm):
    on = forms.DateField(label=_("面談の日"), widget=forms.DateInput(attrs={"type": "date"}))


class OutcomeForm(NoteForm):
    outcome = forms.ChoiceField(label=_("結果の種類"), choices=Outcome.choices)
    on = forms.DateField(
        label=_("日付（合意日など）"), widget=forms.DateInput(attrs={"type": "date"})
    )
    reason = forms.ChoiceField(label=_("不成立の理由"), choices=Reason.choices, required=False)
    reason_text = forms.CharField(label=_("理由（その他）"), required=False, max_length=500)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].choices = [
            ("", _("（不成立のときに選んでください）")),
            *Reason.choices,
        ]

    def clean(self):
        data = super().clean()
        if data.get("outcome") == Outcome.NOT_CONCLUDED:
            if not data.get("reason"):
                self.add_error("reason", _("不成立の理由を選んでください。"))
            elif data["reason"] == Reason.OTHER and not (data.get("reason_text") or "").strip():
                self.add_error("reason_text", _("「その他」のときは理由を書いてください。"))
        return data


class WithdrawForm(NoteForm):
    reason = forms.ChoiceField(label=_("理由（任意）"), choices=Reason.choices, required=False)
    reason_text = forms.CharField(label=_("理由（その他）"), required=False, max_length=500)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].choices = [("", _("（選ばない）")), *Reason.choices]


class ReassignForm(NoteForm):
    """The secretariat hands a need to a coordinator of some community."""

    to = forms.ModelChoiceField(label=_("新しい担当コーディネーター"), queryset=None)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to"].queryset = User.objects.holding("coordinator").order_by("username")


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
    file = UploadField(label=_("CSV または XLSX ファイル"))
