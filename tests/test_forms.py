"""Return forms in Excel: `kehoach request` writes one per body, `kehoach collect`
records the rows the bodies fill in, as `kehoach log` would, and refuses what
it must: bad rows at their cells, hostile workbooks before they are opened.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest

from kehoach.life import forms
from kehoach.life.forms import screen
from kehoach.plan.loader import load_plan
from plans_for_tests import demo_until, form_rows

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "examples" / "demo.yaml"
AS_OF = "2021-07-05"


@pytest.fixture(scope="module")
def demo_q3_text():
    return demo_until("2021-06-30")


@pytest.fixture
def office(tmp_path, demo_q3_text):
    """A folder with the demo plan as it stood at the start of Q3, and the Q3 forms."""
    plan = tmp_path / "demo.yaml"
    plan.write_text(demo_q3_text, encoding="utf-8")
    made = forms.make_requests(plan, "Q3", dt.date.fromisoformat(AS_OF), tmp_path / "phieu")
    return plan, {form.body_id: path for form, path in made}



def sheet(path: Path):
    """The workbook and its form's sheet (the second: the guide comes first)."""
    wb = openpyxl.load_workbook(path)
    return wb, wb[form_sheet(wb)]


def form_sheet(wb) -> str:
    """The name of a form's sheet, as its hidden sheet records it."""
    return next(value for key, value, *_ in wb[forms.META].iter_rows(values_only=True) if key == "sheet")


def row_of(ws, task: str, occurrence: str | None = None) -> int:
    """The row asking about `task` (and `occurrence`: its code; by default the last period asked)."""
    found = [r for r, t, occ in form_rows(ws) if t == task and (occurrence is None or occ == occurrence)]
    if found:
        return found[-1]
    for r in range(forms.HEADER_ROW + 1, ws.max_row + 1):  # a row typed in by hand
        if ws.cell(row=r, column=2).value == task:
            return r
    raise AssertionError(f"no row for {task}")


def col(key: str) -> int:
    return forms.COLUMNS.index(key) + 1


def fill(path: Path, answers: dict[str, dict[str, object]], extra: tuple[str, dict[str, object]] | None = None):
    """Fill a form as a body would (openpyxl, then saved): {task id: {column key: value}}."""
    wb, ws = sheet(path)
    for task, values in answers.items():  # "II.3@2021-M09": one period's row of a task
        r = row_of(ws, *task.split("@"))
        for key, value in values.items():
            ws.cell(row=r, column=col(key), value=value)
    if extra is not None:  # a row typed into the sheet by hand
        r = ws.max_row + 1
        ws.cell(row=r, column=col("id"), value=extra[0])
        for key, value in extra[1].items():
            ws.cell(row=r, column=col(key), value=value)
    wb.save(path)


def rewrite(src_path: Path, dst_path: Path, member: str, change, extra: dict[str, bytes] | None = None) -> None:
    """A copy of a workbook with one part changed (and parts added): what a hostile sender makes."""
    with zipfile.ZipFile(src_path) as src, zipfile.ZipFile(dst_path, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            dst.writestr(item, change(data) if item.filename == member else data)
        for name, data in (extra or {}).items():
            dst.writestr(name, data)


# ---------------------------------------------------------------- request


def test_request_writes_one_form_per_body_with_open_work(office):
    plan, made = office
    assert set(made) >= {"bdvtu", "bcsd-ubnd", "so-noi-vu", "ubnd-an-lac", "mttq-tinh"}
    assert all(p.suffix == ".xlsx" and p.name.startswith("dv-demo-2021-phieu-2021-Q3-") for p in made.values())
    wb, ws = sheet(made["so-noi-vu"])
    assert wb.sheetnames == ["Hướng dẫn", "Phiếu báo cáo", forms.META] and ws.title == "Phiếu báo cáo"
    head = [ws.cell(row=r, column=1).value for r in range(1, 10)]
    assert head[0] == "PHIẾU BÁO CÁO TIẾN ĐỘ THỰC HIỆN KẾ HOẠCH"
    assert head[2] == "Cơ quan báo cáo: Sở Nội vụ"
    assert head[3] == "Kỳ báo cáo: quý III năm 2021 (từ ngày 01/7/2021 đến ngày 30/9/2021)"
    assert head[4] == "Đề nghị gửi lại phiếu chậm nhất ngày 24 tháng 9 năm 2021"
    headers = [ws.cell(row=forms.HEADER_ROW, column=c).value for c in range(1, len(forms.COLUMNS) + 1)]
    assert headers[:4] == ["STT", "Mã", "Kỳ", "Nội dung nhiệm vụ"] and headers[-2:] == ["Người báo cáo",
                                                                                        "Tình trạng hiện nay"]
    # each row: a task of Sở Nội vụ, its role, where it stands now
    r = row_of(ws, "III.1")
    assert ws.cell(row=r, column=col("role")).value == "Phối hợp"  # lead: bdvtu; support: so-noi-vu
    assert ws.cell(row=r, column=col("percent_now")).value is None  # a supporting body is asked no percent
    # II.5.a is led by the Ban Cán sự đảng, whose standing unit Sở Nội vụ is: named there to support,
    # its every result counts for the Ban, and a lead's result on dated work says how far it is: it is
    # asked the Ban's percent (as a supporter, collect could never record its result)
    unit = row_of(ws, "II.5.a")
    assert ws.cell(row=unit, column=col("role")).value == "Chủ trì (thường trực)"
    assert not ws.cell(row=unit, column=col("percent")).protection.locked
    # laid out for print and for filling in; a supporting body writes results, not the task's percent
    assert ws.freeze_panes == f"E{forms.HEADER_ROW + 1}"  # STT, Mã, Kỳ and the task stay in sight
    assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4)
    assert ws.protection.sheet and ws.cell(row=r, column=col("percent")).protection.locked
    assert not ws.cell(row=r, column=col("result")).protection.locked
    assert ws.cell(row=r, column=col("title")).protection.locked
    _, lead_ws = sheet(made["bcsd-ubnd"])
    lead_row = row_of(lead_ws, "II.5.a")
    assert lead_ws.cell(row=lead_row, column=col("role")).value == "Chủ trì"
    assert not lead_ws.cell(row=lead_row, column=col("percent")).protection.locked
    assert ws.column_dimensions["D"].width >= 20
    # the percent cannot go below where it stands
    rules = [dv for dv in lead_ws.data_validations.dataValidation if dv.type == "whole"]
    assert rules and all(dv.formula2 == "100" for dv in rules)
    cell = lead_ws.cell(row=lead_row, column=col("percent")).coordinate
    rule = next(dv for dv in rules if cell in dv.sqref)
    assert int(rule.formula1) == lead_ws.cell(row=lead_row, column=col("percent_now")).value
    # what it was made from, hidden
    meta = wb[forms.META]
    assert meta.sheet_state == "veryHidden"
    pairs = {meta.cell(row=i, column=1).value: meta.cell(row=i, column=2).value for i in range(1, 15)}
    assert pairs["plan"] == "dv-demo-2021" and pairs["body"] == "so-noi-vu" and pairs["period"] == "2021-Q3"
    assert pairs["plan_sha256"] == forms.plan_hash(plan.read_bytes())


def test_a_body_gets_only_its_own_tasks(office):
    plan, made = office
    loaded = load_plan(plan).plan
    from kehoach.plan.bodies import Bodies
    from kehoach.plan.schedule import build_schedule

    nodes = build_schedule(loaded).by_id()
    bodies = Bodies(loaded)
    for body, path in made.items():
        _, ws = sheet(path)
        for r, _, _ in form_rows(ws):
            node = nodes[ws.cell(row=r, column=2).value]
            assert bodies.involves(node.lead + node.support, {body}), (body, node.id)


def test_a_recurring_duty_has_a_row_for_its_open_occurrence(office):
    _, made = office
    _, ws = sheet(made["bdvtu"])
    occurrences = [ws.cell(row=r, column=3).value for r in range(forms.HEADER_ROW + 1, ws.max_row + 1)]
    assert "quý III năm 2021" in occurrences  # the period in words; its code is in the hidden sheet
    assert ("IV.1.a", "2021-Q3") in {(t, occ) for _, t, occ in form_rows(ws)}


def test_continuous_work_has_a_row_per_review_period_and_no_percent(office):
    """II.3 is reviewed monthly: the Q3 form of its lead asks July, August and September, each
    without a percent (continuous work has none). Sở Nội vụ, the standing unit of the Ban Cán sự
    đảng which leads II.3, is told its rows are the Ban's report: its results there count for the Ban."""
    _, made = office
    _, ws = sheet(made["so-noi-vu"])
    rows = [(r, occ) for r, t, occ in form_rows(ws) if t == "II.3"]
    assert [occ for _, occ in rows] == ["2021-M07", "2021-M08", "2021-M09"]
    for r, _ in rows:
        assert ws.cell(row=r, column=col("role")).value == "Chủ trì (thường trực)"
        assert ws.cell(row=r, column=col("percent")).protection.locked
        assert ws.cell(row=r, column=col("percent_now")).value is None
    assert [ws.cell(row=r, column=3).value for r, _ in rows] == ["tháng 7 năm 2021", "tháng 8 năm 2021",
                                                                 "tháng 9 năm 2021"]


def test_request_for_one_body(tmp_path, demo_q3_text, kehoach):
    plan = tmp_path / "demo.yaml"
    plan.write_text(demo_q3_text, encoding="utf-8")
    code, _, err = kehoach("request", "-p", plan, "--period", "Q3", "--as-of", AS_OF, "--body", "so noi vu",
                       "-o", tmp_path / "out", "--due", "2021-09-20")
    assert code == 0, err
    files = list((tmp_path / "out").iterdir())
    assert [f.name for f in files] == ["dv-demo-2021-phieu-2021-Q3-so-noi-vu.xlsx"]
    _, ws = sheet(files[0])
    assert ws.cell(row=5, column=1).value == "Đề nghị gửi lại phiếu chậm nhất ngày 20 tháng 9 năm 2021"
    # made again: refused, a returned form may be there
    code, _, err = kehoach("request", "-p", plan, "--period", "Q3", "--as-of", AS_OF, "--body", "so noi vu",
                       "-o", tmp_path / "out")
    assert code == 2 and "--force" in err


def test_plan_text_that_looks_like_a_formula_is_written_as_text(tmp_path, demo_q3_text):
    plan = tmp_path / "demo.yaml"
    plan.write_text(demo_q3_text.replace("title: Cải cách hành chính, nâng cao chỉ số hài lòng của người dân",
                                         "title: '=HYPERLINK(\"http://x.invalid\",\"bấm\")'"), encoding="utf-8")
    made = forms.make_requests(plan, "Q3", dt.date.fromisoformat(AS_OF), tmp_path / "phieu", body="so-noi-vu")
    path = made[0][1]
    with zipfile.ZipFile(path) as zf:
        xml = zf.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml  # no formula anywhere in the sheet
    _, ws = sheet(path)
    cell = ws.cell(row=row_of(ws, "II.3"), column=col("title"))
    assert cell.value.startswith("=HYPERLINK") and cell.data_type == "s" and cell.quotePrefix


# ---------------------------------------------------------------- the whole loop


@pytest.mark.slow  # about half a second or more here: CI runs it (.ci/run)
def test_the_whole_loop(office, kehoach):
    """Bodies fill their forms: a lead's percent goes down, a task of another body is typed
    into a sheet: the dry run names exactly those two cells; --partial records the rest, each
    entry in its body's name, and says it wrote in part (exit 4)."""
    plan, made = office
    before = load_plan(plan).plan
    ttr, bcsd, snv, tnmt = made["thanh-tra-tinh"], made["bcsd-ubnd"], made["so-noi-vu"], made["so-tnmt"]
    current = {t.id: max((e.percent or 0 for e in t.progress), default=0) for t, _ in before.iter_tasks()}
    fill(ttr, {
        "II.4.b": {"percent": current["II.4.b"] + 20, "date": dt.datetime(2021, 9, 10),
                   "result": "Giải quyết dứt điểm thêm 3 vụ khiếu nại kéo dài", "by": "Nguyễn Văn An",
                   "evidence": "Báo cáo số 45/BC-TTr"},
    })
    fill(bcsd, {"II.5.a": {"percent": current["II.5.a"] - 10, "date": "12/9/2021",
                           "result": "Đang hoàn thiện dự thảo"}})
    fill(snv, {
        "II.3@2021-M09": {"date": "2021-09-15", "result": "Tập huấn cải cách hành chính cho cán bộ một cửa",
                          "difficulty": "Thiếu kinh phí tập huấn"},
    }, extra=("II.4.b", {"percent": 90, "result": "Giúp huyện giải quyết khiếu nại"}))
    fill(tnmt, {"II.4.b": {"date": "2021-09-12", "result": "Đo đạc lại 4 thửa đất tranh chấp"}})
    name = "'Phiếu báo cáo'"
    _, ws = sheet(bcsd)
    down = f"{bcsd}:{name}!{ws.cell(row=row_of(ws, 'II.5.a'), column=col('percent')).coordinate}"
    _, ws = sheet(snv)
    other = f"{snv}:{name}!{ws.cell(row=row_of(ws, 'II.4.b'), column=col('id')).coordinate}"

    code, out, _ = kehoach("collect", ttr, bcsd, snv, tnmt, "-p", plan, "--dry-run", "--as-of", "2021-09-25")
    assert code == 1
    errors = [line for line in out.splitlines() if ": lỗi: " in line]
    assert sorted(e.split(": lỗi: ")[0] for e in errors) == sorted([down, other])
    assert any("thấp hơn mức đã báo cáo" in e for e in errors)
    assert any("không do Sở Nội vụ chủ trì hay phối hợp" in e for e in errors)
    assert plan.read_text(encoding="utf-8") == load_plan(plan).text  # nothing written

    code, out, _ = kehoach("collect", ttr, bcsd, snv, tnmt, "-p", plan, "--partial", "--as-of", "2021-09-25")
    assert code == 4  # written in part: the valid rows recorded, the others refused
    assert "Đã ghi 4 mục tiến độ từ 3 dòng của 4 phiếu" in out and "2 dòng bị từ chối" in out
    code, check_out, _ = kehoach("check", plan)
    assert code == 0, check_out
    after = load_plan(plan).plan
    tasks = {t.id: t for t, _ in after.iter_tasks()}
    lead = next(e for e in tasks["II.4.b"].progress if e.body == "thanh-tra-tinh" and e.date == dt.date(2021, 9, 10))
    assert (lead.percent, lead.by, lead.evidence) == (current["II.4.b"] + 20, "Nguyễn Văn An", "Báo cáo số 45/BC-TTr")
    # a supporting body's report: in its name, without a percent (only the lead moves the task)
    support = next(e for e in tasks["II.4.b"].progress if e.body == "so-tnmt")
    assert (support.percent, support.note) == (None, "Đo đạc lại 4 thửa đất tranh chấp")
    # continuous work: the row's month, no percent, the standing unit's report for its Ban
    snv_entries = [e for e in tasks["II.3"].progress if e.date == dt.date(2021, 9, 15)]
    assert [(str(e.kind), e.body, e.percent, e.occurrence) for e in snv_entries] == [
        ("result", "so-noi-vu", None, "2021-M09"), ("difficulty", "so-noi-vu", None, "2021-M09")]
    assert tasks["II.5.a"].progress == before_task(before, "II.5.a").progress  # the refused row added nothing

    code, out, _ = kehoach("status", "-p", plan, "--as-of", "2021-09-25", "-f", "json")
    rows = {r["id"]: r for r in json.loads(out)["tasks"]}
    assert rows["II.4.b"]["percent"] == current["II.4.b"] + 20

    # collected again: nothing new
    text = plan.read_text(encoding="utf-8")
    code, out, _ = kehoach("collect", ttr, bcsd, snv, tnmt, "-p", plan, "--partial", "--as-of", "2021-09-26")
    assert plan.read_text(encoding="utf-8") == text
    assert "3 dòng đã ghi từ trước" in out


def before_task(plan, task_id):
    return next(t for t, _ in plan.iter_tasks() if t.id == task_id)


def test_collect_writes_nothing_when_a_row_is_refused(office, kehoach):
    plan, made = office
    text = plan.read_text(encoding="utf-8")
    fill(made["so-noi-vu"], {"II.5.a": {"percent": "nhiều", "result": "Xong"},  # a percent asked: refused
                             "II.2.a": {"percent": 90, "result": "Ổn"}})
    code, out, _ = kehoach("collect", made["so-noi-vu"], "-p", plan, "--as-of", "2021-09-25")
    assert code == 1 and "phần trăm 'nhiều' không hợp lệ" in out
    assert plan.read_text(encoding="utf-8") == text


def test_collect_json(office, kehoach):
    plan, made = office
    fill(made["thanh-tra-tinh"], {"II.4.b": {"percent": 80, "result": "Đạt", "date": "2021-09-01"}})
    code, out, _ = kehoach("collect", made["thanh-tra-tinh"], "-p", plan, "--dry-run", "-f", "json",
                       "--as-of", "2021-09-25")
    assert code == 0
    data = json.loads(out)
    assert data["version"] == 2 and data["written"] is False and data["refused"] == []
    (entry,) = data["entries"]
    assert {k: entry[k] for k in ("task", "body", "date", "percent", "kind", "note")} == {
        "task": "II.4.b", "body": "thanh-tra-tinh", "date": "2021-09-01", "percent": 80, "kind": "result",
        "note": "Đạt"}


def test_a_form_of_an_older_plan_is_accepted_with_a_warning_for_a_changed_task(office, kehoach):
    plan, made = office
    plan.write_text(plan.read_text(encoding="utf-8").replace(
        "title: Cải cách hành chính, nâng cao chỉ số hài lòng của người dân",
        "title: Cải cách hành chính, nâng cao chỉ số hài lòng của người dân và doanh nghiệp"), encoding="utf-8")
    fill(made["bcsd-ubnd"], {"II.3@2021-M08": {"result": "Đạt", "date": "2021-08-20"},
                              "II.2.a": {"result": "Ổn", "date": "2021-09-02"}})
    code, out, _ = kehoach("collect", made["bcsd-ubnd"], "-p", plan, "--as-of", "2021-09-25")
    assert code == 0, out
    warnings = [line for line in out.splitlines() if ": cảnh báo: " in line]
    assert len(warnings) == 1 and "II.3 đã được sửa trong kế hoạch" in warnings[0]
    assert "Đã ghi 2 mục tiến độ" in out


# ---------------------------------------------------------------- refusals


def test_a_formula_in_a_cell_is_refused_not_computed(office, kehoach):
    plan, made = office
    fill(made["so-noi-vu"], {"II.3": {"evidence": "=50+50", "result": "Đạt"}})
    code, out, _ = kehoach("collect", made["so-noi-vu"], "-p", plan, "--dry-run", "--as-of", "2021-09-25")
    assert code == 1
    assert "ô có công thức (=50+50)" in out and "[form-formula]" in out


def test_a_form_of_another_plan_is_refused(office, tmp_path, kehoach, demo_q3_text):
    plan, _ = office
    other = tmp_path / "other.yaml"
    other.write_text(demo_q3_text.replace("id: dv-demo-2021", "id: dv-khac-2021", 1), encoding="utf-8")
    made = forms.make_requests(other, "Q3", dt.date.fromisoformat(AS_OF), tmp_path / "khac", body="so-noi-vu")
    fill(made[0][1], {"II.3": {"result": "Đạt"}})
    text = plan.read_text(encoding="utf-8")
    code, out, _ = kehoach("collect", made[0][1], "-p", plan, "--as-of", "2021-09-25")
    assert code == 1 and "phiếu này của kế hoạch dv-khac-2021, không phải dv-demo-2021" in out
    assert plan.read_text(encoding="utf-8") == text


def test_a_macro_enabled_workbook_is_refused(office, kehoach):
    plan, made = office
    xlsm = made["so-noi-vu"].with_suffix(".xlsm")
    shutil.copy(made["so-noi-vu"], xlsm)
    code, _, err = kehoach("collect", xlsm, "-p", plan)
    assert code == 2 and "có macro" in err
    # renamed to .xlsx, with its VBA project inside
    vba = made["so-noi-vu"].with_name("vba.xlsx")
    shutil.copy(made["so-noi-vu"], vba)
    with zipfile.ZipFile(vba, "a") as zf:
        zf.writestr("xl/vbaProject.bin", b"\x00" * 64)
    code, _, err = kehoach("collect", vba, "-p", plan)
    assert code == 2 and "có macro" in err


def test_an_oversized_file_is_refused(office, kehoach, monkeypatch):
    plan, made = office
    monkeypatch.setattr(screen, "MAX_BYTES", 2000)  # where the screening reads it
    code, _, err = kehoach("collect", made["so-noi-vu"], "-p", plan)
    assert code == 2 and "quá lớn" in err


def test_a_zip_bomb_is_refused(office, tmp_path, kehoach):
    plan, made = office
    bomb = tmp_path / "bomb.xlsx"
    shutil.copy(made["so-noi-vu"], bomb)
    with zipfile.ZipFile(bomb, "a", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/media/zeros.bin", b"\0" * (forms.MAX_UNZIPPED + 1024))
    assert bomb.stat().st_size < forms.MAX_BYTES  # small on disk
    code, _, err = kehoach("collect", bomb, "-p", plan)
    assert code == 2 and "giải nén ra quá lớn" in err


def test_an_xml_entity_attack_is_refused(office, tmp_path, kehoach):
    plan, made = office
    evil = tmp_path / "evil.xlsx"

    def entities(data: bytes) -> bytes:
        body = data.split(b"?>", 1)[1] if data.startswith(b"<?xml") else data
        return b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>' + body

    rewrite(made["so-noi-vu"], evil, "xl/workbook.xml", entities)
    code, _, err = kehoach("collect", evil, "-p", plan)
    assert code == 2 and "DTD/ENTITY" in err


def test_an_encrypted_or_old_workbook_is_refused(office, tmp_path, kehoach):
    plan, _ = office
    ole = tmp_path / "mat-khau.xlsx"
    ole.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    code, _, err = kehoach("collect", ole, "-p", plan)
    assert code == 2 and "mật khẩu" in err


def test_a_workbook_that_is_not_a_form_is_refused(office, tmp_path, kehoach):
    plan, _ = office
    other = tmp_path / "bang-tinh.xlsx"
    wb = openpyxl.Workbook()
    wb.active["A1"] = "Bảng tính khác"
    wb.save(other)
    code, _, err = kehoach("collect", other, "-p", plan)
    assert code == 2 and "không phải phiếu do kehoach request tạo" in err
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"PK\x03\x04 not really a zip")
    code, _, err = kehoach("collect", junk, "-p", plan)
    assert code == 2 and "Traceback" not in err


def test_english(office, kehoach):
    plan, made = office
    fill(made["bcsd-ubnd"], {"II.5.a": {"percent": 5, "result": "Done"}})
    code, out, _ = kehoach("collect", made["bcsd-ubnd"], "-p", plan, "--dry-run", "--lang", "en",
                       "--as-of", "2021-09-25")
    assert code == 1 and "is below what was reported already" in out


# ---------------------------------------------------------------- what a careless colleague sends


def test_a_row_without_a_date_takes_the_forms_due_date_and_is_recorded_once(office, kehoach):
    plan, made = office
    fill(made["thanh-tra-tinh"], {"II.4.b": {"percent": 90, "result": "Giải quyết thêm 2 vụ"}})
    assert kehoach("collect", made["thanh-tra-tinh"], "-p", plan, "--as-of", "2021-10-05")[0] == 0
    entry = next(t for t, _ in load_plan(plan).plan.iter_tasks() if t.id == "II.4.b").progress[-1]
    assert entry.date == dt.date(2021, 9, 24)  # the date the form was due back, within Q3
    text = plan.read_text(encoding="utf-8")
    code, out, _ = kehoach("collect", made["thanh-tra-tinh"], "-p", plan, "--as-of", "2021-10-06")
    assert code == 0 and plan.read_text(encoding="utf-8") == text and "1 dòng đã ghi từ trước" in out


def test_the_same_form_under_two_names_is_recorded_once(office, kehoach, tmp_path):
    plan, made = office
    fill(made["thanh-tra-tinh"], {"II.4.b": {"percent": 90, "result": "Giải quyết thêm 2 vụ", "date": "2021-09-10"}})
    copy = tmp_path / "phieu (1).xlsx"
    shutil.copy(made["thanh-tra-tinh"], copy)
    code, out, _ = kehoach("collect", made["thanh-tra-tinh"], copy, "-p", plan, "--as-of", "2021-09-25")
    assert code == 0 and "Đã ghi 1 mục tiến độ" in out and "1 dòng đã ghi từ trước" in out  # no error
    task = next(t for t, _ in load_plan(plan).plan.iter_tasks() if t.id == "II.4.b")
    assert [e.note for e in task.progress].count("Giải quyết thêm 2 vụ") == 1


def test_text_typed_with_combining_marks_is_the_same_text(office, kehoach):
    import unicodedata

    plan, made = office
    note = unicodedata.normalize("NFD", "Hoàn thành khảo sát ở 5 xã")
    fill(made["thanh-tra-tinh"], {"II.4.b": {"percent": 90, "result": note, "date": "2021-09-10"}})
    for day in ("2021-09-25", "2021-09-26", "2021-09-27"):
        kehoach("collect", made["thanh-tra-tinh"], "-p", plan, "--as-of", day)
    task = next(t for t, _ in load_plan(plan).plan.iter_tasks() if t.id == "II.4.b")
    assert [e.note for e in task.progress].count("Hoàn thành khảo sát ở 5 xã") == 1


def test_line_breaks_in_a_cell_are_kept_as_one_note(office, kehoach):
    plan, made = office
    fill(made["thanh-tra-tinh"],
         {"II.4.b": {"percent": 90, "result": "Giải quyết 2 vụ\nĐối thoại 3 vụ\r\n", "date": "2021-09-10"}})
    assert kehoach("collect", made["thanh-tra-tinh"], "-p", plan, "--as-of", "2021-09-25")[0] == 0
    task = next(t for t, _ in load_plan(plan).plan.iter_tasks() if t.id == "II.4.b")
    assert task.progress[-1].note == "Giải quyết 2 vụ; Đối thoại 3 vụ"


def test_an_edited_hidden_sheet_or_a_renamed_sheet_is_refused_clearly(office, kehoach, tmp_path):
    plan, made = office
    for name, edit in (("header", lambda wb: wb[forms.META].__setitem__("B13", "abc")),
                       ("columns", lambda wb: wb[forms.META].__setitem__("B14", "id,percent")),
                       ("sheet", lambda wb: setattr(wb[form_sheet(wb)], "title", "Trang 1"))):
        path = tmp_path / f"{name}.xlsx"
        wb = openpyxl.load_workbook(made["bcsd-ubnd"])
        edit(wb)
        wb.save(path)
        code, _, err = kehoach("collect", path, "-p", plan)
        assert code == 2 and "Traceback" not in err and "lỗi nội bộ" not in err, err
        assert ("đã bị sửa" in err) if name != "sheet" else ("không còn trang 'Phiếu báo cáo'" in err)


def test_a_vba_project_under_another_name_is_refused(office, kehoach, tmp_path):
    plan, made = office
    evil = tmp_path / "evil.xlsx"
    rewrite(made["bcsd-ubnd"], evil, "[Content_Types].xml", lambda data: data.replace(
        b"</Types>", b'<Override PartName="/xl/macros.bin" ContentType="application/vnd.ms-office.vbaProject"/>'
        b"</Types>"), extra={"xl/macros.bin": b"\0" * 32})
    code, _, err = kehoach("collect", evil, "-p", plan)
    assert code == 2 and "có macro" in err


def test_a_member_of_a_lead_group_leads_its_own_part(tmp_path, kehoach):
    from plans_for_tests import generator

    plan = tmp_path / "plan.yaml"
    plan.write_text(generator().plan_text(60, seed=5), encoding="utf-8")
    made = forms.make_requests(plan, "Q3", dt.date(2021, 7, 5), tmp_path / "phieu", body="ubnd-h00")
    _, ws = sheet(made[0][1])
    roles = {ws.cell(row=r, column=col("role")).value for r in range(forms.HEADER_ROW + 1, ws.max_row + 1)}
    assert "Chủ trì (thành viên)" in roles  # led by "UBND các huyện", of which it is one
    r = next(r for r in range(forms.HEADER_ROW + 1, ws.max_row + 1)
             if ws.cell(row=r, column=col("role")).value == "Chủ trì (thành viên)"
             and "thường xuyên" not in str(ws.cell(row=r, column=col("deadline")).value))
    assert not ws.cell(row=r, column=col("percent")).protection.locked  # each member says how far its part is


def test_a_due_date_before_the_forms_are_made_is_refused(office, kehoach, tmp_path):
    plan, _ = office
    code, _, err = kehoach("request", "-p", plan, "--period", "Q3", "--as-of", AS_OF, "--due", "2021-01-05",
                           "-o", tmp_path / "x")
    assert code == 2 and "hạn gửi lại 05/01/2021 sớm hơn" in err


def test_only_plain_dates_and_no_text_reordering_controls(office, kehoach):
    plan, made = office
    fill(made["bcsd-ubnd"], {"II.5.a": {"percent": 90, "result": "Đạt", "date": "2021-W37-2"},
                             "II.2.a": {"result": "Đạt \u202eọđ", "date": "2021-09-10"}})
    code, out, _ = kehoach("collect", made["bcsd-ubnd"], "-p", plan, "--dry-run", "--as-of", "2021-09-25")
    assert code == 1 and "ngày '2021-W37-2' không hợp lệ" in out and "U+202E" in out


def test_a_day_the_calendar_lacks_is_said_so(office, kehoach):
    """31/9/2021 is written the right way: the message says the month has no such day, not
    that the form of the date is wrong."""
    plan, made = office
    fill(made["thanh-tra-tinh"], {"II.4.b": {"percent": 90, "result": "Đạt", "date": "31/9/2021"}})
    code, out, _ = kehoach("collect", made["thanh-tra-tinh"], "-p", plan, "--dry-run", "--as-of", "2021-09-25")
    assert code == 1 and "'31/9/2021' không có trong lịch" in out and "[form-no-such-date]" in out


# ---------------------------------------------------------------- the mail as it arrives (issue 16)


@pytest.mark.slow  # about half a second or more here: CI runs it (.ci/run)
def test_two_versions_of_one_bodys_form_keep_the_later_and_say_so(office, kehoach, tmp_path):
    plan, made = office
    first = tmp_path / "ban-dau.xlsx"
    shutil.copy(made["thanh-tra-tinh"], first)
    fill(first, {"II.4.b": {"percent": 80, "result": "Bản đầu", "date": "2021-09-10"}})
    later = tmp_path / "sua-lai.xlsx"
    shutil.copy(made["thanh-tra-tinh"], later)
    fill(later, {"II.4.b": {"percent": 85, "result": "Bản sửa lại", "date": "2021-09-12"}})
    import os

    os.utime(first, (1_600_000_000, 1_600_000_000))  # saved earlier
    os.utime(later, (1_700_000_000, 1_700_000_000))
    code, out, _ = kehoach("collect", later, first, "-p", plan, "--as-of", "2021-09-25")
    assert code == 0, out
    assert f"{first}:_kehoach: cảnh báo: {later} là bản sau của cùng phiếu kỳ 2021-Q3" in out
    notes = [e.note for t, _ in load_plan(plan).plan.iter_tasks() if t.id == "II.4.b" for e in t.progress]
    assert "Bản sửa lại" in notes and "Bản đầu" not in notes


def test_partial_skips_an_unreadable_form_and_reads_the_others(office, kehoach, tmp_path):
    plan, made = office
    fill(made["thanh-tra-tinh"], {"II.4.b": {"percent": 80, "result": "Đạt", "date": "2021-09-10"}})
    junk = tmp_path / "hong.xlsx"
    junk.write_bytes(b"PK\x03\x04 not really a zip")
    code, _, err = kehoach("collect", junk, made["thanh-tra-tinh"], "-p", plan, "--as-of", "2021-09-25")
    assert code == 2 and "hong.xlsx" in err  # without --partial a file that cannot be read stops everything
    code, out, _ = kehoach("collect", junk, made["thanh-tra-tinh"], "-p", plan, "--partial", "--as-of", "2021-09-25")
    assert code == 4 and f"{junk}:" in out and "Đã ghi 1 mục tiến độ" in out  # written, with a refusal


def test_a_result_dated_outside_the_forms_period_is_a_warning_naming_both(office, kehoach):
    plan, made = office
    fill(made["thanh-tra-tinh"], {"II.4.b": {"percent": 60, "result": "Đạt", "date": "2021-06-20"}})
    code, out, _ = kehoach("collect", made["thanh-tra-tinh"], "-p", plan, "--as-of", "2021-09-25")
    assert code == 0, out
    assert ("ngày 20/6/2021 ngoài thời gian của dòng: kỳ 01/7/2021 – 30/9/2021, gửi muộn được đến 29/11/2021 "
            "(60 ngày sau kỳ)") in out
    assert "[form-date-other-period]" in out
    entry = [e for t, _ in load_plan(plan).plan.iter_tasks() if t.id == "II.4.b" for e in t.progress][-1]
    assert entry.date == dt.date(2021, 6, 20)  # recorded as the body dated it


def test_a_changed_locked_cell_is_a_warning(office, kehoach):
    plan, made = office
    wb, ws = sheet(made["thanh-tra-tinh"])
    r = row_of(ws, "II.4.b")
    ws.cell(row=r, column=col("title"), value="Tên nhiệm vụ bị sửa")
    ws.cell(row=r, column=col("percent"), value=80)
    ws.cell(row=r, column=col("result"), value="Đạt")
    ws.cell(row=r, column=col("date"), value="2021-09-10")
    wb.save(made["thanh-tra-tinh"])
    code, out, _ = kehoach("collect", made["thanh-tra-tinh"], "-p", plan, "--as-of", "2021-09-25")
    assert code == 0 and "[form-locked-changed]" in out and "Tên nhiệm vụ bị sửa" in out
    assert "Đã ghi 1 mục tiến độ" in out  # read as the form asked


def test_a_long_changed_title_is_quoted_to_a_word_s_end(office, kehoach):
    """The warning quotes a long title cut after a whole word, marked "…", never inside a word."""
    plan, made = office
    wb, ws = sheet(made["thanh-tra-tinh"])
    r = row_of(ws, "II.4.b")
    ws.cell(row=r, column=col("title"), value="Tổ chức sơ kết, đánh giá tình hình và rút kinh nghiệm việc thực hiện "
                                              "dân chủ ở cơ sở trong năm")
    ws.cell(row=r, column=col("percent"), value=80)
    ws.cell(row=r, column=col("result"), value="Đạt")
    wb.save(made["thanh-tra-tinh"])
    code, out, _ = kehoach("collect", made["thanh-tra-tinh"], "-p", plan, "--as-of", "2021-09-25", "--dry-run")
    assert code == 0
    quoted = re.search(r"nay là '([^']*)'", out).group(1)
    assert quoted == "Tổ chức sơ kết, đánh giá tình hình và rút kinh nghiệm việc…"


def test_a_form_whose_hidden_sheet_was_edited_or_forged_is_refused(office, kehoach, tmp_path):
    """A body cannot pose as another: the hidden sheet is signed with the office's key."""
    plan, made = office
    fill(made["thanh-tra-tinh"], {"II.4.b": {"percent": 90, "result": "Đạt", "date": "2021-09-10"}})
    forged = tmp_path / "gia.xlsx"
    wb = openpyxl.load_workbook(made["thanh-tra-tinh"])
    meta = wb[forms.META]
    for row in meta.iter_rows():
        if row[0].value == "body":
            row[1].value = "so-tnmt"
    wb.save(forged)
    text = plan.read_text(encoding="utf-8")
    code, out, _ = kehoach("collect", forged, "-p", plan, "--as-of", "2021-09-25")
    assert code == 1 and "[form-forged]" in out and plan.read_text(encoding="utf-8") == text
    # without the office's key (another computer), a signed form cannot be checked
    key = plan.parent / forms.KEY_FILE
    saved = key.read_bytes()
    key.unlink()
    code, out, _ = kehoach("collect", made["thanh-tra-tinh"], "-p", plan, "--as-of", "2021-09-25")
    assert code == 1 and "[form-no-key]" in out and ".kehoach-key" in out
    key.write_bytes(saved)
    assert kehoach("collect", made["thanh-tra-tinh"], "-p", plan, "--as-of", "2021-09-25")[0] == 0


def test_an_unsigned_form_of_an_older_version_needs_allow_unsigned(office, kehoach, tmp_path):
    """A form made before forms were signed (version 1: no signature, its rows known by their id)."""
    plan, made = office
    old = tmp_path / "cu.xlsx"
    wb, ws = sheet(made["thanh-tra-tinh"])
    r = row_of(ws, "II.4.b")
    meta = wb[forms.META]
    blank = False
    for row in meta.iter_rows():
        if row[0].value is None:
            blank = True
        elif not blank and row[0].value == "version":
            row[1].value = "1"
        elif not blank and row[0].value == "signature":
            row[0].value = row[1].value = None
        elif blank:  # version 1: task, occurrence, role, percent, fingerprint
            values = [c.value for c in row[1:6]]
            for cell, value in zip(row, values + [None] * (len(row) - len(values)), strict=False):
                cell.value = value
    for key, value in {"percent": 90, "result": "Đạt", "date": "2021-09-10"}.items():
        ws.cell(row=r, column=col(key), value=value)
    wb.save(old)
    code, out, _ = kehoach("collect", old, "-p", plan, "--as-of", "2021-09-25")
    assert code == 1 and "[form-unsigned]" in out and "--allow-unsigned" in out
    code, out, _ = kehoach("collect", old, "-p", plan, "--as-of", "2021-09-25", "--allow-unsigned")
    assert code == 0 and "[form-unsigned-accepted]" in out and "Đã ghi 1 mục tiến độ" in out


@pytest.mark.parametrize("change", ["insert", "delete", "copy"])
def test_a_row_moved_by_an_inserted_or_deleted_row_keeps_its_task(office, kehoach, tmp_path, change):
    """The sheet's protection can be lifted (it has no password: bodies may need to): a row is
    known by the task and period it shows, never by its place, so an inserted or deleted row
    above it does not record a result against another task; a copied row is a row twice."""
    plan, made = office
    path = made["bcsd-ubnd"]
    wb, ws = sheet(path)
    target = row_of(ws, "II.5.a")
    if change == "insert":
        ws.insert_rows(forms.HEADER_ROW + 1)
        target += 1
    elif change == "delete":
        victim = next(r for r in range(forms.HEADER_ROW + 1, ws.max_row + 1) if r != target)
        ws.delete_rows(victim)
        target -= 1 if victim < target else 0
    for key, value in {"percent": 95, "result": "Trình UBND tỉnh ban hành", "date": "2021-09-10"}.items():
        ws.cell(row=target, column=col(key), value=value)
    if change == "copy":
        copy_at = ws.max_row + 1
        for c in range(1, len(forms.COLUMNS) + 1):
            ws.cell(row=copy_at, column=c, value=ws.cell(row=target, column=c).value)
    wb.save(path)
    code, out, _ = kehoach("collect", path, "-p", plan, "--dry-run", "-f", "json", "--as-of", "2021-09-25")
    data = json.loads(out)
    if change == "copy":
        assert code == 1 and [d["code"] for d in data["refused"]] == ["form-duplicate-row"]
    else:
        assert code == 0, out
        assert [(e["task"], e["percent"]) for e in data["entries"]] == [("II.5.a", 95)]


@pytest.mark.parametrize("change", ["delete-above", "insert-above", "insert-column", "delete-column", "move-column"])
def test_rows_and_columns_changed_around_the_table_read_every_value_from_its_column(office, kehoach, tmp_path,
                                                                                     change):
    """A row deleted above the table (the empty "Kèm theo…" line) once hid the first task's row
    behind the heading row the form signed; a column inserted sent the date into the result and
    the result into the difficulties. The table is found by its headings, its columns by theirs."""
    plan, made = office
    path = made["bcsd-ubnd"]
    wb, ws = sheet(path)
    first = row_of(ws, "II.5.a")
    task = "II.5.a"
    for key, value in {"percent": 95, "result": "Trình UBND tỉnh ban hành", "date": "2021-09-10",
                       "difficulty": "Thiếu kinh phí"}.items():
        ws.cell(row=first, column=col(key), value=value)
    ws.protection.sheet = False
    if change == "delete-above":
        ws.delete_rows(3)
    elif change == "insert-above":
        ws.insert_rows(2, 3)
    elif change == "insert-column":
        ws.insert_cols(col("title") + 1)
    elif change == "delete-column":
        ws.delete_cols(col("role"))
    else:  # the result column moved to the far right
        at = ws.max_column + 1
        for r in range(forms.HEADER_ROW, max(r for r, _, _ in form_rows(ws)) + 1):
            ws.cell(row=r, column=at, value=ws.cell(row=r, column=col("result")).value)
            ws.cell(row=r, column=col("result")).value = None
    wb.save(path)
    code, out, _ = kehoach("collect", path, "-p", plan, "--dry-run", "-f", "json", "--as-of", "2021-09-25")
    assert code == 0, out
    data = json.loads(out)
    got = [(e["task"], e["percent"], e["date"], e["kind"], e["note"]) for e in data["entries"]]
    assert got == [(task, 95, "2021-09-10", "result", "Trình UBND tỉnh ban hành"),
                   (task, None, "2021-09-10", "difficulty", "Thiếu kinh phí")], got


@pytest.mark.parametrize("change", ["heading-row", "result-column"])
def test_a_table_whose_headings_are_gone_is_refused_not_guessed(office, kehoach, tmp_path, change):
    plan, made = office
    path = made["bcsd-ubnd"]
    wb, ws = sheet(path)
    first = row_of(ws, "II.5.a")
    for key, value in {"percent": 95, "result": "Đạt", "date": "2021-09-10"}.items():
        ws.cell(row=first, column=col(key), value=value)
    ws.protection.sheet = False
    if change == "heading-row":
        ws.delete_rows(forms.HEADER_ROW)
    else:
        ws.delete_cols(col("result"))
    wb.save(path)
    code, _, err = kehoach("collect", path, "-p", plan, "--as-of", "2021-09-25")
    assert code == 2 and "Traceback" not in err
    assert ("dòng tiêu đề" in err) and ("Kết quả thực hiện" in err or change == "heading-row"), err
    assert load_plan(plan).plan is not None and "Đạt" not in plan.read_text(encoding="utf-8")


def test_a_task_code_typed_over_does_not_move_the_result_to_another_task(office, kehoach, tmp_path):
    """The code column is locked but the protection has no password: a body that types another
    task's code over its row's (one the form also asks, or one it does not) still answers the
    row the form asked, with a warning; never another task's row."""
    plan, made = office
    path = made["bcsd-ubnd"]
    wb, ws = sheet(path)
    asked = row_of(ws, "II.5.a")
    other = next(r for r, _, _ in form_rows(ws) if r != asked)
    task, other_task = ws.cell(row=asked, column=col("id")).value, ws.cell(row=other, column=col("id")).value
    for key, value in {"percent": 95, "result": "Đạt", "date": "2021-09-10"}.items():
        ws.cell(row=asked, column=col(key), value=value)
    ws.cell(row=asked, column=col("id"), value=other_task)
    wb.save(path)
    code, out, _ = kehoach("collect", path, "-p", plan, "--dry-run", "-f", "json", "--as-of", "2021-09-25")
    data = json.loads(out)
    assert code == 0 and [(e["task"], e["percent"]) for e in data["entries"]] == [(task, 95)], out
    assert "form-locked-changed" in {w["code"] for w in data["warnings"]}


def test_an_older_version_arriving_after_a_newer_one_is_not_recorded(office, kehoach, tmp_path):
    plan, made = office
    older, newer = tmp_path / "v1.xlsx", tmp_path / "v2.xlsx"
    shutil.copy(made["thanh-tra-tinh"], older)
    fill(older, {"II.4.b": {"percent": 80, "result": "Bản nháp", "date": "2021-09-10"}})
    shutil.copy(made["thanh-tra-tinh"], newer)
    fill(newer, {"II.4.b": {"percent": 85, "result": "Bản chính thức", "date": "2021-09-12"}})
    # the body's program saved the draft on 10 September (the workbook's own record of it)
    staged = tmp_path / "v1-staged.xlsx"
    rewrite(older, staged, "docProps/core.xml", lambda data: re.sub(
        rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2021-09-10T08:00:00Z", data))
    staged.replace(older)
    assert kehoach("collect", newer, "-p", plan, "--as-of", "2021-09-25")[0] == 0
    code, out, _ = kehoach("collect", older, "-p", plan, "--as-of", "2021-09-26")
    assert code == 0 and "[form-older-than-collected]" in out and "v2.xlsx" in out
    notes = [e.note for t, _ in load_plan(plan).plan.iter_tasks() if t.id == "II.4.b" for e in t.progress]
    assert "Bản chính thức" in notes and "Bản nháp" not in notes


def _saved_on(path: Path, stamp: str) -> None:
    """The workbook's own record of when the body's program saved it."""
    staged = path.with_name("staged-" + path.name)
    rewrite(path, staged, "docProps/core.xml", lambda data: re.sub(
        rb"(<dcterms:modified[^>]*>)[^<]*", b"\\g<1>" + stamp.encode(), data))
    staged.replace(path)


def _versions(office, tmp_path):
    """Two versions of Thanh tra tỉnh's form: the first (10 September) answers its own task and a
    task it supports; the second (12 September) corrects its own task only."""
    plan, made = office
    first, second = tmp_path / "ttr-10-9.xlsx", tmp_path / "ttr-12-9.xlsx"
    shutil.copy(made["thanh-tra-tinh"], first)
    fill(first, {"II.4.b": {"percent": 80, "result": "Bản nháp", "date": "2021-09-10"},
                 "II.4.a": {"result": "Đã cử cán bộ phối hợp", "date": "2021-09-10"}})
    shutil.copy(made["thanh-tra-tinh"], second)
    fill(second, {"II.4.b": {"percent": 85, "result": "Bản chính thức", "date": "2021-09-12"}})
    _saved_on(first, "2021-09-10T08:00:00Z")
    _saved_on(second, "2021-09-12T08:00:00Z")
    return plan, first, second


def _notes(plan: Path) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for t, _ in load_plan(plan).plan.iter_tasks():
        out[t.id] = [e.note for e in t.progress if e.date >= dt.date(2021, 9, 1)]
    return out


def test_an_excel_error_value_is_refused_and_a_date_typed_as_a_result_kept_as_typed(office, kehoach):
    """"#REF!" left by a pasted cell was recorded as the result; a result Excel took for a date
    ("01/6/2021") was recorded as "2021-06-01 00:00:00"."""
    plan, made = office
    path = made["thanh-tra-tinh"]
    fill(path, {"II.4.b": {"percent": 80, "result": "#REF!", "date": "2021-09-10"},
                "II.4.a": {"result": dt.datetime(2021, 9, 1), "date": "2021-09-10"}})
    code, out, _ = kehoach("collect", path, "-p", plan, "--dry-run", "-f", "json", "--as-of", "2021-09-25")
    data = json.loads(out)
    assert code == 1 and [d["code"] for d in data["refused"]] == ["form-error-value"], out
    assert [(e["task"], e["note"]) for e in data["entries"]] == [("II.4.a", "01/09/2021")]


@pytest.mark.parametrize("order", ["older-first", "newer-first"])
def test_a_correction_of_one_row_keeps_the_other_rows_of_the_first_version(office, kehoach, tmp_path, order):
    """A body corrects one row and sends only that row again: the other rows of its first version
    are still its report (they were lost, with "0 rows refused" and exit 0)."""
    plan, first, second = _versions(office, tmp_path)
    files = [first, second] if order == "older-first" else [second, first]
    code, out, _ = kehoach("collect", *files, "-p", plan, "--as-of", "2021-09-25")
    assert code == 0 and "[form-earlier-rows-kept]" in out, out
    notes = _notes(plan)
    assert notes["II.4.b"] == ["Bản chính thức"] and notes["II.4.a"] == ["Đã cử cán bộ phối hợp"]


def test_a_blank_copy_saved_later_does_not_wipe_out_a_filled_form(office, kehoach, tmp_path):
    plan, first, _ = _versions(office, tmp_path)
    blank = tmp_path / "ttr-trang.xlsx"
    shutil.copy(office[1]["thanh-tra-tinh"], blank)
    _saved_on(blank, "2021-09-20T08:00:00Z")
    code, out, _ = kehoach("collect", first, blank, "-p", plan, "--as-of", "2021-09-25")
    assert code == 0, out
    notes = _notes(plan)
    assert notes["II.4.b"] == ["Bản nháp"] and notes["II.4.a"] == ["Đã cử cán bộ phối hợp"]


def test_an_older_version_collected_later_adds_only_the_rows_nothing_since_answered(office, kehoach, tmp_path):
    """The correction was collected first; the first version comes in the next mail: its row the
    correction answered is not recorded (the correction stands), its other row is, and the summary
    does not say rows were recorded that never were."""
    plan, first, second = _versions(office, tmp_path)
    assert kehoach("collect", second, "-p", plan, "--as-of", "2021-09-25")[0] == 0
    code, out, _ = kehoach("collect", first, "-p", plan, "--as-of", "2021-09-26")
    assert code == 0 and "[form-older-than-collected]" in out
    assert "Đã ghi 1 mục tiến độ từ 1 dòng" in out and "1 dòng đã ghi từ trước" in out, out
    notes = _notes(plan)
    assert notes["II.4.b"] == ["Bản chính thức"] and notes["II.4.a"] == ["Đã cử cán bộ phối hợp"]


def test_an_outdated_version_in_a_batch_with_a_newer_one_is_not_recorded(office, kehoach, tmp_path):
    """The correction (12 September) was collected; the draft (10 September) and a third version
    (15 September, another row only) come together: the draft's row the correction answered is
    not recorded (it was, as an 80 % dated before the correction's 85 %)."""
    plan, first, second = _versions(office, tmp_path)
    third = tmp_path / "ttr-15-9.xlsx"
    shutil.copy(office[1]["thanh-tra-tinh"], third)
    fill(third, {"II.4.a": {"result": "Bổ sung", "date": "2021-09-15"}})
    _saved_on(third, "2021-09-15T08:00:00Z")
    assert kehoach("collect", second, "-p", plan, "--as-of", "2021-09-25")[0] == 0
    assert kehoach("collect", first, third, "-p", plan, "--as-of", "2021-09-26")[0] == 0
    notes = _notes(plan)
    assert notes["II.4.b"] == ["Bản chính thức"] and notes["II.4.a"] == ["Bổ sung"], notes


def test_a_form_whose_last_copy_is_blank_counts_as_come_in(office, kehoach, tmp_path):
    """Its rows came from the filled version: the body's form is in the forms list, so a later
    collect does not name it among the forms not come in (and an older version stays older)."""
    plan, first, _ = _versions(office, tmp_path)
    blank = tmp_path / "ttr-trang.xlsx"
    shutil.copy(office[1]["thanh-tra-tinh"], blank)
    _saved_on(blank, "2021-09-20T08:00:00Z")
    assert kehoach("collect", first, blank, "-p", plan, "--as-of", "2021-09-25")[0] == 0
    ledger = json.loads((plan.parent / ".kehoach-forms.json").read_text(encoding="utf-8"))
    assert [(r["body"], r["period"]) for r in ledger if "content" in r] == [("thanh-tra-tinh", "2021-Q3")]


def test_a_damaged_form_is_said_so_in_words(office, kehoach, tmp_path):
    plan, made = office
    broken = tmp_path / "hong.xlsx"
    rewrite(made["thanh-tra-tinh"], broken, "xl/worksheets/sheet1.xml", lambda data: data[: len(data) // 2])
    code, _, err = kehoach("collect", broken, "-p", plan)
    assert code == 2 and "tệp bị hỏng hoặc thiếu một phần của bảng tính" in err and "Traceback" not in err


def test_the_default_due_date_is_never_the_day_the_form_is_made(office):
    plan, _ = office
    loaded = load_plan(plan).plan
    from kehoach.base.periods import Span, report_period

    span = Span.of(report_period("Q3", 2021))
    day = forms.default_due(loaded, span, dt.date(2021, 7, 5))
    assert day == forms.default_due(loaded, span, dt.date(2021, 7, 6))  # five working days before the end
    assert forms.default_due(loaded, span, day) > day  # made on that very day: five working days later


# ---------------------------------------------------------------- made for paper


def header_lines(ws) -> list[str]:
    """The words above the column headings, line by line."""
    return [str(ws.cell(row=r, column=1).value or "") for r in range(1, forms.HEADER_ROW)]


def test_a_form_says_where_it_goes_back_and_leaves_lines_for_what_the_office_did_not_say(office):
    _, made = office
    wb, ws = sheet(made["thanh-tra-tinh"])
    head = header_lines(ws)
    back = next(line for line in head if line.startswith("Gửi phiếu về: "))
    assert "Phòng Dân vận Chính quyền và Đoàn thể (thường trực của Ban Dân vận Tỉnh ủy Minh Hòa)" in back
    assert "Sở Nội vụ (thường trực của Ban Cán sự đảng Ủy ban nhân dân tỉnh Minh Hòa)" in back
    _, own = sheet(made["so-noi-vu"])  # a standing unit's own form goes back to the other one
    assert "Sở Nội vụ" not in next(line for line in header_lines(own) if line.startswith("Gửi phiếu về: "))
    # no cover letter or person named: lines to fill in by hand, the only header cells not locked
    letter = next(r for r, line in enumerate(head, start=1) if line.startswith("Kèm theo Công văn số"))
    contact = next(r for r, line in enumerate(head, start=1) if line.startswith("Người liên hệ"))
    assert "……" in head[letter - 1] and "……" in head[contact - 1]
    assert not ws.cell(row=letter, column=1).protection.locked and not ws.cell(row=contact, column=1).protection.locked
    # the guide repeats where and by when, for whoever reads only the first page
    guide = [c.value for c in wb["Hướng dẫn"]["A"] if c.value]
    assert guide[0] == "HƯỚNG DẪN ĐIỀN PHIẾU BÁO CÁO TIẾN ĐỘ" and back in guide
    assert "Đề nghị gửi lại phiếu chậm nhất ngày 24 tháng 9 năm 2021" in guide
    assert any("“Phiếu báo cáo”" in line for line in guide)  # it names the sheet to fill in


def test_the_office_names_the_cover_letter_and_the_person_to_ask(tmp_path, demo_q3_text, kehoach):
    plan = tmp_path / "demo.yaml"
    plan.write_text(demo_q3_text, encoding="utf-8")
    code, _, err = kehoach("request", "-p", plan, "--period", "Q3", "--as-of", AS_OF, "-o", tmp_path / "out",
                           "--contact", "Đ/c Lê Thị Hoa, ĐT 0255 3822 123", "--letter", "125-CV/BDVTU ngày 05/7/2021")
    assert code == 0, err
    # the clerk mails the forms by the names of the bodies, not by ids
    assert "Sở Nội vụ: 7 dòng → " in err and "so-noi-vu:" not in err
    _, ws = sheet(tmp_path / "out" / "dv-demo-2021-phieu-2021-Q3-so-noi-vu.xlsx")
    head = header_lines(ws)
    assert "Kèm theo Công văn số 125-CV/BDVTU ngày 05/7/2021" in head
    assert "Người liên hệ: Đ/c Lê Thị Hoa, ĐT 0255 3822 123" in head
    r = head.index("Người liên hệ: Đ/c Lê Thị Hoa, ĐT 0255 3822 123") + 1
    assert ws.cell(row=r, column=1).protection.locked  # the office's words, not the body's to change


@pytest.mark.slow  # about half a second or more here: CI runs it (.ci/run)
def test_a_group_without_listed_members_gets_one_shared_form_and_the_office_is_told(tmp_path, kehoach):
    plan = tmp_path / "2021.yaml"
    shutil.copy(ROOT / "plans" / "2021.yaml", plan)
    code, _, err = kehoach("request", "-p", plan, "--period", "Q3", "--as-of", AS_OF, "-o", tmp_path / "out")
    assert code == 0, err
    names = {p.name.removeprefix("dv-2021-phieu-2021-Q3-").removesuffix(".xlsx") for p in (tmp_path / "out").iterdir()}
    # "UBND các huyện, thị xã, thành phố" lists its thirteen members: a form each, none for the group
    assert "ubnd-huyen" not in names and {"ubnd-binh-son", "ubnd-ly-son", "ubnd-tp-quang-ngai"} <= names
    members = next(b.members for b in load_plan(plan).plan.bodies if b.id == "ubnd-huyen")
    assert len(members) == 13 and set(members) <= names
    # "Ban Dân vận các huyện, thị, thành ủy" lists none: one shared form, which says so, and a word to the office
    _, ws = sheet(tmp_path / "out" / "dv-2021-phieu-2021-Q3-bdv-huyen.xlsx")
    assert header_lines(ws)[2].startswith("Cơ quan báo cáo: Ban Dân vận các huyện, thị, thành ủy (phiếu chung")
    assert ("Ban Dân vận các huyện, thị, thành ủy là một nhóm cơ quan mà kế hoạch chưa ghi các cơ quan thành viên"
            in err)
    assert "UBND các huyện, thị xã, thành phố là một nhóm" not in err


def test_the_date_rule_of_the_form_and_of_collect_agree(office, kehoach):
    """The form's date check and collect's allow the same days, and both say which: the row's period
    and up to 60 days after it (a report mailed late)."""
    plan, made = office
    wb, ws = sheet(made["thanh-tra-tinh"])
    rule = next(dv for dv in ws.data_validations.dataValidation if dv.type == "date")
    assert (rule.formula1, rule.formula2) == ("DATE(2021,1,1)", "DATE(2021,11,29)")  # the plan's start; 30/9 + 60
    assert "29/11/2021" in rule.error and "60 ngày" in rule.error
    fill(made["thanh-tra-tinh"], {"II.4.b": {"percent": 80, "result": "Đạt", "date": "2021-11-29"},
                                  "IV.2": {"result": "Gửi báo cáo chuyên đề", "date": "2021-11-30"}})
    code, out, _ = kehoach("collect", made["thanh-tra-tinh"], "-p", plan, "--as-of", "2021-12-05")
    assert code == 0, out
    warned = [line for line in out.splitlines() if "[form-date-other-period]" in line]
    assert len(warned) == 1 and "ngày 30/11/2021" in warned[0] and "gửi muộn được đến 29/11/2021" in warned[0]


def test_rows_fit_their_text_and_pages_are_numbered(office):
    """What a program shows: each task's row free to grow as it is typed into (no height set by
    hand), the page's number in the footer, the heading row on every page, all printed columns one
    page wide, and the status (on screen only) outside what is printed."""
    _, made = office
    path = made["bdvtu"]
    with zipfile.ZipFile(path) as zf:
        xml = zf.read("xl/worksheets/sheet2.xml").decode()  # the form's sheet: the second, after the guide
    rows = dict(re.findall(r'<row r="(\d+)"([^>]*)>', xml))
    task_rows = [int(r) for r in rows if int(r) > forms.HEADER_ROW and int(r) <= forms.HEADER_ROW + 11]
    assert task_rows and all("customHeight" not in rows[str(r)] for r in task_rows)
    _, ws = sheet(path)
    assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows.replace("$", "") == f"{forms.HEADER_ROW}:{forms.HEADER_ROW}"
    assert "&P" in ws.oddFooter.center.text and "&N" in ws.oddFooter.center.text
    last = openpyxl.utils.get_column_letter(forms.COLUMNS.index("by") + 1)
    assert re.search(rf"!A1:{last}\d+$", ws.print_area.replace("$", ""))
    assert forms.COLUMNS[-1] == "status"  # beyond the printed area


def test_a_form_of_the_previous_version_is_still_collected(tmp_path, demo_q3_text, kehoach):
    """A version 2 form (before the guide sheet and the paper layout: its header row 8, its
    columns in the old order), sent out before the upgrade and returned filled after it."""
    plan = tmp_path / "demo.yaml"
    plan.write_text(demo_q3_text, encoding="utf-8")
    (tmp_path / ".kehoach-key").write_text("5a" * 32 + "\n", encoding="ascii")  # the key that signed it
    old = tmp_path / "phieu-cu.xlsx"
    shutil.copy(ROOT / "tests" / "data" / "form-v2-thanh-tra-tinh.xlsx", old)
    code, out, _ = kehoach("collect", old, "-p", plan, "--as-of", "2021-09-25")
    assert code == 0, out
    tasks = {t.id: t for t, _ in load_plan(plan).plan.iter_tasks()}
    lead = [e for e in tasks["II.4.b"].progress if e.body == "thanh-tra-tinh" and e.date == dt.date(2021, 9, 10)]
    assert [(e.percent, e.note, e.by) for e in lead] == [(90, "Đã giải quyết 11/12 vụ (phiếu mẫu cũ)", "Trần Thị B")]
    support = [e for e in tasks["IV.2"].progress if e.body == "thanh-tra-tinh" and e.occurrence == "2021-Q3"]
    assert [(e.note, e.occurrence) for e in support] == [("Gửi 2 báo cáo chuyên đề", "2021-Q3")]


def word_boxes(pdf: Path) -> list[tuple[int, float, str]]:
    """(page, height of the word's box in points, word) of every word LibreOffice printed."""
    import subprocess

    xhtml = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    out, page = [], 0
    for line in xhtml.splitlines():
        if "<page " in line:
            page += 1
        found = re.search(r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">(.*)</word>', line)
        if found:
            out.append((page, float(found.group(2)) - float(found.group(1)), found.group(3)))
    return out


def print_with_libreoffice(tmp_path: Path, *books: Path) -> list[Path]:
    import subprocess

    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if exe is None or shutil.which("pdftotext") is None:
        pytest.skip("LibreOffice (soffice) or poppler's pdftotext is not installed: the printed page "
                    "cannot be measured")
    out = tmp_path / "pdf"
    subprocess.run([exe, "--headless", f"-env:UserInstallation=file://{tmp_path / 'lo'}", "--convert-to", "pdf",
                    "--outdir", str(out), *map(str, books)], capture_output=True, timeout=240, check=True)
    return [out / b.with_suffix(".pdf").name for b in books]


def ten_point_box(tmp_path: Path) -> Path:
    """A workbook with one line of 10 pt Times New Roman printed at 100 %: the yardstick."""
    from openpyxl.styles import Font

    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"] = "Mười điểm"
    ws["A1"].font = Font(name="Times New Roman", size=10)
    ws.page_setup.scale = 100
    path = tmp_path / "muoi-diem.xlsx"
    wb.save(path)
    return path


@pytest.mark.slow
def test_a_filled_form_printed_by_libreoffice_has_no_text_under_10_pt(office, tmp_path):
    """The clerk's view: a filled form of many rows, printed to PDF by LibreOffice. Every word is
    at least as tall as 10 pt Times New Roman printed at 100 %; every page carries the column
    headings from the first to the last printed column and its number; nothing typed is hidden."""
    from kehoach.life.forms.workbook import WIDTHS
    from kehoach.outputs.spreadsheet import fit_row, text_lines

    _, made = office
    path = made["bdvtu"]
    wb, ws = sheet(path)
    typed: list[str] = []
    for n, (r, _, _) in enumerate(form_rows(ws)):
        values = {"date": dt.date(2021, 8, 20), "by": f"Nguyễn Văn Bình {n}",
                  "result": f"Kết quả số {n}: tổ chức hội nghị tập huấn nghiệp vụ dân vận cho cán bộ cơ sở, "
                            f"hơn 300 lượt người dự; biên soạn tài liệu hướng dẫn chốt{n}",
                  "difficulty": f"Kinh phí còn hạn chế{n}", "proposal": f"Bổ sung kinh phí{n}",
                  "evidence": f"Báo cáo 12-BC/BDV{n}"}
        for key, value in values.items():
            ws.cell(row=r, column=col(key), value=value)
        typed += [f"chốt{n}", f"chế{n}", f"phí{n}"]
        # Excel and LibreOffice fit a row to what is typed into it (openpyxl does not): done as they would
        fit_row(ws, r, max(text_lines(str(ws.cell(row=r, column=col(k)).value or ""), WIDTHS[k]) for k in forms.COLUMNS
                           if k != "date"), grow=True)
    filled = tmp_path / "da-dien.xlsx"
    wb.save(filled)
    pdf, yardstick = print_with_libreoffice(tmp_path, filled, ten_point_box(tmp_path))
    ten = min(h for _, h, _ in word_boxes(yardstick))
    words = word_boxes(pdf)
    small = [(page, round(10 * h / ten, 1), w) for page, h, w in words if h < ten - 0.01]
    assert not small, small[:10]
    pages = {page for page, _, _ in words}
    assert len(pages) >= 3  # the guide, and the rows over two pages at least
    shown = " ".join(w for _, _, w in words)
    assert all(word in shown for word in typed)  # nothing typed in is hidden by a row too short
    for line in header_lines(ws):  # nor the header's own lines (sized by the form itself)
        assert all(word in shown for word in line.split()), line
    by_page: dict[int, list[str]] = {}
    for page, _, w in words:
        by_page.setdefault(page, []).append(w)
    assert "HƯỚNG" in by_page[1] and "STT" in by_page[2]  # the guide: one page, the form after it
    for page in sorted(pages)[1:]:  # each page of the form: its headings from STT to the reporter, numbered
        assert {"STT", "Người", "Trang", f"{page}/{len(pages)}"} <= set(by_page[page]), page
        assert "Tình" not in by_page[page]  # the status stays on screen


@pytest.mark.slow  # about half a second or more here: CI runs it (.ci/run)
def test_a_lead_s_standing_unit_named_among_the_supporters_reports_as_the_lead(tmp_path, kehoach):
    """Sở Nội vụ is the standing unit of Ban Cán sự đảng UBND tỉnh and one of "các sở, ban, ngành"
    supporting II.5.e, which that Ban leads: every report of it counts for the Ban, so its form asks
    for the Ban's percent, and collect records its row (it once stopped the whole batch)."""
    plan = tmp_path / "2021.yaml"
    shutil.copy(ROOT / "plans" / "2021.yaml", plan)
    made = {f.body_id: p for f, p in forms.make_requests(plan, "Q1", dt.date(2021, 3, 1), tmp_path / "phieu")}
    _, ws = sheet(made["so-noi-vu"])
    r = row_of(ws, "II.5.e")
    assert ws.cell(row=r, column=col("role")).value == "Chủ trì (thường trực)"
    assert not ws.cell(row=r, column=col("percent")).protection.locked
    _, tc = sheet(made["so-tai-chinh"])  # another sở of the group: a supporter, results only
    assert tc.cell(row=row_of(tc, "II.5.e"), column=col("role")).value == "Phối hợp"
    fill(made["so-noi-vu"], {"II.5.e": {"percent": 30, "result": "Dự thảo Quy chế đối thoại", "date": "2021-03-10"}})
    fill(made["so-tai-chinh"], {"II.5.e": {"result": "Góp ý dự thảo Quy chế", "date": "2021-03-12"}})
    code, out, err = kehoach("collect", made["so-tai-chinh"], made["so-noi-vu"], "-p", plan, "--as-of", "2021-03-20")
    assert code == 0, out + err
    task = next(t for t, _ in load_plan(plan).plan.iter_tasks() if t.id == "II.5.e")
    assert [(e.body, e.percent, e.note) for e in task.progress] == [
        ("so-noi-vu", 30, "Dự thảo Quy chế đối thoại"), ("so-tai-chinh", None, "Góp ý dự thảo Quy chế")]


def test_a_standing_unit_s_row_of_continuous_work_says_it_is_its_ban_s_report(tmp_path, kehoach):
    """II.3.a (continuous) is led by Ban Dân vận and the Ban Cán sự đảng, supported by "các sở, ban,
    ngành": Sở Nội vụ's row there is its Ban's report (the plan counts it so), and its form says so;
    once it is collected the Ban is no longer owing, as the form led the clerk to expect."""
    plan = tmp_path / "2021.yaml"
    shutil.copy(ROOT / "plans" / "2021.yaml", plan)
    code, _, err = kehoach("request", "-p", plan, "--period", "Q1", "--as-of", "2021-03-25", "--body", "so noi vu",
                           "-o", tmp_path / "snv")
    assert code == 0, err
    path = next((tmp_path / "snv").iterdir())
    _, ws = sheet(path)
    for task in ("II.3.a", "IV.3.c"):  # continuous work its Ban leads: the Ban's report, no percent
        r = row_of(ws, task)
        assert ws.cell(row=r, column=col("role")).value == "Chủ trì (thường trực)", task
        assert ws.cell(row=r, column=col("percent")).protection.locked
    fill(path, {"II.3.a": {"result": "Phối hợp tổ chức đối thoại với công nhân KCN VSIP", "date": "2021-03-12"}})
    code, out, err = kehoach("collect", path, "-p", plan, "--as-of", "2021-03-30")
    assert code == 0, out + err
    code, out, _ = kehoach("status", "-p", plan, "--as-of", "2021-06-30", "-f", "json")
    leads = {s["body"]: s["last_progress"] for s in
             next(t for t in json.loads(out)["tasks"] if t["id"] == "II.3.a")["leads"]}
    assert leads == {"bdvtu": None, "bcsd-ubnd": "2021-03-12"}


def test_junk_in_a_cell_not_asked_is_left_out_and_the_row_recorded(office, kehoach):
    """A supporting body's rows, and continuous work, ask no percent (the cell is grey and locked):
    whatever is typed there anyway ("xong") is left out with a warning, and the row's result is
    recorded; a row with nothing else is skipped, not refused."""
    plan, made = office
    fill(made["so-noi-vu"], {"III.1": {"percent": "xong", "result": "Phối hợp tổ chức hội nghị", "date": "2021-09-10"},
                             "II.3@2021-M09": {"percent": "xong", "result": "Theo dõi kết luận", "date": "2021-09-12"},
                             "II.3@2021-M08": {"percent": "xong"}})
    code, out, _ = kehoach("collect", made["so-noi-vu"], "-p", plan, "--as-of", "2021-09-25")
    assert code == 0, out
    assert out.count("giá trị 'xong' đã bị bỏ qua") == 3 and "[form-not-asked-ignored]" in out
    assert "Đã ghi 2 mục tiến độ từ 2 dòng của 1 phiếu" in out and "0 dòng bị từ chối" in out
    tasks = {t.id: t for t, _ in load_plan(plan).plan.iter_tasks()}
    assert [(e.body, e.percent, e.note) for e in tasks["III.1"].progress if e.date == dt.date(2021, 9, 10)] == [
        ("so-noi-vu", None, "Phối hợp tổ chức hội nghị")]
    assert [e.occurrence for e in tasks["II.3"].progress if e.body == "so-noi-vu" and e.date.month == 9] == ["2021-M09"]


def test_every_refusal_says_how_to_fix_it(office, kehoach):
    """What the clerk reads: under each refused cell, "→ Cách sửa:" and what to do. A hidden
    character (a zero-width space in a name, a mark that reverses text) is named as invisible and
    where it stands; a long formula is quoted to a word's end."""
    plan, made = office
    formula = '=HYPERLINK("http://evil.example/duong-dan/rat-dai/phieu","Bấm vào đây để xem kết quả")'
    fill(made["bcsd-ubnd"], {
        "II.4.a": {"percent": "nhiều", "result": "Đạt"},
        "II.5.a": {"percent": 90, "result": "Đạt", "date": "15/12/2021"},
        "II.3@2021-M07": {"result": "Kết quả \u202egnol\u202c", "date": "2021-07-20"},
        "II.3@2021-M08": {"result": "Theo dõi", "by": "Trương Văn Minh\u200b", "date": "2021-08-20"},
        "II.3@2021-M09": {"result": "Theo dõi", "evidence": formula, "date": "2021-09-20"},
    })
    code, out, _ = kehoach("collect", made["bcsd-ubnd"], "-p", plan, "--as-of", "2021-09-25", "--dry-run")
    assert code == 1
    lines = out.splitlines()
    refused = [i for i, line in enumerate(lines) if ": lỗi: " in line]
    assert len(refused) == 5, out
    assert all(lines[i + 1].startswith("    → Cách sửa: ") for i in refused), out
    assert "ngày 15/12/2021 chưa đến (hôm nay là 25/9/2021)" in out
    assert "ô có ký tự ẩn, không nhìn thấy được (U+202E), ngay sau “Kết quả”" in out
    assert "(U+200B), ngay sau “Trương Văn Minh”" in out and "gõ lại" in out
    assert 'ô có công thức (=HYPERLINK("http://evil.example/duong-dan/rat-dai/phieu","…)' in out
    code, out, _ = kehoach("collect", made["bcsd-ubnd"], "-p", plan, "--as-of", "2021-09-25", "--dry-run",
                           "--lang", "en")
    lines = out.splitlines()
    assert all(lines[i + 1].startswith("    → ") for i, line in enumerate(lines) if ": error: " in line), out


def test_every_refusal_of_the_forms_has_its_hint_in_every_language():
    """The codes request and collect refuse with (at a cell, a form, or a run), each with a hint."""
    from kehoach.base.messages import LANGS, has
    from kehoach.life.forms.collecting import LOG_FIXES

    source = "".join(path.read_text(encoding="utf-8") for path in (ROOT / "src/kehoach/life/forms").glob("*.py"))
    codes = set(re.findall(r'(?:FormError|UsageError|KehoachError|bad|refused)\(\s*"([a-z-]+)"', source))
    codes |= set(re.findall(r'refuse\("[a-z_]+", "([a-z-]+)"', source))
    codes |= set(re.findall(r'Diagnostic\("([a-z-]+)", "error"', source))
    assert {"form-future-date", "form-control-character", "form-log-refused", "form-bad-percent",
            "form-bomb", "request-nothing"} <= codes
    for lang in LANGS:
        assert sorted(c for c in codes if not has(f"{c}.hint", lang)) == [], lang
        assert all(has(key, lang) for key in LOG_FIXES.values())


def test_a_form_s_refusal_by_the_log_says_how_to_fix_it_in_the_form(office, kehoach):
    """A lead whose work done was logged by the office (by phone, before the forms) reports it in
    its form, 100 % again: the row is refused, and the hint speaks of the form's columns, not of
    `kehoach log`'s options. (A second version of its own form says it again in other words: that
    replaces the first version's word, tests/test_forms_corrections.py.)"""
    plan, made = office
    path = made["thanh-tra-tinh"]
    assert kehoach("log", "II.4.b", "-p", plan, "--body", "thanh-tra-tinh", "--percent", "100", "--note", "Xong",
                   "--date", "2021-09-01")[0] == 0
    fill(path, {"II.4.b": {"percent": 100, "result": "Xong hẳn", "date": "2021-09-02"}})
    code, out, _ = kehoach("collect", path, "-p", plan, "--as-of", "2021-09-26")
    assert code == 1 and "[form-log-refused]" in out
    hint = next(line for line in out.splitlines() if "Cách sửa" in line)
    assert "không ghi lại kết quả 100%" in hint and "--" not in hint


def test_the_summary_counts_one_form_per_body_and_period(office, kehoach, tmp_path):
    """Two versions of one body's form and another body's form: the clerk has two forms read."""
    plan, made = office
    first = tmp_path / "ttr-ban-dau.xlsx"
    shutil.copy(made["thanh-tra-tinh"], first)
    fill(first, {"II.4.b": {"percent": 80, "result": "Đạt", "date": "2021-09-10"}})
    fill(made["thanh-tra-tinh"], {"II.4.b": {"percent": 85, "result": "Đạt hơn", "date": "2021-09-11"}})
    fill(made["so-noi-vu"], {"II.3@2021-M09": {"result": "Theo dõi", "date": "2021-09-12"}})
    code, out, _ = kehoach("collect", first, made["thanh-tra-tinh"], made["so-noi-vu"], "-p", plan,
                           "--as-of", "2021-09-25", "--dry-run")
    assert code == 0 and "[form-superseded]" in out
    assert "2 mục tiến độ từ 2 dòng của 2 phiếu" in out


def test_a_form_made_before_the_standing_unit_s_row_said_so_is_counted_with_a_warning(tmp_path, kehoach):
    """Forms already mailed labelled Sở Nội vụ's continuous rows "Phối hợp": collect counts them as
    the Ban's, as the plan does, and says so, so that the clerk is not misled by the paper."""
    from kehoach.judge.scope import report_span
    from kehoach.life.forms.keys import form_key
    from kehoach.life.forms.request import build_requests
    from kehoach.life.forms.workbook import write_form

    plan = tmp_path / "2021.yaml"
    shutil.copy(ROOT / "plans" / "2021.yaml", plan)
    loaded = load_plan(plan)
    raw = plan.read_bytes()
    form = build_requests(loaded.plan, report_span(loaded.plan, "Q1", None, None), dt.date(2021, 3, 25), plan.name,
                          raw, body="so-noi-vu")[0]
    for row in form.rows:  # as an older kehoach wrote it
        if row.kind == "continuous":
            row.role = "support"
    path = tmp_path / "snv-cu.xlsx"
    path.write_bytes(write_form(form, form_key(plan, create=True)))
    assert sheet(path)[1].cell(row=row_of(sheet(path)[1], "II.3.a"), column=col("role")).value == "Phối hợp"
    fill(path, {"II.3.a": {"result": "Phối hợp tổ chức đối thoại", "date": "2021-03-12"}})
    code, out, _ = kehoach("collect", path, "-p", plan, "--as-of", "2021-03-30")
    assert code == 0 and "[form-counted-for-lead]" in out
    assert "được tính là của Ban Cán sự đảng Ủy ban nhân dân tỉnh" in out
    task = next(t for t, _ in load_plan(plan).plan.iter_tasks() if t.id == "II.3.a")
    assert [(e.body, e.note) for e in task.progress] == [("so-noi-vu", "Phối hợp tổ chức đối thoại")]


def test_tag_characters_are_hidden_characters_too():
    """Tag characters (U+E0000–U+E007F) show nothing and can carry a hidden message: a cell
    holding one is refused like a zero-width space is."""
    from kehoach.life.forms.workbook import hidden_at

    assert hidden_at("Đạt\U000e0041\U000e0042") == 3 and hidden_at("Đạt \u200b") == 4
    assert hidden_at("Đạt, 100%\nxong") is None


def test_a_row_refused_because_the_plan_would_not_pass_check_is_told_how_to_fix_that():
    """The fix under a refused row speaks of what `check` found (a percent below one reported
    before, a date outside the plan), not of "pasted characters" whatever the cause."""
    from kehoach.base.diagnostics import Diagnostic
    from kehoach.life.forms.collecting import Fix
    from kehoach.life.log import LogError

    def fix(code: str) -> str:
        return Fix(LogError("log-invalid", {"id": "II.4.b"}, [Diagnostic(code, "error", 1, 1, {})])).localize("vi")

    assert "không thấp hơn mức đã báo cáo" in fix("percent-decrease")
    assert "trong kỳ kế hoạch" in fix("outside-period")
    assert "ký tự lạ" in fix("unprintable-char")
    assert "ký tự lạ" not in fix("percent-decrease") and "ký tự lạ" not in fix("some-other-check")


@pytest.mark.slow  # about half a second or more here: CI runs it (.ci/run)
def test_the_mail_s_folder_is_collected_and_a_missing_plan_said_so(office, kehoach, tmp_path):
    """`kehoach collect -p plan phieu/`: every form in the folder (a lock file Excel leaves beside
    an open workbook is not one); a plan that is not there is said so, exit 2 (it said the plan
    "has errors", exit 1)."""
    plan, made = office
    fill(made["thanh-tra-tinh"], {"II.4.b": {"percent": 80, "result": "Đạt", "date": "2021-09-10"}})
    folder = made["thanh-tra-tinh"].parent
    (folder / "~$lock.xlsx").write_bytes(b"\x00")
    code, out, _ = kehoach("collect", folder, "-p", plan, "--dry-run", "-f", "json", "--as-of", "2021-09-25")
    assert code == 0, out
    assert [(e["task"], e["note"]) for e in json.loads(out)["entries"]] == [("II.4.b", "Đạt")]
    code, _, err = kehoach("collect", made["thanh-tra-tinh"], "-p", tmp_path / "khong-co.yaml")
    assert code == 2 and "không tìm thấy tệp kế hoạch" in err and "có lỗi" not in err
    empty = tmp_path / "trong"
    empty.mkdir()
    code, _, err = kehoach("collect", empty, "-p", plan)
    assert code == 2 and "không có phiếu nào" in err


@pytest.mark.slow  # about a second
def test_a_key_git_would_commit_is_pointed_out(tmp_path, kehoach):
    """`request` makes the signing key beside the plan: in a git repository that does not ignore
    it, `git add -A` would commit it (and whoever reads the repository could sign forms)."""
    import subprocess

    if shutil.which("git") is None:
        pytest.skip("git is not installed: nothing would commit the key")
    plan = tmp_path / "2021.yaml"
    plan.write_text(demo_until("2021-06-30"), encoding="utf-8")
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    code, _, err = kehoach("request", "-p", plan, "--period", "Q3", "--as-of", AS_OF, "-o", tmp_path / "a")
    assert code == 0 and "thêm dòng .kehoach-key vào .gitignore" in err, err
    (tmp_path / ".gitignore").write_text(".kehoach-key\n", encoding="utf-8")
    code, _, err = kehoach("request", "-p", plan, "--period", "Q3", "--as-of", AS_OF, "-o", tmp_path / "b")
    assert code == 0 and ".gitignore" not in err


@pytest.mark.slow  # the forms of every body made and two collected: a second
def test_collect_says_whose_forms_have_not_come_in(tmp_path, kehoach):
    """`request` keeps which bodies were sent a form; each `collect` of a period's forms says
    which of them have not come back (a blank form is no report), so that the clerk knows whom to
    chase; once every form is in, nothing is said."""
    plan = tmp_path / "2021.yaml"
    plan.write_text(demo_until("2021-06-30"), encoding="utf-8")
    assert kehoach("request", "-p", plan, "--period", "Q3", "--as-of", AS_OF, "-o", tmp_path / "phieu")[0] == 0
    forms_made = sorted((tmp_path / "phieu").glob("*.xlsx"))
    ttr = next(f for f in forms_made if f.name.endswith("thanh-tra-tinh.xlsx"))
    fill(ttr, {"II.4.b": {"percent": 80, "result": "Đạt", "date": "2021-09-10"}})
    code, out, _ = kehoach("collect", ttr, "-p", plan, "--as-of", "2021-09-25", "-f", "json")
    missing = json.loads(out)["missing"]
    assert code == 0 and list(missing) == ["2021-Q3"]
    assert "thanh-tra-tinh" not in missing["2021-Q3"] and len(missing["2021-Q3"]) == len(forms_made) - 1
    code, out, _ = kehoach("collect", ttr, "-p", plan, "--as-of", "2021-09-25")
    assert f"Chưa nhận phiếu kỳ 2021-Q3 của {len(forms_made) - 1} cơ quan đã gửi phiếu" in out
    for form in forms_made:  # the others come in, each with a result
        if form == ttr:
            continue
        wb, ws = sheet(form)
        r = min(r for r, _, _ in form_rows(ws))
        ws.cell(row=r, column=col("difficulty"), value="Thiếu kinh phí")
        ws.cell(row=r, column=col("date"), value="2021-09-12")
        wb.save(form)
    code, out, _ = kehoach("collect", *forms_made, "-p", plan, "--as-of", "2021-09-25", "--partial")
    assert "Chưa nhận phiếu" not in out, out


def test_a_percent_below_one_reported_says_who_reported_it(office, kehoach):
    """The Ban's form says 75 % where its standing unit reported 80 % for it: refused, naming who
    reported the 80 % and when (the clerk has someone to call; it said only "80 %")."""
    plan, made = office
    fill(made["bcsd-ubnd"], {"II.5.a": {"percent": 75, "result": "Đang làm", "date": "2021-09-10"}})
    code, out, _ = kehoach("collect", made["bcsd-ubnd"], "-p", plan, "--as-of", "2021-09-26")
    assert code == 1 and "75% thấp hơn mức đã báo cáo (80%, Sở Nội vụ báo cáo ngày 24/6/2021)" in out, out
