"""Writes of the councils app: councils and their meetings, surveys and their answers, the
findings → responses page. Each checks permission, writes in one transaction and appends one
audit row."""

from renkei.councils.actions.councils import (
    add_action_item,
    add_council_member,
    record_meeting,
    remove_council_member,
    save_council,
    update_action_item,
)
from renkei.councils.actions.findings import add_finding_response, remove_finding_response
from renkei.councils.actions.surveys import (
    SurveyLinkError,
    add_question,
    answer_survey,
    close_expired_surveys,
    close_survey,
    delete_question,
    invitation_for,
    publish_results,
    reissue_link,
    remind_survey,
    save_survey,
    send_survey,
    send_survey_reminders,
)

__all__ = [
    "SurveyLinkError",
    "add_action_item",
    "add_council_member",
    "add_finding_response",
    "add_question",
    "answer_survey",
    "close_expired_surveys",
    "close_survey",
    "delete_question",
    "invitation_for",
    "publish_results",
    "record_meeting",
    "reissue_link",
    "remind_survey",
    "remove_council_member",
    "remove_finding_response",
    "save_council",
    "save_survey",
    "send_survey",
    "send_survey_reminders",
    "update_action_item",
]
