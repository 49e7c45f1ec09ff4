"""The error pages: 400, 403, 404, 500 and a refused CSRF check, in the site's frame, in the
visitor's language, each saying what happened and where to go next (settings: handler400…
in renkei/urls.py, CSRF_FAILURE_VIEW)."""

import logging

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render
from django.template import loader

log = logging.getLogger(__name__)


def _page(request, template, status, **context):
    """The page in the site's frame; without it (the database or a template failing while
    an error is answered) the same page without the signed-in header."""
    context["secretariat_contact"] = settings.RENKEI_SECRETARIAT_CONTACT
    try:
        return render(request, template, context, status=status)
    except Exception:
        log.exception("rendering the %s page failed", status)
        return server_error(request, status=status, template=template)


def bad_request(request, exception=None):
    return _page(request, "400.html", 400)


def permission_denied(request, exception=None):
    return _page(request, "403.html", 403)


def page_not_found(request, exception=None):
    return _page(request, "404.html", 404, request_path=request.path)


def server_error(request, *, status=500, template="500.html"):
    """Drawn without the request's context: nothing here may need the database."""
    body = loader.get_template(template).render(
        {
            "portal_name": settings.RENKEI_SITE_NAME,
            "secretariat_contact": settings.RENKEI_SECRETARIAT_CONTACT,
        }
    )
    return HttpResponse(body, status=status)


def csrf_failure(request, reason=""):
    """A form sent without its security token, or one too old (a page left open across a
    sign-in, cookies refused): say so and how to send it again."""
    return _page(request, "403_csrf.html", 403)
