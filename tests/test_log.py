"""`kehoach log` writes progress back into the plan and touches nothing else."""

from __future__ import annotations

import difflib
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from kehoach.cli.app import main
from kehoach.life.log import LogError, append_progress
from kehoach.plan.loader import load_plan

ROOT = Path(__file__).resolve().parent.parent
PLAN = ROOT / "plans" / "2021.yaml"
KEXE = Path(sys.executable).parent / "kehoach"


@pytest.fixture
def plan_copy(tmp_path) -> Path:
    path = tmp_path / "2021.yaml"
    path.write_bytes(PLAN.read_bytes())
    return path


def added_only(before: str, after: str) -> list[str]:
    """The added lines of the unified diff; fails if any line was removed or changed."""
    diff = list(difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0))
    removed = [d for d in diff[2:] if d.startswith("-")]
    assert removed == [], removed
    return [d[1:] for d in diff[2:] if d.startswith("+")]


def log(path, *args) -> int:
    """`kehoach log` on the plan; an entry that names no body is the leads' joint report (`--joint`),
    which a task led by both Bans asks to be said."""
    joint = [] if "--body" in args or "--joint" in args else ["--joint"]
    return main(["log", *args, *joint, "--plan", str(path)])


def test_diff_holds_only_the_added_lines(plan_copy, capsys):
    before = plan_copy.read_text(encoding="utf-8")
    assert log(plan_copy, "II.5.b", "--percent", "40", "--date", "2021-05-10",
               "--note", 'Tổ chức 2 buổi "đối thoại" trực tiếp: 120 người # dự', "--by", "Sở Nội vụ",
               "--evidence", "Báo cáo 45/BC-SNV") == 0
    after = plan_copy.read_text(encoding="utf-8")
    added = added_only(before, after)
    assert added == [  # "--by Sở Nội vụ" names a body, and no person: the entry is that body's
        "        progress:",
        "          - date: 2021-05-10",
        "            body: so-noi-vu",
        "            percent: 40",
        '            note: "Tổ chức 2 buổi \\"đối thoại\\" trực tiếp: 120 người # dự"',
        '            evidence: "Báo cáo 45/BC-SNV"',
    ]
    entry = next(t for t, _ in load_plan(plan_copy).plan.iter_tasks() if t.id == "II.5.b").progress[-1]
    assert entry.note == 'Tổ chức 2 buổi "đối thoại" trực tiếp: 120 người # dự'
    assert entry.percent == 40 and str(entry.date) == "2021-05-10"


def test_a_note_pasted_over_several_lines_is_one_line(plan_copy):
    """A paragraph pasted with its line breaks (CRLF from Windows too) is the entry's note on one
    line, its lines joined with "; " as a returned form's Alt+Enter lines are; it is not refused."""
    assert log(plan_copy, "II.5.b", "--percent", "40", "--date", "2021-05-10",
               "--note", "Đã tổ chức 2 buổi đối thoại\r\n  120 người dự\n\n", "--by", "Sở Nội vụ\nPhòng 1") == 0
    entry = next(t for t, _ in load_plan(plan_copy).plan.iter_tasks() if t.id == "II.5.b").progress[-1]
    assert entry.note == "Đã tổ chức 2 buổi đối thoại; 120 người dự"
    assert entry.by == "Sở Nội vụ; Phòng 1"


def test_second_entry_appends_to_the_same_list(plan_copy):
    assert log(plan_copy, "II.6.b", "--percent", "40", "--date", "2021-05-10", "--note", "một") == 0
    before = plan_copy.read_text(encoding="utf-8")
    assert log(plan_copy, "II.6.b", "--done", "--date", "2021-06-10", "--note", "hai", "--kind", "proposal") == 0
    added = added_only(before, plan_copy.read_text(encoding="utf-8"))
    assert added == ["          - date: 2021-06-10", "            percent: 100",
                     "            note: hai", "            kind: proposal"]
    task = next(t for t, _ in load_plan(plan_copy).plan.iter_tasks() if t.id == "II.6.b")
    assert [p.percent for p in task.progress] == [40, 100]


def test_parent_task_and_recurring_occurrence(plan_copy):
    before = plan_copy.read_text(encoding="utf-8")
    assert log(plan_copy, "IV.2.a", "--done", "--date", "2021-04-05", "--note", "Báo cáo quý I") == 0
    added = added_only(before, plan_copy.read_text(encoding="utf-8"))
    assert "            occurrence: 2021-Q1" in added  # the first open quarter, filled in
    assert log(plan_copy, "IV.2.a", "--done", "--date", "2021-07-03", "--note", "Báo cáo quý II") == 0
    task = next(t for t, _ in load_plan(plan_copy).plan.iter_tasks() if t.id == "IV.2.a")
    assert [p.occurrence for p in task.progress] == ["2021-Q1", "2021-Q2"]


def test_crlf_file_and_missing_final_newline_are_kept(tmp_path):
    text = PLAN.read_text(encoding="utf-8").rstrip("\n")
    path = tmp_path / "crlf.yaml"
    path.write_bytes(text.replace("\n", "\r\n").encode("utf-8"))
    before = path.read_bytes()
    assert log(path, "IV.5", "--percent", "10", "--date", "2021-02-01", "--note", "x") == 0
    after = path.read_bytes()
    assert b"\n" not in after.replace(b"\r\n", b"")  # every line still ends in CRLF
    added = added_only(before.decode("utf-8"), after.decode("utf-8"))
    assert added == ["    progress:", "      - date: 2021-02-01", "        percent: 10", "        note: x"]
    assert after.endswith(before[-40:])  # the last line still has no newline


def test_flow_empty_progress_is_opened(tmp_path):
    text = PLAN.read_text(encoding="utf-8").replace(
        "  - id: IV.5\n", "  - id: IV.5\n    progress: []  # chưa có\n", 1)
    path = tmp_path / "p.yaml"
    path.write_text(text, encoding="utf-8")
    assert log(path, "IV.5", "--percent", "10", "--date", "2021-02-01", "--note", "x") == 0
    new = path.read_text(encoding="utf-8")
    assert "    progress:  # chưa có\n      - date: 2021-02-01\n" in new
    assert load_plan(path).ok


def test_the_year_s_last_reports_written_in_january_are_recorded(plan_copy, capsys):
    """The fourth quarter's and the year's reports are written in January: an entry dated up to
    60 days after the plan's end is recorded (the return form's rule is the same); later is not."""
    assert log(plan_copy, "IV.2.a", "--done", "--date", "2022-01-05", "--occurrence", "2021-Q4",
               "--note", "Báo cáo quý IV") == 0
    task = next(t for t, _ in load_plan(plan_copy).plan.iter_tasks() if t.id == "IV.2.a")
    assert [(p.occurrence, p.date.isoformat()) for p in task.progress] == [("2021-Q4", "2022-01-05")]
    before = plan_copy.read_bytes()
    capsys.readouterr()
    assert log(plan_copy, "IV.2.c", "--done", "--date", "2022-03-15", "--note", "Báo cáo năm 2021") == 1
    said = capsys.readouterr().err  # the plan's own period, and the days after it a report may be dated
    assert "15/3/2022 nằm ngoài kỳ kế hoạch (01/01/2021 – 31/12/2021) và 60 ngày sau đó (đến 01/3/2022)" in said
    assert plan_copy.read_bytes() == before


@pytest.mark.parametrize("hidden", ["\u200b", "\u061c", "\ufeff", "\U000e0041", "\u2060"])
def test_a_note_with_an_invisible_character_is_refused(plan_copy, capsys, hidden):
    """A zero-width space, an Arabic letter mark, a BOM inside text, a tag character: the note
    would read other than it is stored; refused at the option, nothing written."""
    before = plan_copy.read_bytes()
    assert log(plan_copy, "II.5.b", "--percent", "5", "--date", "2021-05-01", "--note", f"Đạt{hidden} yêu cầu") == 2
    assert f"U+{ord(hidden):04X}" in capsys.readouterr().err
    assert plan_copy.read_bytes() == before


@pytest.mark.parametrize(
    "args, code",
    [
        (["II.5.bb", "--percent", "5", "--date", "2021-05-01", "--note", "x"], "log-unknown-task"),
        (["II.5.b", "--percent", "5", "--date", "2022-05-01", "--note", "x"], "log-invalid"),
        (["II.5.b", "--percent", "5", "--date", "2020-12-31", "--note", "x"], "log-invalid"),
    ],
)
def test_refusals_write_nothing(plan_copy, args, code):
    before = plan_copy.read_bytes()
    with pytest.raises(LogError) as err:
        entry = {"date": __import__("datetime").date.fromisoformat(args[4]), "percent": int(args[2]), "note": args[6],
                 "joint": True}
        append_progress(plan_copy, args[0], entry)
    assert err.value.code == code
    assert plan_copy.read_bytes() == before


def test_unknown_task_suggests_the_near_one(plan_copy, capsys):
    assert log(plan_copy, "ii.5.B", "--percent", "5", "--date", "2021-05-01", "--note", "x") == 1
    err = capsys.readouterr().err
    assert "ý bạn là 'II.5.b'" in err and "Traceback" not in err


def test_percent_going_down_by_date_is_refused_and_a_late_report_is_not(plan_copy, capsys):
    """A body's percent never falls in date order; an earlier report arriving late is recorded
    as it is (the file is append-only), unless its percent is above a later one's."""
    assert log(plan_copy, "II.6.b", "--percent", "50", "--date", "2021-05-10", "--note", "a") == 0
    before = plan_copy.read_bytes()
    assert log(plan_copy, "II.6.b", "--percent", "30", "--date", "2021-05-11", "--note", "b") == 1
    assert "giảm từ 50% (báo cáo ngày 10/5/2021) xuống 30%" in capsys.readouterr().err
    assert log(plan_copy, "II.6.b", "--percent", "60", "--date", "2021-05-09", "--note", "c") == 1
    assert "giảm từ 60% (báo cáo ngày 09/5/2021) xuống 50%" in capsys.readouterr().err
    assert plan_copy.read_bytes() == before
    assert log(plan_copy, "II.6.b", "--percent", "20", "--date", "2021-04-02", "--note", "báo cáo đến muộn") == 0
    task = next(t for t, _ in load_plan(plan_copy).plan.iter_tasks() if t.id == "II.6.b")
    assert [(str(e.date), e.percent) for e in task.progress] == [("2021-05-10", 50), ("2021-04-02", 20)]


def test_usage_errors(plan_copy, capsys):
    assert log(plan_copy, "II.6.b", "--note", "x") == 2  # a lead's result on dated work: no percent
    assert log(plan_copy, "II.5.b", "--note", "x", "--date", "2021-05-02") == 0  # continuous work has none
    assert log(plan_copy, "II.5.b", "--percent", "10") == 2  # no note
    assert log(plan_copy, "II.5.b", "--percent", "101", "--note", "x") == 2
    assert log(plan_copy, "II.5.b", "--percent", "10", "--note", "x", "--date", "30/6/2021") == 2
    assert "Traceback" not in capsys.readouterr().err


def test_permissions_are_kept(plan_copy):
    os.chmod(plan_copy, 0o640)
    assert log(plan_copy, "II.5.b", "--percent", "5", "--date", "2021-05-01", "--note", "x") == 0
    assert stat.S_IMODE(plan_copy.stat().st_mode) == 0o640
    assert [p.name for p in plan_copy.parent.iterdir()] == [plan_copy.name]  # no temporary left


def test_change_on_disk_during_the_write_is_refused(plan_copy, monkeypatch):
    """Another program edits the file between our read and our write: nothing of ours lands."""
    import kehoach.life.log as wb

    real = wb.insert_entry

    def meanwhile(text, path, entry, *more):
        plan_copy.write_text(text + "# sửa tay\n", encoding="utf-8")
        return real(text, path, entry, *more)

    monkeypatch.setattr(wb, "insert_entry", meanwhile)
    with pytest.raises(LogError) as err:
        append_progress(plan_copy, "II.5.b",
                        {"date": __import__("datetime").date(2021, 5, 1), "percent": 5, "note": "x", "joint": True})
    assert err.value.code == "log-changed"
    assert plan_copy.read_text(encoding="utf-8").endswith("# sửa tay\n")


@pytest.mark.slow
def test_twenty_concurrent_runs(plan_copy):
    """Twenty `kehoach log` processes at once: the file stays valid and holds exactly
    the entries whose runs reported success."""
    env = {k: v for k, v in os.environ.items() if k not in ("KEHOACH_LANG",)}
    procs = []
    for i in range(20):
        task = ["II.5.b", "II.6.a", "IV.5", "II.1.a"][i % 4]
        note = f"lần {i}"
        procs.append((task, note, subprocess.Popen(
            [str(KEXE), "log", task, "--joint", "--plan", str(plan_copy), "--percent", str(i), "--date",
             f"2021-06-{i + 1:02d}", "--note", note],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)))
    ok = set()
    for task, note, proc in procs:
        out, err = proc.communicate(timeout=120)
        assert "Traceback" not in err
        if proc.returncode == 0:
            ok.add((task, note))
        else:
            assert proc.returncode == 1, err
    loaded = load_plan(plan_copy)
    assert loaded.ok, [d.message("en") for d in loaded.diagnostics]
    landed = {(t.id, p.note) for t, _ in loaded.plan.iter_tasks() for p in t.progress}
    assert landed == ok
    # entries within a task are in date order and percent order, so runs that came
    # later with an earlier date were refused, not written out of order
    assert len(ok) >= 4


@pytest.mark.slow
def test_twenty_concurrent_runs_on_one_day_all_land(plan_copy):
    """Same date and percent for every run of a task: nothing to refuse, so no
    run may be lost to another's write."""
    env = {k: v for k, v in os.environ.items() if k not in ("KEHOACH_LANG",)}
    tasks = ["II.5.b", "II.6.a", "IV.5", "II.1.a"]
    procs = [subprocess.Popen(
        [str(KEXE), "log", tasks[i % 4], "--joint", "--plan", str(plan_copy), "--percent", "10", "--date", "2021-06-15",
         "--note", f"lần {i}"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        for i in range(20)]
    codes = [p.wait(timeout=120) for p in procs]
    assert codes == [0] * 20, [p.stderr.read() for p in procs]
    loaded = load_plan(plan_copy)
    assert loaded.ok
    notes = sorted(p.note for t, _ in loaded.plan.iter_tasks() for p in t.progress)
    assert notes == sorted(f"lần {i}" for i in range(20))


def test_a_date_after_today_is_refused(plan_copy, capsys):
    """Progress is work done: an entry dated ahead (a typo of the year, a planned date) is refused,
    as a return form's row is, and the plan is left as it was."""
    import datetime as dt

    before = plan_copy.read_bytes()
    ahead = (dt.date.today() + dt.timedelta(days=14)).isoformat()
    assert log(plan_copy, "II.6.e", "--body", "bdvtu", "--percent", "20", "--date", ahead, "--note", "x") == 2
    said = capsys.readouterr().err
    assert "ở sau hôm nay" in said and "Traceback" not in said
    assert plan_copy.read_bytes() == before


def test_a_body_that_neither_leads_nor_supports_the_task_is_refused(plan_copy, capsys):
    """A result in the name of a body the task does not name would be printed in the report as that
    body's work: refused, as `collect` refuses such a row, with the bodies the task names."""
    before = plan_copy.read_bytes()
    assert log(plan_copy, "II.6.e", "--body", "mttq-tinh", "--note", "MTTQ góp ý Đề án", "--date",
               "2021-07-01") == 2
    said = capsys.readouterr().err
    assert "không do Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh chủ trì hay phối hợp" in said, said
    assert "bdvtu" in said and plan_copy.read_bytes() == before
    # an issuer owns the plan: its difficulty on the other Ban's task goes in
    assert log(plan_copy, "III.2.b", "--body", "bdvtu", "--kind", "difficulty", "--note", "Chưa bố trí kinh phí",
               "--date", "2021-07-01") == 0



def test_a_note_longer_than_a_cell_or_a_plan_past_the_size_read_is_not_written(plan_copy, capsys, monkeypatch):
    """A note over 32,767 characters (what one Excel cell, and so a form, holds) is refused
    (exit 2); an entry that would make the plan larger than every command reads
    (KEHOACH_MAX_BYTES) is refused (exit 1): written, it made the plan unreadable."""
    before = plan_copy.read_bytes()
    assert log(plan_copy, "II.2.a", "--body", "bdvtu", "--date", "2021-12-20", "--note", "x" * 40000) == 2
    assert "40000" in capsys.readouterr().err
    monkeypatch.setenv("KEHOACH_MAX_BYTES", str(len(before) + 40))
    assert log(plan_copy, "II.2.a", "--body", "bdvtu", "--date", "2021-12-20",
               "--note", "Công nhận thêm 2 mô hình cấp tỉnh") == 1
    err = capsys.readouterr().err
    assert "không ghi" in err and str(len(before) + 40) in err, err
    assert plan_copy.read_bytes() == before


def test_a_progress_list_with_an_anchor_gets_its_entry_at_its_dashes(tmp_path):
    """`progress: &p` (valid YAML, `check` is clean): the new entry was indented from the anchor's
    column, so the write was refused with a syntax error at a line the file does not have."""
    text = (ROOT / "examples" / "demo.yaml").read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if line.strip() == "progress:" and i > 580)
    lines[at] = lines[at].replace("progress:", "progress: &p55a")
    path = tmp_path / "a.yaml"
    path.write_text("".join(lines), encoding="utf-8")
    before = path.read_text(encoding="utf-8")
    task = next(line.split("id:")[1].strip() for line in reversed(lines[:at]) if "- id:" in line)
    assert log(path, task, "--body", "so noi vu", "--date", "2021-07-07", "--percent", "90", "--note", "tiếp") == 0
    added = added_only(before, path.read_text(encoding="utf-8"))
    dash = next(x for x in added if x.lstrip().startswith("- date:"))
    sibling = next(x for x in lines[at + 1:] if x.lstrip().startswith("- "))
    assert len(dash) - len(dash.lstrip()) == len(sibling) - len(sibling.lstrip())


SHARED = """plan:
  id: p1
  title: Thử
  issuers: [a]
  period: {start: 2021-01-01, end: 2021-12-31}
bodies:
  - {id: a, name: Ban A, kind: state}
tasks:
  - id: T1
    title: Việc một
    lead: [a]
    deadline: 2021-06-30
    progress: &p
      - {date: 2021-02-01, body: a, percent: 10, note: đầu tiên}
  - id: T2
    title: Việc hai
    lead: [a]
    deadline: 2021-06-30
    progress: *p
"""


@pytest.mark.parametrize("task", ["T1", "T2"])
def test_progress_shared_by_an_alias_is_not_written_into(tmp_path, capsys, task):
    """T2's `progress: *p` is T1's list: `log T2` wrote its entry inside T1's block, and both
    tasks then stood at 20 %, with nothing said (the hostile review)."""
    path = tmp_path / "p.yaml"
    path.write_text(SHARED, encoding="utf-8")
    assert log(path, task, "--body", "a", "--percent", "20", "--note", "lần hai", "--date", "2021-03-01") == 1
    assert "dùng chung" in capsys.readouterr().err
    assert path.read_text(encoding="utf-8") == SHARED


def test_one_crlf_line_does_not_make_every_new_line_crlf(tmp_path):
    """A plan of LF lines with one CRLF line (pasted from Windows) had every line `log` added
    written CRLF: the file's endings grew mixed."""
    path = tmp_path / "p.yaml"
    text = SHARED.replace("    progress: &p\n", "    progress:\n").replace(
        "    progress: *p\n", "").replace("  title: Thử\n", "  title: Thử\r\n")
    path.write_bytes(text.encode("utf-8"))
    assert log(path, "T2", "--body", "a", "--percent", "20", "--note", "lần hai", "--date", "2021-03-01") == 0
    assert path.read_bytes().count(b"\r\n") == 1


def test_a_leads_percent_does_not_fall_across_the_ban_and_its_standing_unit(plan_copy, capsys):
    """Sở Nội vụ (the standing unit of Ban Cán sự đảng UBND tỉnh) reported 70 %; the Ban itself then
    45 %: the lead's part said lower than it already was, accepted (the same body twice was refused)."""
    day1, day2 = ("--date", "2021-03-01"), ("--date", "2021-03-05")
    assert log(plan_copy, "IV.4.c", "--body", "so-noi-vu", "--percent", "70", "--note", "a", *day1) == 0
    capsys.readouterr()
    assert log(plan_copy, "IV.4.c", "--body", "bcsd-ubnd", "--percent", "45", "--note", "b", *day2) == 1
    assert "phần trăm giảm từ 70% (báo cáo ngày 01/3/2021) xuống 45%" in capsys.readouterr().err
    # the other lead's own part is its own
    assert log(plan_copy, "IV.4.c", "--body", "bdvtu", "--percent", "45", "--note", "c", *day2) == 0
