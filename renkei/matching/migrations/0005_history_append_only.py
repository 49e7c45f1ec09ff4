"""Match records live on as proposals and steps (0004); the table goes. Steps and
judgements become append-only in the database too, as the audit log is
(accounts/migrations/0002): whatever code touches them, a row is never changed or deleted."""

from django.db import migrations

TABLES = ["matching_step", "matching_judgement"]


def _sqlite(table):
    return [
        f"""CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table}
            BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END""",
        f"""CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table}
            BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END""",
    ]


def _sqlite_reverse(table):
    return [f"DROP TRIGGER IF EXISTS {table}_no_update", f"DROP TRIGGER IF EXISTS {table}_no_delete"]


POSTGRES_FUNCTION = """CREATE OR REPLACE FUNCTION matching_history_refuse() RETURNS trigger AS $$
    BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; END; $$ LANGUAGE plpgsql"""


def _postgres(table):
    return [
        f"""CREATE TRIGGER {table}_no_change BEFORE UPDATE OR DELETE ON {table}
            FOR EACH ROW EXECUTE FUNCTION matching_history_refuse()""",
        f"""CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table}
            FOR EACH STATEMENT EXECUTE FUNCTION matching_history_refuse()""",
    ]


def _postgres_reverse(table):
    return [
        f"DROP TRIGGER IF EXISTS {table}_no_change ON {table}",
        f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}",
    ]


STATEMENTS = {
    "sqlite": [sql for table in TABLES for sql in _sqlite(table)],
    "postgresql": [POSTGRES_FUNCTION] + [sql for table in TABLES for sql in _postgres(table)],
}
REVERSE = {
    "sqlite": [sql for table in TABLES for sql in _sqlite_reverse(table)],
    "postgresql": [sql for table in TABLES for sql in _postgres_reverse(table)]
    + ["DROP FUNCTION IF EXISTS matching_history_refuse()"],
}


def _run(statements):
    def run(apps, schema_editor):
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql, params=None)  # no placeholders: keep % for plpgsql

    return run


class Migration(migrations.Migration):
    dependencies = [("matching", "0004_match_records_into_history")]

    operations = [
        migrations.DeleteModel(name="MatchRecord"),
        migrations.RunPython(_run(STATEMENTS), _run(REVERSE)),
    ]
