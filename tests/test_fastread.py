"""The quick reading through yaml-rs (the `fast` extra) gives the very tree ruamel gives, or steps
aside: on generated, shipped and damaged plans, on every form of scalar whose type depends on how
it is written, and on every shape the two readers take differently (those must step aside).
`load_text` answers the same with the accelerators on and off (KEHOACH_NO_ACCEL=1)."""

from __future__ import annotations

import itertools
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import kehoach.base.settings as kehoach_settings
from kehoach.plan import fastread, loader
from kehoach.plan.source import _MARKUP, read_yaml
from plans_for_tests import generator
from test_differential import CASES, GENERATED, SHIPPED

pytest.importorskip("yaml_rs", reason="the fast extra (yaml-rs) is not installed: one reader only")


@pytest.fixture(autouse=True)
def _accel_on(monkeypatch):
    """The quick reading in use, whatever KEHOACH_NO_ACCEL this run was started with."""
    monkeypatch.setattr(kehoach_settings, "_current", kehoach_settings.Settings(accel=True))


def _canon(value):
    """The tree with every type spelt out (1 and 1.0 and True differ, NaN equals itself)."""
    if isinstance(value, dict):
        return ("map", [(_canon(k), _canon(v)) for k, v in value.items()])
    if isinstance(value, list):
        return ("seq", [_canon(v) for v in value])
    return (type(value).__name__, repr(value))


def _ruamel(text):
    before = kehoach_settings._current
    kehoach_settings._current = kehoach_settings.Settings(accel=False)
    try:
        return read_yaml(text, located=False)
    finally:
        kehoach_settings._current = before


def _quick(text: str):
    """What `read_yaml(text, located=False)` takes from the quick reading: (tree,) or None."""
    text = text.removeprefix("\ufeff")
    if _MARKUP.search(text):
        return None
    return fastread.quick_tree(text)


def _same_or_aside(text: str) -> bool:
    """Whether the quick reading took `text` (True) or stepped aside (False); it fails the test
    when it took it and ruamel reads something else or reports anything."""
    quick = _quick(text)
    if quick is None:
        return False
    doc, problems = _ruamel(text)
    assert doc is not None and not problems, f"the quick reading took a text ruamel refuses: {text!r}"
    assert _canon(quick[0]) == _canon(doc.data), text
    fast_doc, fast_problems = read_yaml(text, located=False)
    assert fast_doc is not None and not fast_problems and _canon(fast_doc.data) == _canon(doc.data)
    return True


def _summary(loaded):
    return ([(d.code, d.severity, d.line, d.col, d.loc, d.message("en")) for d in loaded.diagnostics],
            loaded.plan.model_dump() if loaded.plan is not None else None, loaded.catalogue)


def test_generated_and_shipped_plans_are_read_quickly_and_alike():
    texts = GENERATED + SHIPPED + [generator().plan_text(300, seed=7)]
    for text in texts:
        assert _same_or_aside(text), "a plain plan is read by the quick reading"


@pytest.mark.parametrize("text", CASES, ids=[f"case{i}" for i in range(len(CASES))])
def test_damaged_plans_answer_alike_with_and_without_the_accelerators(text, monkeypatch):
    _same_or_aside(text)
    fast = loader.load_text(text, "plan.yaml")
    monkeypatch.setattr(kehoach_settings, "_current", kehoach_settings.Settings(accel=False))
    slow = loader.load_text(text, "plan.yaml")
    assert _summary(fast) == _summary(slow)


# every shape the two readers take differently: each must go to ruamel (which also says where)
EDGES = [
    "a: 1\nb: &x {c: 1}\nd:\n  <<: *x\n  e: 2\n",  # merge key
    "b: &x {c: 1}\nd: *x\n",  # alias
    "a: !foo x\n", "a: !!binary aGk=\n", "a: !!str 1\n",  # tags
    "a: 1\na: 2\n",  # duplicate key
    "? [a]\n: x\n", "[a]: c\n", "{a: 1}: c\n",  # complex keys
    'a: "\\ud800"\n', 'a: "\\x07"\n', 'a: "\\u00e9"\n', 'a: "x\\\n  y"\n',  # escapes
    "\ufeffa: 1\nb: \ufeffx\n",  # a BOM inside
    "a: 1\n---\nb: 2\n", "%YAML 1.2\n---\na: 1\n", "--- \na: 1\n", "a: 1\n...\n",  # documents, directives
    "a: \x07\n", "a: x\x85y\n", "a: x\u2028y\n", "a: x\u2029y\n", "a:\tb\n", "a: 'x\ty'\n",  # controls, NEL
    "a: 1\rb: 2\n",  # CR alone
    "null: 1\n", "~: 1\n", "1.5: x\n", "1: a\n1.0: b\n", "true: a\n1: b\n",  # keys kehoach turns to text
    "a: _1\n", "a: .5e3\n", "a: 1_000\n", "a: 0x1F\n", "a: 0o17\n", "a: 1e3\n", "a: .NaN\n", "a: .iNf\n",  # numbers
    "a: |\n", "a: >-\n", "a:\n  b: |\n\n",  # an empty block scalar at the end
    "a: x", "a: |\n  x",  # no line break at the end
    "{a: |b}\n", "[x, >a]\n", "{a: >-\n  x\n}\n", "[x, ?a]\n", "{:a: b}\n", "{k:}\n", " {k:x\n  : \n}\n",  # flow
    "1: {é\na: 2021-01-01}\nid: \n", "a: [x,\n  y]\n", "a: {b: [1],\n  c: 2}\n",  # flow over lines
    "a: [x, # c ]\n  y]\n",
    "k" * 1100 + ": v\n", "- - - a\n",  # a key past 1024 characters; not a mapping
    "- 1\n- 2\n", "just text\n", "",  # not a mapping
    "a: " + "1" * 4301 + "\n", "a: [x, -" + "9" * 5000 + "]\n",  # more digits than Python makes a number of
    "a: " + "[" * 510 + "]" * 510 + "\n", "".join(" " * 10 * i + "k:\n" for i in range(60)),  # deeper than C bears
]


@pytest.mark.parametrize("text", EDGES, ids=[f"edge{i}" for i in range(len(EDGES))])
def test_shapes_read_differently_go_to_ruamel(text, monkeypatch):
    assert _quick(text) is None
    fast = loader.load_text(text, "plan.yaml")
    monkeypatch.setattr(kehoach_settings, "_current", kehoach_settings.Settings(accel=False))
    assert _summary(fast) == _summary(loader.load_text(text, "plan.yaml"))


def test_without_the_accelerators_or_with_the_pure_parser_ruamel_reads(monkeypatch):
    text = "a: 1\n"
    assert fastread.quick_tree(text) == ({"a": 1},)
    monkeypatch.setattr(kehoach_settings, "_current", kehoach_settings.Settings(accel=False))
    assert fastread.quick_tree(text) is None
    monkeypatch.setattr(kehoach_settings, "_current", kehoach_settings.Settings(pure_parser=True))
    assert fastread.quick_tree(text) is None


_NUMBERISH = st.text(alphabet="0123456789._+-eExXoObBinfaINFNul~", min_size=1, max_size=7)
_WORDS = st.sampled_from(["yes", "no", "on", "off", "y", "n", "true", "True", "TRUE", "tRUE", "false", "False",
                          "null", "Null", "NULL", "nULL", "~", "", "2021-07-01", "2021-7-1", "2021-07-01T10:00:00",
                          "2021-07-01 10:00:00 +07:00", "12:30", "1:20", "190:20:30", ".inf", "-.inf", "+.inf",
                          ".Inf", ".INF", ".nan", ".NaN", ".NAN", "0.", "-0.0", "+1", "017", "-017", "08", "1.000",
                          "1.000.000", "1.", ".5", "-.5", "9999999999999999999999", "0b101", "Sở TN&MT", "50%"])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(word=st.one_of(_NUMBERISH, _WORDS), shape=st.sampled_from(
    ["a: {}\n", "{}: a\n", "a:\n- {}\n", "a: [{}, x]\n", "a: {{b: {}}}\n", "a: '{}'\n", 'a: "{}"\n', "a:\n  {}\n"]))
def test_every_form_of_scalar_is_typed_alike(word, shape):
    text = shape.format(word)
    _same_or_aside(text)


_LINE = st.text(alphabet="ab1 .:-#'\"é|>", max_size=12)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lines=st.lists(_LINE, min_size=1, max_size=4), header=st.sampled_from(["|", "|-", "|+", ">", ">-", ">+", "|2",
                                                                              ">1-"]),
       indent=st.sampled_from(["  ", "   ", "    "]), blank=st.sampled_from(["", "\n", "\n\n", "  \n"]))
def test_block_scalars_and_their_chomping_are_read_alike(lines, header, indent, blank):
    body = "".join(indent + (" " if i % 3 == 2 else "") + line.rstrip() + "\n" + (blank if i == 0 else "")
                   for i, line in enumerate(lines))
    _same_or_aside(f"a: {header}\n{body}b: end\n")
    _same_or_aside(f"a:\n  - {header}\n{indent}{body}c: x\n")


_PIECES = ["{a: ", "[x, ", "}", "]", ", ", "k:", "\n  ", ": |\n", "- {", "a", "1", ":", " ", "\n", "-", "[", "{",
           ",", "#", "'", '"', "|", ">", ".", "  ", "- ", ": ", "b: c\n", "  - x\n", "\\n", '\\"', "+", "é", "~",
           "null", "true", "''", '""', "|-", ">+", "|2", "?", "x?", " ? ", "k: >-\n  t\n"]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(_PIECES), min_size=1, max_size=14))
def test_yaml_like_text_is_read_alike_or_left_to_ruamel(pieces):
    _same_or_aside("".join(pieces) + "\n")


def test_the_markup_scan_finds_what_the_old_one_found():
    """_MARKUP begins with the sign itself (a quicker scan): it matches exactly where the pattern
    it replaced did, on every short text of the characters that matter."""
    old = re.compile(r"(?:^|[\s\[\]{},:?-])(?:[&*][^\s\[\]{},]|!)", re.M)
    for n in range(1, 5):
        for chars in itertools.product("&*! \n-a[]{},:?\t", repeat=n):
            text = "".join(chars)
            assert bool(old.search(text)) == bool(_MARKUP.search(text)), text
    assert _MARKUP.search("short: Sở TN&MT\nname: KKT Dung Quất & KCN\n") is None
    assert _MARKUP.search("a: &x 1\nb: *x\n") is not None


@pytest.fixture
def in_pieces(monkeypatch):
    """Every text read in pieces, three tasks to a piece (a large plan's way, on small texts)."""
    monkeypatch.setattr(fastread, "PIECES_FROM", 0)
    monkeypatch.setattr(fastread, "TASKS_PER_PIECE", 3)


@pytest.mark.parametrize("text", GENERATED + SHIPPED + CASES + EDGES,
                         ids=[f"text{i}" for i in range(len(GENERATED + SHIPPED + CASES + EDGES))])
def test_a_text_read_in_pieces_is_the_text_read_whole(text, in_pieces):
    _same_or_aside(text)


def test_plans_are_read_in_pieces(in_pieces, monkeypatch):
    calls = []
    loads = fastread._loads
    monkeypatch.setattr(fastread, "_loads", lambda text: calls.append(text) or loads(text))
    text = generator().plan_text(30, seed=3)
    assert _same_or_aside(text)
    assert len(calls) > 10 and all(len(piece) < len(text) / 2 for piece in calls)


@pytest.mark.parametrize("text", [
    "a: 1\ntasks:\n  - id: x\n    d: |\n  - id: y\nb: 2\n",  # an empty block scalar at a cut
    "a: 1\nb: |\nc: 2\n",
    'a: "x\nb: y"\nc: 1\n',  # a line at column 0 inside a quoted scalar
    "a: 1\nb: 2\na: 3\n",  # a key twice, in two pieces
    "tasks:\n  - a\n  - b\n - c\n  - d\n  - e\n",  # an item out of line
    "# c\n- a\n- b\nc: 1\n",
])
def test_texts_that_do_not_cut_are_read_alike(text, in_pieces, monkeypatch):
    _same_or_aside(text)
    fast = loader.load_text(text, "plan.yaml")
    monkeypatch.setattr(kehoach_settings, "_current", kehoach_settings.Settings(accel=False))
    assert _summary(fast) == _summary(loader.load_text(text, "plan.yaml"))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                   HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(_PIECES + ["\ntasks:\n", "\n  - ", "\n- ", "\nb:", "\na: |\n"]), min_size=1,
                max_size=14))
def test_yaml_like_text_in_pieces_is_read_alike_or_left_to_ruamel(in_pieces, pieces):
    _same_or_aside("".join(pieces) + "\n")


@pytest.mark.slow
@pytest.mark.parametrize("pieces", [False, True])
def test_windows_line_ends_are_read_alike(pieces, monkeypatch):
    if pieces:
        monkeypatch.setattr(fastread, "PIECES_FROM", 0)
        monkeypatch.setattr(fastread, "TASKS_PER_PIECE", 3)
    for text in GENERATED + SHIPPED:
        assert _same_or_aside(text.replace("\n", "\r\n"))
    for text in CASES:
        _same_or_aside(text.replace("\n", "\r\n"))


def test_a_percent_of_more_digits_than_python_prints_is_a_wrong_type_either_way(monkeypatch):
    """A percent of 4,301 digits: with the accelerator the plan was read into a number no message
    could print ("internal error", exit 3); now both readings say `wrong-type` at its place."""
    from test_differential import SHIPPED as texts

    demo = next(t for t in texts if "percent: 30" in t)
    text = demo.replace("percent: 30", "percent: " + "1" * 4301, 1)
    fast = loader.load_text(text, "plan.yaml")
    assert [d.code for d in fast.diagnostics if d.severity == "error"] == ["wrong-type"]
    monkeypatch.setattr(kehoach_settings, "_current", kehoach_settings.Settings(accel=False))
    assert _summary(fast) == _summary(loader.load_text(text, "plan.yaml"))
