"""The located tree built from the parser's events (plan/eventread.py) is the composed reading's
own: the same raw tree, the same position for every key and value, the same diagnostics, with
ruamel's C parser and with its pure one; texts it does not read itself go to the composed reading.
A message's line and column come from these positions: a wrong one sends an official to the
wrong line of the plan."""

from __future__ import annotations

import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import kehoach.base.settings as kehoach_settings
from kehoach.plan import eventread
from kehoach.plan.source import _has_clib, read_yaml
from test_differential import CASES, mutations

PARSERS = ["c", "pure"]

SHAPES = [
    "a:\nb: x\n", "a:   # a comment\nb:\n", "a:", "a: 1\na: 2\n", "? [1]\n: x\nb: 1\n", "[a, b]: 1\nc: 2\n",
    "- a\n- b: \n  c:\n", "a: {b: , c: [1, ]}\n", "a: \"\\ud800\"\n", "a: \"\\U0001F600\"\n", "a: 1\r\nb:\r\n",
    "\ufeffa: 1\n", "", "# only a comment\n", "x\n", "- 1\n- 2\n", "{a: 1, a: 2}\n", "a: 1\n  b: 2\n", "a: [\n",
    "a: yes\nb: 0o17\nc: .inf\nd: ~\ne: 2021-01-01\nf: 1_000\ng: 0x1F\nh: .nan\ni: -.inf\n",
    "%YAML 1.1\n---\na: yes\nb: 017\n", "a:\n  - b:\n    c: 1\n", "1: a\ntrue: b\n1.5: c\nnull: d\n",
    "a: |\n  x\n  y\nb: >-\n  z\n", "--- \na: 1\n--- \nb: 2\n", "<<: {a: 1}\nb: 2\n", "a: !!str 1\n",
    "a: &x 1\nb: *x\n", "? a\n? b\n", "a:\n\tb: 1\n", "a: 'it''s'\nb: \"q\\\"\"\n", "[[[[]]]]\n",
    "tasks:\n  - id: T1\n    lead: [a, a]\n    lead: [b]\n", "a: 1\n...\n", "---\n", "a: b: c\n",
]


def _canon(value):
    """The tree with every type spelt out (1 and 1.0 and True differ, NaN equals itself)."""
    if isinstance(value, dict):
        return ("map", [(_canon(k), _canon(v)) for k, v in value.items()])
    if isinstance(value, list):
        return ("seq", [_canon(v) for v in value])
    if isinstance(value, float) and math.isnan(value):
        return ("float", "nan")
    return (type(value).__name__, repr(value))


@pytest.fixture(params=PARSERS)
def parser(request, monkeypatch):
    if request.param == "c" and not _has_clib():
        pytest.skip("no C parser (ruamel.yaml.clib missing): the pure parser only")
    monkeypatch.setattr(kehoach_settings, "_current", kehoach_settings.Settings(pure_parser=request.param == "pure"))
    return request.param


def _alike(text: str) -> None:
    composed, composed_problems = read_yaml(text, keep_nodes=True, located=True)  # nodes kept: composed
    built, built_problems = read_yaml(text, located=True)
    assert built_problems == composed_problems
    assert (built is None) == (composed is None)
    if composed is None:
        return
    assert _canon(built.data) == _canon(composed.data)
    assert dict(built.values) == dict(composed.values)
    assert dict(built.keys) == dict(composed.keys)
    for path, pos in composed.values.items():  # looked up one by one, as a message is placed
        assert path in built.values and built.values[path] == pos
        assert built.value_pos(path + ("missing",)) == composed.value_pos(path + ("missing",))
    for path, pos in composed.keys.items():
        assert built.keys[path] == pos
    assert () not in built.keys and ("nowhere",) not in built.values
    unlocated, problems = read_yaml(text, located=False)
    assert problems == composed_problems and _canon(unlocated.data) == _canon(composed.data)
    # the second reading of a plan: its positions laid over the tree the first reading made
    over, over_problems = read_yaml(text, located=True, tree=unlocated.data)
    assert over_problems == composed_problems
    assert _canon(over.data) == _canon(composed.data)
    assert dict(over.values) == dict(composed.values) and dict(over.keys) == dict(composed.keys)


@pytest.mark.parametrize("text", SHAPES, ids=[f"shape{i}" for i in range(len(SHAPES))])
def test_shapes_are_read_as_the_composed_reading_reads_them(text, parser):
    _alike(text)


@pytest.mark.parametrize("text", CASES[:6], ids=[f"case{i}" for i in range(6)])
def test_generated_and_shipped_plans_are_placed_alike(text, parser):
    _alike(text)


@pytest.mark.slow
@pytest.mark.parametrize("text", CASES[6:], ids=[f"case{i}" for i in range(6, len(CASES))])
def test_mutated_plans_are_placed_alike(text, parser):
    _alike(text)


@pytest.mark.parametrize("text", [m for i, t in enumerate(SHAPES) if t.strip() for m in mutations(t, i, 4)])
def test_mutated_shapes_are_read_alike(text, parser):
    _alike(text)


_PIECES = ["{a: ", "[x, ", "}", "]", ", ", "k:", "\n  ", ": |\n", "- {", "a", "1", ":", " ", "\n", "-", "[", "{",
           ",", "#", "'", '"', "|", ">", "  ", "- ", ": ", "b: c\n", "  - x\n", "a: 1\n", "? ", "~", "null", "k: \n",
           "a:\n", "\t", "é", "<<: ", "a: 2\n"]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@pytest.mark.slow  # about half a second or more here: CI runs it (.ci/run)
@given(st.lists(st.sampled_from(_PIECES), min_size=1, max_size=14))
def test_yaml_like_text_is_read_alike(parser, pieces):
    _alike("".join(pieces) + "\n")


@pytest.mark.parametrize("other", [
    {"plan": {"id": "x"}, "tasks": [{"id": "T1"}]},  # an item fewer
    {"plan": {"id": "x"}, "tasks": [{"id": "T1"}, {"id": "T2", "title": "t"}], "extra": 1},  # a key more
    {"tasks": [{"id": "T1"}, {"id": "T2", "title": "t"}], "plan": {"id": "x"}},  # another order
    {"plan": {"id": "x"}, "tasks": [{"id": "T1"}, {"id": "T2", "title": ["t"]}]},  # a list for a scalar
    {"plan": {"id": "x"}, "tasks": {"T1": 1}},  # a mapping for a sequence
    {"plan": {"id": "x"}, "tasks": [{"id": "T1"}, {"id": "T2", "name": "t"}]},  # another key
    [1, 2],
])
def test_a_tree_that_is_not_the_texts_is_not_located(other):
    """The positions are laid over the first reading's tree only where that tree is this text's;
    any other tree is refused, and the text read whole."""
    text = "plan: {id: x}\ntasks:\n  - id: T1\n  - id: T2\n    title: t\n"
    with pytest.raises(eventread.Unsupported):
        eventread.read(text, pure=True, tree=other)
    doc, problems = read_yaml(text, located=True, tree=other)
    assert not problems and doc.data == {"plan": {"id": "x"}, "tasks": [{"id": "T1"}, {"id": "T2", "title": "t"}]}
    assert doc.value_pos(("tasks", 1, "title")) == (5, 12)


def test_what_the_event_reader_leaves_to_the_composed_reading():
    for text in ["a: &x 1\nb: *x\n", "a: !!str 1\n", "<<: {a: 1}\nb: 2\n", "a: 1\n---\nb: 2\n",
                 "[" * 300 + "]" * 300 + "\n"]:
        with pytest.raises(eventread.Unsupported):
            eventread.read(text, pure=True)


def test_a_large_plan_keeps_its_positions_in_a_few_arrays():
    """The point of the event reader: the positions of a plan of hundreds of tasks are held in
    one array and a small record per mapping or sequence, under a quarter of the bytes of the
    composed reading's tables (an entry, a path and a pair for each key and each value)."""
    import sys

    from plans_for_tests import generator

    text = generator().plan_text(300, seed=1)
    data, values, keys, problems = eventread.read(text, pure=True)
    assert not problems and len(values) > 3000 and len(keys) == len(values) - 1
    held = values._table.nbytes()
    composed, _ = read_yaml(text, keep_nodes=True, located=True)
    tables = sum(sys.getsizeof(table) + sum(sys.getsizeof(p) + sys.getsizeof(v) for p, v in table.items())
                 for table in (composed.values, composed.keys))
    assert held * 4 < tables
