"""Writes of the matching app (one module per noun, re-exported here): needs from the public
form, seeds from liaison offices, the pipeline of proposals (ADR 0009), judgements and the
daily flags. Each checks permission, writes in one transaction, appends an audit row and
tells the people concerned."""

from renkei.matching.actions.flags import flag_stalled
from renkei.matching.actions.judgements import judge_seed
from renkei.matching.actions.needs import (
    CONFIRM_WITHIN,
    NEED_AUDIT_FIELDS,
    _token_hash,
    confirm_need,
    need_for_token,
    reassign_need,
    set_need_status,
    submit_need,
    submitter,
    take_need,
)
from renkei.matching.actions.pipeline import (
    answer_consent,
    answer_proposal,
    ask_organization,
    need_coordinators,
    propose_seed,
    record_meeting,
    record_outcome,
    report_agreements,
    request_consent,
    researcher_of,
    seed_organization,
    withdraw_proposal,
)
from renkei.matching.actions.seeds import (
    EMBED_BATCH,
    REQUIRED_SEED_COLUMNS,
    SEED_COLUMNS,
    SEED_EXAMPLE,
    SEED_HEADERS,
    archive_seed,
    import_seeds,
    save_seed,
    seed_template_header,
)
from renkei.matching.actions.steps import record_step

__all__ = [
    "CONFIRM_WITHIN",
    "EMBED_BATCH",
    "NEED_AUDIT_FIELDS",
    "REQUIRED_SEED_COLUMNS",
    "SEED_COLUMNS",
    "SEED_EXAMPLE",
    "SEED_HEADERS",
    "_token_hash",
    "answer_consent",
    "answer_proposal",
    "archive_seed",
    "ask_organization",
    "confirm_need",
    "flag_stalled",
    "import_seeds",
    "judge_seed",
    "need_coordinators",
    "need_for_token",
    "propose_seed",
    "reassign_need",
    "record_meeting",
    "record_outcome",
    "record_step",
    "report_agreements",
    "request_consent",
    "researcher_of",
    "save_seed",
    "seed_organization",
    "seed_template_header",
    "set_need_status",
    "submit_need",
    "submitter",
    "take_need",
    "withdraw_proposal",
]
