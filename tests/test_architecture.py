"""The stage order is a rule: data flows one way, and no import runs back up.

kehoach's packages are its stages, from the ground up (docs/architecture.md):

    base → plan → judge → views → outputs → life → api → cli

A module may import its own stage and the stages below it, never one above; no group of modules
imports each other in a circle. Every import counts: at the top of a module, inside a function,
and under `if TYPE_CHECKING:` alike (a type-only import is still a dependency a reader follows).
"""

from __future__ import annotations

import ast
import re
import shutil
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src" / "kehoach"
STAGES = ("base", "plan", "judge", "views", "outputs", "life", "api", "cli")


def module_name(root: Path, path: Path) -> str:
    parts = ["kehoach", *path.relative_to(root).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def stage_of(module: str) -> int:
    """The stage of a module: its sub-package; the package's own face (`kehoach`, `kehoach.api`)
    is the declared API; `kehoach.__main__` stands on the command line."""
    parts = module.split(".")
    if len(parts) == 1 or parts[1] == "api":
        return STAGES.index("api")
    if parts[1] == "__main__":
        return STAGES.index("cli")
    return STAGES.index(parts[1])


def imports(root: Path) -> dict[str, set[tuple[str, int]]]:
    """Each module's imports of kehoach's own modules, with the line of each."""
    paths = {module_name(root, p): p for p in root.rglob("*.py")}
    out: dict[str, set[tuple[str, int]]] = {}
    for module, path in paths.items():
        is_package = path.name == "__init__.py"
        found: set[tuple[str, int]] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = module.split(".")[: None if is_package else -1]
                    base = base[: len(base) - node.level + 1]
                    target = ".".join(base + ([node.module] if node.module else []))
                else:
                    target = node.module or ""
                targets = [f"{target}.{a.name}" if f"{target}.{a.name}" in paths else target for a in node.names]
            for target in targets:
                while target and target not in paths:
                    target = target.rpartition(".")[0]
                if target.startswith("kehoach") and target != module:
                    found.add((target, node.lineno))
        out[module] = found
    return out


def upward(root: Path) -> list[str]:
    """Every import from a lower stage to a higher one, as `module:line -> module`."""
    return sorted(f"{m}:{line} -> {t}" for m, found in imports(root).items() for t, line in found
                  if stage_of(t) > stage_of(m))


def cycles(root: Path) -> list[list[str]]:
    """The groups of modules that import each other in a circle (Tarjan's strongly connected
    components of more than one module)."""
    graph = {m: {t for t, _ in found} for m, found in imports(root).items()}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return groups


@pytest.mark.slow  # about half a second or more here: CI runs it (.ci/run)
def test_every_module_lives_in_a_stage():
    for module in imports(SRC):
        assert 0 <= stage_of(module) < len(STAGES), module


@pytest.mark.slow  # about half a second or more here: CI runs it (.ci/run)
def test_no_import_runs_back_up_a_stage():
    assert upward(SRC) == []


@pytest.mark.slow  # about half a second or more here: CI runs it (.ci/run)
def test_no_modules_import_each_other_in_a_circle():
    found = cycles(SRC)
    assert found == [], f"{len(found)} circle(s): {found}"


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    root = tmp_path / "kehoach"
    shutil.copytree(SRC, root, ignore=shutil.ignore_patterns("__pycache__", "locale"))
    return root


@pytest.mark.slow  # about half a second or more here: CI runs it (.ci/run)
def test_a_planted_upward_import_is_found(copy):
    text = copy / "base" / "text.py"
    text.write_text(text.read_text(encoding="utf-8") + "\n\ndef _x():\n    from kehoach.views.reportview import "
                    "build_report\n", encoding="utf-8")
    found = upward(copy)
    assert len(found) == 1 and found[0].startswith("kehoach.base.text:") and found[0].endswith("views.reportview")


@pytest.mark.slow  # about half a second or more here: CI runs it (.ci/run)
def test_a_planted_type_only_upward_import_is_found(copy):
    model = copy / "plan" / "model.py"
    model.write_text(model.read_text(encoding="utf-8") + "\nif TYPE_CHECKING:\n    from kehoach.judge.status "
                     "import PlanStatus\n", encoding="utf-8")
    assert [f for f in upward(copy) if f.startswith("kehoach.plan.model:")] != []


@pytest.mark.slow  # about half a second or more here: CI runs it (.ci/run)
def test_a_planted_circle_is_found(copy):
    for name, other in (("periods", "deadlines"), ("deadlines", "periods")):
        path = copy / "base" / f"{name}.py"
        path.write_text(path.read_text(encoding="utf-8") + f"\nfrom kehoach.base import {other}\n", encoding="utf-8")
    assert ["kehoach.base.deadlines", "kehoach.base.periods"] in cycles(copy)


def test_every_module_is_on_the_architecture_page_under_its_stage():
    """docs/architecture.md names every module of src/kehoach/ in the table of its stage."""
    doc = (SRC.parent.parent / "docs" / "architecture.md").read_text(encoding="utf-8")
    sections = dict(re.findall(r"^### (\w+)[^\n]*\n(.*?)(?=^### |^## |\Z)", doc, re.M | re.S))
    for path in sorted(SRC.rglob("*.py")):
        rel = path.relative_to(SRC).as_posix()
        if rel.endswith("__init__.py") and rel != "__init__.py":
            continue  # a package's face
        stage = STAGES[stage_of(module_name(SRC, path))]
        section = sections.get("api" if stage in ("api", "cli") else stage, "")
        assert f"`{rel}`" in section, f"docs/architecture.md: {rel} is not in the {stage} table"
