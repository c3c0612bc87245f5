"""The committed JSON Schema (schema/design-v1.json): in sync with `erdesign schema`, described,
with enums for closed sets and suggestions from rules/data/; the examples validate and point at it."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from erdesign import facts
from erdesign.schema import design_schema, undescribed_fields

REPO = Path(__file__).resolve().parents[1]
COMMITTED = REPO / "schema" / "design-v1.json"


@pytest.fixture(scope="module")
def schema() -> dict:
    return json.loads(COMMITTED.read_text(encoding="utf-8"))


def test_committed_schema_is_what_erdesign_schema_prints(run_cli):
    printed = run_cli("schema").out
    assert printed == COMMITTED.read_text(encoding="utf-8"), (
        "schema/design-v1.json is out of date; run: erdesign schema -o schema/design-v1.json")


def test_every_field_has_a_description(schema):
    assert undescribed_fields(schema) == [], "add a description in src/erdesign/schema.py (FIELDS) or the model"
    assert undescribed_fields(design_schema()) == []


def test_closed_sets_are_enums(schema):
    defs = schema["$defs"]
    assert defs["Peering"]["properties"]["type"]["enum"] == ["AzurePrivatePeering", "MicrosoftPeering",
                                                             "AzurePublicPeering"]
    assert defs["CircuitSku"]["properties"]["family"]["enum"] == ["MeteredData", "UnlimitedData"]
    assert defs["Gateway"]["properties"]["type"]["enum"] == ["ExpressRoute", "Vpn"]


def _known(prop) -> list:
    return next(branch["enum"] for branch in prop["anyOf"] if "enum" in branch)


def test_open_sets_suggest_the_values_in_rules_data(schema):
    defs = schema["$defs"]
    circuit = defs["Circuit"]["properties"]
    assert set(_known(circuit["peering_location"])) == set(facts.known_peering_locations())
    assert set(circuit["peering_location"]["examples"]) <= set(facts.known_peering_locations())
    assert set(_known(defs["VNet"]["properties"]["region"])) == set(facts.known_regions())
    assert set(_known(defs["Gateway"]["properties"]["sku"])) == set(facts.known_gateway_skus())
    assert _known(defs["VirtualCircuit"]["properties"]["bandwidth"])[:4] == ["50Mbps", "100Mbps", "200Mbps", "500Mbps"]
    assert "100Gbps" in _known(defs["ExpressRoutePort"]["properties"]["bandwidth"])
    assert "Equinix" in _known(circuit["provider"])
    assert "Equinix-Ashburn-DC2" in _known(defs["ExpressRoutePort"]["properties"]["peering_location"])


def test_suggestions_do_not_reject_other_names(schema):
    jsonschema = pytest.importorskip("jsonschema")
    design = yaml.safe_load((REPO / "examples" / "minimal.yaml").read_text(encoding="utf-8"))
    design["vnets"][0]["region"] = "a-region-added-next-year"
    design["circuits"][0]["provider"] = "Some Carrier"
    jsonschema.validate(design, schema)
    design["circuits"][0]["sku"]["tier"] = "Gold"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(design, schema)


@pytest.mark.parametrize("example", sorted((REPO / "examples").glob("*.yaml")), ids=lambda p: p.name)
def test_examples_validate_and_their_modeline_points_at_the_committed_schema(example, schema):
    import jsonschema

    text = example.read_text(encoding="utf-8")
    first = text.splitlines()[0]
    assert first.startswith("# yaml-language-server: $schema=")
    target = (example.parent / first.split("$schema=", 1)[1].strip()).resolve()
    assert target == COMMITTED.resolve()
    jsonschema.validate(yaml.safe_load(text), schema)


def test_suggested_fields_carry_examples_for_completion(schema):
    circuit = schema["$defs"]["Circuit"]["properties"]
    for field in ("peering_location", "bandwidth", "provider", "region"):
        assert circuit[field]["examples"], field
