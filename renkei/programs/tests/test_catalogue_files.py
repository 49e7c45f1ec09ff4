"""The catalogue's arrays live in files built outside requests (ADR 0002): a catalogue write
queues their build, a request never builds them, and search stays right across a write
before and after the build (the overlay of what changed since)."""

import datetime

import numpy as np
import pytest
from django.urls import reverse
from django_q.conf import Conf
from django_q.models import OrmQ

from renkei.ja import normalize
from renkei.lib.jobs import run_queued
from renkei.programs.actions import upsert_programs
from renkei.programs.models import Program
from renkei.programs.records import ProgramData
from renkei.programs.search import SearchParams, catalogue, search_programs
from renkei.programs.search.index import BUILD_JOB, catalogue_state
from renkei.programs.search.store import Store

NOW = datetime.datetime(2026, 11, 28, 12, 0, tzinfo=datetime.UTC)


def record(code, name, **fields):
    return ProgramData.model_validate(
        {
            "code": code,
            "name": name,
            "ministry": "maff",
            "description": "海藻の陸上養殖を実証する。",
            "stage": "demonstration",
            "applicant_types": ["company"],
            "budget_lines": [
                {
                    "fiscal_year": 2023,
                    "kind": "initial",
                    "amount_thousand_yen": 50000,
                    "is_headline": True,
                }
            ],
            **fields,
        }
    )


def found(**params):
    result = search_programs(SearchParams(page_size=100, **params), now=NOW)
    return {p.code for p in result.items}, result


@pytest.fixture
def queue(monkeypatch):
    """Jobs wait in the database queue until the test runs them, as `renkei worker` would."""
    monkeypatch.setattr(Conf, "SYNC", False)


def refuse_builds(monkeypatch):
    """From now on building the files fails: whatever calls it is caught."""

    def refuse(*args, **kwargs):
        raise AssertionError("the catalogue files were built here")

    def changed_programs_only(ids=None, tables=catalogue.tables):
        if ids is None:
            refuse()  # the whole catalogue, as a build reads it
        return tables(ids)

    monkeypatch.setattr(catalogue, "build_files", refuse)
    monkeypatch.setattr(catalogue, "tables", changed_programs_only)
    monkeypatch.setattr(Store, "write", refuse)


def test_a_catalogue_write_queues_one_build_of_the_files(queue, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        upsert_programs([record("t-seaweed", "海藻養殖実証事業"), record("t-kelp", "昆布の養殖")])
    assert [job.func() for job in OrmQ.objects.all()] == [BUILD_JOB]  # one per transaction
    assert run_queued() == 1
    build = catalogue.store_for(catalogue_state()[1]).current()
    assert build.meta["version"] == catalogue_state()[0]
    assert build.meta["count"] == Program.objects.count()


def test_every_worker_maps_the_same_files_read_only():
    catalogue.build_files()
    cat = catalogue.get()
    assert cat.key[0] == "build"
    assert isinstance(cat.ids.base, np.memmap)  # a view of the mapped file
    assert not cat.ids.flags.writeable
    assert sorted(cat.ids.tolist()) == sorted(Program.objects.values_list("pk", flat=True))


def test_no_request_builds_the_files_and_a_write_shows_at_once(client, monkeypatch, queue):
    catalogue.build_files()
    refuse_builds(monkeypatch)
    for _ in range(2):  # before and after a write
        response = client.get("/api/programs", {"q": "養殖"})
        assert response.status_code == 200
        upsert_programs([record("t-seaweed", "海藻の陸上養殖実証事業")])
    page = client.get(reverse("programs:search"), {"q": "海藻"})
    assert page.status_code == 200
    assert "海藻の陸上養殖実証事業" in page.content.decode()
    assert catalogue.get().key[0] == "overlay"


def test_search_is_right_across_a_write_before_and_after_the_build(
    queue, django_capture_on_commit_callbacks
):
    catalogue.build_files()
    # a write after the build: a new program, a changed one, a deleted one
    with django_capture_on_commit_callbacks(execute=True):
        upsert_programs(
            [
                record("t-seaweed", "海藻養殖実証事業"),
                record("maff-local-biomass-energy", "地域バイオマス養殖エネルギー", ministry="env"),
            ]
        )
        deleted = Program.objects.exclude(code__in=["t-seaweed", "maff-local-biomass-energy"])[0]
        deleted_code = deleted.code
        deleted.delete()
    assert catalogue.get().key[0] == "overlay"  # the files are behind: merged in this process

    def state():
        codes, result = found(q="養殖")
        ministry = {v.value: v.count for v in result.facet("ministry").values}
        _none, everything = found()
        by_name = [p.code for p in search_programs(SearchParams(sort="name", page_size=100)).items]
        return codes, ministry, everything.total, {p.code for p in everything.items}, by_name

    after_write = state()
    codes, ministry, total, listed, by_name = after_write
    assert {"t-seaweed", "maff-local-biomass-energy"} <= codes
    assert ministry["env"] >= 1
    assert deleted_code not in listed
    assert total == Program.objects.count()
    assert by_name == [
        p.code for p in sorted(Program.objects.all(), key=lambda p: (normalize(p.name), p.pk))
    ]
    run_queued()  # the build the write queued
    assert catalogue.get().key[0] == "build"
    assert state() == after_write


def test_a_large_change_keeps_the_previous_build_until_the_next_is_ready(monkeypatch):
    catalogue.build_files()
    monkeypatch.setattr(catalogue, "OVERLAY_LIMIT", 0)
    upsert_programs([record("t-seaweed", "海藻養殖実証事業")])
    assert "t-seaweed" not in found(q="海藻")[0]  # the previous build, as it was
    catalogue.build_files()
    assert "t-seaweed" in found(q="海藻")[0]


def test_a_reader_keeps_its_build_while_newer_ones_replace_it(tmp_path):
    store = Store(tmp_path / "store")
    store.write({"a": np.arange(5)}, {"n": 1})
    first = store.current()
    mapped = first["a"]
    for n in (2, 3, 4):
        store.write({"a": np.arange(5) * n}, {"n": n})
    assert not first.path.exists()  # removed from the directory…
    assert mapped.tolist() == [0, 1, 2, 3, 4]  # …and still readable where it was mapped
    assert store.current().meta == {"n": 4}
    assert store.current()["a"].tolist() == [0, 4, 8, 12, 16]


@pytest.mark.parametrize("seed", range(20))
def test_the_first_page_comes_out_as_a_full_sort_would_give_it(seed):
    from renkei.programs.search.engine import first_in_order

    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 3000))
    keys = (
        rng.permutation(n).astype(np.float64),  # the name rank: unique, breaks every tie
        rng.integers(0, 5, n),  # few values: many ties
        -np.round(rng.choice([1.5, 2.25, 7.0], n), 9),
    )
    for k in (1, 20, 60, n):
        assert first_in_order(keys, k).tolist() == np.lexsort(keys)[:k].tolist()
