"""The full-text index of programs on each database engine, fed with the same terms.

Both engines receive terms already analysed by renkei.ja (ADR 0001) and answer one question:
which programs contain this term. SQLite keeps the terms in an FTS5 table with the ``ascii``
tokenizer (every non-ASCII character is a token character, so a Japanese term stays one
token); PostgreSQL in a ``tsvector`` written in its input syntax (no re-parsing) under a GIN
index. The navigator itself matches with the postings of the catalogue files, built from the
same terms (catalogue.py; ADR 0002, issue 17); these indexes stay in step with every write
for queries in the database (the benchmark's floor, ad-hoc SQL).
"""

import re

from django.db import connection

FIELDS = ("name", "aliases", "keywords", "department", "description")
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
            f"INSERT INTO {FTS_TABLE} (rowid, {', '.join(FIELDS)}) VALUES (%s, %s, %s, %s, %s, %s)",  # noqa: S608 - constant names  # nosec B608
            [(d.program_id, *(getattr(d, f) for f in FIELDS)) for d in documents],
        )

    def delete(self, cursor, ids):
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid IN ({marks})", chunk)  # noqa: S608 - constant table name; ids are bound  # nosec B608

    def clear(self, cursor):
        cursor.execute(f"DELETE FROM {FTS_TABLE}")  # noqa: S608 - constant table name  # nosec B608

    def match_term(self, cursor, term):
        """Ids of the programs that contain ``term`` in any field."""
        cursor.execute(
            # %s, not ?: Django's debug cursor formats the query with %-style placeholders
            f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s",  # noqa: S608 - constant table name  # nosec B608
            ['"' + term.replace('"', '""') + '"'],
        )
        return [row[0] for row in cursor.fetchall()]


class PostgresBackend:
    @staticmethod
    def _lexeme(term):
        return "'" + term.replace("\\", "\\\\").replace("'", "''") + "'"

    def vector_literal(self, document):
        """A tsvector in its input syntax ('term' 'term' …), so PostgreSQL stores our terms
        as they are instead of parsing them again."""
        terms = {term for field in FIELDS for term in getattr(document, field).split()}
        return " ".join(self._lexeme(term) for term in sorted(terms))

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

    def match_term(self, cursor, term):
        cursor.execute(
            "SELECT program_id FROM programs_searchdocument WHERE vector @@ CAST(%s AS tsquery)",
            [self._lexeme(term)],
        )
        return [row[0] for row in cursor.fetchall()]


def backend():
    return PostgresBackend() if connection.vendor == "postgresql" else SQLiteBackend()
