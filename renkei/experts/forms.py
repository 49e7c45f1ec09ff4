from django import forms
from django.utils.translation import gettext_lazy as _

from renkei.communities.models import StrategyMarketArea
from renkei.experts.models import Availability, Consultation, Engagement, Expert
from renkei.lib.forms import ResearcherIdsForm
from renkei.matching.models import Need
from renkei.regions.models import Language, Organization, Prefecture


class ExpertForm(forms.ModelForm, ResearcherIdsForm):
    engagement = forms.MultipleChoiceField(
        label=_("関わり方"),
        choices=Engagement.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    languages = forms.MultipleChoiceField(
        label=_("対応言語"),
        choices=Language.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Expert
        fields = [
            "name",
            "kind",
            "title",
            "organization",
            "community",
            "email",
            "expertise",
            "fields",
            "market_areas",
            "regions",
            "languages",
            "availability",
            "availability_note",
            "engagement",
            "researchmap_id",
            "kaken_id",
            "public",
            "active",
        ]
        widgets = {
            "expertise": forms.Textarea(attrs={"rows": 5}),
            "market_areas": forms.CheckboxSelectMultiple,
            "regions": forms.SelectMultiple(attrs={"size": 8}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["market_areas"].queryset = StrategyMarketArea.objects.order_by("number")
        self.fields["regions"].queryset = Prefecture.objects.order_by("code")
        self.fields["organization"] = forms.CharField(
            label=_("所属機関（名称・学校コード・法人番号）"), required=False, max_length=200
        )
        if self.instance.pk and self.instance.organization_id:
            self.initial["organization"] = self.instance.organization.name
        self.fields["availability"].choices = Availability.choices

    def clean_organization(self):
        value = (self.cleaned_data.get("organization") or "").strip()
        if not value:
            return None
        found = Organization.objects.identified(value)
        if found is None:
            raise forms.ValidationError(_("機関「%(v)s」が見つかりません。") % {"v": value})
        return found

    def clean_fields(self):
        return "、".join(
            p.strip()
            for p in self.cleaned_data["fields"].replace(",", "、").split("、")
            if p.strip()
        )


class ExpertSearchForm(forms.Form):
    q = forms.CharField(label=_("困りごと・分野で探す"), required=False, max_length=200)
    kind = forms.ChoiceField(
        label=_("種別"), choices=[("", _("すべて")), *Expert.Kind.choices], required=False
    )
    prefecture = forms.ModelChoiceField(
        label=_("対応地域"),
        queryset=Prefecture.objects.order_by("code"),
        to_field_name="code",
        required=False,
        empty_label=_("全国"),
    )
    engagement = forms.ChoiceField(
        label=_("関わり方"), choices=[("", _("すべて")), *Engagement.choices], required=False
    )


class AssignForm(forms.Form):
    note = forms.CharField(
        label=_("依頼の内容（任意）"), required=False, max_length=500, widget=forms.TextInput
    )


class ConsultationForm(forms.ModelForm):
    class Meta:
        model = Consultation
        fields = ["held_on", "asker_kind", "topic", "outcome", "need", "summary"]
        widgets = {
            "held_on": forms.DateInput(attrs={"type": "date"}),
            "summary": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, expert, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["need"].queryset = Need.objects.filter(
            expert_assignments__expert=expert
        ).distinct()
        self.fields["need"].required = False
        self.fields["need"].label = _("割り当てられたご相談（あれば）")
