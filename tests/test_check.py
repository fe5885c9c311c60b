"""Tests of `kehoach check`: every class of problem in a plan file is reported
with its code, its severity and the 1-based line and column of the offending
key or value; bad input never ends in a traceback.

Plans are built inline from BASE_PLAN by small text edits; expected positions
are found in the text with `pos()`, never counted by hand.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap
import unicodedata
from pathlib import Path

import pytest

from kehoach.plan import source
from kehoach.plan.loader import load_plan, load_text

# ---------------------------------------------------------------- helpers

BASE_PLAN = textwrap.dedent(
    """\
    plan:
      id: kh04
      title: Kế hoạch phối hợp công tác dân vận
      issuers: [bdvtu]
      period:
        start: 2021-01-01
        end: 2021-12-31
    sections:
      - id: II
        title: Nhiệm vụ trọng tâm
    bodies:
      - id: bdvtu
        name: Ban Dân vận Tỉnh ủy
        kind: party
      - id: ubnd
        name: Ủy ban nhân dân tỉnh
        kind: state
    references:
      - id: kl120
        number: 120-KL/TW
        date: 2016-01-07
        issuer: Bộ Chính trị
        title: Kết luận về công tác dân vận
    objectives:
      - id: mt1
        text: Nâng cao hiệu quả phối hợp
    reporting:
      topics:
        - id: cd1
          name: Dân vận chính quyền
    tasks:
      - id: t1
        title: Tổ chức hội nghị triển khai
        section: II
        lead: [bdvtu]
        support: [ubnd]
        objectives: [mt1]
        references: [kl120]
        topics: [cd1]
        deadline: 2021-06
        progress:
          - date: 2021-03-01
            percent: 10
            note: Đã xây dựng dự thảo
          - date: 2021-04-01
            percent: 50
            note: Đã tổ chức hội nghị
    """
)
# `tasks:` is the last top-level key, so text appended to BASE_PLAN either adds
# tasks (indented "  - ...") or adds top-level keys (not indented).

KEXE = Path(sys.executable).parent / "kehoach"


def pos(text: str, needle: str, occurrence: int = 1, offset: int = 0) -> tuple[int, int]:
    """1-based (line, col) of the `occurrence`-th `needle` in `text`, moved `offset` characters right."""
    at = -1
    for _ in range(occurrence):
        at = text.find(needle, at + 1)
        assert at >= 0, f"{needle!r} occurs fewer than {occurrence} times"
    at += offset
    line = text.count("\n", 0, at) + 1
    col = at - (text.rfind("\n", 0, at) + 1) + 1
    return line, col


def edit(text: str, old: str, new: str) -> str:
    """`text` with its single occurrence of `old` replaced by `new`."""
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times"
    return text.replace(old, new)


def load(text: str):
    return load_text(text, "plan.yaml")


def only(loaded, code: str):
    """The one diagnostic with `code` (fails when there are none or several)."""
    found = [d for d in loaded.diagnostics if d.code == code]
    assert len(found) == 1, [(d.code, d.line, d.col) for d in loaded.diagnostics]
    return found[0]


def codes(loaded) -> list[str]:
    return [d.code for d in loaded.diagnostics]


def at(diag) -> tuple[int, int]:
    return diag.line, diag.col


# ---------------------------------------------------------------- 1. a valid plan


class TestValidPlan:
    def test_base_plan_has_no_diagnostics(self):
        """The base plan every other test varies is valid as it stands."""
        loaded = load(BASE_PLAN)
        assert loaded.diagnostics == []
        assert loaded.ok
        assert loaded.plan.plan.id == "kh04"
        assert [t.id for t, _ in loaded.plan.iter_tasks()] == ["t1"]

    def test_cli_exit_0_and_only_summary(self, write_plan_file, run_check_cli):
        """`kehoach check` of a valid plan exits 0 and prints just the summary."""
        path = write_plan_file(BASE_PLAN)
        code, out, err = run_check_cli(path)
        assert code == 0
        assert out == "Đã kiểm tra 1 tệp: 0 lỗi, 0 cảnh báo.\n"
        assert err == ""

    def test_load_plan_from_file(self, write_plan_file):
        """load_plan reads the file and names it in each diagnostic."""
        path = write_plan_file(edit(BASE_PLAN, "lead: [bdvtu]", "lead: [nobody]"))
        loaded = load_plan(path)
        d = only(loaded, "undefined-id")
        assert d.file == str(path)
        assert at(d) == pos(loaded.text, "nobody")


# ---------------------------------------------------------------- 2. YAML syntax


class TestYamlSyntax:
    def test_bad_indentation(self):
        """A key indented one space short is reported on its own line and column."""
        text = edit(BASE_PLAN, "    section: II", "   section: II")
        loaded = load(text)
        d = only(loaded, "yaml-syntax")
        assert at(d) == pos(text, "section: II")
        assert loaded.plan is None and len(loaded.diagnostics) == 1

    def test_over_indented_key(self):
        """An over-indented key: 'mapping values are not allowed' at its colon."""
        text = edit(BASE_PLAN, "    lead: [bdvtu]", "      lead: [bdvtu]")
        d = only(load(text), "yaml-syntax")
        assert at(d) == pos(text, "lead: [bdvtu]", offset=len("lead"))
        assert "mapping values are not allowed" in d.params["detail"]

    def test_tab_indentation(self):
        """A tab used for indentation is pointed at."""
        text = edit(BASE_PLAN, "    section: II", "\tsection: II")
        d = only(load(text), "yaml-syntax")
        assert at(d) == pos(text, "\tsection")

    @pytest.mark.parametrize("old, new, said", [
        ("title: Tổ chức hội nghị triển khai", "title: Tổ chức hội nghị: triển khai", "dấu hai chấm và dấu cách"),
        ("    section: II", "\tsection: II", "ký tự Tab"),
        ("title: Tổ chức hội nghị triển khai", "title: @Tổ chức", "bắt đầu bằng ký tự @"),
        ("    lead: [bdvtu]", "    lead: [bdvtu", "chưa đóng"),
        ("title: Tổ chức hội nghị triển khai", 'title: "Tổ chức hội nghị triển khai', "dấu nháy mở ở đây"),
    ], ids=["colon-in-value", "tab", "bad-start", "flow-unclosed", "quote-unclosed"])
    def test_common_mistakes_are_said_in_vietnamese(self, old, new, said):
        """The mistakes people make are said in the user's words, with what to do; the parser's
        own English stays in `detail` (JSON), not in the message."""
        d = only(load(edit(BASE_PLAN, old, new)), "yaml-syntax")
        message, hint = d.message("vi"), d.hint("vi")
        assert said in message, message
        assert hint and "Kiểm tra thụt lề" not in hint, hint
        assert not re.search(r"while |expected|found ", message), message
        assert d.message("en").startswith("YAML syntax error: ") and d.hint("en")

    def test_unclosed_quote_is_a_syntax_error(self):
        """An unclosed quote is a yaml-syntax error and no plan is built."""
        text = edit(BASE_PLAN, "title: Tổ chức hội nghị triển khai", 'title: "Tổ chức hội nghị triển khai')
        loaded = load(text)
        assert codes(loaded) == ["yaml-syntax"]
        assert loaded.plan is None
        assert "quoted scalar" in loaded.diagnostics[0].params["detail"]

    def test_unclosed_quote_points_at_the_opening_quote(self):
        """The unclosed quote is reported where it opens, not past the end of the file."""
        text = edit(BASE_PLAN, "title: Tổ chức hội nghị triển khai", 'title: "Tổ chức hội nghị triển khai')
        d = only(load(text), "yaml-syntax")
        assert d.line <= text.count("\n")  # a line that exists
        assert at(d) == pos(text, '"Tổ chức')


# ---------------------------------------------------------------- 3. duplicate keys


class TestDuplicateKey:
    def test_in_block_mapping(self):
        """The second of two equal keys is reported, naming the line of the first."""
        text = edit(BASE_PLAN, "    section: II\n", "    section: II\n    section: II\n")
        d = only(load(text), "duplicate-key")
        assert at(d) == pos(text, "section: II", 2)
        assert d.params == {"key": "section", "first": pos(text, "section: II")[0]}

    def test_in_flow_mapping(self):
        """Inside `{...}` the column is that of the second key."""
        text = BASE_PLAN + "  - {id: t2, title: Một, title: Hai}\n"
        d = only(load(text), "duplicate-key")
        assert at(d) == pos(text, "title: Hai")

    def test_top_level(self):
        """A repeated top-level key such as `objectives:`."""
        text = BASE_PLAN + "objectives: []\n"
        d = only(load(text), "duplicate-key")
        assert at(d) == pos(text, "\nobjectives:", 2, offset=1)
        assert d.params["first"] == pos(text, "\nobjectives:", offset=1)[0]


# ---------------------------------------------------------------- 4. unknown keys


class TestUnknownKey:
    def test_misspelt_task_key_suggests_deadline(self):
        """`dedline` in a task: unknown-key at the key, 'deadline' suggested."""
        text = edit(BASE_PLAN, "    deadline: 2021-06", "    dedline: 2021-06")
        d = only(load(text), "unknown-key")
        assert at(d) == pos(text, "dedline")
        assert d.params["suggestion"] == "deadline"
        assert d.message("vi") == "khóa không hợp lệ 'dedline'; ý bạn là 'deadline'?"
        assert d.message("en") == "unknown key 'dedline'; did you mean 'deadline'?"
        assert "progress" in d.hint("en")  # the allowed keys are listed

    def test_top_level_near_miss(self):
        """`meeting:` at the top level: 'meetings' suggested."""
        text = BASE_PLAN + "meeting: []\n"
        d = only(load(text), "unknown-key")
        assert at(d) == pos(text, "meeting:")
        assert d.params["suggestion"] == "meetings"

    def test_top_level_without_suggestion(self):
        """An unrelated top-level key gets no suggestion."""
        text = BASE_PLAN + "xyzzy: 1\n"
        d = only(load(text), "unknown-key")
        assert at(d) == pos(text, "xyzzy")
        assert d.params["suggestion"] is None
        assert d.message("en") == "unknown key 'xyzzy'"

    def test_in_subtask(self):
        """A misspelt key two levels down, in a subtask."""
        text = BASE_PLAN + textwrap.indent(
            "- id: t2\n  title: Hai\n  subtasks:\n    - id: t2.a\n      title: Con\n      sectoin: II\n", "  "
        )
        d = only(load(text), "unknown-key")
        assert at(d) == pos(text, "sectoin")
        assert d.params["suggestion"] == "section"

    def test_in_deadline_mapping(self):
        """A misspelt key inside a recurring deadline `{every: ...}`."""
        text = edit(BASE_PLAN, "deadline: 2021-06", "deadline: {every: quarter, dayz_after: 5}")
        d = only(load(text), "unknown-key")
        assert at(d) == pos(text, "dayz_after")
        assert d.params["suggestion"] == "days_after"


# ---------------------------------------------------------------- 5. wrong types


class TestWrongType:
    def test_lead_as_text_instead_of_list(self):
        """`lead: bdvtu` must be a list: reported at the value."""
        text = edit(BASE_PLAN, "lead: [bdvtu]", "lead: bdvtu")
        loaded = load(text)
        d = only(loaded, "wrong-type")
        assert at(d) == pos(text, "lead: bdvtu", offset=len("lead: "))
        assert d.loc == ("tasks", 0, "lead")
        assert d.message("en") == "'lead' must be a list (one '- ' line per item), not the text 'bdvtu'"
        assert codes(loaded) == ["wrong-type"]

    def test_percent_as_text(self):
        """`percent: "abc"` must be a whole number: reported at the value."""
        text = edit(BASE_PLAN, "percent: 10", 'percent: "abc"')
        d = only(load(text), "wrong-type")
        assert at(d) == pos(text, '"abc"')
        assert d.message("en") == "'percent' must be a whole number, not the text 'abc'"

    def test_percent_as_fraction(self):
        """`percent: 10.5` is not a whole number."""
        text = edit(BASE_PLAN, "percent: 10", "percent: 10.5")
        d = only(load(text), "wrong-type")
        assert at(d) == pos(text, "10.5")

    def test_task_as_text(self):
        """A task written as a bare scalar is reported at that list item."""
        text = BASE_PLAN + "  - just a line\n"
        d = only(load(text), "wrong-type")
        assert at(d) == pos(text, "just a line")
        assert d.loc == ("tasks", 1)


# ---------------------------------------------------------------- 6. empty values, missing keys


class TestEmptyAndMissing:
    @pytest.mark.parametrize("empty", ['""', "''", '"   "'])
    def test_empty_title(self, empty):
        """`title: ""` (or only spaces) is an empty-value at the value."""
        text = edit(BASE_PLAN, "title: Tổ chức hội nghị triển khai", f"title: {empty}")
        d = only(load(text), "empty-value")
        assert at(d) == pos(text, empty)
        assert d.loc == ("tasks", 0, "title")

    def test_bare_title_is_reported(self):
        """`title:` with nothing after it is an empty value, like `title: ""`."""
        text = edit(BASE_PLAN, "    title: Tổ chức hội nghị triển khai\n", "    title:\n")
        d = only(load(text), "empty-value")
        assert d.loc == ("tasks", 0, "title")
        assert d.message("en") == "'title' must not be empty"

    def test_bare_title_points_at_its_own_line(self):
        """The error for `title:` is on the `title:` line (at the key or just after the colon)."""
        text = edit(BASE_PLAN, "    title: Tổ chức hội nghị triển khai\n", "    title:\n")
        d = only(load(text), "empty-value")
        line, col = pos(text, "    title:\n", offset=4)
        assert at(d) in {(line, col), (line, col + len("title:")), (line, col + len("title: "))}

    def test_bare_value_on_last_line_points_at_its_line(self):
        """`note:` with nothing, as the last line: reported on that line, not after it."""
        text = edit(BASE_PLAN, "        note: Đã tổ chức hội nghị\n", "        note:\n")
        d = only(load(text), "empty-value")
        assert d.line == pos(text, "note:\n")[0]

    def test_task_without_title(self):
        """A task lacking `title` gives missing-key at the task item."""
        text = edit(BASE_PLAN, "    title: Tổ chức hội nghị triển khai\n", "")
        loaded = load(text)
        d = only(loaded, "missing-key")
        assert at(d) == pos(text, "id: t1")  # where the task's mapping starts
        assert d.params["key"] == "title"
        assert d.message("en") == "missing required key 'title'"
        assert codes(loaded) == ["missing-key"]

    def test_task_without_id(self):
        """A task lacking `id` gives missing-key at the task item."""
        text = BASE_PLAN + "  - title: Không có mã\n"
        d = only(load(text), "missing-key")
        assert at(d) == pos(text, "title: Không có mã")
        assert d.params["key"] == "id"


# ---------------------------------------------------------------- 7. duplicate ids


class TestDuplicateId:
    def test_two_tasks(self):
        """The second task with id t1 is reported at its id value."""
        text = BASE_PLAN + "  - id: t1\n    title: Lần hai\n"
        d = only(load(text), "duplicate-id")
        assert at(d) == pos(text, "id: t1", 2, offset=len("id: "))
        assert d.params["first"] == pos(text, "id: t1")[0]
        assert d.message("en") == f"duplicate task id 't1' (first at line {pos(text, 'id: t1')[0]})"

    def test_subtask_repeats_top_level_task(self):
        """A subtask may not reuse the id of a top-level task."""
        text = BASE_PLAN + "  - id: t2\n    title: Hai\n    subtasks:\n      - id: t1\n        title: Con\n"
        d = only(load(text), "duplicate-id")
        assert at(d) == pos(text, "id: t1", 2, offset=len("id: "))
        assert d.loc == ("tasks", 1, "subtasks", 0, "id")

    def test_two_bodies(self):
        """Two bodies with id ubnd: the second is reported, as a body."""
        text = edit(
            BASE_PLAN,
            "references:\n",
            "  - id: ubnd\n    name: Ủy ban lần hai\n    kind: state\nreferences:\n",
        )
        d = only(load(text), "duplicate-id")
        assert at(d) == pos(text, "id: ubnd", 2, offset=len("id: "))
        assert d.message("en").startswith("duplicate body id 'ubnd'")


# ---------------------------------------------------------------- 8. undefined ids


class TestUndefinedId:
    def test_misspelt_lead_suggests_the_body(self):
        """`lead: [bdvtuu]`: undefined-id at the list item, 'bdvtu' suggested in vi and en."""
        text = edit(BASE_PLAN, "lead: [bdvtu]", "lead: [bdvtuu]")
        loaded = load(text)
        d = only(loaded, "undefined-id")
        assert at(d) == pos(text, "bdvtuu")
        assert d.loc == ("tasks", 0, "lead", 0)
        assert d.params["suggestion"] == "bdvtu"
        assert "ý bạn là 'bdvtu'" in d.message("vi")
        assert "did you mean 'bdvtu'" in d.message("en")
        assert codes(loaded) == ["undefined-id"]

    def test_misspelt_lead_through_cli(self, write_plan_file, run_check_cli):
        """The CLI shows the suggestion in Vietnamese by default and in English with --lang en."""
        path = write_plan_file(edit(BASE_PLAN, "lead: [bdvtu]", "lead: [bdvtuu]"))
        line, col = pos(path.read_text(encoding="utf-8"), "bdvtuu")
        code, out, _ = run_check_cli(path)
        assert code == 1
        assert f"{path}:{line}:{col}: lỗi: chưa khai báo cơ quan 'bdvtuu'; ý bạn là 'bdvtu'? [undefined-id]" in out
        code, out, _ = run_check_cli(path, "--lang", "en")
        assert code == 1
        assert f"{path}:{line}:{col}: error: body 'bdvtuu' is not defined; did you mean 'bdvtu'? [undefined-id]" in out

    def test_case_only_near_miss(self):
        """`BDVTU` differs only by case: still suggested."""
        text = edit(BASE_PLAN, "lead: [bdvtu]", "lead: [BDVTU]")
        d = only(load(text), "undefined-id")
        assert at(d) == pos(text, "BDVTU")
        assert d.params["suggestion"] == "bdvtu"

    def test_diacritic_only_near_miss(self):
        """`bđvtu` differs only by a diacritic: suggested (and flagged as an invalid id)."""
        text = edit(BASE_PLAN, "lead: [bdvtu]", "lead: [bđvtu]")
        loaded = load(text)
        d = only(loaded, "undefined-id")
        assert at(d) == pos(text, "bđvtu")
        assert d.params["suggestion"] == "bdvtu"
        assert at(only(loaded, "invalid-id")) == pos(text, "bđvtu")

    @pytest.mark.parametrize(
        "old, new, bad, kind",
        [
            ("objectives: [mt1]", "objectives: [mt9]", "mt9", "objective"),
            ("references: [kl120]", "references: [kl999]", "kl999", "reference"),
            ("section: II", "section: IX", "IX", "section"),
            ("topics: [cd1]", "topics: [cd9]", "cd9", "topic"),
            ("support: [ubnd]", "support: [ubnd, sovh]", "sovh", "body"),
            ("issuers: [bdvtu]", "issuers: [bdvtu, zz]", "zz", "body"),
        ],
    )
    def test_other_kinds(self, old, new, bad, kind):
        """Undefined objective, reference, section, topic, body: at the value, naming the kind."""
        text = edit(BASE_PLAN, old, new)
        d = only(load(text), "undefined-id")
        assert at(d) == pos(text, new, offset=new.index(bad))
        assert d.message("en").startswith(f"{kind} '{bad}' is not defined")

    def test_no_suggestion_when_nothing_is_close(self):
        """Nothing close: no 'did you mean'."""
        text = edit(BASE_PLAN, "references: [kl120]", "references: [qd5]")
        d = only(load(text), "undefined-id")
        assert d.params["suggestion"] is None
        assert d.message("en") == "reference 'qd5' is not defined"


# ---------------------------------------------------------------- 9. dates and deadlines


class TestDates:
    def test_deadline_after_the_period(self):
        """`deadline: 2022-03` is past the 2021 plan period."""
        text = edit(BASE_PLAN, "deadline: 2021-06", "deadline: 2022-03")
        d = only(load(text), "outside-period")
        assert at(d) == pos(text, "2022-03")
        assert d.message("en") == "deadline 2022-03-31 falls outside the plan period (2021-01-01 – 2021-12-31)"

    def test_progress_date_before_the_period(self):
        """A progress entry dated 2020 is outside the period."""
        text = edit(BASE_PLAN, "date: 2021-03-01", "date: 2020-03-01")
        d = only(load(text), "outside-period")
        assert at(d) == pos(text, "2020-03-01")
        assert d.loc == ("tasks", 0, "progress", 0, "date")

    def test_deadline_on_a_day_that_does_not_exist(self):
        """30 February reads as a date form, so it is an invalid date, not an unknown form."""
        text = edit(BASE_PLAN, "deadline: 2021-06", "deadline: 2021-02-30")
        d = only(load(text), "invalid-date")
        assert at(d) == pos(text, "2021-02-30")
        assert d.message("en") == "invalid date '2021-02-30'"

    @pytest.mark.parametrize("bad", ["2021-Q5", "next week", "2021-13"])
    def test_bad_deadline_form(self, bad):
        """A deadline in no known form is bad-deadline at the value."""
        text = edit(BASE_PLAN, "deadline: 2021-06", f"deadline: {bad}")
        loaded = load(text)
        d = only(loaded, "bad-deadline")
        assert at(d) == pos(text, bad)
        assert d.message("en") == f"cannot read the deadline '{bad}'"
        assert codes(loaded) == ["bad-deadline"]

    @pytest.mark.parametrize("words, means", [("Quý II/2021", "2021-Q2"), ("tháng 9/2021", "2021-09"),
                                              ("trước ngày 15/10/2021", "2021-10-15"), ("trong năm 2021", "2021")])
    def test_a_deadline_in_words_is_offered_its_form(self, words, means):
        """A deadline copied from the Word plan in its own words: the form it means is offered."""
        text = edit(BASE_PLAN, "deadline: 2021-06", f"deadline: {words}")
        d = only(load(text), "bad-deadline")
        assert d.message("vi") == f"thời hạn '{words}' không đọc được; ý bạn là {means}?"
        assert d.message("en") == f"cannot read the deadline '{words}'; did you mean {means}?"


# ---------------------------------------------------------------- 10. progress log


class TestProgress:
    @pytest.mark.parametrize("value", ["150", "-1"])
    def test_percent_out_of_range(self, value):
        """A percent outside 0–100 is percent-range at the value."""
        text = edit(BASE_PLAN, "percent: 50", f"percent: {value}")
        d = only(load(text), "percent-range")
        assert at(d) == pos(text, f"percent: {value}", offset=len("percent: "))
        assert d.params["value"] == int(value)

    def test_entries_out_of_date_order_are_accepted(self):
        """The log is append-only in the order reports arrived: an entry dated before the one
        above it (a report that came late) is no mistake, as long as percents rise by date."""
        text = edit(BASE_PLAN, "date: 2021-04-01", "date: 2021-02-01")
        d = only(load(text), "percent-decrease")  # 50 % on 02-01 before 10 % on 03-01: it falls
        assert at(d) == pos(text, "percent: 10", offset=len("percent: "))
        assert d.message("en") == "percent goes down from 50% (reported on 2021-02-01) to 10%"
        late = edit(edit(BASE_PLAN, "date: 2021-04-01", "date: 2021-02-01"), "percent: 50", "percent: 5")
        assert [x for x in load(late).diagnostics if x.severity == "error"] == []

    def test_percent_goes_down(self):
        """50 → 5 is not allowed: percent-decrease at the lower percent."""
        text = edit(BASE_PLAN, "percent: 50", "percent: 5")
        d = only(load(text), "percent-decrease")
        assert at(d) == pos(text, "percent: 5\n", offset=len("percent: "))
        assert (d.params["previous"], d.params["value"]) == (10, 5)


# ---------------------------------------------------------------- 11. Vietnamese text


NFD_NAME = unicodedata.normalize("NFD", "Quảng Ngãi")


class TestVietnameseText:
    def test_not_nfc_is_a_warning(self):
        """Decomposed marks in a title: a not-nfc warning at the value; the plan stays valid."""
        assert NFD_NAME != "Quảng Ngãi"
        text = edit(BASE_PLAN, "title: Tổ chức hội nghị triển khai", f"title: Hội nghị tại {NFD_NAME}")
        loaded = load(text)
        d = only(loaded, "not-nfc")
        assert d.severity == "warning"
        assert at(d) == pos(text, "Hội nghị tại")
        assert d.params["fixed"] == "Hội nghị tại Quảng Ngãi"
        assert loaded.ok and codes(loaded) == ["not-nfc"]
        assert loaded.plan.tasks[0].title == "Hội nghị tại Quảng Ngãi"  # normalised in the model

    @pytest.mark.parametrize(
        "legacy, encoding, sample",
        [("Qu¶ng Ng·i", "TCVN3", "Qu¶ng"), ("Quaûng Ngaõi", "VNI", "Quaûng")],
    )
    def test_legacy_encoding_is_a_warning(self, legacy, encoding, sample):
        """Text pasted from TCVN3 or VNI: a legacy-encoding warning naming the encoding."""
        text = edit(BASE_PLAN, "title: Tổ chức hội nghị triển khai", f"title: {legacy}")
        loaded = load(text)
        d = only(loaded, "legacy-encoding")
        assert d.severity == "warning"
        assert at(d) == pos(text, legacy)
        assert (d.params["encoding"], d.params["sample"]) == (encoding, sample)
        assert loaded.ok

    def test_text_without_diacritics_is_told_from_vietnamese(self):
        """OCR that lost its marks is recognised; Vietnamese, even with a few unmarked words, and
        a text too short to tell are not."""
        from kehoach.base.text import has_diacritics

        ocr = Path(__file__).parent.joinpath("data", "source-2021-ocr.txt").read_text(encoding="utf-8")
        assert not has_diacritics(ocr)
        assert not has_diacritics("Ke hoach phoi hop cong tac dan van nam 2021. " * 10)
        assert has_diacritics("Kế hoạch phối hợp công tác dân vận năm 2021. " * 10)
        assert has_diacritics("Kế hoạch " * 10 + "UBND tinh Quang Ngai " * 10)
        assert has_diacritics("Ke hoach")  # 7 letters: too short to tell

    @pytest.mark.parametrize("title", [f"Hội nghị tại {NFD_NAME}", "Qu¶ng Ng·i", "Quaûng Ngaõi"])
    def test_warnings_exit_0_unless_strict(self, title, write_plan_file, run_check_cli):
        """Warnings only: exit 0; with --strict they become errors and exit 1."""
        text = edit(BASE_PLAN, "title: Tổ chức hội nghị triển khai", f"title: {title}")
        path = write_plan_file(text)
        line, col = pos(text, title)
        code, out, _ = run_check_cli(path)
        assert code == 0
        assert f"{path}:{line}:{col}: cảnh báo: " in out
        assert out.endswith("Đã kiểm tra 1 tệp: 0 lỗi, 1 cảnh báo.\n")
        code, out, _ = run_check_cli(path, "--strict")
        assert code == 1
        assert f"{path}:{line}:{col}: lỗi: " in out
        assert out.endswith("Đã kiểm tra 1 tệp: 1 lỗi, 0 cảnh báo.\n")


# ---------------------------------------------------------------- 11b. notes and drafts

UNSURE = edit(BASE_PLAN, "  title: Kế hoạch phối hợp công tác dân vận\n",
              "  number: 49-KH/BDVTU\n  title: Kế hoạch phối hợp công tác dân vận\n"
              "  issued: 2021-01-14\n"
              "  uncertain:\n    number: OCR đọc \"4.P\", chữ số thứ hai không rõ\n")


class TestNotes:
    def test_an_uncertain_value_is_a_note_at_the_value(self):
        """Each `uncertain` entry: an info diagnostic at the value it doubts, saying why; the plan is valid."""
        loaded = load(UNSURE)
        d = only(loaded, "uncertain-value")
        assert d.severity == "info" and loaded.ok
        assert at(d) == pos(UNSURE, "49-KH/BDVTU")
        assert "OCR đọc \"4.P\"" in d.message() and "49-KH/BDVTU" in d.message()
        assert "xóa dòng 'plan.number' trong `uncertain`" in d.hint()

    def test_an_uncertain_date_is_shown_as_the_reader_writes_dates(self):
        text = UNSURE.replace('    number: OCR đọc', '    issued: ngày đọc "±4"\n    number: OCR đọc')
        loaded = load(text)
        [d] = [x for x in loaded.diagnostics if x.code == "uncertain-value" and "issued" in x.message()]
        assert "(14/01/2021)" in d.message() and "(2021-01-14)" in d.message("en")

    def test_uncertain_signers_are_noted_by_their_names_at_the_signers(self):
        """The shipped plan doubts which name signs for which body: `uncertain: {signers: …}` is a
        note at the `signers:` key naming them, and its hint names the entry as written."""
        text = UNSURE.replace("    number: OCR đọc", "    signers: tên đọc theo thứ tự ngược\n    number: OCR đọc") \
            + "signers:\n  - body: bdvtu\n    authority: BAN DÂN VẬN TỈNH ỦY\n    title: TRƯỞNG BAN\n" \
              "    name: Võ Thanh An\n"
        loaded = load(text)
        assert loaded.ok, loaded.diagnostics
        [d] = [x for x in loaded.diagnostics if x.code == "uncertain-value" and "signers" in x.message()]
        assert "'signers' (Võ Thanh An): tên đọc theo thứ tự ngược" in d.message()
        assert at(d) == pos(text, "- body: bdvtu")  # at the value, as every uncertain value
        assert "xóa dòng 'signers' trong `uncertain`" in d.hint()

    def test_notes_never_fail_not_even_strict(self, write_plan_file, run_check_cli):
        """A note is listed and counted in the summary, but exits 0 with --strict; a plan without
        notes keeps the summary it always had."""
        path = write_plan_file(UNSURE)
        line, col = pos(UNSURE, "49-KH/BDVTU")
        for args in ((path,), (path, "--strict")):
            code, out, _ = run_check_cli(*args)
            assert code == 0
            assert out.startswith(f"{path}:{line}:{col}: lưu ý: giá trị chưa chắc chắn ở 'plan.number'")
            assert out.endswith("Đã kiểm tra 1 tệp: 0 lỗi, 0 cảnh báo, 1 lưu ý.\n")
        code, out, _ = run_check_cli(path, "--lang", "en")
        assert ": note: uncertain value at 'plan.number'" in out and out.endswith("0 warnings, 1 note.\n")

    def test_notes_in_json_and_github(self, write_plan_file, run_check_cli):
        path = write_plan_file(UNSURE)
        code, out, _ = run_check_cli(path, "--strict", "--format", "json")
        doc = json.loads(out)
        assert code == 0 and doc["valid"] and (doc["errors"], doc["warnings"], doc["notes"]) == (0, 0, 1)
        assert doc["diagnostics"][0]["severity"] == "info"
        code, out, _ = run_check_cli(path, "--format", "github")
        assert out.startswith("::notice file=") and "title=uncertain-value::" in out

    def test_an_undated_reference_is_a_note(self):
        text = edit(BASE_PLAN, "    date: 2016-01-07\n", "    date: null\n")
        loaded = load(text)
        d = only(loaded, "reference-undated")
        assert d.severity == "info" and loaded.ok and at(d) == pos(text, "null")


DRAFT = edit(edit(edit(BASE_PLAN, "  issuers: [bdvtu]\n", "  issuers: [bdvtu, chua-ro]\n  draft: true\n"),
                  "  - id: ubnd\n",
                  "  - id: chua-ro\n    name: (chưa rõ)\n    kind: party\n"
                  "  # kiểm tra: cơ quan phối hợp đọc từ dòng 40\n  - id: ubnd\n"),
             "    date: 2016-01-07\n", "    date: null\n")


class TestDraft:
    def test_a_draft_lists_what_is_left(self):
        """On a draft: a warning at the mark saying how many things are left, and one for each:
        the placeholder issuer, no date of issue, the undated reference, the comment left."""
        loaded = load(DRAFT)
        assert loaded.ok
        found = {d.code: d for d in loaded.diagnostics}
        assert sorted(codes(loaded)) == ["check-comment-left", "draft", "issued-missing", "issuer-unknown",
                                         "reference-undated"]
        assert all(d.severity == "warning" for d in loaded.diagnostics)
        assert found["draft"].params["n"] == 4 and at(found["draft"]) == pos(DRAFT, "true")
        assert at(found["issuer-unknown"]) == pos(DRAFT, "chua-ro]")
        assert "(chưa rõ)" in found["issuer-unknown"].message()
        assert at(found["check-comment-left"]) == pos(DRAFT, "# kiểm tra:")
        assert at(found["reference-undated"]) == pos(DRAFT, "null")

    def test_strict_fails_a_draft_and_passes_it_once_confirmed(self, write_plan_file, run_check_cli):
        path = write_plan_file(DRAFT)
        assert run_check_cli(path)[0] == 0
        assert run_check_cli(path, "--strict")[0] == 1
        done = DRAFT.replace("  draft: true\n", "")
        # the mark gone, a "# kiểm tra:" comment left is still a warning (a plan made by init has them too)
        assert ("check-comment-left", "warning") in [(d.code, d.severity) for d in load(done).diagnostics]
        done = re.sub(r"(?m)^ *# kiểm tra:.*\n", "", done)
        loaded = load(done)  # the mark and the comments gone: only the undated reference, as a note
        assert [(d.code, d.severity) for d in loaded.diagnostics] == [("reference-undated", "info")]

    def test_an_issuer_copied_without_diacritics_is_unknown(self):
        text = edit(DRAFT, "    name: Ban Dân vận Tỉnh ủy\n", "    name: Ban Dan van Tinh uy\n")
        found = [d for d in load(text).diagnostics if d.code == "issuer-unknown"]
        assert [d.params["id"] for d in found] == ["bdvtu", "chua-ro"]
        assert "không dấu" in found[0].message()

    @pytest.mark.slow  # about a second
    def test_the_ocr_draft_says_what_remains_and_is_not_called_tcvn3(self, tmp_path):
        """The 2021 plan's OCR text imported: no TCVN3 hint for OCR debris ('ti§n', 'd§', 'th<§'); the
        draft mark, the text without diacritics and every '# kiểm tra:' comment are warned of."""
        source = Path(__file__).parent / "data" / "source-2021-ocr.txt"
        draft = tmp_path / "draft.yaml"
        run = subprocess.run([str(KEXE), "import", str(source), "-o", str(draft)], capture_output=True,
                             text=True, encoding="utf-8", env={**os.environ, "KEHOACH_LANG": "vi"})
        assert draft.exists(), run.stderr
        text = draft.read_text(encoding="utf-8")
        loaded = load_text(text, str(draft))
        found = codes(loaded)
        assert "legacy-encoding" not in found
        assert {"draft", "no-diacritics", "check-comment-left"} <= set(found)
        comments = sum(1 for line in text.splitlines() if line.lstrip().startswith("# kiểm tra:"))
        assert min(comments, 100) == found.count("check-comment-left")
        assert only(loaded, "draft").params["n"] >= comments + 1


# ---------------------------------------------------------------- 12. security


def alias_bomb(levels: int = 9, width: int = 10) -> str:
    """The billion-laughs document: each level is `width` aliases of the one above."""
    names = "abcdefghijklmnopqrstuvwxyz"
    lines = [f"a: &a [{', '.join(['lol'] * width)}]"]
    for i in range(1, levels):
        lines.append(f"{names[i]}: &{names[i]} [{', '.join(['*' + names[i - 1]] * width)}]")
    return "\n".join(lines) + "\n"


class TestSecurity:
    def test_python_tag_is_refused_and_not_run(self, tmp_path, write_plan_file, run_check_cli):
        """A `!!python/object/apply:os.system` tag is a yaml-tag error; the command never runs."""
        marker = tmp_path / "pwned"
        payload = f'!!python/object/apply:os.system ["touch {marker}"]'
        text = edit(BASE_PLAN, "title: Tổ chức hội nghị triển khai", f"title: {payload}")
        loaded = load(text)
        d = only(loaded, "yaml-tag")
        assert at(d) == pos(text, "!!python")
        assert d.params["tag"] == "tag:yaml.org,2002:python/object/apply:os.system"
        assert loaded.plan is None and codes(loaded) == ["yaml-tag"]
        code, out, _ = run_check_cli(write_plan_file(text))
        assert code == 1 and "[yaml-tag]" in out
        assert not marker.exists()

    @pytest.mark.parametrize("tag", ["!!python/name:os.system", "!local", "!!binary"])
    def test_other_tags_are_refused(self, tag):
        """Any non-standard tag, local or not, is refused."""
        text = edit(BASE_PLAN, "title: Tổ chức hội nghị triển khai", f"title: {tag} aGk=")
        d = only(load(text), "yaml-tag")
        assert at(d) == pos(text, tag)

    def test_billion_laughs_is_refused(self):
        """9 levels of 10 aliases: yaml-alias-bomb at the first level past the node limit."""
        text = alias_bomb()
        loaded = load(text)  # returns (no MemoryError, no hang)
        d = only(loaded, "yaml-alias-bomb")
        assert loaded.plan is None and len(loaded.diagnostics) == 1
        assert d.params == {"limit": source.MAX_NODES}
        # level k (0-based) expands to 1 + 10 + ... + 10**(k+1) nodes
        level = next(k for k in range(9) if sum(10**i for i in range(k + 2)) > source.MAX_NODES)
        assert at(d) == pos(text, f"&{'abcdefghi'[level]} [")  # a node starts at its anchor

    def test_billion_laughs_through_cli(self, write_plan_file, run_check_cli):
        """The CLI reports the bomb and exits 1."""
        code, out, err = run_check_cli(write_plan_file(alias_bomb()))
        assert code == 1
        assert "[yaml-alias-bomb]" in out and err == ""

    def test_aliases_of_a_long_text_are_refused(self, write_plan_file, run_check_cli):
        """One text of 100 KB named by 700 aliases: few nodes, 70 MB once expanded; `check` passed
        it, and `status` took 49 s and 5 GB of memory on 400 aliases of 1 MB (the hostile review)."""
        lines = ["plan:", "  id: p", "  title: x", "  issuers: [a]", "  period: {start: 2021-01-01, end: 2021-12-31}",
                 "bodies:", "  - {id: a, name: Ban A, kind: party}", "notes: &t " + "x" * 100_000, "tasks:"]
        lines += [f"  - {{id: t{i}, title: *t, lead: [a], deadline: 2021-06-30}}" for i in range(700)]
        code, out, _ = run_check_cli(write_plan_file("\n".join(lines) + "\n"))
        assert code == 1 and "[yaml-alias-text]" in out

    def test_self_recursive_alias(self):
        """An anchor whose node contains its own alias is refused (ruamel allows it)."""
        text = "plan: &x {id: kh, self: *x}\n"
        loaded = load(text)
        d = only(loaded, "yaml-recursive-alias")
        assert at(d) == pos(text, "&x")  # a node starts at its anchor
        assert codes(loaded) == ["yaml-recursive-alias"]

    @pytest.mark.slow  # a second or more: CI runs it (.ci/run); -m 'not slow' stays well under 3 minutes

    def test_too_deep_nesting(self):
        """Thousands of nested brackets: yaml-too-deep, no RecursionError."""
        text = "plan: " + "[" * 5000 + "]" * 5000 + "\n"
        loaded = load(text)
        assert codes(loaded) == ["yaml-too-deep"]


# ---------------------------------------------------------------- 13. garbage input


class TestGarbageInput:
    @pytest.mark.parametrize(
        "content",
        [b"", b"\n\n", b"# only a comment\n", b"just a scalar\n", b"42\n", b"- a\n- b\n"],
        ids=["empty", "blank-lines", "comment", "scalar", "number", "list"],
    )
    def test_not_a_mapping(self, content, write_plan_file, run_check_cli):
        """A file that is not a mapping: one not-a-mapping error at 1:1, exit 1."""
        path = write_plan_file(content)
        code, out, err = run_check_cli(path)
        assert code == 1
        assert out.splitlines()[0] == (
            f"{path}:1:1: lỗi: tệp kế hoạch phải là một bảng khóa–giá trị "
            "(plan:, bodies:, tasks: ...) [not-a-mapping]"
        )
        assert err == ""

    def test_not_utf8(self, write_plan_file, run_check_cli):
        """Latin-1 bytes: not-utf8 at the line and column of the first bad byte."""
        path = write_plan_file(b"plan:\n  title: Qu\xe1ng\n")
        code, out, err = run_check_cli(path)
        assert code == 1
        assert out.startswith(f"{path}:2:12: lỗi: tệp không phải UTF-8 (byte lạ ở vị trí 17) [not-utf8]\n")
        assert "Traceback" not in out + err

    def test_binary_bytes(self, write_plan_file, run_check_cli):
        """Random binary data is not UTF-8 either."""
        path = write_plan_file(bytes(range(256)) * 4)
        code, out, err = run_check_cli(path, "--format", "json")
        assert code == 1
        report = json.loads(out)
        assert [(d["code"], d["line"], d["column"]) for d in report["diagnostics"]] == [("not-utf8", 2, 128 - 11 + 1)]

    def test_directory(self, tmp_path, run_check_cli):
        """A directory as the plan path: file-unreadable, exit 2."""
        folder = tmp_path / "plans.yaml"
        folder.mkdir()
        code, out, err = run_check_cli(folder)
        assert code == 2
        assert f"{folder}:1:1: lỗi: " in out and "[file-unreadable]" in out
        assert "Traceback" not in out + err

    def test_missing_path(self, tmp_path, run_check_cli):
        """A path that does not exist: file-not-found, exit 2."""
        missing = tmp_path / "nope.yaml"
        code, out, err = run_check_cli(missing)
        assert code == 2
        assert out.splitlines()[0] == f"{missing}:1:1: lỗi: không tìm thấy tệp kế hoạch {missing} [file-not-found]"

    def test_unknown_option(self, write_plan_file, run_check_cli):
        """An unknown option is a usage error, exit 2, in Vietnamese with the usage line,
        and with the nearest option; in English with --lang en."""
        code, out, err = run_check_cli(write_plan_file(BASE_PLAN), "--bogus")
        assert code == 2
        assert err.splitlines() == ["kehoach: không có tùy chọn --bogus",
                                    "    Cách dùng: kehoach check [TÙY CHỌN] [plans]...",
                                    "    Xem hướng dẫn: kehoach check -h"]
        code, out, err = run_check_cli(write_plan_file(BASE_PLAN), "--stirct", "--lang", "en")
        assert code == 2
        assert err.splitlines()[0] == "kehoach: no such option --stirct; did you mean '--strict'?"
        assert "Usage: kehoach check [OPTIONS]" in err
        assert "Traceback" not in err

    def test_unknown_language(self, write_plan_file, run_check_cli):
        """`--lang fr` is a usage error, exit 2."""
        code, out, err = run_check_cli(write_plan_file(BASE_PLAN), "--lang", "fr")
        assert code == 2
        assert err == "kehoach: --lang: chọn 'vi' hoặc 'en', không phải 'fr'\n"

    def test_crlf_and_bom_keep_positions(self, write_plan_file):
        """A file saved on Windows (CRLF, UTF-8 BOM) gives the same lines and columns."""
        text = BASE_PLAN.replace("lead: [bdvtu]", "lead: [bdvtuu]")
        path = write_plan_file(("\ufeff" + text).replace("\n", "\r\n"))
        d = only(load_plan(path), "undefined-id")
        assert at(d) == pos(text, "bdvtuu")

    def test_second_yaml_document(self):
        """A second document after `---` is a syntax error at the `---`."""
        text = BASE_PLAN + "---\nfoo: 1\n"
        d = only(load(text), "yaml-syntax")
        assert at(d) == pos(text, "---")

    def test_nul_character_is_a_syntax_error(self):
        """A NUL character in UTF-8 text: yaml-syntax, no traceback."""
        text = BASE_PLAN + "extra: a\x00b\n"
        assert codes(load(text)) == ["yaml-syntax"]

    def test_nul_character_is_located(self):
        """The NUL character is reported where it is."""
        text = BASE_PLAN + "extra: a\x00b\n"
        d = only(load(text), "yaml-syntax")
        assert at(d) == pos(text, "\x00")

    @pytest.mark.parametrize(
        "content",
        [b"", b"\xff\xfe\x00p\x00l\x00a\x00n\x00", b"- 1\n", b"plan: [\n", b"a: &x [*x]\n"],
        ids=["empty", "utf16", "list", "unclosed", "recursive"],
    )
    def test_real_console_script_never_shows_a_traceback(self, content, write_plan_file):
        """The installed `kehoach` script, run as a subprocess on garbage: exit 1, no traceback."""
        path = write_plan_file(content)
        env = {k: v for k, v in os.environ.items() if k not in ("KEHOACH_LANG", "KEHOACH_DEBUG")}
        proc = subprocess.run(
            [str(KEXE), "check", str(path)], capture_output=True, text=True, env=env, timeout=120
        )
        assert proc.returncode == 1
        assert "Traceback" not in proc.stderr and "Traceback" not in proc.stdout
        assert proc.stdout.startswith(f"{path}:")
        assert proc.stdout.endswith("Đã kiểm tra 1 tệp: 1 lỗi, 0 cảnh báo.\n")

    def test_real_console_script_missing_file(self, tmp_path):
        """The installed script on a missing file: exit 2, no traceback."""
        env = {k: v for k, v in os.environ.items() if k not in ("KEHOACH_LANG", "KEHOACH_DEBUG")}
        proc = subprocess.run(
            [str(KEXE), "check", str(tmp_path / "missing.yaml")], capture_output=True, text=True, env=env, timeout=120
        )
        assert proc.returncode == 2
        assert "[file-not-found]" in proc.stdout
        assert "Traceback" not in proc.stderr


# ---------------------------------------------------------------- 14. output formats


BAD_PLAN = edit(edit(BASE_PLAN, "lead: [bdvtu]", "lead: [bdvtuu]"), "    deadline: 2021-06", "    dedline: 2021-06")


class TestOutputFormats:
    def test_text(self, write_plan_file, run_check_cli):
        """Text: `PATH:LINE:COL: error: message [code]`, the hint indented below, then the summary."""
        path = write_plan_file(BAD_PLAN)
        (l1, c1), (l2, c2) = pos(BAD_PLAN, "bdvtuu"), pos(BAD_PLAN, "dedline")
        code, out, _ = run_check_cli(path, "--lang", "en")
        assert code == 1
        assert out.splitlines() == [
            f"{path}:{l1}:{c1}: error: body 'bdvtuu' is not defined; did you mean 'bdvtu'? [undefined-id]",
            "    → Fix: Correct the id, or define it under 'bodies'.",
            f"{path}:{l2}:{c2}: error: unknown key 'dedline'; did you mean 'deadline'? [unknown-key]",
            "    → Fix: Keys allowed here: carried_over, deadline, deliverables, description, done_when, id, lead, "
            "objectives, progress, references, section, subtasks, support, suspended, title, topics.",
            "Checked 1 file: 2 errors, 0 warnings.",
        ]

    def test_json(self, write_plan_file, run_check_cli):
        """JSON: parses, and each diagnostic holds file, line, column, code and severity."""
        path = write_plan_file(BAD_PLAN)
        code, out, _ = run_check_cli(path, "--format", "json")
        assert code == 1
        report = json.loads(out)
        assert (report["files"], report["errors"], report["warnings"], report["valid"]) == ([str(path)], 2, 0, False)
        got = [(d["file"], d["line"], d["column"], d["code"], d["severity"], d["path"]) for d in report["diagnostics"]]
        assert got == [
            (str(path), *pos(BAD_PLAN, "bdvtuu"), "undefined-id", "error", "tasks[0].lead[0]"),
            (str(path), *pos(BAD_PLAN, "dedline"), "unknown-key", "error", "tasks[0].dedline"),
        ]
        assert report["diagnostics"][0]["message"] == "chưa khai báo cơ quan 'bdvtuu'; ý bạn là 'bdvtu'?"

    def test_json_valid_plan(self, write_plan_file, run_check_cli):
        """JSON of a valid plan: valid true, no diagnostics."""
        code, out, _ = run_check_cli(write_plan_file(BASE_PLAN), "-f", "json")
        assert code == 0
        assert json.loads(out)["valid"] is True and json.loads(out)["diagnostics"] == []

    def test_github(self, write_plan_file, run_check_cli):
        """GitHub: one `::error file=...,line=N,col=M,...::message` line per diagnostic."""
        path = write_plan_file(BAD_PLAN)
        code, out, _ = run_check_cli(path, "--format", "github")
        assert code == 1
        lines = out.splitlines()
        assert len(lines) == 2
        (l1, c1), (l2, c2) = pos(BAD_PLAN, "bdvtuu"), pos(BAD_PLAN, "dedline")
        assert lines[0].startswith(f"::error file={path},line={l1},col={c1},title=undefined-id::")
        assert lines[1].startswith(f"::error file={path},line={l2},col={c2},title=unknown-key::")
        assert "%0A" in lines[0]  # the hint follows on an escaped new line

    def test_github_warning(self, write_plan_file, run_check_cli):
        """A warning is a `::warning` annotation."""
        text = edit(BASE_PLAN, "title: Tổ chức hội nghị triển khai", "title: Qu¶ng Ng·i")
        path = write_plan_file(text)
        line, col = pos(text, "Qu¶ng")
        code, out, _ = run_check_cli(path, "--format", "github")
        assert code == 0
        assert out.startswith(f"::warning file={path},line={line},col={col},title=legacy-encoding::")


# ---------------------------------------------------------------- 15. several files


class TestSeveralFiles:
    def test_each_diagnostic_carries_its_own_path(self, write_plan_file, run_check_cli):
        """As pre-commit passes them: each file's diagnostics name that file; exit 1 if any has errors."""
        good = write_plan_file(BASE_PLAN, "good.yaml")
        bad1 = write_plan_file(edit(BASE_PLAN, "lead: [bdvtu]", "lead: [bdvtuu]"), "bad1.yaml")
        bad2 = write_plan_file(BASE_PLAN + "xyzzy: 1\n", "bad2.yaml")
        code, out, _ = run_check_cli(good, bad1, bad2, "--format", "json")
        assert code == 1
        report = json.loads(out)
        assert report["files"] == [str(good), str(bad1), str(bad2)]
        got = [(d["file"], d["code"], d["line"]) for d in report["diagnostics"]]
        assert got == [
            (str(bad1), "undefined-id", pos(bad1.read_text(encoding="utf-8"), "bdvtuu")[0]),
            (str(bad2), "unknown-key", pos(bad2.read_text(encoding="utf-8"), "xyzzy")[0]),
        ]

    def test_text_summary_counts_files(self, write_plan_file, run_check_cli):
        """The text summary counts every file; lines start with each file's own path."""
        bad = write_plan_file(BASE_PLAN + "xyzzy: 1\n", "bad.yaml")
        good = write_plan_file(BASE_PLAN, "good.yaml")
        code, out, _ = run_check_cli(bad, good)
        assert code == 1
        assert out.splitlines()[0].startswith(f"{bad}:")
        assert out.splitlines()[-1] == "Đã kiểm tra 2 tệp: 1 lỗi, 0 cảnh báo."

    def test_all_valid_exit_0(self, write_plan_file, run_check_cli):
        """Several valid files: exit 0."""
        a, b = write_plan_file(BASE_PLAN, "a.yaml"), write_plan_file(BASE_PLAN, "b.yaml")
        code, out, _ = run_check_cli(a, b)
        assert code == 0
        assert out == "Đã kiểm tra 2 tệp: 0 lỗi, 0 cảnh báo.\n"

    def test_a_missing_file_among_others_exits_2(self, tmp_path, write_plan_file, run_check_cli):
        """A missing file among several is a usage error, and the others are still checked."""
        bad = write_plan_file(BASE_PLAN + "xyzzy: 1\n", "bad.yaml")
        code, out, _ = run_check_cli(bad, tmp_path / "missing.yaml")
        assert code == 2
        assert "[unknown-key]" in out and "[file-not-found]" in out


# ---------------------------------------------------------------- 16. language


class TestLanguage:
    def test_default_is_vietnamese(self, write_plan_file, run_check_cli):
        """Without --lang or KEHOACH_LANG, messages and summary are Vietnamese."""
        path = write_plan_file(BASE_PLAN + "xyzzy: 1\n")
        code, out, _ = run_check_cli(path)
        assert "khóa không hợp lệ 'xyzzy' [unknown-key]" in out
        assert out.endswith("Đã kiểm tra 1 tệp: 1 lỗi, 0 cảnh báo.\n")

    def test_lang_option(self, write_plan_file, run_check_cli):
        """`--lang en` gives English messages, hints and summary."""
        path = write_plan_file(BASE_PLAN + "xyzzy: 1\n")
        code, out, _ = run_check_cli(path, "--lang", "en")
        assert "unknown key 'xyzzy' [unknown-key]" in out
        assert "    → Fix: Keys allowed here: " in out
        assert out.endswith("Checked 1 file: 1 error, 0 warnings.\n")

    def test_environment_variable(self, write_plan_file, run_check_cli, monkeypatch):
        """`KEHOACH_LANG=en` gives English messages too."""
        path = write_plan_file(BASE_PLAN + "xyzzy: 1\n")
        monkeypatch.setenv("KEHOACH_LANG", "en")
        code, out, _ = run_check_cli(path)
        assert code == 1
        assert "unknown key 'xyzzy' [unknown-key]" in out
        assert out.endswith("Checked 1 file: 1 error, 0 warnings.\n")

    def test_option_wins_over_environment(self, write_plan_file, run_check_cli, monkeypatch):
        """`--lang vi` overrides KEHOACH_LANG=en."""
        path = write_plan_file(BASE_PLAN + "xyzzy: 1\n")
        monkeypatch.setenv("KEHOACH_LANG", "en")
        code, out, _ = run_check_cli(path, "--lang", "vi")
        assert "khóa không hợp lệ 'xyzzy'" in out

    def test_json_messages_in_english(self, write_plan_file, run_check_cli):
        """The JSON message and hint follow --lang too."""
        path = write_plan_file(edit(BASE_PLAN, "lead: [bdvtu]", "lead: [bdvtuu]"))
        _, out, _ = run_check_cli(path, "--format", "json", "--lang", "en")
        d = json.loads(out)["diagnostics"][0]
        assert d["message"] == "body 'bdvtuu' is not defined; did you mean 'bdvtu'?"
        assert d["hint"] == "Correct the id, or define it under 'bodies'."


# ---------------------------------------------------------------- the fast parser reads as the pure one


@pytest.mark.parametrize("name", ["plans/2021.yaml", "examples/demo.yaml"])
def test_fast_and_pure_parsers_give_the_same_tree_and_positions(name):
    from pathlib import Path

    from kehoach.plan import source

    if not source._has_clib():
        pytest.skip("no C parser: ruamel.yaml.clib is not installed or KEHOACH_YAML_PARSER=pure")
    text = (Path(__file__).resolve().parent.parent / name).read_text(encoding="utf-8")
    trees = []
    for fast in (True, False):
        builder = source._Builder()
        data = builder.build(source.compose(text, fast=fast), ())
        trees.append((data, builder.values, builder.keys))
    assert trees[0] == trees[1]


@pytest.mark.parametrize("start, end", [("9999-01-01", "9999-12-31"), ("0001-01-01", "9999-12-31")])
def test_a_period_in_a_year_out_of_range_is_said_with_continuous_work(start, end, write_plan_file, run_check_cli):
    """A plan of 9999 with continuous work ended `check` (and every command) in "internal error"
    (year 10000 is out of range), where without it the located `period-years` error was given."""
    text = ("plan:\n  id: z\n  title: x\n  issuers: [a]\n"
            f"  period: {{start: {start}, end: {end}}}\n"
            "bodies:\n  - {id: a, name: A, kind: state}\n"
            "tasks:\n  - {id: t, title: x, lead: [a], deadline: continuous}\n")
    code, out, err = run_check_cli(write_plan_file(text))
    assert code == 1 and "[period-years]" in out and "nội bộ" not in err


def test_a_check_comment_is_a_comment_not_a_line_of_a_block_of_text():
    """'# kiểm tra:' inside a `|-` description is the text's words, not a comment left to confirm
    (it was warned of as one, in any plan since comments are looked for outside drafts too)."""
    from kehoach.plan.checks import check_comments_left

    text = ("tasks:\n  - id: A\n    # kiểm tra: a comment\n    description: |-\n      Text\n"
            "      # kiểm tra: the text's own line\n\n      more\n    title: x\n  # kiểm tra: another\n"
            "  - id: B\n    note: >\n      # kiểm tra: folded text\n")
    assert [d.line for d in check_comments_left(text)] == [3, 10]
