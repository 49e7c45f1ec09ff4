from django import forms

from renkei.contributions.models import CouncilRole, Researcher
from renkei.councils.models import Council
from renkei.lib.forms import ResearcherIdsForm
from renkei.regions.models import Organization
from renkei.regions.rules import member_organization_ids


class ResearcherForm(forms.ModelForm, ResearcherIdsForm):
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
