"""Councils that act, surveys that run, cases that teach, and what the source's interviews
and survey found (with what in the portal answers each finding)."""

from renkei.councils.models.cases import CaseParticipant, CaseStudy
from renkei.councils.models.councils import (
    ActionItem,
    Attendance,
    Council,
    CouncilMember,
    Decision,
    Meeting,
)
from renkei.councils.models.findings import (
    Finding,
    FindingResponse,
    Interview,
    InterviewIssue,
    InterviewTheme,
)
from renkei.councils.models.surveys import (
    CouncilCompositionExample,
    Question,
    Survey,
    SurveyInvitation,
    SurveyResponse,
)

__all__ = [
    "ActionItem",
    "Attendance",
    "CaseParticipant",
    "CaseStudy",
    "Council",
    "CouncilCompositionExample",
    "CouncilMember",
    "Decision",
    "Finding",
    "FindingResponse",
    "Interview",
    "InterviewIssue",
    "InterviewTheme",
    "Meeting",
    "Question",
    "Survey",
    "SurveyInvitation",
    "SurveyResponse",
]
