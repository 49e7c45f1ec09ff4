from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from renkei.accounts.models import Role
from renkei.councils.minutes import check_minutes
from renkei.councils.models import (
    ActionItem,
    CaseStudy,
    Council,
    CouncilMember,
    FindingResponse,
    Meeting,
    Question,
    Survey,
)
from renkei.councils.models.cases import SECTOR_ORDER, sector_mix_label
from renkei.lib.uploads import UploadField
from renkei.programs.models import MarketArea, Program
from renkei.regions.forms import https_urls
from renkei.regions.models import SECTOR_OF_KIND, Municipality, Organization, Prefecture, Sector
from renkei.regions.rules import member_organization_ids

IDENTIFIER_HELP = _("機関のコード、学校コード、地方公共団体コード、または正式名称")


def _organization(value, field_label):
    organization = Organization.objects.identified(value)
    if organization is None:
        raise ValidationError(
            _("「%(v)s」に当たる機関が1つに定まりません。%(help)s で指定してください。")
            % {"v": value, "help": IDENTIFIER_HELP},
            code="unknown_organization",
        )
    return organization


# --- councils ------------------------------------------------------------------------------


class CouncilForm(forms.ModelForm):
    organization_name = forms.CharField(
        label=_("事務局を担う機関"), max_length=200, help_text=IDENTIFIER_HELP, required=False
    )
    municipality_name = forms.CharField(
        label=_("市区町村（市の協議会のとき）"),
        max_length=40,
        required=False,
        help_text=_("名称（例: 札幌市）または地方公共団体コード"),
    )

    class Meta:
        model = Council
        formfield_callback = https_urls
        fields = [
            "name",
            "purpose",
            "prefecture",
            "municipality_name",
            "community",
            "organization",
            "organization_name",
            "established_on",
            "website",
            "is_public",
        ]
        widgets = {
            "purpose": forms.Textarea(attrs={"rows": 4}),
            "established_on": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        communities = self.fields["community"].queryset
        if user.is_secretariat:
            del self.fields["organization"]
            self.fields["organization_name"].required = True
            if self.instance.pk:
                self.initial["organization_name"] = self.instance.organization.name
        else:
            del self.fields["organization_name"]
            coordinated = [
                r.community_id for r in user.cached_roles if r.kind == Role.Kind.COORDINATOR
            ]
            own = set(member_organization_ids(user))
            own |= set(
                communities.filter(pk__in=coordinated).values_list(
                    "network_organization", flat=True
                )
            )
            if self.instance.pk:
                own.add(self.instance.organization_id)
            self.fields["organization"].queryset = Organization.objects.filter(
                pk__in=[pk for pk in own if pk]
            ).order_by("name")
            self.fields["community"].queryset = communities.filter(pk__in=coordinated)
        if self.instance.pk and self.instance.municipality_id:
            self.initial["municipality_name"] = self.instance.municipality.name

    def clean_organization_name(self):
        value = self.cleaned_data.get("organization_name", "")
        return _organization(value, _("事務局を担う機関")) if value else None

    def clean(self):
        data = super().clean()
        if "organization_name" in self.fields and data.get("organization_name"):
            self.instance.organization = data["organization_name"]
        name = (data.get("municipality_name") or "").strip()
        self.instance.municipality = None
        if name:
            prefecture = data.get("prefecture")
            candidates = Municipality.objects.filter(Q(name=name) | Q(lg_code=name))
            if prefecture:
                candidates = candidates.filter(prefecture=prefecture)
            found = list(candidates[:2])
            if len(found) != 1:
                self.add_error(
                    "municipality_name",
                    _(
                        "市区町村「%(n)s」が1つに定まりません。都道府県を選ぶか、地方公共団体コードで指定してください。"
                    )
                    % {"n": name},
                )
            else:
                self.instance.municipality = found[0]
                if not prefecture:
                    data["prefecture"] = found[0].prefecture
                    self.instance.prefecture = found[0].prefecture
        return data


class MemberForm(forms.ModelForm):
    organization_name = forms.CharField(label=_("機関"), max_length=200, help_text=IDENTIFIER_HELP)
    sector = forms.ChoiceField(
        label=_("部門"),
        choices=[("", _("機関の種別から決める")), *Sector.choices],
        required=False,
    )

    class Meta:
        model = CouncilMember
        fields = ["organization_name", "sector", "role", "joined_on", "note"]
        widgets = {"joined_on": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, council, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.council = council

    def clean_organization_name(self):
        organization = _organization(self.cleaned_data["organization_name"], _("機関"))
        self.instance.organization = organization
        return organization

    def clean(self):
        data = super().clean()
        organization = data.get("organization_name")
        if organization is not None and not data.get("sector"):
            data["sector"] = SECTOR_OF_KIND.get(organization.kind, Sector.OTHER)
            self.instance.sector = data["sector"]
        return data

    def validate_unique(self):
        try:
            self.instance.validate_constraints()
        except ValidationError as exc:
            self._update_errors(exc)


class MeetingForm(forms.ModelForm):
    minutes_upload = UploadField(
        kind="minutes",
        label=_("議事録ファイル（PDF または テキスト）"),
        required=False,
        help_text=_("PDF（.pdf）か UTF-8 のテキスト（.txt）。テキストは本文として取り込みます。"),
    )
    attendees = forms.ModelMultipleChoiceField(
        label=_("出席した構成員"),
        queryset=CouncilMember.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    decisions = forms.CharField(
        label=_("決定事項（1行に1件）"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )

    class Meta:
        model = Meeting
        fields = ["held_on", "title", "agenda", "minutes_text", "minutes_upload", "is_public"]
        widgets = {
            "held_on": forms.DateInput(attrs={"type": "date"}),
            "agenda": forms.Textarea(attrs={"rows": 3}),
            "minutes_text": forms.Textarea(attrs={"rows": 8}),
        }

    field_order = [
        "held_on",
        "title",
        "agenda",
        "attendees",
        "decisions",
        "minutes_text",
        "minutes_upload",
        "is_public",
    ]

    def __init__(self, *args, council, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.council = council
        self.fields["attendees"].queryset = council.members.select_related("organization")
        self.fields["attendees"].label_from_instance = lambda m: (
            f"{m.organization.name}（{m.get_sector_display()}）"
        )

    checked_minutes = None

    def clean_minutes_upload(self):
        upload = self.cleaned_data.get("minutes_upload")
        if upload:
            self.checked_minutes = check_minutes(upload)
        return upload

    def decision_lines(self):
        text = self.cleaned_data.get("decisions", "")
        return [line.strip() for line in text.splitlines() if line.strip()]

    def clean_decisions(self):
        lines = [
            line.strip() for line in self.cleaned_data["decisions"].splitlines() if line.strip()
        ]
        too_long = [line for line in lines if len(line) > 500]
        if too_long:
            raise ValidationError(_("決定事項は1件500文字以内で書いてください。"))
        return self.cleaned_data["decisions"]


def _check_done(form, data):
    """A done item has its date; an item not done has none."""
    if data.get("status") == ActionItem.Status.DONE and not data.get("done_on"):
        form.add_error("done_on", _("完了したときは完了日を入力してください。"))
    if data.get("status") != ActionItem.Status.DONE and data.get("done_on"):
        form.add_error("done_on", _("完了日は、状態を「完了」にしたときだけ入力します。"))
    return data


class ActionItemForm(forms.ModelForm):
    class Meta:
        model = ActionItem
        fields = ["title", "owner", "due_on", "meeting", "status", "done_on", "evidence"]
        widgets = {
            "due_on": forms.DateInput(attrs={"type": "date"}),
            "done_on": forms.DateInput(attrs={"type": "date"}),
            "evidence": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, council, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.council = council
        self.fields["owner"].queryset = council.members.select_related("organization")
        self.fields["owner"].label_from_instance = lambda m: m.organization.name
        self.fields["meeting"].queryset = council.meetings.all()

    def clean(self):
        return _check_done(self, super().clean())


class ActionStatusForm(forms.ModelForm):
    class Meta:
        model = ActionItem
        fields = ["status", "done_on", "evidence"]
        widgets = {
            "done_on": forms.DateInput(attrs={"type": "date"}),
            "evidence": forms.Textarea(attrs={"rows": 2}),
        }

    def clean(self):
        return _check_done(self, super().clean())


# --- surveys -------------------------------------------------------------------------------


# Words the survey pages use in their addresses (/councils/surveys/new/).
RESERVED_SLUGS = {"new", "questions", "invitations"}


class SurveyForm(forms.ModelForm):
    class Meta:
        model = Survey
        fields = ["title", "slug", "description", "closes_at", "answers_public"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "closes_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["closes_at"].required = True
        self.fields["closes_at"].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"]
        if self.instance.pk and self.instance.status != Survey.Status.DRAFT:
            self.fields["slug"].disabled = True
            self.fields["answers_public"].disabled = True

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        if slug in RESERVED_SLUGS:
            raise ValidationError(_("この識別子は使えません。別の識別子にしてください。"))
        return slug


class QuestionForm(forms.ModelForm):
    options_text = forms.CharField(
        label=_("選択肢（1行に1つ）"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )

    class Meta:
        model = Question
        fields = [
            "kind",
            "text",
            "help_text",
            "required",
            "options_text",
            "min_value",
            "max_value",
            "unit",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["options_text"] = "\n".join(self.instance.options)

    def clean(self):
        data = super().clean()
        options = [line.strip() for line in (data.get("options_text") or "").splitlines()]
        options = [o for o in options if o]
        kind = data.get("kind")
        if kind in (Question.Kind.SINGLE, Question.Kind.MULTIPLE):
            if len(options) < 2:
                self.add_error("options_text", _("選択式の設問には選択肢を2つ以上書いてください。"))
            elif len(set(options)) != len(options):
                self.add_error("options_text", _("同じ選択肢が2回あります。"))
        elif options:
            self.add_error("options_text", _("選択式でない設問に選択肢は書けません。"))
        low, high = data.get("min_value"), data.get("max_value")
        if kind != Question.Kind.NUMBER and (low is not None or high is not None):
            self.add_error("min_value", _("最小値・最大値は数値の設問だけに設定できます。"))
        if low is not None and high is not None and low > high:
            self.add_error("max_value", _("最大値は最小値以上にしてください。"))
        self.instance.options = options
        return data


PRESETS = [
    ("", _("選ばない")),
    ("bodies67", _("都道府県と政令指定都市（67団体）")),
    ("prefectures", _("都道府県（47団体）")),
    ("designated_cities", _("政令指定都市（20団体）")),
]


def preset_codes(preset):
    """The local-government codes of a preset (prefectures, designated cities or both)."""
    prefectures = list(Prefecture.objects.order_by("code").values_list("lg_code", flat=True))
    cities = list(
        Municipality.objects.designated_cities()
        .order_by("lg_code")
        .values_list("lg_code", flat=True)
    )
    return {
        "bodies67": prefectures + cities,
        "prefectures": prefectures,
        "designated_cities": cities,
    }.get(preset, [])


def _is_body(code):
    return (
        Prefecture.objects.filter(lg_code=code).exists()
        or Municipality.objects.filter(lg_code=code).exists()
    )


class RecipientsForm(forms.Form):
    """Who is asked: a preset and/or one organisation per line. A prefecture or municipality
    may be named by its local-government code before its organisation exists (it is created
    when the survey is sent)."""

    preset = forms.ChoiceField(label=_("送付先のまとまり"), choices=PRESETS, required=False)
    organizations = forms.CharField(
        label=_("送付先の機関（1行に1機関）"),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        help_text=_(
            "機関のコード・学校コード・地方公共団体コード・正式名称。"
            "続けて「,」とメールアドレスを書くと、そのアドレスにも送ります。"
        ),
    )

    def clean(self):
        data = super().clean()
        recipients = {code: (code, "") for code in preset_codes(data.get("preset"))}
        problems = []
        for number, line in enumerate((data.get("organizations") or "").splitlines(), start=1):
            if not line.strip():
                continue
            name, _sep, email = (part.strip() for part in line.partition(","))
            target = Organization.objects.identified(name)
            key = target.lg_code or target.pk if target else name
            if target is None and not _is_body(name):
                problems.append(
                    _("%(n)s行目: 「%(v)s」に当たる機関が1つに定まりません。")
                    % {"n": number, "v": name}
                )
                continue
            if email:
                try:
                    validate_email(email)
                except ValidationError:
                    problems.append(
                        _("%(n)s行目: メールアドレス「%(v)s」の形式が正しくありません。")
                        % {"n": number, "v": email}
                    )
                    continue
            recipients[key] = (target or name, email)
        if problems:
            raise ValidationError(problems)
        if not recipients:
            raise ValidationError(_("送付先を選ぶか、機関を1行に1つ書いてください。"))
        data["recipients"] = list(recipients.values())
        return data


def _plain(number):
    """52.00 → 52 and 2.50 → 2.5, so limits read as people wrote them."""
    if number is None:
        return None
    if number == number.to_integral_value():
        return Decimal(int(number))
    return number.normalize()


class AnswerForm(forms.Form):
    """One field per question (q<id>), then who answered (optional contact)."""

    def __init__(self, *args, questions, response=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        answers = response.answers if response else {}
        for question in self.questions:
            name = f"q{question.pk}"
            common = {
                "label": question.text,
                "help_text": question.help_text,
                "required": question.required,
                "initial": answers.get(question.key),
            }
            if question.kind == Question.Kind.SINGLE:
                field = forms.ChoiceField(
                    choices=[(o, o) for o in question.options], widget=forms.RadioSelect, **common
                )
            elif question.kind == Question.Kind.MULTIPLE:
                field = forms.MultipleChoiceField(
                    choices=[(o, o) for o in question.options],
                    widget=forms.CheckboxSelectMultiple,
                    **common,
                )
            elif question.kind == Question.Kind.NUMBER:
                field = forms.DecimalField(
                    min_value=_plain(question.min_value),
                    max_value=_plain(question.max_value),
                    max_digits=15,
                    decimal_places=2,
                    widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "any"}),
                    **common,
                )
                if question.unit:
                    field.help_text = " ".join(
                        filter(
                            None, [str(question.help_text), _("単位: %(u)s") % {"u": question.unit}]
                        )
                    )
            else:
                field = forms.CharField(
                    widget=forms.Textarea(attrs={"rows": 4}), max_length=4000, **common
                )
            self.fields[name] = field
        self.fields["respondent_name"] = forms.CharField(
            label=_("回答者（部署・氏名）"),
            max_length=200,
            required=False,
            initial=response.respondent_name if response else "",
        )
        self.fields["respondent_email"] = forms.EmailField(
            label=_("回答者のメールアドレス（問い合わせ先）"),
            required=False,
            initial=response.respondent_email if response else "",
        )

    def answers(self):
        """The cleaned answers as stored: {question id: value}."""
        result = {}
        for question in self.questions:
            value = self.cleaned_data.get(f"q{question.pk}")
            if value in (None, "", []):
                continue
            if isinstance(value, Decimal):
                value = format(value.normalize(), "f")
            result[question.key] = value
        return result


class FindingResponseForm(forms.ModelForm):
    class Meta:
        model = FindingResponse
        fields = ["title", "link", "note"]


# --- cases ---------------------------------------------------------------------------------


def sector_mix_choices():
    mixes = sorted(
        set(CaseStudy.objects.exclude(sector_mix="").values_list("sector_mix", flat=True)),
        key=lambda mix: [SECTOR_ORDER.index(Sector(code)) for code in mix.split("+")],
    )
    return [("", _("すべて")), *[(mix, sector_mix_label(mix)) for mix in mixes]]


class CaseSearchForm(forms.Form):
    q = forms.CharField(label=_("言葉"), max_length=100, required=False)
    prefecture = forms.ModelChoiceField(
        label=_("都道府県"),
        queryset=Prefecture.objects.all(),
        to_field_name="code",
        required=False,
        empty_label=_("すべて"),
    )
    market_area = forms.ChoiceField(
        label=_("市場領域"), choices=[("", _("すべて")), *MarketArea.choices], required=False
    )
    sectors = forms.ChoiceField(label=_("部門の組合せ"), choices=[], required=False)
    program = forms.ModelChoiceField(
        label=_("活用した支援施策"),
        queryset=Program.objects.filter(case_studies__isnull=False).distinct(),
        to_field_name="code",
        required=False,
        empty_label=_("すべて"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sectors"].choices = sector_mix_choices()
