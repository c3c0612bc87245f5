"""az CLI JSON dumps (flattened), ARM REST documents and Resource Graph results -> design.

The seed fixtures (tests/fixtures/az/seed/) are the seed note's own dumps, transcribed verbatim:
circuit show, peering list, vnet-gateway show, vpn-connection show, vnet peering list. The note
shows no `vnet show`; vnet-show.json is written in the same style with the address space and
GatewaySubnet examples/seed.yaml assumes (10.0.4.0/24, 10.0.4.0/27).
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from erdesign.engine.runner import lint

from erdesign.errors import InputError, InputErrors
from erdesign.loader import load_design

FIXTURES = Path(__file__).parent / "fixtures" / "az"
SEED = FIXTURES / "seed"
SEED_DUMPS = ["circuit-show.json", "peering-list.json", "vnet-gateway-show.json", "vpn-connection-show.json",
              "vnet-peering-list.json"]


def _line_of(path: Path, pattern: str, nth: int = 0) -> int:
    """1-based line of the nth line of `path` that matches `pattern`."""
    hits = [i + 1 for i, line in enumerate(path.read_text().splitlines()) if re.search(pattern, line)]
    return hits[nth]


def _rules(design):
    return sorted(n.rule for n in design._notes)


def _write(tmp_path, name, data) -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data, indent=2))
    return path


# --------------------------------------------------------------------------- the seed note's dumps

def test_seed_fixtures_are_the_notes_dumps_verbatim():
    """Each dump was checked against the seed note and its digest recorded in SOURCE.md (the note is
    not part of the repository); a dump that no longer has its digest was edited."""
    import hashlib
    import re

    recorded = dict((name, digest) for digest, name in
                    re.findall(r"^([0-9a-f]{64})  (\S+)$", (SEED / "SOURCE.md").read_text(), re.M))
    assert sorted(recorded) == sorted(SEED_DUMPS)
    for name in SEED_DUMPS:
        digest = hashlib.sha256((SEED / name).read_text().strip().encode()).hexdigest()
        assert digest == recorded[name], f"{name} is no longer the note's dump verbatim"


@pytest.fixture(scope="module")
def seed():
    return load_design(SEED)


def test_seed_dumps_give_the_design_the_note_describes(seed):
    (circuit,) = seed.circuits
    assert circuit.name == "useasterc1cust1"
    assert (circuit.subscription, circuit.resource_group) == ("<subscription_id>", "useastercust1rg")
    assert circuit.bandwidth == 1000
    assert (circuit.sku.tier, circuit.sku.family) == ("Standard", "UnlimitedData")
    assert (circuit.provider, circuit.peering_location, circuit.region) == ("<service_provider>", "<PoP_name>", "useast")
    assert circuit.s_tag == 29 and circuit.provisioning_state == "Provisioned"
    assert circuit.tags == {"environment": "Production", "service": "Network"}
    (peering,) = circuit.peerings
    assert peering.type == "AzurePrivatePeering"
    assert (peering.peer_asn, peering.azure_asn, peering.vlan_id) == (65001, 12076, 28)
    assert peering.link_prefixes() == ("192.0.2.96/30", "192.0.2.100/30")
    assert peering.md5 is False and peering.state == "Enabled"

    (gateway,) = seed.gateways
    assert (gateway.name, gateway.sku, gateway.type, gateway.vnet) == ("erspvnetcust1gw1", "Standard", "ExpressRoute",
                                                                        "erspvnetcust1")
    assert gateway.active_active is False and gateway.public_ip is None  # its public IP was not dumped

    (connection,) = seed.connections
    assert (connection.name, connection.gateway, connection.circuit) == ("useasterc1cust1-cxn", "erspvnetcust1gw1",
                                                                         "useasterc1cust1")
    assert connection.type == "ExpressRoute" and connection.fastpath is False and connection.routing_weight == 0

    (vp,) = seed.vnet_peerings
    assert (vp.name, vp.vnet, vp.remote_vnet) == ("erspvnetcust1-Peer-cust1vnet1", "erspvnetcust1", "vnet1")
    assert (vp.allow_virtual_network_access, vp.allow_forwarded_traffic, vp.allow_gateway_transit,
            vp.use_remote_gateways, vp.state) == (True, True, True, False, "Connected")

    transit, customer = seed.vnets
    assert transit.address_space == ["10.0.4.0/24"] and transit.gateway_subnet.prefix == "10.0.4.0/27"
    # the customer VNet is in another subscription and was not dumped: a placeholder from remoteAddressSpace
    assert (customer.name, customer.subscription, customer.resource_group) == ("vnet1", "<cust1_subscription_id>",
                                                                               "cust1rg1")
    assert customer.address_space == ["10.0.100.32/27"] and customer.region is None


def test_seed_notes_say_what_the_dumps_leave_out(seed):
    assert _rules(seed) == ["IMP004", "IMP004"]
    messages = " ".join(n.message for n in seed._notes)
    assert "public IP 'erspvnetcust1gw1-pip1'" in messages and "placeholder VNet" in messages
    pip_note = next(n for n in seed._notes if "public IP" in n.message)
    assert pip_note.loc.line == _line_of(SEED / "vnet-gateway-show.json", r'publicIPAddresses/erspvnetcust1gw1-pip1')


def test_locations_point_at_the_json_values(seed):
    circuit, gateway = seed.circuits[0], seed.gateways[0]
    gw_file = SEED / "vnet-gateway-show.json"
    sku_line = _line_of(gw_file, r'^\s*"name": "Standard"')
    assert gateway.loc("sku") == (str(gw_file), sku_line, 13)
    assert gateway.loc() == (str(gw_file), 1, 1)
    circuit_file = SEED / "circuit-show.json"
    assert circuit.loc("bandwidth").line == _line_of(circuit_file, r'"bandwidthInMbps": 1000')
    assert circuit.loc("sku", "tier").line == _line_of(circuit_file, r'"tier": "Standard"')
    assert circuit.sku.loc("family").line == _line_of(circuit_file, r'"family": "UnlimitedData"')
    assert circuit.loc("region").line == _line_of(circuit_file, r'"location": "useast"')
    # the standalone peering list is the more specific dump: peering fields point into it
    peering = circuit.peerings[0]
    assert peering.loc("peer_asn") == (str(SEED / "peering-list.json"),
                                       _line_of(SEED / "peering-list.json", r'"peerAsn"'), 16)
    assert circuit.loc("peerings", 0, "vlan_id").line == _line_of(SEED / "peering-list.json", r'"vlanId"')
    assert peering.path == "circuits[0].peerings[0]"
    vp = seed.vnet_peerings[0]
    assert vp.loc("use_remote_gateways").line == _line_of(SEED / "vnet-peering-list.json", "useRemoteGateways")


def test_one_dump_alone_loads_with_placeholders_and_notes():
    design = load_design(SEED / "vnet-gateway-show.json")
    (gateway,) = design.gateways
    (vnet,) = design.vnets
    assert gateway.vnet == vnet.name == "erspvnetcust1"
    assert vnet.address_space == [] and vnet.gateway_subnet is not None and vnet.gateway_subnet.prefix is None
    assert _rules(design) == ["IMP004", "IMP004"]


def test_a_connection_whose_gateway_is_missing_is_left_out_with_a_note():
    design = load_design([SEED / "circuit-show.json", SEED / "vpn-connection-show.json"])
    assert design.connections == [] and len(design.circuits) == 1
    note, referenced = design._notes
    assert note.rule == "IMP004" and "gateway 'erspvnetcust1gw1'" in note.message
    assert note.loc.file.endswith("vpn-connection-show.json")
    # the circuit is in use through that connection, so it is not called unused (RES006)
    assert referenced.rule == "IMP010" and "connection 'useasterc1cust1-cxn'" in referenced.message
    assert design._outside_references == {
        "useasterc1cust1": ["connection 'useasterc1cust1-cxn' (its gateway is not among the inputs)"]}


def test_a_peering_list_without_its_circuit_is_linted_with_a_placeholder_circuit():
    design = load_design(SEED / "peering-list.json")
    (circuit,) = design.circuits
    assert circuit.name == "useasterc1cust1" and circuit.bandwidth is None and circuit.provider is None
    assert [p.type for p in circuit.peerings] == ["AzurePrivatePeering"] and circuit.peerings[0].peer_asn
    assert all(circuit.is_unknown(f) for f in ("provider", "peering_location", "bandwidth"))
    assert any(n.rule == "IMP004" and "placeholder circuit" in n.message for n in design._notes)
    report = lint(design)
    assert [f for f in report.findings if f.severity == "error"] == []
    assert "RES006" not in {f.rule for f in report.findings} and "RES007" not in {f.rule for f in report.findings}


# --------------------------------------------------------------------------- REST layout, Resource Graph

def test_rest_layout_gives_the_same_circuit_as_the_flattened_az_layout():
    flat = load_design(SEED / "circuit-show.json").circuits[0]
    rest = load_design(FIXTURES / "rest" / "circuit-rest.json").circuits[0]
    assert rest.model_dump() == flat.model_dump()
    assert rest.peerings[0].loc("peer_asn").line == _line_of(FIXTURES / "rest" / "circuit-rest.json", '"peerASN"')


@pytest.fixture(scope="module")
def graph():
    return load_design(FIXTURES / "multi" / "graph.json")


def test_resource_graph_results_link_across_subscriptions(graph):
    assert [c.name for c in graph.circuits] == ["er-ams", "er-lon"]
    assert [v.name for v in graph.vnets] == ["hub@rg-weu", "hub@rg-uks"]
    assert graph.vnets[0].description.endswith("/resourceGroups/rg-weu/providers/Microsoft.Network/virtualNetworks/hub")
    (gateway,) = graph.gateways
    assert (gateway.sku, gateway.vnet, gateway.public_ip) == ("ErGw1AZ", "hub@rg-weu", "gw-weu-pip")
    assert sorted((c.name, c.circuit, c.routing_weight) for c in graph.connections) == [
        ("cx-ams", "er-ams", 0), ("cx-lon", "er-lon", 10)]
    (link,) = graph.circuits[0].global_reach
    assert (link.peer_circuit, link.address_prefix) == ("er-lon", "172.16.250.0/29")
    app = graph.vnets[0].subnet("app")
    assert app.route_table == "rt-app"
    rt = graph.route_tables[0]
    assert rt.bgp_route_propagation is False and rt.routes[0].next_hop_ip == "10.10.2.4"
    pip = graph.public_ips[0]
    assert (pip.sku, pip.allocation, pip.zones) == ("Standard", "Static", ["1", "2", "3"])
    assert sorted((p.name, p.vnet, p.remote_vnet) for p in graph.vnet_peerings) == [
        ("to-hub@rg-uks", "hub@rg-uks", "hub@rg-weu"), ("to-hub@rg-weu", "hub@rg-weu", "hub@rg-uks")]


def test_resource_graph_notes(graph):
    assert _rules(graph) == ["IMP003", "IMP007", "IMP007", "IMP007", "IMP007"]
    skipped = next(n for n in graph._notes if n.rule == "IMP003")
    assert "microsoft.compute/virtualmachines" in skipped.message and "nva1" in skipped.message
    assert skipped.evidence[0].value == 1


# --------------------------------------------------------------------------- details

SUB = "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Network"


def _vnet(name="hub", location="westeurope", **extra):
    return {"id": f"{SUB}/virtualNetworks/{name}", "name": name, "type": "Microsoft.Network/virtualNetworks",
            "location": location, "addressSpace": {"addressPrefixes": ["10.1.0.0/16"]}, **extra}


def _pip(name, **props):
    return {"id": f"{SUB}/publicIPAddresses/{name}", "name": name, "type": "Microsoft.Network/publicIPAddresses",
            "location": "westeurope", **props}


def test_region_display_names_are_normalised(tmp_path):
    design = load_design(_write(tmp_path, "v.json", _vnet(location="West Europe")))
    assert design.vnets[0].region == "westeurope"


def test_public_ip_sku_defaults(tmp_path):
    path = _write(tmp_path, "pips.json", [
        _pip("dyn", publicIpAllocationMethod="Dynamic"),
        _pip("static", publicIpAllocationMethod="Static"),
        _pip("std", publicIpAllocationMethod="Static", sku={"name": "Standard", "tier": "Regional"}),
    ])
    design = load_design(path)
    assert [(p.name, p.sku, p.allocation) for p in design.public_ips] == [
        ("dyn", "Basic", "Dynamic"), ("static", "Basic", "Static"), ("std", "Standard", "Static")]
    (note,) = design._notes
    assert note.rule == "IMP006" and "'static'" in note.message and "Basic assumed" in note.message


def test_a_resource_missing_required_properties_is_an_imp005_finding_when_others_load(tmp_path):
    circuit = {"id": f"{SUB}/expressRouteCircuits/er1", "name": "er1", "type": "Microsoft.Network/expressRouteCircuits",
               "location": "westeurope", "sku": {"tier": "Standard", "family": "MeteredData"},
               "serviceProviderProperties": {"serviceProviderName": "Equinix", "peeringLocation": "Amsterdam"}}
    path = _write(tmp_path, "mix.json", [circuit, _vnet()])
    design = load_design(path)
    assert design.circuits == [] and [v.name for v in design.vnets] == ["hub"]
    (note,) = design._notes
    assert note.rule == "IMP005"
    assert "circuit 'er1'" in note.message and "bandwidth" in note.message
    assert note.loc.line == 2  # the circuit object in the list


def test_a_resource_missing_required_properties_alone_is_exit_2_material(tmp_path, run_cli):
    circuit = {"id": f"{SUB}/expressRouteCircuits/er1", "name": "er1", "type": "Microsoft.Network/expressRouteCircuits",
               "location": "westeurope", "serviceProviderProperties": {"serviceProviderName": "Equinix"}}
    path = _write(tmp_path, "er.json", circuit)
    with pytest.raises(InputError) as caught:
        load_design(path)
    assert str(caught.value) == (f"{path}:1:1: circuit 'er1': required property serviceProviderProperties."
                                 "bandwidthInMbps (or bandwidthInGbps) is missing (the design's bandwidth)")
    r = run_cli("lint", path)
    assert r.code == 2 and r.err.count("\n") == 1 and "circuit 'er1'" in r.err


def test_a_bad_value_is_located_at_the_value(tmp_path):
    circuit = {"id": f"{SUB}/expressRouteCircuits/er1", "name": "er1", "type": "Microsoft.Network/expressRouteCircuits",
               "location": "westeurope",
               "serviceProviderProperties": {"serviceProviderName": "Equinix", "peeringLocation": "Amsterdam",
                                             "bandwidthInMbps": 3000}}
    path = _write(tmp_path, "er.json", circuit)
    with pytest.raises(InputError) as caught:
        load_design(path)
    assert caught.value.loc.line == _line_of(path, "bandwidthInMbps")
    assert "3Gbps is not an offered bandwidth" in caught.value.message


def test_malformed_json_among_good_inputs_is_an_imp005_finding(tmp_path):
    good = _write(tmp_path, "a.json", _vnet())
    bad = tmp_path / "b.json"
    bad.write_text('{"name": "x",\n "type": }')
    design = load_design(tmp_path)
    assert [v.name for v in design.vnets] == ["hub"]
    (note,) = design._notes
    assert note.rule == "IMP005" and note.loc == (str(bad), 2, 10) and "malformed JSON" in note.message
    with pytest.raises(InputError) as caught:
        load_design(bad)
    assert str(caught.value).startswith(f"{bad}:2:10: malformed JSON:")
    assert good.exists()


def test_json_that_is_not_a_resource_dump_is_refused(tmp_path):
    # (a BGP peer status used to be the example here; live views are read now: test_live.py)
    bgp = _write(tmp_path, "bgp.json", {"value": [{"displayName": "alert-1", "state": "Enabled"}]})
    with pytest.raises(InputError) as caught:
        load_design(bgp)
    assert "not an input erdesign reads" in caught.value.message and caught.value.loc.line == 1


def test_json_that_is_not_a_resource_dump_next_to_usable_inputs_is_skipped_with_a_note(tmp_path, run_cli):
    _write(tmp_path, "bgp.json", {"value": [{"displayName": "alert-1", "state": "Enabled"}]})
    _write(tmp_path, "hub.json", _vnet())
    design = load_design(tmp_path)
    (note,) = design._notes
    assert note.rule == "IMP003" and note.message.startswith("skipped this file: not an input erdesign reads")
    r = run_cli("lint", tmp_path)
    assert "erdesign: skipped 1 file that is no az/ARM/Terraform input (--verbose lists them)" in r.err


def test_only_other_types_is_a_clear_error(tmp_path):
    vm = {"id": "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm1", "name": "vm1",
          "type": "Microsoft.Compute/virtualMachines", "location": "westeurope"}
    with pytest.raises(InputError) as caught:
        load_design(_write(tmp_path, "vm.json", [vm]))
    assert caught.value.message.startswith("nothing erdesign models in these inputs")
    assert "skipped 1 resource" in caught.value.message


def test_same_resource_in_list_and_show_is_imported_once(tmp_path):
    one = _write(tmp_path, "list.json", [_vnet(), _vnet("spoke")])
    two = _write(tmp_path, "show.json", _vnet())
    design = load_design([one, two])
    assert [v.name for v in design.vnets] == ["hub", "spoke"]


def test_names_differing_only_in_case_are_disambiguated(tmp_path):
    a = _vnet("Hub")
    b = dict(_vnet("hub"), id="/subscriptions/s1/resourceGroups/other/providers/Microsoft.Network/virtualNetworks/hub")
    design = load_design(_write(tmp_path, "v.json", [a, b]))
    assert [v.name for v in design.vnets] == ["Hub@rg", "hub@other"]


def test_rest_list_and_child_resources_attach_to_their_parents(tmp_path):
    subnet = {"id": f"{SUB}/virtualNetworks/hub/subnets/GatewaySubnet", "name": "GatewaySubnet",
              "type": "Microsoft.Network/virtualNetworks/subnets", "properties": {"addressPrefix": "10.1.255.0/27"}}
    design = load_design([_write(tmp_path, "vnet.json", {"value": [_vnet()]}), _write(tmp_path, "sub.json", subnet)])
    assert design.vnets[0].gateway_subnet.prefix == "10.1.255.0/27"


def test_input_errors_in_several_files_are_all_reported(tmp_path):
    (tmp_path / "a.json").write_text("{")
    (tmp_path / "b.json").write_text("[1,]")
    with pytest.raises(InputErrors) as caught:
        load_design(tmp_path)
    assert [e.loc.file.rsplit("/", 1)[-1] for e in caught.value.errors] == ["a.json", "b.json"]


def test_expressroute_direct_port_circuit_and_scalable_gateway(tmp_path):
    port_id = f"{SUB}/expressRoutePorts/port-ams"
    resources = [
        {"id": port_id, "name": "port-ams", "type": "Microsoft.Network/expressRoutePorts", "location": "westeurope",
         "peeringLocation": "Amsterdam", "bandwidthInGbps": 10, "encapsulation": "QinQ", "billingType": "UnlimitedData"},
        {"id": f"{SUB}/expressRouteCircuits/er-direct", "name": "er-direct",
         "type": "Microsoft.Network/expressRouteCircuits", "location": "westeurope",
         "sku": {"name": "Premium_UnlimitedData", "tier": "Premium", "family": "UnlimitedData"},
         "expressRoutePort": {"id": port_id}, "bandwidthInGbps": 5, "serviceProviderProperties": None, "peerings": []},
        {"id": f"{SUB}/virtualNetworkGateways/gw", "name": "gw", "type": "Microsoft.Network/virtualNetworkGateways",
         "location": "westeurope", "gatewayType": "ExpressRoute", "sku": {"name": "ErGwScale", "tier": "ErGwScale"},
         "autoScaleConfiguration": {"bounds": {"min": 2, "max": 4}},
         "ipConfigurations": [{"name": "c", "subnet": {"id": f"{SUB}/virtualNetworks/hub/subnets/GatewaySubnet"}}]},
    ]
    design = load_design(_write(tmp_path, "direct.json", resources))
    (port,) = design.express_route_ports
    assert (port.bandwidth, port.encapsulation, port.billing_type, port.peering_location) == (
        10000, "QinQ", "UnlimitedData", "Amsterdam")
    (circuit,) = design.circuits
    assert (circuit.express_route_port, circuit.bandwidth, circuit.provider) == ("port-ams", 5000, None)
    (gw,) = design.gateways
    assert (gw.sku, gw.scale_units.min, gw.scale_units.max) == ("ErGwScale", 2, 4)


def test_a_yaml_overlay_adds_what_az_does_not_know(tmp_path):
    overlay = tmp_path / "onprem.yaml"
    overlay.write_text(
        "sites:\n"
        "  - name: corp-pop\n"
        "    routers: [{name: rtr1, asn: 65001}, {name: rtr2, asn: 65001}]\n"
        "traffic:\n"
        "  circuits: [{circuit: useasterc1cust1, egress_gb_month: 2000}]\n"
        "  vnet_peerings: [{vnet_peering: erspvnetcust1-Peer-cust1vnet1, outbound_gb_month: 100}]\n")
    design = load_design([SEED, overlay])
    assert [r.name for r in design.routers] == ["rtr1", "rtr2"]
    assert design.traffic.circuits[0].circuit == design.circuits[0].name
