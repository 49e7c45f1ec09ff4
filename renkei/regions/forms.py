from django import forms
from django.utils.translation import gettext_lazy as _

from renkei.regions.models import Organization, Prefecture


class OrganizationSearchForm(forms.Form):
    q = forms.CharField(label=_("名称"), required=False, max_length=100)
    prefecture = forms.ModelChoiceField(
        label=_("都道府県"),
        queryset=Prefecture.objects.all(),
        required=False,
        empty_label=_("すべて"),
        to_field_name="code",
    )
    kind = forms.ChoiceField(
        label=_("種別"), required=False, choices=[("", _("すべて")), *Organization.Kind.choices]
    )

    def filter(self, queryset):
        data = self.cleaned_data
        if data.get("q"):
            queryset = queryset.search(data["q"])
        if data.get("prefecture"):
            queryset = queryset.in_prefecture(data["prefecture"])
        if data.get("kind"):
            queryset = queryset.filter(kind=data["kind"])
        return queryset
