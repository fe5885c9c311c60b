"""Every reader of untrusted text is linear (issue 20): for each reader and each hostile shape
(benchmarks/hostile.py: runs of spaces, tabs or no-break spaces in a task, blank lines inside a
paragraph, a repeated "(sau khi ", many document numbers, runs of capitals, many "chủ trì", dates
after blanked numbers), the work is timed at n, 2n and 4n, and the test fails when it grows faster
than about 2.5× per doubling. Growth, not a time: the absolute figures (400 KB of each shape) are
measured by benchmarks/run.py and recorded in docs/performance.md.

Each size is timed 3 times and the best kept (noise only ever adds). A quadratic step shows as 4×
per doubling, a cubic one as 8×; 2.5× leaves room for a machine's noise on a linear one. The
sizes start where the fixed cost of a draft no longer hides the growth.
"""

from __future__ import annotations

import importlib.util
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from kehoach.life.importer.draft import import_lines
from kehoach.life.importer.lines import Source
from kehoach.life.importer.match import load_catalogue
from kehoach.life.importer.read import read_document

# growth measured at n, 2n and 4n, best of three: seconds each; the CI run (`.ci/run`) runs them all
pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("hostile", ROOT / "benchmarks" / "hostile.py")
assert _spec and _spec.loader
hostile = importlib.util.module_from_spec(_spec)
sys.modules["hostile"] = hostile
_spec.loader.exec_module(hostile)

GROWTH = 2.5  # per doubling, at most
FLOOR = 0.02  # seconds: below this a timing is noise, and counts as this much
BUDGET = 8.0  # seconds a single run may take: past it the growth is plain (a quadratic step), stop there


def best(run: Callable[[], object], times: int = 3) -> float:
    out = float("inf")
    for _ in range(times):
        start = time.perf_counter()
        run()
        out = min(out, time.perf_counter() - start)
        if out > BUDGET:
            break
    return max(out, FLOOR)


def assert_linear(make: Callable[[int], Callable[[], object]], n: int, doublings: int = 2) -> None:
    """`make(size)` gives the work at that size; its time must grow at most GROWTH× per doubling
    (checked over the whole range too, so that two doublings cannot hide a quadratic step)."""
    sizes = [n * 2**k for k in range(doublings + 1)]
    took: list[float] = []
    for size in sizes:
        took.append(best(make(size)))
        assert took[-1] <= BUDGET, f"{size}: {took[-1]:.1f} s, past {BUDGET} s ({took})"
    steps = [b / a for a, b in zip(took, took[1:], strict=False)]
    said = ", ".join(f"{s}: {t:.3f} s" for s, t in zip(sizes, took, strict=True))
    whole = took[-1] / took[0]
    assert whole <= GROWTH ** doublings * 1.2 and max(steps) <= GROWTH * 1.6, \
        f"grows faster than linear: {said} (×{', ×'.join(f'{x:.1f}' for x in steps)})"


@pytest.fixture(scope="module")
def catalogue():
    return load_catalogue()


def _text_import(catalogue, shape: str) -> Callable[[int], Callable[[], object]]:
    def make(size: int) -> Callable[[], object]:
        lines = hostile.text(shape, size).splitlines()
        return lambda: import_lines(Source.from_texts(lines, name="p.txt"), catalogue)
    return make


# the shapes of issue 20, each at a size where a quadratic step would already show
SHAPES = [("spaces", 4000), ("tabs", 4000), ("nbsp", 4000), ("mixed-space", 4000), ("blank-lines", 10000),
          ("sau-khi", 5000), ("numbers", 5000), ("capitals", 20000), ("capitals-head", 20000),
          ("chu-tri", 5000), ("dates", 5000), ("labels", 5000)]


@pytest.mark.parametrize(("shape", "n"), SHAPES, ids=[s for s, _ in SHAPES])
def test_the_text_reader_and_the_draft_are_linear(catalogue, shape, n):
    assert_linear(_text_import(catalogue, shape), n)


@pytest.mark.slow
@pytest.mark.parametrize(("shape", "n"), SHAPES, ids=[s for s, _ in SHAPES])
def test_the_text_reader_and_the_draft_are_linear_at_larger_sizes(catalogue, shape, n):
    assert_linear(_text_import(catalogue, shape), n * 4)


@pytest.mark.parametrize("shape", ["spaces", "nbsp", "blank-lines", "numbers", "sau-khi"])
def test_the_word_reader_is_linear(catalogue, tmp_path, shape):
    def make(size: int) -> Callable[[], object]:
        path = tmp_path / f"{shape}-{size}.docx"
        path.write_bytes(hostile.docx(hostile.text(shape, size)))
        return lambda: import_lines(read_document(path), catalogue)
    assert_linear(make, 4000 if shape in ("spaces", "nbsp") else 5000)


@pytest.mark.parametrize("shape", ["spaces", "blank-lines", "numbers", "sau-khi", "capitals"])
def test_the_markdown_reader_is_linear(catalogue, tmp_path, shape):
    def make(size: int) -> Callable[[], object]:
        path = tmp_path / f"{shape}-{size}.md"
        path.write_text(hostile.text(shape, size), encoding="utf-8")
        return lambda: import_lines(read_document(path), catalogue)
    assert_linear(make, 4000 if shape == "spaces" else 5000)


@pytest.mark.parametrize("shape", ["spaces", "blank-lines", "numbers", "capitals"])
def test_the_pdf_layout_is_linear(shape):
    """The PDF reader's layout step (what pypdf's text becomes): pages of the hostile text."""
    from kehoach.life.importer.readpdf import _Layout

    def make(size: int) -> Callable[[], object]:
        pages = [hostile.text(shape, size)]
        return lambda: _Layout(pages)
    assert_linear(make, 4000 if shape == "spaces" else 20000)


def test_a_word_file_that_inflates_is_refused_before_it_is_parsed(tmp_path):
    from kehoach.life.importer.readdocx import MAX_XML, LargeDocx

    path = tmp_path / "big.docx"
    raw = hostile.inflating_docx(MAX_XML + 2**20)
    assert len(raw) < 2**20  # small on disk, within every size limit and the zip-bomb ratio
    path.write_bytes(raw)
    start = time.perf_counter()
    with pytest.raises(LargeDocx) as caught:
        read_document(path)
    assert time.perf_counter() - start < 2
    assert caught.value.detail == "import.docx-too-large" and caught.value.params["limit"] == MAX_XML // 2**20


def test_kehoach_import_says_why_a_word_file_is_refused(tmp_path):
    from kehoach.base.errors import UsageError
    from kehoach.base.messages import text
    from kehoach.life.importer.document import import_document
    from kehoach.life.importer.readdocx import MAX_XML

    path = tmp_path / "big.docx"
    path.write_bytes(hostile.inflating_docx(MAX_XML + 2**20))
    with pytest.raises(UsageError) as caught:
        import_document(path, None)
    assert "MB" in text(caught.value.params["detail"].key, "en", **caught.value.params["detail"].params)


def test_the_bracket_prescan_of_check_is_linear():
    """`kehoach check` on n nested flow brackets: the pre-scan made one pass per level."""
    from kehoach.plan.source import _bracket_bound, deep_at

    def make(size: int) -> Callable[[], object]:
        text = hostile.brackets(size)
        return lambda: (_bracket_bound(text), deep_at(text, 200))
    assert_linear(make, 20000)


def test_the_bracket_bound_never_falls_below_the_depth():
    import random

    from kehoach.plan.source import _bracket_bound

    rng = random.Random(20)
    for _ in range(2000):
        text = "".join(rng.choice("[]{}a") for _ in range(rng.randint(0, 40)))
        depth = deepest = 0
        for ch in text:
            depth += 1 if ch in "[{" else -1 if ch in "]}" else 0
            deepest = max(deepest, depth)
        assert _bracket_bound(text) >= deepest, text
    assert _bracket_bound("[" * 5 + "]" * 5) == 5 and _bracket_bound("]]]") == 0 and _bracket_bound("") == 0


@pytest.mark.slow
def test_kehoach_check_of_deep_brackets_is_linear(tmp_path):
    import subprocess

    def make(size: int) -> Callable[[], object]:
        path = tmp_path / f"b{size}.yaml"
        path.write_text(hostile.brackets(size), encoding="utf-8")
        env = {"KEHOACH_NO_CACHE": "1", "PATH": "/usr/bin:/bin"}
        return lambda: subprocess.run([sys.executable, "-m", "kehoach", "check", str(path)], capture_output=True,
                                      env=env, timeout=120)
    assert_linear(make, 15000)


def test_deadline_guesses_are_linear():
    from kehoach.base.deadlines import guess_deadlines

    def make(size: int) -> Callable[[], object]:
        text = ("(sau khi " * (size // 9)) + ("tháng 5" + " " * size + "x") + ("trước " + " " * size + "y")
        return lambda: guess_deadlines(text)
    assert_linear(make, 20000)


def test_the_years_init_moves_are_found_in_linear_time():
    """`init` read the words before each year from the start of the text: a description holding
    "năm 2020" ten thousand times took 21 s (the review of this session's diff)."""
    from kehoach.life.nextyear import _shift_words

    def make(size: int) -> Callable[[], object]:
        value = "năm 2020 và " * size
        return lambda: _shift_words(value, 2021, 2022)
    assert_linear(make, 2000)
