"""`kehoach remind`: a reminder letter (công văn đôn đốc) to each lead body with work
overdue, due soon, or continuous work unreported in an ended review period."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pytest

from kehoach.plan.loader import load_plan, load_text
from kehoach.views.letters import build_reminders, reminder_rows
from plans_for_tests import D, demo_until, with_entries

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "examples" / "demo.yaml"



@pytest.fixture(scope="module")
def demo_june():
    """The demo plan with what had been logged by the end of May: in early July, II.1.b and
    II.4.b are overdue, II.5.a due soon, II.3 (continuous) unreported for June; the two Bans'
    own joint work (II.5.b, the Q2 and H1 reports, the 6-month conference) is overdue too."""
    loaded = load_text(demo_until("2021-05-31"), "demo-june.yaml")
    assert loaded.ok
    return loaded.plan


def test_one_letter_per_lead_body_with_something_to_chase(tmp_path, kehoach):
    code, _, err = kehoach("remind", "-p", DEMO, "--as-of", "2021-07-01", "-o", tmp_path, "-f", "md,html,docx")
    assert code == 0, err
    names = sorted(p.name for p in tmp_path.iterdir())
    # on 1/7/2021 Thanh tra tỉnh has II.4.b overdue; the Ban Cán sự đảng has II.5.a due soon and
    # II.3 unreported for June; the Ban Dân vận has nothing: no letter for it
    assert names == [f"dv-demo-2021-don-doc-2021-07-01-{b}.{ext}" for b in ("bcsd-ubnd", "thanh-tra-tinh")
                     for ext in ("docx", "html", "md")]
    md = (tmp_path / names[2]).read_text(encoding="utf-8")
    assert "<em>Kính gửi:</em> Ban Cán sự đảng Ủy ban nhân dân tỉnh Minh Hòa</p>" in md  # italic, the name upright
    assert "| 1 | II.3 |" in md and "Chưa báo cáo tháng 6/2021" in md
    assert "| 2 | II.5.a |" in md and "Đến hạn ngày 09/7/2021" in md
    assert "trước ngày 08 tháng 7 năm 2021" in md  # five working days after the letter
    # to the co-issuer, a body of equal standing: the subject (12 italic, no "V/v" in a Party letter) informs
    assert "<br>*trao đổi tình hình thực hiện Kế hoạch số 12-KH/BDVTU-BCSĐUBND* |" in md and "V/v" not in md
    ttr = (tmp_path / names[5]).read_text(encoding="utf-8")
    assert "| 1 | II.4.b |" in ttr and "Quá hạn 1 ngày (hạn 30/6/2021)" in ttr
    assert "<br>*đôn đốc thực hiện Kế hoạch số 12-KH/BDVTU-BCSĐUBND* |" in ttr  # to a body carrying the plan out
    # every run says where each item went
    assert "II.4.b: Quá hạn 1 ngày (hạn 30/6/2021) → công văn gửi Thanh tra tỉnh" in err


def test_a_body_never_writes_to_itself(demo_june):
    """The letter to one issuer of a joint plan comes from the other, signed by it alone, and
    the answer goes to it."""
    letters = dict(build_reminders(demo_june, dt.date(2021, 7, 2))[0])
    assert sorted(ctx.body for ctx in letters.values() if not ctx.internal) == ["bcsd-ubnd", "bdvtu", "thanh-tra-tinh"]
    to_bcsd = next(c for c in letters.values() if c.body == "bcsd-ubnd")
    # the Ban Dân vận under its committee (36-HD Phụ lục 3): the Tỉnh ủy upright above, the Ban in bold
    assert to_bcsd.doc.superior == ["TỈNH ỦY MINH HÒA"] and to_bcsd.doc.issuers == ["BAN DÂN VẬN"]
    # its head signs with the position alone (36-HD 1.7.1), not under the body's name
    assert [(s.authority, s.title) for s in to_bcsd.signers] == [("", "TRƯỞNG BAN")]
    assert to_bcsd.doc.number.endswith("-CV/BDVTU")
    # between bodies of equal standing: it proposes to coordinate, it neither chases nor asks for a report
    assert to_bcsd.peer and "Ban Dân vận Tỉnh ủy Minh Hòa đề nghị" in to_bcsd.closing
    for directive in ("đôn đốc", "khẩn trương", "báo cáo kết quả về"):
        assert directive not in to_bcsd.closing + to_bcsd.opening + to_bcsd.doc.summary
    to_bdvtu = next(c for c in letters.values() if c.body == "bdvtu")
    assert to_bdvtu.doc.superior == ["TỈNH ỦY MINH HÒA"] and to_bdvtu.doc.issuers == ["BAN CÁN SỰ ĐẢNG UBND TỈNH"]
    assert [s.authority for s in to_bdvtu.signers] == ["T/M BAN CÁN SỰ ĐẢNG UBND TỈNH"]  # a collective keeps T/M
    to_ttr = next(c for c in letters.values() if c.body == "thanh-tra-tinh")
    assert not to_ttr.peer and "báo cáo kết quả về" in to_ttr.closing


def test_the_rows_say_what_is_late_due_or_unreported(demo_june):
    rows = reminder_rows(demo_june, dt.date(2021, 7, 2)).letters
    by_id = {r.id: r for r in rows["bcsd-ubnd"]}
    assert by_id["II.1.b"].status_code == "overdue" and by_id["II.1.b"].status == "Quá hạn 32 ngày (hạn 31/5/2021)"
    assert by_id["II.5.a"].status_code == "due_soon"
    # reviewed monthly
    assert by_id["II.3"].status_code == "ongoing_stale" and by_id["II.3"].status == "Chưa báo cáo tháng 6/2021"
    assert by_id["II.3"].last.startswith("28/4/2021: Khảo sát sự hài lòng")  # its last report
    # every row is a leaf task the body leads, numbered in plan order
    assert [r.stt for r in rows["bcsd-ubnd"]] == [str(i) for i in range(1, len(rows["bcsd-ubnd"]) + 1)]
    plan_order = [t.id for t, _ in demo_june.iter_tasks()]
    assert [r.id for r in rows["bcsd-ubnd"]] == sorted((r.id for r in rows["bcsd-ubnd"]), key=plan_order.index)


def test_no_letter_when_nothing_is_due(tmp_path, kehoach):
    code, _, err = kehoach("remind", "-p", DEMO, "--as-of", "2021-02-15", "-o", tmp_path)
    assert code == 0 and "Không có cơ quan nào cần đôn đốc" in err
    assert list(tmp_path.iterdir()) == []


def test_one_body(tmp_path, kehoach, demo_june):
    plan = tmp_path / "demo.yaml"
    plan.write_text(demo_until("2021-05-31"), encoding="utf-8")
    code, _, err = kehoach("remind", "-p", plan, "--as-of", "2021-07-02", "--body", "Thanh tra", "-o",
                       tmp_path / "out", "-f", "md", "--reply-by", "2021-07-15", "--number", "31")
    assert code == 0, err
    (letter,) = (tmp_path / "out").iterdir()
    text = letter.read_text(encoding="utf-8")
    assert "Số 31-CV/BDVTU-BCSĐUBND" in text and "trước ngày 15 tháng 7 năm 2021" in text
    assert "<em>Kính gửi:</em> Thanh tra tỉnh</p>" in text


def test_english(tmp_path, kehoach):
    code, _, _ = kehoach("remind", "-p", DEMO, "--as-of", "2021-07-01", "-o", tmp_path, "-f", "md",
                     "--lang", "en")
    assert code == 0
    text = (tmp_path / "dv-demo-2021-don-doc-2021-07-01-thanh-tra-tinh.md").read_text(encoding="utf-8")
    assert "<em>To:</em> Thanh tra tỉnh" in text and "Overdue by 1 day (" in text and "Kính gửi" not in text


@pytest.mark.slow
def test_the_word_letter_opens_in_libreoffice(tmp_path, kehoach):
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if exe is None:
        pytest.skip("LibreOffice is not installed (.ci/run installs libreoffice-writer-nogui)")
    code, _, err = kehoach("remind", "-p", DEMO, "--as-of", "2021-07-01", "-o", tmp_path, "-f", "docx")
    assert code == 0, err
    docx = tmp_path / "dv-demo-2021-don-doc-2021-07-01-thanh-tra-tinh.docx"
    proc = subprocess.run([exe, "--headless", f"-env:UserInstallation=file://{tmp_path / 'lo'}", "--convert-to", "pdf",
                           "--outdir", str(tmp_path), str(docx)], capture_output=True, text=True, timeout=240)
    pdf = docx.with_suffix(".pdf")
    assert pdf.exists(), proc.stdout + proc.stderr
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
        assert "ĐẢNG CỘNG SẢN VIỆT NAM" in text and "Kính gửi" in text and "II.4.b" in text


def test_load_plan_still_valid_after_remind(tmp_path, kehoach):
    """remind reads the plan, never writes it."""
    plan = tmp_path / "demo.yaml"
    plan.write_bytes(DEMO.read_bytes())
    kehoach("remind", "-p", plan, "--as-of", "2021-07-01", "-o", tmp_path / "out")
    assert plan.read_bytes() == DEMO.read_bytes() and load_plan(plan).ok


def test_work_the_senders_lead_goes_to_the_internal_list_never_dropped(demo_june):
    """A duty both issuers lead (IV.1.a, II.5.b) is theirs together: neither writes to the other
    about it, and it is not dropped: it goes on the standing units' internal list."""
    found = reminder_rows(demo_june, dt.date(2021, 7, 2))
    joint = {t.id for t, _ in demo_june.iter_tasks() if {"bdvtu", "bcsd-ubnd"} <= set(t.lead)}
    assert joint and not joint & {r.id for letter in found.letters.values() for r in letter}
    assert {"II.5.b", "IV.1.a", "IV.1.b", "IV.3.a"} <= {r.id for r in found.internal}
    letters, routes = build_reminders(demo_june, dt.date(2021, 7, 2))
    internal = next(ctx for _, ctx in letters if ctx.internal)
    # reporting.standing: a name holding "và" is set apart by a comma ("… và Đoàn thể và Sở Nội vụ")
    assert internal.to == "Phòng Dân vận Chính quyền và Đoàn thể, Sở Nội vụ"
    # every item chased is in a document, and the run says which: one route per row written
    assert len([r for r in routes if r.internal]) == len(internal.rows)
    assert sorted(r.task_id for r in routes if not r.internal) == sorted(
        row.id for _, ctx in letters if not ctx.internal for row in ctx.rows)
    assert all(r.stem for r in routes)


def test_one_number_for_one_letter_and_no_answer_before_the_letter(demo_june, kehoach, tmp_path):
    plan = tmp_path / "demo.yaml"
    plan.write_text(demo_until("2021-05-31"), encoding="utf-8")
    code, _, err = kehoach("remind", "-p", plan, "--as-of", "2021-07-02", "--number", "31", "-o", tmp_path / "a")
    assert code == 2 and "--body" in err
    code, _, err = kehoach("remind", "-p", plan, "--as-of", "2021-07-02", "--reply-by", "2021-06-01",
                           "-o", tmp_path / "b")
    assert code == 2 and "sớm hơn ngày gửi công văn" in err
    code, _, err = kehoach("remind", "-p", plan, "--as-of", "2021-07-02", "-o", "-")
    assert code == 2 and "thư mục" in err


def test_a_standing_unit_asked_by_body_gets_its_internal_list(tmp_path, kehoach):
    """`--body` naming a standing unit keeps the internal list it is addressed to."""
    plan = tmp_path / "2021.yaml"
    plan.write_bytes((ROOT / "plans" / "2021.yaml").read_bytes())
    code, _, err = kehoach("remind", "-p", plan, "--as-of", "2021-10-04", "--body", "so noi vu", "-o", tmp_path / "r",
                           "-f", "md")
    assert code == 0, err
    names = [p.name for p in (tmp_path / "r").iterdir()]
    assert names == ["dv-2021-nhac-viec-noi-bo-2021-10-04.md"]
    text = (tmp_path / "r" / names[0]).read_text(encoding="utf-8")
    # two addressees: a line each, "- …;" and the last "- ….", under "Kính gửi:" (R32)
    assert "<em>Kính gửi:</em><br>- Phòng Dân vận Chính quyền và Đoàn thể;<br>- Sở Nội vụ.</p>" in text


def test_the_internal_list_gives_the_word_of_the_lead_it_chases_and_says_whose_it_is():
    """II.1.a (continuous, both Bans): BDVTU reported on 10/9, BCSĐ not since 15/6; the row that
    chases BCSĐ quoted BDVTU's words without naming it. IV.2.a's Q2 report, done by BDVTU and owed
    by BCSĐ, said "Chưa có báo cáo" as if nobody had reported."""
    text = with_entries((ROOT / "plans" / "2021.yaml").read_text(encoding="utf-8"), [
        ("II.1.a", {"date": D("2021-06-15"), "body": "bcsd-ubnd", "note": "Chỉ đạo các sở thực hiện KL 114"}),
        ("II.1.a", {"date": D("2021-09-10"), "body": "bdvtu", "note": "Kiểm tra việc thực hiện KL 120"}),
        ("IV.2.a", {"date": D("2021-07-02"), "body": "bdvtu", "percent": 100, "occurrence": "2021-Q2",
                    "note": "Báo cáo quý II"}),
    ])
    loaded = load_text(text, "2021.yaml")
    assert loaded.plan is not None, loaded.diagnostics
    rows = {(r.id, r.deadline): r for r in reminder_rows(loaded.plan, dt.date(2021, 10, 8)).internal}
    stale = next(r for (i, _), r in rows.items() if i == "II.1.a")
    assert "BCSĐ UBND tỉnh" in stale.status
    assert stale.last == "15/6/2021 (BCSĐ UBND tỉnh): Chỉ đạo các sở thực hiện KL 114"
    q2 = rows[("IV.2.a", "quý II/2021 (hạn 30/6/2021)")]
    assert q2.last == "Chưa có báo cáo của BCSĐ UBND tỉnh"


def test_a_letter_to_a_co_lead_gives_its_own_word_not_the_other_leads():
    """II.4.b led by Thanh tra tỉnh and Sở TN&MT, only Thanh tra reported: the letter to Sở TN&MT
    quoted Thanh tra's report as the state of the work it is asked to do."""
    text = DEMO.read_text(encoding="utf-8").replace(
        "        lead: [thanh-tra-tinh]\n        support: [so-tnmt, ubnd-huyen]\n",
        "        lead: [thanh-tra-tinh, so-tnmt]\n        support: [ubnd-huyen]\n", 1)
    plan = load_text(text, "demo.yaml").plan
    assert plan is not None
    rows = reminder_rows(plan, dt.date(2021, 7, 1)).letters["so-tnmt"]
    row = next(r for r in rows if r.id == "II.4.b")
    assert row.last == "Chưa có báo cáo của Sở TN&MT"


def test_a_letter_both_bodies_send_keeps_a_copy_at_each_as_the_plan_does():
    """The plan ends "Lưu VPTU, VPBCSĐ UBND tỉnh" (a joint plan keeps a copy at each body), and so do
    its reports; the letters both send said "Lưu VT", the copy one office keeps. A letter one body
    sends to the other keeps its own "Lưu VT"."""
    plan = load_plan(ROOT / "plans" / "2021.yaml").plan
    letters = [ctx for _, ctx in build_reminders(plan, dt.date(2021, 10, 5))[0]]
    by_body = {c.body: c for c in letters if not c.internal}
    [internal] = [c for c in letters if c.internal]
    assert internal.recipients[-1].name.startswith("Lưu VPTU, VPBCSĐ UBND tỉnh")
    assert by_body and all(c.recipients[-1].name.startswith("Lưu VT") for c in by_body.values())
