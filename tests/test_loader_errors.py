"""Input errors: every kind of bad input gives one clear located line and exit 2."""
from __future__ import annotations

import re

import pytest

from erdesign.errors import InputError, InputErrors
from erdesign.loader import load_design, load_design_text

SEED_NAME = "seed.yaml"


@pytest.fixture
def seed_text(examples_dir):
    return (examples_dir / SEED_NAME).read_text()


def _only_error(text: str, tmp_path, name="design.yaml") -> InputError:
    path = tmp_path / name
    path.write_text(text)
    with pytest.raises((InputError, InputErrors)) as info:
        load_design([path])
    exc = info.value
    errors = exc.errors if isinstance(exc, InputErrors) else [exc]
    assert len(errors) == 1, [str(e) for e in errors]
    return errors[0]


def _line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def test_seed_loads(examples_dir):
    design = load_design([examples_dir / SEED_NAME])
    assert [c.name for c in design.circuits] == ["useasterc1cust1"]
    circuit = design.circuits[0]
    assert circuit.bandwidth == 1000
    assert circuit.sku.tier == "Standard" and circuit.sku.family == "UnlimitedData"
    peering = circuit.peerings[0]
    assert (peering.peer_asn, peering.vlan_id) == (65001, 28)
    assert peering.link_prefixes() == ("192.0.2.96/30", "192.0.2.100/30")
    assert design.gateway("erspvnetcust1gw1").sku == "Standard"
    assert design.connections_of_circuit("useasterc1cust1")[0].gateway == "erspvnetcust1gw1"


@pytest.mark.parametrize("name", ["seed.yaml", "minimal.yaml", "multi-region.yaml"])
def test_every_example_loads(examples_dir, name):
    design = load_design([examples_dir / name])
    assert design.circuits and design.gateways and design.connections


def test_offered_bandwidth_error_names_line_col_and_choices(seed_text, tmp_path):
    text = seed_text.replace("    bandwidth: 1Gbps\n", "    bandwidth: 300Mbps\n")
    err = _only_error(text, tmp_path)
    line = _line_of(text, "bandwidth: 300Mbps")
    assert str(err) == (
        f"{tmp_path / 'design.yaml'}:{line}:16: circuits[0].bandwidth: 300Mbps is not an offered bandwidth "
        "(50Mbps, 100Mbps, 200Mbps, 500Mbps, 1Gbps, 2Gbps, 5Gbps, 10Gbps)"
    )


def test_unknown_key_suggests_closest(seed_text, tmp_path):
    text = seed_text.replace("    peering_location: Washington DC", "    peering_locaton: Washington DC")
    err = _only_error(text, tmp_path)
    assert err.loc.line == _line_of(text, "peering_locaton")
    assert err.loc.col == 5
    assert "unknown key 'peering_locaton' (did you mean 'peering_location'?)" in err.message


def test_wrong_type(seed_text, tmp_path):
    text = seed_text.replace("peer_asn: 65001", "peer_asn: sixty-five")
    err = _only_error(text, tmp_path)
    assert err.loc.line == _line_of(text, "sixty-five")
    assert err.message == "circuits[0].peerings[0].peer_asn: expected a whole number, got 'sixty-five'"


def test_enum_value(seed_text, tmp_path):
    text = seed_text.replace("tier: Standard", "tier: Gold")
    err = _only_error(text, tmp_path)
    assert err.message == "circuits[0].sku.tier: 'Gold' is not one of 'Local', 'Standard' or 'Premium'"


def test_enum_is_case_insensitive(seed_text):
    design = load_design_text(seed_text.replace("tier: Standard", "tier: standard"), "d.yaml")
    assert design.circuits[0].sku.tier == "Standard"


def test_duplicated_key_is_refused(tmp_path):
    err = _only_error("name: a\ncircuits: []\nname: b\n", tmp_path)
    assert (err.loc.line, err.loc.col) == (3, 1)
    assert "duplicated key 'name' (first at line 1)" in err.message


def test_malformed_yaml(tmp_path):
    err = _only_error("circuits:\n  - name: [a, b\n", tmp_path)
    assert err.message.startswith("malformed YAML:")
    assert err.loc is not None


def test_empty_file(tmp_path):
    err = _only_error("", tmp_path)
    assert (err.loc.line, err.loc.col) == (1, 1)
    assert "empty design file" in err.message


def test_comment_only_file_is_empty(tmp_path):
    err = _only_error("# nothing yet\n", tmp_path)
    assert "empty design file" in err.message


def test_missing_file(tmp_path):
    with pytest.raises(InputError) as info:
        load_design([tmp_path / "absent.yaml"])
    assert str(info.value) == f"{tmp_path / 'absent.yaml'}: no such file"


def test_python_tag_is_refused_not_run(tmp_path):
    marker = tmp_path / "pwned"
    err = _only_error(f"circuits: !!python/object/apply:os.system ['touch {marker}']\n", tmp_path)
    assert "tag '!!python/object/apply:os.system' is not allowed" in err.message
    assert (err.loc.line, err.loc.col) == (1, 11)
    assert not marker.exists()


def test_top_level_list_is_refused(tmp_path):
    err = _only_error("- circuits\n", tmp_path)
    assert "mapping of sections" in err.message


def test_missing_required_key_points_at_object(tmp_path):
    err = _only_error("circuits:\n  - name: a\n    provider: X\n", tmp_path)
    assert (err.loc.line, err.loc.col) == (2, 5)
    assert err.message == "circuits[0]: missing required key 'bandwidth'"


def test_not_utf8(tmp_path):
    path = tmp_path / "d.yaml"
    path.write_bytes(b"name: \xff\xfe\n")
    with pytest.raises(InputError) as info:
        load_design([path])
    assert "not UTF-8" in str(info.value)


def test_several_errors_reported_together_sorted(seed_text, tmp_path):
    text = seed_text.replace("peer_asn: 65001", "peer_asn: x").replace("tier: Standard", "tier: Gold")
    path = tmp_path / "design.yaml"
    path.write_text(text)
    with pytest.raises(InputErrors) as info:
        load_design([path])
    lines = [e.loc.line for e in info.value.errors]
    assert lines == sorted(lines) and len(lines) == 2


# --------------------------------------------------------------------------- references

REFERENCE_CASES = [
    ("    circuit: useasterc1cust1\n    routing_weight", "    circuit: nosuch\n    routing_weight",
     "connection 'useasterc1cust1-cxn' circuit refers to circuit 'nosuch', which is not defined"),
    ("    gateway: erspvnetcust1gw1\n", "    gateway: gw-x\n",
     "connection 'useasterc1cust1-cxn' gateway refers to gateway 'gw-x', which is not defined"),
    ("    vnet: erspvnetcust1\n    type: ExpressRoute", "    vnet: vnet-x\n    type: ExpressRoute",
     "gateway 'erspvnetcust1gw1' vnet refers to VNet 'vnet-x', which is not defined"),
    ("    remote_vnet: vnet1\n", "    remote_vnet: vnet9\n",
     "VNet peering 'erspvnetcust1-Peer-cust1vnet1' remote_vnet refers to VNet 'vnet9', which is not defined"),
    ("primary_link: {router: rtr1,", "primary_link: {router: rtr7,",
     "circuit 'useasterc1cust1' peering AzurePrivatePeering primary_link refers to router 'rtr7', which is not defined"),
    ("{name: vc-cust1-primary, circuit: useasterc1cust1,", "{name: vc-cust1-primary, circuit: other,",
     "provider 'Equinix' virtual circuit 'vc-cust1-primary' refers to circuit 'other', which is not defined"),
    ("{name: xc-rtr1, site: corp-pop}", "{name: xc-rtr1, site: pop9}",
     "provider 'Equinix' cross-connect 'xc-rtr1' refers to site 'pop9', which is not defined"),
    ("- {circuit: useasterc1cust1, egress_gb_month", "- {circuit: zz, egress_gb_month",
     "traffic.circuits entry refers to circuit 'zz', which is not defined"),
    ("- {vnet_peering: cust1vnet1-Peer-erspvnetcust1,", "- {vnet_peering: nope,",
     "traffic.vnet_peerings entry refers to VNet peering 'nope', which is not defined"),
]


@pytest.mark.parametrize("old,new,expected", REFERENCE_CASES, ids=[c[2].split(" refers")[0] for c in REFERENCE_CASES])
def test_dangling_reference_names_both_ends(seed_text, tmp_path, old, new, expected):
    assert old in seed_text
    text = seed_text.replace(old, new, 1)
    err = _only_error(text, tmp_path)
    assert expected in err.message
    target = re.search(r"'([^']+)', which", expected).group(1)
    assert err.loc.line == _line_of(text, target)


def test_subnet_references(tmp_path):
    text = (
        "vnets:\n  - name: v\n    address_space: [10.0.0.0/16]\n    subnets:\n"
        "      - {name: GatewaySubnet, prefix: 10.0.0.0/27, route_table: rt9, nsg: nsg-hub1}\n"
        "nsgs:\n  - name: nsg-hub2\n"
    )
    path = tmp_path / "d.yaml"
    path.write_text(text)
    with pytest.raises(InputErrors) as info:
        load_design([path])
    messages = [e.message for e in info.value.errors]
    assert any("refers to route table 'rt9', which is not defined (the design defines no route table)" in m for m in messages)
    assert any("refers to NSG 'nsg-hub1', which is not defined (did you mean 'nsg-hub2'?)" in m for m in messages)


def test_global_reach_and_port_references(tmp_path):
    text = (
        "circuits:\n  - name: a\n    express_route_port: p1\n    bandwidth: 1Gbps\n"
        "    global_reach: [{peer_circuit: b}]\n"
    )
    path = tmp_path / "d.yaml"
    path.write_text(text)
    with pytest.raises(InputErrors) as info:
        load_design([path])
    messages = " | ".join(e.message for e in info.value.errors)
    assert "refers to ExpressRoute Direct port 'p1'" in messages
    assert "global_reach refers to circuit 'b'" in messages


def test_duplicate_names_are_ambiguous_and_name_both_places(seed_text, tmp_path):
    extra = "  - name: vnet1\n    region: eastus\n"
    text = seed_text.replace("\ngateways:\n", "\n" + extra + "\ngateways:\n")
    err = _only_error(text, tmp_path)
    first_line = _line_of(text, "  - name: vnet1")
    assert f"VNet name 'vnet1' is defined twice (first at {tmp_path / 'design.yaml'}:{first_line}:" in err.message
    assert err.loc.line > first_line


def test_several_files_make_one_design(tmp_path):
    (tmp_path / "a-circuits.yaml").write_text(
        "circuits:\n  - {name: c1, provider: P, peering_location: Amsterdam, bandwidth: 1Gbps}\n")
    (tmp_path / "b-azure.yaml").write_text(
        "vnets:\n  - {name: v1, region: westeurope, address_space: [10.0.0.0/16]}\n"
        "gateways:\n  - {name: g1, vnet: v1, sku: ErGw1AZ}\n"
        "connections:\n  - {name: x, gateway: g1, circuit: c1}\n")
    design = load_design([tmp_path])
    assert design.connections[0].circuit == "c1"
    assert design.circuits[0].loc("bandwidth").file.endswith("a-circuits.yaml")
    assert design.connections[0].loc("circuit").file.endswith("b-azure.yaml")


def test_cross_file_dangling_reference(tmp_path):
    (tmp_path / "a.yaml").write_text("connections:\n  - {name: x, gateway: g1, circuit: c1}\n")
    (tmp_path / "b.yaml").write_text("gateways:\n  - {name: g1, vnet: v1, sku: ErGw1AZ}\n"
                                     "vnets:\n  - {name: v1}\n")
    with pytest.raises(InputError) as info:
        load_design([tmp_path / "a.yaml", tmp_path / "b.yaml"])
    assert str(info.value).startswith(f"{tmp_path / 'a.yaml'}:2:")
    assert "circuit 'c1'" in str(info.value)


def test_empty_folder(tmp_path):
    with pytest.raises(InputError) as info:
        load_design([tmp_path])
    assert "folder holds no .yaml" in str(info.value)


# --------------------------------------------------------------------------- CLI: exit 2, one line, no traceback

@pytest.mark.parametrize("text", [
    "circuits: [\n",
    "",
    "circuits:\n  - name: a\n    bandwidth: 3Mbps\n",
    "a: 1\na: 2\n",
    "x: !!python/name:os.system\n",
    "circuits:\n  - {name: a, bandwidth: 1Gbps, bogus: 1}\n",
])
def test_cli_bad_input_exit_2_one_line(run_cli, tmp_path, text):
    path = tmp_path / "design.yaml"
    path.write_text(text)
    result = run_cli("lint", path)
    assert result.code == 2
    assert "Traceback" not in result.err
    lines = result.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(str(path) + ":")
    assert result.out == ""


def test_cli_missing_file(run_cli, tmp_path):
    result = run_cli("lint", tmp_path / "nope.yaml")
    assert result.code == 2
    assert result.err.strip() == f"{tmp_path / 'nope.yaml'}: no such file"


@pytest.mark.parametrize("old,new,expected", [
    ("    bandwidth: 1Gbps\n", "    bandwidth: fast\n",
     "circuits[0].bandwidth: 'fast' is not a bandwidth; write it like 1Gbps, 500Mbps or 1000 (Mbps)"),
    ("primary_prefix: 192.0.2.96/30", "primary_prefix: 192.0.2.96",
     "circuits[0].peerings[0].primary_prefix: '192.0.2.96' has no prefix length; write it like 192.0.2.96/30"),
    ("primary_link: {router: rtr1, interface: Te0/0/0.28, ip: 192.0.2.97}",
     "primary_link: {router: rtr1, interface: Te0/0/0.28, ip: 192.0.2.977}",
     "circuits[0].peerings[0].primary_link.ip: '192.0.2.977' is not an IP address"),
])
def test_value_messages_quote_the_value(seed_text, tmp_path, old, new, expected):
    assert old in seed_text
    err = _only_error(seed_text.replace(old, new, 1), tmp_path)
    assert err.message == expected


def test_unprintable_input_stays_on_one_line(tmp_path):
    err = _only_error('circuits:\n  - {name: a, provider: p, bandwidth: "fast\\nlane\\u0007"}\n', tmp_path)
    assert "\n" not in str(err) and "\x07" not in str(err)
    assert "'fast\\nlane\\x07' is not a bandwidth" in err.message
