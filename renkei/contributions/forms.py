from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from renkei.contributions.models import CouncilRole, Researcher
from renkei.councils.models import Council
from renkei.regions.models import Organization
from renkei.regions.rules import member_organization_ids


class ResearcherForm(forms.ModelForm):
    kaken_id = forms.CharField(
        label=_("KAKEN 研究者番号"),
        required=False,
        validators=[RegexValidator(r"^\d{8}$", _("KAKEN 研究者番号は8桁の数字です。"))],
    )
    researchmap_id = forms.CharField(
        label=_("researchmap ID"),
        required=False,
        max_length=100,
        validators=[
            RegexValidator(r"^[A-Za-z0-9_.-]+$", _("researchmap ID は英数字で入力してください。"))
        ],
    )

    class Meta:
        model = Researcher
        fields = ["organization", "name", "researchmap_id", "kaken_id", "email"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        organizations = Organization.objects.order_by("name")
        if not user.is_secretariat:
            organizations = organizations.filter(pk__in=member_organization_ids(user))
        self.fields["organization"].queryset = organizations


class CouncilRoleForm(forms.ModelForm):
    class Meta:
        model = CouncilRole
        fields = ["council", "role", "since", "until"]
        widgets = {
            "since": forms.DateInput(attrs={"type": "date"}),
            "until": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["council"].queryset = Council.objects.order_by("name")
