"""The plan format's fixed words (the enums of its fields) and the few questions every part of
kehoach asks of a plan, as plain functions: they hold for a validated plan (`plan.model`) and for
the same plan kept as plain objects (`plan.plain`), and importing them imports no pydantic.

`plan.model` re-exports the enums, so `from kehoach.plan.model import Every` keeps working.
"""

from __future__ import annotations

from enum import StrEnum

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator
    from typing import Any


class Every(StrEnum):
    month = "month"
    quarter = "quarter"
    half = "half"
    year = "year"


class BodyKind(StrEnum):
    party = "party"
    state = "state"
    mass = "mass"
    group = "group"


class ProgressKind(StrEnum):
    result = "result"
    difficulty = "difficulty"
    proposal = "proposal"


class DoneRule(StrEnum):
    all = "all"
    any = "any"


class Convention(StrEnum):
    calendar = "calendar"
    nd09 = "nd09"


def convention(plan: Any) -> str:
    """The reporting period convention: `calendar` or `nd09`."""
    return str(plan.reporting.convention)


def iter_tasks(plan: Any) -> Iterator[tuple[Any, Any]]:
    """Every task and subtask, depth first, with its parent (None at the top)."""
    stack: list[tuple[Any, Any]] = [(t, None) for t in reversed(plan.tasks)]
    while stack:
        task, parent = stack.pop()
        yield task, parent
        stack.extend((s, task) for s in reversed(task.subtasks))
