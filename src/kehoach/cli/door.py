"""The command's door: `kehoach --version` is answered before anything heavy is imported
(typer, click, rich: about 30 ms a run, several times Python's own start); so is a help page
stored ahead of time (`cli/helppages.py`), and so are the common command lines of `status`,
`check` and `log` (`cli/fast.py`: the same calls and the same words, without typer, click or
rich). Every other command line, or one the fast path is not sure of, goes to the full command
line (`cli.app.run`), unchanged; `KEHOACH_FULL_CLI=1` sends every command line there.
`tests/test_cli_small.py` and `tests/test_door.py` hold the answers equal."""

from __future__ import annotations

import os
import sys


def run() -> None:
    argv = sys.argv[1:]
    _never_unwritable()
    _sane_width()
    if argv == ["--version"]:
        from kehoach.base.version import version_line

        sys.stdout.write(version_line())
        raise SystemExit(0)
    door = os.environ.get("KEHOACH_FULL_CLI", "") in ("", "0")
    if door and ("--help" in argv or "-h" in argv):
        from kehoach.cli.helppages import stored_page

        page = stored_page(argv, os.environ)
        if page is not None:
            sys.stdout.write(page)
            raise SystemExit(0)
    if door and argv and argv[0] in ("status", "check", "log"):
        import gc

        gc.disable()  # one command per process, as the full command line runs it (cli.app.run)
        from kehoach.cli.fast import run as fast

        code = fast(argv)
        if code is not None:
            raise SystemExit(code)
    from kehoach.cli.app import run as full

    full()


def _never_unwritable() -> None:
    """Standard output and error in an encoding that has no Vietnamese letters
    (PYTHONIOENCODING=cp1252, a redirect on Windows): a letter it cannot hold is written "?",
    never an "internal error" half-way through a table."""
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", None) or "utf-8").lower().replace("_", "-")
        if encoding not in ("utf-8", "utf8") and hasattr(stream, "reconfigure"):
            try:
                stream.reconfigure(errors="replace")
            except (ValueError, OSError):  # pragma: no cover - a stream that cannot be changed
                pass


def _sane_width() -> None:
    """$COLUMNS kept to what a table can be laid out in, 20 to 1000 (0 printed no table at all;
    100000000 took a minute or ran out of memory); one that is no number is left to rich."""
    columns = os.environ.get("COLUMNS", "")
    if columns.isascii() and columns.isdigit() and not 20 <= int(columns) <= 1000:
        os.environ["COLUMNS"] = str(min(max(int(columns), 20), 1000))
