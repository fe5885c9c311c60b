"""The quick reading of a plain plan: the raw tree through yaml-rs (the `fast` extra), when it is
installed and the text holds nothing the two readers could take differently.

`quick_tree(text)` gives the raw tree exactly as `source.read_yaml(text, located=False)` builds
it through ruamel (dates kept as their text, numbers, booleans and nulls of the YAML 1.2 core
schema, a key that is neither text nor a whole number refused), or None: the text is then read
the usual way, which also says where each problem stands. A text is read here only when one scan
finds none of what yaml-rs reads otherwise or kehoach refuses: anchors, aliases, tags, merge keys,
complex keys, several documents or directives, escapes that make characters (`\\u`, `\\x`, a
line continuation), a character ruamel refuses or a line break other than LF and CR, a number
written in a rarer form (`1_000`, `0x1F`, `1e3`, `.inf`), a flow collection over several lines,
or a nesting deeper than the C parsers bear. tests/test_fastread.py holds that both readings give the same tree.
"""

from __future__ import annotations

import re
from typing import Any

# Each pattern begins with a character or a class, so that the scan skips ahead at C speed.
_REFUSED: tuple[re.Pattern[str], ...] = (
    re.compile(r"\n(?:---|\.\.\.|%)"),  # a document marker or a directive: several documents
    re.compile("<<"),  # a merge key
    re.compile(r"\?(?<![^\s\[{,]\?)(?=\s|$)"),  # a complex key
    re.compile(r":(?=[\]},])"),  # `{k:}`: ruamel reads the colon as part of the key
    re.compile(r":(?<=\s:)(?=\s)"),  # a colon with no key before it (in a flow collection, ruamel refuses it)
    re.compile(r'\\[^n"\\t]'),  # an escape that makes a character, or a line continuation
    re.compile(r"\r(?!\n)"),  # a line ended by CR alone
    # a character ruamel refuses, a tab, NEL, the line and paragraph separators, a BOM inside
    re.compile("[^\n\r\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]"),
)
# where a number might be written in a rarer form (1_000, 0x1F, 0o17, 1e3, .5e3, .inf, .NaN), which
# the two readers do not all take alike: refused when the word around it could be a number
_RARE_NUMBER = (
    re.compile(r"_(?:(?<=[0-9.]_)|(?=[0-9.]))"),
    re.compile("0[xXoObB]"),
    re.compile(r"[eE](?=[-+]?[0-9])(?<=[0-9.][eE])"),
    re.compile(r"\.(?i:inf|nan)"),
)
# every word either reader could take for a number (more than either does)
_NUMBER_LIKE = re.compile(r"[-+]?(?:[0-9._]+(?:[eE][-+]?[0-9_]*)?|0[xXoObB][0-9a-fA-F_]*|\.[a-zA-Z]{3})")
_MANY = 1000  # past this many rare forms, the full reading rather than a look at each


def _word_at(text: str, start: int, end: int) -> str:
    """The run of letters, digits, `_`, `.`, `+` and `-` around text[start:end] (what could be one
    plain scalar: anything else around a number ends it or makes it text)."""
    n = len(text)
    while start > 0 and (text[start - 1].isalnum() or text[start - 1] in "_.+-"):
        start -= 1
    while end < n and (text[end].isalnum() or text[end] in "_.+-"):
        end += 1
    return text[start:end]


def _rare_number(text: str) -> bool:
    """Whether `text` may hold a number written in a rarer form."""
    for pattern in _RARE_NUMBER:
        for i, m in enumerate(pattern.finditer(text)):
            if i >= _MANY or _NUMBER_LIKE.fullmatch(_word_at(text, m.start(), m.end())):
                return True
    return False


# the characters that say where flow collections and quoted scalars open and close, line by line
_KEEP = b"[]{}\"'\\#\n"
_DROP = bytes(i for i in range(256) if i not in _KEEP)
_FLOW_DEPTH = 500  # well within what yaml-rs and ruamel's C parser bear (source.C_DEPTH)
_DEEP_BLOCK = re.compile(r"\n[ ?:\-]{" + str(_FLOW_DEPTH) + "}")  # as deep in block collections, or more


def _line_open(skeleton: bytes) -> int:
    """How deep the flow collections of one line (its brackets, quotes, `\\` and `#` alone) are
    still open at its end: -1 for a `#` inside one, which may begin a comment hiding a bracket;
    brackets inside a quoted scalar count for nothing, an unclosed quote keeps what was open."""
    depth = deepest = 0
    quote = 0
    skip = False
    for ch in skeleton:
        if skip:
            skip = False
        elif quote:
            if ch == quote:
                quote = 0
            elif ch == 92 and quote == 34:  # a backslash in double quotes
                skip = True
        elif ch == 91 or ch == 123:
            depth += 1
            deepest = max(deepest, depth)
        elif ch == 93 or ch == 125:
            if depth:
                depth -= 1
        elif ch == 34 or ch == 39:
            quote = ch
        elif ch == 35 and depth:
            return -1
    return depth if deepest <= _FLOW_DEPTH else -1


def _flow_plain(text: str) -> bool:
    """Whether every flow collection (`[…]`, `{…}`) of `text` opens and closes on one line, with
    no comment inside, none nested deeper than _FLOW_DEPTH, and no block deeper either: across
    lines, yaml-rs takes some indentation ruamel refuses, and the C parsers' stacks are bounded."""
    if text.startswith((" ", "-", "?", ":")) and _DEEP_BLOCK.match("\n" + text[:_FLOW_DEPTH]):
        return False
    if _DEEP_BLOCK.search(text):
        return False
    if "[" not in text and "{" not in text:
        return True
    skeleton = text.encode("utf-8", "surrogatepass").translate(None, _DROP)
    return not any(_line_open(line) for line in set(skeleton.split(b"\n")))


def _header_last(text: str) -> bool:
    """Whether the last line of `text` with anything on it might be a block scalar's header (a
    block scalar with nothing in it at the very end, which the two readers end differently)."""
    end = text.rstrip()
    last = end[end.rfind("\n") + 1:]
    return "|" in last or ">" in last


def _plain(text: str) -> bool:
    """Whether `text` holds none of what only the full reading reads right (a text that does not
    end with a line break, or ends with a block scalar's header, too: the two readers end a block
    scalar at the very end of the text differently)."""
    if text.startswith(("---", "...", "%")) or (text and not text.endswith("\n")):
        return False
    if _header_last(text):
        return False
    return not any(p.search(text) for p in _REFUSED) and not _rare_number(text) and _flow_plain(text)


_INDICATOR = frozenset("|>?:")


def _tree_plain(data: Any) -> bool:
    """Whether every key of the tree is a text or a whole number (or a boolean), as kehoach keeps
    them, and no text begins with `|`, `>`, `?` or `:` (inside a flow collection, yaml-rs reads a
    block scalar's header or these indicators as text, which ruamel does not): anything else is
    left to the full reading."""
    stack = [data]
    pop, push = stack.pop, stack.extend
    indicator = _INDICATOR
    while stack:
        value = pop()
        kind = type(value)
        if kind is str:
            if value[:1] in indicator:
                return False
        elif kind is dict:
            for key in value:
                if type(key) is str:
                    if key[:1] in indicator:
                        return False
                elif (type(key) is not int and type(key) is not bool) or abs(key).bit_length() > _HUGE_BITS:
                    return False
            push(value.values())
        elif kind is list:
            push(value)
        elif kind is int and value.bit_length() > _HUGE_BITS:
            return False  # more digits than Python prints (4,300): ruamel keeps them as text
    return True


_HUGE_BITS = 14_000  # a whole number of about 4,200 digits or more goes to the full reading


# A large text is read in pieces, for memory: yaml-rs holds about as much again as the tree it
# builds while it reads (tens of MB on a plan of 10,000 tasks), and so holds it for a piece only.
PIECES_FROM = 1 << 20  # characters: a smaller text is read whole
TASKS_PER_PIECE = 100
_TOP = re.compile(r"\n(?![#\s-])[^\n]*:")  # a line at column 0 with a colon: a key of the plan
_TOP_FIRST = re.compile(r"(?![#\s-])[^\n]*:")  # the same on the first line
_TASKS = re.compile(r"tasks:[ \t]*(?:#[^\n]*)?\r?\n")
_ITEM = re.compile(r"^( *)-(?=[ \r\n])", re.M)


def _loads(text: str) -> Any:
    import yaml_rs

    return yaml_rs.loads(text, parse_datetime=False,
                         alias_limits=yaml_rs.AliasLimits(max_total_replayed_events=0, max_replay_stack_depth=0,
                                                          max_alias_expansions_per_anchor=0),
                         duplicate_key_policy=yaml_rs.DuplicateKeyPolicy.Error)


def _only_comments(text: str) -> bool:
    return all(not line.strip() or line.lstrip().startswith("#") for line in text.splitlines())


def _in_pieces(text: str) -> dict[Any, Any] | None:
    """The tree of a mapping read key by key, and its `tasks` list a hundred items at a time; None
    when the text does not cut so (then it is read whole). A cut in the wrong place (a line at
    column 0 inside a quoted scalar) leaves a piece yaml-rs refuses, which raises."""
    starts = [0] if _TOP_FIRST.match(text) else []
    starts += [m.start() + 1 for m in _TOP.finditer(text)]
    if not starts or not _only_comments(text[:starts[0]]):
        return None
    starts.append(len(text))
    out: dict[Any, Any] = {}
    for a, b in zip(starts, starts[1:], strict=False):
        head = _TASKS.match(text, a)
        first = _ITEM.search(text, head.end(), b) if head else None
        if head is None or first is None or not _only_comments(text[head.end():first.start()]):
            if _header_last(text[a:b]):
                return None
            piece = _loads(text[a:b])
        else:
            item = re.compile("\n" + first.group(1) + r"-(?=[ \r\n])")
            cuts = [first.start()] + [m.start() + 1 for m in item.finditer(text, first.start(), b)]
            cuts = cuts[::TASKS_PER_PIECE] + [b]
            tasks: list[Any] = []
            for x, y in zip(cuts, cuts[1:], strict=False):
                if _header_last(text[x:y]):
                    return None
                part = _loads("tasks:\n" + text[x:y])
                if type(part) is not dict or list(part) != ["tasks"] or type(part["tasks"]) is not list:
                    return None
                tasks += part["tasks"]
            piece = {"tasks": tasks}
        if type(piece) is not dict or len(piece) != 1:
            return None
        for key, value in piece.items():
            if key in out:
                return None  # a key twice: read whole, which says so
            out[key] = value
    return out


def available() -> bool:
    """Whether the quick reading may be used in this run: yaml-rs installed, the accelerators
    not turned off (KEHOACH_NO_ACCEL=1), ruamel's own parser not asked for (KEHOACH_YAML_PARSER)."""
    from kehoach.base.settings import current

    settings = current()
    if not settings.accel or settings.pure_parser:
        return False
    try:
        import yaml_rs  # noqa: F401
    except ImportError:
        return False
    return True


def quick_tree(text: str) -> tuple[Any] | None:
    """`(tree,)`: the raw tree of `text` (a BOM already taken off; no anchor, alias or tag in it:
    `source.read_yaml` looks first), read by yaml-rs;
    or None when it is to be read the usual way (yaml-rs missing or turned off, the text not
    plain, or yaml-rs refusing it: a syntax error, a duplicate key)."""
    if not available() or not _plain(text):
        return None
    try:
        data = _in_pieces(text) if len(text) >= PIECES_FROM else None
        if data is None:
            data = _loads(text)
    except Exception:  # any refusal: the full reading says what and where
        return None
    if type(data) is not dict or not _tree_plain(data):  # a plan is a mapping: anything else, the full reading
        return None
    return (data,)
