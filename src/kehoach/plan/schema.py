"""The JSON Schema and the field reference, both generated from the models, in the language asked.

The models (model.py) say which models and fields there are; their words are in the message
catalogues: `model.<Class>` describes a model or an enum of the schema, `field.<Class>.<field>` a
field of a model, `schema.id` an id wherever one stands, and the other `schema.*` keys word the
frame (the titles, the reference's headings, column names and type words). `word_keys()` lists the
keys of the first two families, which tests keep in step with the models.
"""

from __future__ import annotations

import typing
from typing import TYPE_CHECKING, Any, cast

from kehoach.base.messages import text
from kehoach.base.text import json_text

if TYPE_CHECKING:
    from collections.abc import Callable

    from pydantic import BaseModel
    from pydantic.json_schema import GenerateJsonSchema

SCHEMA_URL = "https://json-schema.org/draft/2020-12/schema"
COLUMNS = ("key", "type", "required", "default", "description")  # schema.col.<column>
TYPE_WORDS = ("str", "int", "bool", "date", "list", "dict")  # schema.type.<word>: the reference's type column


def _generator(lang: str) -> type[GenerateJsonSchema]:
    """pydantic's JSON Schema generator, with every model, enum, field and id described in `lang`."""
    from pydantic.json_schema import GenerateJsonSchema, JsonSchemaValue
    from pydantic_core import core_schema

    from kehoach.plan.model import ID_PATTERN

    class Worded(GenerateJsonSchema):
        def model_schema(self, schema: core_schema.ModelSchema) -> JsonSchemaValue:
            out = super().model_schema(schema)
            name = schema["cls"].__name__
            out["description"] = text(f"model.{name}", lang)
            for field, value in out.get("properties", {}).items():
                value["description"] = text(f"field.{name}.{field}", lang)
            return out

        def enum_schema(self, schema: core_schema.EnumSchema) -> JsonSchemaValue:
            out = super().enum_schema(schema)
            out["description"] = text(f"model.{schema['cls'].__name__}", lang)
            return out

        def str_schema(self, schema: core_schema.StringSchema) -> JsonSchemaValue:
            out = super().str_schema(schema)
            if out.get("pattern") == ID_PATTERN:
                out["description"] = text("schema.id", lang)
            return out

    return Worded


def json_schema(catalogue: bool = False, lang: str = "vi") -> dict[str, Any]:
    """The JSON Schema of a plan file (or, `catalogue`, of a body catalogue file), worded in `lang`."""
    from kehoach.plan.model import BodyCatalogue, Plan

    model = BodyCatalogue if catalogue else Plan
    schema = model.model_json_schema(mode="validation", schema_generator=_generator(lang))
    schema["title"] = text("schema.title.bodies" if catalogue else "schema.title.plan", lang)
    return {"$schema": SCHEMA_URL, **schema}


def json_schema_text(catalogue: bool = False, lang: str = "vi") -> str:
    return json_text(json_schema(catalogue, lang))


def _type_text(annotation: object, lang: str) -> str:
    """A short, readable type for the docs table."""
    from pydantic import BaseModel

    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is typing.Annotated:
        return _type_text(args[0], lang)
    if origin in (typing.Union, getattr(__import__("types"), "UnionType", None)):
        parts = [_type_text(a, lang) for a in args if a is not type(None)]
        return " \\| ".join(dict.fromkeys(parts))
    if origin is list:
        return text("schema.type.list", lang, item=_type_text(args[0], lang))
    if origin is dict:
        return text("schema.type.dict", lang, key=_type_text(args[0], lang), value=_type_text(args[1], lang))
    if origin is typing.Literal:
        return " \\| ".join(f"`{a}`" for a in args)
    if isinstance(annotation, type):
        if issubclass(annotation, BaseModel):
            return f"[{annotation.__name__}](#{annotation.__name__.lower()})"
        import enum

        if issubclass(annotation, enum.Enum):
            return " \\| ".join(f"`{m.value}`" for m in annotation)
        name = annotation.__name__
        return text(f"schema.type.{name}", lang) if name in TYPE_WORDS else name
    return str(annotation)


def _classes() -> list[type]:
    """Every model reachable from Plan, then from BodyCatalogue, and every enum of their fields,
    in order of first appearance."""
    import enum

    from pydantic import BaseModel

    from kehoach.plan.model import BodyCatalogue, Plan

    seen: list[type] = []

    def visit(tp: object) -> None:
        origin = typing.get_origin(tp)
        if origin is not None:
            for arg in typing.get_args(tp):
                visit(arg)
            return
        if isinstance(tp, type) and issubclass(tp, enum.Enum) and tp not in seen:
            seen.append(tp)
        if isinstance(tp, type) and issubclass(tp, BaseModel) and tp not in seen:
            seen.append(tp)
            for info in tp.model_fields.values():
                visit(info.annotation)
                for meta in info.metadata:
                    visit(getattr(meta, "annotation", None))

    visit(Plan)
    visit(BodyCatalogue)
    return seen


def _models() -> list[type[BaseModel]]:
    """Every model reachable from Plan, in order of first appearance (BodyCatalogue last)."""
    from pydantic import BaseModel

    return [c for c in _classes() if issubclass(c, BaseModel)]


def word_keys() -> set[str]:
    """The catalogue keys of the schema's words: `model.<Class>` for each model and enum,
    `field.<Class>.<field>` for each field of each model."""
    keys = {f"model.{c.__name__}" for c in _classes()}
    return keys | {f"field.{m.__name__}.{name}" for m in _models() for name in m.model_fields}


def _cell(words: str) -> str:
    return words.replace("|", "\\|").replace("\n", " ")


def format_reference(lang: str = "vi") -> str:
    """docs/plan-format.md: one table per model, worded in `lang`."""
    from pydantic_core import PydanticUndefined

    lines = [
        f"# {text('schema.heading', lang)}",
        "",
        f"<!-- {text('schema.generated', lang)} -->",
        "",
        *text("schema.intro", lang).splitlines(),
        "",
    ]
    columns = [text(f"schema.col.{c}", lang) for c in COLUMNS]
    for model in _models():
        name = model.__name__
        lines += [f"## {name}", "", text(f"model.{name}", lang), ""]
        lines += ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
        for field, info in model.model_fields.items():
            required = text("schema.yes", lang) if info.is_required() else ""
            default = ""
            if not info.is_required():
                value = info.default
                # pydantic allows a factory that takes the validated data; the plan models' take none
                factory = cast("Callable[[], Any] | None", info.default_factory)
                if factory is not None:
                    value = factory()
                if value is not PydanticUndefined and value not in (None, [], {}):
                    value = getattr(value, "value", value)
                    default = f"`{value}`" if not hasattr(value, "model_dump") else ""
            desc = _cell(text(f"field.{name}.{field}", lang))
            lines.append(f"| `{field}` | {_type_text(info.annotation, lang)} | {required} | {default} | {desc} |")
        lines.append("")
    return "\n".join(lines)
