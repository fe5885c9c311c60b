"""What the two readings of a YAML text (plan/source.py's composed one, plan/eventread.py's from
events) share: the position type, the limits, and how a scalar is typed (the resolver that gives
its tag, and the raw value its tag and text make)."""

from __future__ import annotations

import functools
from typing import Any

Pos = tuple[int, int]  # 1-based line, column

MAX_NODES = 1_000_000  # after alias expansion
MAX_EXPANDED_CHARS = 64_000_000  # the text of a plan once its aliases are expanded (a plan's own: at most its size)
MAX_DEPTH = 200

_T = "tag:yaml.org,2002:"

Scalar = str | int | float | bool | None


@functools.cache
def resolver_class() -> type:
    """ruamel's resolver, minus the work it repeats for every scalar: it looks up the YAML version
    through a chain of attribute errors and makes a new tag object each time. Here the version's
    table is looked up once per document (after its directives, before its first node) and tag
    objects are shared. tests/test_source.py pins that the nodes stay the same as ruamel's own."""
    from ruamel.yaml.nodes import ScalarNode
    from ruamel.yaml.resolver import VersionedResolver
    from ruamel.yaml.tag import Tag

    tags: dict[str, Tag] = {}
    # an implicit scalar's tag depends only on its text and the YAML version: plans repeat the same
    # ids, dates and words, and a folder of plans repeats them again (short texts only)
    seen: dict[tuple[Any, str], Tag] = {}

    def shared(tag: Any) -> Any:
        if isinstance(tag, Tag) and tag.handle is None and tag.handles is None:
            found = tags.get(tag.suffix)
            if found is None:
                found = tags[tag.suffix] = tag
            return found
        return tag

    class Resolver(VersionedResolver):
        _table: Any = None
        _version: Any = None

        @property
        def versioned_resolver(self) -> Any:
            if self._table is None:
                self._version = self.processing_version
                self._table = super().versioned_resolver
            return self._table

        def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
            if kind is ScalarNode and implicit[0] and len(value) <= 64 and not self.yaml_path_resolvers:
                table = self.versioned_resolver  # sets the version
                key = (self._version, value)
                tag = seen.get(key)
                if tag is None and table is not None:
                    tag = seen[key] = shared(VersionedResolver.resolve(self, kind, value, implicit))
                return tag
            return shared(VersionedResolver.resolve(self, kind, value, implicit))

    return Resolver


def tag_text(ctag: Any) -> str | None:
    """A ruamel tag object (what the resolver gives) as text."""
    if ctag is None:
        return None
    if ctag.handle is None and isinstance(ctag.suffix, str) and ctag.suffix.startswith("tag:"):
        return str(ctag.suffix)
    return str(ctag)


def scalar_value(tag: str | None, value: str) -> Scalar:
    """The raw value of a scalar written as `value` (its text) with its resolved `tag`."""
    if tag == _T + "str" or tag == _T + "timestamp":
        return value
    if tag == _T + "null":
        return None
    if tag == _T + "bool":
        return value.lower() in ("true", "yes", "on", "y")
    if tag == _T + "int":
        text = value.replace("_", "")
        try:
            return int(text, 0)
        except ValueError:
            try:
                return int(text, 10)
            except ValueError:
                return value
    if tag == _T + "float":
        low = value.lower().replace("_", "")
        if low in (".inf", "+.inf"):
            return float("inf")
        if low == "-.inf":
            return float("-inf")
        if low == ".nan":
            return float("nan")
        try:
            return float(low)
        except ValueError:
            return value
    return value


def let_go(yaml: Any) -> None:
    """Drop what a finished reading of ruamel's `yaml` object refers to. Its C loader refers to
    itself (it is its own parser, composer and resolver): with the cycle collector off, as the
    command line runs, it would stay for the whole command, and with it the parser's copy of the
    text (9 MB on a plan of 10,000 tasks)."""
    loader = vars(yaml).pop("_scanner", None)
    yaml._stream = None
    if loader is not None and hasattr(loader, "__dict__"):
        vars(loader).clear()
