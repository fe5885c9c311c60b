"""The progress model of many bodies (issue 16): plans written before it keep working, a
command brings them up to date, and the small rules a user meets (which plan, drafts,
pasted notes)."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from kehoach.judge.status import compute_status
from kehoach.life.log import join_lines
from kehoach.plan.loader import load_plan

ROOT = Path(__file__).resolve().parent.parent
OLD_DEMO = ROOT / "tests" / "data" / "demo-before-16.yaml"  # examples/demo.yaml as shipped before
PLAN = ROOT / "plans" / "2021.yaml"
# the comment above II.5.e's year-end deadline, which the source does not give
INFERRED = ("        # suy ra: văn bản không ghi thời hạn; đặt hạn cuối năm 2021 (kỳ của Kế hoạch)\n"
            "        # vì đây là một sản phẩm; các sản phẩm (deliverables) cũng là lời người mã hóa.\n")


def test_a_plan_written_before_loads_unchanged_and_reads_as_before():
    """Entries that name no body are the leads' joint report: a co-led task is done when such an
    entry says 100 %, as it was."""
    loaded = load_plan(OLD_DEMO)
    assert loaded.ok and [d.code for d in loaded.diagnostics] == []
    by_id = compute_status(loaded.plan, dt.date(2021, 7, 1)).by_id()
    assert (by_id["II.1.a"].status, by_id["II.1.a"].percent) == ("done_on_time", 100)  # led by both Bans
    assert by_id["II.4.b"].status == "overdue" and by_id["II.4.b"].percent == 70


def _statuses(path, days=("2021-03-31", "2021-06-30", "2021-09-30", "2021-12-31")):
    plan = load_plan(path).plan
    return [(ts.id, ts.status, ts.percent) for day in days
            for ts in compute_status(plan, dt.date.fromisoformat(day)).walk()]


def test_check_fix_never_changes_what_the_plan_says(tmp_path, kehoach):
    """An entry without a body is the leads' joint report. Turning "by: Sở Nội vụ" into a body of a
    task the Ban Cán sự đảng leads would make it a supporting body's result (the task "not done"):
    the fix leaves such entries, says why, and says what the plan would need (a standing unit)."""
    plan = tmp_path / "demo.yaml"
    shutil.copy(OLD_DEMO, plan)
    before, statuses = plan.read_bytes(), _statuses(plan)
    code, out, err = kehoach("check", "--fix", plan)
    assert code == 0 and plan.read_bytes() == before
    assert "đã đổi 0 mục" in err and "77 mục chưa chắc chắn" in err
    assert f'{plan}:229: II.1.b: Sở Nội vụ không chủ trì nhiệm vụ này' in err
    assert f'{plan}:204: II.1.a: "by: Phòng DVCQ&ĐT" không khớp chắc chắn với một cơ quan' in err
    assert ('so-noi-vu viết 24 mục tiến độ của nhiệm vụ do bcsd-ubnd chủ trì: nếu so-noi-vu là bộ phận '
            'thường trực báo cáo thay bcsd-ubnd, thêm "reporting: standing: {bcsd-ubnd: [so-noi-vu]}"') in err
    # with the standing unit named, its entries on the Ban's own tasks become its; nothing else moves
    plan.write_text(plan.read_text(encoding="utf-8").replace(
        "reporting:\n  convention: calendar\n", "reporting:\n  convention: calendar\n"
        "  standing: {bcsd-ubnd: [so-noi-vu]}\n", 1), encoding="utf-8")
    named = plan.read_text(encoding="utf-8")
    code, out, err = kehoach("check", "--fix", plan)
    after = plan.read_text(encoding="utf-8")
    assert code == 0 and "đã đổi 24 mục" in err and f"{plan}:229: II.1.b: by: Sở Nội vụ → body: so-noi-vu" in err
    changed = [(a, b) for a, b in zip(named.splitlines(), after.splitlines(), strict=True) if a != b]
    assert len(changed) == 24 and all(a.strip() == "by: Sở Nội vụ" and b.strip() == "body: so-noi-vu"
                                      for a, b in changed)
    assert _statuses(plan) == statuses and load_plan(plan).ok  # every task stands where it stood
    code, _, err = kehoach("check", "--fix", plan)  # again: nothing left that is certain
    assert "đã đổi 0 mục" in err and plan.read_text(encoding="utf-8") == after


def test_check_fix_keeps_the_person_and_leaves_the_shipped_plan_as_it_is(tmp_path, kehoach):
    plan = tmp_path / "2021.yaml"
    text = PLAN.read_text(encoding="utf-8").replace(
        "        objectives: [I.2, I.3]\n" + INFERRED + "        deadline: '2021'\n        deliverables:\n"
        "          - >-\n            Quy chế đối thoại",
        "        objectives: [I.2, I.3]\n" + INFERRED + "        deadline: '2021'\n        progress:\n"
        "          - date: 2021-05-10\n"
        "            percent: 40\n            note: Dự thảo Quy chế\n            by: Nguyễn Văn A, Sở Nội vụ\n"
        "        deliverables:\n          - >-\n            Quy chế đối thoại", 1)
    assert "Nguyễn Văn A, Sở Nội vụ" in text
    plan.write_text(text, encoding="utf-8")
    code, _, err = kehoach("check", "--fix", plan)
    assert code == 0, err
    entry = next(t for t, _ in load_plan(plan).plan.iter_tasks() if t.id == "II.5.e").progress[0]
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


@pytest.mark.slow  # about half a second or more here: CI runs it (.ci/run)
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


def test_a_ban_and_its_standing_unit_both_report_done_in_any_order(tmp_path, kehoach):
    """Two true reports of one completion (the Ban's own, its standing unit's) are both recorded,
    whichever comes first; only the same body's completion twice is refused."""
    plan = tmp_path / "2021.yaml"
    shutil.copy(PLAN, plan)
    assert kehoach("log", "IV.3.f", "-p", plan, "--body", "bcsd-ubnd", "--done", "-m", "Chấm điểm xong",
                   "--date", "2021-12-17")[0] == 0
    assert kehoach("log", "IV.3.f", "-p", plan, "--body", "so noi vu", "--done", "-m", "Tổng hợp kết quả chấm điểm",
                   "--date", "2021-12-16")[0] == 0  # earlier, arriving later: recorded as it is
    code, _, err = kehoach("log", "IV.3.f", "-p", plan, "--body", "so noi vu", "--done", "-m", "Gửi lại",
                           "--date", "2021-12-20")
    assert code == 1 and "bởi cùng cơ quan" in err
    ts = compute_status(load_plan(plan).plan, dt.date(2021, 12, 31)).by_id()["IV.3.f"]
    assert (ts.status, ts.done_on) == ("done_on_time", dt.date(2021, 12, 16))


def test_log_asks_whose_report_when_several_lead(tmp_path, kehoach):
    plan = tmp_path / "2021.yaml"
    shutil.copy(PLAN, plan)
    code, _, err = kehoach("log", "II.1.c", "-p", plan, "-m", "Hướng dẫn thực hiện", "--date", "2021-06-05")
    assert code == 2 and "--body" in err and "--joint" in err and plan.read_bytes() == PLAN.read_bytes()
    assert kehoach("log", "II.1.c", "-p", plan, "--joint", "-m", "Hướng dẫn thực hiện", "--date", "2021-06-05")[0] == 0
    assert kehoach("log", "III.1.a", "-p", plan, "-m", "Tham mưu", "--date", "2021-06-05")[0] == 0  # one lead
