from django.contrib.auth import views as auth_views
from django.urls import path

from renkei.accounts.views import account, invitations, people, signin

app_name = "accounts"
urlpatterns = [
    # signing in
    path("login/", signin.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", signin.settings_page, name="settings"),
    path("second-factor/", signin.second_factor_page, name="second_factor"),
    path("second-factor/verify/", signin.verify, name="second_factor_verify"),
    path("second-factor/setup/", signin.setup, name="second_factor_setup"),
    path("second-factor/recovery-codes/", signin.recovery_codes, name="recovery_codes"),
    path("second-factor/remove/", signin.remove_second_factor, name="second_factor_remove"),
    path("sessions/", signin.sessions_page, name="sessions"),
    path("sessions/end-others/", signin.end_other_sessions, name="end_other_sessions"),
    # one's own account
    path("signup/", account.sign_up, name="sign_up"),
    path("signup/<str:token>/", account.sign_up_finish, name="sign_up_finish"),
    path("email/", account.change_email, name="change_email"),
    path("email/<str:token>/", account.change_email_confirm, name="change_email_confirm"),
    path("password_reset/", account.PasswordResetView.as_view(), name="password_reset"),
    path(
        "password_reset/done/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "reset/<uidb64>/<token>/",
        account.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("password_change/", account.PasswordChangeView.as_view(), name="password_change"),
    path(
        "password_change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    # invitations
    path("invitations/", invitations.invitations, name="invitations"),
    path("invitations/new/", invitations.invite, name="invite"),
    path("invitations/mine/", invitations.mine, name="my_invitations"),
    path("invitations/mine/<int:pk>/", invitations.accept_own, name="accept_own_invitation"),
    path("invitations/file/", invitations.invite_file, name="invite_file"),
    path("invitations/<int:pk>/resend/", invitations.resend, name="resend_invitation"),
    path("invitations/<int:pk>/revoke/", invitations.revoke, name="revoke_invitation"),
    path("invitations/accept/<str:token>/", invitations.accept, name="accept_invitation"),
    # the secretariat's people pages
    path("people/", people.people, name="people"),
    path("people/<int:pk>/", people.person, name="person"),
    path("people/<int:pk>/roles/", people.grant, name="grant_role"),
    path("people/<int:pk>/roles/<int:role_pk>/revoke/", people.revoke, name="revoke_role"),
    path("people/<int:pk>/deactivate/", people.deactivate, name="deactivate"),
]
