"""Which plan a command reads when --plan is not given."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from kehoach.plan.discovery import find_plan


def _plan(folder: Path, name: str, year: int) -> Path:
    path = folder / "plans" / name
    path.parent.mkdir(exist_ok=True)
    path.write_text(f"plan:\n  period:\n    start: {year}-01-01\n    end: {year}-12-31\n", encoding="utf-8")
    return path


def test_explicit_path_wins_over_env(tmp_path):
    assert find_plan(Path("a.yaml"), "b.yaml", tmp_path) == Path("a.yaml")
    assert find_plan(None, "b.yaml", tmp_path) == Path("b.yaml")


def test_plan_whose_period_covers_today(tmp_path):
    _plan(tmp_path, "2021.yaml", 2021)
    p22 = _plan(tmp_path, "2022.yaml", 2022)
    _plan(tmp_path, "2023.yaml", 2023)
    assert find_plan(None, None, tmp_path, dt.date(2022, 5, 1)) == p22


def test_newest_when_none_covers_today(tmp_path):
    _plan(tmp_path, "2021.yaml", 2021)
    p22 = _plan(tmp_path, "2022.yaml", 2022)
    assert find_plan(None, None, tmp_path, dt.date(2026, 11, 25)) == p22


def test_none_without_plans_folder(tmp_path):
    assert find_plan(None, None, tmp_path) is None


def test_cli_reads_kehoach_plan(monkeypatch, capsys, tmp_path):
    from kehoach.cli.app import main

    root = Path(__file__).resolve().parent.parent
    monkeypatch.setenv("KEHOACH_PLAN", str(root / "plans" / "2021.yaml"))
    monkeypatch.chdir(tmp_path)
    assert main(["check"]) == 0
    assert "0 lỗi" in capsys.readouterr().out


def test_period_written_on_one_line(tmp_path):
    folder = tmp_path / "plans"
    folder.mkdir()
    (folder / "a.yaml").write_text("plan:\n  period: {start: 2021-01-01, end: 2021-12-31}\n", encoding="utf-8")
    b = folder / "b.yaml"
    b.write_text("plan:\n  period: {start: 2022-01-01, end: 2022-12-31}\n", encoding="utf-8")
    assert find_plan(None, None, tmp_path, dt.date(2022, 3, 1)) == b
