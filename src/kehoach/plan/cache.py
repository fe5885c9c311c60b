"""A cache of plans already read: the validated plan, kept by its file's content.

Reading a large plan is the slow part of every command (the YAML parser, then
the model); a plan read once need not be read again while its file is the same.
The cache keeps, for a plan that loaded **without errors**, the validated plan
and its warnings, under the user's cache folder (`$XDG_CACHE_HOME/kehoach`,
else `~/.cache/kehoach`; `%LOCALAPPDATA%\\kehoach` on Windows).

It never serves a stale or foreign plan:
- the key is the SHA-256 of the file's bytes, with kehoach's version and the
  size and modification time of each of its own modules (a changed kehoach
  reads afresh), Python's version, and whether warnings were asked for;
- an entry of a plan that names body catalogues (`bodies_from`) records each
  catalogue's SHA-256 and is used only while they are the same;
- an entry is written atomically, only for a valid plan, and read only from a
  folder that belongs to the user and that nobody else may write (pickle can
  run code, so a file someone else could have written is never loaded); a
  corrupt or unreadable entry is ignored;
- `--no-cache` or `KEHOACH_NO_CACHE=1` turns it off.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
from pathlib import Path
from typing import Any

from kehoach.base.settings import current

FORMAT = 1
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
    """kehoach's version and the size and time of each of its modules: a changed kehoach (an
    upgrade, or a developer's edit) never reads what an older one wrote."""
    global _code_key
    if _code_key is None:
        from kehoach.base.version import __version__

        here = Path(__file__).resolve().parent.parent
        parts = [__version__, sys.version, str(FORMAT)]
        for module in sorted(here.rglob("*.py")):
            st = module.stat()
            parts.append(f"{module.relative_to(here)}:{st.st_size}:{st.st_mtime_ns}")
        _code_key = hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]
    return _code_key


def _entry(raw: bytes, name: str, workdays: bool) -> Path:
    """The entry of these bytes read from this file (its catalogues are found beside it)."""
    where = os.path.realpath(name).encode("utf-8", "surrogateescape")
    digest = hashlib.sha256(raw + b"\0" + where).hexdigest()
    return folder() / f"{digest[:2]}" / f"{digest}-{_code()}-{int(workdays)}.pickle"


def _sha(path: str) -> str | None:
    try:
        from kehoach.base.files import read_file

        return hashlib.sha256(read_file(path)).hexdigest()
    except OSError:
        return None


def get(raw: bytes, name: str, workdays: bool) -> Any:
    """The plan read before from these very bytes (the loader's `LoadedPlan`), or None."""
    if not enabled():
        return None
    path = _entry(raw, name, workdays)
    try:
        if not (_private(folder()) and _private(path.parent)):
            return None
        if sys.platform != "win32" and (path.stat().st_uid != os.getuid() or path.stat().st_mode & 0o022):
            return None
        with path.open("rb") as fh:
            stored: dict[str, Any] = pickle.load(fh)  # our own private file, see above
    except Exception:  # missing, corrupt or from elsewhere: read the plan afresh
        return None
    if stored.get("format") != FORMAT:
        return None
    for catalogue, digest in stored.get("catalogues", []):
        if _sha(catalogue) != digest:
            return None
    loaded = stored["loaded"]
    loaded.path = name
    for d in loaded.diagnostics:
        if d.file == stored["name"]:
            d.file = name
    return loaded


def put(raw: bytes, loaded: Any, workdays: bool) -> None:
    """Keep a plan that loaded without errors (the loader's `LoadedPlan`); never fails the command."""
    if not enabled() or loaded.plan is None or not loaded.ok:
        return
    from dataclasses import replace

    path = _entry(raw, loaded.path, workdays)
    try:
        base = folder()
        base.mkdir(parents=True, exist_ok=True, mode=0o700)
        path.parent.mkdir(exist_ok=True, mode=0o700)
        if not (_private(base) and _private(path.parent)):
            return
        catalogues = [(os.path.realpath(c), _sha(c)) for c in loaded.catalogues]
        keep = replace(loaded, text=None, document=None)  # the plan and its warnings, not the text
        data = pickle.dumps({"format": FORMAT, "name": loaded.path, "catalogues": catalogues, "loaded": keep},
                            protocol=pickle.HIGHEST_PROTOCOL)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except Exception:  # a cache that cannot be written is no cache, not an error
        return
