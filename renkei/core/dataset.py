"""The default data set: everything the source document and the reference lists give.

``load_default_dataset`` loads it whole in one transaction or not at all. The files live in
renkei/data (see renkei/data/README.md for their sources and licences).
"""

from pathlib import Path

from django.db import transaction

from renkei.accounts import audit
from renkei.communities.loaders import load_communities
from renkei.councils.loaders import load_councils
from renkei.programs.loaders import load_programs
from renkei.regions.loaders import load_regions
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
        ("communities", lambda: load_communities(source, reference)),
        ("councils", lambda: load_councils(source)),
    ]
    counts = {}
    try:
        with transaction.atomic():
            for name, stage in stages:
                result = stage()
                counts.update(result)
                if progress:
                    progress(name, result)
            audit.record("dataset.bootstrap", after=counts, note=str(data_dir))
            if dry_run:
                raise _Rollback
    except _Rollback:
        pass
    return counts
