from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from renkei.accounts import bindings
from renkei.accounts.models import Invitation, Role
from renkei.lib.uploads import UploadField
from renkei.notifications import tell
from renkei.notifications.models import Kind


class LoginForm(AuthenticationForm):
    """Django's login form; ``username`` takes a username or an e-mail address, and a wrong
    pair gets one message whether or not the account exists."""

    username = forms.CharField(
        label=_("ユーザー名またはメールアドレス"),
        max_length=254,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Django limits the field to the username's length; an e-mail address may be longer.
        self.fields["username"].max_length = 254
        self.fields["username"].widget.attrs["maxlength"] = "254"

    error_messages = {
        "invalid_login": _(
            "ユーザー名（またはメールアドレス）とパスワードの組み合わせが正しくありません。"
        ),
        "inactive": _(
            "ユーザー名（またはメールアドレス）とパスワードの組み合わせが正しくありません。"
        ),
    }


class ResetForm(PasswordResetForm):
    """Django's reset form, mailing through renkei's notifications. An unknown address gets
    no mail and the same page (Django's own behaviour)."""

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        link = reverse(
            "accounts:password_reset_confirm",
            kwargs={"uidb64": context["uid"], "token": context["token"]},
        )
        tell(
            Kind.ACCOUNT,
            [context["user"]],
            _("【renkei】パスワードの再設定"),
            "accounts/email/password_reset.txt",
            {"username": context["user"].get_username()},
            link=link,
        )


class SignUpForm(forms.Form):
    email = forms.EmailField(
        label=_("メールアドレス"),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=_("確認のリンクをお送りします。"),
    )


class AccountForm(forms.Form):
    """Username, display name and password of a new account (sign-up, accepting an
    invitation)."""

    username = forms.CharField(
        label=_("ユーザー名"),
        max_length=150,
        help_text=_("半角英数字と @ . + - _ が使えます。ログインに使います。"),
        widget=forms.TextInput(attrs={"autocomplete": "username"}),
    )
    display_name = forms.CharField(
        label=_("表示名"),
        max_length=100,
        required=False,
        help_text=_("ポータルで表示されるお名前です（例: 佐藤（事務局））。"),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    password1 = forms.CharField(
        label=_("パスワード"),
        strip=False,
        help_text=_("12文字以上で、推測されにくいものにしてください。"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("パスワード（確認）"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", _("パスワードが一致しません。"))
        return data


class EmailChangeForm(forms.Form):
    email = forms.EmailField(
        label=_("新しいメールアドレス"), widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    password = forms.CharField(
        label=_("現在のパスワード"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, user, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("パスワードが正しくありません。"))
        return password


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("確認コード"),
        max_length=20,
        help_text=_(
            "認証アプリに表示されている6桁の数字、または回復コードのひとつを入力してください。"
        ),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}
        ),
    )


class SetupForm(forms.Form):
    code = forms.CharField(
        label=_("認証アプリに表示された6桁の数字"),
        max_length=10,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class InviteForm(forms.Form):
    """One invitation from the portal. The choices are those the inviter may grant; the
    action checks the rules again."""

    email = forms.EmailField(label=_("メールアドレス"))
    name = forms.CharField(label=_("お名前（任意）"), max_length=100, required=False)
    kind = forms.ChoiceField(label=_("役割"), choices=Role.Kind.choices)
    community = forms.TypedChoiceField(
        label=_("バイオコミュニティ（コーディネーターの場合）"),
        coerce=int,
        required=False,
        empty_value=None,
    )
    organization = forms.CharField(
        label=_("機関コード（機関の担当者の場合）"),
        required=False,
        max_length=40,
        help_text=_(
            "大学等は学校コード（例: F115110105055）、都道府県・市区町村は地方公共団体コード"
            "（6桁）、企業は法人番号（13桁）、府省は略号（例: mext）。"
            "「地域と機関」のページで調べられます。"
        ),
    )
    round = forms.TypedChoiceField(
        label=_("認定ラウンド（審査委員の場合・任意）"),
        coerce=int,
        required=False,
        empty_value=None,
    )

    def __init__(self, *args, kinds, communities, organizations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k, label) for k, label in Role.Kind.choices if k in kinds]
        self.fields["community"].choices = [("", "—"), *communities]
        if Role.Kind.REVIEWER in kinds:
            self.fields["round"].choices = [("", "—"), *bindings.choices("round")]
        else:
            del self.fields["round"]
        if Role.Kind.ORGANIZATION_MEMBER not in kinds:
            del self.fields["organization"]
        elif organizations is not None:
            # Members invite colleagues of their own organisations: a select, not a code.
            self.fields["organization"] = forms.TypedChoiceField(
                label=_("機関"), coerce=int, choices=organizations
            )
        if Role.Kind.COORDINATOR not in kinds:
            del self.fields["community"]

    def clean_organization(self):
        value = self.cleaned_data.get("organization")
        if value in (None, ""):
            return None
        if isinstance(value, int):
            return value
        pk = bindings.find("organization", value)
        if pk is None:
            raise forms.ValidationError(
                _("機関コード「%(code)s」の機関が見つかりません。"), params={"code": value}
            )
        return pk


class InvitationFileForm(forms.Form):
    file = UploadField(
        label=_("招待する人の一覧（CSV または XLSX）"),
        help_text=_(
            "列: email, role（secretariat / reviewer / coordinator / organization_member）, "
            "community（コミュニティの識別子）, organization（機関コード）, round（ラウンド番号）, "
            "name（お名前）。1行でも誤りがあれば、だれも招待しません。"
        ),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("理由"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("監査ログに残ります。"),
    )


class GrantForm(ReasonForm):
    kind = forms.ChoiceField(label=_("役割"), choices=Role.Kind.choices)
    community = forms.TypedChoiceField(
        label=_("バイオコミュニティ（コーディネーターの場合）"),
        coerce=int,
        required=False,
        empty_value=None,
    )
    organization = forms.CharField(
        label=_("機関コード（機関の担当者の場合）"), required=False, max_length=40
    )
    field_order = ["kind", "community", "organization", "reason"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].choices = [("", "—"), *bindings.choices("community")]

    clean_organization = InviteForm.clean_organization


class PeopleSearchForm(forms.Form):
    q = forms.CharField(label=_("名前・ユーザー名・メールアドレス"), required=False, max_length=100)
    kind = forms.ChoiceField(
        label=_("役割"),
        required=False,
        choices=[("", _("すべて")), *Role.Kind.choices, ("none", _("役割なし"))],
    )
    state = forms.ChoiceField(
        label=_("状態"),
        required=False,
        choices=[("", _("すべて")), ("active", _("有効")), ("inactive", _("停止中"))],
    )


class InvitationFilterForm(forms.Form):
    state = forms.ChoiceField(
        label=_("状態"), required=False, choices=[("", _("すべて")), *Invitation.State.choices]
    )
