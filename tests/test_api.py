"""The declared library API: what `kehoach` exports, and the script of docs/api.md."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

import kehoach

ROOT = Path(__file__).resolve().parent.parent


def test_the_docs_script_runs_and_prints_what_the_docs_say():
    doc = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
    code = re.search(r"```python\n(.*?)```", doc, re.S).group(1)
    expected = re.search(r"It prints:\n\n```text\n(.*?)```", doc, re.S).group(1)
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == expected


def test_every_exported_name_resolves_and_is_documented():
    for name in kehoach.__all__:
        value = getattr(kehoach, name)
        if callable(value) and not isinstance(value, type):
            assert value.__doc__, name  # every function of the API says what it does


def test_import_kehoach_is_cheap():
    """`import kehoach` loads none of the library's heavy parts until they are used."""
    probe = ("import sys, kehoach; "
             "print(sorted(m for m in ('pydantic', 'ruamel', 'jinja2', 'typer', 'rich') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_every_command_has_its_call_in_the_api_and_in_the_docs():
    """`kehoach X` is `kehoach.X(...)` (import: `import_plan`; the roll-ups: `status_rollup`,
    `report_rollup`), exported, and a row of docs/api.md's table of commands."""
    from kehoach import _COMMANDS
    from kehoach.cli.app import app

    doc = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
    commands = {(c.name or c.callback.__name__).rstrip("_") for c in app.registered_commands}
    assert len(commands) == 14
    for name in commands:
        call = "import_plan" if name == "import" else name
        assert call in _COMMANDS and call in kehoach.__all__, name
        assert re.search(rf"^\| `kehoach {name}\b", doc, re.M), f"docs/api.md has no row for kehoach {name}"


@pytest.mark.slow  # a second or more: CI runs it (.ci/run); -m 'not slow' stays well under 3 minutes


def test_each_row_of_the_docs_table_of_commands_runs(tmp_path, monkeypatch):
    """docs/api.md's table: each call runs from a folder of copies, returns a `Result` whose
    `.value` is of the type the row names, and what it writes lands in that folder."""
    import datetime as dt
    import shutil

    doc = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| `kehoach (\w+)`[^|]*\| `(kehoach\.[^`]+)` \| `(\w+)`", doc, re.M)
    assert len(rows) == 16
    shutil.copy(ROOT / "plans" / "2021.yaml", tmp_path / "2021.yaml")
    shutil.copy(ROOT / "examples" / "demo.yaml", tmp_path / "demo.yaml")
    shutil.copy(ROOT / "tests" / "data" / "source-2021-ocr.txt", tmp_path / "source.txt")
    monkeypatch.chdir(tmp_path)
    before = (tmp_path / "demo.yaml").read_bytes()
    for command, call, value in rows:
        # the calls docs/api.md shows, our own text
        result = eval(call, {"kehoach": kehoach, "Path": Path, "D": dt.date(2021, 10, 5)})
        assert isinstance(result, kehoach.Result), command
        assert type(result.value).__name__ == value, (command, type(result.value).__name__)
    assert (tmp_path / "demo.yaml").read_bytes() != before  # `log` recorded its entry
    assert (tmp_path / "2022.yaml").exists() and (tmp_path / "nhap.yaml").exists()
    assert list((tmp_path / "phieu").glob("*.xlsx")), "request wrote the forms"
