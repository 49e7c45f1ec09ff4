"""Today's match records become proposals with their history (ADR 0009), nothing lost.

A MatchRecord kept one row per need × seed: its status, the agreement and its date, one note,
who created it and when it last changed. Each becomes a Proposal and the steps its status
implies, marked ``legacy`` (they predate the pipeline: no answer, no consent was asked):

    proposed  → proposed                          (the note on it)
    contacted → proposed, meeting                 (the note on the meeting)
    agreed    → proposed, outcome of its kind     (dated agreed_on; the note on the outcome)
    declined  → proposed, withdrawn (その他: 見送り) (the note on it)

The record's change time dates the steps (it is all a record knew). Going back rebuilds
the records from the proposals.
"""

from django.db import migrations
from django.utils import timezone

AGREEMENT_TO_OUTCOME = {
    "joint_research": "joint_research",
    "contract_research": "contract_research",
    "technical_advice": "technical_advice",
    "license": "license",
    "consultation": "technical_advice",
}
OUTCOME_TO_AGREEMENT = {
    "joint_research": "joint_research",
    "contract_research": "contract_research",
    "technical_advice": "technical_advice",
    "license": "license",
    "prototype": "joint_research",
    "joint_application": "joint_research",
}
STATE = {
    "proposed": "proposed",
    "contacted": "meeting",
    "agreed": "agreed",
    "declined": "withdrawn",
}


def _label(user):
    if user is None:
        return ""
    return user.display_name or user.username


def forwards(apps, schema_editor):
    MatchRecord = apps.get_model("matching", "MatchRecord")
    Proposal = apps.get_model("matching", "Proposal")
    Step = apps.get_model("matching", "Step")
    for record in MatchRecord.objects.select_related("created_by").order_by("pk"):
        at = record.updated_at
        day = timezone.localtime(at).date() if timezone.is_aware(at) else at.date()
        proposal = Proposal.objects.create(
            need_id=record.need_id,
            seed_id=record.seed_id,
            community_id=record.community_id,
            state=STATE[record.status],
            state_since=at,
            proposed_by_id=record.created_by_id,
            created_at=at,
        )
        common = {
            "need_id": record.need_id,
            "proposal": proposal,
            "at": at,
            "by_id": record.created_by_id,
            "by_label": _label(record.created_by),
            "legacy": True,
        }
        last_note = record.note if record.status == "proposed" else ""
        Step.objects.create(kind="proposed", on=day, note=last_note, **common)
        if record.status == "contacted":
            Step.objects.create(kind="meeting", on=day, note=record.note, **common)
        elif record.status == "agreed":
            Step.objects.create(
                kind="outcome",
                on=record.agreed_on or day,
                outcome=AGREEMENT_TO_OUTCOME.get(record.agreement, "joint_research"),
                reason_text=(
                    ""
                    if record.agreement in AGREEMENT_TO_OUTCOME
                    else f"移行前の合意の内容: {record.agreement}"
                ),
                note=record.note,
                **common,
            )
        elif record.status == "declined":
            Step.objects.create(
                kind="withdrawn",
                on=day,
                reason="other",
                reason_text="移行前の記録: 見送り",
                note=record.note,
                **common,
            )


def backwards(apps, schema_editor):
    MatchRecord = apps.get_model("matching", "MatchRecord")
    Proposal = apps.get_model("matching", "Proposal")
    status = {
        "agreed": "agreed",
        "introduced": "contacted",
        "meeting": "contacted",
        "declined": "declined",
        "not_concluded": "declined",
        "withdrawn": "declined",
    }
    for proposal in Proposal.objects.prefetch_related("steps").order_by("pk"):
        steps = sorted(proposal.steps.all(), key=lambda s: (s.at, s.pk))
        outcome = next((s for s in steps if s.kind == "outcome"), None)
        agreed = proposal.state == "agreed" and outcome is not None
        notes = [s.note for s in steps if s.note]
        MatchRecord.objects.create(
            need_id=proposal.need_id,
            seed_id=proposal.seed_id,
            community_id=proposal.community_id,
            status=status.get(proposal.state, "proposed"),
            agreement=OUTCOME_TO_AGREEMENT.get(outcome.outcome, "") if agreed else "",
            agreed_on=outcome.on if agreed else None,
            note="\n".join(notes),
            created_by_id=proposal.proposed_by_id or steps[0].by_id,
        )


class Migration(migrations.Migration):
    dependencies = [("matching", "0003_pipeline")]

    operations = [migrations.RunPython(forwards, backwards)]
