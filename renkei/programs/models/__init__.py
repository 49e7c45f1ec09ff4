"""The tables of programs: the published catalogue (catalogue.py) and the fiscal-year
editions of the support menu with their draft programs, and the secretariat's uploads
(editions.py)."""

from renkei.programs.models.catalogue import (
    Aim,
    ApplicantType,
    BudgetLine,
    BudgetLineQuerySet,
    CallPeriod,
    CatalogueVersion,
    MarketArea,
    Program,
    ProgramAlias,
    ProgramContact,
    ProgramQuerySet,
    ProgramRelation,
    ProgramVector,
    SavedProgram,
    SavedSearch,
    SearchDocument,
    SentReminder,
    Stage,
)
from renkei.programs.models.editions import (
    MenuEdition,
    ProgramDraft,
    ProgramUpload,
    catalogue_as_of,
    catalogue_fiscal_year,
)

__all__ = [
    "Aim",
    "ApplicantType",
    "BudgetLine",
    "BudgetLineQuerySet",
    "CallPeriod",
    "CatalogueVersion",
    "MarketArea",
    "MenuEdition",
    "Program",
    "ProgramAlias",
    "ProgramContact",
    "ProgramDraft",
    "ProgramQuerySet",
    "ProgramRelation",
    "ProgramUpload",
    "ProgramVector",
    "SavedProgram",
    "SavedSearch",
    "SearchDocument",
    "SentReminder",
    "Stage",
    "catalogue_as_of",
    "catalogue_fiscal_year",
]
