"""A cache of plans already read: the validated plan, kept by its file's content.

Reading a large plan is the slow part of every command (the YAML parser, then
the model); a plan read once need not be read again while its file is the same.
The cache keeps, for a plan that loaded **without errors**, the validated plan
and its warnings, under the user's cache folder (`$XDG_CACHE_HOME/kehoach`,
else `~/.cache/kehoach`; `%LOCALAPPDATA%\\kehoach` on Windows).

It never serves a stale or foreign plan:
- the key is the SHA-256 of the file's bytes, with the name it was read by (as
  written, from which folder, and its real path now: `bodies_from` is relative
  to it), kehoach's version and the size and modification time of each of its
  own modules and message catalogues (a changed kehoach reads afresh), Python's
  version, and whether warnings were asked for;
- an entry of a plan that names body catalogues (`bodies_from`) records each
  catalogue's path as it was reached, its real path and its SHA-256; on every
  use each is resolved again (a folder switched under a symlink, `ln -sfn
  bodies-v2 bodies`, is another catalogue) and hashed by its content, and the
  entry is used only while all are the same;
- an entry is written atomically, only for a valid plan, and read only from a
  folder that belongs to the user and that nobody else may write (pickle can
  run code, so a file someone else could have written is never loaded); an
  entry that is corrupt, unreadable or not of the shape kehoach writes is
  ignored and removed.

It never grows without bound: a plan file keeps one entry (with and without
the weekend warnings), a new version replacing the old one; past `MAX_BYTES`
in all, the entries used longest ago are removed first (a use counts as a
write). `--no-cache` or `KEHOACH_NO_CACHE=1` turns it off.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from kehoach.base.settings import current

FORMAT = 4
MAX_BYTES = 256 * 1024 * 1024  # the whole cache folder; the oldest entries go first past it
STALE_TMP = 600.0  # seconds: a temporary file this old is a killed write's


def enabled() -> bool:
    """Whether this run keeps plans: the command line's settings name a cache folder (none with
    `--no-cache`; a program calling the library has none unless it asks)."""
    return current().cache is not None


def folder() -> Path:
    cache = current().cache
    assert cache is not None  # only asked when `enabled`
    return cache


def _private(path: Path) -> bool:
    """A folder of the user's own that no one else may write (always true on Windows, where the
    profile folder is the user's)."""
    if sys.platform == "win32":
        return True
    try:
        st = path.stat()
    except OSError:
        return False
    return st.st_uid == os.getuid() and not st.st_mode & 0o022


_code_key: str | None = None


def _code() -> str:
    """kehoach's version and the size and time of each of its modules and message catalogues: a
    changed kehoach (an upgrade, or a developer's edit) never reads what an older one wrote."""
    global _code_key
    if _code_key is None:
        from kehoach.base.version import __version__

        here = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))
        parts = [__version__, sys.version, str(FORMAT)]
        for name, st in sorted(_sources(here, "")):
            parts.append(f"{name}:{st.st_size}:{st.st_mtime_ns}")
        _code_key = hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]
    return _code_key


def _sources(folder: str, prefix: str) -> Iterator[tuple[str, os.stat_result]]:
    """Each module and message catalogue under `folder`: its path from there, its size and time
    (one listing of each folder: `Path.rglob` twice took milliseconds of every start)."""
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.is_dir():
                yield from _sources(entry.path, f"{prefix}{entry.name}/")
            elif entry.name.endswith((".py", ".mo")):
                yield f"{prefix}{entry.name}", entry.stat()


def _where(name: str) -> str:
    """Where the plan was read from, as far as its reading depends on it: the name as written and
    the folder it was written from (diagnostics and `bodies_from` go by them), and its real path."""
    return "\0".join((os.getcwd(), name, os.path.realpath(name)))


def content(raw: bytes) -> str:
    """The key of a plan file's bytes in the cache (`get`, `put`): made once, so that the bytes
    need not be kept while the plan is read to be put (9 MB on the largest plans)."""
    return hashlib.sha256(raw).hexdigest()[:32]


def _entry(raw: bytes | str, name: str, workdays: bool, plain: bool = False) -> Path:
    """The entry of these bytes (or their `content` key) read from this file:
    `<file>-<workdays>-<content>-<code>.pickle`, so that a plan file's older entries are found
    (and removed) by their first two parts; the plan as plain objects (`plan.plain`) is an entry of
    its own, `<file>-p<workdays>-…`."""
    where = hashlib.sha256(_where(name).encode("utf-8", "surrogateescape")).hexdigest()[:32]
    key = raw if isinstance(raw, str) else content(raw)
    kind = f"p{int(workdays)}" if plain else str(int(workdays))
    return folder() / where[:2] / f"{where}-{kind}-{key}-{_code()}.pickle"


def _sha(path: str) -> str | None:
    try:
        from kehoach.base.files import read_file

        return hashlib.sha256(read_file(path)).hexdigest()
    except OSError:
        return None


def _catalogue(path: str) -> tuple[str, str, str | None]:
    """A catalogue as reached now: its path as the plan reaches it, where that leads (resolved again,
    every time), and the SHA-256 of its content."""
    return path, os.path.realpath(path), _sha(path)


def _remove(path: Path) -> None:
    try:
        path.unlink()
    except OSError:
        pass


def _valid(stored: object, kind: type[Any], plain: bool = False) -> bool:
    """An entry of the shape `put` writes, its plan a `kind` (anything else, whatever wrote it, is not used)."""
    if not isinstance(stored, dict) or stored.get("format") != FORMAT or not isinstance(stored.get("name"), str):
        return False
    if stored.get("plain", False) is not plain:
        return False
    catalogues = stored.get("catalogues")
    if not isinstance(catalogues, list) or not all(
            isinstance(c, tuple) and len(c) == 3 and all(isinstance(x, str) for x in c) for c in catalogues):
        return False
    loaded: Any = stored.get("loaded")
    if not (isinstance(loaded, kind) and isinstance(loaded.diagnostics, list) and loaded.ok):
        return False
    return not plain or isinstance(loaded.plan, kind.plan_type)  # plain: its plan all plain objects


def _unpickle(data: bytes) -> Any:
    """The stored entry; the cyclic garbage collector waits meanwhile (a plan holds no cycles, and
    its walks over the objects already read would take longer than reading them)."""
    import gc

    paused = gc.isenabled()
    gc.disable()
    try:
        return pickle.loads(data)
    finally:
        if paused:
            gc.enable()


def get(raw: bytes | str, name: str, workdays: bool, kind: type[Any], plain: bool = False) -> Any:
    """The plan read before from these very bytes, or the bytes of this `content` key (a `kind`:
    the loader's `LoadedPlan`, or with `plain` the `plan.plain.LoadedPlain` of the same plan), or
    None."""
    if not enabled():
        return None
    try:
        path = _entry(raw, name, workdays, plain)  # the working folder may be gone (getcwd fails): no cache then
    except OSError:
        return None
    try:
        if not (_private(folder()) and _private(path.parent)):
            return None
        st = path.stat()
        if sys.platform != "win32" and (st.st_uid != os.getuid() or st.st_mode & 0o022):
            return None
        with path.open("rb") as fh:
            stored = _unpickle(fh.read())  # our own private file, see above
    except FileNotFoundError:
        return None
    except Exception:  # corrupt, or from elsewhere: read the plan afresh, and never this entry again
        _remove(path)
        return None
    try:
        if not _valid(stored, kind, plain):
            _remove(path)
            return None
        for catalogue in stored["catalogues"]:
            if _catalogue(catalogue[0]) != catalogue:  # changed, moved under a symlink, or gone
                return None
        loaded = stored["loaded"]
        loaded.path = name
        for d in loaded.diagnostics:
            if d.file == stored["name"]:
                d.file = name
    except Exception:  # an entry of the right shape with wrong insides: not used, removed
        _remove(path)
        return None
    try:
        os.utime(path)  # used: the last to be evicted
    except OSError:
        pass
    return loaded


def put(raw: bytes | str, loaded: Any, workdays: bool, plain: bool = False) -> None:
    """Keep a plan that loaded without errors from these bytes or the bytes of this `content`
    key (the loader's `LoadedPlan`, or with `plain` a
    `plan.plain.LoadedPlain` without its text); never fails the command."""
    if not enabled() or loaded.plan is None or not loaded.ok:
        return
    try:
        path = _entry(raw, loaded.path, workdays, plain)
        base = folder()
        base.mkdir(parents=True, exist_ok=True, mode=0o700)
        path.parent.mkdir(exist_ok=True, mode=0o700)
        if not (_private(base) and _private(path.parent)):
            return
        catalogues = [_catalogue(c) for c in loaded.catalogues]
        if any(digest is None for _, _, digest in catalogues):
            return
        if plain:
            keep = loaded  # a LoadedPlain is pickled without its text
        else:
            from dataclasses import replace

            keep = replace(loaded, text=None, document=None)  # the plan and its warnings, not the text
        entry = {"format": FORMAT, "name": loaded.path, "catalogues": catalogues, "loaded": keep, "plain": plain}
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "wb") as fh:  # written as it is pickled: the entry is never held whole
                pickle.dump(entry, fh, protocol=pickle.HIGHEST_PROTOCOL)
                size = fh.tell()
            if size > MAX_BYTES:
                raise OverflowError(size)
            os.replace(tmp, path)
        except BaseException:
            _remove(tmp)
            raise
        _evict(path)
    except Exception:  # a cache that cannot be written is no cache, not an error
        return


def _evict(kept: Path) -> None:
    """Remove the older entries of the plan file `kept` was written for, the temporary files of
    killed writes, and then, past `MAX_BYTES` in all, the entries used longest ago."""
    same_file = kept.name.rsplit("-", 2)[0] + "-"
    now = time.time()
    entries: list[tuple[float, int, Path]] = []
    for sub in folder().iterdir():
        if not sub.is_dir() or sub.is_symlink() or len(sub.name) != 2:
            continue
        for entry in sub.iterdir():
            try:
                st = entry.lstat()
            except OSError:
                continue
            if not entry.is_file() or entry.is_symlink():
                continue
            if entry.name.endswith(".tmp"):
                if entry.name.startswith(".") and now - st.st_mtime > STALE_TMP:
                    _remove(entry)
                continue
            if not entry.name.endswith(".pickle"):
                continue
            if entry != kept and entry.name.startswith(same_file):
                _remove(entry)  # an older version of the same plan, or one written by another kehoach
                continue
            entries.append((st.st_mtime, st.st_size, entry))
    total = sum(size for _, size, _ in entries)
    for _, size, entry in sorted(entries, key=lambda e: e[0]):
        if total <= MAX_BYTES:
            break
        if entry != kept:
            _remove(entry)
            total -= size
