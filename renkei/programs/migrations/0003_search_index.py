"""The engine-specific full-text index beside SearchDocument (see search/backends.py)."""

from django.db import migrations

SQLITE = [
    "CREATE VIRTUAL TABLE programs_search_fts USING fts5("
    "name, aliases, keywords, department, description, tokenize = 'ascii')",
]
SQLITE_REVERSE = ["DROP TABLE IF EXISTS programs_search_fts"]
POSTGRES = [
    "ALTER TABLE programs_searchdocument ADD COLUMN vector tsvector",
    "CREATE INDEX programs_searchdocument_vector_gin ON programs_searchdocument USING GIN (vector)",
]
POSTGRES_REVERSE = [
    "DROP INDEX IF EXISTS programs_searchdocument_vector_gin",
    "ALTER TABLE programs_searchdocument DROP COLUMN IF EXISTS vector",
]


def _run(statements):
    def run(apps, schema_editor):
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


def create_version_row(apps, schema_editor):
    apps.get_model("programs", "CatalogueVersion").objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [("programs", "0002_navigator")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRES}),
            _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE}),
        ),
        migrations.RunPython(create_version_row, migrations.RunPython.noop),
    ]
