"""The public funnel page: needs to agreements by fiscal year, prefecture and community."""

from django import forms
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from renkei.communities.models import Community
from renkei.lib.formats import wareki_fiscal_year
from renkei.matching import funnel as figures
from renkei.matching.models import AGREEMENTS, Reason
from renkei.regions.models import Prefecture


class FunnelForm(forms.Form):
    fiscal_year = forms.TypedChoiceField(label=_("年度"), coerce=int, required=False)
    prefecture = forms.ModelChoiceField(
        label=_("都道府県"),
        queryset=Prefecture.objects.order_by("code"),
        to_field_name="code",
        required=False,
        empty_label=_("全国"),
    )
    community = forms.ModelChoiceField(
        label=_("バイオコミュニティ"),
        queryset=Community.objects.order_by("name"),
        to_field_name="slug",
        required=False,
        empty_label=_("すべて"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fiscal_year"].choices = [("", _("すべての年度"))] + [
            (year, wareki_fiscal_year(year)) for year in figures.fiscal_years()
        ]

    def filters(self):
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "fiscal_year": data["fiscal_year"] or None,
            "prefecture": data["prefecture"].code if data["prefecture"] else None,
            "community": data["community"].slug if data["community"] else None,
        }


def funnel(request):
    form = FunnelForm(request.GET or None)
    result = figures.compute(**form.filters())
    total = result["total"]
    return render(
        request,
        "matching/funnel.html",
        {
            "form": form,
            "total": total,
            "stages": figures.stage_counts(total),
            "agreements": [(o.label, total["agreements_by_type"][o.value]) for o in AGREEMENTS],
            "reasons": [
                (
                    r.label,
                    total["decline_reasons"][r.value],
                    total["not_concluded_reasons"][r.value],
                )
                for r in Reason
            ],
            "by_year": [
                (wareki_fiscal_year(year), figures.stage_counts(row), row)
                for year, row in result["by_year"].items()
            ],
            "stage_labels": [label for _key, label in figures.STAGES],
        },
    )
