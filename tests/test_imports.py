"""`kehoach status` and `kehoach check` do not import what only the documents need."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
HEAVY = ("docx", "docxtpl", "lxml", "icalendar", "holidays", "jinja2", "babel", "pypdf", "markdown_it")

PROBE = f"""
import io, json, sys, contextlib
from kehoach.cli.app import main
with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
    code = main(sys.argv[1:])
print(json.dumps({{"code": code, "loaded": [m for m in {HEAVY!r} if m in sys.modules]}}))
"""


def _loaded(*args: str) -> dict:
    out = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_status_imports_nothing_heavy():
    result = _loaded("status", "-p", str(ROOT / "plans" / "2021.yaml"), "--as-of", "2021-07-01")
    assert result == {"code": 0, "loaded": []}


def test_check_imports_only_the_holiday_calendar():
    result = _loaded("check", str(ROOT / "plans" / "2021.yaml"))
    assert result["code"] == 0
    assert set(result["loaded"]) <= {"holidays"}


@pytest.mark.slow  # about half a second or more here: CI runs it (.ci/run)
def test_report_docx_does_import_the_word_writer(tmp_path):
    """The probe can see an import: the Word report does load docxtpl."""
    result = _loaded("report", "-p", str(ROOT / "examples" / "demo.yaml"), "--period", "Q2", "-f", "docx",
                     "-o", str(tmp_path / "r.docx"))
    assert result["code"] == 0 and "docxtpl" in result["loaded"]


DOOR = """
import json, os, sys
sys.argv = ["kehoach", *sys.argv[1:]]
from kehoach.cli import door
try:
    door.run()
except SystemExit as exc:
    code = exc.code
loaded = [m for m in ("typer", "click", "rich", "jinja2", "pydantic", "ruamel", "dataclasses", "inspect")
          if m in sys.modules]
os.write(2, ("\\n" + json.dumps({"code": code, "loaded": loaded})).encode())
"""


def test_status_piped_through_the_door_imports_neither_typer_click_rich_nor_jinja2(tmp_path):
    """`kehoach status` of a plan, piped, is answered by the door's fast path: none of the full
    command line's libraries is imported; once the plan cache is warm, neither pydantic nor the
    YAML parser either (the plan read back as plain objects), nor `dataclasses` and `inspect`
    (the records on this path are `base.records`)."""
    import os

    env = {k: v for k, v in os.environ.items() if k not in ("KEHOACH_NO_CACHE", "KEHOACH_FULL_CLI")}
    env["XDG_CACHE_HOME"] = str(tmp_path)
    status = [sys.executable, "-c", DOOR, "status", "-p", str(ROOT / "plans" / "2021.yaml"), "--as-of", "2021-07-01"]
    for n, extra in enumerate(([], [], ["-o", str(tmp_path / "status.txt")])):
        run = subprocess.run([*status, *extra], capture_output=True, text=True, env=env, check=True)
        probe = json.loads(run.stderr.strip().splitlines()[-1])
        assert probe["code"] == 0 and "Mã" in (run.stdout if not extra else (tmp_path / "status.txt").read_text())
        assert not {"typer", "click", "rich", "jinja2"} & set(probe["loaded"])
        if n:
            assert not {"pydantic", "ruamel", "dataclasses", "inspect"} & set(probe["loaded"])


@pytest.mark.slow
def test_status_of_next_years_plan_with_carried_work_imports_no_pydantic_once_cached(tmp_path):
    """Last year's unfinished work, carried into the new plan, is said with its old deadline
    ("năm 2022 (chuyển tiếp, hạn cũ năm 2021)"): the plain plan holds that deadline as the model read
    it, so a piped `status` of the plan, once cached, still reads it without pydantic."""
    import os

    env = {k: v for k, v in os.environ.items() if k not in ("KEHOACH_NO_CACHE", "KEHOACH_FULL_CLI")}
    env["XDG_CACHE_HOME"] = str(tmp_path / "cache")
    old, new = tmp_path / "2021.yaml", tmp_path / "2022.yaml"
    old.write_bytes((ROOT / "plans" / "2021.yaml").read_bytes())
    kehoach = [sys.executable, "-m", "kehoach"]
    subprocess.run([*kehoach, "log", "II.6.e", "-p", str(old), "--percent", "50", "--date", "2021-10-01",
                    "--body", "bdvtu", "-m", "Đang xây dựng dự thảo"], env=env, check=True, capture_output=True)
    subprocess.run([*kehoach, "init", "--year", "2022", "--from", str(old), "-o", str(new)], env=env, check=True,
                   capture_output=True)
    status = [sys.executable, "-c", DOOR, "status", "-p", str(new), "--as-of", "2022-03-01", "-f", "json"]
    for n in range(2):
        run = subprocess.run(status, capture_output=True, text=True, env=env, check=True)
        probe = json.loads(run.stderr.strip().splitlines()[-1])
        assert probe["code"] == 0
        assert "năm 2022 (chuyển tiếp, hạn cũ năm 2021)" in run.stdout
        if n:
            assert not {"pydantic", "ruamel"} & set(probe["loaded"]), probe
