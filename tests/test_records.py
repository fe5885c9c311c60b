"""`record` makes the classes `dataclasses.dataclass` makes (for every option kehoach uses), and
`kehoach status` starts without importing `dataclasses` or `inspect`."""

from __future__ import annotations

import copy
import dataclasses
import pickle
from pathlib import Path

import pytest

from kehoach.base import records
from kehoach.base.records import FrozenInstanceError, record

ROOT = Path(__file__).resolve().parents[1]
OPTIONS = [{}, {"frozen": True}, {"eq": False}, {"frozen": True, "eq": False}, {"slots": True},
           {"frozen": True, "slots": True}, {"eq": False, "slots": True}]


def _pair(options: dict[str, bool]) -> tuple[type, type]:
    """The same class body through `dataclasses.dataclass` and through `record`."""

    def body(make, field):  # type: ignore[no-untyped-def]
        @make(**options)
        class Item:
            name: str
            size: int
            tags: list[str] = field(default_factory=list)
            note: str | None = None
            hidden: int = field(default=0, repr=False)

            def label(self) -> str:
                return f"{self.name}:{self.size}"

        return Item

    return body(dataclasses.dataclass, dataclasses.field), body(record, records.field)


def _hash(value: object) -> object:
    try:
        return hash(value)
    except TypeError as exc:  # a list among the fields
        return str(exc)


@pytest.mark.parametrize("options", OPTIONS, ids=lambda o: ",".join(o) or "plain")
def test_a_record_behaves_as_the_dataclass(options):
    real, made = _pair(options)
    for args, kwargs in [(("a", 1), {}), (("a",), {"size": 2, "note": "n"}), ((), {"name": "b", "size": 3,
                                                                                   "tags": ["x"], "hidden": 4})]:
        one, other = real(*args, **kwargs), made(*args, **kwargs)
        assert repr(one).replace("dataclass", "record") == repr(other)
        assert repr(other).startswith("_pair.<locals>.body.<locals>.Item(name=")
        assert [(f.name, f.default, f.repr) for f in dataclasses.fields(one)] == [
            (f.name, f.default, f.repr) for f in dataclasses.fields(other)]
        assert dataclasses.asdict(one) == dataclasses.asdict(other)
        assert made.__match_args__ == real.__match_args__
        assert other.label() == one.label()
        twin = made(*args, **kwargs)
        assert (twin == other) is (real(*args, **kwargs) == one)
        assert (twin != other) is (real(*args, **kwargs) != one)
        assert (other == (other.name, other.size)) is (one == (one.name, one.size)) is False
        assert (other != "x") is (one != "x") is True
        assert (made.__hash__ is None) is (real.__hash__ is None)
        if made.__hash__ is not None and options.get("eq", True):
            assert _hash(twin) == _hash(other) == _hash(one)  # the same tuple hashed
        changed = dataclasses.replace(other, size=9)
        assert type(changed) is made and changed.size == 9 and changed.name == other.name
        assert records.replace(other, size=9) == changed if options.get("eq", True) else True
        with pytest.raises(TypeError):
            made(*args, bogus=1, **kwargs)
        if options.get("frozen"):
            with pytest.raises(FrozenInstanceError):
                other.size = 5
            with pytest.raises(AttributeError):
                del other.size
            with pytest.raises(dataclasses.FrozenInstanceError):
                one.size = 5
        else:
            other.size = 5
            assert other.size == 5
        for copied in (copy.deepcopy(other), copy.copy(other)):
            assert type(copied) is made and repr(copied) == repr(other)
    assert made(1, 2).tags is not made(1, 2).tags
    assert hasattr(made(1, 2), "__dict__") is hasattr(real(1, 2), "__dict__") is (not options.get("slots"))
    if options.get("slots"):
        assert made.__slots__ == real.__slots__ and type(vars(made)["note"]) is type(vars(real)["note"])
    else:
        assert made.note is real.note is None and not hasattr(made, "tags") and not hasattr(real, "tags")
    with pytest.raises(TypeError):
        made("a")


def test_a_recursive_record_shows_itself_once():
    @record(eq=False, slots=True)
    class Node:
        parent: Node | None
        children: list[Node] = records.field(default_factory=list)

    top = Node(None)
    top.children.append(Node(top))
    assert repr(top) == "test_a_recursive_record_shows_itself_once.<locals>.Node(parent=None, children=[" \
        "test_a_recursive_record_shows_itself_once.<locals>.Node(parent=..., children=[])])"


@record(frozen=True, slots=True)
class Kept:
    day: int
    words: tuple[str, ...] = ()


@record(slots=True)
class Open:
    key: str
    items: list[int] = records.field(default_factory=list)


@record(frozen=True)
class Plain:
    key: str


@pytest.mark.parametrize("value", [Kept(1, ("a",)), Open("k", [1, 2]), Plain("p")], ids=repr)
def test_a_record_is_pickled_and_read_back(value):
    """As the plan cache keeps them: the same record read back (frozen ones too)."""
    back = pickle.loads(pickle.dumps(value))
    assert type(back) is type(value) and back == value and repr(back) == repr(value)


def test_a_class_body_keeps_its_own_methods():
    class Words:
        def __eq__(self, other: object) -> bool:
            return isinstance(other, str) and other == "same"

        def __hash__(self) -> int:
            return 7

    @record(frozen=True, eq=False)
    class Named(Words):
        key: str

        def __repr__(self) -> str:
            return "named"

    assert Named("a") == "same" and hash(Named("a")) == 7 and repr(Named("a")) == "named"

    with pytest.raises(TypeError):
        @record
        class Wrong:
            first: int = 1
            second: int


def test_the_plan_cache_key_sees_every_module_and_catalogue():
    """The cache entry's code key (made at every start) covers each module and message catalogue
    of kehoach, with its size and time, as a walk of the package with pathlib finds them."""
    from kehoach.plan import cache

    here = Path(cache.__file__).resolve().parent.parent
    walked = {str(p.relative_to(here)): (p.stat().st_size, p.stat().st_mtime_ns)
              for p in [*here.rglob("*.py"), *here.rglob("*.mo")]}
    listed = {name: (st.st_size, st.st_mtime_ns) for name, st in cache._sources(str(here), "")}
    assert listed == walked and "base/records.py" in listed and any(n.endswith(".mo") for n in listed)
