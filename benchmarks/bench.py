"""Time kehoach's commands against Python's own start, side by side, in one run.

    python benchmarks/bench.py [--runs 7] [--tasks 1000,10000]

For each case the commands run as separate processes (what a user or CI sees),
alternating between cases in every round so that machine noise hits all of them
alike; the table gives the median and the ratio to `python -c pass`. Synthetic
plans of N tasks are generated into a temporary folder (a plan shaped like
plans/2021.yaml: parents with subtasks, each with deadlines and progress).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def synthetic_plan(n_tasks: int) -> str:
    """A valid plan of about `n_tasks` tasks (parents of four subtasks), with progress."""
    lines = [
        "plan:", "  id: bench", "  title: Kế hoạch đo tốc độ", "  issuers: [a, b]",
        "  period: {start: 2021-01-01, end: 2021-12-31}",
        "bodies:",
        "  - {id: a, name: Ban Dân vận Tỉnh ủy, kind: party}",
        "  - {id: b, name: Ban Cán sự đảng UBND tỉnh, kind: party}",
        "  - {id: c, name: Sở Nội vụ, kind: state}",
        "objectives:", "  - {id: O1, text: Mục tiêu một}",
        "tasks:",
    ]
    forms = ["2021-06-30", "2021-Q3", "2021-H2", "2021", "{continuous: true, review: quarter}"]
    parents = max(1, n_tasks // 5)
    for p in range(parents):
        lines += [f"  - id: T{p}", f"    title: Nhiệm vụ số {p} về công tác dân vận chính quyền",
                  "    lead: [a, b]", "    objectives: [O1]", "    subtasks:"]
        for s in range(4):
            lines += [f"      - id: T{p}.{s}", f"        title: Việc {s} của nhiệm vụ {p}",
                      "        lead: [c]", "        support: [a]", f"        deadline: {forms[(p + s) % 5]}",
                      "        progress:",
                      "          - {date: 2021-03-15, percent: 20, note: Đã triển khai bước đầu}",
                      "          - {date: 2021-05-20, percent: 60, note: \"Đã hoàn thành phần lớn, còn vướng\"}"]
    return "\n".join(lines) + "\n"


PURE = {**__import__("os").environ, "KEHOACH_YAML_PARSER": "pure"}


def median_times(cases: dict[str, list[str]], runs: int) -> dict[str, float]:
    times: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(runs):
        for name, cmd in cases.items():
            start = time.perf_counter()
            proc = subprocess.run(cmd, capture_output=True, env=PURE if "pure parser" in name else None)
            times[name].append(time.perf_counter() - start)
            if proc.returncode not in (0, 1):
                raise SystemExit(f"{name} failed: {proc.stderr.decode()[-400:]}")
    return {name: statistics.median(values) for name, values in times.items()}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--tasks", default="1000,10000")
    args = ap.parse_args()
    py = sys.executable
    kehoach = [py, "-m", "kehoach"]
    plan2021 = str(ROOT / "plans" / "2021.yaml")
    with tempfile.TemporaryDirectory() as tmp:
        cases = {
            "python -c pass": [py, "-c", "pass"],
            "kehoach --help": kehoach + ["--help"],
            "check plans/2021.yaml": kehoach + ["check", plan2021],
            "status plans/2021.yaml": kehoach + ["status", "-p", plan2021, "--as-of", "2021-07-01"],
            "report Q2 md plans/2021.yaml": kehoach + ["report", "-p", plan2021, "--period", "Q2", "-o", f"{tmp}/r.md"],
        }
        for n in [int(x) for x in args.tasks.split(",") if x]:
            path = Path(tmp) / f"plan-{n}.yaml"
            path.write_text(synthetic_plan(n), encoding="utf-8")
            size = path.stat().st_size / 1e6
            cases[f"check {n} tasks ({size:.1f} MB)"] = kehoach + ["check", str(path)]
            cases[f"check {n} tasks, pure parser"] = kehoach + ["check", str(path)]
            cases[f"status {n} tasks --format json"] = kehoach + ["status", "-p", str(path), "--as-of", "2021-07-01",
                                                                   "--format", "json", "-o", f"{tmp}/s.json"]
        medians = median_times(cases, args.runs)
    base = medians["python -c pass"]
    print(f"median of {args.runs} runs, interleaved; Python {sys.version.split()[0]}\n")
    print("| command | median (s) | × python start |")
    print("|---|---:|---:|")
    for name, value in medians.items():
        print(f"| `{name}` | {value:.3f} | {value / base:.1f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
