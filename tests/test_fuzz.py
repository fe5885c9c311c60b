"""No input whatsoever gives a Python traceback: damaged copies of the real plans.

A fixed seed makes every run the same; each case mutates the plan text a few
times (cut, duplicate, insert odd characters, swap lines) and loads it. The
loader must return diagnostics, never raise, and every diagnostic must point
inside the file.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from kehoach.judge.status import compute_status
from kehoach.plan.loader import load_text

ROOT = Path(__file__).resolve().parent.parent
TEXTS = {name: (ROOT / name).read_text(encoding="utf-8") for name in ("plans/2021.yaml", "examples/demo.yaml")}
ODD = ["\t", ":", "- ", "{", "}", "[", "]", "&a ", "*a", "!!str ", "'", '"', "#", "\x00", "\ufeff", "2021-13-45",
       "-1", "1e9", "null", "~", "|", ">", "\r\n", "Qu¶ng", "Nguye\u0302\u0303n", "  ", "\n"]


def mutate(text: str, rng: random.Random) -> str:
    for _ in range(rng.randint(1, 4)):
        i = rng.randrange(len(text))
        j = min(len(text), i + rng.randint(1, 80))
        choice = rng.random()
        if choice < 0.3:
            text = text[:i] + text[j:]
        elif choice < 0.6:
            text = text[:i] + rng.choice(ODD) + text[i:]
        elif choice < 0.8:
            text = text[:i] + text[i:j] + text[i:]
        else:
            lines = text.splitlines(keepends=True)
            a, b = rng.randrange(len(lines)), rng.randrange(len(lines))
            lines[a], lines[b] = lines[b], lines[a]
            text = "".join(lines)
    return text


@pytest.mark.parametrize("seed", range(150))
def test_damaged_plans_give_diagnostics_not_exceptions(seed):
    rng = random.Random(seed)
    name = rng.choice(sorted(TEXTS))
    text = mutate(TEXTS[name], rng)
    loaded = load_text(text, name)
    lines = text.count("\n") + 1
    for d in loaded.diagnostics:
        assert 1 <= d.line <= lines + 1, (d.code, d.line)
        d.message("vi"), d.message("en"), d.hint("vi")  # every message renders
    if loaded.ok:  # still valid: the status engine copes too
        import datetime as dt

        compute_status(loaded.plan, dt.date(2021, 7, 1))
