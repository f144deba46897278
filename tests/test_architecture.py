"""The shape the code keeps (STYLE.md): small modules, no import cycle at all, and the domain
packages free of the adapters (the import-linter contracts in pyproject.toml, run by
scripts/lint.sh, say the last one; this checks what they cannot)."""

from __future__ import annotations

import grimp

from tests.support import ROOT

MAX_LINES = 400


def test_no_module_in_app_is_over_400_lines():
    long = {
        str(path.relative_to(ROOT)): n
        for path in (ROOT / "app").rglob("*.py")
        if (n := len(path.read_text().splitlines())) > MAX_LINES
    }
    assert long == {}, "split these modules"


def test_no_import_cycle_between_any_two_modules():
    graph = grimp.build_graph("app")
    cycles = []
    for module in sorted(graph.modules):
        for imported in graph.find_modules_directly_imported_by(module):
            if graph.chain_exists(imported=module, importer=imported):
                cycles.append((module, imported))
    assert cycles == []


def test_tests_share_helpers_only_through_tests_support():
    """Helpers live in tests/support.py: no test module imports from a conftest or from
    another test module (fixtures reach tests through pytest, helpers through support)."""
    import ast

    offending = []
    for path in (ROOT / "tests").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.ImportFrom):
                continue
            module = node.module or ""
            allowed = module == "tests.support" or (
                module == "tests" and all(a.name == "support" for a in node.names)
            )
            if module.startswith("tests") and not allowed:
                offending.append(f"{path.relative_to(ROOT)}: from {module}")
    assert offending == []
