"""Issue 11 (8): the dependency audit of `make lint` never passes silently — pip-audit exits
0 when its advisory database is unreachable (every package "not found on PyPI"); the wrapper
says NOT AUDITED, and fails only on real findings (or, strict, on an audit of nothing)."""

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
spec = importlib.util.spec_from_file_location(
    "audit_dependencies", ROOT / "tools" / "audit_dependencies.py"
)
audit = importlib.util.module_from_spec(spec)
spec.loader.exec_module(audit)

UNREACHABLE = {
    "dependencies": [
        {
            "name": "django",
            "skip_reason": "Dependency not found on PyPI and could not be audited: django (5.2.19)",
        },
        {
            "name": "pypdf",
            "skip_reason": "Dependency not found on PyPI and could not be audited: pypdf (7.1.1)",
        },
    ]
}
CLEAN = {"dependencies": [{"name": "django", "version": "5.2.19", "vulns": []}]}
VULNERABLE = {
    "dependencies": [
        {
            "name": "pypdf",
            "version": "3.0.0",
            "vulns": [{"id": "PYSEC-2023-1", "fix_versions": ["3.9.0"], "aliases": ["CVE-1"]}],
        },
        {"name": "django", "version": "5.2.19", "vulns": []},
    ]
}


def test_an_unreachable_advisory_database_says_not_audited_instead_of_passing():
    code, lines = audit.summarise(UNREACHABLE)
    assert code == 0
    assert lines == [
        "NOT AUDITED: none of the 2 locked packages could be looked up in the advisory "
        "database (is it reachable from here?); dependencies were not checked."
    ]
    assert audit.summarise(UNREACHABLE, strict=True)[0] == 1
    assert audit.summarise(None)[1][0].startswith("NOT AUDITED:")


def test_a_clean_audit_says_how_much_it_checked():
    assert audit.summarise(CLEAN) == (0, ["AUDITED: 1 packages, no known vulnerabilities."])


def test_a_finding_fails_and_names_the_fix():
    code, lines = audit.summarise(VULNERABLE)
    assert code == 1
    assert lines == ["VULNERABLE: pypdf 3.0.0: PYSEC-2023-1 (CVE-1) — fixed in 3.9.0"]


def test_the_makefile_runs_the_audit_and_the_security_linter():
    lint = (ROOT / "Makefile").read_text().split("\nlint:")[1].split("\n\n")[0]
    assert "tools/audit_dependencies.py requirements.lock" in lint
    assert "bandit" in lint
