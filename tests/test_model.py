"""The design model: valid and invalid objects, value parsing, schema export."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError
from pydantic_core import PydanticCustomError

from erdesign import model as m
from erdesign.loader import load_design_text


@pytest.mark.parametrize("text,mbps", [
    ("50Mbps", 50), ("1Gbps", 1000), ("1 Gbps", 1000), ("10gbps", 10000), (1000, 1000), ("500", 500),
    ("2Gb/s", 2000), ("100 Mbps", 100),
])
def test_bandwidth_parsing(text, mbps):
    assert m.parse_bandwidth(text) == mbps


@pytest.mark.parametrize("bad", ["fast", "1.5Mbps", "-1Gbps", True, "", "0"])
def test_bandwidth_rejects(bad):
    with pytest.raises(PydanticCustomError):
        m.parse_bandwidth(bad)


@settings(max_examples=60)
@given(st.integers(min_value=1, max_value=400_000))
def test_bandwidth_format_round_trip(mbps):
    assert m.parse_bandwidth(m.format_bandwidth(mbps)) == mbps


def circuit(**overrides):
    data = {"name": "c", "provider": "P", "bandwidth": "1Gbps"}
    data.update(overrides)
    return m.Circuit.model_validate(data)


def test_circuit_defaults():
    c = circuit()
    assert (c.bandwidth, c.sku.tier, c.sku.family, c.is_direct) == (1000, "Standard", "MeteredData", False)


def test_direct_circuit_accepts_direct_sizes_only():
    assert circuit(provider=None, express_route_port="p", bandwidth="40Gbps").bandwidth == 40000
    with pytest.raises(ValidationError, match="not an offered bandwidth"):
        circuit(bandwidth="40Gbps")  # provider circuits stop at 10 Gbps
    with pytest.raises(ValidationError, match="not an offered bandwidth"):
        circuit(provider=None, express_route_port="p", bandwidth="50Mbps")


def test_provider_and_port_are_exclusive():
    with pytest.raises(ValidationError, match="either a provider or an express_route_port"):
        circuit(express_route_port="p")


def test_port_speeds():
    assert m.ExpressRoutePort.model_validate({"name": "p", "bandwidth": "100Gbps"}).bandwidth == 100000
    with pytest.raises(ValidationError, match="not an offered ExpressRoute Direct port speed"):
        m.ExpressRoutePort.model_validate({"name": "p", "bandwidth": "1Gbps"})


def test_peering_slash29_is_split_in_two_slash30():
    p = m.Peering.model_validate({"prefix": "192.168.100.128/29", "peer_asn": 65001, "vlan_id": 1})
    assert p.link_prefixes() == ("192.168.100.128/30", "192.168.100.132/30")


def test_peering_ipv6_slash125_split():
    p = m.Peering.model_validate({"ipv6": {"prefix": "2001:db8::/125"}})
    assert p.link_prefixes_v6() == ("2001:db8::/126", "2001:db8::4/126")


def test_peering_refuses_both_addressing_styles():
    with pytest.raises(ValidationError, match="not both"):
        m.Peering.model_validate({"prefix": "192.0.2.0/29", "primary_prefix": "192.0.2.0/30"})


@pytest.mark.parametrize("field,value,fragment", [
    ("primary_prefix", "192.0.2.0", "has no prefix length"),
    ("primary_prefix", "2001:db8::/126", "not an IPv4 prefix"),
    ("primary_prefix", "192.0.2.0/33", "not a prefix in CIDR notation"),
    ("peer_asn", 4294967296, "less than or equal to 4294967295"),
    ("type", "PublicPeering", "Input should be"),
])
def test_peering_invalid_values(field, value, fragment):
    with pytest.raises(ValidationError) as info:
        m.Peering.model_validate({field: value})
    assert fragment in str(info.value)


def test_unknown_keys_are_refused_everywhere():
    with pytest.raises(ValidationError, match="extra"):
        m.Gateway.model_validate({"name": "g", "vnet": "v", "sku": "ErGw1AZ", "fastpath": True})


def test_scale_units_order():
    with pytest.raises(ValidationError, match="smaller than min"):
        m.ScaleUnits.model_validate({"min": 4, "max": 2})


def test_suppression_reason_is_optional_in_the_model_and_reported_by_the_engine():
    # a missing reason loads (the engine reports it as SUP003) rather than stopping the whole run
    assert m.Suppression.model_validate({"rule": "BGP001"}).reason is None
    s = m.Suppression.model_validate({"rule": "BGP001", "reason": "lab", "expires": "2027-01-31"})
    assert s.expires.isoformat() == "2027-01-31"
    with pytest.raises(ValidationError):
        m.Suppression.model_validate({"rule": "BGP001", "reason": "lab", "expires": "someday"})


def test_yes_no_are_text_not_booleans():
    design = load_design_text("sites:\n  - name: no\n    city: yes\n", "d.yaml")
    assert design.sites[0].name == "no" and design.sites[0].city == "yes"


def test_public_ip_zones_as_text():
    assert m.PublicIp.model_validate({"name": "p", "zones": [1, 2, 3]}).zones == ["1", "2", "3"]


def test_schema_accepts_what_the_loader_accepts_for_zones():
    jsonschema = pytest.importorskip("jsonschema")
    schema = m.Design.model_json_schema()
    doc = {"public_ips": [{"name": "p", "zones": [1, 2, 3]}, {"name": "q", "zones": ["1"]}]}
    assert not list(jsonschema.Draft202012Validator(schema).iter_errors(doc))


def test_yaml_anchors_and_merge_keys_work():
    text = (
        "circuits:\n"
        "  - &first {name: a, provider: Equinix, bandwidth: 1Gbps}\n"
        "  - <<: *first\n"
        "    name: b\n"
        "    bandwidth: 2Gbps\n"
    )
    design = load_design_text(text, "d.yaml")
    assert [(c.name, c.provider, c.bandwidth) for c in design.circuits] == [("a", "Equinix", 1000), ("b", "Equinix", 2000)]


def test_json_schema_export_validates_every_example(examples_dir, run_cli):
    jsonschema = pytest.importorskip("jsonschema")
    result = run_cli("schema")
    assert result.code == 0
    schema = json.loads(result.out)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    for path in sorted(examples_dir.glob("*.yaml")):
        errors = list(validator.iter_errors(yaml.safe_load(path.read_text())))
        assert not errors, (path.name, [e.message for e in errors[:3]])
    bad = {"circuits": [{"name": "c", "bandwidth": "1Gbps", "bandwith": 1}]}
    assert list(validator.iter_errors(bad))


def test_schema_to_file(run_cli, tmp_path):
    out = tmp_path / "schema.json"
    assert run_cli("schema", "-o", out).code == 0
    assert json.loads(out.read_text())["title"] == "erdesign design"


def test_version(run_cli):
    result = run_cli("--version")
    assert result.code == 0 and result.out.strip() == "erdesign, version 0.1.0"


def test_data_is_found_from_any_directory(tmp_path):
    code = ("import erdesign.data as d, erdesign.loader as l; "
            "print(d.table('bandwidths')['provider_circuit_mbps']['values'][0]); "
            "print(len(l.load_design_text('circuits: [{name: a, provider: p, bandwidth: 50Mbps}]').circuits))")
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["50", "1"]


def test_python_dash_m_runs(tmp_path):
    out = subprocess.run([sys.executable, "-m", "erdesign", "--version"], cwd=tmp_path, capture_output=True, text=True)
    assert out.returncode == 0 and "0.1.0" in out.stdout
