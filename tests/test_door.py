"""The door's fast path (`cli/fast.py`) answers the common command lines of `status`, `check` and
`log` exactly as the full command line does (same standard output and error, exit code, files
written), and hands it every other one; the plain status table (`outputs.terminal.plain_table`)
is rich's own table, byte for byte."""

from __future__ import annotations

import datetime as dt
import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kehoach.cli import fast
from kehoach.cli.app import main
from kehoach.outputs import terminal

ROOT = Path(__file__).resolve().parent.parent
PLAN = ROOT / "plans" / "2021.yaml"
DEMO = ROOT / "examples" / "demo.yaml"

INVALID = """\
plan:
  id: x
  title: Kế hoạch hỏng
  period: {start: 2021-01-01, end: 2021-12-31}
tasks:
  - id: I.1
    title: Một việc
    deadline: ngày 32 tháng 13
"""


def _answer(capsys, argv: list[str], door: bool) -> tuple[str, int, str, str]:
    """Who answered (`fast` or `full`), the exit code, standard output and error."""
    capsys.readouterr()
    who, code = "full", None
    if door:
        code = fast.run(argv)
        who = "fast" if code is not None else "full"
    if code is None:
        code = main(argv)
    out = capsys.readouterr()
    return who, code, out.out, out.err


@pytest.fixture
def places(tmp_path, monkeypatch):
    """The files a command line names: `{plan}`, `{demo}` (copies, as `log` writes them), `{bad}`
    (an invalid plan), `{dir}` (a folder of two plans), `{out}` (a file to write), `{none}`."""
    monkeypatch.chdir(tmp_path)  # no ./plans here: a command without --plan finds none
    folder = tmp_path / "plans-dir"
    folder.mkdir()
    shutil.copy(DEMO, folder / "demo.yaml")
    shutil.copy(PLAN, folder / "2021.yaml")
    (tmp_path / "bad.yaml").write_text(INVALID, encoding="utf-8")
    return {"plan": str(tmp_path / "2021.yaml"), "demo": str(tmp_path / "demo.yaml"),
            "bad": str(tmp_path / "bad.yaml"), "dir": str(folder), "out": str(tmp_path / "out.txt"),
            "none": str(tmp_path / "none.yaml")}


def _fresh(places):
    shutil.copy(PLAN, places["plan"])
    shutil.copy(DEMO, places["demo"])
    Path(places["out"]).unlink(missing_ok=True)


ASOF = ["--as-of", "2021-06-30"]
# (command line, who must answer it: fast, full, or either when the library refuses it)
CASES = [
    (["status", "-p", "{plan}", *ASOF], "fast"),
    (["status", "--plan={plan}", "--as-of=2021-06-30", "--lang", "en"], "fast"),
    (["status", "-p", "{plan}", *ASOF, "-f", "json"], "fast"),
    (["status", "-p", "{plan}", *ASOF, "--format", "markdown", "--lang", "en"], "fast"),
    (["status", "-p", "{plan}", *ASOF, "--by", "body"], "fast"),
    (["status", "-p", "{plan}", *ASOF, "--by", "status", "--lang", "en"], "fast"),
    (["status", "-p", "{plan}", *ASOF, "--by", "objective", "-f", "json"], "fast"),
    (["status", "-p", "{demo}", *ASOF, "--body", "so-noi-vu"], "fast"),
    (["status", "-p", "{demo}", *ASOF, "--body", "no-such-body"], "either"),
    (["status", "-p", "{plan}", *ASOF, "--status", "overdue,due_soon"], "fast"),
    (["status", "-p", "{plan}", *ASOF, "--status", "overdue", "--status", "ongoing", "-f", "markdown"], "fast"),
    (["status", "-p", "{plan}", *ASOF, "--soon", "60"], "fast"),
    (["status", "-p", "{plan}", *ASOF, "--fail-on", "overdue"], "fast"),
    (["status", "-p", "{plan}", *ASOF, "-o", "-"], "fast"),
    (["status", "-p", "{plan}", *ASOF, "-o", "/dev/stdout", "-f", "json"], "fast"),
    (["status", "-p", "{plan}", *ASOF, "-o", "{out}"], "fast"),
    (["status", "-p", "{plan}", *ASOF, "--output={out}", "-f", "json", "--lang", "en"], "fast"),
    (["status", "-p", "{plan}", *ASOF, "-o", "{plan}"], "either"),  # the plan itself: refused
    (["status", "{plan}", *ASOF], "fast"),
    (["status", "-p", "{plan}"], "fast"),  # today: outside the plan's year, a note says so
    (["status", "-p", "{plan}", "--as-of", "2021-13-01"], "full"),
    (["status", "-p", "{plan}", "--as-of", "1800-01-01"], "full"),
    (["status", "-p", "{plan}", "-f", "xml"], "full"),
    (["status", "-p", "{plan}", "--soon", "many"], "full"),
    (["status", "-p", "{plan}", "--soon", "900"], "full"),
    (["status", "-p", "{plan}", "--by", "lead"], "full"),
    (["status", "-p", "{plan}", "--status", "late"], "full"),
    (["status", "-p", "{plan}", "--lang", "fr"], "full"),
    (["status", "-p", "{plan}", "--bogus"], "full"),
    (["status", "-p", "{plan}", "--help"], "full"),
    (["status", "-p"], "full"),
    (["status", "-p", "{plan}", "-p", "{demo}"], "full"),
    (["status", "-p", "{plan}", "-fjson"], "full"),
    (["status", "-p", "{plan}", "--", "x"], "full"),
    (["status", "-p", "{none}\udcff", *ASOF], "full"),
    (["status", "-p", "{none}", *ASOF], "either"),
    (["status", "-p", "{bad}", *ASOF], "either"),
    (["status", "-p", "{bad}", *ASOF, "--lang", "en"], "either"),
    (["status", "{dir}", *ASOF], "full"),  # several plans: rich draws the roll-up's table
    (["status", "{dir}", *ASOF, "-f", "json"], "fast"),
    (["status", "{dir}", *ASOF, "--by", "body"], "full"),
    (["status", *ASOF], "full"),  # no plan here
    (["check", "{plan}"], "fast"),
    (["check", "{plan}", "--strict", "--lang", "en"], "fast"),
    (["check", "{plan}", "-f", "json"], "fast"),
    (["check", "{demo}", "{plan}"], "fast"),
    (["check", "-p", "{plan}"], "fast"),
    (["check", "{bad}"], "fast"),
    (["check", "{bad}", "-f", "json", "--lang", "en"], "fast"),
    (["check", "{none}"], "either"),
    (["check", "{dir}"], "either"),
    (["check", "{plan}", "-f", "yaml"], "full"),
    (["check", "{plan}", "--fix"], "full"),
    (["check", "{plan}", "--unknown"], "full"),
    (["check"], "full"),
    (["log", "II.5.a", "-p", "{demo}", "--percent", "50", "--date", "2021-07-08", "--note", "Đang làm"], "fast"),
    (["log", "II.5.a", "-p", "{demo}", "--body", "so noi vu", "--done", "--date", "2021-07-08", "--note",
      "Đã ban hành Quy chế"], "either"),
    (["log", "II.5.a", "-p", "{demo}", "--kind", "difficulty", "--date", "2021-07-20", "-m", "Chậm",
      "--lang", "en"], "fast"),
    (["log", "II.5.a", "-p", "{demo}", "--percent", "150"], "full"),
    (["log", "II.5.a", "-p", "{demo}", "--kind", "other", "--note", "x"], "full"),
    (["log", "XX.9", "-p", "{demo}", "--percent", "10"], "either"),
    (["log", "-p", "{demo}", "--percent", "10"], "full"),
    (["log", "II.5.a", "-p", "{bad}", "--percent", "10"], "either"),
]


@pytest.mark.parametrize("argv, who", CASES, ids=[" ".join(c[0]) for c in CASES])
def test_the_fast_path_says_what_the_full_command_line_says(argv, who, places, capsys):
    argv = [a.format(**places) for a in argv]
    _fresh(places)
    full = _answer(capsys, argv, door=False)
    written = {name: Path(places[name]).read_bytes() for name in ("plan", "demo", "out")
               if Path(places[name]).exists()}
    _fresh(places)
    door = _answer(capsys, argv, door=True)
    assert door[1:] == full[1:]
    assert {name: Path(places[name]).read_bytes() for name in ("plan", "demo", "out")
            if Path(places[name]).exists()} == written
    if who != "either":
        assert door[0] == who


def test_a_plan_the_library_refuses_is_shown_by_the_fast_path_itself(places, capsys):
    """An invalid plan is read once: its problems are shown as the full command line shows them."""
    who, code, out, err = _answer(capsys, ["status", "-p", places["bad"], *ASOF], door=True)
    assert (who, code, out) == ("fast", 1, "") and "'bodies'" in err


@pytest.mark.slow  # about half a second or more here: CI runs it (.ci/run)
def test_kehoach_full_cli_sends_the_command_line_to_the_full_one():
    env = dict(os.environ, KEHOACH_FULL_CLI="1")
    probe = ("import sys; sys.argv = ['kehoach'] + sys.argv[1:]\n"
             "from kehoach.cli import door\n"
             "try:\n    door.run()\nexcept SystemExit as e:\n    code = e.code\n"
             "print('typer' in sys.modules, code)")
    args = ["status", "-p", str(PLAN), *ASOF, "-f", "json"]
    full = subprocess.run([sys.executable, "-c", probe, *args], capture_output=True, text=True, env=env, check=False)
    assert full.stdout.endswith("True 0\n")
    env.pop("KEHOACH_FULL_CLI")
    door = subprocess.run([sys.executable, "-c", probe, *args], capture_output=True, text=True, env=env, check=False)
    assert door.stdout.endswith("False 0\n")
    assert door.stdout.removesuffix("False 0\n") == full.stdout.removesuffix("True 0\n") and door.stderr == full.stderr


@pytest.mark.slow
@pytest.mark.parametrize("columns", [None, "60", "100", "132"])
def test_the_installed_command_piped_says_what_the_full_one_says(columns, tmp_path):
    """Through the door itself, piped, with the cache warm: the same bytes, the same exit code."""
    env = {k: v for k, v in os.environ.items() if k not in ("KEHOACH_NO_CACHE", "COLUMNS")}
    env["XDG_CACHE_HOME"] = str(tmp_path)
    if columns:
        env["COLUMNS"] = columns
    for argv in (["status", "-p", str(PLAN), *ASOF], ["status", "-p", str(PLAN), "--by", "body", "--lang", "en"],
                 ["check", str(PLAN)], ["status", "-p", str(DEMO), *ASOF, "-f", "markdown"]):
        answers = []
        for full in ("1", "", "1"):
            run = subprocess.run([sys.executable, "-m", "kehoach", *argv], capture_output=True,
                                 env=dict(env, KEHOACH_FULL_CLI=full), check=False)
            answers.append((run.returncode, run.stdout, run.stderr))
        assert answers[0] == answers[1] == answers[2]


# ---------------------------------------------------------------- the plain table against rich's


def _plans():
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import generate

    yield "2021", PLAN.read_text(encoding="utf-8")
    yield "demo", DEMO.read_text(encoding="utf-8")
    yield "generated", generate.plan_text(40, seed=7)
    text = PLAN.read_text(encoding="utf-8")
    yield "long words", text.replace("Quán triệt", "Quántriệtkhaithựchiệnnghịquyếtvềdânvậnchínhquyền", 3)
    yield "tabs and wide", text.replace("Tiếp tục", "Tiếp\ttục", 2).replace("title: Hướng dẫn", "title: Hướng dẫn 指导")


def _status(text: str, day: str):
    from kehoach.judge.status import compute_status
    from kehoach.plan.loader import load_text

    loaded = load_text(text, "plan.yaml", workdays=False)
    assert loaded.plan is not None
    return compute_status(loaded.plan, dt.date.fromisoformat(day), 14)


def _both(ps, width: int, lang: str, by: str | None, statuses: list[str], body: str | None):
    from kehoach.judge.scope import select
    from kehoach.views.statusview import Group, group_rows, status_rows

    scope = select(ps.schedule, None, body)
    rows = status_rows(ps, lang, scope, statuses)
    groups = group_rows(ps, rows, by, lang) if by else [Group("", "", rows)]
    buffer = io.StringIO()
    terminal.render_table(terminal.make_console(buffer, width=width, plain=True), ps, groups, lang, scope=scope)
    return buffer.getvalue(), terminal.plain_table(width, ps, groups, lang, scope=scope)


WIDTHS = (20, 40, 59, 80, 97, 109, 110, 120, 121, 160, 250)


def _compare(name: str, text: str, widths: tuple[int, ...], days: tuple[str, ...]) -> None:
    drawn = wide = 0
    for day in days:
        ps = _status(text, day)
        for lang, by, statuses, body in (("vi", None, [], None), ("en", "body", [], None),
                                         ("vi", "status", ["overdue", "ongoing"], None),
                                         ("en", "objective", [], None), ("vi", None, ["done_late"], "bdvtu")):
            for width in widths:
                rich, plain = _both(ps, width, lang, by, statuses, body)
                assert plain is None or plain == rich, (name, day, lang, by, width)
                drawn += plain is not None
                if "指" in rich:  # a wide character: rich lays it out
                    wide += 1
                    assert plain is None
    assert drawn > len(widths)  # the plain writer did the common widths
    assert wide or name != "tabs and wide"


@pytest.mark.slow  # about half a second or more here: CI runs it (.ci/run)
@pytest.mark.parametrize("name, text", list(_plans())[:1], ids=["2021"])
def test_the_plain_table_is_riches_byte_for_byte(name, text):
    _compare(name, text, (40, 80, 110, 120, 160), ("2021-06-30",))


@pytest.mark.slow
@pytest.mark.parametrize("name, text", list(_plans()), ids=lambda x: x if len(x) < 20 else "")
def test_the_plain_table_is_riches_byte_for_byte_over_plans_dates_and_widths(name, text):
    _compare(name, text, WIDTHS, ("2021-02-01", "2021-06-30", "2021-12-31"))


def test_the_plain_writer_counts_cells_as_rich_does():
    from rich.cells import cell_len

    terminal._one_cell("a")
    assert all(cell_len(c) == 1 for c in terminal._ONE_CELL)
    for text in ("Quản lý", "ệ", "—…·", "█░", "“a”"):
        assert terminal._one_cell(text)
    for text in ("a\tb", "指", "e\u0301", "\u200b", "\x1b", "\u00ad"):
        assert not terminal._one_cell(text)


def test_a_terminal_or_forced_colours_are_left_to_rich(monkeypatch):
    monkeypatch.setattr(sys, "stdout", io.StringIO())
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.delenv("TTY_COMPATIBLE", raising=False)
    monkeypatch.setenv("COLUMNS", "97")
    screen = terminal.plain_screen()
    assert screen is not None and screen.width == 97
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert terminal.plain_screen() is None
    with pytest.raises(terminal.NeedsRich):
        terminal.screen(strict=True)
    monkeypatch.delenv("FORCE_COLOR")
    for columns in ("5", "0", "²", "99999"):  # rich's width 0, or a crash: rich answers
        monkeypatch.setenv("COLUMNS", columns)
        assert terminal.plain_screen() is None
    monkeypatch.setenv("COLUMNS", "80x")  # not a number: the terminal's width, else 80
    screen = terminal.plain_screen()
    assert screen is not None and screen.width >= 20

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setenv("COLUMNS", "97")
    monkeypatch.setattr(sys, "stdout", Tty())
    assert terminal.plain_screen() is None


@pytest.mark.parametrize("argv", [["--help"], ["-h"], ["status", "--help"], ["check", "-h"], ["log", "--help"],
                                  ["status", "--help", "--lang", "en"], ["report", "--help"]])
def test_a_stored_help_page_is_what_the_full_command_line_writes(argv):
    env = {k: v for k, v in os.environ.items() if k != "COLUMNS"}
    answers = []
    for full in ("1", ""):
        run = subprocess.run([sys.executable, "-m", "kehoach", *argv], capture_output=True,
                             env=dict(env, KEHOACH_FULL_CLI=full), check=False)
        answers.append((run.returncode, run.stdout, run.stderr))
    assert answers[0] == answers[1] and answers[0][0] == 0 and answers[0][1]


def test_a_table_rich_must_draw_is_handed_over_before_any_plan_is_read(places, monkeypatch):
    """On a terminal, or for a roll-up's table, the full command line answers, and the fast
    path has read nothing (a large plan is not read twice)."""
    from kehoach import api

    reads = []

    def read(*args, **kwargs):
        reads.append(args)
        raise AssertionError("a plan was read")

    monkeypatch.setattr(api, "load", read)
    monkeypatch.setattr(api, "status_rollup", read)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.delenv("TTY_COMPATIBLE", raising=False)
    assert fast.run(["status", places["dir"], *ASOF]) is None
    assert fast.run(["status", "-p", places["plan"], places["demo"]]) is None

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr(sys, "stdout", Tty())
    assert fast.run(["status", "-p", places["plan"], *ASOF]) is None
    assert reads == []
    assert fast.run(["status", "-p", places["plan"], *ASOF, "-o", places["out"]]) is None  # a file: read here
    assert len(reads) == 1
