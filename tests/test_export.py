"""`kehoach export`: the task-tracking table for spreadsheets, as CSV, Excel or JSON,
the three built from one JSON (that of `kehoach status --format json`), row for row."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import openpyxl
import pytest

from kehoach.cli.app import main

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "examples" / "demo.yaml"
ARGS = ("-p", DEMO, "--as-of", "2021-07-01")



@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    """The demo exported three ways, and `kehoach status -f json` on the same date."""
    folder = tmp_path_factory.mktemp("export")
    for fmt in ("csv", "xlsx", "json"):
        assert main(["export", *map(str, ARGS), "-o", str(folder / f"t.{fmt}")]) == 0
    assert main(["status", *map(str, ARGS), "-f", "json", "-o", str(folder / "status.json")]) == 0
    return folder


def test_json_is_the_status_json(exported):
    data = json.loads((exported / "t.json").read_text(encoding="utf-8"))
    assert data == json.loads((exported / "status.json").read_text(encoding="utf-8"))
    assert data["version"] == 2 and data["as_of"] == "2021-07-01"
    assert all("last_note" in t for t in data["tasks"])


def test_xlsx_matches_the_json_row_for_row(exported):
    data = json.loads((exported / "t.json").read_text(encoding="utf-8"))
    ws = openpyxl.load_workbook(exported / "t.xlsx").active
    assert ws.title == "Theo dõi nhiệm vụ"
    header = [c.value for c in ws[1]]
    assert header == ["Mã", "Nhiệm vụ", "Chủ trì", "Phối hợp", "Thời hạn", "Ngày đến hạn", "Tình trạng",
                      "Tiến độ (%)", "Cập nhật gần nhất", "Nội dung cập nhật gần nhất"]
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    assert len(rows) == len(data["tasks"]) == 28  # every task and subtask of the demo
    for row, task in zip(rows, data["tasks"], strict=True):
        assert row[0] == task["id"] and row[1] == task["title"]
        assert row[4] == (task["deadline"]["text"] or None)
        assert (row[5].date().isoformat() if row[5] else None) == task["deadline"]["due"]
        assert row[6] == task["status_label"] and row[7] == task["percent"]
        assert (row[8].date().isoformat() if row[8] else None) == task["last_progress"]
        # the note as JSON keeps it; for people, who wrote it when several lead ("BDVTU: …")
        assert row[9] == task["last_note"] or (task["last_note"] and row[9].endswith(": " + task["last_note"]))
    assert ws.freeze_panes == "C2" and ws.column_dimensions["B"].width >= 30


def test_xlsx_is_laid_out_for_paper(exported):
    """A4 landscape, every column on one page wide, the header row on each page, pages numbered,
    every cell bordered."""
    ws = openpyxl.load_workbook(exported / "t.xlsx").active
    setup = ws.page_setup
    assert setup.orientation == "landscape" and int(setup.paperSize) == int(ws.PAPERSIZE_A4)
    assert (setup.fitToWidth, setup.fitToHeight) == (1, 0) and ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows.replace("$", "") == "1:1"
    assert "&P" in ws.oddFooter.center.text
    assert ws.oddFooter.right.text == "Tình trạng đến ngày 01/7/2021"  # on paper: as of when
    assert ws.print_area.replace("$", "").endswith(f"!A1:J{ws.max_row}")
    for row in ws.iter_rows(min_row=1, max_row=ws.max_row):
        for cell in row:
            assert all(side.style == "thin" for side in (cell.border.left, cell.border.right, cell.border.top,
                                                         cell.border.bottom)), cell.coordinate


def test_xlsx_rows_are_as_tall_as_their_text_and_styled(exported):
    """The heading row is set to its height; each task's row is given the height its wrapped text
    takes and left for Excel to fit again (no customHeight); the heading is bold on grey, dates
    read as dates, the filter covers every row (the workbook is written row by row)."""
    import zipfile

    ws = openpyxl.load_workbook(exported / "t.xlsx").active
    heights = {r: d.height for r, d in ws.row_dimensions.items()}
    assert set(heights) == set(range(1, ws.max_row + 1)) and all(h and h >= 15 for h in heights.values())
    assert len(set(heights.values())) > 2  # rows differ with their text
    sheet = zipfile.ZipFile(exported / "t.xlsx").read("xl/worksheets/sheet1.xml").decode()
    assert '<row r="1" ht="' in sheet and 'customHeight="1"' in sheet.split('<row r="2"')[0]
    assert "customHeight" not in sheet.split('<row r="2"')[1]
    assert all(c.font.b and c.fill.fgColor.rgb.endswith("EDEDED") for c in ws[1])
    assert all(c.font.name == "Times New Roman" and not c.font.b for row in ws.iter_rows(min_row=2) for c in row)
    dates = [c for c in ws["F"][1:] if c.value is not None]
    assert dates and all(c.number_format == "dd/mm/yyyy" and c.is_date for c in dates)
    assert ws.auto_filter.ref == f"A1:J{ws.max_row}"
    wrapped = [False, True, True, True, True, False, True, False, False, True]  # id, dates, numbers: one line
    assert [bool(c.alignment.wrap_text) for c in ws[2]] == wrapped


@pytest.mark.slow
def test_xlsx_printed_by_libreoffice_is_one_page_wide_at_10_pt_or_more(tmp_path):
    """The 2021 plan's table printed to PDF: each page has the first and the last column's heading,
    and no word is smaller than 10 pt Times New Roman printed at 100 %."""
    from test_forms import print_with_libreoffice, ten_point_box, word_boxes

    table = tmp_path / "theo-doi.xlsx"
    assert main(["export", "-p", str(ROOT / "plans" / "2021.yaml"), "--as-of", "2021-09-01", "-o", str(table)]) == 0
    pdf, yardstick = print_with_libreoffice(tmp_path, table, ten_point_box(tmp_path))
    ten = min(h for _, h, _ in word_boxes(yardstick))
    words = word_boxes(pdf)
    assert not [(p, w) for p, h, w in words if h < ten - 0.01][:10]
    pages: dict[int, set[str]] = {}
    for page, _, w in words:
        pages.setdefault(page, set()).add(w)
    assert len(pages) > 1 and all({"Mã", "Nhiệm", "Nội", "Trang"} <= seen for seen in pages.values())


def test_csv_opens_with_csv_and_keeps_vietnamese(exported):
    raw = (exported / "t.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel reads UTF-8 only with its byte order mark
    data = json.loads((exported / "t.json").read_text(encoding="utf-8"))
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][0] == "Mã" and len(rows) == len(data["tasks"]) + 1
    for row, task in zip(rows[1:], data["tasks"], strict=True):
        assert row[0] == task["id"] and row[1] == task["title"] and row[6] == task["status_label"]
        assert (int(row[7]) if row[7] else None) == task["percent"]  # continuous work has none
    assert any("Hội nghị quán triệt" in r[1] for r in rows)


def test_english_headers(tmp_path, kehoach):
    code, _, _ = kehoach("export", *ARGS, "-o", tmp_path / "t.csv", "--lang", "en")
    assert code == 0
    first = (tmp_path / "t.csv").read_text(encoding="utf-8-sig").splitlines()[0]
    assert first.startswith("Id,Task,Lead,Support,Deadline")


def test_text_that_looks_like_a_formula_is_never_a_formula(tmp_path, kehoach):
    plan = tmp_path / "plan.yaml"
    plan.write_text(DEMO.read_text(encoding="utf-8").replace(
        "title: Cải cách hành chính, nâng cao chỉ số hài lòng của người dân",
        "title: '=HYPERLINK(\"http://x.invalid\",\"bấm\")'").replace(
        "title: Thông tin, báo cáo chuyên đề", "title: '@SUM(1+1)'"), encoding="utf-8")
    assert kehoach("export", "-p", plan, "--as-of", "2021-07-01", "-o", tmp_path / "t.csv")[0] == 0
    assert kehoach("export", "-p", plan, "--as-of", "2021-07-01", "-o", tmp_path / "t.xlsx")[0] == 0
    rows = list(csv.reader(io.StringIO((tmp_path / "t.csv").read_text(encoding="utf-8-sig"))))
    titles = {r[0]: r[1] for r in rows[1:]}
    assert titles["II.3"] == "'=HYPERLINK(\"http://x.invalid\",\"bấm\")"
    assert titles["IV.2"] == "'@SUM(1+1)"
    import zipfile

    with zipfile.ZipFile(tmp_path / "t.xlsx") as zf:
        assert "<f>" not in zf.read("xl/worksheets/sheet1.xml").decode()
    ws = openpyxl.load_workbook(tmp_path / "t.xlsx").active
    cell = next(r[1] for r in ws.iter_rows(min_row=2) if r[0].value == "II.3")
    # the reader sees the title as written, no apostrophe before it: a text cell, marked (quote prefix)
    # to stay text when someone edits it; only the CSV, which has no types, shows an apostrophe
    assert cell.value == "=HYPERLINK(\"http://x.invalid\",\"bấm\")" and cell.data_type == "s" and cell.quotePrefix


def test_filters_like_status(tmp_path, kehoach):
    code, out, _ = kehoach("export", *ARGS, "-f", "json", "--body", "so noi vu", "--status", "ongoing")
    data = json.loads(out)
    assert data["scope"]["body"] == ["so-noi-vu"] and {t["status"] for t in data["tasks"]} == {"ongoing"}


def test_refusals(tmp_path, kehoach):
    code, _, err = kehoach("export", *ARGS, "-f", "xlsx")
    assert code == 2 and "-o" in err
    plan = tmp_path / "plan.yaml"
    plan.write_bytes(DEMO.read_bytes())
    code, _, err = kehoach("export", "-p", plan, "-f", "csv", "-o", plan)
    assert code == 2 and plan.read_bytes() == DEMO.read_bytes()
    code, _, err = kehoach("export", *ARGS, "-f", "pdf")
    assert code == 2 and "csv" in err


def test_the_last_update_date_and_its_note_are_one_entry(tmp_path, kehoach):
    """A difficulty on 12/5, then a proposal on 15/6: the columns "last update" and its note read
    as one entry; the date was the proposal's beside the difficulty's note."""
    from plans_for_tests import plan_yaml

    plan = tmp_path / "p.yaml"
    plan.write_text(plan_yaml("""- id: t
  title: Xây dựng Đề án
  lead: [a]
  deadline: 2021-09-30
  progress:
    - {date: 2021-05-10, percent: 30, note: Xây dựng dự thảo}
    - {date: 2021-05-12, percent: 30, kind: difficulty, note: Số liệu chậm}
    - {date: 2021-06-15, percent: 30, kind: proposal, note: Đề nghị cho ý kiến}
"""), encoding="utf-8")
    code, out, err = kehoach("export", "-p", plan, "--as-of", "2021-07-01", "-f", "csv", "-o", "-")
    assert code == 0, err
    row = next(r for r in csv.reader(io.StringIO(out.lstrip("\ufeff"))) if r[0] == "t")
    assert row[-2:] == ["2021-05-12", "Số liệu chậm"]


def test_a_parent_row_shows_when_its_subtasks_were_last_updated(tmp_path, kehoach):
    """A parent has no entries of its own: its "last update" is its subtasks' last (it went blank)."""
    code, out, err = kehoach("export", "-p", DEMO, "--as-of", "2021-07-01", "-f", "csv", "-o", "-")
    assert code == 0, err
    rows = {r[0]: r for r in csv.reader(io.StringIO(out.lstrip("\ufeff")))}
    assert rows["II.1"][-2] == max(rows[i][-2] for i in rows if i.startswith("II.1.")) == "2021-06-08"


def test_the_printed_footer_fits_what_excel_holds_whatever_the_title(tmp_path, kehoach):
    """A title of many "&" (each doubled in a footer): the footer ran to 262 characters, over the
    255 Excel holds (it then reports the workbook damaged)."""
    import html
    import re as re_
    import zipfile

    text = DEMO.read_text(encoding="utf-8")
    plan = tmp_path / "p.yaml"
    plan.write_text(re_.sub(r"(?m)^  title: .*$", "  title: " + "Sở A & Sở B & " * 12, text, count=1), encoding="utf-8")
    out = tmp_path / "t.xlsx"
    code, _, err = kehoach("export", "-p", plan, "--as-of", "2021-07-01", "-o", out)
    assert code == 0, err
    with zipfile.ZipFile(out) as z:
        footer = re_.search(r"<oddFooter>(.*)</oddFooter>", z.read("xl/worksheets/sheet1.xml").decode()).group(1)
    assert len(html.unescape(footer)) <= 255


def test_a_footer_cut_never_leaves_half_of_a_doubled_ampersand():
    """An "&" in a footer is written "&&"; a cut that left one "&" before the "…" made a code of it."""
    from kehoach.outputs.spreadsheet import FOOTER_PART, footer_text

    for text in ("a" * 67 + "&&&", "a" * 68 + "&", "a" * 66 + "&&", "Sở A & Sở B & " * 12):
        written = footer_text(text)
        assert len(written) <= FOOTER_PART
        run = len(written.rstrip("…")) - len(written.rstrip("…").rstrip("&"))
        assert run % 2 == 0, written


def test_bodies_whose_names_hold_commas_are_listed_apart(tmp_path, kehoach):
    """The Support column read "Các sở, ban, ngành, UBND cấp huyện": which name ends where? Such
    names are set apart by ";" as the documents list them."""
    out = tmp_path / "t.csv"
    code, _, err = kehoach("export", "-p", ROOT / "plans" / "2021.yaml", "--as-of", "2021-07-01", "-o", out)
    assert code == 0, err
    rows = list(csv.reader(io.StringIO(out.read_bytes().decode("utf-8-sig"))))
    support = {r[0]: r[3] for r in rows[1:]}
    assert support["II.3"] == "Các sở, ban, ngành; UBND cấp huyện", support["II.3"]


def test_the_tracking_table_says_who_wrote_the_last_note_and_the_json_keeps_the_note(tmp_path, kehoach):
    """Of work two bodies lead, the export's last note "Báo cáo năm số 301/BC-UBND" read as if the
    annual report were sent (only one Ban had); it names the Ban. The status JSON's `last_note`
    stays the note itself (its documented meaning): each lead's part is in `leads`."""
    plan = tmp_path / "p.yaml"
    text = (ROOT / "plans" / "2021.yaml").read_text(encoding="utf-8")
    plan.write_text(text, encoding="utf-8")
    assert kehoach("log", "II.6.e", "-p", plan, "--body", "bcsd-ubnd", "--percent", "40",
                   "--note", "Đã trình dự thảo Đề án", "--date", "2021-05-10")[0] == 0
    out = tmp_path / "t.csv"
    assert kehoach("export", "-p", plan, "--as-of", "2021-07-01", "-o", out)[0] == 0
    rows = {r[0]: r for r in csv.reader(io.StringIO(out.read_bytes().decode("utf-8-sig")))}
    assert rows["II.6.e"][9] == "BCSĐ UBND tỉnh: Đã trình dự thảo Đề án"
    code, js, _ = kehoach("status", "-p", plan, "--as-of", "2021-07-01", "-f", "json")
    task = next(t for t in json.loads(js)["tasks"] if t["id"] == "II.6.e")
    assert task["last_note"] == "Đã trình dự thảo Đề án" and task["last_by"] == "bcsd-ubnd"
