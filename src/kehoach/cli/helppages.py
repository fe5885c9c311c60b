"""The help pages, stored: `kehoach --help`, `kehoach -h` and `kehoach CMD --help` (or `-h`) in
each language, as the full command line writes them, rendered ahead of time by
`tools/make_help.py` into `cli/help/<lang>/<page>.txt`. The door serves one without importing
typer, click or rich (about ten times faster); `tests/test_helppages.py` holds every stored page
equal to what typer renders now.

A page is served only where it is what the full command line would write: click lays help out
`min(columns, 80) - 2` wide, so the stored pages (80 columns) hold whenever the width it finds
(`$COLUMNS`, else the terminal on standard output, else 80) is 80 or more, and standard output
writes UTF-8. A command's page may carry `--lang X` (or `--lang=X`) before or after its `--help`.
Anything else (a narrower terminal, another argument) goes to the full command line."""

from __future__ import annotations

import os
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping

ROOT_PAGE = "kehoach"
COMMANDS = ("check", "schema", "status", "report", "checklist", "remind", "export", "calendar", "log",
            "request", "collect", "diff", "init", "import")
LANGS = ("vi", "en")
HELP = ("--help", "-h")
WIDTH = 80  # the columns the pages are rendered for (click: 78 of text); any wider gives the same


def page_name(argv: list[str]) -> str | None:
    """The stored page `argv` asks for (`kehoach` for the program's own), or None."""
    if len(argv) == 1 and argv[0] in HELP:
        return ROOT_PAGE
    if not argv or argv[0] not in COMMANDS:
        return None
    rest = argv[1:]
    if len(rest) == 1 and rest[0] in HELP:
        return argv[0]
    if len(rest) == 2 and rest[0] in HELP and rest[1].startswith("--lang="):
        return argv[0]
    if len(rest) == 2 and rest[1] in HELP and rest[0].startswith("--lang="):
        return argv[0]
    if len(rest) == 3 and rest[0] in HELP and rest[1] == "--lang":
        return argv[0]
    if len(rest) == 3 and rest[2] in HELP and rest[0] == "--lang":
        return argv[0]
    return None


def lang_option(argv: list[str]) -> str | None:
    """The value of the first `--lang` (`--lang X` or `--lang=X`) in `argv`, as written; None
    without one."""
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
    return None


def page_lang(argv: list[str], environ: Mapping[str, str]) -> str:
    """The language the command line speaks for `argv`, as it decides it before parsing: the
    value of `--lang` when it names a language kehoach speaks (`en-US` → `en`), else
    $KEHOACH_LANG as the settings read it, else Vietnamese."""
    value = lang_option(argv)
    if value is not None and value.lower().split("-")[0].split("_")[0] in LANGS:
        return _lang(value)
    return _lang(environ.get("KEHOACH_LANG"))


def _lang(value: str | None) -> str:
    lang = (value or "vi").lower()[:2]
    return lang if lang in LANGS else "vi"


def columns(environ: Mapping[str, str]) -> int:
    """The columns click finds for a help page (shutil.get_terminal_size): $COLUMNS when it is a
    positive number, else the terminal on standard output, else 80."""
    try:
        value = int(environ["COLUMNS"])
    except (KeyError, ValueError):
        value = 0
    if value > 0:
        return value
    try:
        value = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
    except (AttributeError, ValueError, OSError):
        return WIDTH
    return value or WIDTH


def _utf8_stdout() -> bool:
    """Whether standard output writes UTF-8, as the pages are stored (click writes through a
    stream of its own where it is ASCII, and another encoding may not hold the words)."""
    encoding = str(getattr(sys.stdout, "encoding", None) or "").lower().replace("-", "").replace("_", "")
    return encoding == "utf8"


def page_path(lang: str, name: str) -> str:
    return os.path.join(os.path.dirname(__file__), "help", lang, name + ".txt")


def stored_page(argv: list[str], environ: Mapping[str, str]) -> str | None:
    """The text the full command line would write on standard output for `argv` (the arguments
    after the program's name) in this environment, when it is a stored help page; else None."""
    name = page_name(argv)
    if name is None or not _utf8_stdout() or columns(environ) < WIDTH:
        return None
    try:
        with open(page_path(page_lang(argv, environ), name), encoding="utf-8", newline="") as f:
            return f.read()
    except OSError:
        return None
