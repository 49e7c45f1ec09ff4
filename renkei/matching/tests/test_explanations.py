"""Kobayashi (coordinator, Nagaoka) reads why each seed is proposed for Mr Yamamoto's oyster
need: each signal's part in plain words, shared words that are whole words, and the seeds the
two signals disagree on set apart as 関連が弱い候補. The public seed search shows only what
clears the cut-off."""

import pytest
from django.urls import reverse

from renkei.matching import indexes


@pytest.mark.slow  # runs the embedding model or every route as every persona
def test_the_need_page_says_in_plain_words_what_each_signal_found(
    client, coordinator, confirmed_need, portal_seeds
):
    client.force_login(coordinator)
    page = client.get(reverse("matching:need", args=[confirmed_need.pk])).content.decode()
    assert "評価の内訳" in page
    assert "信号ごとの順位" not in page
    assert "語の一致: " in page and "意味の近さ: " in page
    assert "内容がニーズに近いと判定されました" in page


@pytest.mark.slow  # runs the embedding model or every route as every persona
def test_seeds_the_signals_disagree_on_come_last_under_their_own_heading(
    client, coordinator, confirmed_need, portal_seeds
):
    ranked, _engine = indexes.rank_seeds(confirmed_need, user=coordinator)
    weak = [result.explanation["weak"] for _seed, result in ranked]
    assert False in weak and True in weak  # 40 seeds of every theme: only some fit oysters
    assert weak == sorted(weak)  # the strong ones first
    client.force_login(coordinator)
    page = client.get(reverse("matching:need", args=[confirmed_need.pk])).content.decode()
    first_weak = next(seed for seed, result in ranked if result.explanation["weak"])
    last_strong = [seed for seed, result in ranked if not result.explanation["weak"]][-1]
    heading = page.index('<h2 id="weak">関連が弱い候補</h2>')
    assert page.index(last_strong.title) < heading < page.index(first_weak.title)
    assert f'<ol class="ranked" start="{weak.index(True) + 1}">' in page


@pytest.mark.slow  # runs the embedding model or every route as every persona
def test_shared_words_on_the_need_page_are_whole_words(coordinator, confirmed_need, portal_seeds):
    ranked, _engine = indexes.rank_seeds(confirmed_need, user=coordinator)
    for _seed, result in ranked:
        why = result.explanation
        words = why["shared_terms"] + [
            w for p in why["synonyms"] + why["partial_matches"] for w in p.split("≈")
        ]
        assert all(len(word) >= 2 for word in words), words


@pytest.mark.slow  # runs the embedding model or every route as every persona
def test_the_public_seed_search_leaves_out_what_falls_below_the_cut_off(client, portal_seeds):
    from renkei.matching.engine import Query

    engine = indexes.seeds_index.get()
    every = engine.match(Query("q", {"text": "カキ 酸素"}), top=50, mode="lexical")
    assert any(r.explanation["weak"] for r in every)
    strong = {r.document.id for r in every if not r.explanation["weak"]}
    page = client.get(reverse("matching:seeds"), {"q": "カキ 酸素"}).content.decode()
    for seed in portal_seeds.values():
        link = f'href="{seed.get_absolute_url()}"'
        assert (link in page) == (str(seed.pk) in strong), seed.title
