"""Rules added for the seed note's unchecked mistakes and the peers' recommendations (issue 11):
VLAN005-007, RES020-028, CAP011-014, GW019-021, FP007-009, SKU011-012, MON001-002, VPN001-003.

Each rule's failing and passing design is its catalog page's example (tests/test_engine_catalog.py runs
them); these tests pin messages, edge cases and the data behind them."""
from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from erdesign.checks import fastpath_fit as fpf
from erdesign.checks import gateway as gwm
from erdesign.checks import gateway_fit as gwf
from erdesign.checks import headroom as hr
from erdesign.checks import monitoring as mon
from erdesign.checks import providers as prov
from erdesign.checks import resiliency_design as rd
from erdesign.checks import tags
from erdesign.checks import vpn
from erdesign.engine.config import Config
from erdesign.engine.runner import lint

from rules_helpers import findings, load, located, run, where


def circuit(location="Washington DC", provider="Equinix", bandwidth="1Gbps", peering="", extra=""):
    return f"""
circuits:
  - name: er1
    peering_location: {location}
    provider: {provider}
    bandwidth: {bandwidth}{extra}
    peerings:
      - {{type: AzurePrivatePeering, peer_asn: 65001, prefix: 192.168.0.0/29, vlan_id: 100{peering}}}
"""


def hub(sku="ErGw1AZ", region="eastus", gw="", conn=""):
    return f"""
vnets:
  - name: hub
    region: {region}
    address_space: [10.0.0.0/24]
    subnets: [{{name: GatewaySubnet, prefix: 10.0.0.0/27}}]
gateways:
  - {{name: hub-gw, vnet: hub, sku: {sku}{gw}}}
connections:
  - {{name: hub-er1, gateway: hub-gw, circuit: er1{conn}}}
"""


# --------------------------------------------------------------------------- VLAN

def test_vlan005_points_at_the_peering_and_needs_no_vlan_elsewhere():
    text = circuit().replace(", vlan_id: 100", "")
    [(loc, msg)] = located(tags.peering_without_vlan, "VLAN005", text)
    assert loc == where(text, "AzurePrivatePeering") and "no vlan_id" in msg
    assert located(tags.peering_without_vlan, "VLAN005", circuit()) == []


def test_vlan006_and_vlan007_follow_the_tags_to_the_router():
    text = """
sites:
  - name: dc
    routers:
      - name: rtr1
        asn: 65001
        interfaces: [{name: Te0/0/0.100, vlan_id: 100, s_tag: 31}]
providers:
  - name: Equinix
    virtual_circuits: [{name: vc1, circuit: er1, bandwidth: 1Gbps, s_tag: 29}]
circuits:
  - name: er1
    peering_location: Washington DC
    provider: Equinix
    bandwidth: 1Gbps
    peerings:
      - type: AzurePrivatePeering
        peer_asn: 65001
        prefix: 192.168.0.0/29
        vlan_id: 100
        primary_link: {router: rtr1, interface: Te0/0/0.100}
"""
    assert located(tags.router_interface_vlan, "VLAN006", text) == []
    # no stag on the circuit: the first S-tag declared (the carrier's) is the reference
    [(loc, msg)] = located(tags.s_tag_consistency, "VLAN007", text)
    assert loc == where(text, "31}]") and "S-tag 31 differs from the S-tag 29 of provider 'Equinix'" in msg
    assert located(tags.s_tag_consistency, "VLAN007", text.replace("s_tag: 31", "s_tag: 29")) == []
    [(loc, msg)] = located(tags.router_interface_vlan, "VLAN006", text.replace("vlan_id: 100, s_tag", "vlan_id: 28, s_tag"))
    assert "tagged VLAN 28, but the peering uses VLAN 100" in msg


# --------------------------------------------------------------------------- RES020-RES028

def test_res020_public_peering():
    text = circuit().replace("AzurePrivatePeering", "AzurePublicPeering")
    [(_, msg)] = located(prov.public_peering, "RES020", text)
    assert "retired on 2024-03-31" in msg


@pytest.mark.parametrize("name, expected", [
    ("Equnix", "(did you mean 'Equinix'?)"),
    ("Megaprt", "(did you mean 'Megaport'?)"),
])
def test_res021_unknown_provider_suggests_the_closest(name, expected):
    [(loc, msg)] = located(prov.provider_at_location, "RES021", circuit(provider=name))
    assert expected in msg


@pytest.mark.parametrize("name", ["Equinix", "equinix", "AT&T Netbond", "AT&T NetBond", "Telia Carrier", "Megaport"])
def test_res021_known_names_and_aliases_pass(name):
    assert run(prov.provider_at_location, circuit(provider=name)) == []


def test_res021_carrier_behind_an_exchange_names_the_exchange():
    [f] = run(prov.provider_at_location, circuit(location="New York", provider="Spectrum Enterprise"))
    assert f.rule == "RES021" and "order the circuit with Equinix or Megaport as the provider" in f.hint


def test_res022_provider_elsewhere_and_metro():
    [(_, msg)] = located(prov.provider_at_location, "RES022", circuit(location="Vienna"))
    assert msg.startswith("circuit 'er1': provider 'Equinix' is not offered at Vienna; it is at ")
    # Amsterdam Metro = Amsterdam + Amsterdam2: Equinix is at both, KPN only at Amsterdam
    assert run(prov.provider_at_location, circuit(location="Amsterdam Metro")) == []
    [f] = run(prov.provider_at_location, circuit(location="Amsterdam Metro", provider="KPN"))
    assert f.rule == "RES022"


def test_res022_seed_provider_and_location_pass():
    assert run(prov.provider_at_location, circuit(location="Washington DC", provider="Equinix")) == []


def test_res023_names_the_locations_local_to_the_region():
    text = circuit(location="Frankfurt") + hub(region="westeurope")
    [(_, msg)] = located(prov.vnet_far_from_location, "RES023", text)
    assert "Peering locations local to westeurope: 'Amsterdam', 'Amsterdam2'" in msg
    assert run(prov.vnet_far_from_location, circuit(location="Amsterdam") + hub(region="westeurope")) == []
    # a location with no Local region (New York) says nothing: the tables don't tell
    assert run(prov.vnet_far_from_location, circuit(location="New York") + hub(region="westeurope")) == []


def test_res024_authorization_by_name_or_used_by():
    base = circuit(extra="\n    subscription: net-sub") + hub(gw=", subscription: app-sub")
    [(_, msg)] = located(rd.cross_subscription_without_authorization, "RES024", base)
    assert "(subscription 'app-sub')" in msg and "of subscription 'net-sub'" in msg
    with_auth = base.replace("circuit: er1}", "circuit: er1, authorization: k1}")
    assert run(rd.cross_subscription_without_authorization, with_auth) == []
    same_sub = base.replace("app-sub", "net-sub")
    assert run(rd.cross_subscription_without_authorization, same_sub) == []
    unassigned = base.replace("subscription: net-sub", "subscription: net-sub\n    authorizations: [{name: k1}]")
    assert run(rd.cross_subscription_without_authorization, unassigned) == []
    other_user = base.replace("subscription: net-sub", "subscription: net-sub\n    authorizations: [{name: k1, used_by: x}]")
    assert [f.rule for f in run(rd.cross_subscription_without_authorization, other_user)] == ["RES024"]


def test_res026_only_when_not_peered():
    text = circuit() + """
vnets:
  - {name: a, region: eastus, address_space: [10.0.0.0/24], subnets: [{name: GatewaySubnet, prefix: 10.0.0.0/27}]}
  - {name: b, region: eastus, address_space: [10.0.1.0/24], subnets: [{name: GatewaySubnet, prefix: 10.0.1.0/27}]}
  - {name: c, region: eastus, address_space: [10.0.2.0/24], subnets: [{name: GatewaySubnet, prefix: 10.0.2.0/27}]}
gateways:
  - {name: ga, vnet: a, sku: ErGw1AZ}
  - {name: gb, vnet: b, sku: ErGw1AZ}
  - {name: gc, vnet: c, sku: ErGw1AZ}
connections:
  - {name: ca, gateway: ga, circuit: er1}
  - {name: cb, gateway: gb, circuit: er1}
  - {name: cc, gateway: gc, circuit: er1}
vnet_peerings:
  - {name: a-b, vnet: a, remote_vnet: b}
"""
    msgs = [m for _, m in located(rd.vnet_to_vnet_over_expressroute, "RES026", text)]
    assert len(msgs) == 2 and all("'c'" in m for m in msgs)


def test_res027_us_gov_iowa_is_retired():
    text = "vnets:\n  - {name: v, region: usgoviowa, address_space: [10.0.0.0/24]}\n"
    [(_, msg)] = located(prov.retired_region, "RES027", text)
    assert "US Gov Iowa (usgoviowa) is retired" in msg


# --------------------------------------------------------------------------- CAP011-CAP014

def test_cap011_only_slower():
    vc = "providers:\n  - name: Equinix\n    virtual_circuits: [{name: vc, circuit: er1, bandwidth: %s}]\n"
    assert [f.rule for f in run(hr.virtual_circuit_slower_than_circuit, vc % "200Mbps" + circuit())] == ["CAP011"]
    assert run(hr.virtual_circuit_slower_than_circuit, vc % "10Gbps" + circuit()) == []


@pytest.mark.parametrize("count, fires", [(3199, False), (3200, True), (4000, True), (4001, False)])
def test_cap012_from_80_percent_up_to_the_limit(count, fires):
    text = circuit(peering=f", advertised_prefix_count: {count}")
    assert bool(findings(hr.nearing_limits, text, "CAP012")) is fires


def test_cap012_threshold_is_configurable():
    text = circuit(peering=", advertised_prefix_count: 3500")
    design = load(text)
    assert [f.rule for f in lint(design, select=["CAP012"]).findings] == ["CAP012"]
    assert lint(design, select=["CAP012"], config=Config(nearing_limit=90)).findings == []


def test_cap012_threshold_from_the_configuration_file(tmp_path, run_cli):
    (tmp_path / "design.yaml").write_text("version: 1\n" + circuit(peering=", advertised_prefix_count: 3500"))
    (tmp_path / ".erdesign.yaml").write_text("nearing-limit: 95\n")
    result = run_cli("lint", "design.yaml", "--select", "CAP012", cwd=tmp_path)
    assert result.code == 0 and "CAP012" not in result.out
    (tmp_path / ".erdesign.yaml").write_text("nearing-limit: 150\n")
    bad = run_cli("lint", "design.yaml", cwd=tmp_path)
    assert bad.code == 2 and "must be a percentage from 1 to 100" in bad.err


def test_cap012_connections_and_vnet_links():
    text = circuit(extra="") + hub()
    assert run(hr.nearing_limits, text) == []  # 1 of 4 connections, 1 of 10 links


def test_cap013_between_90_and_100_percent_only():
    text = circuit(bandwidth="50Mbps") + "traffic:\n  circuits: [{circuit: er1, egress_gb_month: %s}]\n"
    assert run(hr.circuit_nearly_full, text % "14800") != []     # 90.1 % of 16,425 GB
    assert run(hr.circuit_nearly_full, text % "14700") == []     # 89.5 %
    assert run(hr.circuit_nearly_full, text % "17000") == []     # above: CAP010's


def test_cap014_route_table_limit_from_network_limits():
    routes = "\n".join(f"      - {{name: r{i}, prefix: 10.{i // 256}.{i % 256}.0/24, next_hop_type: VirtualAppliance, "
                       f"next_hop_ip: 10.255.0.4}}" for i in range(401))
    text = f"route_tables:\n  - name: rt\n    routes:\n{routes}\n"
    [(_, msg)] = located(hr.routes_per_route_table, "CAP014", text)
    assert "401 routes; a route table holds at most 400" in msg
    cut = text.rsplit("\n      - ", 1)[0] + "\n"
    assert run(hr.routes_per_route_table, cut) == []


# --------------------------------------------------------------------------- GW019-GW021

def test_gw019_scale_units_and_fastpath():
    ten = circuit(bandwidth="10Gbps")
    [f] = run(gwf.gateway_slower_than_circuit, ten + hub(sku="ErGwScale", gw=", scale_units: {min: 2, max: 5}"))
    assert "5 scale units x 1Gbps" in f.message and "5Gbps" in f.message
    assert run(gwf.gateway_slower_than_circuit, ten + hub(sku="ErGwScale", gw=", scale_units: {min: 2, max: 10}")) == []
    assert run(gwf.gateway_slower_than_circuit, ten + hub(sku="ErGw3AZ", conn=", fastpath: true")) == []


def test_gw020_false_is_a_warning_at_the_field():
    text = circuit() + hub(gw=", maintenance_configuration: false")
    [f] = lint(load(text), select=["GW020"]).findings
    assert str(f.loc) == where(text, "false") and "is off" in f.message and f.severity == "warning"
    [f] = lint(load(circuit() + hub()), select=["GW020"]).findings
    assert "is not declared" in f.message and f.severity == "info"
    assert lint(load(circuit() + hub(gw=", maintenance_configuration: true")), select=["GW020"]).findings == []


def test_gw021_basic_is_retired_not_unknown():
    text = circuit() + hub(sku="Basic")
    assert [f.rule for f in run(gwf.retired_expressroute_sku, text)] == ["GW021"]
    assert run(gwm.unknown_gateway_sku, text) == []


# --------------------------------------------------------------------------- FP007-FP009

def test_fp008_direct_circuit_passes():
    direct = """
express_route_ports:
  - {name: erd, peering_location: Washington DC, bandwidth: 10Gbps}
circuits:
  - name: er1
    express_route_port: erd
    bandwidth: 5Gbps
    peerings:
      - {type: AzurePrivatePeering, peer_asn: 65001, prefix: 192.168.0.0/29, vlan_id: 100, ipv6: {prefix: 'fd00::/125'}}
"""
    assert run(fpf.ipv6_fastpath_on_provider_circuit, direct + hub(sku="ErGw3AZ", conn=", fastpath: true")) == []
    provider = circuit(peering=", ipv6: {prefix: 'fd00::/125'}")
    [f] = run(fpf.ipv6_fastpath_on_provider_circuit, provider + hub(sku="ErGw3AZ", conn=", fastpath: true"))
    assert "ExpressRoute Direct only" in f.message


def test_fp009_needs_a_fastpath_capable_gateway():
    assert run(fpf.fastpath_could_be_enabled, circuit() + hub(sku="ErGw1AZ")) == []
    assert run(fpf.fastpath_could_be_enabled,
               circuit() + hub(sku="ErGwScale", gw=", scale_units: {min: 2, max: 10}")) == []
    assert [f.rule for f in run(fpf.fastpath_could_be_enabled,
                                circuit() + hub(sku="ErGwScale", gw=", scale_units: {min: 10, max: 10}"))] == ["FP009"]


# --------------------------------------------------------------------------- SKU011-SKU012, MON, VPN

def test_sku011_points_at_sku_name():
    text = circuit(extra="\n    sku: {tier: Premium, family: UnlimitedData, name: Standard_MeteredData}")
    [(loc, msg)] = located(rd.sku_name_contradicts, "SKU011", text)
    assert loc == where(text, "Standard_MeteredData") and "tier Premium and family UnlimitedData" in msg


def test_sku012_provider_circuits_are_not_checked():
    assert run(rd.direct_circuit_rate_limiting, circuit()) == []


def test_mon_rules_need_a_monitoring_section():
    text = circuit() + hub()
    assert run(mon.objects_without_alerts, text) == [] and run(mon.service_health_alerts, text) == []
    declared = text + "monitoring:\n  alerts: [{resource: er1}]\n"
    assert sorted(f.message.split("'")[1] for f in run(mon.objects_without_alerts, declared)) == ["hub-gw"]
    assert [f.rule for f in run(mon.service_health_alerts, declared)] == ["MON002"]


def _vpn(sku, extra=""):
    return f"""
vnets:
  - {{name: hub, region: eastus, address_space: [10.0.0.0/24], subnets: [{{name: GatewaySubnet, prefix: 10.0.0.0/27}}]}}
gateways:
  - {{name: vpn, vnet: hub, type: Vpn, sku: {sku}, vpn_type: RouteBased{extra}}}
"""


def test_vpn001_retired_non_az_and_legacy():
    [f] = run(vpn.vpn_sku_not_zone_redundant, _vpn("VpnGw3"))
    assert "since 2025-01-01 and is deprecated from 2026-09-30" in f.message and "VpnGw3AZ" in f.hint
    [f] = run(vpn.vpn_sku_not_zone_redundant, _vpn("HighPerformance"))
    assert "legacy VPN gateway SKU" in f.message
    assert run(vpn.vpn_sku_not_zone_redundant, _vpn("VpnGw3AZ")) == []


def test_vpn002_and_vpn003():
    assert [f.rule for f in run(vpn.vpn_not_active_active, _vpn("VpnGw2AZ"))] == ["VPN002"]
    assert run(vpn.vpn_not_active_active, _vpn("VpnGw2AZ", ", active_active: true")) == []
    pip = "public_ips:\n  - {name: pip, sku: Standard, zones: [1]}\n"
    [(_, msg)] = located(vpn.vpn_public_ip_not_zone_redundant, "VPN003", pip + _vpn("VpnGw2AZ", ", public_ip: pip"))
    assert "has zones 1" in msg


# --------------------------------------------------------------------------- data behind the rules

@pytest.mark.parametrize("prefix, what", [("2002:c000:204::/48", "6to4"), ("3fff:1::/32", "Documentation"),
                                          ("2001:db8:5::/48", "Documentation")])
def test_net009_6to4_and_documentation_ranges_on_microsoft_peering_ipv6(prefix, what):
    from erdesign.checks import addressing as net

    text = f"""
circuits:
  - name: er1
    peering_location: Washington DC
    provider: Equinix
    bandwidth: 1Gbps
    sku: {{tier: Premium}}
    peerings:
      - type: MicrosoftPeering
        peer_asn: 8075
        prefix: 123.0.0.0/29
        vlan_id: 200
        advertised_public_prefixes: [123.1.0.0/24]
        ipv6: {{prefix: '2600:1::/125', advertised_prefixes: ['{prefix}']}}
"""
    [(_, msg)] = located(net.microsoft_peering_public, "NET009", text)
    assert f"advertised prefix {prefix} is not public" in msg and what in msg


def test_seed_example_has_no_error():
    from pathlib import Path

    from erdesign.loader import load_design

    report = lint(load_design(str(Path(__file__).resolve().parents[1] / "examples" / "seed.yaml")))
    assert [f.rule for f in report.findings if f.severity == "error"] == []
    assert not report.errors


# --------------------------------------------------------------------------- the seed's own mistakes, injected

SEED_DEFECTS = [
    ("carrier circuit slower", [("link: primary, bandwidth: 1Gbps", "link: primary, bandwidth: 500Mbps", 1)],
     "CAP011", "bandwidth: 500Mbps"),
    ("provider typo", [("    provider: Equinix\n", "    provider: Equnix\n", 1)], "RES021", "provider: Equnix"),
    ("provider not at the location", [("    peering_location: Washington DC\n", "    peering_location: Vienna\n", 1)],
     "RES022", "provider: Equinix"),
    ("public peering", [("      - type: AzurePrivatePeering\n", "      - type: AzurePublicPeering\n", 1)],
     "RES020", "type: AzurePublicPeering"),
    ("10G circuit on a 1G gateway", [("    bandwidth: 1Gbps\n    sku: {tier: Standard", "    bandwidth: 10Gbps\n    sku: {tier: Standard", 1),
                                     ("bandwidth: 1Gbps, s_tag: 29}", "bandwidth: 10Gbps, s_tag: 29}", 2)],
     "GW019", "    sku: Standard"),
    ("connection from the customer's subscription", [("    gateway: erspvnetcust1gw1\n", "    gateway: erspvnetcust1gw1\n    subscription: cust1-sub\n", 1)],
     "RES024", "circuit: useasterc1cust1\n    routing_weight"),
    ("sku.name from another tier", [("sku: {tier: Standard, family: UnlimitedData}", "sku: {tier: Standard, family: UnlimitedData, name: Premium_UnlimitedData}", 1)],
     "SKU011", "Premium_UnlimitedData"),
]


@pytest.mark.parametrize("name, edits, rule, needle", SEED_DEFECTS, ids=[d[0] for d in SEED_DEFECTS])
def test_seed_defect_gives_its_finding(examples_dir, name, edits, rule, needle):
    from erdesign.loader import load_design_text

    text = (examples_dir / "seed.yaml").read_text(encoding="utf-8")
    assert lint(load_design_text(text, "seed.yaml"), select=[rule]).findings == []
    for old, new, count in edits:
        assert old in text, old
        text = text.replace(old, new, count)
    report = lint(load_design_text(text, "seed.yaml"), select=[rule])
    line = text.count("\n", 0, text.index(needle)) + 1
    assert [(f.rule, f.loc.line) for f in report.findings] == [(rule, line)], [f.message for f in report.findings]


# --------------------------------------------------------------------------- peer recommendations

def test_every_peer_recommendation_is_covered_or_explained():
    from erdesign.engine.coverage import coverage, unknown_aliases
    from erdesign.engine.registry import load_all_checks

    rows = coverage()
    assert [r.id for r in rows if r.status == "missing"] == []
    registered = set(load_all_checks())
    assert all(set(r.rules) <= registered for r in rows)
    # every aprl/psrule/advisor alias of the catalog is a current recommendation (no renamed or removed ids)
    assert unknown_aliases() == []
    elsewhere = {r.elsewhere for r in rows if r.elsewhere}
    assert elsewhere <= {"VWAN* (issue 10)", "DIR* (issue 10)"}


def test_readme_not_applicable_table_matches_the_data(repo_root):
    from erdesign.engine.coverage import coverage

    readme = (repo_root / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Peer recommendations and current facts"):readme.index("## Development")]
    rows = [line for line in section.splitlines() if line.startswith("| ") and not line.startswith("| Tool")]
    listed = {line.split("|")[1].strip().split()[-1] for line in rows}
    expected = {r.id.split("-")[0] for r in coverage() if r.status == "not applicable"}
    assert listed == expected


def test_stale_alias_of_gw004_is_gone():
    from erdesign.engine.catalog import load_catalog

    assert "aprl" not in load_catalog()["GW004"].aliases


def test_rules_coverage_command(run_cli):
    import json

    text = run_cli("rules", "coverage")
    assert text.code == 0 and "0 missing." in text.out.splitlines()[-1]
    assert "f06a2bbe-5839-d447-9f39-fc3d20562d88      BGP008, RES025" in text.out
    rows = json.loads(run_cli("rules", "coverage", "--format", "json").out)
    by_id = {r["id"]: r for r in rows}
    assert by_id["Azure.VNG.MaintenanceConfig"]["rules"] == ["GW020"]
    assert by_id["60077378-7cb1-4b35-89bb-393884d9921d"]["status"] == "covered"  # DIR001 (issue 10)


def test_sku011_from_an_az_dump_that_contradicts_itself(tmp_path):
    """The seed's `circuit show` with sku.name edited to another tier: the import keeps the name (only when it
    contradicts tier/family), and SKU011 points at it."""
    import json
    from pathlib import Path

    from erdesign.importers.to_yaml import design_data
    from erdesign.loader import load_design

    seed = Path(__file__).parent / "fixtures" / "az" / "seed" / "circuit-show.json"
    data = json.loads(seed.read_text())
    assert data["sku"]["name"] == "Standard_UnlimitedData"
    assert load_design(seed).circuits[0].sku.name is None   # consistent: not kept
    data["sku"]["name"] = "Premium_UnlimitedData"
    path = tmp_path / "circuit.json"
    path.write_text(json.dumps(data, indent=2))
    design = load_design(path)
    [f] = [f for f in lint(design, select=["SKU011"]).findings]
    assert f.loc.file.endswith("circuit.json") and "Premium_UnlimitedData contradicts its tier Standard" in f.message
    assert design_data(design)["circuits"][0]["sku"]["name"] == "Premium_UnlimitedData"


def test_sku012_reads_rate_limiting_from_terraform_plans():
    from pathlib import Path

    from erdesign.loader import load_design

    plan = Path(__file__).parent / "fixtures" / "accept" / "direct.plan.json"
    design = load_design(plan)
    direct = [c for c in design.circuits if c.is_direct]
    assert direct and all(c.rate_limiting is False for c in direct)   # rate_limiting_enabled: false in the plan
    [f] = lint(design, select=["SKU012"]).findings
    assert "rate limiting is off" in f.message and f.loc.line == 53


def test_gw001_names_the_migration_preconditions():
    from erdesign.checks import gateway as gw

    small = circuit() + hub(sku="Standard").replace("10.0.0.0/27", "10.0.0.0/28")
    [f] = run(gw.legacy_gateway_sku, small)
    assert "needs a GatewaySubnet of /27 or larger, and 10.0.0.0/28 is a /28" in f.hint
    assert any("commit within 15 days" in str(e.value) and e.as_of == "2025-05-19" for e in f.evidence)
    [f] = run(gw.legacy_gateway_sku, circuit() + hub(sku="Standard"))
    assert "GatewaySubnet" not in f.hint



@settings(max_examples=40, deadline=None)
@given(count=st.integers(min_value=0, max_value=12000), percent=st.integers(min_value=1, max_value=100),
       tier=st.sampled_from(["Standard", "Premium"]))
def test_cap012_fires_exactly_between_the_threshold_and_the_limit(count, percent, tier):
    from erdesign.data import table

    limit = table("route_limits")["advertised_to_private_peering"]["ipv4"][tier]
    design = load(circuit(extra=f"\n    sku: {{tier: {tier}}}", peering=f", advertised_prefix_count: {count}"))
    fired = [f.rule for f in lint(design, select=["CAP012"], config=Config(nearing_limit=percent)).findings]
    assert fired == (["CAP012"] if limit * percent / 100 <= count <= limit else [])


@settings(max_examples=30, deadline=None)
@given(tags_=st.lists(st.integers(min_value=1, max_value=4094), min_size=1, max_size=4))
def test_vlan007_fires_once_per_tag_that_differs_from_the_circuits(tags_):
    circuit_tag, others = tags_[0], tags_[1:]
    vcs = "".join(f"\n      - {{name: vc{i}, circuit: er1, bandwidth: 1Gbps, s_tag: {t}}}" for i, t in enumerate(others))
    text = (f"providers:\n  - name: Equinix\n    virtual_circuits:{vcs or ' []'}\n"
            + circuit(extra=f"\n    s_tag: {circuit_tag}"))
    found = run(tags.s_tag_consistency, text)
    assert len(found) == sum(1 for t in others if t != circuit_tag)


def test_sku_name_alone_sets_tier_and_family():
    design = load(circuit(extra="\n    sku: {name: Premium_UnlimitedData}"))
    sku = design.circuits[0].sku
    assert (sku.tier, sku.family) == ("Premium", "UnlimitedData")
    assert run(rd.sku_name_contradicts, circuit(extra="\n    sku: {name: Premium_UnlimitedData}")) == []


# --------------------------------------------------------------------------- facts kept current

def _walk(node, path=()):
    if isinstance(node, dict):
        yield path, node
        for k, v in node.items():
            yield from _walk(v, path + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _walk(v, path + (i,))


DATA = sorted((Path(__file__).resolve().parents[1] / "rules" / "data").glob("*.yaml"))


@pytest.mark.parametrize("path", DATA, ids=lambda p: p.stem)
def test_every_cited_source_id_is_declared_and_every_history_entry_is_dated(path):
    """A value that changed keeps its old value and source under history:, with the date it was replaced and why;
    every source id a table cites (source:, *_source:) is one of its sources."""
    import datetime as dt

    import yaml

    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    ids = {s["id"] for s in data.get("sources") or []}
    for where, node in _walk(data):
        for key, value in node.items():
            if (key == "source" or key.endswith("_source")) and isinstance(value, str) and where[:1] != ("sources",):
                if key in ("zone_source", "country_source") or value.startswith(("derived", "infracost")):
                    continue  # derivations and third-party maps, described in the table's notes
                assert value in ids, f"{path.name} {'/'.join(map(str, where))}: {key} {value} is not a declared source"
        for hist_key in [k for k in node if k == "history" or k.endswith("_history")]:
            for entry in node[hist_key]:
                assert isinstance(entry.get("replaced"), dt.date) and entry.get("why"), (path.name, where, entry)


def test_updated_facts_cite_the_newer_sources():
    from erdesign import facts
    from erdesign.data import table

    assert {"Belgium", "Italy", "Spain", "Brazil"} <= set(table("global_reach")["available_countries"]["values"])
    assert table("global_reach")["available_countries"]["source"] == "GR25B"
    pe = table("fastpath")["features"]["private_endpoint"]
    assert {"koreacentral", "japaneast"} <= set(pe["regions"]) and pe["regions_source"] == "FPNEW"
    assert facts.peering_location("Vienna")["geo_source"] == "GEO25" and "confidence" not in facts.peering_location("Vienna")
    assert facts.region("spaincentral")["geopolitical_region"] == "Europe"
    assert facts.region("usgoviowa")["status"] == "retired"
    assert table("addressing")["bgp_timers"]["source"] == "BFD"
    assert table("gateway_skus")["skus"]["ErGwScale"]["max_circuit_connections_source"] == "GW"
    assert table("gateway_skus")["vpn_skus"]["retired_non_az"]["deprecated"].isoformat() == "2026-09-30"
    assert table("network_limits")["routes_per_route_table"]["value"] == 400


def test_a_sku_name_that_is_no_sku_is_a_located_input_error():
    from erdesign.errors import InputErrors

    with pytest.raises(InputErrors) as info:
        load(circuit(extra="\n    sku: {name: Gold_Plan}"))
    assert "sku.name 'Gold_Plan' is not <tier>_<family>" in str(info.value)
    assert str(info.value).startswith("design.yaml:7:")
