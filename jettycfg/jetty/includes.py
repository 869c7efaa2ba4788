"""``--include-jetty-dir=`` as start.jar follows it (its ConfigSources), checked against real
start.jar 9.4 and 12.1 (``tests/jetty/test_startjar_oracle.py``):

* an included folder's own ``--include-jetty-dir`` lines are followed too: sources rank base,
  then each include depth first in the order declared (a later one is read earlier, so the
  earlier wins);
* a folder named twice - the base itself, the same folder spelled another way (``s/./``), or
  the same line in two files - makes start.jar refuse to start ("Duplicate Configuration
  Source Reference"; the same line twice in one file counts once; folders compare as
  absolute, normalised paths, symbolic links not followed);
* a path that is a file: refused ("Not a directory"); an empty value: refused; a folder that
  does not exist: skipped. A relative path is taken from the working folder, as start.jar
  takes it.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from jettycfg.fsio import is_folder
from jettycfg.ini.model import IniDocument, LineKind

INCLUDE = "--include-jetty-dir="
Reader = Callable[[Path], list[IniDocument]]


def normal(path: Path) -> Path:
    """Absolute and normalised, no link followed (Path.toAbsolutePath().normalize())."""
    return Path(os.path.normpath(os.path.abspath(path)))


def _named(docs: list[IniDocument]) -> list[str]:
    """The include values of ``docs`` in declaration order, a line repeated in one file once."""
    found = []
    for doc in docs:
        seen: set[str] = set()
        for line in doc.lines:
            text = line.trimmed
            if line.kind is LineKind.OPTION and text.startswith(INCLUDE) and text not in seen:
                seen.add(text)
                found.append(text[len(INCLUDE) :])
    return found


def walk(
    base: Path, own: list[IniDocument], read: Reader
) -> tuple[list[tuple[Path, list[IniDocument]]], list[str]]:
    """(the included folders with their files, in start.jar's rank: first wins; the reasons
    start.jar refuses to start)."""
    seen = {normal(base)}
    found: list[tuple[Path, list[IniDocument]]] = []
    errors: list[str] = []

    def visit(docs: list[IniDocument]) -> None:
        for raw in _named(docs):
            refused = "start.jar refuses to start"
            if not raw:
                why = "Argument is missing a required value"
                errors.append(f"{INCLUDE} without a folder: {refused} ({why})")
                continue
            folder = Path(raw.replace("${jetty.base}", str(base)))
            if normal(folder) in seen:
                why = "Duplicate Configuration Source Reference"
                errors.append(f"{INCLUDE}{raw} names {normal(folder)} again: {refused} ({why})")
                continue
            if not is_folder(folder):
                if os.path.lexists(folder):
                    errors.append(f"{INCLUDE}{raw}: Not a directory: {refused}")
                continue  # a folder that does not exist is skipped
            seen.add(normal(folder))
            docs_there = read(folder)
            found.append((folder, docs_there))
            visit(docs_there)

    visit(own)
    return found, errors


def source_of(doc: IniDocument, base: Path) -> Path:
    """The folder (configuration source) an ini file belongs to: start.ini's folder, or the
    folder above start.d."""
    if doc.path is None:
        return normal(base)
    parent = doc.path.parent
    return normal(parent.parent if parent.name == "start.d" else parent)


def include_errors(docs: list[IniDocument], base: Path) -> list[str]:
    """Why start.jar refuses the includes of ``docs`` (load order, as load_documents gives)."""
    if not any(INCLUDE in line.trimmed for doc in docs for line in doc.lines):
        return []
    groups: dict[Path, list[IniDocument]] = {}
    for doc in docs:
        groups.setdefault(source_of(doc, base), []).append(doc)
    own = groups.get(normal(base), [])
    return walk(base, own, lambda folder: groups.get(normal(folder), []))[1]
