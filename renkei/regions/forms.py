from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from renkei.lib.uploads import UploadField
from renkei.regions.models import ContactWindow, Language, Organization, Prefecture, Topic


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


class WindowSearchForm(OrganizationSearchForm):
    topic = forms.ChoiceField(
        label=_("分野"), required=False, choices=[("", _("すべて")), *Topic.choices]
    )

    field_order = ["q", "topic", "prefecture", "kind"]


def https_urls(field, **kwargs):
    """Model fields to form fields, addresses typed without a scheme read as https://."""
    if isinstance(field, models.URLField):
        kwargs["assume_scheme"] = "https"
    return field.formfield(**kwargs)


class WindowForm(forms.ModelForm):
    """A window as its organisation's members keep it."""

    topics = forms.MultipleChoiceField(
        label=_("取り扱う分野（いくつでも）"),
        choices=Topic.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("取り扱う分野を1つ以上選んでください。")},
    )
    languages = forms.MultipleChoiceField(
        label=_("対応言語"),
        choices=Language.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = ContactWindow
        formfield_callback = https_urls
        fields = [
            "department",
            "topics",
            "description",
            "phone",
            "extension",
            "email",
            "form_url",
            "url",
            "hours",
            "languages",
            "scope",
            "is_primary",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "phone": forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "scope": forms.RadioSelect,
        }

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.organization = organization
        self.instance.organization = organization
        if self.instance.pk and not self.is_bound:
            self.initial["topics"] = [t.value for t in self.instance.topics]
            self.initial["languages"] = list(self.instance.languages or [])

    def validate_unique(self):
        # organization is not a form field; check the constraint with it set
        try:
            self.instance.validate_constraints()
        except forms.ValidationError as exc:
            self._update_errors(exc)


class UploadForm(forms.Form):
    file = UploadField(label=_("ファイル（CSV または XLSX）"))
