"""The dependency audit of `make lint`: pip-audit against requirements.lock, saying plainly
whether anything was audited.

pip-audit exits 0 when it cannot reach its advisory database: every package is then skipped
("Dependency not found on PyPI and could not be audited") and the run looks like a pass.
This wrapper reads pip-audit's JSON report and prints one of:

- ``AUDITED: N packages, no known vulnerabilities`` (exit 0);
- ``VULNERABLE: …`` with each finding and its fixed versions (exit 1);
- ``NOT AUDITED: …`` when the advisory database could not be reached, or a package could not
  be looked up (exit 0, so work goes on offline, unless ``RENKEI_AUDIT_STRICT=1`` or
  ``--strict``, where a run that audited nothing fails).

Usage: python tools/audit_dependencies.py [--strict] [requirements.lock]
"""

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def summarise(report, *, strict=False):
    """(exit code, lines to print) for a pip-audit JSON report (None: pip-audit failed)."""
    if report is None:
        return (1 if strict else 0), [
            "NOT AUDITED: pip-audit could not run or reach its advisory database "
            "(no network?); dependencies were not checked."
        ]
    dependencies = report.get("dependencies", [])
    skipped = [d for d in dependencies if d.get("skip_reason")]
    audited = [d for d in dependencies if not d.get("skip_reason")]
    findings = [(d, v) for d in audited for v in d.get("vulns", [])]
    lines = []
    for dependency, vuln in findings:
        fixes = ", ".join(vuln.get("fix_versions") or []) or "no fixed version yet"
        aliases = ", ".join(vuln.get("aliases") or [])
        lines.append(
            f"VULNERABLE: {dependency['name']} {dependency.get('version', '')}: {vuln['id']}"
            + (f" ({aliases})" if aliases else "")
            + f" — fixed in {fixes}"
        )
    if not audited:
        lines.append(
            f"NOT AUDITED: none of the {len(dependencies)} locked packages could be looked up "
            "in the advisory database (is it reachable from here?); dependencies were not "
            "checked."
        )
        return (1 if strict else 0), lines
    if skipped:
        names = ", ".join(d["name"] for d in skipped)
        lines.append(f"NOT AUDITED: {len(skipped)} of {len(dependencies)} packages: {names}")
    if findings:
        return 1, lines
    lines.append(f"AUDITED: {len(audited)} packages, no known vulnerabilities.")
    return (1 if strict and skipped else 0), lines


def run_pip_audit(lock):
    with tempfile.TemporaryDirectory() as scratch:
        output = Path(scratch) / "audit.json"
        command = [
            str(Path(sys.executable).with_name("pip-audit")),
            "--requirement",
            str(lock),
            "--no-deps",
            "--disable-pip",
            "--progress-spinner",
            "off",
            "--format",
            "json",
            "--output",
            str(output),
        ]
        try:
            # a fixed command line of the project's own tool (no shell, no user input)
            completed = subprocess.run(  # noqa: S603  # nosec B603
                command, capture_output=True, text=True, timeout=300, check=False
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            print(f"pip-audit: {exc}", file=sys.stderr)
            return None
        if not output.exists() or not output.read_text().strip():
            print(completed.stderr.strip()[-2000:], file=sys.stderr)
            return None
        return json.loads(output.read_text())


def main(argv):
    strict = "--strict" in argv or os.environ.get("RENKEI_AUDIT_STRICT") == "1"
    paths = [a for a in argv if not a.startswith("--")]
    lock = Path(paths[0]) if paths else ROOT / "requirements.lock"
    code, lines = summarise(run_pip_audit(lock), strict=strict)
    for line in lines:
        print(line)
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
