from django import forms
from django.utils.translation import gettext_lazy as _

from renkei.communities.models import Community
from renkei.lib.forms import FiscalYearField
from renkei.lib.uploads import UploadField
from renkei.maturity.models import Indicator


class NewReportForm(forms.Form):
    community = forms.ModelChoiceField(label=_("コミュニティ"), queryset=Community.objects.none())
    fiscal_year = FiscalYearField(label=_("年度"), min_value=1990)

    def __init__(self, *args, communities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = communities


class ValuesForm(forms.Form):
    """One value and one explanation per indicator the coordinator reports."""

    def __init__(self, *args, report, **kwargs):
        super().__init__(*args, **kwargs)
        existing = {v.indicator_id: v for v in report.values.all()}
        self.indicators = [i for i in Indicator.objects.active() if not i.automatic]
        for indicator in self.indicators:
            current = existing.get(indicator.pk)
            self.fields[f"value_{indicator.code}"] = forms.CharField(
                label=f"{indicator.name}（{indicator.get_unit_display()}）",
                required=False,
                max_length=30,
                initial=format(current.value.normalize(), "f") if current else "",
                widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 14}),
            )
            self.fields[f"comment_{indicator.code}"] = forms.CharField(
                label=_("%(name)s の説明") % {"name": indicator.name},
                required=False,
                max_length=2000,
                initial=current.comment if current else "",
            )

    def rows(self):
        """Filled indicators as (row, {indicator, value, comment}) for actions.check_rows."""
        rows = []
        for number, indicator in enumerate(self.indicators, start=1):
            value = self.cleaned_data.get(f"value_{indicator.code}", "").strip()
            if value:
                rows.append(
                    (
                        number,
                        {
                            "indicator": indicator.code,
                            "value": value,
                            "comment": self.cleaned_data.get(f"comment_{indicator.code}", ""),
                        },
                    )
                )
        return rows

    def add_row_errors(self, errors):
        for error in errors:
            indicator = (
                self.indicators[error.row - 1]
                if error.row and error.row <= len(self.indicators)
                else None
            )
            field = None
            if indicator is not None:
                field = (
                    f"comment_{indicator.code}"
                    if error.column == "comment"
                    else f"value_{indicator.code}"
                )
            self.add_error(field, error.message)


class UploadForm(forms.Form):
    file = UploadField(label=_("CSV または XLSX（列: indicator, value, unit, comment）"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("CSV か XLSX のファイルを選んでください。"))
        if upload.size > 2 * 1024 * 1024:
            raise forms.ValidationError(_("ファイルが大きすぎます（上限 2 MB）。"))
        return upload


class ReviewForm(forms.Form):
    note = forms.CharField(
        label=_("修正してほしい点（修正を依頼するとき）"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
