"""The JSON Schema and the field reference are generated from the models and kept in step."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kehoach.plan.schema import format_reference, json_schema, json_schema_text

ROOT = Path(__file__).resolve().parent.parent


def test_schema_file_equals_kehoach_schema():
    on_disk = (ROOT / "schema" / "plan.schema.json").read_text(encoding="utf-8")
    assert on_disk == json_schema_text(), "schema/plan.schema.json is stale: run `kehoach schema -o schema/plan.schema.json`"


def test_catalogue_schema_file_equals_kehoach_schema():
    on_disk = (ROOT / "schema" / "bodies.schema.json").read_text(encoding="utf-8")
    assert on_disk == json_schema_text(catalogue=True), (
        "schema/bodies.schema.json is stale: run `kehoach schema --catalogue -o schema/bodies.schema.json`")


def test_docs_reference_equals_models():
    on_disk = (ROOT / "docs" / "plan-format.md").read_text(encoding="utf-8")
    assert on_disk == format_reference(), "docs/plan-format.md is stale: run `kehoach schema --markdown -o docs/plan-format.md`"


def test_docs_name_every_field_of_task():
    from kehoach.plan.model import Task

    text = format_reference()
    section = text.split("## Task", 1)[1].split("\n## ", 1)[0]
    for name in Task.model_fields:
        assert f"| `{name}` |" in section


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
