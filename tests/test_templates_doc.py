"""docs/templates.md names every value a template receives."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from kehoach.judge.scope import report_span
from kehoach.plan.loader import load_plan
from kehoach.views.letters import build_reminders
from kehoach.views.reportview import build_checklist, build_report, context_json

ROOT = Path(__file__).resolve().parent.parent


def _keys(value, out: set[str]) -> set[str]:
    if isinstance(value, dict):
        for k, v in value.items():
            out.add(k)
            _keys(v, out)
    elif isinstance(value, list):
        for v in value:
            _keys(v, out)
    return out


def test_every_context_key_is_documented():
    plan = load_plan(ROOT / "examples" / "demo.yaml").plan
    report = build_report(plan, report_span(plan, "Q2", None, None), topic=None)
    thematic = build_report(plan, report_span(plan, "H1", None, None), topic="cai-cach-hanh-chinh")
    checklist = build_checklist(plan, dt.date(2021, 7, 1))
    letters, _ = build_reminders(plan, dt.date(2021, 7, 2))
    keys = set()
    for ctx in (report, thematic, checklist, *(ctx for _, ctx in letters)):
        _keys(context_json(ctx), keys)
    doc = (ROOT / "docs" / "templates.md").read_text(encoding="utf-8")
    documented = {word for span in re.findall(r"`([^`]+)`", doc) for word in re.findall(r"[a-z_]+", span)}
    assert keys - documented == set()
