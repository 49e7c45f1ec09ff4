from django import forms
from django.utils.translation import gettext_lazy as _

from renkei.lib.forms import PublicForm
from renkei.regions.models import ContactWindow, Prefecture, Topic
from renkei.regulatory.models import RegulatoryConsultation, RegulatoryTopic

MIN_QUESTION = 10


class AskForm(forms.ModelForm, PublicForm):
    """The public form: anyone, no account."""

    class Meta:
        model = RegulatoryConsultation
        fields = [
            "topic",
            "title",
            "question",
            "prefecture",
            "asker_kind",
            "asker_organization",
            "asker_name",
            "email",
            "publish_consent",
        ]
        widgets = {
            "question": forms.Textarea(attrs={"rows": 8}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "asker_name": forms.TextInput(attrs={"autocomplete": "name"}),
            "asker_organization": forms.TextInput(attrs={"autocomplete": "organization"}),
        }
        help_texts = {
            "title": _("例: ゲノム編集した魚を養殖して売るには、どんな届出が要りますか"),
            "question": _(
                "何をしようとしていて、どの規制が関係しそうか、わかる範囲で書いてください。"
            ),
            "email": _("確認と回答のお知らせを送ります。公開されることはありません。"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["prefecture"].queryset = Prefecture.objects.order_by("code")
        self.fields["prefecture"].empty_label = _("選んでください")
        self.fields["topic"].choices = RegulatoryTopic.choices

    def clean_question(self):
        text = self.cleaned_data["question"].strip()
        if len(text) < MIN_QUESTION:
            raise forms.ValidationError(
                _("もう少しくわしく（%(n)s文字以上）書いてください。") % {"n": MIN_QUESTION}
            )
        return text


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("回答（相談者に届きます）"),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=8000,
    )
    public_question = forms.CharField(
        label=_("公開する質問（匿名。相談者が同意したときだけ公開）"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    public_answer = forms.CharField(
        label=_("公開する回答"),
        required=False,
        max_length=8000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class PublishForm(forms.Form):
    public_question = forms.CharField(
        label=_("公開する質問（匿名）"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    public_answer = forms.CharField(
        label=_("公開する回答"), max_length=8000, widget=forms.Textarea(attrs={"rows": 4})
    )


class RouteForm(forms.Form):
    window = forms.ModelChoiceField(label=_("窓口"), queryset=None)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["window"].queryset = (
            ContactWindow.objects.listed()
            .handling(Topic.REGULATION)
            .select_related("organization")
            .order_by("organization__name", "department")
        )


class SearchForm(forms.Form):
    q = forms.CharField(label=_("言葉で探す"), required=False, max_length=200)
    topic = forms.ChoiceField(
        label=_("分野"), choices=[("", _("すべて")), *RegulatoryTopic.choices], required=False
    )
