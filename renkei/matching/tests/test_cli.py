"""`renkei match` and `renkei match eval` on JSON lines files."""

import json

import pytest
from django.core.management import CommandError, call_command

from renkei.matching.tests.conftest import DEVSET


def run(*args):
    from io import StringIO

    out, err = StringIO(), StringIO()
    call_command("match", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def write(path, lines):
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


def test_match_prints_one_json_line_per_need_with_ranked_explained_seeds(tmp_path):
    needs = write(
        tmp_path / "needs.jsonl",
        [
            json.dumps({"id": "a", "title": "牡蠣の殻を畑に使いたい", "text": "殻が余っている"}),
            json.dumps({"id": "b", "title": "ホタテが死ぬ", "text": "原因を知りたい", "x": 1}),
        ],
    )
    out, _err = run(
        "--needs",
        needs,
        "--seeds",
        str(DEVSET / "seeds.jsonl"),
        "--top",
        "3",
        "--mode",
        "lexical",
        "--no-cache",
    )
    lines = [json.loads(line) for line in out.splitlines()]
    assert [line["need_id"] for line in lines] == ["a", "b"]
    first = lines[0]["results"]
    assert [r["rank"] for r in first] == [1, 2, 3]
    assert first[0]["score"] >= first[1]["score"] >= first[2]["score"]
    assert set(first[0]["explanation"]) >= {"signals", "shared_terms", "matched_fields"}


HEADER = ["mode", "used", "needs", "MRR", "R@5", "R@10", "nDCG@10", "P>cut", "kept"]


def tables(out):
    """{set name: {mode: row}} of `renkei match eval`'s output."""
    found, current = {}, None
    for line in out.splitlines():
        if line.startswith("== "):
            current = found.setdefault(line.split()[1].rstrip(":"), {})
        elif line.split() == HEADER:
            continue
        elif current is not None and line.strip():
            current[line.split()[0]] = dict(zip(HEADER, line.split(), strict=True))
    return found


@pytest.mark.slow
def test_eval_without_files_reports_both_development_sets(embedding_cache_file):
    out, _err = run("eval", "--cache", str(embedding_cache_file))
    assert "== devset: 40 needs × 150 seeds, 84 judgements ==" in out
    assert "== devset2: 66 needs × 533 seeds, 188 judgements ==" in out
    found = tables(out)
    assert set(found) == {"devset", "devset2"}
    for rows in found.values():
        assert set(rows) == {"lexical", "semantic", "hybrid"}
        assert float(rows["lexical"]["nDCG@10"]) >= 0.60
        assert float(rows["hybrid"]["nDCG@10"]) >= 0.80
        assert float(rows["hybrid"]["MRR"]) >= 0.75
        assert float(rows["hybrid"]["P>cut"]) >= 0.45


def test_eval_of_given_files_prints_one_table(tmp_path):
    needs = write(
        tmp_path / "needs.jsonl", [json.dumps({"id": "a", "title": "牡蠣の殻", "text": "殻が余る"})]
    )
    seeds = write(
        tmp_path / "seeds.jsonl",
        [
            json.dumps({"id": "s1", "title": "牡蠣殻の肥料化", "text": "牡蠣の殻を焼く"}),
            json.dumps({"id": "s2", "title": "海藻の乾燥", "text": "海藻を乾かす"}),
        ],
    )
    gold = write(
        tmp_path / "gold.jsonl", [json.dumps({"need_id": "a", "seed_id": "s1", "grade": 2})]
    )
    out, _err = run("eval", "--needs", needs, "--seeds", seeds, "--gold", gold, "--no-cache")
    assert out.splitlines()[0].split() == HEADER
    assert "==" not in out
    row = out.splitlines()[1].split()
    assert row[0] == "lexical" and float(row[6]) == 1.0


def test_a_malformed_line_is_reported_with_its_number(tmp_path):
    needs = write(
        tmp_path / "needs.jsonl",
        [json.dumps({"id": "a", "title": "t", "text": "x"}), '{"id": "b", "title": '],
    )
    with pytest.raises(CommandError, match=r"needs.jsonl:2行: JSON の形式が正しくありません"):
        run("--needs", needs, "--seeds", str(DEVSET / "seeds.jsonl"), "--no-cache")


def test_duplicate_ids_unknown_prefectures_and_empty_or_long_texts_are_all_reported(tmp_path):
    seeds = write(
        tmp_path / "seeds.jsonl",
        [
            json.dumps({"id": "s1", "title": "a", "text": "b", "prefecture": "広島県"}),
            json.dumps({"id": "s1", "title": "a", "text": "b"}),
            json.dumps({"id": "s2", "title": "a", "text": "b", "prefecture": "ムー大陸"}),
            json.dumps({"id": "s3", "title": "", "text": "b"}),
            json.dumps({"id": "s4", "title": "a", "text": "長" * 5001}),
            json.dumps({"id": "s5", "title": "a", "text": "b", "stage": "someday"}),
        ],
    )
    needs = write(tmp_path / "needs.jsonl", [json.dumps({"id": "n", "title": "a", "text": "b"})])
    with pytest.raises(CommandError) as error:
        run("--needs", needs, "--seeds", seeds, "--no-cache")
    message = str(error.value)
    assert "seeds.jsonl:2行:id列: id「s1」が 1 行目と重複しています。" in message
    assert "seeds.jsonl:3行:prefecture列: 都道府県「ムー大陸」がわかりません。" in message
    assert "seeds.jsonl:4行:title列: 「title」が空です。" in message
    assert "seeds.jsonl:5行:text列: 「text」が長すぎます（5000文字まで）。" in message
    assert "seeds.jsonl:6行:stage列" in message


def test_eval_needs_judgements_that_name_known_needs_and_seeds(tmp_path):
    gold = write(
        tmp_path / "gold.jsonl",
        [json.dumps({"need_id": "n01", "seed_id": "s999", "grade": 3})],
    )
    with pytest.raises(CommandError) as error:
        run(
            "eval",
            "--needs",
            str(DEVSET / "needs.jsonl"),
            "--seeds",
            str(DEVSET / "seeds.jsonl"),
            "--gold",
            gold,
            "--no-cache",
        )
    assert "シーズ「s999」は seeds にありません。" in str(error.value)
    assert "grade は 1 か 2 にしてください。" in str(error.value)
    with pytest.raises(CommandError, match=r"--gold"):
        run("eval", "--needs", str(DEVSET / "needs.jsonl"), "--seeds", str(DEVSET / "seeds.jsonl"))
    with pytest.raises(CommandError, match=r"--needs と --seeds"):
        run("--needs", str(DEVSET / "needs.jsonl"))


def test_a_missing_file_is_named(tmp_path):
    with pytest.raises(CommandError, match=r"nowhere\.jsonl"):
        run("--needs", str(tmp_path / "nowhere.jsonl"), "--seeds", str(DEVSET / "seeds.jsonl"))
