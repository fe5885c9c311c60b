"""A body corrects its form and sends it again after the first version was collected: the rows it
answers again replace what the first version recorded, in the plan and so in every report; the
rows it does not answer again stand; nothing else in the file moves.

The guide tells bodies "Cần sửa phiếu đã gửi thì gửi lại cả tệp: bản lưu sau cùng được dùng";
before this, the correction was added beside the first version, and the quarter's report listed
both ("Đã cử cán bộ phối hợp" and "Đã cử 02 cán bộ phối hợp").
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import shutil

import pytest

from kehoach.plan.loader import load_plan
from kehoach.plan.yamledit import withdraw_entries
from test_forms import _saved_on, demo_q3_text, fill, office  # noqa: F401 - fixtures

AS_OF = ("--as-of", "2021-09-25")


def _first_and_correction(office, tmp_path, correction):  # noqa: F811 - the fixture
    """Thanh tra tỉnh's first version (10 September: II.4.b at 80 %, and II.4.a, which it supports)
    collected on 20 September; its correction (12 September) filled with `correction`."""
    plan, made = office
    first, second = tmp_path / "ttr-10-9.xlsx", tmp_path / "ttr-12-9.xlsx"
    shutil.copy(made["thanh-tra-tinh"], first)
    fill(first, {"II.4.b": {"percent": 80, "result": "Đã xây dựng dự thảo (bản nháp)", "date": "2021-09-10",
                            "difficulty": "Thiếu hồ sơ địa chính"},
                 "II.4.a": {"result": "Đã cử cán bộ phối hợp", "date": "2021-09-10"}})
    shutil.copy(made["thanh-tra-tinh"], second)
    fill(second, correction)
    _saved_on(first, "2021-09-10T08:00:00Z")
    _saved_on(second, "2021-09-12T08:00:00Z")
    return plan, first, second


def _said(plan, task_id):
    """What Thanh tra tỉnh reported on the task in the third quarter, as the plan holds it."""
    return [(e.kind.value, e.percent, e.note) for t, _ in load_plan(plan).plan.iter_tasks() if t.id == task_id
            for e in t.progress if e.body == "thanh-tra-tinh" and e.date >= dt.date(2021, 7, 1)]


@pytest.mark.slow  # about half a second or more here: CI runs it (.ci/run)
def test_a_correction_collected_later_replaces_the_rows_it_answers_again(office, kehoach, tmp_path):  # noqa: F811
    """The correction lowers the percent (80 → 75: the draft overstated it) and drops the
    difficulty: the plan then says what the correction says, in the same places, and the
    quarter's report gives only the corrected words; II.4.a, not answered again, stands."""
    plan, first, second = _first_and_correction(office, tmp_path, {
        "II.4.b": {"percent": 75, "result": "Đã ban hành quy chế chính thức", "date": "2021-09-10"}})
    assert kehoach("collect", first, "-p", plan, "--as-of", "2021-09-20")[0] == 0
    before = plan.read_text(encoding="utf-8")
    code, out, _ = kehoach("collect", second, "-p", plan, *AS_OF)
    assert code == 0, out
    assert "Đã bỏ khỏi kế hoạch (thay bằng bản mới hơn của phiếu):" in out
    assert "ttr-10-9.xlsx  II.4.b  10/9/2021  80%  kết quả: Đã xây dựng dự thảo (bản nháp)" in out
    assert "khó khăn: Thiếu hồ sơ địa chính" in out and "[form-newer-replaces]" in out
    assert _said(plan, "II.4.b") == [("result", 75, "Đã ban hành quy chế chính thức")]
    assert _said(plan, "II.4.a") == [("result", None, "Đã cử cán bộ phối hợp")]
    # nothing else in the file moved: the old entry's lines out, the new one's in
    after = plan.read_text(encoding="utf-8")
    changed = [line for line in difflib.ndiff(before.splitlines(), after.splitlines()) if line[:1] in "+-"]
    assert sorted(changed) == sorted([
        "-             percent: 80", '-             note: "Đã xây dựng dự thảo (bản nháp)"',
        "+             percent: 75", '+             note: "Đã ban hành quy chế chính thức"',
        "-           - date: 2021-09-10", "-             body: thanh-tra-tinh",
        '-             note: "Thiếu hồ sơ địa chính"', "-             kind: difficulty"]), changed
    assert kehoach("report", "-p", plan, "--period", "Q3", "-f", "md", "-o", tmp_path / "q3.md",
                   "--as-of", "2021-10-05")[0] == 0
    report = (tmp_path / "q3.md").read_text(encoding="utf-8")
    assert "Đã ban hành quy chế chính thức" in report and "bản nháp" not in report
    assert "Thiếu hồ sơ địa chính" not in report


@pytest.mark.slow  # about half a second or more here: CI runs it (.ci/run)
def test_diff_names_what_a_corrected_form_replaced_and_warns_only_of_other_hands(office, kehoach, tmp_path):  # noqa: F811
    """`kehoach diff` of the plan before and after a correction was collected said "TIẾN ĐỘ BỊ SỬA"
    and warned that history was rewritten, inside the amendment's appendix; the forms list beside
    the plan says an earlier version of the form wrote those entries, so the diff names them as the
    correction's. An entry changed by hand is still warned of."""
    plan, first, second = _first_and_correction(office, tmp_path, {
        "II.4.b": {"percent": 75, "result": "Đã ban hành quy chế chính thức", "date": "2021-09-10"}})
    assert kehoach("collect", first, "-p", plan, "--as-of", "2021-09-20")[0] == 0
    before = tmp_path / "before.yaml"
    shutil.copy(plan, before)
    assert kehoach("collect", second, "-p", plan, *AS_OF)[0] == 0
    code, out, _ = kehoach("diff", before, plan)
    assert "tiến độ: thay 1 mục theo phiếu báo cáo gửi lại (10/9/2021 (Thanh tra tỉnh) 80%: Đã xây dựng dự thảo " \
           "(bản nháp) → 10/9/2021 (Thanh tra tỉnh) 75%: Đã ban hành quy chế chính thức)" in out, out
    assert "tiến độ: bỏ 1 mục theo phiếu báo cáo gửi lại (10/9/2021 (Thanh tra tỉnh): Thiếu hồ sơ địa chính)" in out
    assert "BỊ SỬA" not in out and "BỊ XÓA" not in out and "Cảnh báo" not in out
    assert "Thay hoặc bỏ 2 mục tiến độ theo phiếu báo cáo gửi lại" in out
    code, out, _ = kehoach("diff", before, plan, "-f", "json")
    [task] = [t for t in json.loads(out)["tasks"] if t["id"] == "II.4.b"]
    assert not task["rewrites_history"]
    assert len(task["progress_corrected"]) == 1 and len(task["progress_withdrawn"]) == 1
    # the same entry changed by hand is history rewritten, as ever
    plan.write_text(plan.read_text(encoding="utf-8").replace("Đã cử cán bộ phối hợp", "Đã cử 02 cán bộ"),
                    encoding="utf-8")
    code, out, _ = kehoach("diff", before, plan)
    assert "TIẾN ĐỘ BỊ SỬA: 1 mục" in out and "Cảnh báo: nhật ký tiến độ chỉ được thêm" in out


def test_an_entry_the_correction_kept_then_deleted_by_hand_is_warned_of(office, kehoach, tmp_path):  # noqa: F811
    """The correction changes the result and says the difficulty again: the difficulty stays as
    the first version wrote it. Deleted by hand afterwards, it is history rewritten, not the
    correction's doing."""
    plan, first, second = _first_and_correction(office, tmp_path, {
        "II.4.b": {"percent": 75, "result": "Đã ban hành quy chế chính thức", "date": "2021-09-10",
                   "difficulty": "Thiếu hồ sơ địa chính"}})
    assert kehoach("collect", first, "-p", plan, "--as-of", "2021-09-20")[0] == 0
    before = tmp_path / "before.yaml"
    shutil.copy(plan, before)
    assert kehoach("collect", second, "-p", plan, *AS_OF)[0] == 0
    text = plan.read_text(encoding="utf-8")
    gone = ('          - date: 2021-09-10\n            body: thanh-tra-tinh\n'
            '            note: "Thiếu hồ sơ địa chính"\n            kind: difficulty\n')
    assert gone in text
    plan.write_text(text.replace(gone, ""), encoding="utf-8")
    code, out, _ = kehoach("diff", before, plan)
    assert "TIẾN ĐỘ BỊ XÓA: 1 mục (10/9/2021 (Thanh tra tỉnh): Thiếu hồ sơ địa chính)" in out, out
    assert "Cảnh báo: nhật ký tiến độ chỉ được thêm" in out


def test_work_reported_done_and_worded_again_in_a_correction_is_replaced_not_refused(office, kehoach):  # noqa: F811
    """The first version said 100 % "Xong"; the body sends its form again, 100 % "Xong hẳn" (the
    same copy, saved again): the new words replace the old (it was refused as a repeat of finished
    work), and the warning dates the earlier collection as every date in a message."""
    plan, made = office
    path = made["thanh-tra-tinh"]
    fill(path, {"II.4.b": {"percent": 100, "result": "Xong", "date": "2021-09-01"}})
    assert kehoach("collect", path, "-p", plan, "--as-of", "2021-09-25")[0] == 0
    fill(path, {"II.4.b": {"percent": 100, "result": "Xong hẳn", "date": "2021-09-02"}})
    code, out, _ = kehoach("collect", path, "-p", plan, "--as-of", "2021-09-26")
    assert code == 0 and "thu ngày 25/9/2021" in out, out
    assert _said(plan, "II.4.b") == [("result", 100, "Xong hẳn")]


def test_a_dry_run_says_what_would_be_replaced_and_writes_nothing(office, kehoach, tmp_path):  # noqa: F811
    plan, first, second = _first_and_correction(office, tmp_path, {
        "II.4.b": {"percent": 85, "result": "Bản chính thức", "date": "2021-09-12"}})
    assert kehoach("collect", first, "-p", plan, "--as-of", "2021-09-20")[0] == 0
    before = plan.read_bytes()
    code, out, _ = kehoach("collect", second, "-p", plan, "--dry-run", "-f", "json", *AS_OF)
    data = json.loads(out)
    assert code == 0 and not data["written"] and plan.read_bytes() == before
    assert [(r["task"], r["kind"], r["percent"], r["file"]) for r in data["replaced"]] == [
        ("II.4.b", "result", 80, "ttr-10-9.xlsx"), ("II.4.b", "difficulty", None, "ttr-10-9.xlsx")]
    code, out, _ = kehoach("collect", second, "-p", plan, "--dry-run", *AS_OF)
    assert "Sẽ bỏ khỏi kế hoạch (thay bằng bản mới hơn của phiếu):" in out


def test_a_row_answered_again_in_the_same_words_leaves_its_entry_where_it_is(office, kehoach, tmp_path):  # noqa: F811
    """The correction keeps the result word for word and takes the difficulty back: the result's
    entry is not moved (not taken out and written again at the end), the difficulty goes."""
    plan, first, second = _first_and_correction(office, tmp_path, {
        "II.4.b": {"percent": 80, "result": "Đã xây dựng dự thảo (bản nháp)", "date": "2021-09-10"},
        "II.4.a": {"result": "Đã cử cán bộ phối hợp", "date": "2021-09-10"}})
    assert kehoach("collect", first, "-p", plan, "--as-of", "2021-09-20")[0] == 0
    before = plan.read_text(encoding="utf-8")
    code, out, _ = kehoach("collect", second, "-p", plan, *AS_OF)
    assert code == 0 and "ttr-10-9.xlsx  II.4.b  10/9/2021  khó khăn: Thiếu hồ sơ địa chính" in out, out
    after = plan.read_text(encoding="utf-8")
    assert _said(plan, "II.4.b") == [("result", 80, "Đã xây dựng dự thảo (bản nháp)")]
    assert len(after.splitlines()) == len(before.splitlines()) - 4  # the difficulty's four lines, nothing added


@pytest.mark.slow  # about half a second or more here: CI runs it (.ci/run)
def test_a_refused_correction_leaves_the_first_versions_word(office, kehoach, tmp_path):  # noqa: F811
    """The corrected row is dated in the future: refused; with --partial the correction's other row
    is written and the refused row's first word stays in the plan (it was taken out, and nothing
    put in its place)."""
    plan, first, second = _first_and_correction(office, tmp_path, {
        "II.4.b": {"percent": 85, "result": "Bản chính thức", "date": "2021-12-01"},
        "II.4.a": {"result": "Đã cử 02 cán bộ phối hợp", "date": "2021-09-12"}})
    assert kehoach("collect", first, "-p", plan, "--as-of", "2021-09-20")[0] == 0
    code, out, _ = kehoach("collect", second, "-p", plan, "--partial", *AS_OF)
    assert code == 4 and "form-future-date" in out, out
    assert _said(plan, "II.4.b") == [("result", 80, "Đã xây dựng dự thảo (bản nháp)"),
                                     ("difficulty", None, "Thiếu hồ sơ địa chính")]
    assert _said(plan, "II.4.a") == [("result", None, "Đã cử 02 cán bộ phối hợp")]


def test_an_entry_taken_out_by_hand_meanwhile_is_not_looked_for(office, kehoach, tmp_path):  # noqa: F811
    plan, first, second = _first_and_correction(office, tmp_path, {
        "II.4.b": {"percent": 85, "result": "Bản chính thức", "date": "2021-09-12"}})
    assert kehoach("collect", first, "-p", plan, "--as-of", "2021-09-20")[0] == 0
    text = plan.read_text(encoding="utf-8")
    plan.write_text(text.replace('          - date: 2021-09-10\n            body: thanh-tra-tinh\n'
                                 '            note: "Thiếu hồ sơ địa chính"\n            kind: difficulty\n', ""),
                    encoding="utf-8")
    assert plan.read_text(encoding="utf-8") != text
    code, out, _ = kehoach("collect", second, "-p", plan, *AS_OF)
    assert code == 0 and "thay cho 1 mục của bản cũ" in out, out
    assert _said(plan, "II.4.b") == [("result", 85, "Bản chính thức")]


def test_a_ledger_from_before_entries_were_listed_still_says_to_look_by_hand(office, kehoach, tmp_path):  # noqa: F811
    """Forms collected by an older kehoach: the ledger does not say which entries they wrote, so
    none is taken out; the clerk is told the older entries are still in the plan."""
    plan, first, second = _first_and_correction(office, tmp_path, {
        "II.4.b": {"percent": 85, "result": "Bản chính thức", "date": "2021-09-12"}})
    assert kehoach("collect", first, "-p", plan, "--as-of", "2021-09-20")[0] == 0
    ledger = plan.parent / ".kehoach-forms.json"
    records = json.loads(ledger.read_text(encoding="utf-8"))
    ledger.write_text(json.dumps([{k: v for k, v in r.items() if k != "entries"} for r in records]),
                      encoding="utf-8")
    code, out, _ = kehoach("collect", second, "-p", plan, *AS_OF)
    assert code == 0 and "[form-newer-than-collected]" in out and "xóa bằng tay" in out, out
    assert [note for _, _, note in _said(plan, "II.4.b")] == [
        "Đã xây dựng dự thảo (bản nháp)", "Thiếu hồ sơ địa chính", "Bản chính thức"]


def test_a_correction_of_the_date_alone_replaces_the_first_date(office, kehoach, tmp_path):  # noqa: F811
    """Done "20/9" in the first version, "02/9" in the correction, the same words: the day decides
    on time or late, and the correction was taken for the same report (the first date kept)."""
    plan, first, second = _first_and_correction(office, tmp_path, {
        "II.4.b": {"percent": 80, "result": "Đã xây dựng dự thảo (bản nháp)", "date": "2021-09-02",
                   "difficulty": "Thiếu hồ sơ địa chính"}})
    assert kehoach("collect", first, "-p", plan, "--as-of", "2021-09-20")[0] == 0
    code, out, _ = kehoach("collect", second, "-p", plan, *AS_OF)
    assert code == 0 and "thay cho 2 mục" in out, out
    dates = [e.date for t, _ in load_plan(plan).plan.iter_tasks() if t.id == "II.4.b" for e in t.progress
             if e.body == "thanh-tra-tinh" and e.date >= dt.date(2021, 7, 1)]
    assert dates == [dt.date(2021, 9, 2), dt.date(2021, 9, 2)]


@pytest.mark.slow  # about half a second or more here: CI runs it (.ci/run)
def test_a_version_collected_by_another_run_meanwhile_is_replaced_too(office, kehoach, tmp_path, monkeypatch):  # noqa: F811
    """v1 collected; v3 read, and before it takes the plan's lock another collect records v2: v3
    replaces v2's entry as well (both v2's 82 % and v3's 83 % stayed)."""
    from kehoach.life import log

    plan, first, second = _first_and_correction(office, tmp_path, {
        "II.4.b": {"percent": 82, "result": "Bản hai", "date": "2021-09-12"}})
    third = tmp_path / "ttr-15-9.xlsx"
    shutil.copy(office[1]["thanh-tra-tinh"], third)
    fill(third, {"II.4.b": {"percent": 83, "result": "Bản ba", "date": "2021-09-15"}})
    _saved_on(third, "2021-09-15T08:00:00Z")
    assert kehoach("collect", first, "-p", plan, "--as-of", "2021-09-20")[0] == 0
    real = log.append_entries
    meanwhile = []

    def late(*args, **kwargs):
        if not meanwhile:  # the other run, between this one's reading and its lock
            meanwhile.append(True)
            assert kehoach("collect", second, "-p", plan, *AS_OF)[0] == 0
        return real(*args, **kwargs)

    monkeypatch.setattr(log, "append_entries", late)
    code, out, _ = kehoach("collect", third, "-p", plan, *AS_OF)
    assert code == 0 and meanwhile, out
    assert [(p, note) for kind, p, note in _said(plan, "II.4.b") if kind == "result"] == [(83, "Bản ba")]


def test_a_list_that_cannot_be_edited_refuses_its_correction_alone_with_partial(office, kehoach, tmp_path):  # noqa: F811
    """II.4.b's progress written as a flow list: the correction cannot take the first version's
    entry out, so its row is refused; with --partial the other form's row is written (the whole
    batch stopped with nothing on standard output)."""
    plan, first, second = _first_and_correction(office, tmp_path, {
        "II.4.b": {"percent": 85, "result": "Bản chính thức", "date": "2021-09-12"}})
    assert kehoach("collect", first, "-p", plan, "--as-of", "2021-09-20")[0] == 0
    lines = plan.read_text(encoding="utf-8").splitlines(keepends=True)
    at = lines.index("      - id: II.4.b\n")
    at = next(i for i in range(at, len(lines)) if lines[i] == "        progress:\n")
    end = next(i for i in range(at + 1, len(lines)) if not lines[i].startswith("          "))
    entries = [e for t, _ in load_plan(plan).plan.iter_tasks() if t.id == "II.4.b" for e in t.progress]
    items = []
    for e in entries:
        data = e.model_dump(mode="json", exclude_none=True)
        data.pop("kind", None) if data.get("kind") == "result" else None
        items.append("{" + ", ".join(f"{k}: {json.dumps(v, ensure_ascii=False)}" for k, v in data.items()) + "}")
    lines[at:end] = ["        progress: [" + ", ".join(items) + "]\n"]
    plan.write_text("".join(lines), encoding="utf-8")
    again = [e for t, _ in load_plan(plan).plan.iter_tasks() if t.id == "II.4.b" for e in t.progress]
    assert len(again) == len(entries)
    other = office[1]["bcsd-ubnd"]
    fill(other, {"II.5.a": {"percent": 95, "result": "Đã ban hành", "date": "2021-09-10"}})
    code, out, _ = kehoach("collect", second, other, "-p", plan, "--partial", "-f", "json", *AS_OF)
    data = json.loads(out)
    assert code == 4 and data["written"], out
    assert [e["task"] for e in data["entries"]] == ["II.5.a"]
    assert "log-layout" in json.dumps(data["refused"], ensure_ascii=False) or data["refused"], out


# ---------------------------------------------------------------- the text edit

PLAN = """\
tasks:
  - id: A   # first
    progress:
      - date: 2021-03-01
        note: one
      -
        date: 2021-04-01
        note: two   # kept comment
      - date: 2021-05-01
        note: three
  - id: B
    progress:  # B's list
    - date: 2021-03-01
      note: only
"""


def test_withdraw_takes_out_each_entrys_lines_and_nothing_else():
    assert withdraw_entries(PLAN, [(("tasks", 0), 0), (("tasks", 0), 2)]) == PLAN.replace(
        "      - date: 2021-03-01\n        note: one\n", "").replace(
        "      - date: 2021-05-01\n        note: three\n", "")
    assert withdraw_entries(PLAN, [(("tasks", 0), 1)]) == PLAN.replace(
        "      -\n        date: 2021-04-01\n        note: two   # kept comment\n", "")
    # the last entry of a list: the list is written empty, its comment kept
    assert withdraw_entries(PLAN, [(("tasks", 1), 0)]).endswith(
        "  - id: B\n    progress: []  # B's list\n")
    crlf = PLAN.replace("\n", "\r\n")
    assert withdraw_entries(crlf, [(("tasks", 0), 2)]) == crlf.replace(
        "      - date: 2021-05-01\r\n        note: three\r\n", "")


@pytest.mark.parametrize("text", [
    "tasks:\n  - id: A\n    progress: [{date: 2021-03-01, note: one}]\n",
    "tasks:\n  - id: A\n    progress: &p\n      - date: 2021-03-01\n        note: one\n"
    "  - id: B\n    progress: *p\n",
])
def test_withdraw_refuses_a_list_it_cannot_edit_alone(text):
    from kehoach.base.errors import LogError

    with pytest.raises(LogError):
        withdraw_entries(text, [(("tasks", 0), 0)])


def test_the_first_version_collected_again_after_its_correction_brings_nothing_back(office, kehoach, tmp_path):  # noqa: F811
    """v1 collected, v2 (its correction) collected, then v1 again (the clerk ran collect over the
    whole mail folder): v1's figures came back beside the correction, into the quarter's report."""
    plan, first, second = _first_and_correction(office, tmp_path, {
        "II.4.b": {"percent": 75, "result": "Đã ban hành quy chế chính thức", "date": "2021-09-10"}})
    assert kehoach("collect", first, "-p", plan, "--as-of", "2021-09-20")[0] == 0
    assert kehoach("collect", second, "-p", plan, *AS_OF)[0] == 0
    before = plan.read_bytes()
    code, out, _ = kehoach("collect", first, "-p", plan, "--as-of", "2021-09-26")
    assert code == 0 and "[form-older-than-collected]" in out, out
    assert plan.read_bytes() == before
    assert _said(plan, "II.4.b") == [("result", 75, "Đã ban hành quy chế chính thức")]


# ---------------------------------------------------------------- the forms list from outside


def test_a_forms_list_that_is_a_link_to_the_plan_never_overwrites_the_plan(office, kehoach, tmp_path):  # noqa: F811
    """`.kehoach-forms.json` a link to the plan: collect wrote the list through it, and the plan was
    264 bytes of JSON, with "Đã ghi 2 mục" and exit 0."""
    plan, first, _ = _first_and_correction(office, tmp_path, {})
    ledger = plan.parent / ".kehoach-forms.json"
    ledger.unlink(missing_ok=True)
    ledger.symlink_to(plan.name)
    code, out, _ = kehoach("collect", first, "-p", plan, *AS_OF)
    assert code == 0 and "[form-ledger-unwritten]" in out, out
    assert ledger.is_symlink() and load_plan(plan).plan is not None
    assert ("result", 80, "Đã xây dựng dự thảo (bản nháp)") in _said(plan, "II.4.b")


@pytest.mark.slow  # about half a second or more here: CI runs it (.ci/run)
def test_a_damaged_forms_list_is_left_as_it_is_and_said(office, kehoach, tmp_path):  # noqa: F811
    """The list cut short (a copy interrupted): the next collect replaced it with its own record
    alone, silently, and the first version's entries could no longer be replaced."""
    plan, first, second = _first_and_correction(office, tmp_path, {
        "II.4.b": {"percent": 85, "result": "Bản chính thức", "date": "2021-09-12"}})
    assert kehoach("collect", first, "-p", plan, "--as-of", "2021-09-20")[0] == 0
    ledger = plan.parent / ".kehoach-forms.json"
    damaged = ledger.read_bytes()[:-3]
    ledger.write_bytes(damaged)
    code, out, _ = kehoach("collect", second, "-p", plan, *AS_OF)
    assert code == 0 and "[form-ledger-unwritten]" in out, out
    assert ledger.read_bytes() == damaged


@pytest.mark.slow  # about half a second or more here: CI runs it (.ci/run)
def test_versions_saved_in_the_same_second_do_not_take_turns(office, kehoach, tmp_path):  # noqa: F811
    """Two versions with the same saved time, collected t1, t2, t1, t2: each run took the other's
    place, and the third (t1, collected before) put its 80 % back over t2's 85 %."""
    plan, made = office
    t1, t2 = tmp_path / "t1.xlsx", tmp_path / "t2.xlsx"
    for path, pct in ((t1, 80), (t2, 85)):
        shutil.copy(made["thanh-tra-tinh"], path)
        fill(path, {"II.4.b": {"percent": pct, "result": f"Đạt {pct}", "date": "2021-09-10"}})
        _saved_on(path, "2021-09-10T08:00:00Z")
    for path, day in ((t1, "2021-09-20"), (t2, "2021-09-21"), (t1, "2021-09-22")):
        code, out, _ = kehoach("collect", path, "-p", plan, "--as-of", day)
        assert code == 0 and "Đạt 85" not in out.split("Đã bỏ khỏi kế hoạch")[-1].split("\n")[1], out
        assert [(p, note) for kind, p, note in _said(plan, "II.4.b") if kind == "result"] == [
            (80, "Đạt 80") if path is t1 and day == "2021-09-20" else (85, "Đạt 85")]
    before = plan.read_bytes()
    assert kehoach("collect", t2, "-p", plan, "--as-of", "2021-09-23")[0] == 0
    assert plan.read_bytes() == before
