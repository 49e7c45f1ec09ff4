"""The full-text index of programs on each database engine, fed with the same terms.

Both engines receive terms already analysed by renkei.ja (ADR 0001), so matching is the same
on both: a program matches when every query term (or, relaxed, any term) is one of its
terms. SQLite keeps them in an FTS5 table with the ``ascii`` tokenizer (every non-ASCII
character is a token character, so a Japanese term stays one token); PostgreSQL in a
``tsvector`` built with ``array_to_tsvector`` (no further parsing) under a GIN index.
Relevance weighs the fields: name and aliases above keywords, above description and
department.
"""

import re

from django.db import connection

FIELDS = ("name", "aliases", "keywords", "department", "description")
BM25_WEIGHTS = (10.0, 8.0, 5.0, 1.5, 1.0)
PG_WEIGHT_CLASS = {
    "name": "A",
    "aliases": "A",
    "keywords": "B",
    "description": "C",
    "department": "D",
}
PG_WEIGHTS = "{0.1, 0.2, 0.5, 1.0}"  # D, C, B, A
FTS_TABLE = "programs_search_fts"

_ASCII_PUNCT = re.compile(r"[\x00-\x2f\x3a-\x40\x5b-\x60\x7b-\x7f]+")


def index_term(term):
    """A term as both indexes store it: ASCII punctuation and spaces removed."""
    return _ASCII_PUNCT.sub("", term)


class SQLiteBackend:
    def index(self, cursor, documents):
        ids = [d.program_id for d in documents]
        self.delete(cursor, ids)
        cursor.executemany(
            f"INSERT INTO {FTS_TABLE} (rowid, {', '.join(FIELDS)}) VALUES (?, ?, ?, ?, ?, ?)",  # noqa: S608 - constant names
            [(d.program_id, *(getattr(d, f) for f in FIELDS)) for d in documents],
        )

    def delete(self, cursor, ids):
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ", ".join("?" * len(chunk))
            cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid IN ({marks})", chunk)  # noqa: S608

    def clear(self, cursor):
        cursor.execute(f"DELETE FROM {FTS_TABLE}")  # noqa: S608

    def match(self, cursor, terms, any_term=False):
        expression = (" OR " if any_term else " AND ").join(
            '"' + term.replace('"', '""') + '"' for term in terms
        )
        weights = ", ".join(str(w) for w in BM25_WEIGHTS)
        cursor.execute(
            f"SELECT rowid, -bm25({FTS_TABLE}, {weights}) FROM {FTS_TABLE} "  # noqa: S608
            f"WHERE {FTS_TABLE} MATCH ?",
            [expression],
        )
        return dict(cursor.fetchall())


class PostgresBackend:
    @staticmethod
    def _lexeme(term):
        return "'" + term.replace("\\", "\\\\").replace("'", "''") + "'"

    def vector_literal(self, document):
        """A tsvector in its input syntax ('term':position+weight …), so PostgreSQL stores
        our terms as they are, without parsing them again, and keeps each field's weight."""
        parts, position = [], 0
        for field in FIELDS:
            weight = PG_WEIGHT_CLASS[field]
            for term in getattr(document, field).split():
                position = min(position + 1, 16383)
                parts.append(f"{self._lexeme(term)}:{position}{weight}")
        return " ".join(parts)

    def index(self, cursor, documents):
        cursor.executemany(
            "UPDATE programs_searchdocument SET vector = CAST(%s AS tsvector) "
            "WHERE program_id = %s",
            [(self.vector_literal(d), d.program_id) for d in documents],
        )

    def delete(self, cursor, ids):
        """Rows go with their SearchDocument (ON DELETE CASCADE through the model)."""

    def clear(self, cursor):
        """The vector lives on programs_searchdocument; nothing separate to clear."""

    def match(self, cursor, terms, any_term=False):
        query = (" | " if any_term else " & ").join(self._lexeme(t) for t in terms)
        cursor.execute(
            f"SELECT program_id, ts_rank('{PG_WEIGHTS}', vector, q) "  # noqa: S608
            "FROM programs_searchdocument, CAST(%s AS tsquery) AS q WHERE vector @@ q",
            [query],
        )
        return dict(cursor.fetchall())


def backend():
    return PostgresBackend() if connection.vendor == "postgresql" else SQLiteBackend()
