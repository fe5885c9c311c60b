"""Problems located in a plan's text: pydantic's validation errors translated into kehoach's
diagnostics (a message code, the words a user reads, the place), and every diagnostic given its
file, line and column from the path of the value it is about."""

from __future__ import annotations

import typing
from typing import TYPE_CHECKING, Any

from kehoach.base.diagnostics import DataPath, Diagnostic
from kehoach.base.messages import Msg, did_you_mean
from kehoach.base.text import suggest

if TYPE_CHECKING:
    from pydantic import ValidationError
    from pydantic_core import ErrorDetails

    from kehoach.plan.source import Document


def place(diags: list[Diagnostic], doc: Document | None, name: str) -> list[Diagnostic]:
    """Give each diagnostic its file, line and column (from its path when it has one);
    at most `diagnostics.PER_CODE` of one kind (`diagnostics.cap`)."""
    from kehoach.base.diagnostics import cap

    diags = cap(diags)
    for d in diags:
        if d.file is not None and d.file != name:
            continue  # located already, in another file (a body catalogue)
        d.file = name
        if d.loc and doc is not None:
            key_codes = {"unknown-key", "duplicate-key"}
            d.line, d.col = doc.key_pos(d.loc) if d.code in key_codes else doc.value_pos(d.loc)
    return sorted(diags, key=Diagnostic.sort_key)


# a number's bound, in words ("không nhỏ hơn 0"), by pydantic's kind of error
BOUNDS = {"greater_than_equal": "bound.at-least", "less_than_equal": "bound.at-most",
          "greater_than": "bound.more-than", "less_than": "bound.less-than"}
TYPE_NAMES = ("string", "int", "list", "dict", "model", "bool", "date", "float")  # type.<name> in the catalogue
EXAMPLES = ("list", "date", "int", "bool")  # example.<name>


def _type(name: str) -> Msg:
    return Msg(f"type.{name}")


def _example(name: str) -> Msg | str:
    return Msg(f"example.{name}") if name in EXAMPLES else ""


def _got(value: Any) -> Msg:
    """What the file holds where something else was expected, in words."""
    if value is None:
        return Msg("got.empty")
    if isinstance(value, bool):
        return Msg("got.bool")
    if isinstance(value, (int, float)):  # 2.5 where a whole number is asked: "số 2.5", not "float"
        return Msg("got.number", {"value": value})
    if isinstance(value, str):
        return Msg("got.text", {"value": value[:40]})
    if isinstance(value, list):
        return Msg("got.list")
    if isinstance(value, dict):
        return Msg("got.mapping")
    return Msg("got.other", {"value": type(value).__name__})


def pydantic_diagnostics(exc: ValidationError, doc: Document) -> list[Diagnostic]:
    """Each validation error as a diagnostic. Past `diagnostics.PER_CODE` unknown keys, only
    where each is, without a suggestion (they are counted, not shown: `diagnostics.cap`)."""
    from kehoach.base.diagnostics import PER_CODE

    out = []
    unknown = 0
    for err in exc.errors(include_url=False):
        loc = doc.data_path(err["loc"])
        if err["type"] == "extra_forbidden":
            unknown += 1
            if unknown > PER_CODE:
                out.append(Diagnostic("unknown-key", "error", params={"key": loc[-1] if loc else "?"}, loc=loc))
                continue
        out.append(_one(err, loc, doc))
    return out


def _key(loc: DataPath) -> str:
    for seg in reversed(loc):
        if isinstance(seg, str):
            return seg
    return "?"


def _one(err: ErrorDetails, loc: DataPath, doc: Document) -> Diagnostic:
    kind = err["type"]
    value = err.get("input")
    key = _key(loc)
    ctx = err.get("ctx") or {}

    def d(code: str, **params: object) -> Diagnostic:
        return Diagnostic(code, "error", params={"key": key, **params}, loc=loc)

    if kind == "extra_forbidden":
        allowed = sorted(_allowed_keys(err["loc"][:-1]))
        near = suggest(str(loc[-1]), allowed) if allowed else None
        return d(
            "unknown-key",
            key=loc[-1],
            allowed=", ".join(allowed) or "-",
            suggest=did_you_mean(near),
            suggestion=near,
        )
    if kind == "missing":
        return d("missing-key")
    blank = isinstance(value, str) and not value.strip()
    if kind == "string_too_short" or (kind == "string_pattern_mismatch" and blank):
        return d("empty-value")
    if kind == "too_short":
        return d("empty-list")
    if kind in ("string_too_long", "too_long"):
        size = len(value) if isinstance(value, (str, list)) else "?"
        return d("too-long", length=size, limit=ctx.get("max_length", "?"))
    if kind == "string_pattern_mismatch":
        return d("invalid-id", value=value)
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        if key == "percent" or loc[-2:-1] == ("leads",):  # a percent (a carried lead's part too)
            return d("percent-range", value=value)
        bound = ctx.get("ge", ctx.get("le", ctx.get("gt", ctx.get("lt"))))
        return d("number-range", value=value, detail=Msg(BOUNDS[kind], {"n": bound}))
    if kind in ("enum", "literal_error"):
        allowed = [a.strip(" '") for a in str(ctx.get("expected", "")).replace(" or ", ", ").split(",") if a.strip()]
        near = suggest(str(value), allowed) if allowed else None
        return d(
            "invalid-choice", value=value, allowed=", ".join(allowed),
            suggest=did_you_mean(near),
        )
    if kind.startswith("date") or kind.startswith("datetime"):
        if isinstance(value, (str, int)) and not isinstance(value, bool):
            return d("invalid-date", value=value)
        return d("wrong-type", expected=_type("date"), got=_got(value), example=_example("date"))
    if kind == "value_error":
        from kehoach.plan.model import CodedValueError

        error = ctx.get("error")
        if isinstance(error, CodedValueError):  # the model's own checks name their message
            return d(error.code, **error.params)
        return d("invalid-value", value=value, detail=str(error or err.get("msg", "")))
    if value is None and kind.endswith("_type"):
        return d("empty-value")
    for prefix in ("string", "int", "list", "dict", "model", "bool", "float", "date"):
        if kind.startswith(prefix):
            return d("wrong-type", expected=_type(prefix), got=_got(value), example=_example(prefix))
    if kind in ("model_attributes_type", "union_tag_invalid", "union_tag_not_found"):
        return d("wrong-type", expected=_type("dict"), got=_got(value), example="")
    return d("invalid-value", value=value, detail=err.get("msg", kind))


def _allowed_keys(loc: tuple[str | int, ...]) -> set[str]:
    """The keys the model accepts at a location (for 'did you mean …?')."""
    from pydantic import BaseModel

    from kehoach.plan.model import Plan

    current: Any = Plan
    for seg in loc:
        current = _step(current, seg)
        if current is None:
            return set()
    current = _unwrap(current)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return set(current.model_fields)
    return set()


# Type forms (classes, unions, Annotated[...]) as pydantic's fields hold them are untyped values here.
def _unwrap(tp: Any) -> Any:
    while typing.get_origin(tp) is typing.Annotated:
        tp = typing.get_args(tp)[0]
    return tp


def _tag_of(tp: Any) -> str | None:
    if typing.get_origin(tp) is typing.Annotated:
        for meta in typing.get_args(tp)[1:]:
            tag: str | None = getattr(meta, "tag", None)  # a pydantic Tag's name
            if tag:
                return tag
    return None


def _step(tp: Any, seg: str | int) -> Any:
    from pydantic import BaseModel

    tp = _unwrap(tp)
    origin = typing.get_origin(tp)
    if origin in (typing.Union, getattr(__import__("types"), "UnionType", None)):
        options = typing.get_args(tp)
        for option in options:
            if _tag_of(option) == seg:
                return option
        for option in options:
            found = _step(option, seg)
            if found is not None:
                return found
        return None
    if origin is list:
        return typing.get_args(tp)[0] if isinstance(seg, int) else None
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        info = tp.model_fields.get(seg) if isinstance(seg, str) else None
        return info.annotation if info else None
    return None
