from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "renkei.accounts"
    verbose_name = _("アカウントと監査ログ")

    def ready(self):
        # Signal receivers connect on import; models are loaded by now.
        from renkei.accounts import receivers  # noqa: F401

        # The apps that own what roles bind to (communities, organisations, rounds) register
        # it in their bindings.py, as admin.py and rules.py are found (accounts imports none).
        autodiscover_modules("bindings")
