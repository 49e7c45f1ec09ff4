"""Forms of the secretariat's pages: the fiscal-year rollover and program uploads."""

from django import forms
from django.conf import settings
from django.core.validators import MinValueValidator
from django.utils.translation import gettext_lazy as _

from renkei.lib.forms import FiscalYearField
from renkei.programs.models import ProgramDraft, ProgramUpload

MB = 1024 * 1024


class RolloverForm(forms.Form):
    fiscal_year = FiscalYearField(
        label=_("新しい年度"),
        help_text=_("例: 令和5、R5、2023（どれでも）。公開中の支援メニューより後の年度です。"),
    )


class DraftForm(forms.ModelForm):
    class Meta:
        model = ProgramDraft
        fields = [
            "included",
            "name",
            "description",
            "department",
            "for_university",
            "for_company",
            "for_local_government",
            "accepts_new_projects",
            "budget_kind",
            "amount_thousand_yen",
            "is_part_of_larger",
            "budget_notes",
            "menu_budget_label",
            "url",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "budget_notes": forms.Textarea(attrs={"rows": 2}),
            "amount_thousand_yen": forms.NumberInput(attrs={"min": 0, "inputmode": "numeric"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["amount_thousand_yen"].validators.append(MinValueValidator(0))
        self.fields["accepts_new_projects"].widget.choices = [
            ("unknown", _("記載なし")),
            ("true", _("有")),
            ("false", _("無")),
        ]
        self.fields["url"].assume_scheme = "https"


class UploadForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("ファイルの種類"), choices=ProgramUpload.Kind.choices, widget=forms.RadioSelect
    )
    # its kind (below) and its size (RENKEI_SPREADSHEET_MAX_BYTES) are checked in clean(),
    # before the view reads it
    file = forms.FileField(
        label=_("ファイル"),
        help_text=_(
            "施策の一覧は「施策」データや renkei programs export と同じ列の CSV・XLSX・JSON、"
            "Jグランツは API の応答（JSON）です。"
        ),
    )

    EXTENSIONS = {
        ProgramUpload.Kind.PROGRAMS: (".csv", ".xlsx", ".json"),
        ProgramUpload.Kind.JGRANTS: (".json",),
    }

    def clean(self):
        cleaned = super().clean()
        upload, kind = cleaned.get("file"), cleaned.get("kind")
        if upload and kind:
            allowed = self.EXTENSIONS[kind]
            if not upload.name.lower().endswith(allowed):
                self.add_error(
                    "file",
                    _("この種類のファイルは %(ext)s です。") % {"ext": "・".join(allowed)},
                )
            limit = getattr(settings, "RENKEI_SPREADSHEET_MAX_BYTES", 10 * MB)
            if upload.size > limit:
                self.add_error(
                    "file",
                    _("ファイルが大きすぎます（%(mb)s MB まで）。") % {"mb": limit // MB},
                )
        return cleaned
