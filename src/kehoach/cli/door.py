"""The command's door: `kehoach --version` is answered before anything heavy is imported
(typer, click, rich: about 30 ms a run, several times Python's own start); every other command
line goes to the full command line (`cli.app.run`), unchanged. `tests/test_cli_small.py` holds
the two answers equal."""

from __future__ import annotations

import sys


def run() -> None:
    if sys.argv[1:] == ["--version"]:
        from kehoach.base.version import version_line

        sys.stdout.write(version_line())
        raise SystemExit(0)
    from kehoach.cli.app import run as full

    full()
