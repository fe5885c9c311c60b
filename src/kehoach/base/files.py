"""A user's files, read and written safely: the one module that touches them.

Reading: a regular file only, and at most a stated size.

Plans, catalogues, returned forms and Word files may come from outside the
office. A path that names a FIFO would block a command forever, `/dev/zero`
would fill the memory, a folder cannot be read: each is refused at once, before
a byte is read, with an error that says why. The size limit is
`KEHOACH_MAX_BYTES` (bytes), `DEFAULT_MAX_BYTES` when unset (docs/security.md).

Writing: validated first by the caller, then atomic (a temporary file beside the
target, fsync, rename), under the folder's lock where several writers may meet,
and never over a file someone changed meanwhile (`replace_unchanged`).
"""

from __future__ import annotations

import errno
import os
import re
import stat
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from kehoach.base.diagnostics import Diagnostic
from kehoach.base.errors import EXIT_USAGE, LogError, NotRegularFile, WriteError
from kehoach.base.messages import Msg

if TYPE_CHECKING:
    import zipfile

PACKAGE = Path(__file__).resolve().parent.parent  # the kehoach package folder


def shipped(packaged: str, checkout: str) -> Path:
    """A file or folder kehoach ships: inside the installed package (`packaged`, relative to it),
    else the repository's own in a checkout (`checkout`, relative to the repository's root)."""
    inside = PACKAGE / packaged
    return inside if inside.exists() else PACKAGE.parent.parent / checkout




class FileTooLarge(OSError):
    """The file is larger than the limit; `limit` and `size` say by how much."""

    def __init__(self, path: str, size: int, limit: int):
        super().__init__(errno.EFBIG, "file too large", path)
        self.size, self.limit = size, limit


def max_bytes() -> int:
    """The size limit: KEHOACH_MAX_BYTES (the settings), else the default."""
    from kehoach.base.settings import current

    return current().max_bytes


def _open_regular(path: str | os.PathLike[str]) -> tuple[int, os.stat_result]:
    """An open descriptor of a regular file, and its stat; a FIFO is opened without blocking."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags)
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise IsADirectoryError(errno.EISDIR, "is a directory", str(path))
        if not stat.S_ISREG(st.st_mode):
            raise NotRegularFile(errno.EINVAL, "not a regular file", str(path))
    except BaseException:
        os.close(fd)
        raise
    return fd, st


def read_file(path: str | os.PathLike[str], limit: int | None = None) -> bytes:
    """The bytes of a regular file of at most `limit` bytes (default: `max_bytes()`).

    Raises FileNotFoundError, IsADirectoryError, NotRegularFile (a FIFO, a device,
    a socket), FileTooLarge, or another OSError. Refusing a FIFO never waits for a writer.
    """
    limit = max_bytes() if limit is None else limit
    fd, st = _open_regular(path)
    try:
        if st.st_size > limit:
            raise FileTooLarge(str(path), st.st_size, limit)
        chunks: list[bytes] = []
        total = 0
        while True:  # the file may grow while it is read: never more than the limit
            chunk = os.read(fd, min(max(st.st_size - total, 0) + 65536, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:
                raise FileTooLarge(str(path), total, limit)
        return b"".join(chunks)
    finally:
        os.close(fd)


def read_head(path: str | os.PathLike[str], size: int) -> bytes:
    """The first `size` bytes of a regular file (to tell what kind of file it is)."""
    fd, _ = _open_regular(path)
    try:
        return os.read(fd, size)
    finally:
        os.close(fd)


def zip_bomb(zf: zipfile.ZipFile, max_unzipped: int, max_ratio: int, max_members: int) -> bool:
    """Whether a zip (a .xlsx, a .docx) would unpack to more than it should: too many members,
    more than `max_unzipped` bytes in all, or a member over 1 MB packed more than `max_ratio` times."""
    members = zf.infolist()
    if len(members) > max_members:
        return True
    total = 0
    for m in members:
        total += m.file_size
        if total > max_unzipped or (m.compress_size and m.file_size / m.compress_size > max_ratio
                                    and m.file_size > 1024 * 1024):
            return True
    return False


# ---------------------------------------------------------------- a user's file, as diagnostics


def read_bytes(path: str | os.PathLike[str]) -> tuple[bytes | None, list[Diagnostic]]:
    """The file's bytes, or a diagnostic saying why they cannot be read: missing, a folder,
    not a regular file (a FIFO, a device), larger than the limit (`read_file`)."""
    name = str(path)
    try:
        return read_file(path), []
    except FileNotFoundError:
        return None, [Diagnostic("file-not-found", "error", params={"path": name}, file=name)]
    except IsADirectoryError:
        return None, [Diagnostic("file-unreadable", "error", file=name,
                                 params={"detail": Msg("detail.directory")})]
    except NotRegularFile:
        return None, [Diagnostic("file-unreadable", "error", file=name,
                                 params={"detail": Msg("detail.not-regular")})]
    except FileTooLarge as exc:
        return None, [Diagnostic("file-too-large", "error", file=name,
                                 params={"size": exc.size, "limit": exc.limit})]
    except OSError as exc:
        return None, [Diagnostic("file-unreadable", "error", file=name, params={"detail": exc.strerror or str(exc)})]


def read_text(path: str | os.PathLike[str]) -> tuple[str | None, list[Diagnostic]]:
    """The file's text (UTF-8, BOM allowed, line endings kept), or a diagnostic."""
    raw, problems = read_bytes(path)
    if raw is None:
        return None, problems
    return decode(raw, str(path))


def decode(raw: bytes, name: str) -> tuple[str | None, list[Diagnostic]]:
    """UTF-8 text of a plan file, or a `not-utf8` diagnostic at the first bad byte."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        return None, [Diagnostic("not-utf8", "error", line, col, {"offset": exc.start}, file=name)]
    return text, []


# ---------------------------------------------------------------- writing a user's file

STALE_AFTER = 600.0  # seconds: a temporary file this old is a killed write's, whoever wrote it


def _temporary_name(name: str) -> re.Pattern[str]:
    """The names `atomic_write_bytes` gives its temporary files beside `name` (tempfile's 8 characters)."""
    return re.compile(rf"\.{re.escape(name)}\.[a-z0-9_]{{8}}\.tmp")


def remove_stale_temporaries(path: Path, locked: bool = False) -> list[Path]:
    """Remove the temporary files a killed write left beside `path`; return them.

    Under the plan's lock (`locked`) no other kehoach is writing, so every one is
    stale; otherwise only those untouched for STALE_AFTER seconds. Only regular
    files of exactly our naming are touched.
    """
    import stat
    import time

    pattern = _temporary_name(path.name)
    removed: list[Path] = []
    try:
        entries = list(os.scandir(path.parent))
    except OSError:
        return removed
    now = time.time()
    for entry in entries:
        if not pattern.fullmatch(entry.name):
            continue
        try:
            st = entry.stat(follow_symlinks=False)
            if stat.S_ISREG(st.st_mode) and (locked or now - st.st_mtime > STALE_AFTER):
                os.unlink(entry.path)
                removed.append(Path(entry.path))
        except OSError:
            continue
    return removed


def atomic_write_bytes(path: Path, data: bytes, locked: bool = False,
                       rename: Callable[[str, Path], None] | None = None, follow: bool = True) -> None:
    """Write via a temporary file in the same folder, fsync, then rename over `path`.

    A symbolic link is followed (the file it points to is replaced, the link
    stays), unless told not to `follow` (a document written): then a link at the
    name is refused like a device, and what it points to is never touched; the
    file keeps its permissions and, where the system allows, its
    owner; readers see the old or the new content, never a mix. The temporary
    files of earlier killed writes are removed first (`remove_stale_temporaries`).
    `rename(tmp, path)` puts the new file in place (os.replace by default); it may
    raise to leave the file as it is. OSError is raised as is, for the caller to report.
    """
    import stat
    import tempfile

    from kehoach.base.errors import NotRegularFile

    path = Path(os.path.realpath(path)) if follow else Path(os.path.abspath(path))
    folder = path.parent
    try:
        st = path.stat() if follow else os.lstat(path)
    except FileNotFoundError:
        st = None
    if st is not None and not stat.S_ISREG(st.st_mode):  # /dev/sda, a FIFO, a socket, a folder, a link
        raise NotRegularFile(errno.EEXIST, "not a regular file", str(path))
    remove_stale_temporaries(path, locked)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if st is not None:
            os.chmod(tmp, st.st_mode & 0o7777)
            if hasattr(os, "chown") and (st.st_uid, st.st_gid) != (os.getuid(), os.getgid()):
                try:
                    os.chown(tmp, st.st_uid, st.st_gid)
                except PermissionError:
                    pass  # only root may give a file away; the content is still the user's
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)
        (rename or os.replace)(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    try:
        dir_fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dir_fd)
    except OSError:
        pass
    finally:
        os.close(dir_fd)


def lock_timeout(path: Path) -> float:
    """How long a writer waits for the plan's lock: KEHOACH_LOCK_TIMEOUT (seconds) when set,
    else 30 s plus 10 s per MB of plan (a `log` on a large plan holds the lock for seconds)."""
    from kehoach.base.settings import current

    chosen = current().lock_timeout
    if chosen is not None:
        return chosen
    try:
        size = path.stat().st_size
    except OSError:
        size = 0
    return 30.0 + 10.0 * size / 1_000_000


@contextmanager
def plan_lock(path: Path, timeout: float | None = None) -> Iterator[None]:
    """An exclusive lock on the plan's folder, so concurrent writers take turns.

    The lock is on the folder, not on the file, because each write replaces the
    file (rename) and a lock on the old file would not stop the next writer.
    A folder that cannot be opened is a LogError (exit 2), as is a lock held
    longer than `timeout` (default: `lock_timeout`).
    """
    import time

    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX: rely on the changed-on-disk check
        yield
        return
    timeout = lock_timeout(path) if timeout is None else timeout
    folder = path.parent if str(path.parent) else Path(".")
    try:
        fd = os.open(folder, os.O_RDONLY)
    except FileNotFoundError:
        raise LogError("file-not-found", {"path": str(path)}, exit_code=EXIT_USAGE) from None
    except OSError as exc:
        raise WriteError(path, exc) from None
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise LogError("log-locked", {"path": str(path), "seconds": round(timeout, 1)},
                                   exit_code=EXIT_USAGE) from None
                time.sleep(0.02)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def exchange(a: str | Path, b: str | Path) -> bool:
    """Swap two paths in one step (Linux renameat2 RENAME_EXCHANGE); False where the system or
    the file system cannot (then nothing was done)."""
    import ctypes
    import sys

    if not sys.platform.startswith("linux"):
        return False
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):  # a C library without it (glibc before 2.28, musl before 1.2.5?)
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False
    raise OSError(err, os.strerror(err), str(b))


def replace_unchanged(path: Path, raw: bytes, data: bytes) -> None:
    """Write `data` over the plan read as `raw`, unless someone changed it meanwhile.

    Another program does not take kehoach's lock. Its change is never lost, and the entry
    is refused (`log-changed`) so that the user runs the command again:
    - the new file and the plan swap places in one step (Linux's RENAME_EXCHANGE), and what
      was swapped out must be the very file read, with the bytes read; if another program
      had saved its own file there (an editor's atomic save), the two are swapped back;
      where the system cannot swap, the same check runs just before a plain rename;
    - if it wrote into the old file while it was being replaced, that content is put back.
    """
    from kehoach.base.files import max_bytes

    def changed() -> LogError:
        return LogError("log-changed", {"path": str(path)})

    def content(fd: int) -> bytes:
        chunks, offset, limit = [], 0, max_bytes() + 1
        while offset < limit:
            chunk = os.pread(fd, 1 << 20, offset)
            if not chunk:
                break
            chunks.append(chunk)
            offset += len(chunk)
        return b"".join(chunks)

    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        raise changed() from None
    try:
        if content(fd) != raw:
            raise changed()

        def same(place: str | Path) -> bool:  # `place` holds the file read, unchanged
            here, kept = os.stat(place), os.fstat(fd)
            return (here.st_dev, here.st_ino) == (kept.st_dev, kept.st_ino) and content(fd) == raw

        def swap_if_unchanged(tmp: str, target: Path) -> None:
            if not exchange(tmp, target):  # the system cannot swap: check, then rename
                if not same(target):
                    raise changed()
                os.replace(tmp, target)
                return
            if not same(tmp):  # what was in place was not the file read: put it back
                exchange(tmp, target)
                raise changed()
            os.unlink(tmp)  # the plan as it was read

        try:
            atomic_write_bytes(path, data, locked=True, rename=swap_if_unchanged)
        except OSError as exc:
            raise WriteError(path, exc) from None
        late = content(fd)
        if late != raw:  # written into the old file while it was being replaced: theirs wins
            try:
                atomic_write_bytes(path, late, locked=True)
            except OSError as exc:
                raise WriteError(path, exc) from None
            raise changed()
    finally:
        os.close(fd)
