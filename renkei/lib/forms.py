"""Form helpers shared by the apps' views."""

import re
import unicodedata

from django import forms
from django.core import validators
from django.forms.renderers import TemplatesSetting
from django.utils.translation import gettext_lazy as _

from renkei.lib import formats
from renkei.lib.validators import validate_kaken_id, validate_researchmap_id


def add_errors(form, error, field=None):
    """Show a ValidationError raised by an action on ``form``.

    Messages the error keys by a field the form has go under that field; all others (keyed
    by a field the form lacks, or not keyed at all) go under ``field``, or on the form as a
    whole when it is None."""
    if hasattr(error, "error_dict"):
        for name, messages in error.message_dict.items():
            form.add_error(name if name in form.fields else field, messages)
    else:
        form.add_error(field, error.messages)


class PublicForm(forms.Form):
    """What every public form (anyone, no account) asks besides its own fields: consent to
    the handling of personal data, and a field people never see that bots fill in.
    Mix it into a ModelForm: ``class NeedForm(forms.ModelForm, PublicForm)``."""

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

    def is_bot(self):
        return bool(self.data.get("website"))


class ResearcherIdsForm(forms.Form):
    """A researcher's KAKEN number and researchmap ID, checked as those services write them.
    Mix it into a ModelForm whose model has both fields."""

    kaken_id = forms.CharField(
        label=_("KAKEN 研究者番号"), required=False, validators=[validate_kaken_id]
    )
    researchmap_id = forms.CharField(
        label=_("researchmap ID"),
        required=False,
        max_length=100,
        validators=[validate_researchmap_id],
    )


class Renderer(TemplatesSetting):
    """How every form of the portal is drawn (settings.FORM_RENDERER): through the project's
    templates, so ``_field.html`` draws each field — its label without Django's ASCII colon
    (a Japanese label stands alone), marked 必須 or 任意 where the form asks for it
    (``required_marks = True``) — and ``django/forms/widgets/select_option.html`` names an
    empty choice 「選択してください」 rather than ``---------``."""

    field_template_name = "_field.html"


_ERAS = {"令和": 2018, "r": 2018, "平成": 1988, "h": 1988, "昭和": 1925, "s": 1925}
_FISCAL_YEAR = re.compile(
    r"^(?:fy)?(?:(?P<era>令和|平成|昭和|[rhs])\.?(?P<n>元|\d{1,2})|(?P<year>\d{4}))(?:年度?|度)?$"
)


def parse_fiscal_year(text):
    """The fiscal year (西暦) a person typed, or None: 令和4, 令和4年度, R4, r4, H30, 平成31年度,
    令和元年度, 2022, 2022年度, FY2022 — full-width digits and spaces allowed. 令和n年度 is
    2018 + n (令和元年度 = 2019 = 平成31年度)."""
    value = unicodedata.normalize("NFKC", str(text or "")).strip().casefold()
    value = re.sub(r"\s+", "", value)
    value = re.sub(r"[(（][^)）]*[)）]$", "", value)  # 令和4年度（2022）
    match = _FISCAL_YEAR.match(value)
    if not match:
        return None
    if match["year"]:
        return int(match["year"])
    return _ERAS[match["era"]] + (1 if match["n"] == "元" else int(match["n"]))


class FiscalYearField(forms.IntegerField):
    """A fiscal year as people write it (令和4, R4 or 2022), cleaned to the 西暦 integer the
    models keep, and shown back in 和暦 (令和4年度). Every form where a 年度 is typed uses it."""

    widget = forms.TextInput

    default_error_messages = {
        "invalid": _("年度は「令和4」「R4」「2022」のように入力してください。"),
        "min_value": _("%(limit_value)s年度以降の年度を入力してください。"),
        "max_value": _("%(limit_value)s年度以前の年度を入力してください。"),
    }

    def __init__(self, *, min_value=2000, max_value=2100, **kwargs):
        kwargs.setdefault("help_text", _("「令和4」「R4」「2022」のどれでも入力できます。"))
        super().__init__(min_value=min_value, max_value=max_value, **kwargs)
        # the limits in 和暦, as the messages say them
        for validator in self.validators:
            if isinstance(validator, validators.BaseValidator) and isinstance(
                validator.limit_value, int
            ):
                validator.message = self.error_messages.get(validator.code, validator.message)

    def widget_attrs(self, widget):
        # not IntegerField's type=number (it refuses 令和4): a short text box
        return {"inputmode": "text", "size": 12, "autocomplete": "off"}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, int):
            return value
        year = parse_fiscal_year(value)
        if year is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return year

    def prepare_value(self, value):
        if isinstance(value, int) or (isinstance(value, str) and value.isdigit()):
            return formats.wareki_fiscal_year(int(value))
        return value
