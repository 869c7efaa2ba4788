"""Many new files at once (``client issue`` for 1,000 accounts): one durability barrier for
all of them instead of an fsync each, and the leftovers of a killed run cleared in one scan."""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from jettycfg.errors import FileWriteError
from jettycfg.fsio import (
    _HELD,
    STALE_AFTER,
    FileChange,
    _fsync_dir,
    creation_mode,
    temp_prefix,
    write_atomic,
)


def write_new_files(
    changes: list[FileChange], before_rename: Callable[[], object] | None = None
) -> None:
    """Create many new files at once (``client issue`` for 1,000 accounts): every file is
    written to a temporary name, made durable with one barrier (``os.sync`` where it exists,
    else one fsync per file), then ``before_rename`` runs (another write that must not happen
    when these cannot be written), then the renames; each folder is fsync'ed once. A file
    that exists already goes through :func:`write_atomic` (its mode kept). Temporary files a
    killed run left beside these names go first (one scan per folder)."""
    import tempfile

    _remove_stale_batch_temps(changes)
    fresh = [c for c in changes if not c.path.exists() and not c.path.is_symlink()]
    new_ids = {id(c) for c in fresh}
    staged: list[tuple[Path, Path]] = []
    try:
        for change in fresh:
            fd, tmp_name = tempfile.mkstemp(
                prefix=temp_prefix(change.path.name), suffix=".tmp", dir=change.path.parent
            )
            staged.append((Path(tmp_name), change.path))
            with os.fdopen(fd, "wb") as handle:
                handle.write(change.new)
                if not hasattr(os, "sync"):
                    handle.flush()
                    os.fsync(handle.fileno())
            os.chmod(tmp_name, creation_mode(change.new_mode))
        if hasattr(os, "sync"):
            os.sync()
        if before_rename is not None:
            before_rename()
        for change in changes:
            if id(change) not in new_ids:
                write_atomic(
                    change.path, change.new, new_mode=change.new_mode, private=change.private
                )
        with _signals_held():  # Ctrl-C or kill: after the last rename, not amid them
            for tmp, target in staged:
                os.replace(tmp, target)
        for folder in {target.parent for _, target in staged}:
            _fsync_dir(folder)
    except OSError as exc:
        raise FileWriteError(
            f"cannot write {exc.filename or 'the new files'}: {exc.strerror}"
        ) from exc
    finally:
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)


def _remove_stale_batch_temps(changes: list[FileChange]) -> None:
    """:func:`_remove_stale_temps` for many names at once: each folder listed once."""
    names: dict[Path, set[str]] = {}
    for change in changes:
        names.setdefault(change.path.parent, set()).add(temp_prefix(change.path.name))
    now = time.time()
    for folder, prefixes in names.items():
        here = folder.resolve()
        locked = any(here == held or held in here.parents for held in _HELD)
        with contextlib.suppress(OSError), os.scandir(folder) as entries:
            for entry in entries:
                # mkstemp: PREFIX + 8 characters + ".tmp"
                if entry.name.endswith(".tmp") and entry.name[:-12] in prefixes:
                    with contextlib.suppress(OSError):
                        if entry.is_file(follow_symlinks=False) and (
                            locked or now - entry.stat().st_mtime > STALE_AFTER
                        ):
                            os.unlink(entry.path)


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """SIGINT and SIGTERM wait until the block ends (POSIX, main thread): a batch's renames
    all happen or, killed before, none (the staged files then go with the next write)."""
    import signal
    import threading

    mask = getattr(signal, "pthread_sigmask", None)
    if mask is None or threading.current_thread() is not threading.main_thread():
        yield
        return
    held = {signal.SIGINT, signal.SIGTERM}
    old = mask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        mask(signal.SIG_SETMASK, old)
