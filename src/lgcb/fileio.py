"""Files in and out, the one way every command uses: bounded reads of regular files, atomic writes.

Reading: whatever lgcb reads (plan files, templates, Office files) may come from a pull request,
so it must be a regular file, and at most ``limit`` bytes are read, whatever ``stat`` claims — a
link to ``/dev/zero`` or a FIFO is refused, never read.

Writing: a file is written to a temporary file beside it and renamed over the target, so a reader
(or a failed command) never sees half a file; several files are written all or none.  Nothing is
ever written inside the installed package: its shipped plan and templates are read-only data.
"""

from __future__ import annotations

import functools
import os
import stat
from collections.abc import Mapping
from pathlib import Path


class FileError(Exception):
    """A file that cannot be read or written; the text is the whole message, naming the file.

    ``reason`` is the message without the file's name (for a problem placed at the file), ``kind``
    one of "unreadable", "not-regular", "too-large" (reading), "unwritable", "inside-package" (writing).
    """

    def __init__(self, path: Path, reason: str, kind: str = "unreadable") -> None:
        writing = kind in ("unwritable", "inside-package")
        super().__init__(f"cannot write {path}: {reason}" if writing else f"{display_path(path)}: {reason}")
        self.path = path
        self.reason = reason
        self.kind = kind


def display_path(path: Path) -> str:
    """The path as the user will recognise it: relative to the working directory where possible."""
    try:
        cwd = _resolved(Path.cwd())
    except OSError:  # the working directory was removed
        return str(path)
    for where in (path.absolute, path.resolve):
        try:
            return str(where().relative_to(cwd))
        except (ValueError, OSError, RuntimeError):  # RuntimeError: a loop of links
            continue
    return str(path)


@functools.lru_cache(maxsize=8)
def _resolved(directory: Path) -> Path:
    """The working directory with its links resolved, once per directory: every file of a large plan
    is named relative to it."""
    return directory.resolve()


def package_dir() -> Path:
    """The installed ``lgcb`` package, whose data (shipped plan, templates) no command may change."""
    return Path(__file__).resolve().parent


def _inside(path: Path, directory: Path) -> bool:
    try:
        path.resolve().relative_to(directory.resolve())
    except (ValueError, OSError, RuntimeError):
        return False
    return True


def read_regular(path: Path, limit: int, *, what: str = "file") -> bytes:
    """The bytes of ``path``, which must be a regular file (after links) of at most ``limit`` bytes.

    The size is enforced by what is read, not by ``stat``: special files report any size.  The file
    is opened without blocking, so a FIFO is refused rather than waited on.
    """
    try:
        info = path.stat()
    except OSError as e:
        if path.is_symlink():
            raise FileError(path, f"the {what} is a link that leads nowhere (a loop, or a missing target)") from None
        raise FileError(path, f"cannot read the {what}: {e.strerror or e}") from None
    if not stat.S_ISREG(info.st_mode):
        kind = "a directory" if stat.S_ISDIR(info.st_mode) else "not a regular file (a device, pipe or socket)"
        raise FileError(path, f"the {what} is {kind}; lgcb reads only regular files", "not-regular")
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as e:
        raise FileError(path, f"cannot read the {what}: {e.strerror or e}") from None
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):  # replaced between stat and open
            raise FileError(path, f"the {what} is not a regular file; lgcb reads only regular files", "not-regular")
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise FileError(path, f"the {what} is larger than {_size(limit)}, the most lgcb reads", "too-large")
    return data


def _size(n: int) -> str:
    return f"{n // 1048576} MiB" if n >= 1048576 else f"{n // 1024} KiB"


def _mode_for(path: Path) -> int:
    """The permissions a plain write would give: the replaced file's, else 0666 less the umask."""
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def check_writable(path: Path) -> None:
    """Refuse a target inside the installed package (``lgcb fmt`` on the shipped plan, say)."""
    if _inside(path, package_dir()):
        raise FileError(
            path,
            "this is the plan or template shipped inside lgcb, which lgcb never changes; copy it first "
            "(e.g. into ./plan) and work on the copy",
            "inside-package",
        )


def _temporary(path: Path, data: bytes) -> Path:
    import tempfile  # only commands that write need it

    directory = path.parent if str(path.parent) else Path()
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        if os.name != "nt":
            Path(temp).chmod(_mode_for(path))
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return Path(temp)


def write_atomic(path: Path, data: bytes) -> None:
    """Write via a temporary file in the same directory, then rename: never a half-written file.

    The temporary file is private (0600) while written; it gets the mode a plain write would give
    before it replaces ``path``, since reports are meant to be shared.
    """
    check_writable(path)
    temp = _temporary(path, data)
    try:
        temp.replace(path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def write_all(files: Mapping[Path, bytes | None]) -> None:
    """Write (bytes) or remove (``None``) several files, all or none.

    Every new content is first written beside its target; only when all are written are they
    renamed into place, and a failure while renaming puts back the files already replaced.
    """
    for path in files:
        check_writable(path)
    temps: dict[Path, Path] = {}
    backups: dict[Path, bytes | None] = {}
    try:
        for path, data in files.items():
            if data is not None:
                path.parent.mkdir(parents=True, exist_ok=True)
                temps[path] = _temporary(path, data)
        for path, data in files.items():
            backups[path] = path.read_bytes() if path.is_file() else None
            if data is None:
                path.unlink(missing_ok=True)
            else:
                temps.pop(path).replace(path)
    except BaseException:
        for path, old in backups.items():
            if old is None:
                if files[path] is not None:
                    path.unlink(missing_ok=True)
            else:
                path.write_bytes(old)
        raise
    finally:
        for temp in temps.values():
            temp.unlink(missing_ok=True)
