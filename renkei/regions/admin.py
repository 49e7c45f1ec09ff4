from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from renkei.accounts.admin import AuditedAdmin
from renkei.regions.forms import https_urls
from renkei.regions.models import (
    ContactWindow,
    Language,
    Municipality,
    Organization,
    Prefecture,
    WindowTopic,
)


@admin.register(Prefecture)
class PrefectureAdmin(AuditedAdmin):
    list_display = ["code", "name", "lg_code", "block", "capital"]
    list_filter = ["block"]
    search_fields = ["name", "name_kana", "name_en", "lg_code"]


@admin.register(Municipality)
class MunicipalityAdmin(AuditedAdmin):
    list_display = ["lg_code", "prefecture", "name", "kind", "parent"]
    list_filter = ["kind", "prefecture"]
    search_fields = ["name", "name_kana", "lg_code"]
    raw_id_fields = ["parent"]


class ContactWindowInline(admin.StackedInline):
    model = ContactWindow
    extra = 0
    fields = ["department", "phone", "extension", "email", "url", "form_url", "is_primary"]


class ContactWindowAdminForm(forms.ModelForm):
    """Languages as check boxes; the topics are kept under 窓口の分野 (and on the portal's
    window pages), so an edit here never clears them."""

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
            "organization",
            "department",
            "phone",
            "extension",
            "email",
            "url",
            "form_url",
            "description",
            "hours",
            "languages",
            "scope",
            "is_primary",
            "source",
            "archived",
            "confirmed_at",
            "verified_at",
        ]


@admin.register(Organization)
class OrganizationAdmin(AuditedAdmin):
    list_display = ["name", "kind", "prefecture", "school_type", "is_active"]
    raw_id_fields = ["municipality"]
    list_filter = ["kind", "school_type", "establishment", "is_active", "prefecture"]
    search_fields = [
        "name",
        "short_name",
        "search_name",
        "school_code",
        "corporate_number",
        "lg_code",
    ]
    inlines = [ContactWindowInline]


@admin.register(ContactWindow)
class ContactWindowAdmin(AuditedAdmin):
    list_display = [
        "organization",
        "department",
        "phone",
        "email",
        "confirmed_at",
        "verified_at",
        "archived",
    ]
    list_filter = ["organization__kind", "scope", "archived", "topic_links__topic"]
    search_fields = ["organization__name", "department", "email", "description"]
    autocomplete_fields = ["organization"]
    readonly_fields = ["confirmed_by", "verified_by", "reminded_at"]
    form = ContactWindowAdminForm


@admin.register(WindowTopic)
class WindowTopicAdmin(AuditedAdmin):
    list_display = ["window", "topic"]
    list_filter = ["topic"]
