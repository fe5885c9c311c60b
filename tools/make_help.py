#!/usr/bin/env python
"""Store the help pages the door serves: `kehoach --help` and `kehoach CMD --help` in each
language, rendered by the real typer application, 80 columns wide (what click uses for any width
of 80 or more, and off a terminal), into src/kehoach/cli/help/<lang>/<page>.txt
(kehoach.cli.helppages). tests/test_helppages.py renders them again and compares.

Each language is rendered in a process of its own: the command line words its help keys in the
language of the first page it shows.

Usage: python tools/make_help.py [--check]   (--check: compare, write nothing; exit 1 if stale)
"""

from __future__ import annotations

import argparse
import io
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HELP_DIR = ROOT / "src" / "kehoach" / "cli" / "help"


def page_argv(name: str) -> list[str]:
    """The command line that shows a page (`kehoach` is the program's own)."""
    from kehoach.cli.helppages import ROOT_PAGE

    return ["--help"] if name == ROOT_PAGE else [name, "--help"]


def environment(lang: str) -> dict[str, str]:
    """The environment a page is rendered in: this one, with the language, 80 columns, and no
    setting of kehoach's that could change a page."""
    from kehoach.cli.helppages import WIDTH

    env = {k: v for k, v in os.environ.items() if not k.startswith("KEHOACH_") and k not in ("COLUMNS", "LINES")}
    env.update(KEHOACH_LANG=lang, COLUMNS=str(WIDTH), PYTHONIOENCODING="utf-8")
    return env


def _render_here() -> None:
    """(In the child process.) Every page in this process's language, as JSON on standard output."""
    import typer

    from kehoach.cli.app import app, main
    from kehoach.cli.helppages import COMMANDS, ROOT_PAGE

    pages: dict[str, object] = {"commands": list(typer.main.get_command(app).commands)}  # type: ignore[attr-defined]
    out = sys.stdout
    for name in (ROOT_PAGE, *COMMANDS):
        sys.stdout = buffer = io.StringIO()
        try:
            code = main(page_argv(name))
        finally:
            sys.stdout = out
        pages[name] = {"exit": code, "text": buffer.getvalue()}
    out.write(json.dumps(pages))


def render(lang: str) -> dict[str, object]:
    """{page: {"exit": code, "text": text}, "commands": [the application's commands]} in `lang`."""
    done = subprocess.run([sys.executable, __file__, "--render"], env=environment(lang), capture_output=True,
                          check=True)
    return dict(json.loads(done.stdout.decode("utf-8")))


def stored() -> dict[tuple[str, str], str]:
    """Every stored page: {(lang, page): text}."""
    return {(p.parent.name, p.stem): p.read_text(encoding="utf-8") for p in sorted(HELP_DIR.glob("*/*.txt"))}


def rendered() -> dict[tuple[str, str], str]:
    """Every page as typer renders it now: {(lang, page): text}; fails if a page is not shown with
    exit 0 or if the application's commands are not the stored ones."""
    from kehoach.cli.helppages import COMMANDS, LANGS

    out = {}
    for lang in LANGS:
        pages = render(lang)
        commands = pages.pop("commands")
        if tuple(commands) != COMMANDS:  # type: ignore[arg-type]
            raise SystemExit(f"kehoach.cli.helppages.COMMANDS is not the application's commands: {commands}")
        for name, page in pages.items():
            assert isinstance(page, dict)
            if page["exit"] != 0:
                raise SystemExit(f"{lang} {name}: exit {page['exit']}")
            out[(lang, name)] = str(page["text"])
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare, write nothing")
    parser.add_argument("--render", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.render:
        _render_here()
        return 0
    pages = rendered()
    if args.check:
        stale = sorted(set(pages) ^ set(stored()) | {k for k, v in stored().items() if pages.get(k) != v})
        for lang, name in stale:
            print(f"stale: {lang}/{name}.txt")
        return 1 if stale else 0
    for old in HELP_DIR.glob("*/*.txt"):
        if (old.parent.name, old.stem) not in pages:
            old.unlink()
    for (lang, name), text in pages.items():
        path = HELP_DIR / lang / f"{name}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))
    print(f"{len(pages)} pages in {HELP_DIR.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
