"""The stored help pages (kehoach.cli.helppages, written by tools/make_help.py): each is what typer
renders now, and one is served only where the full command line would write the very same bytes."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kehoach.base.settings import Settings
from kehoach.cli.helppages import COMMANDS, LANGS, ROOT_PAGE, columns, page_lang, page_name, stored_page

ROOT = Path(__file__).resolve().parent.parent
FULL_CLI = "import sys; from kehoach.cli.app import main; sys.exit(main())"


def _make_help():
    spec = importlib.util.spec_from_file_location("kehoach_make_help", ROOT / "tools" / "make_help.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow  # a second or more: CI runs it (.ci/run); -m 'not slow' stays well under 3 minutes


def test_every_stored_page_is_what_typer_renders_now():
    """A changed option, help text or translation makes this fail until `python tools/make_help.py`
    is run again (the pages cannot go stale)."""
    make_help = _make_help()
    now = make_help.rendered()
    assert set(now) == {(lang, name) for lang in LANGS for name in (ROOT_PAGE, *COMMANDS)}
    assert make_help.stored() == now


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KEHOACH_") and k not in ("COLUMNS", "LINES")}
    env.update(extra)
    return env


CASES = [
    (["--help"], {}),
    (["-h"], {"KEHOACH_LANG": "en"}),
    (["status", "--help"], {"KEHOACH_LANG": "en-US"}),
    (["log", "-h"], {"KEHOACH_LANG": "fr"}),  # a language kehoach does not speak: Vietnamese
    (["import", "--help"], {"COLUMNS": "200"}),  # wider than 80: the same page
    (["check", "--help"], {"KEHOACH_LANG": "EN", "COLUMNS": "abc"}),
    (["report", "--help", "--lang", "en"], {}),
    (["diff", "--lang=vi", "-h"], {"KEHOACH_LANG": "en"}),
    (["export", "--lang", "xx", "--help"], {"KEHOACH_LANG": "en"}),  # no such language: $KEHOACH_LANG's
]


def _served_as_the_full_command_line(cases: list[tuple[list[str], dict[str, str]]]) -> None:
    runs = [(argv, env, subprocess.Popen([sys.executable, "-c", FULL_CLI, *argv], env=_env(**env),
                                         stdout=subprocess.PIPE, stderr=subprocess.PIPE))
            for argv, env in cases]
    for argv, env, proc in runs:
        out, err = proc.communicate(timeout=120)
        page = stored_page(argv, _env(**env))
        assert page is not None, argv
        assert (proc.returncode, err, out) == (0, b"", page.encode("utf-8")), (argv, env)


@pytest.mark.slow  # about half a second or more here: CI runs it (.ci/run)
def test_a_page_is_served_as_the_full_command_line_writes_it():
    """In a process of its own, off a terminal, the full command line writes the stored page byte
    for byte, exits 0 and says nothing on standard error."""
    _served_as_the_full_command_line([CASES[0], CASES[2], CASES[-2]])


@pytest.mark.slow
def test_every_form_is_served_as_the_full_command_line_writes_it():
    _served_as_the_full_command_line(CASES)


def test_narrower_than_80_columns_goes_to_the_full_command_line():
    """Click lays a page out to the width it finds: below 80 columns the stored page is not what the
    user would get, so none is served."""
    env = _env(COLUMNS="60")
    assert stored_page(["status", "--help"], env) is None
    done = subprocess.run([sys.executable, "-c", FULL_CLI, "status", "--help"], env=env, capture_output=True,
                          timeout=120)
    assert done.returncode == 0
    assert done.stdout != stored_page(["status", "--help"], _env()).encode("utf-8")  # type: ignore[union-attr]
    assert stored_page(["status", "--help"], _env(COLUMNS="79")) is None
    assert stored_page(["status", "--help"], _env(COLUMNS="80")) is not None


@pytest.mark.parametrize("argv", [
    [], ["status"], ["--version"], ["--help", "status"], ["status", "--help", "--lang"],
    ["--lang", "en", "--help"], ["nope", "--help"], ["../../etc/passwd", "--help"], ["help"],
    ["status", "--help", "x"], ["--no-cache", "--help"], ["-h", "-h"], ["status", "--HELP"],
    ["status", "--lang", "en"], ["status", "--help", "--lang", "en", "x"], ["status", "--help", "--plan", "x"],
    ["status", "--help", "--lan", "en"], ["status", "-h", "--lang", "en", "--lang", "vi"],
])
def test_only_exact_help_lines_are_served(argv):
    assert page_name(argv) is None
    assert stored_page(argv, _env()) is None


def test_every_help_line_has_its_page():
    for lang in ("vi", "en"):
        env = _env(KEHOACH_LANG=lang)
        assert stored_page(["--help"], env) == stored_page(["-h"], env)
        for cmd in COMMANDS:
            page = stored_page([cmd, "--help"], env)
            assert page is not None and page == stored_page([cmd, "-h"], env)
            assert f"kehoach {cmd} " in page.splitlines()[0]
    assert stored_page(["status", "--help"], _env(KEHOACH_LANG="vi")) != stored_page(
        ["status", "--help"], _env(KEHOACH_LANG="en"))


@pytest.mark.parametrize("value", [None, "", "vi", "en", "EN", "en-US", "en_GB", "vi_VN", "fr", "e", " en", "english"])
def test_the_language_is_the_command_lines_one(value):
    """$KEHOACH_LANG as the settings read it, `--lang` as the command line reads it before parsing."""
    from kehoach.base.settings import using

    try:  # where the command line reads it (cli/report.py once the door's fast path is in)
        from kehoach.cli.report import argv_lang
    except ImportError:
        from kehoach.cli.app import _argv_lang as argv_lang

    env = {} if value is None else {"KEHOACH_LANG": value}
    assert page_lang([], env) == Settings.from_env(env).lang
    for option in ("vi", "en", "EN-us", "en_", "vi-VN", "", "fr", "e", "--help"):
        for env_lang in ({}, {"KEHOACH_LANG": "en"}, env):
            for argv in (["status", "--help", "--lang", option], ["status", f"--lang={option}", "-h"]):
                with using(Settings.from_env(env_lang)):
                    assert page_lang(argv, env_lang) == argv_lang(argv), (argv, env_lang)


def test_every_command_takes_lang():
    """A page is served for `CMD --help --lang X`: that holds only while every command has the option
    (an unknown option is an error before any help)."""
    import typer

    from kehoach.cli.app import app

    for name, command in typer.main.get_command(app).commands.items():  # type: ignore[attr-defined]
        assert any("--lang" in p.opts for p in command.params), name


@pytest.mark.parametrize("value", [None, "", "0", "-5", "abc", "79", "80", "81", "200", " 90"])
def test_the_width_is_the_one_click_finds(monkeypatch, value):
    """The same width as shutil.get_terminal_size, which click asks (standard output is no terminal
    under pytest)."""
    monkeypatch.delenv("LINES", raising=False)
    if value is None:
        monkeypatch.delenv("COLUMNS", raising=False)
    else:
        monkeypatch.setenv("COLUMNS", value)
    assert columns(os.environ) == shutil.get_terminal_size().columns


@pytest.mark.parametrize("encoding", ["latin-1", "ascii", "cp1258"])
def test_only_on_a_utf8_standard_output(monkeypatch, encoding):
    """Click writes through a stream of its own where standard output is ASCII, and another
    encoding may not hold the words: such a run goes to the full command line."""
    import io

    assert stored_page(["--help"], _env()) is not None
    monkeypatch.setattr(sys, "stdout", io.TextIOWrapper(io.BytesIO(), encoding=encoding))
    assert stored_page(["--help"], _env()) is None
