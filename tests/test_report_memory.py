"""Documents of a large plan within memory: the same bytes as before, made with less held at once.

A text document is written into its file's bytes piece by piece (`render_bytes`), never held as
its whole text too; the report's trend is drawn before the rest of the report is held. What a
user gets is unchanged: the same bytes, the same limits (tests/test_templates_bounded.py). The
slow test runs the commands on the heavy 10,000-task plan and reads each one's peak memory.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

from kehoach.judge.scope import report_span
from kehoach.outputs.documents import render_format
from kehoach.outputs.render import RenderError, render_bytes, render_text, template_dirs
from kehoach.plan.loader import load_plan
from kehoach.views.reportview import build_checklist, build_report
from plans_for_tests import generator

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "examples" / "demo.yaml"
PLAN = ROOT / "plans" / "2021.yaml"
LIMIT_MIB = 150


@pytest.mark.parametrize("path", [DEMO, PLAN])
@pytest.mark.parametrize("fmt", ["md", "html"])
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_a_report_in_pieces_is_the_same_bytes_as_whole(path, fmt, lang):
    plan = load_plan(path).plan
    ctx = build_report(plan, report_span(plan, "Q2", None, None), lang=lang)
    whole = render_text(f"report.{fmt}.j2", ctx, template_dirs(), fmt).encode("utf-8")
    assert render_bytes(f"report.{fmt}.j2", ctx, template_dirs(), fmt) == whole
    assert render_format("report", fmt, ctx, template_dirs()) == whole


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_a_checklist_in_pieces_is_the_same_bytes_as_whole(fmt):
    plan = load_plan(PLAN).plan
    ctx = build_checklist(plan, dt.date(2021, 7, 1))
    whole = render_text(f"checklist.{fmt}.j2", ctx, template_dirs(), fmt).encode("utf-8")
    assert render_format("checklist", fmt, ctx, template_dirs()) == whole


def test_a_large_generated_report_in_pieces_is_the_same_bytes_as_whole():
    from kehoach.plan.loader import load_text

    plan = load_text(generator().plan_text(300, seed=7, descriptions=True), "gen.yaml").plan
    ctx = build_report(plan, report_span(plan, "Q2", None, None))
    whole = render_text("report.html.j2", ctx, template_dirs(), "html").encode("utf-8")
    assert len(whole) > 100_000  # many batches of pieces
    assert render_bytes("report.html.j2", ctx, template_dirs(), "html") == whole


def _template(folder: Path, body: str) -> list[Path]:
    folder.mkdir()
    (folder / "report.md.j2").write_text(body, encoding="utf-8")
    return template_dirs(folder)


def test_a_document_in_pieces_past_the_size_limit_is_stopped(tmp_path, monkeypatch):
    from kehoach.base import settings

    monkeypatch.setattr(settings, "_current", settings.Settings(template_bytes=100_000))
    dirs = _template(tmp_path / "t", "{% for i in range(20000) %}{{ i }} xxxxxxxx\n{% endfor %}")
    with pytest.raises(RenderError) as stopped:
        render_bytes("report.md.j2", {}, dirs, "md")
    assert stopped.value.code == "template-too-large"
    with pytest.raises(RenderError) as whole:
        render_text("report.md.j2", {}, dirs, "md")
    assert whole.value.code == "template-too-large"


def test_a_document_in_pieces_within_the_limit_is_written_whole(tmp_path, monkeypatch):
    from kehoach.base import settings

    monkeypatch.setattr(settings, "_current", settings.Settings(template_bytes=1_000_000))
    dirs = _template(tmp_path / "t", "{% for i in range(20000) %}{{ i }} x\n{% endfor %}")
    out = render_bytes("report.md.j2", {}, dirs, "md")
    assert out == "".join(f"{i} x\n" for i in range(20000)).encode("utf-8")


def test_a_template_error_in_pieces_is_said_with_its_line(tmp_path):
    dirs = _template(tmp_path / "t", "line one\n{{ missing.value }}\n")
    with pytest.raises(RenderError) as failed:
        render_bytes("report.md.j2", {}, dirs, "md")
    assert failed.value.code == "template-undefined"
    assert "report.md.j2:2" in str(failed.value.params["where"])


@pytest.mark.parametrize("path", [DEMO, PLAN])
@pytest.mark.parametrize("period", ["Q1", "Q2", "9M", "Y"])
def test_the_trend_judged_once_a_month_is_the_same_as_each_month_judged_afresh(path, period):
    from kehoach.base import periods
    from kehoach.judge.evaluation import evaluate, month_trend
    from kehoach.judge.scope import Scope
    from kehoach.judge.status import compute_status

    plan = load_plan(path).plan
    span = report_span(plan, period, None, None)
    afresh = []
    start = plan.plan.period.start
    day = dt.date(start.year, start.month, 1)
    while day <= min(span.end, plan.plan.period.end):
        point = min(periods.month_end(day.year, day.month), span.end)
        afresh.append((point, compute_status(plan, point, closed=True).completion(Scope())))
        day = dt.date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    assert month_trend(plan, span.end, Scope()) == afresh
    assert evaluate(plan, span).trend() == afresh


def test_a_report_drawn_with_its_trend_first_is_the_same_context():
    from kehoach.judge.evaluation import evaluate
    from kehoach.views.reportview import charts

    plan = load_plan(PLAN).plan
    span = report_span(plan, "Q2", None, None)
    ctx = build_report(plan, span, as_of=dt.date(2021, 5, 20))
    assert ctx.charts == charts(evaluate(plan, span, dt.date(2021, 5, 20)), "vi")
    assert [p.value for p in ctx.charts.trend] == [v for _, v in evaluate(plan, span, dt.date(2021, 5, 20)).trend()]
    assert len(ctx.charts.trend) == 5


@pytest.mark.parametrize("path", [DEMO, PLAN])
@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("body, statuses", [(None, None), ("bdvtu", None), (None, ["overdue", "in_progress"])])
def test_the_export_from_rows_is_the_export_from_the_status_json(path, lang, body, statuses):
    from kehoach.base.text import json_text
    from kehoach.judge.scope import select
    from kehoach.judge.status import compute_status
    from kehoach.outputs.export import export, status_json, table, to_csv
    from kehoach.plan.bodies import Bodies

    plan = load_plan(path).plan
    ps = compute_status(plan, dt.date(2021, 7, 1))
    scope = select(ps.schedule, None, body)
    data = status_json(ps, lang, str(path), scope, statuses)
    assert export(ps, "json", lang, str(path), scope, statuses) == json_text(data).encode("utf-8")
    bodies = Bodies(plan)
    rows = table(data, {b: bodies.short(b) for b in bodies.by_id}, lang)
    assert export(ps, "csv", lang, str(path), scope, statuses) == to_csv(rows, lang)
    assert to_csv(rows, lang).startswith("\ufeff".encode())
    assert len(rows) > (0 if statuses or body else 10)


def test_a_large_report_holds_each_repeated_string_once_and_says_the_same():
    from kehoach.plan.loader import load_text
    from kehoach.views.reportview import _shared, context_json

    plan = load_text(generator().plan_text(200, seed=3), "gen.yaml").plan
    span = report_span(plan, "Q2", None, None)
    ctx = build_report(plan, span)
    statuses = {id(row.status) for row in ctx.appendix}
    assert len(ctx.appendix) > 100 and len(statuses) == len({row.status for row in ctx.appendix})
    assert context_json(ctx) == context_json(_shared(build_report(plan, span), {}))


def test_sharing_keeps_every_value_and_its_kind():
    from markupsafe import Markup

    from kehoach.views.reportview import EntryLine, Line, _shared

    marked = Markup("<b>x</b>")
    lines = [Line("a" * 3, "t1"), Line("".join(["a", "aa"]), "t2", date=marked), ["aaa", 1, None]]
    pool: dict[str, str] = {}
    out = _shared(lines, pool)
    assert out is lines and lines[0].text is lines[1].text is lines[2][0]
    assert lines[1].date is marked and lines[2][1:] == [1, None]
    entry = EntryLine("1/2", "2021-02-01", "n", "b", "", "", "result", None, "t", "T", "", "aaa")
    assert _shared(entry, pool).text is lines[0].text


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_whole_numbers_below_1000_are_written_as_babel_writes_them(lang):
    from babel.numbers import format_decimal

    from kehoach.base.messages import text
    from kehoach.views.reportview import PLAIN_NUMBERS, _number, _percent

    locale = text("locale.numbers", lang)
    assert locale in PLAIN_NUMBERS
    for value in [*range(1000), 1000, 12345, 1234567]:
        assert _number(value, lang) == str(format_decimal(value, locale=locale))
    assert _number(2.5, lang) == str(format_decimal(2.5, locale=locale))
    assert _percent(70, lang) == "70%"
    assert _number(1234, lang) == {"vi": "1.234", "en": "1,234"}[lang]


def test_every_catalogue_number_locale_that_is_plain_writes_numbers_plainly():
    from babel.numbers import format_decimal

    catalogues = sorted((ROOT / "src" / "kehoach" / "locale").glob("*/LC_MESSAGES/kehoach.po"))
    found = set()
    for po in catalogues:
        lines = po.read_text(encoding="utf-8").splitlines()
        at = lines.index('msgid "locale.numbers"')
        found.add(lines[at + 1].split('"')[1])
    assert len(found) == len(catalogues) >= 2
    from kehoach.views.reportview import PLAIN_NUMBERS

    for locale in found & PLAIN_NUMBERS:
        assert all(str(format_decimal(v, locale=locale)) == str(v) for v in range(1000))


# ---------------------------------------------------------------- peak memory of each command


COMMANDS = {
    "report-md": ["report", "--period", "Q2", "-f", "md"],
    "report-html": ["report", "--period", "Q2", "-f", "html"],
    "checklist-md": ["checklist", "--as-of", "2021-07-01", "-f", "md"],
    "checklist-html": ["checklist", "--as-of", "2021-07-01", "-f", "html"],
    "export-csv": ["export", "--as-of", "2021-07-01", "-f", "csv"],
    "export-json": ["export", "--as-of", "2021-07-01", "-f", "json"],
    "export-xlsx": ["export", "--as-of", "2021-07-01", "-f", "xlsx"],
    "report-docx": ["report", "--period", "Q2", "-f", "docx"],
    "checklist-docx": ["checklist", "--as-of", "2021-07-01", "-f", "docx"],
}


@pytest.fixture(scope="module")
def heavy(tmp_path_factory):
    """The heavy plan, and kehoach's modules compiled as an installed package has them (else an
    edited module of an editable install is compiled again, and measured, in every process)."""
    import compileall

    import kehoach

    compileall.compile_dir(Path(kehoach.__file__).parent, quiet=1)
    path = tmp_path_factory.mktemp("heavy") / "heavy.yaml"
    path.write_text(generator().plan_text(10000, seed=10000, descriptions=True), encoding="utf-8")
    return path


def _peak_mib(args: list[str], cwd: Path, cache: Path | None = None) -> tuple[int, str, float]:
    """Exit code, standard error and the peak resident memory (MiB) of one `kehoach` process.

    It is started by benchmarks/run.py's small launcher, which reads the peak of that process
    alone: a process forked from this one (pytest, hundreds of MiB by the end of the suite) would
    start its count from this one's pages. With a `cache` folder, the plan cache is on, kept there."""
    spec = importlib.util.spec_from_file_location("bench_run", ROOT / "benchmarks" / "run.py")
    assert spec and spec.loader
    bench = sys.modules["bench_run"] = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    env = {**os.environ, "KEHOACH_NO_CACHE": "1", "KEHOACH_LANG": "vi"}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    if cache is not None:
        env.pop("KEHOACH_NO_CACHE")
        env["XDG_CACHE_HOME"] = str(cache)
    proc = subprocess.run([sys.executable, "-S", "-c", bench.LAUNCHER, sys.executable, "-m", "kehoach", *args],
                          cwd=cwd, env=env, capture_output=True, text=True, timeout=300)
    _, kib, code = proc.stdout.split()
    return int(code), proc.stderr, int(kib) / 1024


@pytest.mark.slow
@pytest.mark.skipif(sys.platform != "linux", reason="ru_maxrss in KiB, as Linux gives it")
@pytest.mark.parametrize("name", list(COMMANDS))
@pytest.mark.skipif(bool(os.environ.get("KEHOACH_NO_ACCEL")) or importlib.util.find_spec("yaml_rs") is None,
                    reason="150 MiB is the aim with the fast extra (yaml-rs reads a large plan in pieces)")
def test_a_document_of_the_heavy_plan_stays_within_150_mib(name, heavy, tmp_path):
    out = tmp_path / f"out.{COMMANDS[name][-1]}"
    code, err, peak = _peak_mib([*COMMANDS[name], "-p", str(heavy), "-o", str(out)], tmp_path)
    assert code == 0, err
    assert out.stat().st_size > (300_000 if name.endswith(("xlsx", "docx")) else 1_000_000)  # a zip: 0.4-0.7 MB
    assert peak <= LIMIT_MIB, f"{name}: {peak:.0f} MiB"


@pytest.mark.slow
@pytest.mark.skipif(sys.platform != "linux", reason="ru_maxrss in KiB, as Linux gives it")
@pytest.mark.parametrize("change, code", [("date: null,", "reference-undated"), ("", "missing-key")])
def test_the_heavy_plan_with_something_to_report_is_checked_within_150_mib(heavy, tmp_path, change, code):
    """A plan with one note or one error is read a second time, every position kept, to say where:
    that reading lays the positions over the first reading's tree (plan/eventread.py) instead of
    composing the text again (298 MiB before), and the message points at the very line."""
    text = heavy.read_text(encoding="utf-8")
    written = "  - {id: kl-120, number: 120-KL/TW, date: 2016-01-07,"
    assert written in text
    line = text[:text.index(written)].count("\n") + 1
    noted = tmp_path / "noted.yaml"
    noted.write_text(text.replace(written, "  - {id: kl-120, number: 120-KL/TW, " + change, 1), encoding="utf-8")
    code_, err, peak = _peak_mib(["check", str(noted), "--format", "json"], tmp_path)
    assert code_ == (0 if code == "reference-undated" else 1), err
    assert peak <= LIMIT_MIB, f"{code}: {peak:.0f} MiB"
    proc = subprocess.run([sys.executable, "-m", "kehoach", "check", str(noted), "--format", "json"], cwd=tmp_path,
                          env={**os.environ, "KEHOACH_NO_CACHE": "1"}, capture_output=True, text=True, timeout=300)
    import json

    assert [(d["code"], d["line"]) for d in json.loads(proc.stdout)["diagnostics"]] == [(code, line)]


@pytest.mark.slow
@pytest.mark.skipif(sys.platform != "linux", reason="ru_maxrss in KiB, as Linux gives it")
@pytest.mark.skipif(bool(os.environ.get("KEHOACH_NO_ACCEL")) or importlib.util.find_spec("yaml_rs") is None,
                    reason="150 MiB is the aim with the fast extra (yaml-rs reads a large plan in pieces)")
@pytest.mark.parametrize("args", [["check"], ["status", "--as-of", "2021-07-01", "-f", "json", "-o", "s.json"]],
                         ids=["check", "status-json"])
def test_the_first_run_filling_an_empty_cache_stays_within_150_mib(heavy, tmp_path, args):
    """CI checks on a fresh machine every time: the cache is on and empty, and the plan read is
    put into it. Its bytes are let go before it is read (the cache keeps their digest), the tree
    before it is put, the validated plan before its plain objects are put."""
    cache = tmp_path / "cache"
    command = [args[0], str(heavy), *args[1:]] if args[0] == "check" else [args[0], "-p", str(heavy), *args[1:]]
    code, err, peak = _peak_mib(command, tmp_path, cache)
    assert code == 0, err
    assert any(cache.rglob("*.pickle")), "the plan was put into the cache"
    assert peak <= LIMIT_MIB, f"{args[0]}: {peak:.0f} MiB"
