"""`lgcb schema`: JSON Schemas generated from the model, committed in schema/, used by editors.

The schemas are checked with the independent `jsonschema` package, both as the draft 7 schemas
they declare (what editors support) and as Draft 2020-12: either way they must accept every
shipped plan file and reject every file of the broken corpus, as the pydantic model does.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from jsonschema import Draft7Validator, Draft202012Validator, validators
from jsonschema.protocols import Validator

from lgcb.checks.load import validate_files
from lgcb.planfile.layout import objective_files
from lgcb.planfile.read import read_yaml
from lgcb.schema import objective_schema, plan_schema, schema_text

ROOT = Path(__file__).resolve().parent.parent
SCHEMA_DIR = ROOT / "schema"
BROKEN = Path(__file__).resolve().parent / "fixtures" / "broken-schema"
PLAN_FILES = [ROOT / "plan" / "plan.yaml", *objective_files(ROOT / "plan")]


DIALECTS = {"draft7": Draft7Validator, "draft2020-12": Draft202012Validator}


@functools.cache
def validator(kind: str, dialect: str) -> Validator:
    schema = json.loads((SCHEMA_DIR / f"{kind}.schema.json").read_text(encoding="utf-8"))
    cls = DIALECTS[dialect]
    cls.check_schema(schema)
    return cls(schema)


def test_the_schemas_declare_draft_7_for_editors() -> None:
    for kind in ("plan", "objective"):
        schema = json.loads((SCHEMA_DIR / f"{kind}.schema.json").read_text(encoding="utf-8"))
        assert validators.validator_for(schema) is Draft7Validator


def data(path: Path) -> Any:
    doc = read_yaml(path)
    assert not doc.problems, doc.problems
    return doc.data


def kind_of(path: Path) -> str:
    return "plan" if path.name == "plan.yaml" or path.name.startswith("plan-") else "objective"


@pytest.mark.parametrize("kind", ["plan", "objective"])
def test_the_committed_schemas_are_up_to_date_with_the_model(kind: str) -> None:
    committed = (SCHEMA_DIR / f"{kind}.schema.json").read_text(encoding="utf-8")
    assert committed == schema_text(kind), "schema/ is stale: run `lgcb schema -o schema/` and commit"


@pytest.mark.parametrize("dialect", DIALECTS)
@pytest.mark.parametrize("path", PLAN_FILES, ids=lambda p: p.name)
def test_the_schema_accepts_every_shipped_plan_file(path: Path, dialect: str) -> None:
    errors = [e.message for e in validator(kind_of(path), dialect).iter_errors(data(path))]
    assert errors == []


BROKEN_FILES = sorted(BROKEN.glob("*.yaml"))


def test_the_broken_corpus_covers_both_kinds_of_file() -> None:
    kinds = [kind_of(p) for p in BROKEN_FILES]
    assert kinds.count("plan") >= 5 and kinds.count("objective") >= 15


@pytest.mark.parametrize("path", BROKEN_FILES, ids=lambda p: p.stem)
def test_the_schema_and_the_model_both_reject_every_broken_file(path: Path, tmp_path: Path) -> None:
    for dialect in DIALECTS:
        assert list(validator(kind_of(path), dialect).iter_errors(data(path))), f"{dialect} accepts a broken file"
    # The model checks a file as plan.yaml by its name.
    target = tmp_path / ("plan.yaml" if kind_of(path) == "plan" else "03-objective.yaml")
    target.write_bytes(path.read_bytes())
    assert validate_files([target]), "the model accepts a file the corpus says is broken"


def test_an_item_or_a_group_heading_is_told_apart_by_its_fields() -> None:
    entry = objective_schema()["properties"]["activities"]["items"]
    assert entry == {"oneOf": [{"$ref": "#/definitions/Activity"}, {"$ref": "#/definitions/ActivityGroup"}]}
    definitions = objective_schema()["definitions"]
    assert definitions["Activity"]["required"] == ["id", "text"]
    assert definitions["ActivityGroup"]["required"] == ["id", "group"]
    assert definitions["Activity"]["additionalProperties"] is False


def test_text_fields_require_strings_and_numbers_require_integers() -> None:
    schema = objective_schema()
    assert schema["properties"]["title"]["type"] == "string"
    assert schema["properties"]["number"]["type"] == "integer"
    assert schema["definitions"]["Result"]["properties"]["number"]["anyOf"][0]["type"] == "string"
    assert plan_schema()["definitions"]["Timeframe"]["properties"]["start"] == {
        "maximum": 2200,
        "minimum": 1900,
        "title": "Start",
        "type": "integer",
        "description": "First year of the plan, e.g. 2011.",
    }


def _properties(schema: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    found = [("(root)", name, prop) for name, prop in schema["properties"].items()]
    for model, node in schema.get("definitions", {}).items():
        found += [(model, name, prop) for name, prop in node.get("properties", {}).items()]
    return found


@pytest.mark.parametrize("make", [plan_schema, objective_schema], ids=["plan", "objective"])
def test_every_field_has_a_description_for_the_editor(make: Callable[[], dict[str, Any]]) -> None:
    schema = make()
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
    assert schema["$id"].startswith("urn:lgcb:schema:")
    missing = [f"{model}.{name}" for model, name, prop in _properties(schema) if not prop.get("description")]
    assert missing == []


@pytest.mark.parametrize("path", PLAN_FILES, ids=lambda p: p.name)
def test_every_plan_file_names_its_schema_on_the_first_line(path: Path) -> None:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    prefix = "# yaml-language-server: $schema="
    assert first.startswith(prefix)
    target = (path.parent / first.removeprefix(prefix)).resolve()
    assert target == SCHEMA_DIR / f"{kind_of(path)}.schema.json"


def test_schema_prints_one_schema(invoke: Callable[..., Result]) -> None:
    result = invoke("schema", "--kind", "objective")
    assert result.exit_code == 0
    assert result.output == (SCHEMA_DIR / "objective.schema.json").read_text(encoding="utf-8")


def test_schema_writes_both_schemas_into_a_directory(invoke: Callable[..., Result], tmp_path: Path) -> None:
    result = invoke("schema", "-o", str(tmp_path / "out"))
    assert result.exit_code == 0
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["objective.schema.json", "plan.schema.json"]
    assert (tmp_path / "out" / "plan.schema.json").read_text(encoding="utf-8") == schema_text("plan")


def test_schema_alone_writes_both_schemas_beside_the_plan(invoke: Callable[..., Result], copy_plan: Path) -> None:
    """Where the plan files' `# yaml-language-server: $schema=../schema/…` lines point."""
    result = invoke("schema", plan=copy_plan)
    assert result.exit_code == 0, result.output
    written = sorted(p.name for p in (copy_plan.parent / "schema").iterdir())
    assert written == ["objective.schema.json", "plan.schema.json"]
    assert (copy_plan.parent / "schema" / "plan.schema.json").read_text(encoding="utf-8") == (
        ROOT / "schema" / "plan.schema.json"
    ).read_text(encoding="utf-8")
    assert invoke("schema", "--kind", "plan", "-o", "x").exit_code == 2
