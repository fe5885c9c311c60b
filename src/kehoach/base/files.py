"""Reading a user's file safely: a regular file only, and at most a stated size.

Plans, catalogues, returned forms and Word files may come from outside the
office. A path that names a FIFO would block a command forever, `/dev/zero`
would fill the memory, a folder cannot be read: each is refused at once, before
a byte is read, with an error that says why. The size limit is
`KEHOACH_MAX_BYTES` (bytes), `DEFAULT_MAX_BYTES` when unset (docs/security.md).
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import TYPE_CHECKING

from kehoach.base.errors import NotRegularFile

if TYPE_CHECKING:
    import zipfile

PACKAGE = Path(__file__).resolve().parent.parent  # the kehoach package folder


def shipped(packaged: str, checkout: str) -> Path:
    """A file or folder kehoach ships: inside the installed package (`packaged`, relative to it),
    else the repository's own in a checkout (`checkout`, relative to the repository's root)."""
    inside = PACKAGE / packaged
    return inside if inside.exists() else PACKAGE.parent.parent / checkout


DEFAULT_MAX_BYTES = 16 * 1024 * 1024  # a plan of 10,000 tasks is about 4 MB


class FileTooLarge(OSError):
    """The file is larger than the limit; `limit` and `size` say by how much."""

    def __init__(self, path: str, size: int, limit: int):
        super().__init__(errno.EFBIG, "file too large", path)
        self.size, self.limit = size, limit


def max_bytes() -> int:
    """The size limit: KEHOACH_MAX_BYTES when it is a positive whole number, else the default."""
    value = os.environ.get("KEHOACH_MAX_BYTES", "").strip()
    return int(value) if value.isdigit() and int(value) > 0 else DEFAULT_MAX_BYTES


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
