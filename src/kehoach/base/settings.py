"""The settings a user gives through the environment, read once, at the edge.

The command line reads them (`Settings.from_env(os.environ)`) and installs them for the run
(`using`); nothing in the library reads the environment. A program that calls the library gets
the defaults below (no plan cache written under the user's home, the built-in templates, the
usual limits) unless it installs settings of its own.

| variable | setting | default |
|---|---|---|
| `KEHOACH_LANG` | `lang`: the language of messages and documents | `vi` |
| `KEHOACH_PLAN` | `plan`: the plan a command reads without `--plan` | none |
| `KEHOACH_TEMPLATES` | `templates`: a folder of templates overriding the built-in ones | none |
| `KEHOACH_MAX_BYTES` | `max_bytes`: the largest file read (a plan, a form, a document) | 16 MB |
| `KEHOACH_TEMPLATE_SECONDS` | `template_seconds`: the longest a template may render (one document) | 60 s |
| `KEHOACH_TEMPLATE_BYTES` | `template_bytes`: the most a template may write (one document) | 64 MB |
| `KEHOACH_LOCK_TIMEOUT` | `lock_timeout`: seconds a writer waits for the plan's lock | 30 s + 10 s per MB |
| `KEHOACH_NO_CACHE`, `XDG_CACHE_HOME` | `cache`: the folder of plans already read | `~/.cache/kehoach` (CLI only) |
| `KEHOACH_YAML_PARSER` | `pure_parser`: `pure`: ruamel's pure parser only (no C, no yaml-rs) | C when installed |
| `KEHOACH_NO_ACCEL` | `accel`: `1` never uses the `fast` extra (yaml-rs, orjson); same answers | used when installed |
| `KEHOACH_FORM_KEY` | `form_key`: the file of the key return forms are signed with | `.kehoach-key` beside the plan |
| `NO_COLOR` | `color`: colours on a terminal | on |
| `SOURCE_DATE_EPOCH` | `stamp`: the time of writing (the calendar's DTSTAMP), seconds since 1970 | the clock |

Read by the command's door (`cli/door.py`), not a setting: `KEHOACH_FULL_CLI=1` sends every command
line to the full command line (typer), past the door's own answers for `--version`, `--help` and the
common options of `status`, `check` and `log` (the same output either way: tests/test_door.py).
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from kehoach.base.records import record, replace

DEFAULT_MAX_BYTES = 16 * 1024 * 1024  # a plan of 10,000 tasks is about 4 MB
DEFAULT_TEMPLATE_SECONDS = 60.0  # the report of a plan of 10,000 tasks renders in a few seconds
DEFAULT_TEMPLATE_BYTES = 64 * 1024 * 1024  # its HTML is a few megabytes
LANGS = ("vi", "en")


def _lang(value: str | None) -> str:
    lang = (value or "vi").lower()[:2]
    return lang if lang in LANGS else "vi"


@record(frozen=True)
class Settings:
    lang: str = "vi"
    plan: str | None = None
    templates: str | None = None
    max_bytes: int = DEFAULT_MAX_BYTES
    lock_timeout: float | None = None  # None: 30 s plus 10 s per MB of plan
    template_seconds: float = DEFAULT_TEMPLATE_SECONDS
    template_bytes: int = DEFAULT_TEMPLATE_BYTES
    cache: Path | None = None  # None: no cache
    pure_parser: bool = False
    accel: bool = True  # the optional accelerators (yaml-rs, orjson) when they are installed
    form_key: str | None = None
    color: bool = True
    stamp: dt.datetime | None = None  # None: the clock at the time of writing

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> Settings:
        """The settings the environment gives (the table above); a value that cannot be read is
        the default."""
        size = env.get("KEHOACH_MAX_BYTES", "").strip()
        timeout: float | None
        try:
            timeout = float(env.get("KEHOACH_LOCK_TIMEOUT", "").strip())
            if not 0 <= timeout < float("inf"):  # NaN and infinity are no timeout
                timeout = None
        except ValueError:
            timeout = None
        return cls(
            lang=_lang(env.get("KEHOACH_LANG")),
            plan=env.get("KEHOACH_PLAN") or None,
            templates=env.get("KEHOACH_TEMPLATES") or None,
            max_bytes=int(size) if size.isdigit() and int(size) > 0 else DEFAULT_MAX_BYTES,
            lock_timeout=timeout,
            template_seconds=_positive(env.get("KEHOACH_TEMPLATE_SECONDS", ""), DEFAULT_TEMPLATE_SECONDS),
            template_bytes=int(_positive(env.get("KEHOACH_TEMPLATE_BYTES", ""), DEFAULT_TEMPLATE_BYTES, whole=True)),
            cache=None if env.get("KEHOACH_NO_CACHE", "") not in ("", "0") else _cache_folder(env),
            pure_parser=env.get("KEHOACH_YAML_PARSER") == "pure",
            accel=env.get("KEHOACH_NO_ACCEL", "") in ("", "0"),
            form_key=env.get("KEHOACH_FORM_KEY", "").strip() or None,
            color=not env.get("NO_COLOR"),
            stamp=_epoch(env.get("SOURCE_DATE_EPOCH", "")),
        )

    def without_cache(self) -> Settings:
        return replace(self, cache=None)


def _positive(value: str, default: float, whole: bool = False) -> float:
    """A positive, finite number (a whole one when `whole`), else `default`."""
    value = value.strip()
    try:
        number = int(value) if whole else float(value)
    except ValueError:
        return default
    return number if 0 < number < float("inf") else default


def _epoch(value: str) -> dt.datetime | None:
    """`SOURCE_DATE_EPOCH` (https://reproducible-builds.org/specs/source-date-epoch/): whole
    seconds since 1970 in UTC; anything else is the clock."""
    value = value.strip()
    if not value.isascii() or not value.isdigit() or len(value) > 11:
        return None
    try:
        return dt.datetime.fromtimestamp(int(value), dt.UTC)
    except (OverflowError, OSError, ValueError):
        return None


def _cache_folder(env: Mapping[str, str]) -> Path:
    """The user's cache folder: `$XDG_CACHE_HOME/kehoach`, else `~/.cache/kehoach`
    (`%LOCALAPPDATA%\\kehoach` on Windows)."""
    if sys.platform == "win32":
        return Path(env.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local") / "kehoach"
    named = env.get("XDG_CACHE_HOME", "")
    # the XDG rule: a relative path is ignored (it would put the cache in whatever folder the
    # command runs from, beside the plan)
    return (Path(named) if named and Path(named).is_absolute() else Path.home() / ".cache") / "kehoach"


_current = Settings()


def current() -> Settings:
    """The settings of this run."""
    return _current


@contextmanager
def using(settings: Settings) -> Iterator[Settings]:
    """The settings of this run, installed for its length (the command line's, from the
    environment); those before come back after it."""
    global _current
    before, _current = _current, settings
    try:
        yield settings
    finally:
        _current = before
