"""`kehoach status --format json` written fast: orjson (the `fast` extra) and the row-by-row
writer without it give the very bytes `json_text(to_json(...))` gives, on generated plans, the
shipped plan, the demo plan with its progress, hostile text, every status, every filter and
grouping, in both languages."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path

import pytest

from kehoach.base import settings
from kehoach.base.text import (
    _UNPRINTABLE,
    UNPRINTABLE_UTF8,
    fast_json_bytes,
    fast_json_items,
    json_escaped,
    json_escaped_utf8,
    json_text,
)
from kehoach.judge.scope import select
from kehoach.judge.status import STATUS_CODES, compute_status
from kehoach.plan.loader import load_text
from kehoach.views.statusview import (
    group_rows,
    json_chunks,
    json_pieces,
    status_json_bytes,
    status_json_text,
    status_rows,
    to_json,
)
from plans_for_tests import demo_until, generator, plan_yaml, task_yaml

ROOT = Path(__file__).resolve().parent.parent
DAYS = ["2021-01-15", "2021-04-01", "2021-07-01", "2021-10-20", "2022-01-10"]

# what a plan's words may hold that must never reach a terminal raw, and what must pass unchanged
HOSTILE = [
    "C0 \x00\x01\x07\x08\t\n\x0b\x0c\r\x1b[31m\x1f end",
    "DEL \x7f C1 \x80\x85\x9b2J\x9f",
    "bidi \u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069 marks",
    "zero width \u200b\u200c\u200d\u2060 and a BOM \ufeff inside",
    "lines \u2028 and paragraphs \u2029",
    "lone surrogates \ud800 \udfff \udc00\ud83d",
    "non-BMP \U0001f600 \U00020000 tag \U000e0041\U000e007f",
    'quotes " \\ / and Vietnamese: Sở Nội vụ, Đồng Hới, ngày 31/12/2021',
    "",
]


def _plan(text: str, name: str):
    return load_text(text, name, workdays=False).plan


@pytest.fixture(scope="module")
def plans():
    gen = generator()
    out = [("plans/2021.yaml", _plan((ROOT / "plans" / "2021.yaml").read_text(encoding="utf-8"), "2021.yaml"))]
    for seed in (1, 7):
        out.append((f"gen-{seed}.yaml", _plan(gen.plan_text(40, seed=seed, descriptions=seed == 7), "gen.yaml")))
    out.append(("demo.yaml", _plan(demo_until("2021-12-31"), "demo.yaml")))
    out.append(("kinds.yaml", _plan(plan_yaml(
        task_yaml("late", deadline="2021-03-31", progress=[("2021-02-01", 40), ("2021-05-02", 100)]),
        task_yaml("paused", deadline="2021-06-30", suspended=True, progress=[("2021-02-01", 30)]),
        task_yaml("both", deadline="2021-09-30", lead="a, b", progress=[("2021-03-01", 60)]),
        task_yaml("parent", subtasks=[task_yaml("p1", deadline="2021-04-30"),
                                      task_yaml("p2", deadline="2021-12-31", progress=[("2021-01-10", 100)])]),
        bodies="  - {id: a, name: Ban A, kind: party}\n  - {id: b, name: Sở B, kind: state}\n"), "kinds.yaml")))
    return out


def _all_texts(ps, rows, lang, path, scope, groups):
    """The JSON by json_text(to_json(...)), by the row-by-row writer and by status_json_text."""
    want = json_text(to_json(ps, rows, lang, path, scope, groups))
    pieces = list(json_pieces(ps, rows, lang, path, scope, groups))
    return want, "".join(pieces), status_json_text(ps, rows, lang, path, scope, groups)


def _same(ps, rows, lang, path, scope=None, groups=None) -> str:
    want, pieces, chosen = _all_texts(ps, rows, lang, path, scope, groups)
    assert pieces == want
    assert chosen == want
    assert status_json_bytes(ps, rows, lang, path, scope, groups) == want.encode("utf-8")
    assert b"".join(json_chunks(ps, rows, lang, path, scope, groups)) == want.encode("utf-8")
    fast = fast_json_bytes(to_json(ps, rows, lang, path, scope, groups))
    if fast is not None:
        assert fast == want.encode("utf-8")
    return want


def test_every_status_both_languages_every_day(plans):
    seen: set[str] = set()
    for path, plan in plans:
        for day in DAYS:
            ps = compute_status(plan, dt.date.fromisoformat(day), 14)
            for lang in ("vi", "en"):
                rows = status_rows(ps, lang)
                out = _same(ps, rows, lang, path)
                seen.update(t["status"] for t in json.loads(out)["tasks"])
    assert seen == set(STATUS_CODES)


@pytest.mark.slow  # about half a second or more here: CI runs it (.ci/run)
def test_filters_and_groups(plans):
    for path, plan in plans:
        ps = compute_status(plan, dt.date(2021, 7, 1), 14)
        bodies = [b.id for b in plan.bodies][:3]
        for lang in ("vi", "en"):
            for body in [None, *bodies]:
                scope = select(ps.schedule, None, body)
                for statuses in ([], ["overdue"], ["done_on_time", "in_progress"], ["suspended"]):
                    rows = status_rows(ps, lang, scope, statuses)
                    _same(ps, rows, lang, path, scope)
                    for by in ("status", "body", "objective"):
                        _same(ps, rows, lang, path, scope, group_rows(ps, rows, by, lang))


def test_no_rows_and_no_groups(plans):
    path, plan = plans[0]
    ps = compute_status(plan, dt.date(2021, 7, 1), 14)
    out = _same(ps, [], "vi", path, None, [])
    assert json.loads(out)["tasks"] == [] and json.loads(out)["groups"] == []
    _same(ps, [], "en", None, None, None)


def test_hostile_text_is_escaped_the_same_way(plans):
    """Whatever a plan's words hold (controls, reordering marks, lone surrogates, characters beyond
    the first plane), every writer escapes it alike, and a reader gets the words back unchanged."""
    path, plan = plans[1]
    ps = compute_status(plan, dt.date(2021, 7, 1), 14)
    rows = status_rows(ps, "vi")
    for i, word in enumerate(HOSTILE):
        hostile = []
        for k, r in enumerate(rows):
            for s in r.ts.leads:
                s.body = word + s.body
            for o in r.ts.occurrences:
                o.code = word + o.code
            hostile.append(dataclasses.replace(
                r, id=f"{word}{r.id}", title=word + r.title, deadline=word, status_label=word + r.status_label,
                last_note=word if k % 2 else None, lead=[word, *r.lead], support=[*r.support, word]))
        groups = group_rows(ps, hostile, "status", "vi")
        for g in groups:
            g.title = word + g.title
        out = _same(ps, hostile, "vi", f"{word}/{i}.yaml", None, groups)
        assert not any(ch in out for ch in "\x00\x1b\x7f\x85\x9b\u061c\u202e\u2066\ufeff\ud800\U000e0041")
        data = json.loads(out)
        assert data["plan"]["file"] == f"{word}/{i}.yaml"
        assert data["tasks"][0]["title"] == word + rows[0].title
        assert data["tasks"][1]["last_note"] == word
        assert data["groups"][0]["title"].startswith(word)


def test_orjson_writes_it_when_installed(plans):
    """With orjson installed and the accelerators on, orjson is the writer (the same bytes); with
    `KEHOACH_NO_ACCEL=1` it is never used."""
    pytest.importorskip("orjson")
    path, plan = plans[0]
    ps = compute_status(plan, dt.date(2021, 7, 1), 14)
    rows = status_rows(ps, "vi")
    data = to_json(ps, rows, "vi", path)
    assert fast_json_bytes(data) == json_text(data).encode("utf-8")
    assert fast_json_bytes({"text": "\ud800"}) is None  # orjson refuses lone surrogates: json writes them
    assert fast_json_bytes({"when": dt.date(2021, 1, 1)}) is None  # json.dumps refuses a date: so it stays
    chunks = list(json_chunks(ps, rows, "vi", path))
    assert fast_json_items(data["tasks"][:3], 2) is not None  # the rows are orjson's to write
    assert b"".join(chunks) == json_text(data).encode("utf-8")
    with settings.using(settings.Settings(accel=False)):
        assert fast_json_bytes(data) is None and fast_json_items(data["tasks"], 2) is None
        assert status_json_text(ps, rows, "vi", path) == json_text(data)
        assert status_json_bytes(ps, rows, "vi", path) == json_text(data).encode("utf-8")


def test_without_orjson(plans, monkeypatch):
    """Without the accelerators the row-by-row writer gives the same text."""
    monkeypatch.setattr(settings, "_current", settings.Settings(accel=False))
    path, plan = plans[2]
    for day in DAYS:
        ps = compute_status(plan, dt.date.fromisoformat(day), 14)
        for lang in ("vi", "en"):
            rows = status_rows(ps, lang)
            groups = group_rows(ps, rows, "body", lang)
            assert status_json_text(ps, rows, lang, path, None, groups) == json_text(
                to_json(ps, rows, lang, path, None, groups))


def test_bodies_of_the_shipped_plan_each(plans):
    """A scope of each body of the shipped plan (groups expanded to their members)."""
    path, plan = plans[0]
    ps = compute_status(plan, dt.date(2021, 10, 1), 14)
    for bid in [b.id for b in plan.bodies]:
        scope = select(ps.schedule, None, bid)
        _same(ps, status_rows(ps, "en", scope), "en", path, scope)


def test_the_utf8_escape_pass_is_the_text_one_for_every_character():
    """Escaping the UTF-8 bytes (orjson's output) takes out exactly the characters the text pass
    takes out, each whole, and writes the same escape: checked over every character UTF-8 can hold."""
    import re

    every = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF)
    by_text = {m.group() for m in _UNPRINTABLE.finditer(every)}
    by_bytes = [m.group() for m in re.finditer(UNPRINTABLE_UTF8, every.encode("utf-8"))]
    assert {b.decode("utf-8") for b in by_bytes} == by_text
    assert len(by_bytes) == len(by_text)
    sample = "a\x7fb\u202ec\U000e0041d\x85é\u2028\U0001f600" + "".join(sorted(by_text))
    assert json_escaped_utf8(sample.encode("utf-8")) == json_escaped(sample).encode("utf-8")
    assert b"\\u007f" in json_escaped_utf8(sample.encode("utf-8"))


@pytest.mark.parametrize("indent", [0, 2, 4, 6])
def test_array_items_as_json_writes_them_inside_the_array(indent):
    """orjson's items of an array, shifted to where the array stands, are json.dumps's own."""
    pytest.importorskip("orjson")
    import json

    from kehoach.base.text import json_escaped

    for items in ([], [1], ["a", None, True], [{"k": [1, {"x": []}], "e": {}}, "Sở \x7f\u202e"], [[[]]]):
        inner = {"wrap": [{"items": items}]}
        want = json.dumps(items, ensure_ascii=False, indent=2)
        nested = json.dumps(inner, ensure_ascii=False, indent=2)  # the array 6 spaces in
        got = fast_json_items(list(items), indent)
        assert got is not None
        if not items:
            assert got == b""
            continue
        shifted = want[1:-2].replace("\n", "\n" + " " * indent)
        assert got == json_escaped(shifted).encode("utf-8")
        if indent == 6:
            assert json_escaped(nested).encode("utf-8").count(got) == 1
