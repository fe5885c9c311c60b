"""`kehoach init`: next year's plan from this year's.

The 2022 plan made from the shipped 2021 plan passes `kehoach check` with only
"to fill in" warnings; every deadline moves into 2022 (a date keeps its day and
month, clamped to the month's end); progress is cleared; the tasks unfinished
at the end of 2021 are carried over with their old deadline, last percent and
last note; the header is left as marked blanks; comments stay where they apply.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest

from kehoach.base.deadlines import Continuous, Dated, Recurring, Triggered, shift_deadline
from kehoach.life.nextyear import make_next_year, next_year, shift_date
from kehoach.plan.loader import load_plan, load_text
from plans_for_tests import plan_2021_progress

ROOT = Path(__file__).resolve().parent.parent
PLAN = ROOT / "plans" / "2021.yaml"
# the "năm 2021" deliverables of the shipped plan (II.2.c … IV.3.h) and the year-end conference
YEAR_DELIVERABLES = ["II.2.c", "II.5.e", "II.6.b", "II.6.e", "II.9.a", "II.9.b", "III.2.c",
                     "IV.3.f", "IV.3.g", "IV.3.h"]



def make(tmp_path: Path, text: str | None = None, year: int = 2022) -> tuple[str, object]:
    """The next year's plan made from `text` (the shipped plan by default): (its text, its plan)."""
    source = tmp_path / "2021.yaml"
    source.write_text(text if text is not None else PLAN.read_text(encoding="utf-8"), encoding="utf-8")
    target = tmp_path / f"{year}.yaml"
    make_next_year(source, year, target)
    made = target.read_text(encoding="utf-8")
    loaded = load_text(made, str(target))
    assert loaded.plan is not None
    return made, loaded.plan


# ---------------------------------------------------------------- dates


@pytest.mark.parametrize("day, years, moved", [
    ("2021-06-30", 1, "2022-06-30"),
    ("2021-01-04", 1, "2022-01-04"),
    ("2020-02-29", 1, "2021-02-28"),  # clamped to the month's end
    ("2020-02-29", 4, "2024-02-29"),
])
def test_a_date_keeps_its_day_and_month(day, years, moved):
    assert shift_date(dt.date.fromisoformat(day), years) == dt.date.fromisoformat(moved)


@pytest.mark.parametrize("written, moved", [
    ("2021-06-30", "2022-06-30"),
    ("2020-02-29", "2021-02-28"),
    ("2021-Q2", "2022-Q2"),
    ("2021-H1", "2022-H1"),
    ("2021-12", "2022-12"),
    ("2021-03..2021-06-15", "2022-03..2022-06-15"),
    ("2021", "2022"),
    (2021, 2022),
    ("thường xuyên", "thường xuyên"),
])
def test_deadline_texts_move_into_the_new_year(written, moved):
    assert shift_deadline(written, 2022 - 2021 if written != "2020-02-29" else 1) == moved


# ---------------------------------------------------------------- the 2022 plan from the shipped plan


def test_2022_from_the_shipped_plan_passes_check_with_only_to_fill_warnings(tmp_path, kehoach):
    target = tmp_path / "2022.yaml"
    code, _, err = kehoach("init", "--year", "2022", "--from", PLAN, "-o", target)
    assert code == 0, err
    assert "2022" in err and str(target) in err
    code, out, _ = kehoach("check", target)
    assert code == 0
    codes = re.findall(r": cảnh báo: .*\[([a-z-]+)\]$", out, re.M)
    assert codes and set(codes) == {"to-fill", "check-comment-left"}
    # what init asks someone to look at: the objective citing last year's conclusion, and the two
    # texts that say what 2021 in particular was about ("năm 2021 là Hòa Phát Dung Quất", now 2022's)
    looks = re.findall(r"còn ghi chú cần kiểm tra: 'kiểm tra: (\S+ \S+ \S+ \S+)", out)
    assert looks == ["mục tiêu trích 25-KL/TU,", "nhiệm vụ nói trọng", "nhiệm vụ nói trọng"], looks
    made = target.read_text(encoding="utf-8")
    assert made.index("trọng tâm riêng của năm 2021") < made.index("  - id: II.6\n")
    # the uncertain number and date were blanked, and their notes with them; the undated decision stays a note
    assert re.findall(r": lưu ý: .*\[([a-z-]+)\]$", out, re.M) == ["reference-undated"]
    # the number, the date (empty: it was not listed, and the reports cited the plan without one),
    # the theme (and where the old theme was quoted, in I.1 too) and the two signers' names are the blanks
    blanks = re.findall(r"'([a-z_.\[\]0-9]+)' còn để trống", out)
    assert blanks == ["plan.number", "plan.issued", "plan.theme", "objectives[0].text", "tasks[1].description",
                      "tasks[1].subtasks[0].title", "tasks[1].subtasks[0].description", "signers[0].name",
                      "signers[1].name"]
    code, out, _ = kehoach("check", "--strict", target)
    assert code == 1  # a CI with --strict will not let a plan with blanks through


def test_no_2021_deadline_remains(tmp_path):
    _, plan = make(tmp_path)
    info = plan.plan.period
    assert (info.start, info.end) == (dt.date(2022, 1, 1), dt.date(2022, 12, 31))
    seen = 0
    for task, _ in plan.iter_tasks():
        match task.deadline:
            case Dated():
                seen += 1
                assert task.deadline.start.year == task.deadline.end.year == 2022, task.id
            case Triggered():
                assert task.deadline.triggered_on is None, task.id  # the old year's event is forgotten
    for meeting in plan.meetings:
        assert isinstance(meeting.when, Dated) and meeting.when.end.year == 2022, meeting.id
    assert seen == 11


def test_a_bare_date_moves_too(tmp_path):
    """`deadline: 2021-06-30` unquoted is a date to YAML, not a text."""
    text = PLAN.read_text(encoding="utf-8").replace("deadline: '2021'", "deadline: 2021-02-28", 1)
    text = text.replace("when: 2021-12\n", "when: 2021-12-20\n", 1)
    made, plan = make(tmp_path, text)
    dated = [t for t, _ in plan.iter_tasks() if isinstance(t.deadline, Dated) and t.deadline.kind == "date"]
    assert [t.deadline.end for t in dated] == [dt.date(2022, 2, 28)]
    assert "when: 2022-12-20" in made


def test_deadline_kinds_move_with_their_form(tmp_path):
    _, plan = make(tmp_path)
    old = load_plan(PLAN).plan
    before = {t.id: t.deadline for t, _ in old.iter_tasks()}
    for task, _ in plan.iter_tasks():
        was, now = before[task.id], task.deadline
        assert type(was) is type(now), task.id
        if isinstance(was, Dated):
            assert now.kind == was.kind and now.end == shift_date(was.end, 1), task.id
        elif isinstance(was, (Continuous, Recurring)):
            assert now == was, task.id  # continuous work and recurring duties are the same duties


@pytest.mark.slow
def test_progress_is_cleared_and_the_header_left_to_fill(tmp_path):
    made, plan = make(tmp_path, plan_2021_progress("2021-12-31"))
    assert all(not t.progress for t, _ in plan.iter_tasks())
    assert "progress:" not in made
    assert plan.plan.id == "dv-2022"
    assert plan.plan.title == "Phối hợp thực hiện công tác dân vận năm 2022"
    assert plan.plan.number == "…" and plan.plan.issued is None and plan.plan.theme == "…"
    assert [s.name for s in plan.signers] == ["…", "…"]
    assert [s.title for s in plan.signers] == ["PHÓ BÍ THƯ", "TRƯỞNG BAN"]  # the offices stay
    assert re.search(r"^  number: … # CẦN ĐIỀN: số, ký hiệu kế hoạch năm 2022$", made, re.M)
    assert re.search(r"^  issued: null # CẦN ĐIỀN: ngày ban hành", made, re.M)
    # the comments and the `uncertain` notes that explained the old number and date are gone with them
    assert "S6 4.P KH" not in made and "ngay±4" not in made
    assert plan.plan.uncertain == {} and "\n  uncertain:" not in made


def test_the_same_bodies_references_regime_and_meetings(tmp_path):
    _, plan = make(tmp_path)
    old = load_plan(PLAN).plan
    assert plan.bodies == old.bodies
    assert plan.references == old.references
    assert plan.objectives[1:] == old.objectives[1:]  # I.1 speaks of the year: below
    assert plan.reporting == old.reporting
    assert plan.recipients == old.recipients
    assert [m.id for m in plan.meetings] == [m.id for m in old.meetings]
    assert [m.name for m in plan.meetings][:2] == [
        "Hội nghị đánh giá kết quả thực hiện Kế hoạch phối hợp 6 tháng đầu năm 2022",
        "Hội nghị đánh giá kết quả thực hiện Kế hoạch phối hợp cuối năm 2022",
    ]
    assert [t.id for t, _ in plan.iter_tasks()] == [t.id for t, _ in old.iter_tasks()]


def test_an_objective_citing_a_document_is_left_as_written_and_flagged(tmp_path):
    """I.1 cites Kết luận số 25-KL/TU, whose title is "… mục tiêu, chỉ tiêu, nhiệm vụ và giải pháp
    năm 2021": init made it "giải pháp năm 2022", a citation of a document that does not say so.
    Now the objective keeps its words (the old year's theme still a blank to fill) and a comment
    asks for this year's document; "nhiệm kỳ 2021 - 2026" and "năm 2020" stay."""
    made, plan = make(tmp_path)
    old = {o.id: o.text for o in load_plan(PLAN).plan.objectives}
    new = {o.id: o.text for o in plan.objectives}
    assert "giải pháp năm 2021" in old["I.1"]
    assert "giải pháp năm 2021 gắn với chủ đề công tác dân vận \"…\"" in new["I.1"]
    assert "Kết luận số 25-KL/TU ngày 27/11/2020" in new["I.1"] and "nhiệm vụ năm 2020" in new["I.1"]
    assert new["I.2"] == old["I.2"] and "nhiệm kỳ 2021 - 2026" in new["I.2"]
    at = made.index("  - id: I.1\n")
    assert made[:at].endswith("  # kiểm tra: mục tiêu trích 25-KL/TU, văn bản của năm trước, nên giữ nguyên như đã "
                              "viết; thay bằng văn bản tương ứng của năm 2022 nếu có, và sửa năm của chính kế "
                              "hoạch trong câu\n")
    assert made.count("mục tiêu trích") == 1  # I.2–I.4 cite no document
    assert "Có thể tổ chức cùng Hội nghị tổng kết năm (tháng 12/2022)." in made  # a meeting's note moves


def test_comments_stay_where_they_apply(tmp_path):
    made, _ = make(tmp_path)
    source = PLAN.read_text(encoding="utf-8")
    kept = [line.strip() for line in source.splitlines() if line.strip().startswith("#")]
    gone = [c for c in kept if c not in made]
    # only the comments on the old number and date go (they explained what OCR read there)
    assert len(gone) <= 6, gone
    header = source.split("\n  issued:", 1)[0].split("\n  number:", 1)[0].rsplit("\n  id:", 1)[1]
    date_part = source.split("\n  issued:", 1)[0].rsplit("\n  title:", 1)[1]
    assert all(c in header or c in date_part for c in gone), gone
    assert made.startswith("# yaml-language-server: $schema=../schema/plan.schema.json\n"
                           "# Kế hoạch năm 2022, do kehoach init tạo từ ")


@pytest.mark.slow
def test_years_the_plan_does_not_own_stay_as_written(tmp_path):
    """'giai đoạn 2017 - 2021', a document's date, the old theme: only the plan's own year moves,
    and a carried-over task keeps the old year's words."""
    made, plan = make(tmp_path, plan_2021_progress("2021-12-31"))
    tasks = {t.id: t for t, _ in plan.iter_tasks()}
    assert tasks["II.9.b"].title == "Tổng kết Chương trình phối hợp số 26-CTr/BDVTU-BCSĐUBND giai đoạn 2017 - 2021"
    assert tasks["II.2.a"].title == 'Triển khai chủ đề công tác dân vận năm 2022 "…"'
    assert tasks["IV.3.f"].title == "Chấm điểm công tác dân vận năm 2022 theo Quyết định số 436/QĐ-UBND"
    assert "ngày 13/02/2017" in made and "ngày 07/01/2016" in made
    # the carried-over year-end conference keeps its words
    assert tasks["IV.4.c"].carried_over is not None
    assert tasks["IV.4.c"].title.endswith("(tháng 12/2021)")


@pytest.mark.slow  # a second or more: CI runs it (.ci/run); -m 'not slow' stays well under 3 minutes


def test_a_block_of_text_keeps_its_line_breaks_where_only_the_year_changed(tmp_path):
    made, _ = make(tmp_path, plan_2021_progress("2021-12-31"))
    source = PLAN.read_text(encoding="utf-8")
    old_lines = [x for x in source.splitlines() if "năm 2021 tập trung" in x and "#" not in x]
    assert len(old_lines) == 2  # II.6 and II.6.c say it
    for line in old_lines:
        assert line.replace("2021", "2022") in made.splitlines()


# ---------------------------------------------------------------- carried over


@pytest.mark.slow
def test_unfinished_tasks_are_carried_over_with_their_old_deadline_and_percent(tmp_path):
    """With progress to the end of September, each "năm 2021" deliverable stands at 90 %."""
    made, plan = make(tmp_path, plan_2021_progress("2021-09-30"))
    carried = {t.id: t for t, _ in plan.iter_tasks() if t.carried_over is not None}
    assert sorted(carried) == sorted(YEAR_DELIVERABLES + ["IV.4.c"])
    t = carried["II.6.b"]
    assert (t.carried_over.plan, t.carried_over.deadline, t.carried_over.percent) == ("dv-2021", "2021", 90)
    assert t.carried_over.note == "20/9/2021: Đạt 90% sản phẩm II.6.b."
    assert isinstance(t.deadline, Dated) and t.deadline.end == dt.date(2022, 12, 31)
    conference = carried["IV.4.c"]
    assert (conference.carried_over.deadline, conference.carried_over.percent) == ("2021-12", 0)
    assert conference.carried_over.note is None
    assert made.count("carried_over:") == 11


@pytest.mark.slow  # a year of progress, then next year's plan: two seconds
def test_finished_work_is_not_carried_over_and_says_when_it_was_done(tmp_path):
    made, plan = make(tmp_path, plan_2021_progress("2021-12-31"))
    carried = [t.id for t, _ in plan.iter_tasks() if t.carried_over is not None]
    assert carried == ["IV.4.c"]  # the only dated task nobody logged
    # a one-off task done last year is in the new plan again, with a note to decide on it
    assert made.count("# Đã hoàn thành") >= len(YEAR_DELIVERABLES)


def test_continuous_and_recurring_work_is_never_carried_over(tmp_path):
    _, plan = make(tmp_path)  # no progress at all
    for task, _ in plan.iter_tasks():
        if isinstance(task.deadline, (Continuous, Recurring, Triggered)):
            assert task.carried_over is None, task.id


def test_init_in_english_writes_english_notes(tmp_path):
    source = tmp_path / "2021.yaml"
    source.write_text(PLAN.read_text(encoding="utf-8"), encoding="utf-8")
    made = next_year(source.read_text(encoding="utf-8"), load_plan(source).plan, 2022, "en")
    assert "# TO FILL IN" in made and "CẦN ĐIỀN" not in made


# ---------------------------------------------------------------- refusals


def test_init_refuses_to_overwrite_and_to_write_onto_its_source(tmp_path, kehoach):
    target = tmp_path / "2022.yaml"
    assert kehoach("init", "--year", "2022", "--from", PLAN, "-o", target)[0] == 0
    before = target.read_bytes()
    code, _, err = kehoach("init", "--year", "2022", "--from", PLAN, "-o", target)
    assert code == 2 and "đã có" in err and "--force" in err
    assert target.read_bytes() == before
    source = tmp_path / "2021.yaml"
    source.write_bytes(PLAN.read_bytes())
    code, _, err = kehoach("init", "--year", "2022", "--from", source, "-o", source, "--force")
    assert code in (1, 2) and "Traceback" not in err
    assert source.read_bytes() == PLAN.read_bytes()


@pytest.mark.parametrize("year", ["2021", "2020", "năm", "99999"])
def test_init_refuses_a_year_that_is_not_after_the_plan(tmp_path, kehoach, year):
    code, _, err = kehoach("init", "--year", year, "--from", PLAN, "-o", tmp_path / "x.yaml")
    assert code == 2 and "Traceback" not in err and "--year" in err or "2021" in err
    assert not (tmp_path / "x.yaml").exists()


def test_init_refuses_a_plan_with_errors(tmp_path, kehoach):
    bad = tmp_path / "bad.yaml"
    bad.write_text(PLAN.read_text(encoding="utf-8").replace("lead: [bdvtu]", "lead: [bdvtuu]", 1), encoding="utf-8")
    code, _, err = kehoach("init", "--year", "2022", "--from", bad, "-o", tmp_path / "2022.yaml")
    assert code == 1 and "bdvtuu" in err and "Traceback" not in err
    assert not (tmp_path / "2022.yaml").exists()


def test_default_output_is_the_year_beside_the_source(tmp_path, kehoach, monkeypatch):
    source = tmp_path / "plans" / "2021.yaml"
    source.parent.mkdir()
    source.write_bytes(PLAN.read_bytes())
    monkeypatch.chdir(tmp_path)
    code, _, err = kehoach("init", "--year", "2023", "--from", source)
    assert code == 0, err
    made = load_plan(tmp_path / "plans" / "2023.yaml").plan
    assert made.plan.period.start == dt.date(2023, 1, 1)


def test_init_to_standard_output_writes_no_file(tmp_path, kehoach, monkeypatch):
    source = tmp_path / "2021.yaml"
    source.write_bytes(PLAN.read_bytes())
    monkeypatch.chdir(tmp_path)
    code, out, err = kehoach("init", "--year", "2022", "--from", source, "-o", "-")
    assert code == 0, err
    assert out.startswith("# yaml-language-server") and "id: dv-2022" in out
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2021.yaml"]


@pytest.mark.slow  # a year of progress, then next year's plan: a second
def test_unfinished_work_whose_event_happened_is_carried_due_from_the_new_year(tmp_path):
    """The event of a task due 30 days after it happened in 2021 and the work was not finished:
    in 2022 it is due 30 days from the plan's start (the event will not come again: not "not
    triggered" for ever), the event keeps its true date (it was written as 01/01/2022, and the
    reports said "sau khi … phê duyệt Đề án ngày 01/01/2022"), and the old deadline is written in
    words."""
    text = plan_2021_progress("2021-09-30").replace(
        'deadline: {after: "Ban Thường vụ Tỉnh ủy phê duyệt Đề án"}',
        'deadline: {after: "Ban Thường vụ Tỉnh ủy phê duyệt Đề án", within_days: 30, triggered_on: 2021-10-15}', 1)
    assert "triggered_on: 2021-10-15" in text
    made, plan = make(tmp_path, text)
    task = next(t for t, _ in plan.iter_tasks() if t.id == "IV.3.b")
    assert task.carried_over is not None
    assert task.carried_over.deadline == ("14/11/2021 (trong 30 ngày, sau khi Ban Thường vụ Tỉnh ủy phê duyệt "
                                          "Đề án ngày 15/10/2021)")
    assert isinstance(task.deadline, Triggered) and task.deadline.triggered_on == dt.date(2021, 10, 15)
    assert "triggered_on: 2022" not in made and "datetime" not in made and "{'" not in made
    from kehoach.judge.status import compute_status
    from kehoach.views.statusview import deadline_words

    ts = compute_status(plan, dt.date(2022, 3, 1)).by_id()["IV.3.b"]
    assert (ts.status, ts.due) == ("overdue", dt.date(2022, 1, 31))
    words = ("31/01/2022 (trong 30 ngày kể từ ngày 01/01/2022; sau khi Ban Thường vụ Tỉnh ủy phê duyệt Đề án "
             "ngày 15/10/2021)")
    assert deadline_words(ts, "vi") == words + " (chuyển tiếp, hạn cũ 14/11/2021)"  # the tables say it was carried
    # the return form says the same (it said "14/11/2021 (trong 30 ngày, …)", a day of the old plan)
    import openpyxl

    from kehoach.life import forms

    made_forms = forms.make_requests(tmp_path / "2022.yaml", "Q1", dt.date(2022, 1, 10), tmp_path / "phieu")
    path = next(p for f, p in made_forms if f.body_id == "bcsd-ubnd")
    cells = [str(c.value) for row in openpyxl.load_workbook(path).worksheets[1].iter_rows() for c in row if c.value]
    assert words in cells and not any("14/11/2021" in c for c in cells)


@pytest.mark.slow  # a year of progress, then next year's plan: a second
def test_carried_work_due_by_the_years_end_after_its_event_keeps_the_events_true_date(tmp_path, kehoach):
    """The shipped plan's IV.3.b (after the Đề án is approved, no days given), approved on
    01/9/2021 and unfinished: the 2022 plan said it was approved on 01/01/2022 (a holiday), and
    its due date, the plan's last day (a Saturday), was warned of as a date the plan chose."""
    text = plan_2021_progress("2021-09-30").replace(
        'deadline: {after: "Ban Thường vụ Tỉnh ủy phê duyệt Đề án"}',
        'deadline: {after: "Ban Thường vụ Tỉnh ủy phê duyệt Đề án", triggered_on: 2021-09-01}', 1)
    made, plan = make(tmp_path, text)
    code, out, _ = kehoach("check", tmp_path / "2022.yaml")
    assert code == 0 and set(re.findall(r": (?:cảnh báo|lỗi): .*\[([a-z-]+)\]$", out, re.M)) == {
        "to-fill", "check-comment-left"}, out
    from kehoach.judge.status import compute_status
    from kehoach.views.statusview import deadline_words

    ts = compute_status(plan, dt.date(2022, 3, 1)).by_id()["IV.3.b"]
    assert deadline_words(ts, "vi") == ("31/12/2022 (sau khi Ban Thường vụ Tỉnh ủy phê duyệt Đề án ngày 01/9/2021) "
                                        "(chuyển tiếp, hạn cũ 31/12/2021)")
    assert ts.due == dt.date(2022, 12, 31) and ts.task.carried_over is not None


@pytest.mark.slow  # init, then six entries and two status runs: a second
def test_carried_work_starts_in_the_new_plan_where_each_lead_left_it(tmp_path, kehoach):
    """II.6.e, two leads, 50 % and 30 % at the end of 2021: in 2022 status, the forms and the
    reports said "Chưa triển khai", 0 %, and a lead could report 5 %. Now it is in progress at 40 %
    from the first day, each lead from its own part, and a report below that part is refused."""
    old = tmp_path / "2021.yaml"
    old.write_text(PLAN.read_text(encoding="utf-8"), encoding="utf-8")
    for body, pct in (("bdvtu", 50), ("bcsd-ubnd", 30)):
        assert kehoach("log", "II.6.e", "-p", old, "--body", body, "--percent", pct, "--note", "Dự thảo",
                       "--date", "2021-11-10")[0] == 0
    new = tmp_path / "2022.yaml"
    assert kehoach("init", "--year", "2022", "--from", old, "-o", new)[0] == 0
    made = new.read_text(encoding="utf-8")
    assert "leads: {bdvtu: 50, bcsd-ubnd: 30}" in made
    code, out, _ = kehoach("status", "-p", new, "--as-of", "2022-01-10", "-f", "json")
    row = next(t for t in json.loads(out)["tasks"] if t["id"] == "II.6.e")
    assert (row["status"], row["percent"]) == ("in_progress", 40), row
    assert row["deadline"]["text"] == "năm 2022 (chuyển tiếp, hạn cũ năm 2021)"  # it was "năm 2022" alone
    assert {s["body"]: s["percent"] for s in row["leads"]} == {"bdvtu": 50, "bcsd-ubnd": 30}
    code, out, err = kehoach("log", "II.6.e", "-p", new, "--body", "bcsd-ubnd", "--percent", "5", "--note", "Mới",
                             "--date", "2022-02-01")
    assert code == 1 and "5% thấp hơn mức 30% đã đạt khi chuyển tiếp từ kế hoạch dv-2021" in err, err
    # its standing unit's report is the Ban's (it was accepted at 5 %), a joint one below every part too
    code, _, err = kehoach("log", "II.6.e", "-p", new, "--body", "so-noi-vu", "--percent", "5", "--note", "Mới",
                           "--date", "2022-02-01")
    assert code == 1 and "[percent-below-carried]" in err or "thấp hơn mức 30%" in err, err
    code, _, err = kehoach("log", "II.6.e", "-p", new, "--joint", "--percent", "20", "--note", "Mới",
                           "--date", "2022-02-01")
    assert code == 1 and "thấp hơn mức 30%" in err, err
    # a joint 35 % is progress for the lead at 30 % (it was refused as below the mean, 40 %)
    assert kehoach("log", "II.6.e", "-p", new, "--joint", "--percent", "35", "--note", "Mới",
                   "--date", "2022-02-01")[0] == 0
    assert kehoach("log", "II.6.e", "-p", new, "--body", "bcsd-ubnd", "--percent", "45", "--note", "Mới",
                   "--date", "2022-02-01")[0] == 0
    code, out, _ = kehoach("status", "-p", new, "--as-of", "2022-02-10", "-f", "json")
    row = next(t for t in json.loads(out)["tasks"] if t["id"] == "II.6.e")
    assert row["percent"] == 48  # (50 + 45) / 2, half up
    # the reminder letters say it was carried, as the tables do (they said "năm 2022")
    assert kehoach("remind", "-p", new, "--as-of", "2022-12-20", "--draft", "-f", "md", "-o", tmp_path / "rem/")[0] == 0
    letters = "".join(p.read_text(encoding="utf-8") for p in (tmp_path / "rem").glob("*.md"))
    assert "| II.6.e | Xây dựng Đề án nâng cao hiệu quả Ban TTND, Ban GSĐTCĐ, Tổ hòa giải ở cơ sở | năm 2022 (chuyển " \
           "tiếp, hạn cũ năm 2021) |" in letters


@pytest.mark.slow  # about half a second or more here: CI runs it (.ci/run)
def test_carried_work_done_says_it_was_carried_and_its_old_deadline(tmp_path, kehoach):
    """The scoring of 2021, left at 40 % and done on 25/01/2022: the Q1 report said only "hoàn thành
    đúng hạn", on time against the new plan's deadline, silent that it was last year's work."""
    old = tmp_path / "2021.yaml"
    old.write_text(PLAN.read_text(encoding="utf-8"), encoding="utf-8")
    assert kehoach("log", "IV.3.f", "-p", old, "--body", "bcsd-ubnd", "--percent", "40", "--note", "Đang chấm",
                   "--date", "2021-12-10")[0] == 0
    new = tmp_path / "2022.yaml"
    assert kehoach("init", "--year", "2022", "--from", old, "-o", new)[0] == 0
    assert kehoach("log", "IV.3.f", "-p", new, "--body", "bcsd-ubnd", "--percent", "100", "--note", "Đã công bố",
                   "--date", "2022-01-25")[0] == 0
    code, _, err = kehoach("report", "-p", new, "--period", "Q1", "--as-of", "2022-04-05", "--draft", "-f", "md",
                           "-o", tmp_path / "q1.md")
    assert code == 0, err
    report = (tmp_path / "q1.md").read_text(encoding="utf-8")
    # "đúng hạn" beside the old deadline it had passed read as a contradiction: done, on its day
    assert ("(chuyển tiếp từ kế hoạch năm trước, thời hạn cũ năm 2021): hoàn thành ngày 25/01/2022."
            in report), report
    assert "năm 2021): hoàn thành đúng hạn" not in report
    # the appendix still says it was carried, once done too (it dropped the words)
    assert "| IV.3.f |" in report and "năm 2022 (chuyển tiếp, hạn cũ năm 2021)" in report.split("| IV.3.f |")[1][:300]


@pytest.mark.slow  # about half a second or more here: CI runs it (.ci/run)
def test_init_names_the_one_off_work_done_last_year_it_leaves_in_the_plan(tmp_path, kehoach):
    """A task done in 2021 stays in 2022 with a YAML comment, and nothing else said so: it read
    "Chưa triển khai" in every 2022 document until someone opened the file."""
    old = tmp_path / "2021.yaml"
    old.write_text(PLAN.read_text(encoding="utf-8"), encoding="utf-8")
    for body in ("bdvtu", "bcsd-ubnd"):  # its two leads
        assert kehoach("log", "II.9.a", "-p", old, "--body", body, "--percent", "100", "--note", "Xong",
                       "--date", "2021-06-01")[0] == 0
    code, _, err = kehoach("init", "--year", "2022", "--from", old, "-o", tmp_path / "2022.yaml")
    assert code == 0 and ("1 nhiệm vụ đã hoàn thành năm trước vẫn để trong kế hoạch năm 2022, mỗi nhiệm vụ có ghi "
                          "chú ở trên: II.9.a; xóa những việc năm 2022 không làm lại.") in err, err


def test_a_carried_part_named_for_a_body_that_does_not_lead_is_warned_of(tmp_path, kehoach):
    shipped = PLAN.read_text(encoding="utf-8")
    at = shipped.index("        lead: [bdvtu, bcsd-ubnd]\n", shipped.index("      - id: II.6.e\n"))
    carried = ("        carried_over: {plan: dv-2020, percent: 40, leads: {bdvtu: 50, thanh-tra-tinh: 30, "
               "so-noi-vu: 20}}\n")
    text = shipped[:at] + carried + shipped[at:]
    (tmp_path / "p.yaml").write_text(text, encoding="utf-8")
    code, out, _ = kehoach("check", tmp_path / "p.yaml")
    assert "'thanh-tra-tinh' trong carried_over.leads không phải cơ quan chủ trì" in out, out
    # a standing unit's part is its Ban's: keyed by the unit, it was read as nobody's (silently)
    assert "'so-noi-vu' trong carried_over.leads không phải cơ quan chủ trì" in out, out


def test_work_whose_event_came_late_in_the_year_is_carried_due_when_its_days_run_out(tmp_path, kehoach):
    """Approved on 15/12/2021, due 30 days later (14/01/2022), half done: the year's report named it
    among the work of 2022, but init carried nothing (the event forgotten: "Chưa phát sinh")."""
    old = tmp_path / "2021.yaml"
    old.write_text(PLAN.read_text(encoding="utf-8").replace(
        'deadline: {after: "Ban Thường vụ Tỉnh ủy phê duyệt Đề án"}',
        'deadline: {after: "Ban Thường vụ Tỉnh ủy phê duyệt Đề án", within_days: 30, triggered_on: 2021-12-15}', 1),
        encoding="utf-8")
    assert kehoach("log", "IV.3.b", "-p", old, "--body", "bcsd-ubnd", "--percent", "50", "--note", "Đang làm",
                   "--date", "2021-12-20")[0] == 0
    new = tmp_path / "2022.yaml"
    assert kehoach("init", "--year", "2022", "--from", old, "-o", new)[0] == 0
    code, out, _ = kehoach("status", "-p", new, "--as-of", "2022-01-10", "-f", "json")
    row = next(t for t in json.loads(out)["tasks"] if t["id"] == "IV.3.b")
    assert (row["status"], row["percent"], row["deadline"]["due"]) == ("due_soon", 50, "2022-01-14"), row
    assert row["deadline"]["text"] == ("14/01/2022 (trong 30 ngày, sau khi Ban Thường vụ Tỉnh ủy phê duyệt Đề án "
                                       "ngày 15/12/2021) (chuyển tiếp)")


@pytest.mark.slow  # about half a second or more here: CI runs it (.ci/run)
def test_the_comments_of_a_plan_with_progress_are_kept_where_they_stand(tmp_path):
    """Once progress was logged on the last task of a section, `init` lost the comment lines after
    it (the next section's heading, "mã IV.5 do người mã hóa đặt"), and put the "Đã hoàn thành"
    note between a subtask's dash and its `id:`, at column 0. Now the new plan keeps every comment
    of the one made from the plan without progress, and the note stands above the dash."""
    from plans_for_tests import D, with_entries

    shipped = PLAN.read_text(encoding="utf-8")
    logged = with_entries(shipped, [
        ("IV.4.c", {"date": D("2021-12-20"), "body": "bdvtu", "percent": 100, "note": "Tổ chức hội nghị"}),
        ("II.6.b", {"date": D("2021-06-20"), "body": "bdvtu", "percent": 100, "note": "Xong"}),
        ("II.6.b", {"date": D("2021-06-21"), "body": "bcsd-ubnd", "percent": 100, "note": "Xong"}),
        ("III.2.c", {"date": D("2021-03-01"), "body": "bcsd-ubnd", "percent": 30, "note": "Dự thảo"}),
    ])
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    clean, _ = make(tmp_path / "a", shipped)
    made, _ = make(tmp_path / "b", logged)
    comments = sorted(re.findall(r"#.*", clean.replace(str(tmp_path / "a"), "")))
    done = "# Đã hoàn thành ngày 21/6/2021: xóa nhiệm vụ này nếu năm 2022 không làm lại."
    assert sorted(re.findall(r"#.*", made.replace(str(tmp_path / "b"), ""))) == sorted([*comments, done])
    lines = made.splitlines()
    at = lines.index("      " + done)
    assert lines[at + 1] == "      - id: II.6.b"
    tail = lines.index("  # Đoạn cuối mục IV không đánh số trong văn bản; mã IV.5 do người mã hóa đặt.")
    assert lines[tail + 1] == "  - id: IV.5" and lines[tail - 1] == ""


def test_a_character_that_reorders_text_stays_an_escape_in_the_new_plan(tmp_path):
    """The old plan wrote U+202E as an escape ("\\u202e"), so an editor shows it; init wrote it raw,
    and the new plan's text read reordered in an editor and on the terminal."""
    text = PLAN.read_text(encoding="utf-8")
    text = re.sub(r"(?m)^(  place: ).*$", r'\1"Quảng Ngãi \\u202eRTL\\u2066 x"', text, count=1)
    made, plan = make(tmp_path, text)
    assert "\u202e" not in made and "\u2066" not in made
    assert '"Quảng Ngãi \\u202eRTL\\u2066 x"' in made
    assert plan.plan.place == "Quảng Ngãi \u202eRTL\u2066 x"


HEAD_2021 = """plan:
  id: t-2021
  number: 1-KH/A
  type: Kế hoạch
  title: Thử năm 2021
  issued: 2021-01-05
  place: Hà Nội
  issuers: [a]
  period: {start: 2021-01-01, end: 2021-12-31}
bodies:
  - {id: a, name: Ban A, kind: party}
"""


@pytest.mark.parametrize("tasks", [
    # progress written as flow mappings: ruamel keeps the comment after the list at the list's end
    """tasks:
  - id: T1
    title: x
    lead: [a]
    deadline: 2021-06-30
    progress:
      - {date: 2021-02-01, percent: 50, note: dang lam}

  # COMMENT heading of T2
  - id: T2
    title: x
    lead: [a]
    deadline: 2021-06-30
""",
    # the last note a folded block: the comment follows it with no end-of-line part
    """tasks:
  - id: T1
    title: x
    lead: [a]
    deadline: 2021-06-30
    progress:
      - date: 2021-02-01
        percent: 50
        note: >-
          dang lam mot viec
          rat dai
  # COMMENT after a folded note
  - id: T2
    title: x
    lead: [a]
    deadline: 2021-06-30
""",
    # lists not indented under their key; a done subtask between comments
    """tasks:
- id: T1
  title: parent
  lead: [a]
  subtasks:
  - id: T1.a
    title: sub done
    lead: [a]
    deadline: 2021-06-30
    progress:
    - {date: 2021-02-01, percent: 100, note: xong}
  # COMMENT between subtasks
  - id: T1.b
    title: sub
    lead: [a]
    deadline: 2021-06-30
# COMMENT at the end of the file
""",
])
def test_init_keeps_the_comments_after_progress_in_every_layout(tmp_path, tasks):
    """The comment lines after a task's progress were lost when the entries were written flow-style
    or the last note was a folded block, and the "Đã hoàn thành" note stood at a column of the old
    file's lists rather than the new one's."""
    made, plan = make(tmp_path, HEAD_2021 + tasks)
    wanted = [line.strip() for line in tasks.splitlines() if line.strip().startswith("# COMMENT")]
    assert [line.strip() for line in made.splitlines() if line.strip().startswith("# COMMENT")] == wanted
    lines = made.splitlines()
    for i, line in enumerate(lines):
        if "Đã hoàn thành" in line:
            below = lines[i + 1]
            assert below.lstrip().startswith("- id:")
            assert len(line) - len(line.lstrip()) == len(below) - len(below.lstrip()), (line, below)


def test_the_years_a_text_names_around_the_plan_move_together(tmp_path):
    """A 2021 plan's 'tổng kết năm 2021 và triển khai nhiệm vụ năm 2022' became '… năm 2022 và
    triển khai nhiệm vụ năm 2022' in the 2022 plan: only the old year moved. The years the text
    names around the plan's own move with it; a fact ('từ năm 2020') and a horizon ('đến năm
    2030') stay as written."""
    tasks = """tasks:
  - id: T1
    title: Báo cáo tình hình năm 2020; phương hướng năm 2021
    description: Xã B đã nhập vào huyện C từ năm 2020; định hướng đến năm 2030
    lead: [a]
    deadline: 2021-06-30
    progress:
      - {date: 2021-06-20, percent: 100, note: xong}
meetings:
  - id: m1
    name: Hội nghị tổng kết năm 2021 và triển khai nhiệm vụ năm 2022
    when: 2021-12-20
"""
    made, plan = make(tmp_path, HEAD_2021 + tasks)
    task = next(t for t, _ in plan.iter_tasks())
    assert task.title == "Báo cáo tình hình năm 2021; phương hướng năm 2022"
    assert task.description == "Xã B đã nhập vào huyện C từ năm 2020; định hướng đến năm 2030"
    assert plan.meetings[0].name == "Hội nghị tổng kết năm 2022 và triển khai nhiệm vụ năm 2023"


def test_the_year_of_a_document_or_a_horizon_beside_the_plans_stays():
    """Moving the years beside the plan's own moved a document's year too: "Luật Thanh niên năm
    2020" became "năm 2021", "Nghị quyết số 10 năm 2022 của HĐND" "năm 2023"; and "đến hết năm
    2022", a horizon, moved."""
    from kehoach.life.nextyear import _shift_words

    for fixed in ("Luật Thanh niên năm 2020", "Nghị quyết số 10 năm 2022 của HĐND",
                  "Quyết định số 416/QĐ-TTg năm 2020", "hoàn thành đến hết năm 2022"):
        assert _shift_words(fixed, 2021, 2022) == fixed
    assert _shift_words("tăng số lượng so với năm 2020", 2021, 2022) == "tăng số lượng so với năm 2021"


def test_an_event_in_the_year_9999_is_outside_the_plan_not_an_internal_error(tmp_path, kehoach):
    text = PLAN.read_text(encoding="utf-8").replace(
        'deadline: {after: "Ban Thường vụ Tỉnh ủy phê duyệt Đề án"}',
        'deadline: {after: "Ban Thường vụ Tỉnh ủy phê duyệt Đề án", within_days: 400, triggered_on: 9999-12-01}', 1)
    (tmp_path / "p.yaml").write_text(text, encoding="utf-8")
    for args in (("check", tmp_path / "p.yaml"), ("status", "-p", tmp_path / "p.yaml")):
        code, out, err = kehoach(*args)
        assert code == 1 and "nội bộ" not in err and "Traceback" not in err, err
    assert "ngày sự kiện 01/12/9999 nằm ngoài kỳ kế hoạch" in kehoach("check", tmp_path / "p.yaml")[1]


def test_carried_over_on_work_that_cannot_use_it_is_warned_of(tmp_path, kehoach):
    """On a recurring duty, continuous work or a parent, carried_over was accepted and ignored."""
    shipped = PLAN.read_text(encoding="utf-8")
    carried = "    carried_over: {plan: dv-2020, percent: 40}\n"
    at = shipped.index("    lead:", shipped.index("  - id: II.2\n"))  # a parent
    text = shipped[:at] + carried + shipped[at:]
    (tmp_path / "p.yaml").write_text(text, encoding="utf-8")
    code, out, _ = kehoach("check", tmp_path / "p.yaml")
    assert code == 0 and "carried_over của nhiệm vụ II.2 không được dùng" in out, out


def test_a_carried_parts_bad_values_are_said_in_the_readers_words(tmp_path, kehoach):
    """'-5' was "vượt giới hạn (greater than equal 0)" and '2.5' "không phải float": pydantic's words."""
    shipped = PLAN.read_text(encoding="utf-8")
    at = shipped.index("        lead: [bdvtu, bcsd-ubnd]\n", shipped.index("      - id: II.6.e\n"))
    carried = "        carried_over: {plan: dv-2020, percent: 40, leads: {bdvtu: -5, bcsd-ubnd: 2.5}}\n"
    (tmp_path / "p.yaml").write_text(shipped[:at] + carried + shipped[at:], encoding="utf-8")
    code, out, _ = kehoach("check", tmp_path / "p.yaml")
    assert code == 1 and "phần trăm -5 nằm ngoài khoảng 0–100" in out and "không phải số 2.5" in out, out
    text = shipped.replace("      every: quarter\n", "      every: quarter\n      days_after: 90\n", 1)
    (tmp_path / "q.yaml").write_text(text, encoding="utf-8")
    code, out, _ = kehoach("check", tmp_path / "q.yaml")
    assert code == 1 and "= 90 vượt giới hạn (không lớn hơn 60)" in out and "less than" not in out, out


@pytest.mark.slow  # about half a second or more here: CI runs it (.ci/run)
def test_work_finished_in_the_days_after_the_year_is_not_carried_nor_its_part_left_behind(tmp_path, kehoach):
    """BDVTU finished its part of II.9.a on 05/01/2022, recorded in the 2021 plan (its reports may
    come after the year); BCSĐ had 80 %. The annual report carried II.9.a with BDVTU done, but
    `init` judged the year at 31/12 and wrote BDVTU at 60 %; II.6.e, finished on 10/01/2022 by its
    only report, was carried as unfinished work."""
    old = tmp_path / "2021.yaml"
    old.write_text(PLAN.read_text(encoding="utf-8"), encoding="utf-8")
    for args in (("II.9.a", "--body", "bdvtu", "--percent", "60", "--date", "2021-11-01"),
                 ("II.9.a", "--body", "bcsd-ubnd", "--percent", "80", "--date", "2021-11-01"),
                 ("II.9.a", "--body", "bdvtu", "--done", "--date", "2022-01-05"),
                 ("II.6.e", "--joint", "--percent", "50", "--date", "2021-12-01"),
                 ("II.6.e", "--joint", "--done", "--date", "2022-01-10")):
        assert kehoach("log", *args, "-p", old, "--note", "Báo cáo")[0] == 0
    new = tmp_path / "2022.yaml"
    assert kehoach("init", "--year", "2022", "--from", old, "-o", new)[0] == 0
    made = new.read_text(encoding="utf-8")
    part = made.split("id: II.9.a", 1)[1].split("- id:", 1)[0]
    assert "leads: {bdvtu: 100, bcsd-ubnd: 80}" in part and "percent: 90" in part, part
    assert "carried_over" not in made.split("id: II.6.e", 1)[1].split("- id:", 1)[0]
