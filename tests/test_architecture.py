"""The shape the house style asks for, checked: no import cycle between packages, the core
never imports click, and the library API is importable without the command line."""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "jettycfg"


def _imports() -> dict[str, set[str]]:
    edges: dict[str, set[str]] = defaultdict(set)
    for path in PACKAGE.rglob("*.py"):
        room = path.relative_to(PACKAGE).parts[0].removesuffix(".py")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names: list[str] = []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            for name in names:
                parts = name.split(".")
                if parts[0] == "jettycfg" and len(parts) > 1 and parts[1] != room:
                    edges[room].add(parts[1])
                if parts[0] == "click":
                    edges[room].add("click")
    return edges


def test_no_import_cycle_between_packages() -> None:
    edges = _imports()

    def reaches(start: str, goal: str) -> bool:
        todo, seen = [start], set()
        while todo:
            room = todo.pop()
            for nxt in edges.get(room, ()):
                if nxt == goal:
                    return True
                if nxt not in seen:
                    seen.add(nxt)
                    todo.append(nxt)
        return False

    cycles = sorted((a, b) for a in edges for b in edges[a] if reaches(b, a))
    assert cycles == []


def test_only_the_command_line_imports_click() -> None:
    users = {room for room, targets in _imports().items() if "click" in targets}
    assert users <= {"cli"}, users
