"""The progress model of many bodies (issue 16): plans written before it keep working, a
command brings them up to date, and the small rules a user meets (which plan, drafts,
pasted notes)."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from kehoach.loader import load_plan
from kehoach.status import compute_status
from kehoach.writeback import join_lines

ROOT = Path(__file__).resolve().parent.parent
OLD_DEMO = ROOT / "tests" / "data" / "demo-before-16.yaml"  # examples/demo.yaml as shipped before
PLAN = ROOT / "plans" / "2021.yaml"


def test_a_plan_written_before_loads_unchanged_and_reads_as_before():
    """Entries that name no body are the leads' joint report: a co-led task is done when such an
    entry says 100 %, as it was."""
    loaded = load_plan(OLD_DEMO)
    assert loaded.ok and [d.code for d in loaded.diagnostics] == []
    by_id = compute_status(loaded.plan, dt.date(2021, 7, 1)).by_id()
    assert (by_id["II.1.a"].status, by_id["II.1.a"].percent) == ("done_on_time", 100)  # led by both Bans
    assert by_id["II.4.b"].status == "overdue" and by_id["II.4.b"].percent == 70


def test_check_fix_rewrites_certain_names_into_body_ids_and_lists_the_rest(tmp_path, kehoach):
    plan = tmp_path / "demo.yaml"
    shutil.copy(OLD_DEMO, plan)
    before = plan.read_text(encoding="utf-8")
    code, out, err = kehoach("check", "--fix", plan)
    after = plan.read_text(encoding="utf-8")
    assert "đã đổi 43 mục \"by:\" thành mã cơ quan (\"body:\"); 34 mục chưa chắc chắn" in err
    assert f"{plan}:229: II.1.b: by: Sở Nội vụ → body: so-noi-vu" in err
    assert f"{plan}:204: II.1.a: \"by: Phòng DVCQ&ĐT\" không khớp chắc chắn" in err  # no such body in that plan
    # only the `by:` lines of certain names changed, one line for one line
    changed = [(a, b) for a, b in zip(before.splitlines(), after.splitlines(), strict=True) if a != b]
    assert len(changed) == 43 and all(a.strip().startswith("by: ") and b.strip().startswith("body: ")
                                      for a, b in changed)
    assert load_plan(plan).ok and code == 0  # the check that follows passes (its warnings shown)
    # a supporting body's percent, which never moved its task, is now said to be one
    assert "[percent-not-lead]" in out
    code, _, err = kehoach("check", "--fix", plan)  # again: nothing left that is certain
    assert "đã đổi 0 mục" in err and plan.read_text(encoding="utf-8") == after


def test_check_fix_keeps_the_person_and_leaves_the_shipped_plan_as_it_is(tmp_path, kehoach):
    plan = tmp_path / "2021.yaml"
    text = PLAN.read_text(encoding="utf-8").replace(
        "        deadline: '2021'\n        deliverables:\n          - Báo cáo sơ kết 5 năm",
        "        deadline: '2021'\n        progress:\n          - date: 2021-05-10\n            percent: 40\n"
        "            note: Dự thảo báo cáo sơ kết\n            by: Nguyễn Văn A, Sở Nội vụ\n"
        "        deliverables:\n          - Báo cáo sơ kết 5 năm", 1)
    plan.write_text(text, encoding="utf-8")
    code, _, err = kehoach("check", "--fix", plan)
    assert code == 0, err
    entry = next(t for t, _ in load_plan(plan).plan.iter_tasks() if t.id == "II.6.b").progress[0]
    assert (entry.body, entry.by) == ("so-noi-vu", "Nguyễn Văn A")
    shipped = tmp_path / "shipped.yaml"
    shutil.copy(PLAN, shipped)
    code, _, err = kehoach("check", "--fix", shipped)
    assert code == 0 and "đã đổi 0 mục" in err and shipped.read_bytes() == PLAN.read_bytes()


def test_a_command_says_which_plan_it_chose_among_several(tmp_path, kehoach, monkeypatch):
    (tmp_path / "plans").mkdir()
    shutil.copy(PLAN, tmp_path / "plans" / "2021.yaml")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("KEHOACH_PLAN", raising=False)
    code, _, err = kehoach("status", "--as-of", "2021-07-01", "-f", "json")
    assert code == 0 and "dùng kế hoạch" not in err  # one plan: nothing to say
    assert kehoach("init", "--year", "2022")[0] == 0
    code, _, err = kehoach("status", "--as-of", "2021-07-01", "-f", "json")
    assert code == 0 and "dùng kế hoạch" in err and "2021.yaml" in err and "--plan" in err


def test_documents_are_not_made_from_a_draft_unless_asked(tmp_path, kehoach):
    shutil.copy(PLAN, tmp_path / "2021.yaml")
    assert kehoach("init", "--year", "2022", "-p", tmp_path / "2021.yaml")[0] == 0
    draft = tmp_path / "2022.yaml"
    code, _, err = kehoach("report", "-p", draft, "--period", "Q1", "-o", tmp_path / "bc.md")
    assert code == 2 and "chưa điền" in err and "--draft" in err and not (tmp_path / "bc.md").exists()
    code, _, err = kehoach("report", "-p", draft, "--period", "Q1", "-o", tmp_path / "bc.md", "--draft")
    assert code == 0 and (tmp_path / "bc.md").exists()
    assert kehoach("status", "-p", draft, "--as-of", "2022-03-01")[0] == 0  # a table is no document to send


def test_pasted_lines_join_without_doubled_punctuation():
    assert join_lines("Kết quả bầu cử:\n- 3 điểm cầu\n- 2 tổ bầu cử\r\nĐã báo cáo.") == (
        "Kết quả bầu cử: 3 điểm cầu; 2 tổ bầu cử; Đã báo cáo.")
    assert join_lines("Một;\n\n  Hai\nBa") == "Một; Hai; Ba"
    assert join_lines("• mục một\n+ mục hai") == "mục một; mục hai"
