"""`kehoach log` judges one more entry from the top-level task it changes (`plan.incremental`):
the same answer, to the byte, as reading and checking the whole plan again (the path it falls
back to, forced here by turning the small reading off)."""

from __future__ import annotations

import datetime as dt
import random
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from tests.plans_for_tests import generator

from kehoach.base.errors import KehoachError
from kehoach.life import log
from kehoach.plan import incremental
from kehoach.plan.loader import LoadedPlan, load_text

ROOT = Path(__file__).resolve().parent.parent
PLAN_2021 = (ROOT / "plans" / "2021.yaml").read_text(encoding="utf-8")
NAME = "plan.yaml"


def said(state: LoadedPlan) -> list[tuple[Any, ...]]:
    """The plan's diagnostics as a user reads them: where, what, about which value."""
    return [(d.file, d.line, d.col, d.code, d.severity, d.loc, d.message("en")) for d in state.diagnostics]


def outcome_of(exc: KehoachError) -> tuple[Any, ...]:
    return (type(exc).__name__, exc.code, exc.message("en"), exc.hint("en"),
            [(d.line, d.col, d.code, d.severity, d.loc, d.message("en")) for d in exc.diagnostics])


class Counted:
    """How many entries the small reading answered (the rest went to the whole one)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.small = 0
        real = incremental.Prepared.apply

        def apply(part: incremental.Prepared, *args: Any) -> Any:
            done = real(part, *args)
            self.small += done is not None
            return done

        monkeypatch.setattr(incremental.Prepared, "apply", apply)


def chain(text: str, items: list[tuple[str, dict[str, Any]]], small: bool,
          monkeypatch: pytest.MonkeyPatch, name: str = NAME) -> list[tuple[Any, ...]]:
    """Each entry recorded in turn on the plan the ones before it made (as `collect` does): what
    came of it. With the small reading, each new state is also checked against a fresh load."""
    with monkeypatch.context() as m:
        if not small:
            m.setattr(incremental, "prepare", lambda *args: None)
        state = load_text(text, name, workdays=False)
        assert state.ok, said(state)
        out: list[tuple[Any, ...]] = []
        for task_id, entry in items:
            try:
                text, state, done = log._append_one(text, state, Path(name), task_id, dict(entry))
            except KehoachError as exc:  # a LogError or a usage error: each is compared
                out.append(("refused", *outcome_of(exc)))
                continue
            out.append(("written", text, done.inserted_at, done.lines, done.entry, said(state)))
            if small:
                fresh = load_text(text, name, workdays=False)
                assert state.plan is not None and fresh.plan is not None
                assert state.plan.model_dump() == fresh.plan.model_dump()
                assert said(state) == said(fresh)
                assert state.document is not None and fresh.document is not None
                assert state.document.data == fresh.document.data
        return out


def same_answers(text: str, items: list[tuple[str, dict[str, Any]]], monkeypatch: pytest.MonkeyPatch,
                 name: str = NAME) -> int:
    """Asserts both readings answer alike; how many entries the small one answered."""
    counted = Counted(monkeypatch)
    small = chain(text, items, True, monkeypatch, name)
    whole = chain(text, items, False, monkeypatch, name)
    assert len(small) == len(whole)
    for i, (a, b) in enumerate(zip(small, whole, strict=True)):
        assert a == b, (i, items[i])
    return counted.small


# ---------------------------------------------------------------- random entries

NOTES = ["x", "Đã tổ chức 2 buổi đối thoại", unicodedata.normalize("NFD", "Cộng đồng"), "a\u200bb", "…",
         'trích "nguyên văn" # và dấu thăng', "a: b", "yes", "2021-03-01", "  ", "- gạch đầu dòng"]


def leaves(text: str, name: str = NAME) -> list[dict[str, Any]]:
    from kehoach.plan import checks

    state = load_text(text, name, workdays=False)
    assert state.document is not None
    return [t for _, t in checks.iter_raw_tasks(state.document.data) if not t.get("subtasks")]


def bodies(text: str, name: str = NAME) -> list[str]:
    state = load_text(text, name, workdays=False)
    assert state.plan is not None
    return [b.id for b in state.plan.bodies]


def random_entries(text: str, rng: random.Random, n: int, name: str = NAME) -> list[tuple[str, dict[str, Any]]]:
    """Entries of every sort: valid ones, a falling percent, a second 100 %, an unknown body or
    a supporter's percent, occurrences (right, wrong, left out), dates outside the period, notes
    unprintable or not in NFC, on tasks with and without progress yet."""
    tasks = leaves(text, name)
    known = bodies(text, name)
    out = []
    for _ in range(n):
        task = rng.choice(tasks)
        entry: dict[str, Any] = {"note": rng.choice(NOTES) if rng.random() < 0.3 else f"ghi {rng.randrange(999)}"}
        entry["date"] = rng.choice([dt.date(2021, 1, 1) + dt.timedelta(days=rng.randrange(365)),
                                    dt.date(2021, 1, 1) + dt.timedelta(days=rng.randrange(365)),
                                    dt.date(2022, 1, 10), dt.date(2022, 3, 1), dt.date(2020, 12, 31)])
        entry["percent"] = rng.choice([None, 100, 0, 50, rng.randrange(101), rng.randrange(101), 101])
        roll = rng.random()
        lead = task.get("lead") or []
        support = task.get("support") or []
        if roll < 0.35:
            entry["joint"] = True
        elif roll < 0.6 and lead:
            entry["body"] = rng.choice(lead)
        elif roll < 0.75 and support:
            entry["body"] = rng.choice(support)
        elif roll < 0.85:
            entry["body"] = rng.choice(known + ["khong-co-co-quan"])
        if rng.random() < 0.25:
            entry["occurrence"] = rng.choice(["2021-Q1", "2021-Q2", "2021-H1", "2021-H2", "2021-M03", "2021-Q9",
                                              "2021"])
        if rng.random() < 0.15:
            entry["kind"] = rng.choice(["difficulty", "proposal"])
        if rng.random() < 0.1:
            entry["by"] = rng.choice(["Phòng 1", "x\u202ey"])
        if rng.random() < 0.05:
            entry["evidence"] = "Báo cáo 45/BC-SNV"
        out.append((str(task.get("id")) if rng.random() > 0.03 else "khong-co", entry))
    return out


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(6))
def test_generated_plans(seed, monkeypatch):
    text = generator().plan_text(40, seed=seed, descriptions=seed % 2 == 1)
    rng = random.Random(seed)
    small = same_answers(text, random_entries(text, rng, 40), monkeypatch)
    assert small >= 10  # the small reading is the one that answers a plain plan


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(3))
def test_the_shipped_plan(seed, monkeypatch):
    rng = random.Random(100 + seed)
    small = same_answers(PLAN_2021, random_entries(PLAN_2021, rng, 30), monkeypatch)
    assert small >= 5


@pytest.mark.slow  # about a second
def test_the_shipped_plan_a_few_entries(monkeypatch):
    items = [("II.5.b", {"date": dt.date(2021, 5, 10), "percent": 40, "note": "một", "body": "so-noi-vu"}),
             ("II.6.b", {"date": dt.date(2021, 5, 10), "percent": 50, "note": "a", "joint": True}),
             ("II.6.b", {"date": dt.date(2021, 5, 11), "percent": 30, "note": "b", "joint": True}),  # falls
             ("II.6.b", {"date": dt.date(2021, 6, 1), "percent": 100, "note": "c", "joint": True}),
             ("II.6.b", {"date": dt.date(2021, 6, 2), "percent": 100, "note": "d", "joint": True}),  # again
             ("II.5.b", {"date": dt.date(2022, 5, 1), "percent": 5, "note": "x", "joint": True}),  # outside
             ("II.5.b", {"date": dt.date(2021, 7, 1), "note": "x\u200b", "joint": True}),  # unprintable
             ("II.5.b", {"date": dt.date(2021, 7, 2), "note": "…", "joint": True})]  # left to fill in
    assert same_answers(PLAN_2021, items, monkeypatch) == 7  # all but the second 100 %, refused before


# ---------------------------------------------------------------- layouts

HEAD = """\
# kế hoạch thử
plan:
  id: p
  title: Kế hoạch thử
  issuers: [a]
  period: {start: 2021-01-01, end: 2021-12-31}
bodies:
  - {id: a, name: Ban A, kind: party}
  - {id: b, name: Ban B, kind: state}
  - {id: c, name: Sở C, kind: state}
"""

TASKS = """\
tasks:
  - id: t1
    title: Việc một
    lead: [a]
    support: [c]
    deadline: 2021-06-30
    # a comment inside the task
    progress:
      - date: 2021-02-01
        percent: 10
        note: đầu
      # another, after its last entry

  - id: t2
    title: "Việc hai, \\"đủ dài\\" để
      xuống dòng"
    lead: [a, b]
    deadline: {every: quarter}
    progress: []
  - id: t3
    title: Việc ba
    lead: [b]
    deadline: 2021-09-30
    subtasks:
      - id: t3.1
        title: Việc ba một
        deadline: 2021-08-31
        description: |
          - không phải một mục
          tasks:
      - id: t3.2
        title: Việc ba hai
        lead: [c]
        deadline: {every: month}
        progress: [{date: 2021-03-05, percent: 100, note: xong tháng 3, occurrence: 2021-M03}]
  - id: t4
    title: Việc bốn
    lead: [c]
    deadline: {continuous: true, review: quarter}
    progress:
    - {date: 2021-03-01, note: thường xuyên}
# a comment at the top level, between tasks
  - id: t5
    title: Việc năm, không có tiến độ
    lead: [a]
    deadline: 2021-12-31
meetings:
  - {id: m, name: Họp, when: 2021-H1, task: t1}
"""


def layout_items() -> list[tuple[str, dict[str, Any]]]:
    day = dt.date(2021, 7, 1)
    return [
        ("t1", {"date": day, "percent": 40, "note": "tiếp"}),
        ("t1", {"date": day, "percent": 20, "note": "giảm"}),
        ("t1", {"date": day, "percent": 60, "note": "hỗ trợ", "body": "c"}),
        ("t2", {"date": day, "percent": 30, "note": "quý", "body": "a", "occurrence": "2021-Q2"}),
        ("t2", {"date": day, "percent": 30, "note": "chung", "joint": True}),
        ("t2", {"date": day, "percent": 30, "note": "không rõ ai"}),
        ("t3.1", {"date": day, "percent": 50, "note": "nửa"}),
        ("t3.2", {"date": day, "percent": 100, "note": "tháng 7", "occurrence": "2021-M07"}),
        ("t4", {"date": day, "note": "quý 3"}),
        ("t4", {"date": day, "percent": 100, "note": "xong"}),
        ("t5", {"date": day, "percent": 10, "note": "mở"}),
        ("t5", {"date": dt.date(2022, 2, 1), "percent": 100, "note": "muộn quá"}),
        ("t5", {"date": dt.date(2022, 1, 5), "percent": 100, "note": "muộn"}),
        ("t3", {"date": day, "percent": 10, "note": "cha"}),
    ]


def variants() -> dict[str, str]:
    plain = HEAD + TASKS
    at_key = "".join(line[2:] if line.startswith("  ") else line for line in TASKS.splitlines(keepends=True))
    return {
        "plain": plain,
        "crlf": plain.replace("\n", "\r\n"),
        "a byte order mark": "\ufeff" + plain,
        "tasks before bodies": (HEAD.split("bodies:")[0]
                                + TASKS.split("meetings:")[0].replace("tasks:", "tasks:  # việc") + "bodies:"
                                + HEAD.split("bodies:")[1] + "meetings:" + TASKS.split("meetings:")[1]),
        "no final newline": (HEAD + TASKS.split("meetings:")[0]).rstrip("\n"),
        "tasks' dashes at the key's column": HEAD + at_key,
        "dashes at the key's column": HEAD.replace("\n  - {", "\n- {") + at_key,
        "a warning elsewhere": plain.replace("Việc năm", unicodedata.normalize("NFD", "Việc năm")),
        "a draft": plain.replace("  id: p\n", "  id: p\n  draft: true\n"),
        "an anchor": plain.replace("lead: [c]\n    deadline: {continuous", "lead: &c [c]\n    deadline: {continuous"),
        "a flow task": plain.replace("  - id: t5\n    title: Việc năm, không có tiến độ\n    lead: [a]\n"
                                     "    deadline: 2021-12-31\n",
                                     "  - {id: t5, title: Việc năm, lead: [a], deadline: 2021-12-31}\n"),
        "tasks in flow": HEAD + "tasks: [{id: t5, title: Việc năm, lead: [a], deadline: 2021-12-31}]\n",
    }


@pytest.mark.parametrize("name", list(variants()))
def test_layouts(name, monkeypatch):
    text = variants()[name]
    assert load_text(text, NAME, workdays=False).ok, name
    items = [(i, e) for i, e in layout_items() if name != "tasks in flow" or i == "t5"]
    small = same_answers(text, items, monkeypatch)
    if name in ("plain", "crlf", "a byte order mark", "no final newline", "a warning elsewhere", "tasks before bodies",
                "dashes at the key's column",
                "tasks' dashes at the key's column"):
        assert small >= 6
    if name in ("a draft", "tasks in flow"):
        assert small == 0


@pytest.mark.parametrize("name", ["plain", "crlf", "a warning elsewhere"])
def test_random_entries_on_layouts(name, monkeypatch):
    text = variants()[name]
    same_answers(text, random_entries(text, random.Random(7), 25), monkeypatch)


def test_a_batch_writes_the_same_bytes(tmp_path, monkeypatch):
    """`collect`'s batch, through the file: the same entries written, refused and saved."""
    path = tmp_path / "plan.yaml"
    text = variants()["crlf"]
    items = [(i, e) for i, e in layout_items() if e["note"] != "không rõ ai"]  # a usage error stops a batch

    def batch(small: bool) -> tuple[Any, ...]:
        path.write_bytes(text.encode("utf-8"))
        with monkeypatch.context() as m:
            if not small:
                m.setattr(incremental, "prepare", lambda *args: None)
            result = log.append_entries(path, items, partial=True)
        return (path.read_bytes(), result.accepted, result.saved,
                [(i, outcome_of(e)) for i, e in result.refused],
                [(w.task_id, w.entry, w.inserted_at, w.lines) for w in result.written])

    counted = Counted(monkeypatch)
    assert batch(True) == batch(False)
    assert counted.small >= 6


def test_a_mutated_plan_falls_back_where_the_scan_cannot_see(monkeypatch):
    """A quoted title whose next line looks like a list item: the lines of `tasks:` cannot be told
    apart by their indentation, and the whole reading answers, alike."""
    text = (HEAD + TASKS).replace('"Việc hai, \\"đủ dài\\" để\n      xuống dòng"',
                                  '"Việc hai, \\"đủ dài\\" để\n  - xuống dòng"')
    assert load_text(text, NAME, workdays=False).ok
    assert same_answers(text, layout_items(), monkeypatch) == 0


@pytest.mark.parametrize("name", ["plain", "a warning elsewhere"])
def test_without_the_accelerators(name, monkeypatch):
    """The first reading by ruamel alone (no yaml-rs): the same answers, and the small reading
    still answers."""
    from kehoach.base import settings

    monkeypatch.setattr(settings, "_current", settings.Settings(accel=False))
    assert same_answers(variants()[name], layout_items(), monkeypatch) >= 6


def test_a_kind_of_warning_past_its_cap(monkeypatch):
    """A plan with as many warnings of one kind as a file shows (`diagnostics.PER_CODE`): one
    more is counted, not shown, by the whole reading, which then answers."""
    from kehoach.base.diagnostics import PER_CODE

    blank = "".join(f"  - id: b{i}\n    title: …\n    lead: [a]\n    deadline: 2021-06-30\n" for i in range(PER_CODE))
    text = HEAD + TASKS.replace("meetings:", blank.rstrip("\n") + "\nmeetings:", 1)
    state = load_text(text, NAME, workdays=False)
    assert state.ok and sum(d.code == "to-fill" for d in state.diagnostics) == PER_CODE
    items = [("t1", {"date": dt.date(2021, 7, 1), "percent": 40, "note": "…"}),
             ("t1", {"date": dt.date(2021, 7, 1), "percent": 40, "note": "tiếp"})]
    assert same_answers(text, items, monkeypatch) == 1  # the second only


def test_plans_with_a_shared_catalogue(tmp_path, monkeypatch):
    """Plans whose bodies come from a catalogue (`bodies_from`), as `collect` finds them in a
    folder: the entry's body known from the catalogue, or not; a warning in the catalogue."""
    paths = generator().make_folder(tmp_path, 1, 12, seed=3)
    monkeypatch.chdir(tmp_path)
    for path in paths:
        text = path.read_text(encoding="utf-8")
        small = same_answers(text, random_entries(text, random.Random(3), 15, path.name), monkeypatch, path.name)
        assert small >= 3
    catalogue = tmp_path / "bodies" / "tinh.yaml"
    catalogue.write_text(catalogue.read_text(encoding="utf-8").replace("Ban Dân vận", "Ban Da\u0302n vận", 1),
                         encoding="utf-8")  # not NFC: a warning of the catalogue's own
    text = paths[0].read_text(encoding="utf-8")
    assert any(d.file != paths[0].name for d in load_text(text, paths[0].name).diagnostics)
    items = random_entries(text, random.Random(4), 8, paths[0].name)
    assert same_answers(text, items, monkeypatch, paths[0].name) >= 2
