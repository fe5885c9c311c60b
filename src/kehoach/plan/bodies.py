"""The bodies of a plan: names, short names, groups and their members, and
finding a body from what a user types (without diacritics or case)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from kehoach.base.errors import UsageError
from kehoach.base.text import fold, listed

if TYPE_CHECKING:
    from kehoach.plan.model import Body, Plan


class Bodies:
    """Body lookups over one plan."""

    def __init__(self, plan: Plan):
        self.by_id: dict[str, Body] = {b.id: b for b in plan.bodies}
        self.groups_of: dict[str, list[str]] = {}
        self._expanded: dict[tuple[str, ...], list[str]] = {}
        for b in plan.bodies:
            for m in b.members:
                self.groups_of.setdefault(m, []).append(b.id)

    def short(self, body_id: str) -> str:
        b = self.by_id.get(body_id)
        return (b.short or b.name) if b else body_id

    def shorts(self, body_ids: Iterable[str]) -> str:
        """Bodies' short names as a table cell or a sentence lists them: "BDVTU, Sở Nội vụ"; where
        a name holds a comma ("Các sở, ban, ngành") they are set apart by semicolons, and a group's
        "Các …" goes on in lower case: "UBND tỉnh; các sở, ban, ngành; UBND cấp huyện"."""
        names = [self.short(i) for i in body_ids]
        names = names[:1] + [("c" + n[1:]) if n.startswith("Các ") else n for n in names[1:]]
        return listed(names)

    def name(self, body_id: str) -> str:
        b = self.by_id.get(body_id)
        return b.name if b else body_id

    def expand(self, ids: Iterable[str]) -> list[str]:
        """Body ids with each group replaced by its members (groups without members kept)."""
        key = tuple(ids)
        found = self._expanded.get(key)
        if found is None:
            found = self._expanded[key] = self._expand(key)
        return list(found)

    def _expand(self, ids: tuple[str, ...]) -> list[str]:
        out: list[str] = []
        for i in ids:
            b = self.by_id.get(i)
            members = b.members if b is not None else []
            for m in members or [i]:
                if m not in out:
                    out.append(m)
        return out

    def match(self, query: str) -> list[str]:
        """Bodies whose id, short name or name matches `query` (no diacritics, any case; an id's
        hyphens typed as spaces: "mttq tinh" is `mttq-tinh`)."""
        q = fold(query)
        spaced = q.replace("-", " ")

        def as_typed(ident: str) -> str:
            return fold(ident.replace("-", " ").replace("_", " "))

        exact = [b.id for b in self.by_id.values()
                 if q in (fold(b.id), fold(b.short or ""), fold(b.name)) or spaced == as_typed(b.id)]
        if exact:
            return exact
        return [b.id for b in self.by_id.values()
                if q in fold(b.name) or (b.short and q in fold(b.short)) or spaced in as_typed(b.id)]

    def exact(self, words: str) -> str | None:
        """The one body whose id, short name or name is `words` (no diacritics, any case), or None:
        a certain match, for reading a body's name written in words."""
        q = fold(words)
        found = {b.id for b in self.by_id.values() if q in (fold(b.id), fold(b.short or ""), fold(b.name))}
        return found.pop() if len(found) == 1 else None

    def require(self, query: str) -> list[str]:
        """`match`, or a usage error naming the plan's bodies when nothing matches."""
        found = self.match(query)
        if not found:
            raise UsageError("body-not-found", {"value": query, "known": ", ".join(self.by_id)})
        return found

    def involves(self, row_bodies: Iterable[str], wanted: set[str]) -> bool:
        """Whether any of `row_bodies` is, belongs to, or groups one of `wanted`."""
        for i in row_bodies:
            if i in wanted or wanted & set(self.groups_of.get(i, [])) or wanted & set(self.expand([i])):
                return True
        return False
