"""The findings → responses page, kept by the secretariat."""

from django.db import transaction

from renkei.accounts import audit
from renkei.accounts.permissions import require


@transaction.atomic
def add_finding_response(form, finding, *, by):
    require(by, "councils.add_findingresponse", finding)
    response = form.save(commit=False)
    response.finding = finding
    response.created_by = by
    response.order = finding.responses.count()
    response.full_clean()
    response.save()
    audit.record(
        audit.Action.ADD_FINDING_RESPONSE,
        actor=by,
        target=response,
        after=audit.snapshot(response, ["finding", "title", "link", "note"]),
    )
    return response


@transaction.atomic
def remove_finding_response(response, *, by):
    require(by, "councils.delete_findingresponse", response)
    before = audit.snapshot(response, ["finding", "title", "link", "note"])
    pk = response.pk
    response.delete()
    audit.record(
        audit.Action.REMOVE_FINDING_RESPONSE,
        actor=by,
        target_type="councils.findingresponse",
        before={**before, "id": pk},
    )
