"""ARCHITECTURE.md stays true: it names every module of the package and no module that is
gone, and the core (content/, render/) does not depend on MkDocs."""

from __future__ import annotations

import ast
import re

from conftest import ROOT

PACKAGE = ROOT / "generator" / "factcheck_site"
PAGE = (ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8")
NAMED = set(re.findall(r"`([\w/]+\.py)`", PAGE)) - {"tests/test_architecture.py"}


def _modules() -> set[str]:
    found = {path.relative_to(PACKAGE).as_posix() for path in PACKAGE.rglob("*.py") if "__pycache__" not in path.parts}
    return {name for name in found if not (name.endswith("/__init__.py"))}


def test_every_module_is_on_the_architecture_page() -> None:
    assert sorted(_modules() - NAMED) == [], "add these modules to ARCHITECTURE.md"


def test_every_module_the_page_names_exists() -> None:
    assert sorted(NAMED - _modules()) == [], "ARCHITECTURE.md names modules that are gone"


def test_the_core_does_not_import_mkdocs() -> None:
    for folder in ("content", "render"):
        for path in (PACKAGE / folder).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                    [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
                assert not any(n.split(".")[0] == "mkdocs" for n in names), f"{path.relative_to(ROOT)} imports MkDocs"
