"""The benchmark script and the plan generator still work (at a tiny size): a benchmark, not a
test of speed; nothing here asserts a time."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_the_benchmark_runs_and_prints_its_table(tmp_path):
    proc = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "run.py"), "--quick", "--no-install",
                           "--out", str(tmp_path / "perf.md")], capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    text = (tmp_path / "perf.md").read_text(encoding="utf-8")
    assert "<!-- benchmarks/run.py writes below this line -->" in text
    for row in ("`kehoach status -p plans/2021.yaml` ÷ `python -c pass`", "peak memory",
                "`report --format html`", "÷ one plan of"):
        assert row in text


def test_the_generator_makes_plans_that_check_clean(tmp_path):
    proc = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "generate.py"), "folder", "--plans", "2",
                           "--tasks", "30", "-o", str(tmp_path / "f")], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    files = sorted((tmp_path / "f").glob("*.yaml")) + [tmp_path / "f" / "bodies" / "tinh.yaml"]
    check = subprocess.run([sys.executable, "-m", "kehoach", "check", *map(str, files)], capture_output=True,
                           text=True, timeout=120)
    assert check.returncode == 0 and "0 lỗi, 0 cảnh báo" in check.stdout, check.stdout + check.stderr


def test_the_heavier_plan_is_the_same_plan_with_every_task_described(tmp_path):
    """The heavier plan of docs/performance.md holds the same tasks as the plain one, each with a
    full description of plans/2021.yaml, and checks clean."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import generate

    from kehoach.plan.loader import load_text

    plain = load_text(generate.plan_text(60, seed=3))
    described = load_text(generate.plan_text(60, seed=3, descriptions=True))
    assert plain.ok and described.ok and not described.diagnostics
    shipped = set(generate.shipped_descriptions())
    pairs = [(a, b) for (a, _), (b, _) in zip(plain.plan.iter_tasks(), described.plan.iter_tasks(), strict=True)]
    assert len(pairs) == 60
    for a, b in pairs:
        assert (a.id, a.title, a.deadline, a.lead) == (b.id, b.title, b.deadline, b.lead)
        assert a.description is None and " ".join(b.description.split()) in shipped
