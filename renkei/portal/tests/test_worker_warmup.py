"""Issue 12, the first view without a wait: each server worker loads the embedding model and
the matching indexes when it starts, before its first request, so a coordinator opening a
need page first does not wait for them."""

import pytest

from renkei.matching import indexes
from renkei.portal.management.commands import serve


@pytest.fixture(autouse=True)
def _fresh_indexes(monkeypatch):
    monkeypatch.setenv("RENKEI_GC_FREEZE", "off")  # never freeze the test process
    indexes.reset()
    yield
    indexes.reset()


def test_a_worker_loads_the_embedding_model_and_the_seed_index_when_it_starts():
    assert indexes.seeds_index.engine is None
    serve._warm_and_freeze(worker=None)
    engine = indexes.seeds_index.engine
    assert engine is not None and indexes.seeds_index.synced_at is not None
    assert engine.semantic is not None and engine.semantic.embedder is not None


def test_every_matching_index_is_loaded_even_without_the_freeze(monkeypatch):
    loaded = []
    monkeypatch.setattr(
        indexes.PortalIndex, "get", lambda self, progress=None: loaded.append(self.name)
    )
    serve._warm_and_freeze(worker=None)
    assert {"seeds", "needs"} <= set(loaded)
    assert len(loaded) == len(indexes.ALL_INDEXES)


def test_a_failure_to_load_them_leaves_the_worker_serving(monkeypatch, caplog):
    def broken(self, progress=None):
        raise RuntimeError("no model")

    monkeypatch.setattr(indexes.PortalIndex, "get", broken)
    serve._warm_and_freeze(worker=None)  # does not raise
    assert "loading the matching engines failed" in caplog.text
