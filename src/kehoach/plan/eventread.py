"""The located raw tree built from the parser's events, positions kept in compact arrays.

`plan.source.read_yaml` composed every text into ruamel's nodes (an object per key and value,
each with two position objects) and then built the raw tree and two tables of positions from
them (a path, a pair and a dict entry per key and per value): about 190 MiB for a plan of
10,000 tasks, read whenever a diagnostic had to be placed. Here the raw tree is built straight
from the parser's events, each let go once read, and the positions are kept as one array of
packed integers per mapping or sequence (`Positions`): the same tree, the same positions, a
fraction of the memory and of the time.

The text is left to the composed reading (`Unsupported`) for everything this reader does not
do itself, so that its answers stay the composed reading's own: anchors, aliases, tags and merge
keys (the composed reading guards their expansion), more than one document, nesting past
`MAX_DEPTH`, and any text the parser refuses (the message and position are the pure parser's).
tests/test_eventread.py holds the two readings equal over plans, generated plans and mutations.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterator, Mapping
from typing import Any

from kehoach.base.diagnostics import DataPath, Diagnostic
from kehoach.plan.yamlbase import _T, MAX_DEPTH, Pos, let_go, resolver_class, scalar_value, tag_text

_SHIFT = 32  # a position packed as (line << 32) | column, both 1-based


class Unsupported(Exception):
    """This text is for the composed reading (`plan.source.compose`)."""


# The positions of a document, in three arrays. Each key and each value has a slot: a mapping's
# slots are each key's then its value's, in the order of the raw dict's keys; a sequence's, each
# item's. `packed[slot]` is where it stands; `child[slot]` the record of the mapping or sequence
# that stands there (-1 for a scalar, and for a key). A record is a number: `first[record]` is
# the first of its children's slots, which follow one another.


class Table:
    """The arrays of one document's positions (a few bytes a key or a value)."""

    def __init__(self) -> None:
        self.packed: array[int] = array("q")
        self.child: array[int] = array("i")
        self.first: array[int] = array("q")

    def add(self, positions: list[int], children: list[int]) -> int:
        """A mapping's or sequence's children, as slots: its record."""
        self.first.append(len(self.packed))
        self.packed.extend(positions)
        self.child.extend(children)
        return len(self.first) - 1

    def nbytes(self) -> int:
        return sum(a.itemsize * len(a) for a in (self.packed, self.child, self.first))


def _pack(mark: Any) -> int:
    """A parser's mark (0-based) as one integer (1-based line and column)."""
    line: int = mark.line
    column: int = mark.column
    return ((line + 1) << _SHIFT) | (column + 1)


def _unpack(packed: int) -> Pos:
    return packed >> _SHIFT, packed & 0xFFFFFFFF


class Positions(Mapping[DataPath, Pos]):
    """Where each value (or, with `keys`, each key) of the raw tree `data` stands, addressed by
    its path as `Document.values` and `Document.keys` are: a read-only mapping over the `Table`
    built with the tree (`root`: the record of the document's node, `root_pos` where it stands).
    A list item's key is the item itself."""

    def __init__(self, data: Any, table: Table, root: int, root_pos: int | None, keys: bool) -> None:
        self._data, self._table, self._root, self._root_pos, self._keys = data, table, root, root_pos, keys

    def _find(self, path: DataPath) -> Pos | None:
        if not path:
            return None if self._keys or self._root_pos is None else _unpack(self._root_pos)
        node, record, table = self._data, self._root, self._table
        last = len(path) - 1
        for depth, seg in enumerate(path):
            if record < 0:
                return None
            at = table.first[record]
            if isinstance(node, dict):
                if seg not in node:
                    return None
                slot = at + 2 * _index(node, seg) + 1
                key_slot = slot - 1
                node = node[seg]
            elif isinstance(node, list) and isinstance(seg, int) and 0 <= seg < len(node):
                slot = key_slot = at + seg
                node = node[seg]
            else:
                return None
            if depth == last:
                return _unpack(table.packed[key_slot if self._keys else slot])
            record = table.child[slot]
        return None

    def __getitem__(self, path: DataPath) -> Pos:
        found = self._find(tuple(path))
        if found is None:
            raise KeyError(path)
        return found

    def __contains__(self, path: object) -> bool:
        return isinstance(path, tuple) and self._find(path) is not None

    def __iter__(self) -> Iterator[DataPath]:
        return (path for path, _ in self._walk())

    def __len__(self) -> int:
        return sum(1 for _ in self._walk())

    def items(self) -> Iterator[tuple[DataPath, Pos]]:  # type: ignore[override]
        return self._walk()

    def _walk(self) -> Iterator[tuple[DataPath, Pos]]:
        if self._root_pos is None:
            return
        if not self._keys:
            yield (), _unpack(self._root_pos)
        table = self._table
        stack: list[tuple[Any, int, DataPath]] = [(self._data, self._root, ())]
        while stack:
            node, record, path = stack.pop()
            if record < 0:
                continue
            at = table.first[record]
            if isinstance(node, dict):
                for i, (key, child) in enumerate(node.items()):
                    slot = at + 2 * i + 1
                    yield path + (key,), _unpack(table.packed[slot - 1 if self._keys else slot])
                    stack.append((child, table.child[slot], path + (key,)))
            elif isinstance(node, list):
                for i, child in enumerate(node):
                    yield path + (i,), _unpack(table.packed[at + i])
                    stack.append((child, table.child[at + i], path + (i,)))


def _index(mapping: dict[Any, Any], key: Any) -> int:
    for i, k in enumerate(mapping):
        if k == key:
            return i
    raise KeyError(key)


def read(text: str, pure: bool, tree: Any = None) -> tuple[Any, Positions, Positions, list[Diagnostic]]:
    """The raw tree of `text`, where its values and its keys stand, and the diagnostics of its
    keys (duplicate or complex keys); `Unsupported` for a text the composed reading is to read,
    and ruamel's `YAMLError` as the parser raises it. The parser is set up as ruamel's own
    `YAML.compose` sets it up (the same resolver, so the same types), its events pulled one by one.

    Given the `tree` a first reading of the same text made, only the positions are read, laid
    over that tree (no value is made again); `Unsupported` if the text and the tree part ways
    (a key, a kind of node, a length or an order that is not the tree's: its scalars are taken
    as they are, the tree being this very text's)."""
    from ruamel.yaml import YAML
    from ruamel.yaml.docinfo import DocInfo, version

    yaml = YAML(typ="safe", pure=pure)
    yaml.Resolver = resolver_class()
    yaml.doc_infos.append(DocInfo(requested_version=version(yaml.version)))
    yaml.tags = {}
    _, parser = yaml.get_constructor_parser(text)
    try:
        # the resolver the composer would use: the C parser is its own, the pure one the YAML's
        return _build(parser.get_event, yaml.resolver if pure else parser, tree)
    finally:
        parser.dispose()
        for part in ("reader", "scanner"):
            reset = getattr(getattr(yaml, "_" + part, None), f"reset_{part}", None)
            if reset is not None:
                reset()
        let_go(yaml)


def _build(get_event: Any, resolver: Any, tree: Any) -> tuple[Any, Positions, Positions, list[Diagnostic]]:
    from ruamel.yaml.events import (
        DocumentEndEvent,
        DocumentStartEvent,
        MappingEndEvent,
        MappingStartEvent,
        ScalarEvent,
        SequenceEndEvent,
        SequenceStartEvent,
        StreamEndEvent,
        StreamStartEvent,
    )
    from ruamel.yaml.nodes import ScalarNode

    if get_event().__class__ is not StreamStartEvent:
        raise Unsupported
    event = get_event()
    if event.__class__ is StreamEndEvent:
        if tree is not None:
            raise Unsupported
        return None, Positions(None, Table(), -1, None, False), Positions(None, Table(), -1, None, True), []
    over = tree is not None  # positions only, over the tree given
    if event.__class__ is not DocumentStartEvent:
        raise Unsupported
    resolve = resolver.resolve
    diagnostics: list[Diagnostic] = []
    table = Table()
    # the scalars' tags: one document has one YAML version, so a text and its implicit flags give one tag
    tags: dict[tuple[str, Any], str | None] = {}
    str_tag, merge_tag = _T + "str", _T + "merge"

    def skip(first: Any) -> None:
        """Consume the rest of the node that `first` opens."""
        depth = 1 if first.__class__ in (MappingStartEvent, SequenceStartEvent) else 0
        while depth:
            cls = get_event().__class__
            if cls is MappingStartEvent or cls is SequenceStartEvent:
                depth += 1
            elif cls is MappingEndEvent or cls is SequenceEndEvent:
                depth -= 1

    # the open mappings and sequences, each a frame: [raw value, its slots' positions, their
    # records (-1 for a key or a scalar), its start, a mapping's pending key (_NONE: the next node is a key), that key's
    # position, where that key ends, the keys seen (their lines), over a tree: its keys in order]
    stack: list[list[Any]] = []
    frame: list[Any] | None = None
    while True:
        event = get_event()
        cls = event.__class__
        record: int
        if cls is ScalarEvent:
            if event.anchor is not None or event.tag is not None:
                raise Unsupported
            value = event.value
            start = _pack(event.start_mark)
            is_key = frame is not None and frame[4] is _NONE and frame[0].__class__ is dict
            if over and not is_key:  # a value: the tree has it, made by the first reading
                slot = _slot(frame, tree)
                if slot.__class__ is dict or slot.__class__ is list:
                    raise Unsupported
                raw = slot
                tag = None
            else:
                implicit = event.implicit
                try:
                    tag = tags[value, implicit]
                except KeyError:
                    tag = tags[value, implicit] = tag_text(resolve(ScalarNode, value, implicit))
                raw = value if tag == str_tag else scalar_value(tag, value)
            if is_key:
                assert frame is not None
                if tag == merge_tag:
                    raise Unsupported
                key = raw if isinstance(raw, (str, int)) else str(raw)
                seen = frame[7]
                if key in seen:
                    diagnostics.append(Diagnostic("duplicate-key", "error", start >> _SHIFT, start & 0xFFFFFFFF,
                                                  {"key": key, "first": seen[key]}))
                    skip(get_event())  # its value is not read (nor anything in it reported)
                    continue
                seen[key] = start >> _SHIFT
                if over and next(frame[8], _NONE) != key:
                    raise Unsupported
                frame[4], frame[5], frame[6] = key, start, event.end_mark
                continue
            record = -1
            if value == "" and event.style is None and frame is not None and frame[4] is not _NONE:
                # `key:` with nothing (the pure parser): the empty value sits right after the colon
                end = frame[6]
                start = ((end.line + 1) << _SHIFT) | (end.column + 2)
        elif cls is MappingStartEvent or cls is SequenceStartEvent:
            if event.anchor is not None or event.tag is not None:
                raise Unsupported
            if frame is not None and frame[4] is _NONE and frame[0].__class__ is dict:
                # a mapping or a sequence as a key: refused, and its value with it
                mark = event.start_mark
                diagnostics.append(Diagnostic("yaml-complex-key", "error", mark.line + 1, mark.column + 1, {}))
                skip(event)
                skip(get_event())
                continue
            if len(stack) >= MAX_DEPTH:
                raise Unsupported
            kind = dict if cls is MappingStartEvent else list
            container = _slot(frame, tree) if over else kind()
            if container.__class__ is not kind:
                raise Unsupported
            frame = [container, [], [], _pack(event.start_mark), _NONE, 0, None, {},
                     iter(container) if over and kind is dict else None]
            stack.append(frame)
            continue
        elif cls is MappingEndEvent or cls is SequenceEndEvent:
            done = stack.pop()
            frame = stack[-1] if stack else None
            if over and len(done[2]) != len(done[0]) * (2 if done[0].__class__ is dict else 1):
                raise Unsupported
            raw, start = done[0], done[3]
            record = table.add(done[1], done[2])
        else:
            raise Unsupported  # an alias, or a document's end before its node
        if frame is None:  # the document's node
            following = get_event()
            if following.__class__ is not DocumentEndEvent or get_event().__class__ is not StreamEndEvent:
                raise Unsupported  # a second document: the composed reading says so
            return (raw, Positions(raw, table, record, start, False), Positions(raw, table, record, start, True),
                    diagnostics)
        container = frame[0]
        if container.__class__ is list:
            if not over:
                container.append(raw)
            frame[1].append(start)
            frame[2].append(record)
        else:
            if not over:
                container[frame[4]] = raw
            frame[1].append(frame[5])
            frame[1].append(start)
            frame[2].append(-1)
            frame[2].append(record)
            frame[4] = _NONE


def _slot(frame: list[Any] | None, tree: Any) -> Any:
    """Over a given tree: the value the node being read is to stand for (the tree itself for the
    document's node, a mapping's value for its pending key, a sequence's next item)."""
    if frame is None:
        return tree
    container = frame[0]
    if container.__class__ is dict:
        return container[frame[4]]
    try:
        return container[len(frame[2])]
    except IndexError:
        raise Unsupported from None


_NONE = object()  # no key pending: the next node of a mapping is a key
