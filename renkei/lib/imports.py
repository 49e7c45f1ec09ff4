"""Reading data files for imports: strict encodings, row and column of every error.

Every importer follows the same rule: read and validate the whole input first, collecting
every problem as a :class:`RowError`; write nothing if there is one; otherwise write
everything inside one transaction. :class:`DataImportError` carries the list so commands
can print each error as ``file:row:column: message``.
"""

import csv
import io
import re
import typing
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import yaml
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


@dataclass(frozen=True)
class RowError:
    source: str
    row: int | None
    column: str
    message: str

    def __str__(self):
        where = self.source
        if self.row is not None:
            where += _(":%(row)s行") % {"row": self.row}
        if self.column:
            where += _(":%(column)s列") % {"column": self.column}
        return f"{where}: {self.message}"


class DataImportError(Exception):
    def __init__(self, errors):
        self.errors = list(errors)
        super().__init__("\n".join(str(e) for e in self.errors))


class Errors:
    """Collects row errors for one source and raises them all at once."""

    def __init__(self, source):
        self.source = str(source)
        self.items = []

    def add(self, row, column, message):
        self.items.append(RowError(self.source, row, column, str(message)))

    def extend(self, other):
        self.items.extend(other.items)

    def __bool__(self):
        return bool(self.items)

    def raise_if_any(self):
        if self.items:
            raise DataImportError(self.items)


def decode(data, source, *, excel=False):
    """Decode UTF-8 (with or without BOM) or raise a DataImportError naming the line.

    ``excel``: a file that is not UTF-8 is read as CP932 (Shift_JIS as Excel on Japanese
    Windows saves 「CSV（コンマ区切り）」), and the error, if neither fits, names both."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        if excel:
            try:
                return data.decode("cp932")
            except UnicodeDecodeError:
                message = _(
                    "文字コードを読み取れません（UTF-8 でも Shift_JIS（CP932）でもありません。"
                    "%(offset)s バイト目）。Excel では「CSV UTF-8（コンマ区切り）」か"
                    "「CSV（コンマ区切り）」で保存し直してください。"
                ) % {"offset": exc.start}
                raise DataImportError([RowError(str(source), line, "", message)]) from exc
        raise DataImportError(
            [
                RowError(
                    str(source),
                    line,
                    "",
                    _(
                        "文字コードが UTF-8 ではありません（%(offset)s バイト目）。"
                        "UTF-8 で保存し直してください。"
                    )
                    % {"offset": exc.start},
                )
            ]
        ) from exc


_MARKS = re.compile(r"[(（]\s*(必須|任意|required|optional)\s*[)）]$", re.IGNORECASE)


def header_key(name):
    """A header as compared: width, case and spaces ignored, a trailing (必須) or (任意) mark
    dropped — 「番号（必須）」, 「番号」 and 「 番 号 」 are one column."""
    key = re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(name or ""))).casefold()
    return _MARKS.sub("", key)


class Headers:
    """The names a file may give each column: its own (English) name and others, such as a
    Japanese label (``{"code": ["番号"]}``). Calling it with a header as written gives the
    column; ``used`` keeps, per column, the header the file wrote, so errors name the column
    as the file does."""

    def __init__(self, names):
        self.names = {column: list(others) for column, others in names.items()}
        self.columns = {}
        for column, others in self.names.items():
            for name in (column, *others):
                self.columns[header_key(name)] = column
        self.used = {}

    def __call__(self, header):
        column = self.columns.get(header_key(header), header)
        self.used.setdefault(column, header)
        return column

    def label(self, column):
        """The column as the file named it, else as a person reads it (番号（code）)."""
        if column in self.used:
            return self.used[column]
        others = self.names.get(column)
        return f"{others[0]}（{column}）" if others else column


def read_text(path):
    path = Path(path)
    return decode(path.read_bytes(), path.name)


def read_csv(text, source, required_columns, *, deadline=None, headers=None):
    """Parse CSV text into (line number, row dict) pairs after checking the header.

    Header names may contain line breaks (the MEXT list quotes them over two lines); they
    are matched with the breaks removed. ``deadline`` (an uploads.Deadline) bounds an
    upload's parsing in rows and time; the default data set's own files are not bounded.
    ``headers`` (a :class:`Headers`) maps other names of the columns to theirs.
    """
    errors = Errors(source)
    reader: typing.Any = csv.reader(io.StringIO(text, newline=""))
    if deadline is not None:
        # the helper module imports this one (a cycle otherwise)
        from renkei.lib.uploads import count_rows

        reader = _Bounded(reader, count_rows(reader, str(source), deadline=deadline))
    try:
        header = next(reader)
    except StopIteration:
        errors.add(1, "", _("ファイルが空です。"))
        errors.raise_if_any()
    header = [name.replace("\r", "").replace("\n", "").strip() for name in header]
    check_header(header, required_columns, errors, headers)
    if headers is not None:
        header = [headers(name) for name in header]
    errors.raise_if_any()
    rows = []
    try:
        for values in reader:
            line = reader.line_num
            if not any(v.strip() for v in values):
                continue
            if len(values) != len(header):
                errors.add(
                    line,
                    "",
                    _("列の数が %(got)s で、見出しの %(want)s と合いません。")
                    % {"got": len(values), "want": len(header)},
                )
                continue
            rows.append((line, dict(zip(header, (v.strip() for v in values), strict=True))))
    except csv.Error as exc:
        errors.add(
            reader.line_num, "", _("CSV の形式が正しくありません: %(error)s") % {"error": exc}
        )
    errors.raise_if_any()
    return rows


def check_header(header, required_columns, errors, headers=None):
    """Add an error for each repeated column and each required column missing from a header
    row (as written; ``headers`` maps other names to the columns')."""
    rename = headers or (lambda name: name)
    label = headers.label if headers is not None else (lambda name: name)
    seen = {}
    for name in header:
        column = rename(name)
        if column in seen:
            errors.add(1, name, _("列名「%(name)s」が重複しています。") % {"name": name})
        seen[column] = name
    for column in required_columns:
        if column not in seen:
            errors.add(1, column, _("必須の列「%(name)s」がありません。") % {"name": label(column)})


class _Bounded:
    """A csv reader's rows through a bounding generator, keeping its ``line_num``."""

    def __init__(self, reader, rows):
        self.reader, self.rows = reader, rows

    def __iter__(self):
        return self

    def __next__(self):
        return next(self.rows)

    @property
    def line_num(self):
        return self.reader.line_num


class _LineLoader(yaml.SafeLoader):
    """A safe YAML loader that records each mapping's line and refuses duplicate keys."""


def _construct_mapping(loader, node, deep=False):
    keys = set()
    for key_node, _value in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in keys:
            raise yaml.constructor.ConstructorError(
                None,
                None,
                _("キー「%(key)s」が重複しています") % {"key": key},
                key_node.start_mark,
            )
        keys.add(key)
    mapping = yaml.SafeLoader.construct_mapping(loader, node, deep=deep)
    mapping["__line__"] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def read_yaml(path):
    """Load a YAML data file; every mapping gets ``__line__``, its line in the file."""
    path = Path(path)
    text = read_text(path)
    try:
        return yaml.load(text, Loader=_LineLoader)  # noqa: S506 - _LineLoader is a SafeLoader  # nosec B506
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = mark.line + 1 if mark else None
        problem = getattr(exc, "problem", None) or str(exc)
        raise DataImportError(
            [
                RowError(
                    path.name, line, "", _("YAML の形式が正しくありません: %(p)s") % {"p": problem}
                )
            ]
        ) from exc


# Japanese messages for pydantic's error types, so validation reads well to the secretariat.
_PYDANTIC_MESSAGES = {
    "missing": gettext_lazy("必須項目がありません。"),
    "int_parsing": gettext_lazy("整数で入力してください。"),
    "int_type": gettext_lazy("整数で入力してください。"),
    "bool_parsing": gettext_lazy("true / false で入力してください。"),
    "bool_type": gettext_lazy("true / false で入力してください。"),
    "string_type": gettext_lazy("文字列で入力してください。"),
    "list_type": gettext_lazy("リストで入力してください。"),
    "date_from_datetime_parsing": gettext_lazy("日付は YYYY-MM-DD で入力してください。"),
    "date_parsing": gettext_lazy("日付は YYYY-MM-DD で入力してください。"),
    "date_type": gettext_lazy("日付は YYYY-MM-DD で入力してください。"),
    "greater_than_equal": gettext_lazy("%(ge)s 以上の値を入力してください。"),
    "less_than_equal": gettext_lazy("%(le)s 以下の値を入力してください。"),
    "string_too_short": gettext_lazy("空にできません。"),
    "string_too_long": gettext_lazy("%(max_length)s 文字以内で入力してください。"),
    "extra_forbidden": gettext_lazy("この項目は使えません（綴りを確認してください）。"),
}


def _location(data, loc, line):
    """The innermost line a pydantic error location reaches in the raw YAML data."""
    node = data
    for part in loc:
        if isinstance(node, dict) and isinstance(node.get("__line__"), int):
            line = node["__line__"]
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            break
    if isinstance(node, dict) and isinstance(node.get("__line__"), int):
        line = node["__line__"]
    return line


def _column(loc, prefix):
    column = prefix
    for part in loc:
        column += f"[{part}]" if isinstance(part, int) else (f".{part}" if column else str(part))
    return column


def pydantic_errors(exc, source, line, prefix="", data=None):
    """Turn a pydantic ValidationError into RowErrors with the line of the innermost mapping
    (when ``data``, the validated input, is given) and a dotted column path."""
    errors = Errors(source)
    for error in exc.errors():
        row = _location(data, error["loc"], line) if data is not None else line
        column = _column(error["loc"], prefix)
        template = _PYDANTIC_MESSAGES.get(error["type"])
        ctx = {k: str(v) for k, v in (error.get("ctx") or {}).items()}
        if error["type"] in {"literal_error", "enum"}:
            message = _("値「%(value)s」は使えません（使える値: %(expected)s）。") % {
                "value": error.get("input"),
                "expected": ctx.get("expected", "").replace(" or ", ", "),
            }
        elif error["type"] == "value_error":
            message = ctx.get("error", error["msg"])
        elif template:
            message = str(template) % ctx
        else:
            message = error["msg"]
        errors.add(row, column, message)
    return errors
