"""Which plan a command reads: --plan, else $KEHOACH_PLAN, else the one plan in
./plans whose period covers today, else the newest there."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

_PERIOD = re.compile(r"\b(start|end):\s*['\"]?(\d{4}-\d{2}-\d{2})")


def _period(path: Path) -> tuple[dt.date, dt.date] | None:
    """The plan period, read cheaply from the text (the first start:/end: pair)."""
    from kehoach.base.files import read_head

    try:  # a FIFO or a device named *.yaml is refused here (and again, with a message, when read)
        text = read_head(path, 1_000_000).decode("utf-8", errors="replace")
    except OSError:
        return None
    found = dict((k, v) for k, v in _PERIOD.findall(text)[:2])
    try:
        return dt.date.fromisoformat(found["start"]), dt.date.fromisoformat(found["end"])
    except (KeyError, ValueError):
        return None


def find_plan(explicit: Path | None, env: str | None, cwd: Path, today: dt.date | None = None) -> Path | None:
    return choose_plan(explicit, env, cwd, today)[0]


def choose_plan(explicit: Path | None, env: str | None, cwd: Path, today: dt.date | None = None
                ) -> tuple[Path | None, list[Path]]:
    """The plan a command reads, and the plans it chose among when it had to choose (more than
    one file in ./plans: the command then says which one it used)."""
    if explicit is not None:
        return explicit, []
    if env:
        return Path(env), []
    folder = cwd / "plans"
    candidates = sorted(folder.glob("*.yaml")) + sorted(folder.glob("*.yml")) if folder.is_dir() else []
    if not candidates:
        return None, []
    today = today or dt.date.today()  # the command line passes its clock; this default serves library callers
    dated = [(p, _period(p)) for p in candidates]
    plans = [p for p, span in dated if span is not None]  # body catalogues and other files have no period
    others = plans if len(plans) > 1 else []
    covering = [p for p, span in dated if span and span[0] <= today <= span[1]]
    if len(covering) == 1:
        return covering[0], others
    pool = covering or candidates
    return max(pool, key=lambda p: ((_period(p) or (dt.date.min, dt.date.min))[0], p.name)), others
