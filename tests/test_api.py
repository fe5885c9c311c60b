"""The declared library API: what `kehoach` exports, and the script of docs/api.md."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

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
    probe = "import sys, kehoach; print(sorted(m for m in ('pydantic', 'ruamel', 'jinja2', 'typer', 'rich') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
