"""The index keeper `renkei serve` starts beside its workers keeps this machine's seed index
files current from the database, also where no job worker runs (a web node of its own)."""

import threading

import pytest

from renkei.matching import indexes
from renkei.matching.models import Seed
from renkei.portal import keeper
from renkei.portal.management.commands.serve import KEEPER
from renkei.regions.models import Organization


@pytest.fixture
def seeds(settings, tmp_path):
    settings.RENKEI_INDEX_DIR = tmp_path / "index"
    indexes.reset()
    university = Organization.objects.filter(kind="university").order_by("pk").first()
    made = [
        Seed.objects.create(
            organization=university,
            code=f"K{n}",
            title=title,
            summary="地域の未利用資源を活かす技術です。",
            prefecture_id="15",
        )
        for n, title in enumerate(
            ["ミドリムシの屋外培養", "稲わらのバイオマス発電", "米ぬかの発酵飼料"]
        )
    ]
    yield made
    indexes.reset()


class _OnceThenStop(threading.Event):
    """Stops the keeper's loop after its first pass."""

    def wait(self, timeout=None):
        self.set()
        return True


def test_the_keeper_builds_this_machines_seed_files_and_again_after_a_seed_changes(
    seeds, monkeypatch
):
    monkeypatch.setattr(indexes, "REBUILD_CHANGES", 1)  # (every change worth a build)
    # the keeper's thread closes its own connections; here it runs in the test's transaction
    monkeypatch.setattr(keeper, "close_old_connections", lambda: None)
    store = lambda: indexes.seed_store(indexes._identity())  # noqa: E731
    assert indexes._identity() is None or store().current() is None
    keeper.keep_seed_index(_OnceThenStop(), poll=0)
    first = store().current()
    assert first is not None and first.meta["count"] == 3
    seeds[0].archived = True
    seeds[0].save()
    keeper.keep_seed_index(_OnceThenStop(), poll=0)
    second = store().current()
    assert second.name != first.name and second.meta["count"] == 2
    assert (second.meta["reused"], second.meta["tokenised"]) == (2, 0)


def test_serve_starts_the_keeper_that_keeps_both_the_catalogue_and_the_seed_index():
    assert "renkei.portal.keeper import keep" in KEEPER


def test_the_seed_loop_can_be_left_to_the_job_worker(monkeypatch):
    monkeypatch.setenv("RENKEI_SEED_INDEX_POLL", "off")
    assert keeper.seed_poll() is None
    monkeypatch.setenv("RENKEI_SEED_INDEX_POLL", "5")
    assert keeper.seed_poll() == 5.0
