"""RES rules: one failing and one passing design per rule, checked at the exact line."""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from erdesign.checks import resiliency as res
from erdesign.loader import load_design
from rules_helpers import findings, line, line_of


def hub(circuits: str, connections: str, region: str = "eastus") -> str:
    return textwrap.dedent("""\
        circuits:
        {circuits}
        vnets:
          - {{name: hub, region: {region}, address_space: [10.1.0.0/16]}}
        gateways:
          - name: gw
            vnet: hub
            sku: ErGw1AZ
        connections:
        {connections}
        """).format(circuits=textwrap.indent(textwrap.dedent(circuits), "  "),
                    connections=textwrap.indent(textwrap.dedent(connections), "  "), region=region)


CIRCUIT = "- {{name: {name}, peering_location: {loc}, provider: Equinix, bandwidth: 1Gbps}}\n"
CONN = "- {{name: cx-{name}, gateway: gw, circuit: {name}}}\n"


def two(loc1="Washington DC", loc2="Chicago") -> str:
    return hub(CIRCUIT.format(name="er1", loc=loc1) + CIRCUIT.format(name="er2", loc=loc2),
               CONN.format(name="er1") + CONN.format(name="er2"))


# --------------------------------------------------------------------------- RES001 / RES002

def test_res001_unknown_region_suggests_the_closest():
    text = hub(CIRCUIT.format(name="er1", loc="Washington DC"), CONN.format(name="er1"), region="useast")
    [f] = findings(res.unknown_regions, text, "RES001")
    assert f.message == (
        "VNet 'hub': region 'useast' is not a known Azure region (closest: 'eastus'); nothing can be deployed to it, "
        "and these checks are skipped for this VNet: SKU001 (Standard circuit reach, by geopolitical region), "
        "SKU002 (Azure cloud of the gateway), SKU003 (Local circuit reach, by Local region), "
        "GW014 (ErGwScale availability in the region)")
    assert line(f) == line_of(text, "region: useast")
    assert not findings(res.unknown_regions, text.replace("useast", "East US"), "RES001")


def test_res001_names_only_the_checks_the_object_feeds():
    text = hub(CIRCUIT.format(name="er1", loc="Washington DC").replace("{name: er1,", "{name: er1, region: westeurop,"),
               CONN.format(name="er1")).replace("sku: ErGw1AZ", "sku: ErGw1AZ\n    region: eastus")
    text += "route_tables:\n  - {name: rt, region: westeurop}\n"
    found = {f.message.split(":")[0]: f.message for f in findings(res.unknown_regions, text, "RES001")}
    assert found["circuit 'er1'"].endswith("(closest: 'westeurope'); nothing can be deployed to it, and these checks "
                                           "are skipped for this circuit: SKU002 (Azure cloud of the circuit)")
    assert found["route table 'rt'"].endswith("(closest: 'westeurope'); nothing can be deployed to it")
    # the VNet feeds no check: its gateway has a region of its own
    assert list(found) == ["circuit 'er1'", "route table 'rt'"]


@pytest.mark.parametrize("typo, rule", [("region: eastus", "RES001"), ("peering_location: Washington DC", "RES002")])
def test_res001_res002_typos_are_errors_that_fail_ci(tmp_path, run_cli, typo, rule):
    text = two()
    bad = {"region: eastus": "region: westeurop", "peering_location: Washington DC": "peering_location: Amsterdm"}[typo]
    (tmp_path / "d.yaml").write_text(text.replace(typo, bad, 1))
    result = run_cli("lint", "d.yaml", "--isolated", "--select", "RES001,RES002", cwd=tmp_path)
    assert result.code == 1, result.out
    assert f" {rule} error " in result.out and "skipped" in result.out
    (tmp_path / "d.yaml").write_text(text)
    assert run_cli("lint", "d.yaml", "--isolated", "--select", "RES001,RES002", cwd=tmp_path).code == 0


def test_res001_placeholder_region_has_no_guess():
    text = hub(CIRCUIT.format(name="er1", loc="Washington DC"), CONN.format(name="er1"), region="'<region>'")
    [f] = findings(res.unknown_regions, text, "RES001")
    assert "closest" not in f.message


@pytest.mark.parametrize("given, expected", [
    ("Amsterdm", "is not a known ExpressRoute peering location (closest: 'Amsterdam')"),
    ("'<PoP_name>'", "is a placeholder, not a peering location"),
])
def test_res002_unknown_peering_location(given, expected):
    text = hub(CIRCUIT.format(name="er1", loc=given), CONN.format(name="er1"))
    [f] = findings(res.unknown_peering_locations, text, "RES002")
    assert expected in f.message
    assert f.message.endswith(
        "; nothing can be ordered there, and these checks are skipped for this circuit: SKU001 (Standard circuit "
        "reach), SKU003 (Local circuit reach), SKU004 (Local availability), GR003 (Global Reach across geopolitical "
        "regions), GR004 (Global Reach availability), SKU002 (Azure cloud of the circuit)")
    assert line(f) == line_of(text, "peering_location")


def test_res002_on_a_direct_port_names_what_its_circuits_skip():
    text = ("express_route_ports:\n  - {name: p1, peering_location: Amsterdm, region: westeurope, bandwidth: 10Gbps}\n"
            "circuits:\n  - {name: er1, express_route_port: p1, bandwidth: 1Gbps, region: westeurope}\n")
    [f] = findings(res.unknown_peering_locations, text, "RES002")
    assert f.message.startswith("ExpressRoute Direct port 'p1': peering location 'Amsterdm' is not a known "
                                "ExpressRoute peering location (closest: 'Amsterdam'); nothing can be ordered there, "
                                "and these checks are skipped for its circuits: SKU001 (Standard circuit reach)")
    assert "SKU002" not in f.message  # the circuit's region is known: its cloud comes from there


def test_res002_passes_for_known_and_national_cloud_locations():
    text = hub(CIRCUIT.format(name="er1", loc="Washington DC Metro") + CIRCUIT.format(name="er2", loc="Shanghai2"),
               CONN.format(name="er1"))
    assert not findings(res.unknown_peering_locations, text, "RES002")


DIRECT = ("express_route_ports:\n  - {{name: p1, peering_location: {loc}, region: westeurope, bandwidth: 10Gbps}}\n"
          "circuits:\n  - {{name: er1, express_route_port: p1, bandwidth: 1Gbps, region: westeurope}}\n")


@pytest.mark.parametrize("port_location", ["Equinix-Amsterdam-AM5", "equinix-amsterdam-am5", "Equinix-Ashburn-DC2",
                                           "Equinix-Frankfurt-FR7"])
def test_res002_accepts_direct_port_locations(port_location):
    assert not findings(res.unknown_peering_locations, DIRECT.format(loc=port_location), "RES002")


def test_res002_unmapped_direct_port_location_is_a_warning_that_it_cannot_be_verified():
    """A Direct port location missing from the tables may well exist (issue 10): a warning, never an error."""
    [f] = findings(res.unknown_peering_locations, DIRECT.format(loc="Equinix-Nowhere-ZZ9"), "RES002")
    assert f.message.startswith(
        "ExpressRoute Direct port 'p1': ExpressRoute Direct port location 'Equinix-Nowhere-ZZ9' is not in erdesign's "
        "tables, so erdesign can't verify it or map it to a peering location; these checks are skipped: SKU001")
    assert "direct_port_locations.yaml" in f.hint and "port location list" in f.hint
    from erdesign.engine.runner import lint
    from rules_helpers import load

    report = lint(load(DIRECT.format(loc="Equinix-Nowhere-ZZ9")), select=["RES002"])
    assert [f.severity for f in report.findings] == ["warning"]


def test_res002_a_real_direct_location_named_by_its_city_is_accepted():
    # Airtel-Chennai2-CLS: a Direct port location seen in a public input; Chennai2 offers Direct
    assert not findings(res.unknown_peering_locations, DIRECT.format(loc="Airtel-Chennai2-CLS"), "RES002")


def test_res002_ordinary_typo_keeps_the_closest_name_wording():
    [f] = findings(res.unknown_peering_locations, DIRECT.format(loc="Amsterdm"), "RES002")
    assert "looks like" not in f.message and "(closest: 'Amsterdam')" in f.message


# --------------------------------------------------------------------------- RES003 / RES004 / RES005

def test_res003_single_circuit_mentions_metro():
    text = hub(CIRCUIT.format(name="er1", loc="Washington DC"), CONN.format(name="er1"))
    [f] = findings(res.gateway_circuit_diversity, text, "RES003")
    assert "connected to one circuit only ('er1'): standard resiliency" in f.message and "Metro" in f.hint
    assert line(f) == line_of(text, "- name: gw")
    assert not findings(res.gateway_circuit_diversity, two(), "RES003")


def test_res003_single_metro_circuit_is_called_high_resiliency():
    text = hub(CIRCUIT.format(name="er1", loc="Amsterdam Metro"), CONN.format(name="er1"))
    [f] = findings(res.gateway_circuit_diversity, text, "RES003")
    assert "an ExpressRoute Metro circuit at Amsterdam Metro (high resiliency)" in f.message


def test_res004_all_circuits_at_one_location():
    text = two("Washington DC", "washington dc")
    [f] = findings(res.gateway_circuit_diversity, text, "RES004")
    assert "2 circuits ('er1', 'er2'), all at peering location Washington DC" in f.message
    assert line(f) == line_of(text, "- name: gw")
    assert not findings(res.gateway_circuit_diversity, two("Washington DC", "Washington DC2"), "RES004")


def test_res005_gateway_without_connection():
    text = hub(CIRCUIT.format(name="er1", loc="Washington DC"), "[]")
    [f] = findings(res.gateway_circuit_diversity, text, "RES005")
    assert "has no connection to any circuit" in f.message
    assert line(f) == line_of(text, "- name: gw")
    assert not findings(res.gateway_circuit_diversity, two(), "RES005")


# --------------------------------------------------------------------------- RES006 / RES007 / RES008

def test_res006_circuit_no_connection_uses():
    text = hub(CIRCUIT.format(name="er1", loc="Washington DC") + CIRCUIT.format(name="er2", loc="Chicago"),
               CONN.format(name="er1"))
    [f] = findings(res.circuit_usage, text, "RES006")
    assert "circuit 'er2' is not used" in f.message
    assert line(f) == line_of(text, "name: er2")
    assert not findings(res.circuit_usage, two(), "RES006")


def test_res006_not_for_microsoft_peering_only_or_global_reach_circuits():
    text = """\
    circuits:
      - {name: m365, peering_location: London, provider: BT, bandwidth: 1Gbps, peerings: [{type: MicrosoftPeering}]}
      - {name: a, peering_location: London, provider: BT, bandwidth: 1Gbps, global_reach: [{peer_circuit: b}]}
      - {name: b, peering_location: Paris, provider: BT, bandwidth: 1Gbps}
    """
    assert not findings(res.circuit_usage, text, "RES006")


def test_res007_neither_provider_nor_port():
    text = hub("- {name: er1, peering_location: Chicago, bandwidth: 1Gbps}\n", CONN.format(name="er1"))
    [f] = findings(res.circuit_usage, text, "RES007")
    assert "neither a connectivity provider nor an ExpressRoute Direct port" in f.message
    assert line(f) == line_of(text, "name: er1")
    assert not findings(res.circuit_usage, two(), "RES007")


def test_res008_not_provisioned_circuit():
    text = hub("""\
        - name: er1
          peering_location: Chicago
          provider: Equinix
          bandwidth: 1Gbps
          provisioning_state: NotProvisioned
        """, CONN.format(name="er1"))
    [f] = findings(res.circuit_usage, text, "RES008")
    assert "NotProvisioned" in f.message
    assert line(f) == line_of(text, "provisioning_state")
    assert not findings(res.circuit_usage, text.replace("NotProvisioned", "Provisioned"), "RES008")


# --------------------------------------------------------------------------- RES009

def test_res009_bfd_not_declared_or_disabled():
    text = """\
    circuits:
      - name: er1
        peering_location: Chicago
        provider: Equinix
        bandwidth: 1Gbps
        peerings:
          - type: AzurePrivatePeering
            peer_asn: 65001
          - type: MicrosoftPeering
            bfd: false
    """
    found = findings(res.bfd_declared, text, "RES009")
    assert [("not declared" in f.message, line(f)) for f in found] == [
        (True, line_of(text, "type: AzurePrivatePeering")), (False, line_of(text, "bfd: false"))]
    assert not findings(res.bfd_declared, text.replace("peer_asn: 65001", "bfd: true").replace("false", "true"),
                        "RES009")


# --------------------------------------------------------------------------- RES010 / RES011

def test_res010_gateway_region_differs_from_vnet():
    text = two().replace("sku: ErGw1AZ", "sku: ErGw1AZ\n    region: westus")
    [f] = findings(res.gateway_regions, text, "RES010")
    assert "region 'westus' but its VNet 'hub' is in 'eastus'" in f.message
    assert line(f) == line_of(text, "region: westus")
    assert not findings(res.gateway_regions, two().replace("sku: ErGw1AZ", "sku: ErGw1AZ\n    region: East US"),
                        "RES010")


def test_res011_gateway_without_region_names_skipped_checks():
    text = two().replace("region: eastus, ", "")
    [f] = findings(res.gateway_regions, text, "RES011")
    assert "SKU001" in f.message and "SKU003" in f.message
    assert line(f) == line_of(text, "- name: gw")
    assert not findings(res.gateway_regions, two(), "RES011")


# --------------------------------------------------------------------------- the seed, the quickstart, names

def test_seed_through_the_engine_has_no_error_from_sku_gr_res(examples_dir):
    from erdesign.engine.runner import lint

    report = lint(load_design(examples_dir / "seed.yaml"), select=["SKU", "GR", "RES"])
    assert [(f.rule, f.severity, f.loc.line) for f in report.findings] == [
        ("RES009", "info", 49), ("RES003", "warning", 75)]


def test_res003_gateway_without_connection_in_a_single_circuit_design():
    """The quickstart template's case: no connection yet, and only one circuit to connect to."""
    text = hub(CIRCUIT.format(name="er1", loc="Washington DC"), "[]")
    [f] = findings(res.gateway_circuit_diversity, text, "RES003")
    assert "the design's only circuit" in f.message
    two_circuits = hub(CIRCUIT.format(name="er1", loc="Washington DC") + CIRCUIT.format(name="er2", loc="Chicago"),
                       "[]")
    assert not findings(res.gateway_circuit_diversity, two_circuits, "RES003")


def test_quickstart_template_finds_no_connection_and_single_circuit():
    from erdesign.engine.runner import lint

    template = Path(__file__).parent / "fixtures" / "arm" / "quickstart" / "azuredeploy.json"  # see SOURCE.md
    rules = {f.rule for f in lint(load_design(template), select=["RES"]).findings}
    assert {"RES003", "RES005", "RES006"} <= rules


def test_res001_word_swapped_names_map_back_for_every_region():
    """The seed's sanitised `useast` style (words swapped) finds the right region for all of regions.yaml."""
    from erdesign import facts

    for key in facts.known_regions():
        swapped = "".join(reversed(facts.region(key)["display_name"].split())).lower()
        assert facts.closest_region(swapped) == key, swapped


def test_res002_withdrawn_location():
    text = hub(CIRCUIT.format(name="er1", loc="Bogota"), CONN.format(name="er1"))
    [f] = findings(res.unknown_peering_locations, text, "RES002")
    assert "no longer listed" in f.message and "skipped" not in f.message


def test_res002_withdrawn_location_stays_a_warning_through_the_engine():
    from erdesign.engine.runner import lint
    from rules_helpers import load

    report = lint(load(hub(CIRCUIT.format(name="er1", loc="Bogota"), CONN.format(name="er1"))), select=["RES002"])
    assert [(f.rule, f.severity) for f in report.findings] == [("RES002", "warning")]


# --------------------------------------------------------------------------- RES012 Azure resource names

def test_res012_space_in_a_vnet_name():
    text = 'vnets:\n  - {name: "hub vnet", address_space: [10.0.0.0/24]}\n'
    [f] = findings(res.azure_resource_names, text, "RES012")
    assert f.message == ("VNet 'hub vnet': the name contains a space; Azure doesn't accept it for "
                         "Microsoft.Network/virtualNetworks (2-64 characters; alphanumerics, underscores, periods, "
                         "and hyphens. Start with alphanumeric. End alphanumeric or underscore.)")
    assert line(f) == 2 and f.evidence[0].source.endswith("[rules/data/resource_names.yaml]")


@pytest.mark.parametrize("name, problem", [
    ("a" * 81, "is 81 characters long (at most 80)"),
    ("er-1.", "ends with '.'"),
    ("-er1", "starts with '-'"),
    ('"er1\\t"', "contains whitespace (\\t)"),
    ('"er\\u00001"', "contains a control character (\\x00)"),
    ("ér1#x", "contains 'é', '#'"),
])
def test_res012_circuit_names(name, problem):
    text = f"circuits:\n  - name: {name}\n    provider: Equinix\n    peering_location: Amsterdam\n    bandwidth: 1Gbps\n"
    [f] = findings(res.azure_resource_names, text, "RES012")
    assert f"the name {problem}; Azure doesn't accept it for Microsoft.Network/expressRouteCircuits (1-80" in f.message
    assert "\n" not in f.message and "\t" not in f.message and "\x00" not in f.message


def test_res012_children_and_length_limits_per_type():
    text = ("vnets:\n  - name: " + "v" * 65 + "\n    subnets: [{name: 'app subnet', prefix: 10.0.0.0/24}]\n"
            "route_tables:\n  - name: rt\n    routes: [{name: 'to-onprem.', prefix: 10.0.0.0/8}]\n")
    found = [f.message.split("; Azure")[0] for f in findings(res.azure_resource_names, text, "RES012")]
    assert found == [
        "VNet '" + "v" * 65 + "': the name is 65 characters long (at most 64)",
        "VNet '" + "v" * 65 + "' subnet 'app subnet': the name contains a space",
        "route table 'rt' route 'to-onprem.': the name ends with '.'",
    ]


def test_res012_passes_for_valid_names_on_prem_objects_and_placeholders():
    text = ("sites:\n  - name: 'London DC #1'\n    routers: [{name: 'rtr 1'}]\n"
            "providers:\n  - {name: 'AT&T NetBond'}\n"
            "circuits:\n  - {name: '<circuitName>', provider: Equinix, peering_location: Amsterdam, bandwidth: 1Gbps}\n"
            "vnets:\n  - name: ab\n    subnets: [{name: GatewaySubnet, prefix: 10.0.0.0/27}, {name: a_, prefix: 10.0.1.0/27}]\n"
            "  - {name: " + "x" * 64 + "}\n"
            "nsgs:\n  - {name: nsg_1.prod-x, rules: [{name: allow-443, priority: 100}]}\n")
    assert findings(res.azure_resource_names, text, "RES012") == []


# --------------------------------------------------------------------------- RES013 providers and their circuits

PROVIDERS = """\
providers:
  - name: {provider}
    virtual_circuits:
      - {{name: vc-1, circuit: er1, link: primary}}
      - {{name: vc-2, circuit: er1, link: {second}}}
circuits:
  - {{name: er1, provider: {circuit_provider}, peering_location: Amsterdam, bandwidth: 1Gbps}}
  - {{name: er2, provider: {provider}, peering_location: Amsterdam, bandwidth: 1Gbps}}
"""


def test_res013_virtual_circuit_for_another_providers_circuit():
    text = PROVIDERS.format(provider="Megaport", circuit_provider="FooTel", second="secondary")
    found = findings(res.provider_virtual_circuits, text, "RES013")
    assert [(f.message, line(f)) for f in found] == [
        ("provider 'Megaport' virtual circuit 'vc-1' carries circuit 'er1', whose provider is 'FooTel'; a circuit is "
         "delivered by the provider it was ordered from", line_of(text, "vc-1")),
        ("provider 'Megaport' virtual circuit 'vc-2' carries circuit 'er1', whose provider is 'FooTel'; a circuit is "
         "delivered by the provider it was ordered from", line_of(text, "vc-2")),
    ]


def test_res013_two_virtual_circuits_on_one_link():
    text = PROVIDERS.format(provider="Equinix", circuit_provider="Equinix", second="primary")
    [f] = findings(res.provider_virtual_circuits, text, "RES013")
    assert f.message == ("provider 'Equinix' virtual circuit 'vc-2': circuit 'er1' primary link is already carried by "
                         "virtual circuit 'vc-1' (provider 'Equinix'); each link of a circuit has one virtual circuit")
    assert line(f) == line_of(text, "vc-2")


def test_res013_passes_for_matching_names_and_circuits_without_virtual_circuits():
    # 'Equinix Fabric' is Equinix; er2's provider is declared but carries no virtual circuit: quotes may be missing
    text = PROVIDERS.format(provider="Equinix Fabric", circuit_provider="equinix", second="secondary")
    assert findings(res.provider_virtual_circuits, text, "RES013") == []
