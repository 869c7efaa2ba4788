"""Edits of several files as one transaction, recoverable after kill -9.

Every new file is staged first (temporary file beside its target, fsync'ed, mode and owner
kept); then a journal naming each (temporary file, target) pair is written and fsync'ed in the
targets' common folder; then the renames; then the journal goes. A run killed between the
journal and its removal leaves the journal: the next jettycfg run that reads that folder rolls
the transaction forward (the staged files are complete, so finishing is always safe), so a
configuration is never left half-switched (need in one file, want in the other).
"""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path

from jettycfg.errors import FileWriteError
from jettycfg.fsio import (
    FileChange,
    _fsync_dir,
    link_target,
    make_folder,
    rename,
    stage,
    write_atomic,
)

JOURNAL = ".jettycfg-journal"


def apply_changes(
    changes: list[FileChange], *, backup: bool = False, journal_dir: Path | None = None
) -> list[Path]:
    """Write every changed file atomically - several files as one transaction
    (:func:`commit_all`); return the backups made."""
    real = [c for c in changes if c.changed]
    for change in real:
        make_folder(change.path.parent)
    if len(real) > 1:
        return commit_all(real, backup=backup, journal_dir=journal_dir)
    backups: list[Path] = []
    for change in real:
        made = write_atomic(
            change.path, change.new, backup=backup, new_mode=change.new_mode, private=change.private
        )
        if made is not None:
            backups.append(made)
    return backups


def commit_all(
    changes: list[FileChange], *, backup: bool = False, journal_dir: Path | None = None
) -> list[Path]:
    """Write ``changes`` all-or-nothing (roll-forward on the next run); return backups. The
    journal goes in ``journal_dir`` (a base the next run recovers) or the common folder."""
    root = journal_dir or Path(os.path.commonpath([str(c.path.parent.resolve()) for c in changes]))
    staged: list[tuple[Path, Path]] = []
    backups: list[Path] = []
    try:
        for change in changes:
            target = link_target(change.path)
            tmp, made = stage(
                target, change.new, new_mode=change.new_mode, backup=backup, private=change.private
            )
            staged.append((tmp, target))
            if made is not None:
                backups.append(made)
        journal = root / JOURNAL
        entries = [{"tmp": str(t.resolve()), "target": str(p.resolve())} for t, p in staged]
        with open(journal, "w", encoding="utf-8") as handle:
            json.dump(entries, handle)
            handle.flush()
            os.fsync(handle.fileno())
        _fsync_dir(root)
    except OSError as exc:
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)
        raise FileWriteError(f"cannot write {exc.filename or root}: {exc.strerror}") from exc
    _finish(root, staged)
    return backups


def _finish(root: Path, staged: list[tuple[Path, Path]]) -> None:
    try:
        for tmp, target in staged:
            if tmp.exists():
                rename(tmp, target)
        for folder in {target.parent for _, target in staged}:
            _fsync_dir(folder)
        (root / JOURNAL).unlink(missing_ok=True)
        _fsync_dir(root)
    except OSError as exc:
        raise FileWriteError(f"cannot finish writing in {root}: {exc.strerror}") from exc


def recover(folder: Path) -> bool:
    """Finish a transaction a killed run left in ``folder``; True when there was one."""
    journal = folder / JOURNAL
    if not journal.is_file():
        return False
    try:
        entries = json.loads(journal.read_text(encoding="utf-8"))
        staged = [(Path(e["tmp"]), Path(e["target"])) for e in entries]
    except (OSError, ValueError, KeyError, TypeError):
        with contextlib.suppress(OSError):
            journal.unlink()  # torn journal: the renames never started
        return False
    with contextlib.suppress(FileWriteError):
        _finish(folder, staged)
    return True
