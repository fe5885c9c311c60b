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
