"""Reading needs, seeds and judgements from JSON lines files, with line-numbered errors."""

import json
from pathlib import Path

from django.utils.translation import gettext as _

from renkei.lib.imports import DataImportError, Errors, decode
from renkei.matching.engine import STAGES, Document, EngineError, Query, prefecture_code

MAX_TEXT = 5000


def read_jsonl(path):
    """(line number, object) of a JSON lines file; blank lines are skipped."""
    path = Path(path)
    errors = Errors(path.name)
    text = decode(path.read_bytes(), path.name)
    rows = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            errors.add(
                number,
                "",
                _("JSON の形式が正しくありません: %(msg)s（%(col)s文字目）")
                % {"msg": exc.msg, "col": exc.colno},
            )
            continue
        if not isinstance(item, dict):
            errors.add(number, "", _("1行に1つの JSON オブジェクトを書いてください。"))
            continue
        rows.append((number, item))
    errors.raise_if_any()
    return rows


def _text(errors, number, item, key, required=True):
    value = item.get(key, "")
    if value is None:
        value = ""
    if not isinstance(value, str):
        errors.add(number, key, _("「%(key)s」は文字列で書いてください。") % {"key": key})
        return ""
    value = value.strip()
    if required and not value:
        errors.add(number, key, _("「%(key)s」が空です。") % {"key": key})
    if len(value) > MAX_TEXT:
        errors.add(
            number,
            key,
            _("「%(key)s」が長すぎます（%(max)s文字まで）。") % {"key": key, "max": MAX_TEXT},
        )
    return value


def _common(errors, number, item, seen):
    identifier = item.get("id")
    if identifier in (None, "") or not isinstance(identifier, str | int):
        errors.add(number, "id", _("「id」がありません。"))
        return None, None
    identifier = str(identifier)
    if identifier in seen:
        errors.add(
            number,
            "id",
            _("id「%(id)s」が %(line)s 行目と重複しています。")
            % {"id": identifier, "line": seen[identifier]},
        )
    seen[identifier] = number
    try:
        prefecture = prefecture_code(item.get("prefecture"))
    except EngineError:
        errors.add(
            number,
            "prefecture",
            _("都道府県「%(p)s」がわかりません。") % {"p": item.get("prefecture")},
        )
        prefecture = None
    return identifier, prefecture


def read_seeds(path):
    errors, seen, documents = Errors(Path(path).name), {}, []
    for number, item in read_jsonl(path):
        identifier, prefecture = _common(errors, number, item, seen)
        title = _text(errors, number, item, "title")
        text = _text(errors, number, item, "text")
        stage = item.get("stage") or None
        if stage is not None and stage not in STAGES:
            errors.add(
                number,
                "stage",
                _("段階「%(stage)s」は使えません（%(stages)s）。")
                % {"stage": stage, "stages": ", ".join(STAGES)},
            )
            stage = None
        if identifier:
            documents.append(
                Document(
                    id=identifier,
                    fields={"title": title, "text": text},
                    prefecture=prefecture,
                    stage=stage,
                    organization=str(item.get("organization") or ""),
                )
            )
    errors.raise_if_any()
    return documents


def read_needs(path):
    errors, seen, queries = Errors(Path(path).name), {}, []
    for number, item in read_jsonl(path):
        identifier, prefecture = _common(errors, number, item, seen)
        title = _text(errors, number, item, "title")
        text = _text(errors, number, item, "text")
        if identifier:
            queries.append(
                Query(id=identifier, fields={"title": title, "text": text}, prefecture=prefecture)
            )
    errors.raise_if_any()
    return queries


def read_gold(path, need_ids, seed_ids):
    errors, gold, seen = Errors(Path(path).name), {}, set()
    for number, item in read_jsonl(path):
        need, seed, grade = (
            str(item.get("need_id", "")),
            str(item.get("seed_id", "")),
            item.get("grade"),
        )
        if need not in need_ids:
            errors.add(
                number, "need_id", _("ニーズ「%(id)s」は needs にありません。") % {"id": need}
            )
        if seed not in seed_ids:
            errors.add(
                number, "seed_id", _("シーズ「%(id)s」は seeds にありません。") % {"id": seed}
            )
        if grade not in (1, 2):
            errors.add(number, "grade", _("grade は 1 か 2 にしてください。"))
        if (need, seed) in seen:
            errors.add(
                number,
                "",
                _("%(need)s と %(seed)s の判定が重複しています。") % {"need": need, "seed": seed},
            )
        seen.add((need, seed))
        gold.setdefault(need, {})[seed] = grade
    if errors:
        raise DataImportError(errors.items)
    return gold
