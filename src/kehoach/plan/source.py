"""Reading YAML text into a located raw tree.

`read_yaml(text)` returns a `Document`: the plain data (dicts, lists, str, int,
float, bool, None; dates kept as their text so that pydantic reads them) and the
source position of every key and value, addressed by the path to it
(`("tasks", 3, "lead", 0)`). Problems are returned as diagnostics, never raised.

Safety: only the standard YAML tags are accepted (a tag that would build an
object is refused), and a document whose anchors and aliases would expand past
`MAX_NODES` nodes is refused before anything is expanded.
"""

from __future__ import annotations

import functools
import itertools
import operator
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from kehoach.base.diagnostics import DataPath, Diagnostic
from kehoach.plan.yamlbase import (
    _T,
    MAX_DEPTH,
    MAX_EXPANDED_CHARS,
    MAX_NODES,
    Pos,
    Scalar,
    let_go,
    resolver_class,
    scalar_value,
    tag_text,
)

if TYPE_CHECKING:
    from ruamel.yaml.error import MarkedYAMLError


# A ruamel.yaml node (ScalarNode, SequenceNode or MappingNode): `.id` ("scalar", "sequence",
# "mapping"), `.tag`, `.value`, `.start_mark`, `.end_mark`. ruamel declares `.id`, `.style` and
# `.flow_style` on the subclasses only and `.value` as Any, so nodes are not typed further here.
YamlNode = Any


class Mark(Protocol):
    """A position in the YAML text, as both ruamel parsers give it (0-based)."""

    line: int
    column: int


_SCALAR_TAGS = {_T + t for t in ("str", "int", "float", "bool", "null", "timestamp")}
_ALLOWED_TAGS = _SCALAR_TAGS | {_T + "map", _T + "seq", _T + "merge", _T + "omap"}
# where YAML could hold an anchor (&a), an alias (*a) or a tag (!t): after a space, a line's
# start, a flow bracket or a comma; "Sở TN&MT" inside a word is none of them, and neither is
# "KKT Dung Quất & KCN": an anchor or an alias has a name right after its sign
# (written to begin with the sign itself, which the scan skips to at C speed)
_MARKUP = re.compile(r"[&*!](?<![^\s\[\]{},:?-][&*!])(?:(?<=[&*])[^\s\[\]{},]|(?<=!))")


@dataclass
class Document:
    data: Any  # the raw tree: dict, list, str, int, float, bool or None
    values: Mapping[DataPath, Pos] = field(default_factory=dict)  # a dict, or plan.eventread.Positions
    keys: Mapping[DataPath, Pos] = field(default_factory=dict)
    root: YamlNode = None  # the composed nodes, kept only when asked (`kehoach log` splices with them)

    def _nearest(self, table: Mapping[DataPath, Pos], path: DataPath) -> Pos:
        path = tuple(path)
        while path:
            if path in table:
                return table[path]
            if path in self.values:
                return self.values[path]
            path = path[:-1]
        return (1, 1)

    def value_pos(self, path: DataPath) -> Pos:
        """Where the value at `path` starts (its nearest existing ancestor if it is missing)."""
        return self._nearest(self.values, path)

    def key_pos(self, path: DataPath) -> Pos:
        """Where the key naming `path` starts (for list items, the item itself)."""
        return self._nearest(self.keys, path)

    def data_path(self, loc: tuple[str | int, ...]) -> DataPath:
        """Map a validator's location (which may hold union branch names) onto the data."""
        node = self.data
        out: list[str | int] = []
        last = len(loc) - 1
        for i, seg in enumerate(loc):
            if isinstance(node, dict) and seg in node:
                node = node[seg]
                out.append(seg)
            elif isinstance(node, list) and isinstance(seg, int) and 0 <= seg < len(node):
                node = node[seg]
                out.append(seg)
            elif i == last and isinstance(node, dict) and not _is_branch(seg):
                out.append(seg)  # a key the data lacks (a missing required key)
            # any other segment is a union branch name: skip it
        return tuple(out)


def _is_branch(seg: str | int) -> bool:
    """A name pydantic gives a branch of a union ("constrained-str", "list[…]", "dated-form"), not a key
    (the model's keys are words joined by "_": "date" is a key, never a branch here)."""
    return isinstance(seg, str) and (seg.endswith("-form") or "[" in seg or seg.startswith("constrained-"))


def _mark(mark: Mark) -> Pos:
    return (mark.line + 1, mark.column + 1)


def _yaml_error(exc: MarkedYAMLError, code: str = "yaml-syntax") -> Diagnostic:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    context_mark = getattr(exc, "context_mark", None)
    if context_mark is not None and "end of stream" in str(getattr(exc, "problem", "")):
        mark = context_mark  # an unclosed quote or bracket: point where it opens
    line, col = _mark(mark) if mark is not None else (1, 1)
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    context = getattr(exc, "context", None)
    detail = f"{context}, {problem}" if context and problem else problem
    return syntax_error(code, line, col, str(detail).strip())


# The parser's words for the mistakes people make, and what kehoach says of each (`yaml.*` in the
# catalogues): the first pattern that matches the parser's detail; anything else keeps its words.
_SYNTAX_SAID: list[tuple[re.Pattern[str], str, str]] = [
    (re.compile(r"scanning a quoted scalar.*end of stream"), "yaml.quote-unclosed", "yaml.quote-unclosed.hint"),
    (re.compile(r"mapping values are not allowed here"), "yaml.colon-in-value", "yaml.colon-in-value.hint"),
    (re.compile(r"could not find expected ':'"), "yaml.no-colon", "yaml.no-colon.hint"),
    (re.compile(r"found character '\\t' that cannot start any token"), "yaml.tab", "yaml.tab.hint"),
    (re.compile(r"found character '(?P<char>.)' that cannot start any token"), "yaml.bad-start",
     "yaml.bad-start.hint"),
    (re.compile(r"expected ',' or '[\]}]'"), "yaml.flow-unclosed", "yaml.flow-unclosed.hint"),
    (re.compile(r"expected <block end>, but found|did not find expected (?:key|'-' indicator)"), "yaml.indent",
     "yaml.indent.hint"),
]


def syntax_error(code: str, line: int, col: int, detail: str) -> Diagnostic:
    """A YAML syntax error: the parser's own words kept in `detail`, and said (`said`, `advice`)
    in the user's language where the mistake is a known one."""
    from kehoach.base.messages import Msg

    for pattern, key, hint in _SYNTAX_SAID:
        m = pattern.search(detail)
        if m:
            params = {k: v for k, v in m.groupdict().items() if v is not None}
            return Diagnostic(code, "error", line, col, {"detail": detail, "said": Msg(key, params),
                                                         "advice": Msg(hint, params)})
    return Diagnostic(code, "error", line, col, {"detail": detail, "said": detail,
                                                 "advice": Msg("yaml.other.hint")})


_CONFLICT = re.compile(r"^(?:<{7}|>{7})(?: .*)?$|^={7}$", re.M)


def conflict_markers(text: str) -> list[Diagnostic]:
    """`merge-conflict` at each line of a git conflict left in the file (`<<<<<<< HEAD`,
    `=======`, `>>>>>>> branch`): said in those words rather than as the YAML error it causes."""
    out = []
    for m in _CONFLICT.finditer(text):
        line = text.count("\n", 0, m.start()) + 1
        out.append(Diagnostic("merge-conflict", "error", line, 1, {"marker": m.group()[:60]}))
    return out


def compose(text: str, fast: bool = True) -> YamlNode | None:
    """Parse YAML text into ruamel nodes, positions kept.

    With `fast`, ruamel's C parser (ruamel.yaml.clib) when it is installed,
    about five times quicker; the pure-Python parser otherwise, and always to
    describe an error, so that messages and positions do not depend on which
    parser read the file. KEHOACH_YAML_PARSER=pure forces the pure parser
    (tests/test_differential.py compares their answers). A text that could nest
    deeper than the C composer's stack allows (`too_deep_for_c`) is read by the
    pure parser, which meets Python's recursion limit instead of crashing.
    """
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    if fast and _fast_ok(text):
        yaml = YAML(typ="safe", pure=False)
        yaml.Resolver = resolver_class()
        try:
            return yaml.compose(text)
        except YAMLError:
            pass  # read it again below, for the pure parser's message and position
        finally:
            let_go(yaml)
    yaml = YAML(typ="safe", pure=True)
    yaml.Resolver = resolver_class()
    try:
        return yaml.compose(text)
    finally:
        let_go(yaml)


# The C composer recurses once per level of nesting on the C stack: about 25,000 levels crash
# the process (a segmentation fault, before any check of ours can run). Far below that, and far
# above any plan (MAX_DEPTH), a text that might nest this deep goes to the pure parser.
C_DEPTH = 1000
_BRACKET = re.compile(r"[\[\]{}]")


@functools.cache
def _deep_block(columns: int) -> re.Pattern[str]:
    return re.compile(r"^(?:[ ]|[-?:][ ])" + f"{{{columns}}}", re.M)


@functools.cache
def _wide_prefix(columns: int) -> re.Pattern[str]:
    """A quick test that finds every line `_deep_block` would (and some more): from a newline,
    only one character class to try, which fails at the first letter of a normal line."""
    return re.compile(r"\n[ ?:\-]" + f"{{{columns}}}")  # the first line: see deep_at


_NOT_BRACKET = bytes(i for i in range(256) if i not in b"[]{}")
_STEP = bytes(2 if i in b"[{" else 0 for i in range(256))


def _bracket_bound(text: str) -> int:
    """An upper bound of how deep the flow brackets of `text` nest, at C speed and in one pass:
    the brackets alone as +1/-1, their running sum, and the deepest that sum climbs above the
    lowest it fell before (a closing bracket with nothing open counts as none). Never below the
    depth the exact scan of `deep_at` counts."""
    brackets = text.encode("utf-8", "surrogatepass").translate(None, _NOT_BRACKET)
    if not brackets:
        return 0
    steps = brackets.translate(_STEP)  # "[" and "{" → 2 (+1), "]" and "}" → 0 (-1)
    depth = list(itertools.accumulate(map(operator.add, steps, itertools.repeat(-1))))
    lowest = itertools.accumulate(depth, min, initial=0)
    return max(0, int(max(map(operator.sub, depth, lowest))))


def deep_at(text: str, limit: int) -> int | None:
    """Where `text` might first nest deeper than `limit` (an offset), or None: its flow brackets
    ([, {) open more than limit // 2 deep (counted everywhere, in quoted text too: erring towards
    caution), or a line's indentation and block indicators (`- `, `? `, `: `) reach limit // 2
    columns (each level of block nesting takes at least one column; a list under a key may
    share its key's). Linear in the text."""
    half = limit // 2
    found = None
    if text.count("[") + text.count("{") > half and _bracket_bound(text) > half:
        depth = 0
        for m in _BRACKET.finditer(text):
            depth += 1 if m.group() in "[{" else -1
            if depth > half:
                found = m.start()
                break
    wide = _wide_prefix(half)
    block = _deep_block(half).search(text) if wide.search(text) or wide.match("\n" + text[:half]) else None
    if block is not None and (found is None or block.end() < found):
        found = block.end()
    return found


def too_deep_for_c(text: str) -> bool:
    """Whether `text` might nest deeper than the C composer can bear (C_DEPTH)."""
    return deep_at(text, C_DEPTH) is not None


def _too_deep(text: str) -> Diagnostic:
    """`yaml-too-deep`, where the text first nests that deep (as far as a scan can tell)."""
    at = deep_at(text, MAX_DEPTH)
    line, col = 1, 1
    if at is not None:
        line = text.count("\n", 0, at) + 1
        col = at - (text.rfind("\n", 0, at) + 1) + 1
    return Diagnostic("yaml-too-deep", "error", line, col, {"limit": MAX_DEPTH})


def node_tag(node: YamlNode) -> str | None:
    """A node's tag as text (what `node.tag` gives), without ruamel's per-call rebuilding of it
    for the tags its resolver sets (a full tag, no handle)."""
    return tag_text(node.ctag)


def _fast_ok(text: str) -> bool:
    """Whether ruamel's C parser reads `text` (installed, not refused, not too deep for it)."""
    return _has_clib() and not too_deep_for_c(text)


def _has_clib() -> bool:
    """Whether ruamel's C parser is there to use (not when the pure parser is asked for)."""
    from kehoach.base.settings import current

    if current().pure_parser:
        return False
    try:
        import _ruamel_yaml  # noqa: F401
    except ImportError:
        return False
    return True


def read_yaml(text: str, keep_nodes: bool = False, located: bool = True,
              tree: Any = None) -> tuple[Document | None, list[Diagnostic]]:
    """The raw tree of a YAML text and, when `located`, where each key and value stands (a
    Document); or the diagnostics of a text that is not YAML kehoach reads. Not located and
    without its nodes, a plain text may be read by yaml-rs (plan/fastread.py: the same tree).
    Located, with the `tree` an unlocated reading of this very text gave, the positions are laid
    over that tree rather than a second tree made (plan/eventread.py)."""
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    if text.startswith("\ufeff"):
        text = text[1:]
    markup = _MARKUP.search(text)
    escaped = "\\u" in text or "\\U" in text  # only an escape can make a lone surrogate
    if not keep_nodes and not located and not markup:
        from kehoach.plan.fastread import quick_tree

        quick = quick_tree(text)
        if quick is not None:
            return Document(quick[0]), []
    if not keep_nodes and not markup:
        from kehoach.plan import eventread

        pure = not _fast_ok(text)
        try:
            # (not past an escape: a lone surrogate the first reading replaced is to be reported again)
            if located and tree is not None and not escaped:
                try:
                    _, values, keys, diagnostics = eventread.read(text, pure, tree)
                    return Document(tree, values, keys), diagnostics
                except eventread.Unsupported:
                    pass  # the tree is not this text's: a tree of its own, below
            data, values, keys, diagnostics = eventread.read(text, pure)
        except (eventread.Unsupported, YAMLError, RecursionError):
            pass  # read below by the composed reading, which says what is wrong and where
        else:
            if escaped:
                data = _no_surrogates(data, (), diagnostics)
            return (Document(data, values, keys) if located else Document(data)), diagnostics
    try:
        node = compose(text)
    except MarkedYAMLError as exc:
        return None, conflict_markers(text) or [_yaml_error(exc)]
    except YAMLError as exc:  # e.g. a control character the reader refuses
        line, col = 1, 1
        position = getattr(exc, "position", None)
        if isinstance(position, int):
            line = text.count("\n", 0, position) + 1
            col = position - (text.rfind("\n", 0, position) + 1) + 1
        detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        return None, [syntax_error("yaml-syntax", line, col, detail)]
    except RecursionError:
        return None, [_too_deep(text)]
    if node is None:
        return Document(None), []
    builder = _Builder(located)
    if markup:  # anchors, aliases or tags: look before expanding anything
        problem = builder.guard(node, len(text))
        if problem:
            return None, [problem]
    try:
        data = builder.build(node, ())
    except RecursionError:
        return None, [_too_deep(text)]
    if escaped:
        data = _no_surrogates(data, (), builder.diagnostics)
    return Document(data, builder.values, builder.keys, node if keep_nodes else None), builder.diagnostics


class _Builder:
    def __init__(self, located: bool = True) -> None:
        self.located = located
        self.values: dict[DataPath, Pos] = {}
        self.keys: dict[DataPath, Pos] = {}
        self.diagnostics: list[Diagnostic] = []

    # -- safety: tags, recursion, alias expansion, before building anything
    def guard(self, root: YamlNode, size: int = 0) -> Diagnostic | None:
        """What makes a plan unsafe to build (`size`: its text's length; its aliases may expand it
        to twice that, or `MAX_EXPANDED_CHARS`), or None."""
        most = max(MAX_EXPANDED_CHARS, 2 * size)
        sizes: dict[int, int] = {}
        chars: dict[int, int] = {}  # the text a node holds once every alias in it is expanded
        active: set[int] = set()
        stack = [(root, False, 0)]
        while stack:
            node, done, depth = stack.pop()
            nid = id(node)
            if done:
                active.discard(nid)
                children = _children(node)
                total = 1 + sum(sizes[id(c)] for c in children)
                sizes[nid] = total
                held = (len(node.value) if node.id == "scalar" else 0) + sum(chars[id(c)] for c in children)
                chars[nid] = held
                if total > MAX_NODES:
                    line, col = _mark(node.start_mark)
                    return Diagnostic("yaml-alias-bomb", "error", line, col, {"limit": MAX_NODES})
                if held > most:  # few nodes, each a long text: 400 aliases of 1 MB
                    line, col = _mark(node.start_mark)
                    return Diagnostic("yaml-alias-text", "error", line, col,
                                      {"limit": most // 1_000_000})
                continue
            if nid in sizes:
                continue
            if nid in active:
                line, col = _mark(node.start_mark)
                return Diagnostic("yaml-recursive-alias", "error", line, col, {})
            if depth > MAX_DEPTH:
                line, col = _mark(node.start_mark)
                return Diagnostic("yaml-too-deep", "error", line, col, {"limit": MAX_DEPTH})
            if node_tag(node) not in _ALLOWED_TAGS:
                line, col = _mark(node.start_mark)
                return Diagnostic("yaml-tag", "error", line, col, {"tag": node.tag})
            active.add(nid)
            stack.append((node, True, depth))
            for child in _children(node):
                if id(child) not in sizes:
                    stack.append((child, False, depth + 1))
        return None

    def build(self, node: YamlNode, path: DataPath) -> Any:
        """The raw value of `node` (dict, list or scalar), every position recorded on the way."""
        if len(path) > MAX_DEPTH:
            raise RecursionError
        located = self.located
        if located:
            self.values[path] = _mark(node.start_mark)
        kind = node.id
        if kind == "scalar":
            return _scalar(node)
        if kind == "sequence":
            items = []
            for i, child in enumerate(node.value):
                if located:
                    self.keys[path + (i,)] = _mark(child.start_mark)
                items.append(self.build(child, path + (i,)))
            return items
        out: dict[str | int | float, Any] = {}
        seen: dict[str | int, Pos] = {}
        merged = []
        for knode, vnode in node.value:
            if node_tag(knode) == _T + "merge":
                merged.append(vnode)
                continue
            if knode.id != "scalar":
                line, col = _mark(knode.start_mark)
                self.diagnostics.append(Diagnostic("yaml-complex-key", "error", line, col, {}))
                continue
            scalar = _scalar(knode)
            key = scalar if isinstance(scalar, (str, int)) else str(scalar)
            kpos = _mark(knode.start_mark)
            if key in seen:
                self.diagnostics.append(
                    Diagnostic("duplicate-key", "error", kpos[0], kpos[1],
                               {"key": key, "first": seen[key][0]})
                )
                continue
            seen[key] = kpos
            if located:
                self.keys[path + (key,)] = kpos
            out[key] = self.build(vnode, path + (key,))
            if located and vnode.id == "scalar" and vnode.value == "" and vnode.style is None:
                # `key:` with nothing: the empty value sits right after the colon
                self.values[path + (key,)] = (knode.end_mark.line + 1, knode.end_mark.column + 2)
        for mnode in merged:  # "<<: *base": keys not already present
            sources = mnode.value if mnode.id == "sequence" else [mnode]
            for src in sources:
                if src.id != "mapping":
                    continue
                for knode, vnode in src.value:
                    merged_key = _scalar(knode) if knode.id == "scalar" else None
                    if merged_key is not None and merged_key not in out:
                        self.keys[path + (merged_key,)] = _mark(knode.start_mark)
                        out[merged_key] = self.build(vnode, path + (merged_key,))
        return out


_SURROGATE = re.compile("[\ud800-\udfff]")


def _no_surrogates(value: Any, path: DataPath, diagnostics: list[Diagnostic]) -> Any:
    """The tree with each lone surrogate ("\\ud800", half of a character: no file can hold it)
    replaced by U+FFFD, and a warning at its value."""
    if isinstance(value, str):
        m = _SURROGATE.search(value)
        if m is None:
            return value
        diagnostics.append(Diagnostic("unprintable-char", "warning", params={"char": f"\\u{ord(m.group()):04x}"},
                                      loc=path))
        return _SURROGATE.sub("\ufffd", value)
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            key = _no_surrogates(k, path, diagnostics)
            out[key] = _no_surrogates(v, path + (key,), diagnostics)
        return out
    if isinstance(value, list):
        return [_no_surrogates(v, path + (i,), diagnostics) for i, v in enumerate(value)]
    return value


def _children(node: YamlNode) -> list[YamlNode]:
    if node.id == "scalar":
        return []
    if node.id == "sequence":
        return list(node.value)
    return [n for pair in node.value for n in pair]


def _scalar(node: YamlNode) -> Scalar:
    return scalar_value(node_tag(node), node.value)
