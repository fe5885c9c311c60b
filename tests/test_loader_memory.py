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


def test_a_reading_leaves_no_parser_in_a_cycle():
    """ruamel's C loader refers to itself: left so, it and its copy of the text (9 MB on a plan of
    10,000 tasks) stay for the whole command once the collector is off. Every reading lets it go."""
    from kehoach.plan.source import _has_clib, compose, read_yaml

    text = generate.plan_text(40, seed=6)
    enabled = gc.isenabled()
    gc.disable()
    gc.collect()
    try:
        kept = [read_yaml(text, located=True), read_yaml(text, located=False), compose(text), compose(text, False),
                read_yaml(text, located=True, tree=read_yaml(text, located=False)[0].data)]
        gc.set_debug(gc.DEBUG_SAVEALL)
        gc.collect()
        left = [o for o in gc.garbage if type(o).__name__ in ("XLoader", "CParser") or
                (isinstance(o, bytes) and len(o) > len(text) // 2)]
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        if enabled:
            gc.enable()
    assert all(k is not None for k in kept)
    assert left == [], f"{len(left)} left (C parser: {_has_clib()})"
