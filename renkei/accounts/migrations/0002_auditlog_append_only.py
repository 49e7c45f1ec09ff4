"""Database triggers that make the audit log append-only whatever code touches it."""

from django.db import migrations

SQLITE = [
    """CREATE TRIGGER accounts_auditlog_no_update BEFORE UPDATE ON accounts_auditlog
       BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END""",
    """CREATE TRIGGER accounts_auditlog_no_delete BEFORE DELETE ON accounts_auditlog
       BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS accounts_auditlog_no_update",
    "DROP TRIGGER IF EXISTS accounts_auditlog_no_delete",
]
POSTGRES = [
    """CREATE OR REPLACE FUNCTION accounts_auditlog_refuse() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'audit log is append-only'; END; $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER accounts_auditlog_no_change BEFORE UPDATE OR DELETE ON accounts_auditlog
       FOR EACH ROW EXECUTE FUNCTION accounts_auditlog_refuse()""",
    """CREATE TRIGGER accounts_auditlog_no_truncate BEFORE TRUNCATE ON accounts_auditlog
       FOR EACH STATEMENT EXECUTE FUNCTION accounts_auditlog_refuse()""",
]
POSTGRES_REVERSE = [
    "DROP TRIGGER IF EXISTS accounts_auditlog_no_change ON accounts_auditlog",
    "DROP TRIGGER IF EXISTS accounts_auditlog_no_truncate ON accounts_auditlog",
    "DROP FUNCTION IF EXISTS accounts_auditlog_refuse()",
]


def _run(statements):
    def run(apps, schema_editor):
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRES}),
            _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE}),
        )
    ]
