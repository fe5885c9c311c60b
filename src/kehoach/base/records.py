"""Records: classes of named fields, made as `dataclasses.dataclass` makes them, for the modules
`kehoach status` loads at start-up.

`dataclasses` imports `inspect` (≈ 10 ms) and spends ≈ 0.3 ms on every class it builds; `record`
builds the same class (its `__init__`, `__repr__`, `__eq__`, `__hash__`, `__match_args__`, frozen
and slotted when asked, defaults and default factories) with one small `exec` and none of that.
Only what kehoach's records use is supported: the options `frozen`, `eq`, `slots`, and `field`'s
`default`, `default_factory` and `repr`; a record's fields are its own (no record inherits another).

A record is still a dataclass to the code that asks (`dataclasses.fields`, `replace`, `asdict`,
`is_dataclass`, templates): its `__dataclass_fields__` is made on first use, importing
`dataclasses` only then.
"""

from __future__ import annotations

from operator import attrgetter
from reprlib import recursive_repr

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any, TypeVar, dataclass_transform

    T = TypeVar("T")
else:

    def dataclass_transform(**_options: object) -> Callable[[T], T]:
        return lambda decorated: decorated


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()


class FrozenInstanceError(AttributeError):
    """A field of a frozen record assigned or deleted."""


class Field:
    """One field of a record: its name, its default (or the factory making a fresh one for each
    record) and whether its repr shows it."""

    __slots__ = ("name", "default", "default_factory", "repr")

    def __init__(self, default: Any = MISSING, default_factory: Any = MISSING, repr: bool = True):
        if default is not MISSING and default_factory is not MISSING:
            raise ValueError("cannot specify both default and default_factory")
        self.name = ""
        self.default, self.default_factory, self.repr = default, default_factory, repr


def field(*, default: Any = MISSING, default_factory: Callable[[], Any] | Any = MISSING, repr: bool = True) -> Any:
    """A field's default (`default`, or `default_factory()` for each new record) and whether the
    record's repr shows it."""
    return Field(default, default_factory, repr)


@dataclass_transform(field_specifiers=(field, Field))
def record(cls: type[T] | None = None, /, *, frozen: bool = False, eq: bool = True,
           slots: bool = False) -> Any:
    """The class as `@dataclass(frozen=…, eq=…, slots=…)` makes it."""
    if cls is None:
        return lambda cls: _build(cls, frozen, eq, slots)
    return _build(cls, frozen, eq, slots)


def replace(obj: T, /, **changes: Any) -> T:
    """A copy of the record `obj` with the fields `changes` names changed (`dataclasses.replace`)."""
    values = {f.name: getattr(obj, f.name) for f in obj.__record_fields__}  # type: ignore[attr-defined]
    values.update(changes)
    return type(obj)(**values)


def _build(cls: Any, frozen: bool, eq: bool, slots: bool) -> Any:
    if any("__record_fields__" in vars(base) for base in cls.__mro__[1:]):
        raise TypeError(f"{cls.__name__}: a record cannot inherit another record's fields")
    fields: list[Field] = []
    for name, annotation in cls.__dict__.get("__annotations__", {}).items():
        if not str(annotation).startswith(("ClassVar", "typing.ClassVar")):
            value = cls.__dict__.get(name, MISSING)
            fields.append(value if isinstance(value, Field) else Field(value))
            fields[-1].name = name
    if slots:
        cls = _slotted(cls, fields)
    else:  # a default stays a class attribute, as dataclasses leaves it
        for f in fields:
            if f.default is not MISSING:
                setattr(cls, f.name, f.default)
            elif f.name in cls.__dict__:
                delattr(cls, f.name)
    names = tuple(f.name for f in fields)
    own = cls.__dict__
    cls.__record_fields__ = tuple(fields)
    cls.__record_options__ = (frozen, eq)
    cls.__dataclass_fields__ = _AsDataclass()
    cls.__match_args__ = names  # type: ignore[misc]
    if "__init__" not in own:
        cls.__init__ = _init(cls, fields, frozen)
    if "__repr__" not in own:
        cls.__repr__ = _repr(cls, [f.name for f in fields if f.repr])
    # a body defining __eq__ alone holds __hash__ = None, which is no hash of its own
    own_hash = "__hash__" in own and not (own["__hash__"] is None and "__eq__" in own)
    if eq:
        values = _values(names)
        if "__eq__" not in own:
            cls.__eq__ = _eq(values)
        if not own_hash:
            cls.__hash__ = _hash(values) if frozen else None
    if frozen:
        cls.__setattr__ = _frozen_setattr
        cls.__delattr__ = _frozen_delattr
        if slots:
            cls.__getstate__ = _getstate
            cls.__setstate__ = _setstate
    return cls


def _values(names: tuple[str, ...]) -> Callable[[object], tuple[object, ...]]:
    """The tuple of a record's field values (what its equality and hash compare)."""
    if len(names) > 1:
        return attrgetter(*names)
    return lambda obj: tuple(getattr(obj, name) for name in names)


def _slotted(cls: Any, fields: list[Field]) -> Any:
    """The class made again with `__slots__` (slots exist only in a class made with them)."""
    body = {k: v for k, v in cls.__dict__.items() if k not in ("__dict__", "__weakref__")}
    for f in fields:
        body.pop(f.name, None)
    body["__slots__"] = tuple(f.name for f in fields)
    made = type(cls)(cls.__name__, cls.__bases__, body)
    made.__qualname__ = cls.__qualname__
    return made


def _init(cls: type, fields: list[Field], frozen: bool) -> Callable[..., None]:
    """The `__init__` taking each field by position or by name, made by `exec` as dataclasses
    makes it (the fastest to call: records are made by the thousand)."""
    scope: dict[str, Any] = {"MISSING": MISSING, "setter": object.__setattr__}
    params, body = [], []
    for f in fields:
        if f.default_factory is not MISSING:
            scope[f"factory_{f.name}"] = f.default_factory
            params.append(f"{f.name}=MISSING")
            value = f"factory_{f.name}() if {f.name} is MISSING else {f.name}"
        elif f.default is not MISSING:
            scope[f"default_{f.name}"] = f.default
            params.append(f"{f.name}=default_{f.name}")
            value = f.name
        else:
            if params and "=" in params[-1]:
                raise TypeError(f"non-default argument {f.name!r} follows default argument")
            params.append(f.name)
            value = f.name
        body.append(f"setter(self, {f.name!r}, {value})" if frozen else f"self.{f.name} = {value}")
    source = f"def __init__(self, {', '.join(params)}):\n    " + ("\n    ".join(body) or "pass") + "\n"
    exec(source, scope)
    init: Callable[..., None] = scope["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    return init


def _repr(cls: type, names: list[str]) -> Callable[[object], str]:
    def __repr__(self: object) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in names)
        return f"{type(self).__qualname__}({shown})"

    __repr__.__qualname__ = f"{cls.__qualname__}.__repr__"
    return recursive_repr()(__repr__)


def _eq(values: Callable[[object], object]) -> Callable[[object, object], bool]:
    def __eq__(self: object, other: object) -> bool:
        if other.__class__ is self.__class__:
            return values(self) == values(other)
        return NotImplemented

    return __eq__


def _hash(values: Callable[[object], tuple[object, ...]]) -> Callable[[object], int]:
    def __hash__(self: object) -> int:
        return hash(values(self))

    return __hash__


def _frozen_setattr(self: object, name: str, value: object) -> None:
    raise FrozenInstanceError(f"cannot assign to field {name!r}")


def _frozen_delattr(self: object, name: str) -> None:
    raise FrozenInstanceError(f"cannot delete field {name!r}")


def _names(obj: object) -> tuple[str, ...]:
    return tuple(f.name for f in type(obj).__record_fields__)  # type: ignore[attr-defined]


def _getstate(self: object) -> list[object]:
    return [getattr(self, name) for name in _names(self)]


def _setstate(self: object, state: list[object]) -> None:
    for name, value in zip(_names(self), state, strict=True):
        object.__setattr__(self, name, value)


class _AsDataclass:
    """`__dataclass_fields__`, made when first asked for: the fields of the same class body
    through `dataclasses.dataclass`, so that `dataclasses.fields`, `replace`, `asdict` and
    `is_dataclass` treat a record as the dataclass it stands for."""

    def __get__(self, obj: object, owner: Any) -> dict[str, Any]:
        import dataclasses

        body: dict[str, Any] = {"__annotations__": {f.name: owner.__annotations__[f.name]
                                                    for f in owner.__record_fields__}}
        for f in owner.__record_fields__:
            given = {"default": f.default, "default_factory": f.default_factory}
            body[f.name] = dataclasses.field(repr=f.repr, **{k: v for k, v in given.items() if v is not MISSING})
        frozen, eq = owner.__record_options__
        shadow: Any = dataclasses.dataclass(frozen=frozen, eq=eq)(type(owner.__name__, (), body))
        found: dict[str, Any] = shadow.__dataclass_fields__
        type.__setattr__(owner, "__dataclass_fields__", found)
        return found
