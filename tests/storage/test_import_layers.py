"""No repository imports another repository module, so they form no cycle (the Store wires them)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from storage.store import Store
from storage.tinydb_engine import TinyDBEngine

STORAGE = Path(__file__).resolve().parents[2] / "storage"
REPOS = sorted(STORAGE.glob("*_repo.py"))


def _runtime_imports(tree: ast.Module) -> list[str]:
    """Every module imported when the file runs: type-checking-only blocks left out, function bodies in."""
    found: list[str] = []

    def visit(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                continue
            if isinstance(child, ast.ImportFrom) and child.module:
                found.append(child.module)
            elif isinstance(child, ast.Import):
                found.extend(alias.name for alias in child.names)
            visit(child)

    visit(tree)
    return found


@pytest.mark.parametrize("path", REPOS, ids=lambda p: p.stem)
def test_a_repository_imports_no_other_repository(path: Path) -> None:
    imported = _runtime_imports(ast.parse(path.read_text(encoding="utf-8")))
    others = [m for m in imported if m.startswith("storage.") and m.endswith("_repo")]
    assert others == [], f"{path.name} imports {others}; hand it the repository through storage/store.py"


async def test_the_store_hands_meetings_their_agenda_and_attendance(tmp_path: Path) -> None:
    store = Store(TinyDBEngine(tmp_path))
    try:
        assert store.meetings._agenda is store.agenda
        assert store.meetings._attendance is store.attendance
    finally:
        await store.close()
