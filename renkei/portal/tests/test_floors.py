"""The house has floors: the helper library and the Japanese pipeline at the bottom, the
domain apps above them in a fixed order, the portal shell and the API on top. An app never
imports one above it, counting imports placed inside functions."""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2]

# Bottom to top. A unit may import only units on its own floor or below; units on one floor
# must not import each other in both directions.
FLOORS = [
    {"lib", "ja"},
    {"notifications"},
    {"accounts"},
    {"regions"},
    {"programs"},
    {"communities", "councils"},
    {"maturity"},
    {"matching"},
    {"experts", "regulatory"},
    {"contributions"},
    {"portal", "api", "urls", "wsgi", "cli", "settings", "__main__"},
]
FLOOR_OF = {unit: number for number, units in enumerate(FLOORS) for unit in units}


def _unit(module):
    parts = module.split(".")
    if parts[0] != "renkei" or len(parts) < 2:
        return None
    return parts[1]


def _imports():
    """(importing unit, imported unit, file, line) for every import in the package, including
    those inside functions; tests and migrations are left out."""
    found = []
    for path in PACKAGE.rglob("*.py"):
        relative = path.relative_to(PACKAGE.parent)
        if "tests" in relative.parts or "migrations" in relative.parts:
            continue
        if path.name == "conftest.py":
            continue
        source = _unit(".".join(relative.with_suffix("").parts))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                continue
            for name in names:
                target = _unit(name)
                if target and source and target != source:
                    found.append((source, target, str(relative), node.lineno))
    return found


IMPORTS = _imports()


def test_every_unit_of_the_package_has_a_floor():
    units = {source for source, *_ in IMPORTS} | {target for _, target, *_ in IMPORTS}
    assert sorted(units - FLOOR_OF.keys()) == []


def test_no_unit_imports_one_on_a_higher_floor():
    upward = [
        f"{path}:{line} {source} → {target}"
        for source, target, path, line in IMPORTS
        if FLOOR_OF[target] > FLOOR_OF[source]
    ]
    assert upward == []


def test_units_on_one_floor_do_not_import_each_other_both_ways():
    edges = {(source, target) for source, target, *_ in IMPORTS}
    both = sorted({tuple(sorted(edge)) for edge in edges if edge[::-1] in edges})
    assert both == []


@pytest.mark.parametrize("library", ["lib", "ja"])
def test_the_libraries_import_no_app(library):
    assert sorted({t for s, t, *_ in IMPORTS if s == library} - {"lib", "ja"}) == []


def test_an_import_inside_a_function_says_why():
    unexplained = []
    for path in PACKAGE.rglob("*.py"):
        relative = path.relative_to(PACKAGE.parent)
        if "tests" in relative.parts or "migrations" in relative.parts:
            continue
        if path.name == "conftest.py":  # fixtures import models once Django is set up
            continue
        lines = path.read_text(encoding="utf-8").splitlines()
        for node in ast.walk(ast.parse("\n".join(lines))):
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for inner in ast.walk(node):
                if isinstance(inner, ast.Import | ast.ImportFrom) and (
                    isinstance(inner, ast.Import) or (inner.module or "").startswith("renkei")
                ):
                    above = lines[inner.lineno - 2].strip() if inner.lineno > 1 else ""
                    if not above.startswith("#"):
                        unexplained.append(f"{relative}:{inner.lineno}")
    assert unexplained == []
