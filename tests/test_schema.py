"""The JSON Schema and the field reference are generated from the models and kept in step."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from kehoach.base.messages import LANGS, catalogue
from kehoach.plan.schema import format_reference, json_schema, json_schema_text, word_keys

ROOT = Path(__file__).resolve().parent.parent


def test_schema_file_equals_kehoach_schema():
    on_disk = (ROOT / "schema" / "plan.schema.json").read_text(encoding="utf-8")
    assert on_disk == json_schema_text(), (
        "schema/plan.schema.json is stale: run `kehoach schema -o schema/plan.schema.json`")


def test_catalogue_schema_file_equals_kehoach_schema():
    on_disk = (ROOT / "schema" / "bodies.schema.json").read_text(encoding="utf-8")
    assert on_disk == json_schema_text(catalogue=True), (
        "schema/bodies.schema.json is stale: run `kehoach schema --catalogue -o schema/bodies.schema.json`")


def test_docs_reference_equals_models():
    on_disk = (ROOT / "docs" / "plan-format.md").read_text(encoding="utf-8")
    assert on_disk == format_reference(), (
        "docs/plan-format.md is stale: run `kehoach schema --markdown -o docs/plan-format.md`")


def test_docs_name_every_field_of_task():
    from kehoach.plan.model import Task

    text = format_reference()
    section = text.split("## Task", 1)[1].split("\n## ", 1)[0]
    for name in Task.model_fields:
        assert f"| `{name}` |" in section


def test_every_model_and_field_has_words_in_every_catalogue_and_every_word_names_one():
    """The models say which fields there are; the catalogues hold their words, under `model.<Class>`
    and `field.<Class>.<field>`: none missing in any language, none left over for a field gone."""
    keys = word_keys()
    for catalogue_file in (False, True):  # the keys cover what the JSON Schema holds
        schema = json_schema(catalogue_file)
        root = "BodyCatalogue" if catalogue_file else "Plan"
        for name, part in [(root, schema), *schema["$defs"].items()]:
            assert f"model.{name}" in keys
            assert {f"field.{name}.{field}" for field in part.get("properties", {})} <= keys, name
    for lang in LANGS:
        have = {k for k in catalogue(lang) if k.startswith(("model.", "field."))}
        assert sorted(keys - have) == [], f"{lang}: a model or field without words"
        assert sorted(have - keys) == [], f"{lang}: words for no model or field"


def _strings(node: object, key: str = ""):
    """Every (key, text) of a JSON document, at any depth."""
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _strings(v, k)
    elif isinstance(node, list):
        for v in node:
            yield from _strings(v, key)
    elif isinstance(node, str):
        yield key, node


def _vietnamese(text: str) -> list[str]:
    """The words of `text` written with a Vietnamese letter (one with a diacritic, or đ), leaving
    out `code` spans: the example values and the words a plan file itself writes."""
    prose = re.sub(r"`[^`]*`", "", text)
    return [w for w in prose.split() if any(ch in "đĐ" or unicodedata.normalize("NFD", ch) != ch for ch in w)]


@pytest.mark.parametrize("args", [["schema"], ["schema", "--catalogue"], ["schema", "--markdown"]])
def test_the_schema_in_english_is_all_english_and_in_vietnamese_whole_and_nfc(kehoach, args):
    code, english, _ = kehoach(*args, "--lang", "en")
    assert code == 0
    code, vietnamese, _ = kehoach(*args)
    assert code == 0
    assert vietnamese == (format_reference() if "--markdown" in args else json_schema_text("--catalogue" in args))
    assert unicodedata.is_normalized("NFC", vietnamese)
    if "--markdown" in args:
        assert _vietnamese(english) == []
        for out in (english, vietnamese):  # a description in every row
            rows = [line for line in out.splitlines() if line.startswith("| `")]
            assert rows and all(not line.endswith("|  |") for line in rows)
        return
    for out in (english, vietnamese):
        described = [part for key, part in _strings(json.loads(out)) if key in ("description", "title")]
        assert described and all(described)
        if out is english:
            assert [w for d in described for w in _vietnamese(d)] == []
    for schema in (json.loads(english), json.loads(vietnamese)):  # every model, enum and field described
        for part in [schema, *schema["$defs"].values()]:
            assert part["description"]
            assert all(field.get("description") for field in part.get("properties", {}).values())


def test_the_words_of_the_plan_format_change_with_the_language():
    assert json_schema(lang="en")["$defs"]["Task"]["properties"]["lead"]["description"] == "Ids of the lead bodies."
    assert json_schema()["$defs"]["Task"]["properties"]["lead"]["description"] == "Mã cơ quan chủ trì."
    assert json_schema(lang="en")["title"] == "Plan (kehoach plan)"
    assert "| key | type | required | default | description |" in format_reference("en")
    assert "| khóa | kiểu | bắt buộc | mặc định | mô tả |" in format_reference()


def test_plan_starts_with_schema_modeline():
    first = (ROOT / "plans" / "2021.yaml").read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=../schema/plan.schema.json"


def test_schema_forbids_unknown_keys():
    schema = json_schema()
    assert schema["additionalProperties"] is False
    assert schema["$defs"]["Task"]["additionalProperties"] is False


def _check_jsonschema() -> list[str] | None:
    exe = Path(sys.executable).parent / "check-jsonschema"
    if exe.exists():
        return [str(exe)]
    found = shutil.which("check-jsonschema")
    return [found] if found else None


def test_plan_validates_with_independent_check_jsonschema(tmp_path):
    cmd = _check_jsonschema()
    if cmd is None:
        pytest.skip("check-jsonschema is not installed (pip install '.[test]' brings it)")
    result = subprocess.run(
        cmd + ["--schemafile", str(ROOT / "schema" / "plan.schema.json"), str(ROOT / "plans" / "2021.yaml")],
        capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_check_jsonschema_rejects_a_misspelt_key(tmp_path):
    cmd = _check_jsonschema()
    if cmd is None:
        pytest.skip("check-jsonschema is not installed (pip install '.[test]' brings it)")
    bad = tmp_path / "bad.yaml"
    text = (ROOT / "plans" / "2021.yaml").read_text(encoding="utf-8").replace("  title:", "  titel:", 1)
    bad.write_text(text, encoding="utf-8")
    result = subprocess.run(
        cmd + ["--schemafile", str(ROOT / "schema" / "plan.schema.json"), str(bad)], capture_output=True, text=True
    )
    assert result.returncode == 1
    assert "titel" in result.stdout + result.stderr
