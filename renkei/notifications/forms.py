from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from renkei.notifications.models import ALWAYS_MAILED, Channel, Kind


class PreferencesForm(forms.Form):
    """One choice per kind a person may turn to "inbox only", and the mail language."""

    language = forms.ChoiceField(
        label=_("お知らせとメールの言語"), choices=settings.LANGUAGES, widget=forms.RadioSelect
    )

    def __init__(self, *args, channels, language, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].initial = language
        for kind in self.optional_kinds():
            self.fields[kind.value] = forms.ChoiceField(
                label=kind.label,
                choices=Channel.choices,
                initial=channels.get(kind.value, Channel.MAIL),
                widget=forms.RadioSelect,
            )

    @staticmethod
    def optional_kinds():
        return [kind for kind in Kind if kind not in ALWAYS_MAILED]

    @staticmethod
    def always_mailed():
        return [kind for kind in Kind if kind in ALWAYS_MAILED]

    def channel_fields(self):
        return [self[kind.value] for kind in self.optional_kinds()]

    def channels(self):
        return {kind.value: self.cleaned_data[kind.value] for kind in self.optional_kinds()}
