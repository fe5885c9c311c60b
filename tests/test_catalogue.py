"""The message catalogues: one per language, every word a user reads, none missing,
none unused, the same {placeholders} in every language, the compiled .mo in step
with its .po, and no word left in the code."""

from __future__ import annotations

import ast
import importlib.util
import re
from pathlib import Path

import pytest

from kehoach.base import deadlines, diagnostics, errors
from kehoach.base.messages import LANGS, MissingMessage, catalogue, render, text
from kehoach.judge import status
from kehoach.judge.evaluation import VERDICTS
from kehoach.life import diff, forms, migrate
from kehoach.outputs import export, terminal
from kehoach.plan import checks, problems, schema
from kehoach.views import reportview, rollupview

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src" / "kehoach"

# calls whose first argument is a message key (or a diagnostic's / an error's code)
KEY_CALLS = {"text", "has", "render", "Msg", "_say", "Diagnostic", "d", "_d", "KehoachError", "UsageError",
             "LogError", "RenderError", "ReportError", "OutputError", "FilterError", "ScopeError", "WriteError",
             "CodedValueError", "DeadlineError"}


def _tool():
    spec = importlib.util.spec_from_file_location("catalogue_tool", ROOT / "tools" / "catalogue.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _sources() -> dict[Path, ast.Module]:
    return {p: ast.parse(p.read_text(encoding="utf-8")) for p in sorted(SRC.rglob("*.py"))}


def _called_keys() -> set[str]:
    """Keys written literally as the first argument of a call that words a message."""
    out = set()
    for tree in _sources().values():
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None
            first = node.args[0]
            if name in KEY_CALLS and isinstance(first, ast.Constant) and isinstance(first.value, str):
                out.add(first.value)
    return out


def _help_keys() -> set[str]:
    """`help="@opt.plan"` in the command line: the key `help.opt.plan`."""
    text_ = (SRC / "cli" / "app.py").read_text(encoding="utf-8")
    return {"help." + k for k in re.findall(r'help="@([a-z0-9.-]+)"', text_)}


def _metavar_keys() -> set[str]:
    """The words naming each value an option or argument takes (`metavar.<command>.<param>`, else
    `metavar.<param>`): every one of every command needs one."""
    import typer

    from kehoach.cli.app import app

    out = set()
    for name, command in typer.main.get_command(app).commands.items():
        for param in command.params:
            if not getattr(param, "is_flag", False):
                own = f"metavar.{name}.{param.name}"
                out.add(own if own in catalogue("vi") else f"metavar.{param.name}")
    return out


def _families() -> set[str]:
    """Keys the code builds from a known list (`status.<code>`, `kind.<kind>` …)."""
    out = {f"status.{c}" for c in status.STATUS_CODES}
    out |= {f"verdict.{v}" for v in VERDICTS}
    out |= {f"severity.{s}" for s in diagnostics.SEVERITIES}
    out |= {f"kind.{k}" for k in checks.KINDS}
    out |= {f"type.{t}" for t in problems.TYPE_NAMES} | {f"example.{e}" for e in problems.EXAMPLES}
    out |= {f"os.{n}" for n in errors.OS_REASONS}
    out |= _metavar_keys()
    out |= {f"month.{m}" for m in range(1, 13)} | {"weekday.5", "weekday.6"}
    out |= {f"every.{e}" for e in deadlines.EVERY} | {f"review.{e}" for e in deadlines.EVERY}
    out |= {f"{p}.{k}" for p in ("period", "period-short") for k in ("Q", "M", "H1", "H2", "9M", "Y")}
    out |= {f"status-table.{c}" for c in terminal.COLUMNS}
    out |= {f"diff.{k}" for k in ("added", "removed", "renamed")}
    out |= {f"diff.kind.{k}" for k in diff.TASK_KINDS} | {f"diff.kind-other.{k}" for k in diff.TASK_KINDS}
    out |= {f"diff.field.{f}" for f in diff.TASK_FIELDS}
    out |= {f"diff.key.{k}" for k in diff.OTHER_KEYS} | {f"diff.part.{p}" for p in diff.OTHER_PARTS}
    out |= {f"diff.other-{k}" for k in ("added", "removed")}
    out |= {f"form.col.{c}" for c in forms.COLUMNS} | {f"form.role.{r}" for r in ("lead", "member", "support")}
    out |= {f"report.block.{b}" for b in reportview.BLOCKS} | {f"report.tally.{w}" for w in reportview.TALLY_WORDS}
    out |= {f"collect.kind.{k}" for k in ("result", "difficulty", "proposal")}
    out |= {f"fix-unsure.{r}" for r in migrate.REASONS}
    out |= {f"export.col.{c}" for c in export.COLUMNS}
    out |= {f"rollup.col.{c}" for c in rollupview.PLAN_COLUMNS + rollupview.BODY_COLUMNS}
    out |= schema.word_keys()  # model.<Class>, field.<Class>.<field>: the words of the plan format
    out |= {f"schema.col.{c}" for c in schema.COLUMNS} | {f"schema.type.{t}" for t in schema.TYPE_WORDS}
    return out


def _template_words() -> set[str]:
    """`w.results` in a template (or the Word template builder): the key `doc.results`."""
    out = set()
    for path in list((ROOT / "templates").glob("*.j2")) + [ROOT / "tools" / "make_docx_templates.py"]:
        out |= {f"doc.{w}" for w in re.findall(r"\bw\.([a-z_]+)", path.read_text(encoding="utf-8"))}
    return out


def _literals() -> set[str]:
    out = set()
    for tree in _sources().values():
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                out.add(node.value)
    return out


def _required() -> set[str]:
    return _called_keys() | _help_keys() | _families() | _template_words()


@pytest.mark.slow  # about half a second or more here: CI runs it (.ci/run)
def test_every_key_the_code_uses_is_in_every_catalogue():
    required = _required()
    for lang in LANGS:
        missing = sorted(k for k in required if k not in catalogue(lang) and not k.endswith("."))
        assert missing == [], f"{lang}: used but missing: {missing}"


@pytest.mark.slow  # a second or more: CI runs it (.ci/run); -m 'not slow' stays well under 3 minutes


def test_no_key_is_defined_but_unused():
    keys = set(catalogue("vi"))
    used = _required() | (_literals() & keys)
    used |= {k for k in keys if k.startswith("heading.")}  # the usual sections, matched by their title
    codes = {k for k in used if "." not in k}
    used |= {f"{c}.hint" for c in codes} | {f"log-hint-{c}" for c in codes}
    assert sorted(keys - used) == []


def test_same_keys_and_placeholders_in_every_language():
    tool = _tool()
    assert tool.problems({lang: tool.read(lang) for lang in LANGS}) == []


def test_the_compiled_catalogues_are_what_the_po_files_say():
    tool = _tool()
    for lang in LANGS:
        mo = SRC / "locale" / lang / "LC_MESSAGES" / "kehoach.mo"
        assert mo.read_bytes() == tool.compiled(lang), f"{mo} is stale: run python tools/catalogue.py"


def test_a_missing_message_is_an_error_not_a_fallback():
    with pytest.raises(MissingMessage):
        text("khong-co-thong-diep-nay", "vi")
    with pytest.raises(MissingMessage):
        render("khong-co-ma-nay", "message", {}, "en")
    assert render("file-not-found", "hint", {}, "vi")  # a hint, where there is one
    assert render("yaml-recursive-alias", "hint", {}, "vi") == ""  # none: no hint, not an error


def test_a_missing_placeholder_is_an_error():
    with pytest.raises(KeyError):
        text("file-not-found", "vi")


def test_placeholder_specs():
    assert text("date.long", "vi", d=4, m=1, y=2021) == "ngày 04 tháng 01 năm 2021"
    assert text("date.long", "vi", d=30, m=6, y=2021) == "ngày 30 tháng 6 năm 2021"
    assert text("date.long", "en", d=4, m=1, y=2021) == "4 January 2021"
    assert text("period.Q", "vi", n=2, y=2021) == "quý II năm 2021"
    assert text("citation", "vi", number="04-KH", issued="", issuers="A", title="Phối hợp thực hiện") == \
        "Kế hoạch số 04-KH của A về phối hợp thực hiện"


def test_no_words_in_code_branches_on_the_language():
    """No `lang ==` branch and no {"vi": …} literal outside the catalogues."""
    for path in SRC.rglob("*.py"):
        body = path.read_text(encoding="utf-8")
        assert not re.search(r"\blang\s*[!=]=", body), path
        assert '{"vi":' not in body and "{'vi':" not in body, path


def test_a_count_is_said_with_its_noun_in_the_number_it_takes():
    """English counts: "1 task", "2 tasks" ("1 tasks suspended" was printed); a count given as
    text is counted alike."""
    from kehoach.base.messages import text

    assert text("report.tally.suspended", "en", n=1) == "1 task suspended"
    assert text("report.tally.suspended", "en", n=2) == "2 tasks suspended"
    assert text("report.tally.suspended", "en", n="1") == "1 task suspended"
    assert text("report.tally.suspended", "vi", n=1) == text("report.tally.suspended", "vi", n="1")


def test_every_field_a_diff_compares_has_its_words():
    """A field added to a part of the plan `diff` compares (a cadence's `drafting`) must have its
    `diff.key.*` words, or every diff touching it stops with a missing message (CI found one; a
    change of the standing units, `reporting.standing`, was an internal error since it was added)."""
    from kehoach.life import diff
    from kehoach.plan import model

    compared = [model.PlanInfo, model.Section, model.Body, model.Reference, model.Objective, model.Meeting,
                model.Topic, model.Reporting, model.Cadence]
    fields = {f for m in compared for f in m.model_fields} - {"topics", "cadences"}  # each item compared apart
    missing = sorted(f for f in fields if f not in diff.OTHER_KEYS)
    assert not missing, missing

