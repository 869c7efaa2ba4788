"""The one place that writes user files: atomic replace, kept permissions, backups, diffs.

Every write goes to a temporary file in the target's folder, is fsync'ed, gets the original's
mode (or the given mode for new files) and is renamed over the target, so a reader sees either
the old or the new file, never a half-written one.
"""

from __future__ import annotations

import contextlib
import math
import os
import stat
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from jettycfg.errors import FileWriteError, JettycfgError, UsageError


@dataclass(frozen=True)
class FileChange:
    """New content for one file; ``old`` is None when the file does not exist yet."""

    path: Path
    old: bytes | None
    new: bytes
    new_mode: int = 0o644  # for a file that does not exist yet (stores: 0600)
    private: bool = False  # a client's key or bundle: a replaced file loses group/other bits

    @property
    def changed(self) -> bool:
        return self.old != self.new


STALE_AFTER = 60.0  # seconds: an atomic write never keeps its temporary file that long


def temp_prefix(name: str) -> str:
    """``.NAME.`` - the start of a temporary file's name beside ``name``, cut so that the whole
    name (plus mkstemp's 8 characters and ``.tmp``) stays within 255 bytes."""
    cut = name.encode("utf-8", "surrogateescape")[:200].decode("utf-8", "ignore")
    return f".{cut}."


def _remove_stale_temps(folder: Path, name: str) -> None:
    """Temporary files a killed writer left beside ``name`` (they may hold passwords): gone on
    the next write of the same file."""
    now = time.time()
    here = folder.resolve()  # under our edit lock no other jettycfg writes in there
    locked = any(here == held or held in here.parents for held in _HELD)
    for stale in folder.glob(f"{glob_escape(temp_prefix(name))}*.tmp"):
        with contextlib.suppress(OSError):
            if stale.is_file() and (locked or now - stale.stat().st_mtime > STALE_AFTER):
                stale.unlink()


def glob_escape(text: str) -> str:
    import glob

    return glob.escape(text)


def _keep_owner(tmp: Path, old: os.stat_result) -> None:
    """The rewritten file keeps its owner and group (root editing a keystore the Jetty user
    owns must not leave it owned by root); without the right to do so, it is left as is."""
    if os.name != "posix" or (old.st_uid, old.st_gid) == (os.geteuid(), os.getegid()):
        return
    try:
        os.chown(tmp, old.st_uid, old.st_gid)
    except PermissionError:
        with contextlib.suppress(PermissionError):  # a group member may keep at least that
            os.chown(tmp, -1, old.st_gid)


_HELD: set[Path] = set()  # folders this process holds the edit lock of


def lock_timeout() -> float:
    """$JETTYCFG_LOCK_TIMEOUT in seconds (default 30); UsageError for anything else than a
    number >= 0 (read when a lock is waited for, not at import)."""
    text = os.environ.get("JETTYCFG_LOCK_TIMEOUT") or "30"  # set but empty: the default
    value = float(text) if text.strip().lstrip("+-").replace(".", "", 1).isdigit() else math.nan
    if not math.isfinite(value) or value < 0:
        raise UsageError("JETTYCFG_LOCK_TIMEOUT: give the seconds to wait, e.g. 30")
    return value


@contextlib.contextmanager
def edit_lock(folder: Path, timeout: float | None = None) -> Iterator[None]:
    """Hold an advisory lock on ``folder`` (flock on the folder itself: no lock files beside
    the user's) for a whole read-modify-write, so two edits at once never lose one update. A
    held lock is waited for up to ``timeout`` seconds ($JETTYCFG_LOCK_TIMEOUT, 30), then a
    clear error. No-op where flock does not exist (Windows) or the folder does not exist yet."""
    try:
        import fcntl
    except ImportError:
        yield
        return
    if folder.resolve() in _HELD:  # re-entrant: a second flock of ours would wait for itself
        yield
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        yield
        return
    try:
        deadline = time.monotonic() + (lock_timeout() if timeout is None else timeout)
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise FileWriteError(
                        f"another jettycfg is editing files in {folder}; try again"
                    ) from None
                time.sleep(0.02)
        _HELD.add(folder.resolve())
        try:
            yield
        finally:
            _HELD.discard(folder.resolve())
    finally:
        os.close(fd)


def creation_mode(mode: int) -> int:
    """``mode`` for a new file, made stricter by the process umask (never looser)."""
    if os.name != "posix":
        return mode
    umask = os.umask(0o077)
    os.umask(umask)
    return mode & ~umask


def backup_path(path: Path) -> Path:
    """First free ``NAME.bak``, ``NAME.bak.2``, ... beside ``path``: never overwrites."""
    candidate = path.with_name(path.name + ".bak")
    n = 2
    while candidate.exists():
        candidate = path.with_name(f"{path.name}.bak.{n}")
        n += 1
    return candidate


def _fsync_dir(folder: Path) -> None:
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def make_folder(folder: Path) -> None:
    """``mkdir -p``; a folder that cannot be made (read-only file system, no permission, a
    file in the way) is a one-line error, not a crash."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise FileWriteError(f"cannot create the folder {folder}: {exc.strerror or exc}") from None


def link_target(path: Path) -> Path:
    """The file a symbolic link finally names (the path itself when it is no link); a link
    loop is the user's problem to fix, told in one line."""
    if not path.is_symlink():
        return path
    try:
        return path.resolve(strict=False)
    except (RuntimeError, OSError) as exc:  # Python < 3.13 raises RuntimeError on a loop
        raise FileWriteError(f"cannot write {path}: symbolic link loop ({exc})") from None


def write_atomic(
    path: Path, data: bytes, *, backup: bool = False, new_mode: int = 0o644, private: bool = False
) -> Path | None:
    """Replace ``path`` with ``data`` atomically; return the backup's path when one was made.

    An existing file keeps its permission bits (``private``: less group/other); a new one gets
    ``new_mode``. A symbolic link
    (Debian links /usr/share/jetty9/start.ini to /etc) stays a link: its target is replaced.
    Anything but a regular file (a device, a FIFO, a folder) is refused.
    """
    path = link_target(path)
    try:
        tmp, made_backup = stage(path, data, new_mode=new_mode, backup=backup, private=private)
        try:
            rename(tmp, path)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        _fsync_dir(path.parent if str(path.parent) else Path("."))
    except OSError as exc:
        raise FileWriteError(f"cannot write {path}: {exc.strerror or exc}") from exc
    return made_backup


_RENAMES = 0


def rename(tmp: Path, target: Path) -> None:
    """``os.replace``, counted: JETTYCFG_TEST_KILL_AT_RENAME=N kills the process (SIGKILL)
    just before its N-th rename - the tests' deterministic fault injection."""
    global _RENAMES
    _RENAMES += 1
    kill_at = os.environ.get("JETTYCFG_TEST_KILL_AT_RENAME")
    if kill_at and int(kill_at) == _RENAMES:
        import signal

        os.kill(os.getpid(), signal.SIGKILL)
    os.replace(tmp, target)


def stage(
    path: Path, data: bytes, *, new_mode: int = 0o644, backup: bool = False, private: bool = False
) -> tuple[Path, Path | None]:
    """Everything of an atomic write but the rename: the backup (if asked), and a temporary
    file beside ``path`` holding ``data``, fsync'ed, with the original's mode and owner."""
    if path.exists() and not path.is_file():
        raise FileWriteError(f"cannot write {path}: not a regular file")
    folder = path.parent if str(path.parent) else Path(".")
    old_stat = path.stat() if path.exists() else None
    old_mode = stat.S_IMODE(old_stat.st_mode) if old_stat is not None else None
    made_backup = None
    if backup and old_mode is not None:
        made_backup = backup_path(path)
        _copy_atomic(path, made_backup, old_mode)
    _remove_stale_temps(folder, path.name)
    mode = old_mode if old_mode is not None else creation_mode(new_mode)
    if private:
        mode &= ~0o077
    return _durable_temp(folder, path.name, data, mode, old_stat), made_backup


def _copy_atomic(source: Path, target: Path, mode: int) -> None:
    tmp = _durable_temp(target.parent, target.name, source.read_bytes(), mode)
    try:
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _durable_temp(
    folder: Path, name: str, data: bytes, mode: int, owner: os.stat_result | None = None
) -> Path:
    """A temporary file beside ``name`` in ``folder`` holding ``data``, fsync'ed, with ``mode``
    (and ``owner``'s owner and group); removed again if any step fails."""
    import tempfile

    fd, tmp_name = tempfile.mkstemp(prefix=temp_prefix(name), suffix=".tmp", dir=folder)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        if owner is not None:
            _keep_owner(tmp, owner)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return tmp


def unified_diff(change: FileChange) -> str:
    """A unified diff of one change (text files); a binary file is named, not dumped."""
    import difflib

    try:
        (change.old or b"").decode("utf-8")
        change.new.decode("utf-8")
    except UnicodeDecodeError:
        verb = "create" if change.old is None else "replace"
        return f"binary file {change.path}: would {verb} ({len(change.new)} bytes)\n"

    old = (change.old or b"").decode("utf-8", "replace").splitlines(keepends=True)
    new = change.new.decode("utf-8", "replace").splitlines(keepends=True)
    fromfile = str(change.path) if change.old is not None else "/dev/null"
    lines = difflib.unified_diff(old, new, fromfile=fromfile, tofile=str(change.path))
    out = []
    for line in lines:
        if not line.endswith(("\n", "\r")):
            line += "\n\\ No newline at end of file\n"
        out.append(line)
    return "".join(out)


# -- reading user files: bounded, special files refused ------------------------------------------


class InputFileError(JettycfgError):
    """A user file that is not read at all (a folder, special file, or too large)."""


MAX_INI_BYTES = 4 * 1024 * 1024  # Jetty's own start.d files are < 10 KB, a full start.ini ~100 KB
MAX_SECRET_BYTES = 64 * 1024  # a password file: its first line is the secret
MAX_LIST_BYTES = 16 * 1024 * 1024  # accounts lists
MAX_CERT_BYTES = 64 * 1024 * 1024  # stores, PEM/DER certificates and keys (as stores/files.py)


def read_limited(path: Path, limit: int) -> bytes:
    """A user file's bytes, read at most ``limit`` bytes: a folder, FIFO, device or socket is
    refused before reading (opened non-blocking, so a FIFO never blocks), and so is a file
    larger than ``limit``. Raises ``OSError`` (a missing file, no permission) or
    :class:`InputFileError` (one line, for the user)."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise InputFileError(f"{path} is a folder, not a file")
        if not stat.S_ISREG(info.st_mode):
            raise InputFileError(f"{path}: not a regular file (a FIFO, device or socket): refused")
        if info.st_size > limit:
            raise InputFileError(_too_large(path, info.st_size, limit))
        data = _read_fd(fd, min(info.st_size, limit) + 1, limit + 1)
    finally:
        os.close(fd)
    if len(data) > limit:
        raise InputFileError(_too_large(path, len(data), limit))
    return data


def _read_fd(fd: int, first: int, most: int) -> bytes:
    """Up to ``most`` bytes of ``fd``: one read of the expected size (the file's size + 1, so
    EOF shows at once), more only if the file grew (a buffered read of ``most`` bytes would
    allocate the whole limit for every small certificate)."""
    parts = [os.read(fd, first)]
    got = len(parts[0])
    if got == first - 1 and first < most:
        return parts[0]  # all fstat's bytes, and the one byte more asked for was not there: EOF
    while parts[-1] and got < most:
        parts.append(os.read(fd, min(most - got, 1 << 20)))
        got += len(parts[-1])
    return parts[0] if len(parts) == 1 else b"".join(parts)


def check_readable(path: Path, limit: int) -> None:
    """Refuse what :func:`read_limited` refuses, without reading (for a path handed to a
    library that opens it itself, such as ``ssl.SSLContext.load_cert_chain``)."""
    read_limited(path, limit)


def _too_large(path: Path, size: int, limit: int) -> str:
    return f"{path}: too large ({size:,} bytes; the limit is {limit // (1024 * 1024)} MB): refused"


def is_folder(path: Path) -> bool:
    """Path.is_dir(), but a name the OS cannot look up (too long, NUL) is no folder either."""
    with contextlib.suppress(OSError, ValueError):
        return path.is_dir()
    return False
