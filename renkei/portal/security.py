"""The endpoint browsers send Content-Security-Policy violation reports to: each report is
logged (a warning on the ``renkei.csp`` logger, with the request's id and client), nothing
is stored, and the answer is always 204."""

import json
import logging

from django.http import HttpResponse
from django.http.request import RawPostDataException
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

log = logging.getLogger("renkei.csp")
MAX_REPORT_BYTES = 16 * 1024


def _summary(report):
    """The fields an investigator needs from a report (old report-uri or Reporting API)."""
    if isinstance(report, list):  # the Reporting API sends a list of reports
        report = (report[0] or {}).get("body", {}) if report else {}
    body = report.get("csp-report", report) if isinstance(report, dict) else {}
    if not isinstance(body, dict):
        return {}
    keys = [
        "document-uri",
        "documentURL",
        "violated-directive",
        "effectiveDirective",
        "effective-directive",
        "blocked-uri",
        "blockedURL",
        "source-file",
        "sourceFile",
        "line-number",
        "lineNumber",
    ]
    return {key: str(body[key])[:300] for key in keys if key in body}


@csrf_exempt  # browsers send reports without a token; nothing is changed by one
@require_POST
def csp_report(request):
    try:
        raw = request.body[:MAX_REPORT_BYTES]
    except RawPostDataException:  # posted as a form: read already, and no report
        raw = b""
    try:
        report = json.loads(raw.decode("utf-8", "replace")) if raw else {}
    except ValueError:
        report = {}
    log.warning("csp violation", extra={"csp": _summary(report)})
    return HttpResponse(status=204)
