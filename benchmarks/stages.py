"""Where `kehoach status --format json` spends its time on a large plan, stage by stage, in one
process with the plan cache warm (as `benchmarks/run.py`'s "cached" rows run it), beside
Taskwarrior's whole `task export` of the same number of tasks when it is installed.

    python benchmarks/generate.py plan --tasks 10000 --seed 10000 -o p10k.yaml
    python benchmarks/stages.py p10k.yaml --runs 7

Each stage is timed with `time.perf_counter` around the library call the command makes (the
cycle collector off, as the console script runs it); medians of the runs are printed. This is a
measurement of the stages, not a target: the targets are `benchmarks/run.py`'s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

ONE_RUN = r"""
import gc, json, os, sys, time
gc.disable()
t0 = time.perf_counter()
import datetime as dt
from pathlib import Path
from kehoach import api
from kehoach.base.settings import Settings, using
from kehoach.judge.scope import select
from kehoach.judge.status import compute_status
from kehoach.outputs.terminal import plan_status_text
from kehoach.views.statusview import status_rows
t1 = time.perf_counter()
day = dt.date.fromisoformat(sys.argv[2])
with using(Settings.from_env(os.environ)):
    loaded = api.load(Path(sys.argv[1]), day, [], as_of=day, plain=True)
    t2 = time.perf_counter()
    ps = compute_status(loaded.plan, day, 14)
    t3 = time.perf_counter()
    scope = select(ps.schedule, None, None)
    rows = status_rows(ps, "vi", scope, [])
    t4 = time.perf_counter()
    out = plan_status_text(ps, rows, "json", "vi", scope, None, sys.argv[1], None)
    t5 = time.perf_counter()
    with open(os.devnull, "wb") as sink:
        sink.write(out if isinstance(out, bytes) else out.encode("utf-8"))
    t6 = time.perf_counter()
print(json.dumps({"imports": t1 - t0, "read the plan (cache)": t2 - t1, "judge every task": t3 - t2,
                  "rows": t4 - t3, "JSON": t5 - t4, "write": t6 - t5}))
"""


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("plan", type=Path)
    ap.add_argument("--as-of", default="2021-07-01")
    ap.add_argument("--runs", type=int, default=7)
    args = ap.parse_args()
    import json

    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    env.pop("KEHOACH_NO_CACHE", None)
    with tempfile.TemporaryDirectory() as cache:
        env["XDG_CACHE_HOME"] = cache
        runs = []
        for k in range(args.runs + 1):  # the first fills the cache
            done = subprocess.run([sys.executable, "-c", ONE_RUN, str(args.plan), args.as_of], env=env,
                                  capture_output=True, text=True, check=True)
            if k:
                runs.append(json.loads(done.stdout))
    print(f"{args.plan} (as of {args.as_of}), medians of {args.runs} runs, {dt.date.today()}:")
    total = 0.0
    for stage in runs[0]:
        median = statistics.median(r[stage] for r in runs)
        total += median
        print(f"  {stage:<24} {median:6.3f} s")
    print(f"  {'all stages':<24} {total:6.3f} s")
    task = shutil.which("task")
    if task is not None:  # the same tasks as `benchmarks/run.py` gives Taskwarrior
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        from run import taskwarrior_data

        with tempfile.TemporaryDirectory() as folder:
            tw = taskwarrior_data(task, args.plan, Path(folder))
            times = []
            for _ in range(args.runs):
                start = time.perf_counter()
                subprocess.run([task, "export"], capture_output=True, check=True, env=tw)
                times.append(time.perf_counter() - start)
        print(f"  Taskwarrior `task export` of the same tasks, the whole command: {statistics.median(times):.3f} s")
    gc.collect()
    return 0


if __name__ == "__main__":
    sys.exit(main())
