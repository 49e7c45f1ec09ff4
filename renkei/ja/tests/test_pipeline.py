"""The shared Japanese pipeline turns what users type into the terms search and matching use."""

import pytest

from renkei.ja import analyze, normalize, terms


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("養殖", "養殖"),
        ("ﾊﾞｲｵﾏｽ", "バイオマス"),  # half-width katakana
        ("バイオ・マス", "バイオマス"),  # middle dot inside a word
        ("バイオ･マス", "バイオマス"),  # half-width middle dot
        ("バイオ マス", "バイオマス"),  # a space between Japanese words
        ("ＦＳ調査", "fs調査"),  # full-width letters, case folded
        ("ＦＳ　調査", "fs調査"),  # ideographic space
        ("医療系ベンチャータータル", "医療系ベンチャータータル"),
        ("ヴァイオリン", "バイオリン"),  # katakana variant
        ("ス－パ－", "スーパー"),  # long-vowel marks written as dashes
        ("  Bio   Community ", "bio community"),
        ("①大学等研究機関", "1大学等研究機関"),
        ("", ""),
        (None, ""),
    ],
)
def test_normalize_treats_variants_as_the_same_text(text, expected):
    assert normalize(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("養殖", ["養殖"]),
        ("創薬", ["創薬"]),
        ("森林", ["森林"]),
        ("ﾊﾞｲｵﾏｽ", ["バイオマス"]),
        ("バイオ・マス", ["バイオマス"]),
        ("ＦＳ調査", ["fs", "調査"]),
        ("医療系ベンチャータータル", ["医療", "ベンチャー", "タータル"]),
        ("無給餌養殖", ["給餌", "養殖"]),
        ("コンピュータ", ["コンピューター"]),  # Sudachi's normalised form
        ("地域循環共生圏づくり", ["地域", "循環", "共生", "作り"]),
    ],
)
def test_terms_are_the_words_a_user_would_search_for(text, expected):
    assert terms(text, long_units=False) == expected


def test_an_unknown_katakana_compound_is_split_at_the_words_inside_it():
    found = terms("医療系ベンチャータータルサポート事業", long_units=False)
    assert {"ベンチャー", "サポート", "事業"} <= set(found)


def test_long_units_add_compounds_after_the_short_ones():
    found = terms("地域活性化人材育成事業")
    assert found[:5] == ["地域", "活性", "人材", "育成", "事業"]
    assert "人材育成" in found and "活性化" in found


def test_particles_auxiliaries_and_light_verbs_are_not_terms():
    found = terms("スマート農業における優れた技術の横展開を推進する")
    assert "に" not in found and "おく" not in found and "為る" not in found
    assert {"スマート", "農業", "技術", "推進"} <= set(found)


def test_english_words_in_japanese_text_become_terms():
    assert "トータル" in terms("医療系ベンチャー TOTAL サポート事業")
    assert terms("ＰＲＩＳＭ") == ["prism"]


def test_analyze_keeps_what_was_written_beside_the_matching_form():
    (term,) = analyze("コンピュータ")
    assert term.surface == "コンピュータ" and term.form == "コンピューター"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("ばいおます", "バイオマス"),
        ("げのむ", "ゲノム"),
        ("ばいおますを活用", "バイオマスを活用"),
        ("ところ", "ところ"),
        ("いちご", "いちご"),
        ("ようになった", "ようになった"),
    ],
)
def test_a_katakana_word_typed_in_hiragana_is_read_as_katakana(typed, expected):
    assert normalize(typed) == expected
