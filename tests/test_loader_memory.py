"""What reading a plan leaves behind. The command line runs with the cycle collector off (it would
walk every object of a large plan again and again), so whatever reading a plan makes in a cycle
stays in memory for the whole command: reading leaves none of the schedule it checked with."""

from __future__ import annotations

import gc
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

import generate  # noqa: E402

from kehoach.plan.loader import load_text  # noqa: E402
from kehoach.plan.schedule import Node, build_schedule  # noqa: E402


def _garbage_nodes(make) -> int:
    enabled = gc.isenabled()
    gc.disable()
    gc.collect()
    try:
        kept = make()
        gc.set_debug(gc.DEBUG_SAVEALL)
        gc.collect()
        found = sum(isinstance(o, Node) for o in gc.garbage)
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        if enabled:
            gc.enable()
    assert kept is not None
    return found


def test_reading_a_plan_leaves_no_schedule_in_a_cycle():
    text = generate.plan_text(200, seed=4)  # with progress: the roles are checked on a schedule
    assert _garbage_nodes(lambda: load_text(text, "plan.yaml", workdays=True)) == 0


def test_a_released_schedule_is_freed_without_the_cycle_collector():
    plan = load_text(generate.plan_text(80, seed=5), "plan.yaml").plan

    def made() -> object:
        schedule = build_schedule(plan)
        assert len(schedule.nodes) == 80 and any(n.children for n in schedule.nodes)
        schedule.release()
        return plan

    assert _garbage_nodes(made) == 0
