"""The default data set: everything the source document and the reference lists give.

``load_default_dataset`` loads it whole in one transaction or not at all. The files live in
renkei/data (see renkei/data/README.md for their sources and licences).
"""

from pathlib import Path

from django.db import transaction

from renkei.accounts import audit
from renkei.communities.loaders import (
    check_references,
    load_communities,
    local_government_names,
    parse_communities,
    parse_market_areas,
    parse_rounds,
)
from renkei.councils.loaders import (
    InterviewRecord,
    SurveyRecord,
    load_councils,
    parse_findings,
    parse_record,
)
from renkei.lib.imports import DataImportError
from renkei.maturity.loaders import load_maturity, parse_indicators
from renkei.programs.loaders import load_programs, parse_ministries, parse_programs
from renkei.regions.loaders import (
    classify_program_windows,
    load_regions,
    parse_municipalities,
    parse_prefectures,
    parse_schools,
)
from renkei.regions.models import Prefecture

DATA_DIR = Path(__file__).resolve().parent.parent / "data"


class _Rollback(Exception):
    pass


def is_loaded():
    return Prefecture.objects.exists()


def load_default_dataset(data_dir=DATA_DIR, progress=None, dry_run=False):
    """Load every stage; ``progress(stage, counts)`` is called after each one."""
    data_dir = Path(data_dir)
    reference, source = data_dir / "reference", data_dir / "source"
    stages = [
        ("regions", lambda: load_regions(reference)),
        ("programs", lambda: load_programs(source)),
        ("windows", classify_program_windows),
        ("communities", lambda: load_communities(source, reference)),
        ("councils", lambda: load_councils(source)),
        ("maturity", lambda: load_maturity(source, reference)),
    ]
    counts = {}
    try:
        with transaction.atomic():
            for name, stage in stages:
                result = stage()
                counts.update(result)
                if progress:
                    progress(name, result)
            audit.record(audit.Action.BOOTSTRAP, after=counts, note=str(data_dir))
            if dry_run:
                raise _Rollback
    except _Rollback:
        pass
    return counts


def check_default_dataset(data_dir=DATA_DIR):
    """Validate every file of the data set without touching the database.

    Runs each file's parser (codes, check digits, required fields, duplicates) and checks the
    names records point at against the parsed reference lists. Raises DataImportError with
    every problem found.
    """
    data_dir = Path(data_dir)
    reference, source = data_dir / "reference", data_dir / "source"
    errors = []

    def collect(step, default=None):
        try:
            return step()
        except DataImportError as exc:
            errors.extend(exc.errors)
            return default

    list_path = reference / "jp_prefectures_designated_cities_67.csv"
    prefectures = collect(lambda: parse_prefectures(list_path, reference / "prefjp-utf8.csv"), [])
    municipalities = collect(
        lambda: parse_municipalities(reference / "localgovjp-utf8.csv", list_path, prefectures), []
    )
    schools = collect(lambda: parse_schools(reference / "mext_school_codes.csv", prefectures), [])
    ministries = collect(lambda: parse_ministries(source / "ministries.yaml"), [])
    collect(lambda: parse_programs(source / "programs.yaml", {m.name for m in ministries}))
    parsed = collect(
        lambda: parse_communities(source / "communities.yaml", reference / "bio_communities.json")
    )
    collect(lambda: parse_market_areas(source / "market_areas.yaml"))
    if parsed:
        kinds = {c.slug: c.kind for c in parsed[2]}
        collect(lambda: parse_rounds(source / "rounds.yaml", kinds))
    if parsed and prefectures:
        _data, organizations, communities, _by_key = parsed
        collect(
            lambda: check_references(
                "communities.yaml",
                organizations,
                communities,
                {s.name for s in schools if s.is_active},
                local_government_names(prefectures, municipalities),
            )
        )
    collect(lambda: parse_indicators(source / "indicators.yaml"))
    interview = collect(lambda: parse_record(source / "interviews.yaml", InterviewRecord))
    survey = collect(lambda: parse_record(source / "survey_2021.yaml", SurveyRecord))
    if interview and survey:
        collect(lambda: parse_findings(source / "findings.yaml", interview, survey))
    if errors:
        raise DataImportError(errors)
