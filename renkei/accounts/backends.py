"""Signing in with a username or an e-mail address, in the one field named ``username``."""

from django.contrib.auth.backends import ModelBackend

from renkei.accounts.models import User


class UsernameOrEmailBackend(ModelBackend):
    """Django's ModelBackend, finding the account by username or (case-insensitive) e-mail.
    Like ModelBackend it runs the password hasher for an unknown name too, so the time taken
    does not tell whether an account exists."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(User.USERNAME_FIELD)
        if username is None or password is None:
            return None
        user = User.objects.signing_in_as(username).first()
        if user is None:
            User().set_password(password)  # same work as for a real account
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
