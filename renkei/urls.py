from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from renkei.api import api
from renkei.portal.security import csp_report

# Error pages in the site's frame, in Japanese, with the ways back (renkei/portal/errors.py).
handler400 = "renkei.portal.errors.bad_request"
handler403 = "renkei.portal.errors.permission_denied"
handler404 = "renkei.portal.errors.page_not_found"
handler500 = "renkei.portal.errors.server_error"

admin.site.site_header = _("renkei 管理")
admin.site.site_title = _("renkei 管理")
admin.site.index_title = _("事務局の管理画面")

urlpatterns = [
    path("", include("renkei.portal.urls")),
    path("accounts/", include("renkei.accounts.urls")),
    path("notifications/", include("renkei.notifications.urls")),
    path("regions/", include("renkei.regions.urls")),
    path("programs/", include("renkei.programs.urls")),
    path("communities/", include("renkei.communities.urls")),
    path("councils/", include("renkei.councils.urls")),
    path("maturity/", include("renkei.maturity.urls")),
    path("matching/", include("renkei.matching.urls")),
    path("experts/", include("renkei.experts.urls")),
    path("regulatory/", include("renkei.regulatory.urls")),
    path("contributions/", include("renkei.contributions.urls")),
    path("api/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    # Browsers report Content-Security-Policy violations here (logged; docs/security.md).
    path("csp-report/", csp_report, name="csp_report"),
    path("admin/", admin.site.urls),
]
