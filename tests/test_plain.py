"""A plan kept as plain objects (kehoach.plan.plain) judges as the validated plan does: the same
status, the same JSON, table and Markdown, on the shipped plans and generated ones; a plan read
back from the cache that way needs neither pydantic nor the YAML parser; the enums and the
plan's questions (kehoach.plan.kinds) are the models' own."""

from __future__ import annotations

import datetime as dt
import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from kehoach.base import settings
from kehoach.judge.scope import select
from kehoach.judge.status import compute_status
from kehoach.outputs.terminal import plan_status_text
from kehoach.plan import cache, kinds, model, plain
from kehoach.plan.loader import LoadedPlan, load_plan, load_text
from kehoach.views.statusview import headline, status_rows
from plans_for_tests import generator

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = [ROOT / "plans" / "2021.yaml", ROOT / "examples" / "demo.yaml"]
HEAVY = ("pydantic", "ruamel", "typer", "rich", "jinja2")


@pytest.fixture
def cached(tmp_path, monkeypatch):
    """The cache on, in a folder of the test's own, as the command line turns it on."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("KEHOACH_NO_CACHE", raising=False)
    monkeypatch.setattr(settings, "_current", settings.Settings.from_env(os.environ))
    return tmp_path


def entries(tmp_path: Path, kind: str | None = None) -> list[Path]:
    """The cache's entries; of one kind: `0` the loader's, `p0` the plain plan's."""
    return sorted(p for p in (tmp_path / "cache" / "kehoach").rglob("*.pickle")
                  if kind is None or p.name.split("-")[1] == kind)


def shown(plan, as_of: dt.date, lang: str, body: str | None = None, by: str | None = None,
          closed: bool = False) -> dict[str, str]:
    """Everything `kehoach status` shows of a plan at a date, in each format."""
    ps = compute_status(plan, as_of, 14, closed=closed)
    scope = select(ps.schedule, None, body)
    rows = status_rows(ps, lang, scope, [])
    out = {fmt: plan_status_text(ps, rows, fmt, lang, scope, by, "plan.yaml") for fmt in ("json", "markdown",
                                                                                        "table")}
    out["headline"] = "\n".join(headline(ps, lang, scope))
    out["completion"] = repr((ps.completion(scope), ps.counts(), [ts.percent for ts in ps.walk()]))
    return out


def plain_from_cache(path: Path, workdays: bool = False) -> plain.LoadedPlain:
    """The plan as the plain cache serves it: written on the first read, read back on the second."""
    plain.load_plan(path, workdays)
    again = plain.load_plan(path, workdays)
    assert isinstance(again, plain.LoadedPlain)
    return again


CASES = [pytest.param(path.name, path.read_text(encoding="utf-8"), id=path.name) for path in SHIPPED] + [
    pytest.param(f"generated-{n}-{seed}", generator().plan_text(n, seed=seed), id=f"generated-{n}-{seed}",
                 marks=[pytest.mark.slow] if n > 100 else []) for n, seed in ((40, 1), (80, 7), (150, 21))]


@pytest.mark.parametrize(("name", "text"), CASES)
def test_a_plan_from_the_plain_cache_shows_what_a_fresh_reading_shows(cached, name, text):
    path = cached / "plan.yaml"
    path.write_text(text, encoding="utf-8")
    fresh = load_text(text, str(path), workdays=False)
    assert fresh.ok and fresh.plan is not None
    kept = plain_from_cache(path)
    assert entries(cached, "p0"), "the second reading came from the plain entry"
    assert type(kept.plan) is plain.Plan and type(kept.plan.tasks[0]) is plain.Task
    assert kept.text == text and kept.path == str(path) and kept.ok
    assert kept.diagnostics == fresh.diagnostics and kept.catalogues == fresh.catalogues
    start = fresh.plan.plan.period.start
    days = [start - dt.timedelta(days=3), dt.date(start.year, 7, 1), dt.date(start.year + 1, 2, 1)]
    for day, lang in zip(days + days, ["vi"] * 3 + ["en"] * 3, strict=True):
        assert shown(kept.plan, day, lang) == shown(fresh.plan, day, lang), (day, lang)
    body = kept.plan.tasks[0].lead[0] if kept.plan.tasks[0].lead else kept.plan.bodies[0].id
    for by in ("body", "status", "objective"):
        assert shown(kept.plan, days[1], "vi", body, by) == shown(fresh.plan, days[1], "vi", body, by)
    end = fresh.plan.plan.period.end
    assert shown(kept.plan, end, "en", closed=True) == shown(fresh.plan, end, "en", closed=True)


def test_every_field_of_every_model_is_a_field_of_its_plain_class():
    models = {name: cls for name, cls in vars(model).items()
              if isinstance(cls, type) and issubclass(cls, model.StrictModel) and name in plain.CLASSES}
    assert set(models) == set(plain.CLASSES)
    for name, cls in models.items():
        assert (*cls.model_fields, *plain.CLASSES[name].derived) == plain.CLASSES[name].__slots__, name
        assert all(isinstance(getattr(cls, d, None), property) for d in plain.CLASSES[name].derived), name
    # the models a validated plan holds are all there (the deadline forms become typed deadlines)
    held = {"Plan", "PlanInfo", "Period", "Section", "Body", "Reference", "Objective", "Task", "Progress",
            "CarriedOver", "Reporting", "Cadence", "Topic", "Recipient", "Meeting", "Signer", "Holiday"}
    assert held == set(plain.CLASSES)


def test_the_plain_plan_holds_the_same_values_and_the_models_own_enums():
    loaded = load_plan(SHIPPED[0], workdays=False)
    assert loaded.plan is not None
    kept = plain.from_model(loaded.plan)
    assert kept == pickle.loads(pickle.dumps(kept, protocol=pickle.HIGHEST_PROTOCOL))
    assert kept.convention == loaded.plan.convention == kinds.convention(kept)
    assert [t.id for t, _ in kept.iter_tasks()] == [t.id for t, _ in loaded.plan.iter_tasks()]
    assert [(p.id if p else None) for _, p in kept.iter_tasks()] == [
        (p.id if p else None) for _, p in loaded.plan.iter_tasks()]
    for (a, _), (b, _) in zip(kept.iter_tasks(), loaded.plan.iter_tasks(), strict=True):
        assert a.deadline == b.deadline and a.progress == [plain.from_model(e) for e in b.progress]
        assert [e.kind for e in a.progress] == [e.kind for e in b.progress]
        assert all(type(e.kind) is model.ProgressKind for e in a.progress)
    assert kept.reporting.convention is loaded.plan.reporting.convention
    assert model.Every is kinds.Every and model.DoneRule is kinds.DoneRule and model.BodyKind is kinds.BodyKind
    assert kept.plan.title == loaded.plan.plan.title and kept.plan.period.end == loaded.plan.plan.period.end


def test_without_the_cache_the_plan_is_read_as_the_loader_reads_it():
    loaded = plain.load_plan(SHIPPED[0])
    assert isinstance(loaded, LoadedPlan) and loaded.ok
    assert loaded.plan == load_plan(SHIPPED[0], workdays=False).plan


def test_an_invalid_plan_is_the_loaders_reading_and_never_kept(cached):
    path = cached / "plan.yaml"
    path.write_text(SHIPPED[0].read_text(encoding="utf-8").replace("lead: [bdvtu]", "lead: [bdvtuu]", 1),
                    encoding="utf-8")
    for _ in range(2):
        loaded = plain.load_plan(path)
        assert isinstance(loaded, LoadedPlan) and not loaded.ok
        assert [d.loc for d in loaded.diagnostics if d.severity == "error"] == [("tasks", 9, "lead", 0)]
    assert entries(cached) == []
    missing = plain.load_plan(cached / "none.yaml")
    assert isinstance(missing, LoadedPlan) and not missing.ok


def test_a_changed_file_is_read_afresh_and_its_old_plain_entry_goes(cached):
    path = cached / "plan.yaml"
    text = SHIPPED[0].read_text(encoding="utf-8")
    path.write_text(text, encoding="utf-8")
    plain_from_cache(path)
    path.write_text(text.replace("Võ Thanh An", "Võ Thanh Anh"), encoding="utf-8")
    assert plain.load_plan(path).plan.signers[1].name == "Võ Thanh Anh"
    assert plain.load_plan(path).plan.signers[1].name == "Võ Thanh Anh"
    assert len(entries(cached, "p0")) == 1 and len(entries(cached, "0")) == 1


def test_a_plain_entry_that_is_not_what_kehoach_writes_is_ignored_and_removed(cached):
    path = cached / "plan.yaml"
    path.write_text(SHIPPED[0].read_text(encoding="utf-8"), encoding="utf-8")
    plain_from_cache(path)
    [entry] = entries(cached, "p0")
    stored = pickle.loads(entry.read_bytes())
    pydantic_entry = pickle.loads(entries(cached, "0")[0].read_bytes())
    model_plan = pydantic_entry["loaded"].plan
    for bad in ({**stored, "plain": False}, {**stored, "format": 2}, pydantic_entry,
                {**stored, "loaded": pydantic_entry["loaded"]}, "not an entry",
                {**stored, "loaded": plain.LoadedPlain(str(path), None, model_plan, [], [])}):
        entry.write_bytes(pickle.dumps(bad))
        entry.chmod(0o600)
        again = plain.load_plan(path)
        assert isinstance(again, plain.LoadedPlain) and type(again.plan) is plain.Plan
    # a pydantic plan is never served from a plain entry, nor a plain one to the loader
    raw = path.read_bytes()
    assert cache.get(raw, str(path), False, LoadedPlan) is not None
    assert cache.get(raw, str(path), False, LoadedPlan, plain=True) is None
    assert cache.get(raw, str(path), False, plain.LoadedPlain) is None


def test_a_plain_entry_in_a_folder_others_may_write_is_never_read(cached):
    path = cached / "plan.yaml"
    path.write_text(SHIPPED[0].read_text(encoding="utf-8"), encoding="utf-8")
    plain_from_cache(path)
    [entry] = entries(cached, "p0")
    entry.parent.chmod(0o777)
    try:
        assert cache.get(path.read_bytes(), str(path), False, plain.LoadedPlain, plain=True) is None
    finally:
        entry.parent.chmod(0o700)


def _fresh_python(code: str, env: dict[str, str] | None = None) -> str:
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                          env={**os.environ, **(env or {})}, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_the_status_core_imports_no_pydantic():
    modules = ["kehoach.plan.kinds", "kehoach.plan.plain", "kehoach.plan.cache", "kehoach.plan.schedule",
               "kehoach.plan.reporters", "kehoach.plan.bodies", "kehoach.judge.status", "kehoach.judge.scope"]
    code = "import sys\n" + "".join(f"import {m}\n" for m in modules) + (
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'pydantic', 'ruamel'}))")
    assert _fresh_python(code) == "[]"


@pytest.mark.slow
def test_status_of_a_plan_from_the_plain_cache_imports_no_pydantic_nor_the_parser(tmp_path):
    path = tmp_path / "plan.yaml"
    path.write_text(SHIPPED[0].read_text(encoding="utf-8"), encoding="utf-8")
    code = f"""
import datetime as dt, os, sys
from kehoach.base import settings
settings._current = settings.Settings.from_env(os.environ)
from kehoach.plan import plain
loaded = plain.load_plan({str(path)!r})
from kehoach.judge.scope import select
from kehoach.judge.status import compute_status
from kehoach.views.statusview import status_rows, to_json
ps = compute_status(loaded.plan, dt.date(2021, 7, 1))
rows = status_rows(ps, "vi", select(ps.schedule), [])
data = to_json(ps, rows, "vi", loaded.path, select(ps.schedule))
print(type(loaded).__name__, len(data["tasks"]), sorted({{m.split('.')[0] for m in sys.modules}} & {set(HEAVY)!r}))
"""
    env = {"XDG_CACHE_HOME": str(tmp_path / "cache"), "KEHOACH_NO_CACHE": ""}
    first = _fresh_python(code, env)
    assert first.startswith("LoadedPlain ") and "pydantic" in first  # read afresh, then kept
    again = _fresh_python(code, env)
    assert again == first.split(" [")[0] + " []"


def test_a_plan_drawing_on_a_shared_catalogue_is_served_while_the_catalogue_is_the_same(cached):
    [path] = generator().make_folder(cached / "plans", 1, 30, seed=5)
    fresh = load_plan(path, workdays=False)
    assert fresh.ok and fresh.catalogues
    kept = plain_from_cache(path)
    assert kept.catalogues == fresh.catalogues and len(entries(cached, "p0")) == 1
    day = fresh.plan.plan.period.start + dt.timedelta(days=180)
    assert shown(kept.plan, day, "vi", by="body") == shown(fresh.plan, day, "vi", by="body")
    catalogue = cached / "plans" / "bodies" / "tinh.yaml"
    catalogue.write_text(catalogue.read_text(encoding="utf-8").replace("Ban Dân vận Tỉnh ủy", "Ban Dân vận"),
                         encoding="utf-8")
    again = plain.load_plan(path)
    assert isinstance(again, plain.LoadedPlain)
    assert next(b.name for b in again.plan.bodies if b.id == "bdvtu") == "Ban Dân vận"
