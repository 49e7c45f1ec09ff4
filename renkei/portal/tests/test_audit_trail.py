"""Issue 11 (7): an audit trail an investigator can use — sign-ins, failed sign-ins, locks,
writes refused with 403 and role changes are audit rows with the client's address; the
application's log lines carry the request id, the user id and the route, one JSON object a
line in production and readable lines in development."""

import io
import json
import logging
import logging.config

from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from renkei.accounts import audit
from renkei.accounts.models import AuditLog, Role
from renkei.conftest import PASSWORD
from renkei.lib import logs
from renkei.portal.middleware import RequestContextMiddleware

CLIENT = "198.51.100.23"


def _last(action):
    return AuditLog.objects.filter(action=action).order_by("-id").first()


def test_a_sign_in_is_audited_with_the_address(client, outsider):
    response = client.post(
        reverse("accounts:login"), {"username": "ito", "password": PASSWORD}, REMOTE_ADDR=CLIENT
    )
    assert response.status_code == 302
    row = _last("account.login")
    assert row.actor == outsider and row.address == CLIENT


def test_a_failed_sign_in_and_the_lock_are_audited_with_the_address(client, outsider, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            reverse("accounts:login"), {"username": "ito", "password": "wrong"}, REMOTE_ADDR=CLIENT
        )
    assert _last("account.login_failed").address == CLIENT
    assert _last("account.locked_out").address == CLIENT


def test_a_write_refused_with_403_is_audited(login, outsider, reviewer):
    client = login(outsider)
    response = client.post(
        reverse("accounts:deactivate", args=[reviewer.pk]), {"reason": "x"}, REMOTE_ADDR=CLIENT
    )
    assert response.status_code == 403
    row = _last("access.refused")
    assert row.actor == outsider and row.address == CLIENT
    assert row.after["route"] == "accounts:deactivate" and row.after["method"] == "POST"


def test_a_refused_read_is_not_a_write(login, outsider):
    login(outsider).get(reverse("accounts:people"), REMOTE_ADDR=CLIENT)
    assert _last("access.refused") is None


def test_a_row_written_while_answering_a_request_carries_its_address(outsider, nagaoka):
    """Admin pages (a role granted there too) and every action write audit rows without
    passing the address: the row takes the address of the request being answered."""

    def admin_grants_a_role(request):
        role = Role.objects.create(user=outsider, kind="coordinator", community=nagaoka)
        audit.record(audit.Action.ADMIN_ADD, target=role)
        return HttpResponse()

    request = RequestFactory().post("/admin/accounts/role/add/", REMOTE_ADDR=CLIENT)
    RequestContextMiddleware(admin_grants_a_role)(request)
    row = _last("admin.add")
    assert row.target_type == "accounts.role" and row.address == CLIENT
    audit.record(audit.Action.ADMIN_ADD, target=outsider)  # outside a request: no address
    assert _last("admin.add").address is None


def test_a_role_granted_on_the_people_page_carries_the_address(login, secretariat, outsider):
    client = login(secretariat)
    client.post(
        reverse("accounts:grant_role", args=[outsider.pk]),
        {"kind": "reviewer", "reason": "委員会の委嘱"},
        REMOTE_ADDR=CLIENT,
    )
    assert _last("people.grant_role").address == CLIENT


def _handler(json_lines):
    config = logs.logging_config(json=json_lines)
    formatter = logging.config.DictConfigurator(config).configure_formatter(
        config["formatters"]["renkei"]
    )
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(formatter)
    handler.addFilter(logs.RequestFilter())
    return stream, handler


def test_a_log_line_is_one_json_object_with_the_request_the_user_and_the_route(login, outsider):
    client = login(outsider)
    stream, handler = _handler(json_lines=True)
    logger = logging.getLogger("renkei.request")
    logger.addHandler(handler)
    try:
        response = client.get(reverse("programs:list"), REMOTE_ADDR=CLIENT)
    finally:
        logger.removeHandler(handler)
    line = json.loads(stream.getvalue().splitlines()[-1])
    assert line["request_id"] == response["X-Request-ID"]
    assert line["user_id"] == outsider.pk
    assert line["route"] == "programs/"
    assert line["client"] == CLIENT
    assert line["status"] == 200 and line["level"] == "INFO" and line["method"] == "GET"


def test_development_lines_are_readable():
    stream, handler = _handler(json_lines=False)
    logger = logging.getLogger("renkei.test")
    logger.addHandler(handler)
    try:
        logger.warning("見出し")
    finally:
        logger.removeHandler(handler)
    assert "WARNING renkei.test [- user=None -] 見出し" in stream.getvalue()
