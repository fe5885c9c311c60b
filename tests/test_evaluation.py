"""The evaluation of a period (kehoach.judge.evaluation) and the report built from it.

One small plan holds one task per rule; each test asserts in which section of
the report each task and each entry lands, in the report's JSON context (what
the document says) and in its Markdown (what the official reads), for Q2, H1,
Y and a thematic report. The two shipped plans are checked the same way.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from kehoach.base.periods import Span
from kehoach.cli.app import main
from kehoach.judge.evaluation import evaluate
from kehoach.judge.scope import report_span, select
from kehoach.outputs.render import render_text, template_dirs
from kehoach.plan.loader import load_plan, load_text
from kehoach.plan.schedule import build_schedule
from kehoach.views.reportview import build_report, context_json
from plans_for_tests import D, plan_2021_progress

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "examples" / "demo.yaml"

RULES = """\
plan:
  id: rules
  title: Kế hoạch thử các quy tắc
  issuers: [a]
  period: {start: 2021-01-01, end: 2021-12-31}
bodies:
  - {id: a, name: Ban A, short: BA, kind: party}
  - {id: b, name: Sở B, short: SB, kind: state}
reporting:
  topics:
    - {id: cchc, name: Cải cách hành chính}
tasks:
  - id: due-q2
    title: Việc hạn quý II chưa xong
    lead: [a]
    deadline: 2021-Q2
    progress:
      - {date: 2021-06-20, percent: 70, note: Đạt 70 phần trăm}
  - id: last-day
    title: Việc hạn 30/6 xong đúng ngày
    lead: [a]
    deadline: 2021-06-30
    topics: [cchc]
    progress:
      - {date: 2021-06-30, percent: 100, note: Xong ngày cuối quý}
  - id: late
    title: Việc xong muộn
    lead: [b]
    deadline: 2021-05
    progress:
      - {date: 2021-06-08, percent: 100, note: Xong muộn tám ngày}
  - id: year
    title: Sản phẩm cả năm
    lead: [b]
    deadline: '2021'
    topics: [cchc]
    progress:
      - {date: 2021-03-10, percent: 30, note: Đạt 30 phần trăm}
  - id: cont-h1
    title: Thường xuyên có báo cáo nửa đầu năm
    lead: [a]
    deadline: continuous
    topics: [cchc]
    progress:
      - {date: 2021-02-10, percent: 20, note: Kết quả quý I}
      - {date: 2021-05-10, percent: 40, note: Kết quả quý II}
  - id: cont-none
    title: Thường xuyên không báo cáo
    lead: [b]
    deadline: continuous
  - id: rec
    title: Báo cáo quý
    lead: [a]
    deadline: {every: quarter}
    progress:
      - {date: 2021-03-30, percent: 100, occurrence: 2021-Q1, note: Gửi báo cáo quý I}
  - id: kinds
    title: Việc có khó khăn và kiến nghị
    lead: [b]
    deadline: 2021-09-30
    progress:
      - {date: 2021-05-05, percent: 20, note: Kết quả bước đầu}
      - {date: 2021-05-06, percent: 20, kind: difficulty, note: Thiếu kinh phí}
      - {date: 2021-05-07, percent: 20, kind: proposal, note: Đề nghị bổ sung kinh phí}
      - {date: 2021-09-20, percent: 100, note: Hoàn thành sau khi có kinh phí}
  - id: hn
    title: Tổ chức hội nghị 6 tháng và cuối năm
    lead: [a]
    deadline: {every: half}
meetings:
  - id: hn-6-thang
    name: Hội nghị sơ kết 6 tháng
    when: 2021-H1
    task: hn
  - id: hn-cuoi-nam
    name: Hội nghị tổng kết năm
    when: 2021-H2
    task: hn
"""


@pytest.fixture(scope="module")
def rules():
    loaded = load_text(RULES, "rules.yaml")
    assert loaded.ok, [d.message("en") for d in loaded.diagnostics]
    return loaded.plan


def report(plan, period, **kw):
    ctx = build_report(plan, report_span(plan, period, None, None), **kw)
    return context_json(ctx), render_text("report.md.j2", ctx, template_dirs(), "md")


def ids(items, key="id"):
    return [i[key] if isinstance(i, dict) else i for i in items]


def section(md: str, start: str, end: str) -> str:
    return md.split(start, 1)[1].split(end, 1)[0]


def line_ids(lines) -> list[str]:
    return [line["task_id"] for line in lines]


def block(ev, part: str, code: str) -> list[dict]:
    """The lines of one block of the assessment (`strengths`, `limits`, `others`), or none;
    every block's count is its number of lines."""
    for b in ev[part]:
        if b["code"] == code:
            assert b["count"] == len(b["lines"])
            return b["lines"]
    return []


# ---------------------------------------------------------------- Q2


def test_q2_work_due_in_the_period_and_not_done_is_unfinished_and_carried(rules):
    ctx, md = report(rules, "Q2")
    ev = ctx["evaluation"]
    # due on the quarter's last day (quý II), 70 %: under Hạn chế with its last note, and in III
    # so does the open Q2 occurrence of the quarterly report, and the 6-month conference
    # (the H1 occurrence of `hn`, named after its meeting) that nobody logged
    assert ids(ev["unfinished"]) == ["due-q2", "rec", "hn"]
    row = ev["unfinished"][0]
    assert (row["percent"], row["lead"], row["deadline"]) == (70, "BA", "quý II/2021")
    assert row["last_note"] == "Đạt 70 phần trăm (20/6/2021)"
    assert ev["unfinished"][1]["title"] == "Báo cáo quý — quý II năm 2021"
    assert ev["unfinished"][2]["title"] == "Hội nghị sơ kết 6 tháng — 6 tháng đầu năm 2021"
    assert [i["what"] for i in ctx["next"]["carried"]] == [
        "due-q2. Việc hạn quý II chưa xong", "rec. Báo cáo quý — quý II năm 2021",
        "hn. Hội nghị sơ kết 6 tháng — 6 tháng đầu năm 2021"]
    limits = section(md, "### 2. Hạn chế, khó khăn", "## III.")
    assert "| 1 | due-q2 | Việc hạn quý II chưa xong | BA | quý II/2021 | 70% |" in limits
    assert ev["unfinished_heading"].startswith("Đến ngày 30/6/2021, còn 1 nhiệm vụ và 2 lượt báo cáo")
    assert ev["tally"]["unfinished_tasks"] == 1 and ev["tally"]["unfinished_occurrences"] == 2
    nxt = section(md, "## III.", "## IV.")
    assert "- due-q2. Việc hạn quý II chưa xong (BA): hạn quý II/2021, đạt 70%." in nxt
    assert "Không có nhiệm vụ đến hạn" not in md


def test_q2_strengths_are_work_done_on_time_and_late_work_is_late(rules):
    ctx, md = report(rules, "Q2")
    ev = ctx["evaluation"]
    assert line_ids(block(ev, "strengths", "done_tasks_on_time")) == ["last-day"]  # the Q1 report is Q1's
    assert block(ev, "strengths", "done_occurrences_on_time") == []
    strengths = section(md, "### 1. Ưu điểm", "### 2.")
    assert "last-day. Việc hạn 30/6 xong đúng ngày: hoàn thành ngày 30/6/2021." in strengths
    assert "Việc xong muộn" not in strengths
    assert line_ids(block(ev, "limits", "done_tasks_late")) == ["late"]
    assert (ev["tally"]["done_tasks_on_time"], ev["tally"]["done_tasks_late"]) == (1, 1)
    assert "late. Việc xong muộn: hạn tháng 5/2021, hoàn thành ngày 08/6/2021." in section(
        md, "### 2. Hạn chế", "## III.")


def test_q2_difficulties_and_proposals_are_not_results(rules):
    ctx, md = report(rules, "Q2")
    item = next(i for g in ctx["results"] for i in g["items"] if i["id"] == "kinds")
    assert [e["note"] for e in item["lines"]] == ["Kết quả bước đầu"]
    assert [e["note"] for e in ctx["evaluation"]["difficulties"]] == ["Thiếu kinh phí"]
    assert [e["note"] for e in ctx["proposals"]] == ["Đề nghị bổ sung kinh phí"]
    results = section(md, "## I.", "## II.")
    assert "Thiếu kinh phí" not in results and "Đề nghị bổ sung kinh phí" not in results
    assert "- kinds: 06/5/2021: Thiếu kinh phí" in section(md, "### 2. Hạn chế", "## III.")
    assert "- kinds: 07/5/2021: Đề nghị bổ sung kinh phí" in section(md, "## IV.", "PHỤ LỤC")


def test_q2_continuous_work_is_judged_over_the_quarter(rules):
    """Continuous work is kept up ("duy trì") only when its lead reported for the quarter;
    the rest is listed once, under Hạn chế, with the quarter missing."""
    ctx, md = report(rules, "Q2")
    ev = ctx["evaluation"]
    assert line_ids(block(ev, "strengths", "maintained")) == ["cont-h1"]
    assert [(x["task_id"], x["text"]) for x in block(ev, "limits", "gaps")] == [
        ("cont-none", "cont-none. Thường xuyên không báo cáo: SB chưa báo cáo quý II.")]
    assert (ev["tally"]["maintained"], ev["tally"]["gaps"]) == (1, 1)


def test_q2_meeting_tracked_by_a_task_is_one_item(rules):
    """The 6-month conference is the H1 occurrence of `hn` and the meeting
    `hn-6-thang`: one line, named after the meeting."""
    ctx, _ = report(rules, "Q1")
    whats = [i["what"] for i in ctx["next"]["items"]]
    assert whats.count("hn. Hội nghị sơ kết 6 tháng — 6 tháng đầu năm 2021") == 1
    assert not any("Hội nghị sơ kết 6 tháng" in w and not w.startswith("hn.") for w in whats)


# ---------------------------------------------------------------- H1, Y


def test_h1_next_period_lists_the_year_end_conference_once(rules):
    ctx, md = report(rules, "H1")
    whats = [i["what"] for i in ctx["next"]["items"]]
    assert sum("Hội nghị tổng kết năm" in w for w in whats) == 1
    assert ctx["next"]["label"] == "6 tháng cuối năm 2021"


def test_year_report_unfinished_deliverables_are_shortcomings_and_carried(rules):
    """A 'năm 2021' deliverable at 30 % on 31/12 is unfinished, under Hạn chế and in III
    for 2022; it is never 'trong hạn' on the year's last day."""
    ctx, md = report(rules, "Y")
    ev = ctx["evaluation"]
    assert "year" in ids(ev["unfinished"])
    assert "year. Sản phẩm cả năm" in [i["what"] for i in ctx["next"]["carried"]]
    assert ctx["next"]["label"] == "năm 2022"
    assert ev["tally"]["unfinished_tasks"] == 2  # due-q2, year
    assert ev["tally"]["unfinished_occurrences"] == 5  # rec Q2, Q3, Q4; hn H1, H2
    assert "Không có nhiệm vụ đến hạn trong kỳ tới" not in md


def test_year_report_carries_the_last_periods_reports_and_conferences_into_next_year(rules):
    """"Phương hướng, nhiệm vụ năm 2022" takes the unfinished deliverables and the duties of the
    year's last period (the quarterly report of quý IV, the year-end conference), which an office
    still does in January; the reports of quý II and III and the 6-month conference missed in 2021
    stay under Hạn chế: nobody sends the Q2 report in 2022."""
    ctx, md = report(rules, "Y")
    unfinished = [(r["id"], r["deadline"]) for r in ctx["evaluation"]["unfinished"]]
    carried = ctx["next"]["carried"]
    assert len(unfinished) == 7 and len(carried) == 4
    whats = [i["what"] for i in carried]
    assert "rec. Báo cáo quý — quý IV năm 2021" in whats
    assert "rec. Báo cáo quý — quý II năm 2021" not in whats
    assert not any("6 tháng đầu năm 2021" in w for w in whats)
    assert "hn. Hội nghị tổng kết năm — 6 tháng cuối năm 2021" in whats  # the H2 occurrence, by its meeting
    part = section(md, "## III. PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM 2022", "## IV.")
    assert "Báo cáo quý — quý IV năm 2021 (BA): hạn quý IV/2021" in part
    assert ctx["next"]["items"] == []  # nothing of the plan falls due in 2022


def test_year_report_continuous_work_is_kept_up_only_if_reported_every_quarter(rules):
    """cont-h1 reported in Q1 and Q2 only: in the annual report it is not "duy trì thường xuyên";
    it is listed once under Hạn chế with the quarters it missed."""
    ctx, md = report(rules, "Y")
    ev = ctx["evaluation"]
    assert block(ev, "strengths", "maintained") == []
    gaps = {g["task_id"]: g["text"] for g in block(ev, "limits", "gaps")}
    assert gaps["cont-h1"].endswith("BA chưa báo cáo quý III, quý IV.")
    assert gaps["cont-none"].endswith("SB chưa báo cáo quý I, quý II, quý III, quý IV.")
    assert "Duy trì thực hiện thường xuyên" not in md


def test_year_report_resolves_a_proposal_whose_task_was_completed(rules):
    """A proposal whose task was completed after it is no open proposal: it is listed apart, as
    resolved, never dropped (a report saying "no proposals" would not be true)."""
    ctx, md = report(rules, "Y")
    assert "Đề nghị bổ sung kinh phí" not in [p["note"] for p in ctx["proposals"]]
    assert [p["note"] for p in ctx["resolved"]] == ["Đề nghị bổ sung kinh phí"]
    part = section(md, "## IV.", "PHỤ LỤC")
    assert "Các kiến nghị trong kỳ đã được giải quyết" in part and "Đề nghị bổ sung kinh phí" in part
    assert "Không có kiến nghị" not in part


def test_a_proposal_resolved_after_the_period_is_left_out_by_the_as_of_date(rules):
    plan = rules
    span = report_span(plan, "Q2", None, None)
    at_end = context_json(build_report(plan, span))
    later = context_json(build_report(plan, span, as_of=D("2021-09-25")))
    assert [p["note"] for p in at_end["proposals"]] == ["Đề nghị bổ sung kinh phí"]
    assert later["proposals"] == []


# ---------------------------------------------------------------- thematic, body


def test_thematic_report_counts_lists_and_carries_only_its_topic(rules):
    ctx, md = report(rules, "Y", topic="cchc")
    listed = {i["id"] for g in ctx["results"] for i in g["items"]}
    assert listed == {"last-day", "year", "cont-h1"}
    ev = ctx["evaluation"]
    assert ev["tally"] == {"done_tasks_on_time": 1, "done_tasks_late": 0, "unfinished_tasks": 1,
                           "done_occurrences_on_time": 0, "done_occurrences_late": 0, "unfinished_occurrences": 0,
                           "maintained": 0, "gaps": 1, "not_triggered": 0, "suspended": 0}
    assert ids(ev["unfinished"]) == ["year"]
    assert line_ids(block(ev, "strengths", "done_tasks_on_time")) == ["last-day"]
    assert [i["what"] for i in ctx["next"]["carried"]] == ["year. Sản phẩm cả năm"]
    assert ctx["next"]["continuing"] == ""  # next year is another plan's: the plan's continuous work ends
    assert "due-q2" not in md and "cont-none" not in md


def test_report_for_one_body_counts_its_tasks(rules):
    ctx, md = report(rules, "Q2", body="so b")
    assert ctx["body"] == "Sở B"
    # section I holds results: the tasks of Sở B with something reported or done in Q2
    assert {i["id"] for g in ctx["results"] for i in g["items"]} == {"late", "kinds"}
    tally = ctx["evaluation"]["tally"]
    assert (tally["done_tasks_late"], tally["gaps"], sum(tally.values())) == (1, 1, 2)  # late; cont-none
    assert "(nhiệm vụ của Sở B)" in ctx["doc"]["summary"]


def test_status_headline_counts_the_body_only(rules, tmp_path, capsys):
    path = tmp_path / "rules.yaml"
    path.write_text(RULES, encoding="utf-8")
    assert main(["status", "-p", str(path), "--as-of", "2021-07-01", "--body", "so b", "-f", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["summary"]["rollup"]["total"] == 4
    assert doc["scope"]["body"] == ["b"]
    assert main(["status", "-p", str(path), "--as-of", "2021-07-01", "--body", "so b"]) == 0
    out = capsys.readouterr().out
    assert "nhiệm vụ của Sở B" in out.splitlines()[0]


# ---------------------------------------------------------------- the evaluation itself


def test_interim_report_before_the_due_date(rules):
    """Written on 25/6 for Q2: due-q2 (due 30/6) is unfinished but not yet overdue."""
    ev = evaluate(rules, Span.of(__import__("kehoach.base.periods", fromlist=["x"]).report_period("Q2", 2021)),
                  as_of=D("2021-06-25"))
    verdicts = {j.node.id: j.verdict for j in ev.judged if j.occurrence is None}
    assert verdicts["due-q2"] == "unfinished"
    assert verdicts["last-day"] == "unfinished"  # completed only on 30/6
    assert ev.cut == D("2021-06-25")


def test_every_judged_item_has_one_verdict_and_unfinished_ones_are_carried(rules):
    for key in ("Q1", "Q2", "Q3", "Q4", "H1", "H2", "9M", "Y"):
        span = report_span(rules, key, None, None)
        ev = evaluate(rules, span)
        carried = {(u.node.id, u.occurrence.code if u.occurrence else None) for u in ev.upcoming if u.carried}
        unfinished = {(j.node.id, j.occurrence.code if j.occurrence else None) for j in ev.unfinished
                      if j.occurrence is None or j.occurrence.end >= span.end or ev.next_span.start <= D("2021-12-31")}
        assert carried == unfinished, key  # past the plan: the last period's missed reports, not earlier ones


def test_scope_of_a_topic_follows_the_parent_when_a_subtask_names_none():
    text = RULES.replace("""  - id: hn
    title: Tổ chức hội nghị 6 tháng và cuối năm""", """  - id: p
    title: Nhóm
    lead: [a]
    topics: [cchc]
    subtasks:
      - {id: p.a, title: Con không gắn chuyên đề, deadline: 2021-Q3}
      - {id: p.b, title: Con gắn chuyên đề khác, deadline: 2021-Q3, topics: [khac]}
  - id: hn
    title: Tổ chức hội nghị 6 tháng và cuối năm""").replace(
        "    - {id: cchc, name: Cải cách hành chính}",
        "    - {id: cchc, name: Cải cách hành chính}\n    - {id: khac, name: Khác}")
    plan = load_text(text, "x.yaml").plan
    scope = select(build_schedule(plan), topic="cchc")
    assert "p.a" in scope.leaves and "p.b" not in scope.leaves


# ---------------------------------------------------------------- the shipped plans


def test_demo_q2_lists_ii_4_b_under_shortcomings_and_in_iii():
    plan = load_plan(DEMO).plan
    ctx, md = report(plan, "Q2")
    assert "II.4.b" in ids(ctx["evaluation"]["unfinished"])
    assert any(i["what"].startswith("II.4.b.") for i in ctx["next"]["carried"])
    assert "Không có nhiệm vụ quá hạn" not in md


def test_demo_year_strengths_never_hold_late_work():
    plan = load_plan(DEMO).plan
    ctx, md = report(plan, "Y")
    ev = ctx["evaluation"]
    late = set(line_ids(block(ev, "limits", "done_tasks_late")))
    assert late == {"II.1.b", "II.4.b"}
    assert set(line_ids(block(ev, "limits", "done_occurrences_late"))) == {"IV.1.a"}  # Q3 report, 08/10
    strengths = {x["task_id"] for b in ev["strengths"] for x in b["lines"]}
    assert not late & strengths
    assert not any("quý III" in x["text"] for x in block(ev, "strengths", "done_occurrences_on_time")
                   if x["task_id"] == "IV.1.a")
    # the regulation issued on 08/7 resolves nothing in IV that asks for it again
    assert not any("sớm ban hành Quy chế" in p["note"] for p in ctx["proposals"])


@pytest.fixture(scope="module")
def plan_h1_only():
    loaded = load_text(plan_2021_progress("2021-06-30"), "2021-h1.yaml")
    assert loaded.ok
    return loaded.plan


@pytest.mark.slow  # about half a second or more here: CI runs it (.ci/run)
def test_2021_year_report_with_h1_progress_lists_every_unfinished_deliverable(plan_h1_only):
    """Entries in Q1–Q2 only: every 'năm 2021' deliverable is unfinished at year end,
    under Hạn chế and in III; no continuous task that reported is 'chưa báo cáo'."""
    from kehoach.base.deadlines import Dated

    plan = plan_h1_only
    year_deliverables = {t.id for t, _ in plan.iter_tasks()
                         if not t.subtasks and isinstance(t.deadline, Dated) and t.deadline.kind == "year"}
    assert {"II.6.b", "IV.3.f", "IV.3.g", "IV.3.h"} <= year_deliverables
    assert "II.6.c" not in year_deliverables  # continuing work with a focus, not a year-end product
    ctx, md = report(plan, "Y")
    unfinished = set(ids(ctx["evaluation"]["unfinished"]))
    assert year_deliverables <= unfinished
    carried = {i["what"].split(". ", 1)[0] for i in ctx["next"]["carried"]}
    assert year_deliverables <= carried
    # continuous work reported in Q1 and Q2 only: not "kept up" in the year, listed with Q3 and Q4
    gaps = block(ctx["evaluation"], "limits", "gaps")
    continuous = {t.id for t, _ in plan.iter_tasks() if not t.subtasks and t.deadline is not None
                  and type(t.deadline).__name__ == "Continuous"}
    assert {g["task_id"] for g in gaps} == continuous
    for g in gaps:  # the joint report counts for both Bans: no lead is named apart
        expected = ("tháng 7, tháng 8, tháng 9, tháng 10, tháng 11, tháng 12." if g["task_id"] == "III.1.b"
                    else "quý III, quý IV.")
        assert g["text"].endswith(": chưa báo cáo " + expected) or g["text"].endswith(expected), g["text"]
    limits = section(md, "### 2. Hạn chế, khó khăn", "## III.")
    for task_id in year_deliverables:
        assert f"| {task_id} |" in limits


def test_2021_q2_and_h1_documents_in_every_format(plan_h1_only, tmp_path):
    path = tmp_path / "2021.yaml"
    path.write_text(plan_2021_progress("2021-06-30"), encoding="utf-8")
    for period in ("Q2", "H1"):
        assert main(["report", "-p", str(path), "--period", period, "-f", "md,html,docx,json",
                     "-o", str(tmp_path / period) + "/"]) == 0
        names = sorted(p.name for p in (tmp_path / period).iterdir())
        assert names == [f"dv-2021-bao-cao-2021-{period}.{f}" for f in ("docx", "html", "json", "md")]
        doc = json.loads((tmp_path / period / f"dv-2021-bao-cao-2021-{period}.json").read_text(encoding="utf-8"))
        assert doc["version"] == 2 and doc["document"] == "report" and doc["period"]["code"] == f"2021-{period}"


STANDING = """\
plan:
  id: standing
  title: Kế hoạch thử bộ phận thường trực
  issuers: [a]
  period: {start: 2021-01-01, end: 2021-12-31}
bodies:
  - {id: a, name: Ban A, short: BA, kind: party}
  - {id: b, name: Sở B, short: SB, kind: state}
tasks:
  - id: p
    title: Bộ phận thường trực
    lead: [a, b]
    subtasks:
      - id: p.a
        title: Tham mưu thường xuyên
        lead: [a, b]
        deadline: continuous
      - id: p.b
        title: Tham mưu báo cáo 6 tháng và năm
        lead: [a, b]
        deadline: {every: half}
        progress:
          - {date: 2021-06-20, body: b, percent: 100, occurrence: 2021-H1, note: SB đã tham mưu}
"""


@pytest.fixture(scope="module")
def standing():
    loaded = load_text(STANDING, "standing.yaml")
    assert loaded.ok, [d.message("en") for d in loaded.diagnostics]
    return loaded.plan


def test_a_recurring_duty_has_one_percent_in_every_section_and_in_status(standing, tmp_path, capsys):
    """Q2: the 6-month report is done by SB, not by BA. Hạn chế, the appendix and `status` say
    the same: 50 % (BA 0 %, SB 100 %), the appendix naming the occurrence it is of; SB's own
    progress is 100 %, not 0 %."""
    ctx, md = report(standing, "Q2")
    row = next(r for r in ctx["evaluation"]["unfinished"] if r["id"] == "p.b")
    appendix = {r["id"]: r for r in ctx["appendix"]}
    assert row["percent_text"] == appendix["p.b"]["percent_text"] == "50% (BA 0%, SB 100%)"
    assert appendix["p.b"]["deadline"] == "định kỳ 6 tháng (kỳ 6 tháng đầu năm 2021)"
    path = tmp_path / "standing.yaml"
    path.write_text(STANDING, encoding="utf-8")
    assert main(["status", "-p", str(path), "--as-of", "2021-06-30", "-f", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    task = next(t for t in doc["tasks"] if t["id"] == "p.b")
    assert task["percent"] == 50
    assert {s["body"]: s["percent"] for s in task["leads"]} == {"a": 0, "b": 100}
    assert main(["status", "-p", str(path), "--as-of", "2021-06-30"]) == 0
    out = capsys.readouterr().out.split("Tiến độ theo cơ quan chủ trì", 1)[1]
    assert [line.split()[-1] for line in out.splitlines() if line.startswith(("Ban A", "Sở B"))] == ["0%", "100%"]


def test_a_parent_runs_to_its_recurring_subtask_last_occurrence(standing):
    """A parent without a deadline of its own is due when its last subtask is: the half-yearly
    duty's H2 (31/12), never the occurrence it stands at (30/6)."""
    ctx, md = report(standing, "Q2")
    appendix = {r["id"]: r for r in ctx["appendix"]}
    assert appendix["p"]["deadline"] == "chậm nhất 31/12/2021"
    assert appendix["p"]["due"] == "31/12/2021"


def test_q2_work_due_after_the_next_quarter_names_the_duties_with_occurrences_still_to_come(rules):
    """"Tiếp tục thực hiện N nhiệm vụ có thời hạn sau quý III": the 'năm 2021' deliverable, and the
    half-yearly conference whose second-half occurrence lies after Q3 — not the work done or due
    before it, nor the quarterly report, named above with its Q3 occurrence (an official read it
    named twice, "IV.2.a … quý II" and again among the work due later)."""
    ctx, md = report(rules, "Q2")
    part = section(md, "## III. PHƯƠNG HƯỚNG, NHIỆM VỤ QUÝ III NĂM 2021", "## IV.")
    assert "rec. Báo cáo quý — quý III năm 2021 (BA)" in part
    assert "Tiếp tục thực hiện 2 nhiệm vụ có thời hạn sau quý III năm 2021: year, hn." in part
    ctx, md = report(rules, "Q3")  # after Q4 the plan has ended: nothing is due after it
    assert "có thời hạn sau" not in md


def test_a_report_due_days_after_its_quarter_is_dated_by_its_day_and_the_last_one_goes_into_next_year():
    """A quarterly report due 5 days after its quarter: late on 12/4 against "hạn 05/4/2021", not
    against "quý I/2021" (which ended 31/3); the year's report names the Q4 report due 05/01/2022
    among the tasks of 2022, where it was named nowhere."""
    text = RULES.replace("deadline: {every: quarter}", "deadline: {every: quarter, days_after: 5}").replace(
        "{date: 2021-03-30, percent: 100, occurrence: 2021-Q1, note: Gửi báo cáo quý I}",
        "{date: 2021-04-12, percent: 100, occurrence: 2021-Q1, note: Gửi báo cáo quý I}")
    plan = load_text(text, "rules.yaml").plan
    ctx, md = report(plan, "Q2")
    assert "rec. Báo cáo quý — quý I năm 2021: hạn 05/4/2021, hoàn thành ngày 12/4/2021." in md
    ctx, md = report(plan, "Y")
    part = section(md, "## III. PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM 2022", "## IV.")
    assert "- 05/01/2022: rec. Báo cáo quý — quý IV năm 2021 (BA)" in part


def test_a_task_due_days_after_an_event_that_happened_is_dated_in_the_report():
    """Judged late, a task due 60 days after an event recorded on 15/4 says it was due 14/6/2021."""
    text = RULES.replace("  - id: hn\n", """  - id: trig
    title: Bố trí kinh phí cho Đề án
    lead: [b]
    deadline: {after: Ban Thường vụ phê duyệt Đề án, within_days: 60, triggered_on: 2021-04-15}
    progress:
      - {date: 2021-07-20, percent: 100, note: Bố trí đủ kinh phí}
  - id: hn
""")
    plan = load_text(text, "rules.yaml").plan
    ctx, md = report(plan, "Q3")
    assert ("trig. Bố trí kinh phí cho Đề án: hạn 14/6/2021 (trong 60 ngày, sau khi Ban Thường vụ phê duyệt "
            "Đề án ngày 15/4/2021), hoàn thành ngày 20/7/2021.") in md


def test_under_nd09_the_year_report_carries_only_the_last_periods_reports_too():
    """Under `convention: nd09` the next year begins on 15/12, inside the plan: the year's report
    still carried the Q1–Q3 reports into 2022 and would have dropped Q4's (which ends on 14/12)."""
    text = RULES.replace("  period: {start: 2021-01-01, end: 2021-12-31}\n",
                         "  period: {start: 2021-01-01, end: 2021-12-31}\n", 1).replace(
        "reporting:\n", "reporting:\n  convention: nd09\n", 1)
    plan = load_text(text, "rules.yaml").plan
    assert plan is not None and plan.convention == "nd09"
    ctx, md = report(plan, "Y")
    whats = [i["what"] for i in ctx["next"]["carried"]]
    assert "rec. Báo cáo quý — quý IV năm 2021" in whats
    assert not [w for w in whats if "quý II năm 2021" in w or "quý III năm 2021" in w], whats


@pytest.mark.parametrize("days, words", [
    ("0", "hạn 15/4/2021 (sau khi Ban Thường vụ phê duyệt Đề án ngày 15/4/2021)"),
    (None, "hạn 31/12/2021 (sau khi Ban Thường vụ phê duyệt Đề án ngày 15/4/2021)"),
])
def test_a_task_due_on_its_event_or_by_the_plans_end_says_its_date(days, words):
    """`within_days: 0` was taken for "no days", and without days (due by the plan's end) the
    report judged the task late without saying against which date."""
    within = f", within_days: {days}" if days is not None else ""
    text = RULES.replace("  - id: hn\n", f"""  - id: trig
    title: Bố trí kinh phí cho Đề án
    lead: [b]
    deadline: {{after: Ban Thường vụ phê duyệt Đề án{within}, triggered_on: 2021-04-15}}
    progress:
      - {{date: 2021-05-20, percent: 50, note: Bố trí một phần}}
  - id: hn
""")
    plan = load_text(text, "rules.yaml").plan
    ctx, md = report(plan, "Y")
    assert f"trig. Bố trí kinh phí cho Đề án (SB): {words}, đạt 50%." in md, section(md, "## III.", "## IV.")


@pytest.mark.slow  # about half a second or more here: CI runs it (.ci/run)
def test_a_periods_report_points_out_its_reports_mailed_after_it(tmp_path, kehoach):
    """BDVTU's report for quý I of II.1.a, returned on a form and dated 02/4 (the form allows 60
    days): `report --period Q1`, made at 31/3, left it out without a word and said BDVTU had not
    reported for quý I. It now says so and gives the --as-of that counts it; made so, the report
    holds it and is dated that day. (Moving the default date itself moved every other judgement of
    the report too: not done.)"""
    from plans_for_tests import with_entries

    text = with_entries((ROOT / "plans" / "2021.yaml").read_text(encoding="utf-8"), [
        ("II.1.a", {"date": D("2021-04-02"), "body": "bdvtu", "note": "KQ quý I gửi ngày 02/4",
                    "occurrence": "2021-Q1"}),
        ("II.1.a", {"date": D("2022-01-07"), "body": "bdvtu", "note": "KQ quý IV gửi ngày 07/01/2022",
                    "occurrence": "2021-Q4"}),
    ])
    plan = tmp_path / "2021.yaml"
    plan.write_text(text, encoding="utf-8")
    for period, note, day, dated in (("Q1", "KQ quý I gửi ngày 02/4", "2021-04-02", "ngày 02 tháng 4 năm 2021"),
                                     ("Q4", "KQ quý IV gửi ngày 07/01/2022", "2022-01-07",
                                      "ngày 07 tháng 01 năm 2022")):
        code, out, err = kehoach("report", "-p", plan, "--period", period, "-o", "-")
        assert code == 0 and note not in out
        assert f"--as-of {day}" in err and "1 báo cáo về kỳ này" in err, err
        code, out, err = kehoach("report", "-p", plan, "--period", period, "--as-of", day, "-o", "-")
        assert code == 0 and note in out and dated in out, period
    code, out, err = kehoach("report", "-p", plan, "--period", "Q2", "-o", "-")
    # sent in quý II about quý I: quý II's report gives it as quý I's, a report sent late
    assert "KQ quý I gửi ngày 02/4 (báo cáo bổ sung cho quý I năm 2021)" in out and "--as-of" not in err


def test_a_bodys_progress_does_not_fall_when_it_makes_its_report(rules):
    """Ban A made its first quarter's report on 30/3: its part of the quarterly duty read 100 % on
    31/3 and 0 % on 2/4, the second quarter's report opened (the plan's completion counted duties
    by their reports already; the bars by body did not). Now: the share of the reports due that
    were made, by the reports due so far."""
    from kehoach.judge.status import compute_status

    def ba_part(day: str) -> int:
        ps = compute_status(rules, dt.date.fromisoformat(day))
        return ps.body_completion([ps.by_id()["rec"]], "a")

    assert [ba_part(d) for d in ("2021-03-31", "2021-04-02", "2021-06-30", "2021-07-01")] == [100, 100, 100, 50]
