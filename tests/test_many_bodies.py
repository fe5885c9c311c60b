"""A year of the 2021 plan as its many bodies report it (issue 16).

The two Bans lead most tasks together; departments, a district and the Front
support them. Each quarter the office sends the return forms (`request`), the
bodies fill in their parts, and the forms come back in whatever order the mail
brings them (`collect`): the two Bans' forms in one batch, in both orders; a
form sent twice; one saved by LibreOffice as `.ods`; a supporting body's
results without a percent; a 100 % typed for continuous work. Then the year
report is read as the officials who sign it would read it, in its JSON and in
its Word file.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest

from kehoach.life import forms
from kehoach.plan.loader import load_plan
from plans_for_tests import form_rows

# a whole year of forms through the command line: seconds; CI runs it with the slow tests
pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
PLAN = ROOT / "plans" / "2021.yaml"
QUARTERS = {"Q1": ("2021-03-20", "2021-03-31"), "Q2": ("2021-06-18", "2021-06-30"),
            "Q3": ("2021-09-17", "2021-09-30"), "Q4": ("2021-12-10", "2021-12-31")}
BANS = ("bdvtu", "bcsd-ubnd")
# continuous work co-led by the two Bans: who reports in which quarter
EVERY_QUARTER = {"II.1.b": ("Q1", "Q2", "Q3", "Q4"), "II.8.b": ("Q1", "Q2", "Q3", "Q4")}
SOME_QUARTERS = {"II.4.a": ("Q1", "Q2"), "II.1.a": ("Q1", "Q3")}  # II.4.a: nothing in Q3 or Q4
ONE_BAN_ONLY = {"II.5.b": "bdvtu"}  # every quarter, but only the Ban Dân vận
# a dated deliverable both Bans lead: each reports its own percent
DELIVERABLE = {"II.6.e": {"bdvtu": {"Q1": 25, "Q2": 60, "Q3": 100}, "bcsd-ubnd": {"Q1": 20, "Q2": 40}},
               "II.9.a": {"bdvtu": {"Q2": 50, "Q4": 100}, "bcsd-ubnd": {"Q3": 60, "Q4": 100}}}


def fill(path: Path, rows: dict[tuple[str, str | None], dict[str, object]]) -> list[tuple[str, str]]:
    """Fill a form as its body would, with openpyxl: {(task, period code or None): {column: value}};
    the (task, period) of each row filled."""
    wb = openpyxl.load_workbook(path)
    ws = wb[next(v for k, v, *_ in wb[forms.META].iter_rows(values_only=True) if k == "sheet")]  # after the guide
    done = []
    for r, task, occ in form_rows(ws):
        for (want, period), values in rows.items():
            if want == task and (period is None or period == occ):
                for key, value in values.items():
                    ws.cell(row=r, column=forms.COLUMNS.index(key) + 1, value=value)
                done.append((task, occ))
    wb.save(path)
    return done


def to_ods(path: Path, work: Path) -> Path:
    """The form as LibreOffice saves it in its own format (.ods)."""
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if exe is None:
        pytest.skip("LibreOffice is not installed (.ci/run installs libreoffice-calc-nogui)")
    out = work / "ods"
    subprocess.run([exe, "--headless", f"-env:UserInstallation=file://{work / 'lo'}", "--convert-to", "ods",
                    "--outdir", str(out), str(path)], capture_output=True, timeout=240, check=True)
    return out / path.with_suffix(".ods").name


@pytest.fixture(scope="module")
def year(tmp_path_factory):
    """The plan after four quarters of forms; what each body reported (task, body, date, note)."""
    from kehoach.cli.app import main

    work = tmp_path_factory.mktemp("year")
    plan = work / "2021.yaml"
    shutil.copy(PLAN, plan)
    sent: list[tuple[str, str, dt.date, str]] = []
    codes = []
    for n, (quarter, (day, _)) in enumerate(QUARTERS.items(), start=1):
        as_of = dt.date.fromisoformat(day)
        made = {form.body_id: path for form, path in forms.make_requests(plan, quarter, as_of, work / quarter)}
        for ban in BANS:
            rows: dict[tuple[str, str | None], dict[str, object]] = {}
            for task, quarters in {**EVERY_QUARTER, **SOME_QUARTERS}.items():
                if quarter in quarters:
                    rows[(task, f"2021-{quarter}")] = {"result": f"{ban}: {task} quý {n}", "date": as_of}
            for task, ban_only in ONE_BAN_ONLY.items():
                if ban == ban_only:
                    rows[(task, f"2021-{quarter}")] = {"result": f"{ban}: {task} quý {n}", "date": as_of}
            for task, plan_of in DELIVERABLE.items():
                percent = plan_of[ban].get(quarter)
                if percent is not None:
                    rows[(task, None)] = {"percent": percent, "result": f"{ban}: {task} đạt {percent}%",
                                          "date": as_of}
            # the quarterly two-way report, sent by each Ban (Q3: late, in October, on the Q4 form)
            if quarter != "Q3":
                rows[("IV.2.a", f"2021-{quarter}")] = {"percent": 100, "result": f"{ban}: báo cáo quý {n}",
                                                      "date": as_of}
            if quarter == "Q4":
                rows[("IV.2.a", "2021-Q3")] = {"percent": 100, "result": f"{ban}: báo cáo quý 3 (muộn)",
                                               "date": dt.date(2021, 10, 8)}
            if ban == "bdvtu" and quarter == "Q4":  # a careless clerk types 100 for continuous work
                rows[("II.1.b", "2021-Q4")]["percent"] = 100
            for task, occ in fill(made[ban], rows):
                values = rows.get((task, occ)) or rows.get((task, None))
                assert values is not None
                sent.append((task, ban, values["date"], str(values["result"])))
        # supporting bodies: results, never a percent
        support = {"so-tai-chinh": {("II.5.e", None): "Thẩm định dự toán kinh phí Quy chế đối thoại"},
                   "ubnd-tu-nghia": {("II.3.a", f"2021-{quarter}"): f"Tư Nghĩa đối thoại với công nhân quý {n}"},
                   "mttq-tinh": {("II.7.b", f"2021-{quarter}"): f"Mặt trận giám sát quý {n}"}}
        for body, rows_ in support.items():
            filled = fill(made[body], {k: {"result": v, "date": as_of} for k, v in rows_.items()})
            sent += [(task, body, as_of, rows_.get((task, occ)) or rows_[(task, None)]) for task, occ in filled]
        # the mail: the two Bans' forms in one batch, in one order then the other; a form sent twice;
        # the district's form saved by LibreOffice as .ods
        batch = [made["bdvtu"], made["bcsd-ubnd"]] if n % 2 else [made["bcsd-ubnd"], made["bdvtu"]]
        twice = work / quarter / "gui-lai.xlsx"
        shutil.copy(made["mttq-tinh"], twice)
        district = to_ods(made["ubnd-tu-nghia"], work / quarter) if quarter == "Q2" else made["ubnd-tu-nghia"]
        batch += [made["so-tai-chinh"], made["mttq-tinh"], twice, district]
        codes.append(main(["collect", "-p", str(plan), "--as-of", QUARTERS[quarter][1], *map(str, batch)]))
    return plan, sent, codes, work


@pytest.mark.slow
def test_every_report_is_recorded_with_its_true_date_and_body(year):
    plan, sent, codes, _ = year
    assert codes == [0, 0, 0, 0]  # nothing refused, in either order of the two Bans' forms
    loaded = load_plan(plan)
    assert loaded.ok, [d.message("en") for d in loaded.diagnostics if d.severity == "error"]
    assert [d.code for d in loaded.diagnostics if d.severity != "info"] == []  # no warning either
    # the 100 % typed for continuous work was left out (collect warned): it completes nothing
    assert all(e.percent is None for t, _ in loaded.plan.iter_tasks() if t.id == "II.1.b" for e in t.progress)
    recorded = {(t.id, e.body, e.date, e.note) for t, _ in loaded.plan.iter_tasks() for e in t.progress}
    assert {(task, body, day, note) for task, body, day, note in sent} == recorded
    supporters = [e for t, _ in loaded.plan.iter_tasks() for e in t.progress
                  if e.body in ("so-tai-chinh", "ubnd-tu-nghia", "mttq-tinh")]
    assert supporters and all(e.percent is None for e in supporters)
    sent_twice = [e for t, _ in loaded.plan.iter_tasks() if t.id == "II.7.b" for e in t.progress]
    assert len(sent_twice) == 4  # one a quarter, though the form came twice each time


@pytest.fixture(scope="module")
def year_report(year):
    from kehoach.cli.app import main

    plan, _, _, work = year
    out = work / "bao-cao"
    assert main(["report", "-p", str(plan), "--period", "Y", "--as-of", "2022-01-10", "-f", "json,md,html,docx",
                 "-o", f"{out}/"]) == 0
    data = json.loads((out / "dv-2021-bao-cao-2021-Y.json").read_text(encoding="utf-8"))
    return data, out


def _blocks(ev: dict, part: str) -> dict[str, list[dict]]:
    return {b["code"]: b["lines"] for b in ev[part]}


def test_continuous_work_is_maintained_only_when_every_lead_reported_every_quarter(year_report):
    data, _ = year_report
    ev = data["evaluation"]
    maintained = {x["task_id"] for x in _blocks(ev, "strengths").get("maintained", [])}
    assert maintained == set(EVERY_QUARTER)  # II.1.b despite the 100 % typed for it: not "completed"
    gaps = {x["task_id"]: x["text"] for x in _blocks(ev, "limits")["gaps"]}
    assert gaps["II.4.a"].endswith("BDVTU, BCSĐ UBND tỉnh chưa báo cáo quý III, quý IV.")
    assert gaps["II.1.a"].endswith("BDVTU, BCSĐ UBND tỉnh chưa báo cáo quý II, quý IV.")
    assert gaps["II.5.b"].endswith("BCSĐ UBND tỉnh chưa báo cáo quý I, quý II, quý III, quý IV.")
    # a district reported II.3.a every quarter, but a supporting body's report is not the leads'
    assert gaps["II.3.a"].endswith("chưa báo cáo quý I, quý II, quý III, quý IV.")
    done = {x["task_id"] for b in ev["strengths"] + ev["limits"] if b["code"].startswith("done_") for x in b["lines"]}
    completions = [c for g in data["results"] for i in g["items"] for c in i["completions"]]
    for task in [*EVERY_QUARTER, *SOME_QUARTERS, *ONE_BAN_ONLY]:
        assert task not in done and not any(c.startswith(f"{task}.") for c in completions)


def test_the_year_judges_each_lead_of_a_deliverable(year_report):
    data, _ = year_report
    ev = data["evaluation"]
    unfinished = {r["id"]: r for r in ev["unfinished"]}
    # II.6.e: the Ban Dân vận finished, the Ban Cán sự đảng reached 40 %: unfinished, owed by the latter
    assert unfinished["II.6.e"]["lead"] == "BCSĐ UBND tỉnh" and unfinished["II.6.e"]["percent"] == 70
    on_time = {x["task_id"] for x in _blocks(ev, "strengths")["done_tasks_on_time"]}
    assert "II.9.a" in on_time  # both Bans reached 100 % in Q4
    appendix = {r["id"]: r for r in data["appendix"]}
    assert appendix["II.6.e"]["percent_text"] == "70% (BDVTU 100%, BCSĐ UBND tỉnh 40%)"
    # the quarterly report: Q1, Q2, Q4 on time; Q3 late (8 October); a conditional task not triggered
    occ_on_time = [x["text"] for x in _blocks(ev, "strengths")["done_occurrences_on_time"] if x["task_id"] == "IV.2.a"]
    occ_late = [x["text"] for x in _blocks(ev, "limits")["done_occurrences_late"] if x["task_id"] == "IV.2.a"]
    assert len(occ_on_time) == 3 and len(occ_late) == 1 and "quý III" in occ_late[0]
    assert {x["task_id"] for x in _blocks(ev, "others")["not_triggered"]} == {"IV.3.b", "IV.4.b"}  # "sau khi", "khi có"
    assert all(r["status_code"] != "unfinished" for r in ev["unfinished"])  # never "trong hạn" after the year


def test_counts_equal_their_lists_in_the_json_and_the_word_file(year_report):
    from docx import Document

    data, out = year_report
    ev = data["evaluation"]
    tally = ev["tally"]
    blocks = {b["code"]: b for b in ev["strengths"] + ev["limits"] + ev["others"]}
    for block in blocks.values():
        assert block["count"] == len(block["lines"]) and f" {block['count']} " in f" {block['heading']} "
    assert tally["unfinished_tasks"] == sum(r["unit"] == "task" for r in ev["unfinished"])
    assert tally["unfinished_occurrences"] == sum(r["unit"] == "occurrence" for r in ev["unfinished"])
    for key in ("done_tasks_on_time", "done_occurrences_on_time", "maintained", "done_tasks_late",
                "done_occurrences_late", "gaps", "not_triggered", "suspended"):
        assert tally[key] == (blocks[key]["count"] if key in blocks else 0), key
    # the Word file: every heading that counts is followed by as many lines as it says
    paragraphs = [p.text for p in Document(str(out / "dv-2021-bao-cao-2021-Y.docx")).paragraphs]
    for block in blocks.values():
        at = paragraphs.index(block["heading"])
        lines = paragraphs[at + 1: at + 1 + block["count"] + 1]
        assert [p for p in lines if p.startswith("- ")][: block["count"]] == [f"- {x['text']}" for x in block["lines"]]
        assert not lines[-1].startswith("- ") or block["count"] == 0 or lines[-1] == f"- {block['lines'][-1]['text']}"
    summary = ev["summary"]
    numbers = [int(n) for n in re.findall(r"\d+", re.sub(r"\([^)]*\)", "", summary.split(":", 1)[1]))]
    assert sum(numbers) == sum(tally.values())  # the sentence's totals (their on-time/late split aside)
    assert f"{summary} {ev['completion']}" in paragraphs


def test_each_result_names_its_body_in_every_format(year_report):
    """md, html, docx and json say the same things: every result line, with its body."""
    from html.parser import HTMLParser

    from docx import Document

    data, out = year_report
    lines = [e for g in data["results"] for i in g["items"] for e in i["lines"]]
    assert lines and all(e["body"] and f" — {e['body']}" in e["text"] for e in lines)
    names = {e["body"] for e in lines}
    assert {"Ban Dân vận Tỉnh ủy", "Ban Cán sự đảng Ủy ban nhân dân tỉnh", "Sở Tài chính",
            "Ủy ban nhân dân huyện Tư Nghĩa", "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh"} <= names
    md = (out / "dv-2021-bao-cao-2021-Y.md").read_text(encoding="utf-8")
    md_plain = re.sub(r"\\(.)", r"\1", md)  # the Markdown escapes of punctuation

    class Text(HTMLParser):
        def __init__(self):
            super().__init__()
            self.items: list[str] = []

        def handle_data(self, data):
            self.items.append(data)

    parser = Text()
    parser.feed((out / "dv-2021-bao-cao-2021-Y.html").read_text(encoding="utf-8"))
    html_text = "".join(parser.items)
    paragraphs = {p.text for p in Document(str(out / "dv-2021-bao-cao-2021-Y.docx")).paragraphs}
    for e in lines:
        assert f"- {e['text']}" in md_plain, e["text"]
        assert e["text"] in html_text, e["text"]
        assert f"- {e['text']}" in paragraphs, e["text"]


def test_a_co_led_overdue_task_is_in_a_reminder(year, kehoach, tmp_path):
    """Work both Bans lead is not dropped from the reminders: it goes to the standing units'
    internal list, and the run says so."""
    plan, _, _, _ = year
    code, _, err = kehoach("remind", "-p", plan, "--as-of", "2022-01-05", "-o", tmp_path, "-f", "md")
    assert code == 0, err
    internal = (tmp_path / "dv-2021-nhac-viec-noi-bo-2022-01-05.md").read_text(encoding="utf-8")
    assert "| II.6.e |" in internal and "BCSĐ UBND tỉnh" in internal
    assert "<em>Kính gửi:</em><br>- Phòng Dân vận Chính quyền và Đoàn thể;<br>- Sở Nội vụ.</p>" in internal
    assert re.search(r"II\.6\.e: Quá hạn \d+ ngày \(hạn 31/12/2021\) \(BCSĐ UBND tỉnh chủ trì\) → danh sách "
                     r"nhắc việc nội bộ", err)
    assert "II.9.a" not in internal  # both Bans finished it
