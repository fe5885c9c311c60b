"""The quick paths give the same answers as the slow ones, on generated and mutated plans:

- a plan is first read without positions, and again with them only when something is to be
  reported: the result must be what the located reading alone gives;
- ruamel's C parser (ruamel.yaml.clib, a speed-up) and its pure-Python parser read the same data;
- a plan from the cache is the plan read afresh.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

import kehoach.plan.loader as loader
from kehoach.plan.source import read_yaml
from plans_for_tests import generator

ROOT = Path(__file__).resolve().parent.parent


GENERATED = [generator().plan_text(60, seed=s) for s in range(4)]
SHIPPED = [(ROOT / "plans" / "2021.yaml").read_text(encoding="utf-8"),
           (ROOT / "examples" / "demo.yaml").read_text(encoding="utf-8")]


def mutations(text: str, seed: int, n: int = 12) -> list[str]:
    """Small edits a careless hand makes: a line dropped or doubled, a value's type changed, an id
    renamed, a date shifted, a character injected."""
    rng = random.Random(seed)
    lines = text.splitlines(keepends=True)
    out = []
    for _ in range(n):
        edited = list(lines)
        i = rng.randrange(len(edited))
        match rng.randrange(6):
            case 0:
                del edited[i]
            case 1:
                edited.insert(i, edited[i])
            case 2:
                edited[i] = edited[i].replace(": ", ": [", 1)
            case 3:
                edited[i] = edited[i].replace("2021-", "2012-", 1)
            case 4:
                edited[i] = edited[i].replace("id: ", "id: x", 1)
            case _:
                at = rng.randrange(len(edited[i]) + 1)
                junk = rng.choice(["\t", "&a ", "*b", "!!str ", "\u00a0", "{", "'"])
                edited[i] = edited[i][:at] + junk + edited[i][at:]
        out.append("".join(edited))
    return out


def _summary(loaded):
    return ([(d.code, d.severity, d.line, d.col, d.loc, d.message("en")) for d in loaded.diagnostics],
            loaded.plan)


CASES = [t for t in GENERATED + SHIPPED] + [m for i, t in enumerate(GENERATED + SHIPPED) for m in mutations(t, i)]


@pytest.mark.parametrize("text", CASES, ids=[f"case{i}" for i in range(len(CASES))])
def test_quick_reading_answers_as_the_located_one(text):
    quick = loader.load_text(text, "plan.yaml")
    located = loader._load_text(text, "plan.yaml", True, None, False, located=True)
    assert _summary(quick) == _summary(located)


@pytest.mark.parametrize("text", CASES[:12], ids=[f"case{i}" for i in range(12)])
def test_the_c_parser_and_the_pure_parser_read_the_same(text, monkeypatch):
    from kehoach.plan.source import _has_clib

    if not _has_clib():
        pytest.skip("no C parser (ruamel.yaml.clib missing or KEHOACH_YAML_PARSER=pure): one parser only")
    fast, fast_problems = read_yaml(text)
    monkeypatch.setenv("KEHOACH_YAML_PARSER", "pure")
    pure, pure_problems = read_yaml(text)
    assert (fast.data if fast else None) == (pure.data if pure else None)
    assert [(d.code, d.line, d.col) for d in fast_problems] == [(d.code, d.line, d.col) for d in pure_problems]


def test_a_plan_from_the_cache_is_the_plan_read_afresh(tmp_path, monkeypatch):
    from kehoach.base import settings

    monkeypatch.setattr(settings, "_current", settings.Settings(cache=tmp_path / "cache"))  # as the command line's
    for i, text in enumerate(GENERATED + SHIPPED):
        path = tmp_path / f"p{i}.yaml"
        path.write_text(text, encoding="utf-8")
        first = loader.load_plan(path)
        again = loader.load_plan(path)
        assert _summary(again) == _summary(first)
    assert list((tmp_path / "cache").rglob("*.pickle")), "the plans were kept: the second reads came from the cache"


# ---------------------------------------------------------------- the checks of words: one look at a clean file

_WORDY = ["plain words", "Sở Nội vụ", "Nghi\u0323 quyê\u0301t", "x\u0301", "\u0301 alone", "…", "...", " … ", 'năm "…"',
          "“…”", "tab\there", "é", "ti§n", "Tæng kÕt", "Ho¹t ®éng", "Ðaêng kyù", "cañ boä", "\\u00e9", "\\x1b[31m",
          "\\e", "\\N", "\\u200b", "\\t", "it''s", "a\u200bb", "©", "±", "ÿ", "\\\\", "v.v...", "....", "x ...",
          "... x", " ... ", "...,", "[...]", "... # c"]


def _with_words(words: list[str], styles: list[int]) -> str:
    """plans/2021.yaml's first task with its title and a description holding `words`, each in a
    style of scalar (plain, single-quoted, double-quoted, literal, folded)."""
    lines = []
    for i, (word, style) in enumerate(zip(words, styles, strict=False)):
        if style == 0 and not word.startswith((" ", "'", '"', "“", "…", "...", "\\", "\u0301")):
            lines.append(f"  w{i}: x {word}")
        elif style == 1 and "\\" not in word:
            lines.append(f"  w{i}: '{word}'")
        elif style == 2:
            lines.append(f'  w{i}: "{word}"')
        else:
            lines.append(f"  w{i}: {'|' if style == 3 else '>-'}\n    {word}\n    again {word}")
    return "\n".join(["plan:", *lines, ""])


@pytest.mark.parametrize("text", CASES[:20] + [_with_words(_WORDY, [i % 5 for i in range(len(_WORDY))]),
                                              _with_words(_WORDY, [(i + 2) % 5 for i in range(len(_WORDY))])],
                         ids=[f"case{i}" for i in range(22)])
def test_the_checks_of_words_answer_alike_with_the_file_text(text, monkeypatch):
    from kehoach.plan import checks

    quick = loader.load_text(text, "plan.yaml")
    doc, _ = read_yaml(text)
    if doc is not None and isinstance(doc.data, dict):
        assert checks.run_all(doc.data, doc, None, text) == checks.run_all(doc.data, doc, None)
    monkeypatch.setattr(checks, "text_is_clean", lambda text: False)
    slow = loader.load_text(text, "plan.yaml")
    assert _summary(quick) == _summary(slow)
    assert (quick.plan.model_dump() if quick.plan else None) == (slow.plan.model_dump() if slow.plan else None)


def test_words_in_any_style_are_warned_of_alike():
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from kehoach.plan import checks

    @settings(max_examples=150, deadline=None)
    @given(st.lists(st.sampled_from(_WORDY), min_size=1, max_size=6), st.lists(st.integers(0, 4), min_size=6,
                                                                                max_size=6))
    def same(words, styles):
        text = _with_words(words, styles)
        doc, _ = read_yaml(text)
        if doc is None or not isinstance(doc.data, dict):
            return
        assert checks.run_all(doc.data, doc, None, text) == checks.run_all(doc.data, doc, None)

    same()


def test_the_one_scan_finds_what_check_text_looks_for():
    """checks._unclean (one scan of a whole file) finds a character first_unprintable finds (but CR),
    a TCVN3 tell-tale, and VNI text exactly where base.text's own pattern does, on every short
    text of the letters that matter."""
    import itertools

    from kehoach.base.text import _TCVN3_STRONG, _legacy_patterns, first_unprintable
    from kehoach.plan.checks import _unclean

    legacy = _legacy_patterns()
    for n in range(1, 4):
        for chars in itertools.product("aAyzZ1 \r\x1b\u200bù¸§øûõïÙØÛÕÏÿäëöüÄËÖÜñÑ", repeat=n):
            text = "".join(chars)
            expected = (first_unprintable(text.replace("\r", "")) is not None or bool(legacy.tcvn3_any.search(text))
                        or bool(legacy.vni.search(text)))
            assert bool(_unclean().search(text)) == expected, text
    assert all(_unclean().search(ch) for ch in _TCVN3_STRONG)


def test_an_ascii_id_is_folded_as_fold_does():
    """check_ids folds an ASCII id itself (lower case, spaces squeezed), as base.text.fold would."""
    import itertools

    from kehoach.base.text import fold

    for n in range(0, 5):
        for chars in itertools.product("aZ1 \t\n\r\x0b\x0c\x1c\x1f.-", repeat=n):
            ident = "".join(chars)
            assert " ".join(ident.lower().split()) == fold(ident), repr(ident)


def test_the_tasks_are_walked_in_the_same_order():
    """checks.iter_raw_tasks (one stack) yields what the walk it replaced (a generator per level)
    yields, in the same order, on trees of any shape."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from kehoach.plan.checks import iter_raw_tasks

    def walk(items, path):
        for i, task in enumerate(items if isinstance(items, list) else []):
            if isinstance(task, dict):
                yield path + (i,), task
                yield from walk(task.get("subtasks"), path + (i, "subtasks"))

    leaf = st.one_of(st.none(), st.integers(0, 3), st.text("ab", max_size=2))
    tasks = st.recursive(st.lists(st.one_of(leaf, st.just({}))), lambda inner: st.lists(st.one_of(
        leaf, st.fixed_dictionaries({"id": leaf}, optional={"subtasks": st.one_of(inner, leaf)}))), max_leaves=30)

    @settings(max_examples=200, deadline=None)
    @given(st.one_of(tasks, leaf))
    def same(items):
        data = {"tasks": items}
        assert [(p, id(t)) for p, t in iter_raw_tasks(data)] == [(p, id(t)) for p, t in walk(items, ("tasks",))]

    same()


_DATED = GENERATED + SHIPPED + CASES[:30]


@pytest.mark.parametrize("text", _DATED, ids=[f"t{i}" for i in range(len(_DATED))])
def test_dates_are_checked_alike_with_each_deadline_read_once(text, monkeypatch):
    """check_dates reads each deadline text once and lists each deadline's periods once: the same
    warnings as listing them for every task."""
    from kehoach.plan import checks

    doc, _ = read_yaml(text)
    if doc is None or not isinstance(doc.data, dict):
        return
    once = checks.check_dates(doc.data)
    each = checks._check_progress
    monkeypatch.setattr(checks, "_check_progress", lambda *args: each(*args[:6]))
    assert once == checks.check_dates(doc.data)
