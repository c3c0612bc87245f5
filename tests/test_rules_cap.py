"""CAP rules: prefixes advertised/learned, VNet links, circuit connections, peerings per VNet."""
from __future__ import annotations

import time

import pytest

from erdesign.checks import capacity as cap
from rules_helpers import load, line_of, only, run


def circuit(peering: str = "", tier: str = "Standard", name: str = "c1", bw: str = "1Gbps",
            location: str = "Washington DC", extra: str = "") -> str:
    text = (f"  - name: {name}\n    provider: Equinix\n    peering_location: {location}\n    bandwidth: {bw}\n"
            f"    sku: {{tier: {tier}}}\n" + extra)
    if peering:
        text += "    peerings:\n      - " + peering + "\n"
    return text


PRIVATE = "{type: AzurePrivatePeering, peer_asn: 65001, prefix: 192.0.2.0/29, vlan_id: 100%s}"
HUB = ("vnets:\n  - name: hub\n    address_space: [10.0.0.0/24]\n"
       "    subnets:\n      - {name: GatewaySubnet, prefix: 10.0.0.0/27}\n")


# --------------------------------------------------------------------------- CAP001 / CAP002

@pytest.mark.parametrize("tier, count, limit", [("Standard", 4001, "4,000"), ("Local", 4500, "4,000"),
                                                ("Premium", 10001, "10,000")])
def test_cap001_declared_count_over_tier_limit(tier, count, limit):
    text = "circuits:\n" + circuit(PRIVATE % f", advertised_prefix_count: {count}", tier=tier)
    f, loc = only(run(cap.onprem_prefixes_private_peering, text), "CAP001")
    assert (f"circuit 'c1' peering AzurePrivatePeering: {count:,} IPv4 prefixes advertised from on-premises "
            f"(declared on the peering) exceed the {tier} limit of {limit}; the BGP session drops") in f.message
    assert ("Premium allows 10,000" in f.message) == (tier != "Premium")
    assert loc.line == line_of(text, "advertised_prefix_count")


def test_cap001_counts_site_prefixes_through_the_link_routers():
    prefixes = ", ".join(f"10.{i // 256}.{i % 256}.0/24" for i in range(4001))
    text = ("sites:\n  - name: dc1\n    routers:\n      - {name: r1, asn: 65001}\n      - {name: r2, asn: 65001}\n"
            f"    advertised_prefixes: [{prefixes}]\n"
            "circuits:\n" + circuit(PRIVATE % ", primary_link: {router: r1}, secondary_link: {router: r2}"))
    f, loc = only(run(cap.onprem_prefixes_private_peering, text), "CAP001")
    assert "4,001 IPv4 prefixes advertised from on-premises (listed by site 'dc1')" in f.message
    assert loc.line == line_of(text, "advertised_prefixes")


def test_cap001_duplicate_listed_prefixes_count_once_and_other_sites_do_not_count():
    prefixes = ", ".join(["10.0.0.0/24"] * 4100)
    far = ", ".join(f"10.{i // 256}.{i % 256}.0/24" for i in range(4100))
    text = ("sites:\n  - name: dc1\n    routers: [{name: r1}]\n"
            f"    advertised_prefixes: [{prefixes}]\n"
            "  - name: unrelated\n    routers: [{name: r9}]\n"
            f"    advertised_prefixes: [{far}]\n"
            "circuits:\n" + circuit(PRIVATE % ", primary_link: {router: r1}"))
    assert run(cap.onprem_prefixes_private_peering, text) == []


@pytest.mark.parametrize("tier, count", [("Standard", 4000), ("Premium", 10000)])
def test_cap001_at_the_limit_passes(tier, count):
    text = "circuits:\n" + circuit(PRIVATE % f", advertised_prefix_count: {count}", tier=tier)
    assert run(cap.onprem_prefixes_private_peering, text) == []


def test_cap002_ipv6_over_100():
    text = "circuits:\n" + circuit(PRIVATE % ", ipv6: {prefix: '2001:db8::/125', advertised_prefix_count: 101}",
                                   tier="Premium")
    f, loc = only(run(cap.onprem_prefixes_private_peering, text), "CAP002")
    assert "101 IPv6 prefixes advertised from on-premises (declared on the peering) exceed the Premium limit of 100" in f.message
    assert loc.line == line_of(text, "advertised_prefix_count: 101")


def test_cap002_ipv6_at_100_passes():
    v6 = ", ".join(f"'2001:db8:{i:x}::/48'" for i in range(100))
    text = "circuits:\n" + circuit(PRIVATE % f", ipv6: {{prefix: '2001:db8::/125', advertised_prefixes: [{v6}]}}")
    assert run(cap.onprem_prefixes_private_peering, text) == []


# --------------------------------------------------------------------------- CAP003

def _hub_and_spokes(n: int, summary: str = "") -> str:
    vnets = ["vnets:", "  - name: hub", "    address_space: [10.0.0.0/24]",
             *( [f"    summarized_gateway_prefixes: [{summary}]"] if summary else []),
             "    subnets:", "      - {name: GatewaySubnet, prefix: 10.0.0.0/27}"]
    peerings = ["vnet_peerings:"]
    for i in range(n):
        vnets.append(f"  - {{name: s{i}, address_space: [10.{128 + i // 256}.{i % 256}.0/24]}}")
        peerings.append(f"  - {{name: hub-s{i}, vnet: hub, remote_vnet: s{i}, allow_gateway_transit: true}}")
        peerings.append(f"  - {{name: s{i}-hub, vnet: s{i}, remote_vnet: hub, use_remote_gateways: true}}")
    return "\n".join(["circuits:", circuit().rstrip("\n"), *vnets,
                      "gateways:", "  - {name: hub-gw, vnet: hub, sku: ErGw3AZ}",
                      "connections:", "  - {name: hub-c1, gateway: hub-gw, circuit: c1}", *peerings]) + "\n"


@pytest.fixture(scope="module")
def thousand_spokes_text():
    return _hub_and_spokes(1000)


def test_cap003_gateway_advertises_too_many_prefixes(thousand_spokes_text):
    text = thousand_spokes_text
    f, loc = only(run(cap.gateway_advertised_prefixes, text), "CAP003")
    assert ("gateway 'hub-gw': advertises 1,001 IPv4 prefixes to on-premises (1 from hub VNet 'hub' + 1,000 from "
            "1,000 spoke VNets using its gateway); above 1,000 the ExpressRoute connections disconnect") in f.message
    assert loc.line == line_of(text, "address_space: [10.0.0.0/24]")


def test_cap003_summarized_gateway_prefixes_bring_it_under():
    text = _hub_and_spokes(1000, summary="10.128.0.0/9")
    assert run(cap.gateway_advertised_prefixes, text) == []


def test_cap003_spokes_not_using_the_gateway_do_not_count():
    text = _hub_and_spokes(1000).replace("use_remote_gateways: true", "use_remote_gateways: false")
    assert run(cap.gateway_advertised_prefixes, text) == []


# --------------------------------------------------------------------------- CAP004

def _links(n_conns: int, tier: str = "Standard", gr: int = 0) -> str:
    peers = "".join(circuit(name=f"p{i}", location="Chicago") for i in range(gr))
    gr_block = ("    global_reach:\n" + "".join(f"      - {{peer_circuit: p{i}}}\n" for i in range(gr))) if gr else ""
    vnets = "".join(f"  - {{name: v{i}, address_space: [10.{i}.0.0/24]}}\n" for i in range(n_conns))
    gws = "".join(f"  - {{name: g{i}, vnet: v{i}, sku: ErGw1AZ}}\n" for i in range(n_conns))
    conns = "".join(f"  - {{name: x{i}, gateway: g{i}, circuit: c1}}\n" for i in range(n_conns))
    return ("circuits:\n" + circuit(tier=tier, extra=gr_block) + peers + "vnets:\n" + vnets + "gateways:\n" + gws
            + "connections:\n" + conns)


def test_cap004_too_many_links_on_standard():
    text = _links(9, gr=2)
    f, loc = only(run(cap.vnet_links_per_circuit, text), "CAP004")
    assert ("circuit 'c1': 11 VNet links (9 gateway connections + 2 Global Reach) exceed the 10 allowed for a "
            "1Gbps Standard circuit; Premium would allow 50") in f.message
    assert loc.line == line_of(text, "tier: Standard")


def test_cap004_global_reach_declared_on_the_peer_counts_too():
    text = _links(10).replace("vnets:\n", "  - name: far\n    provider: Equinix\n    bandwidth: 1Gbps\n"
                        "    global_reach: [{peer_circuit: c1}]\nvnets:\n", 1)
    f, _ = only(run(cap.vnet_links_per_circuit, text), "CAP004")
    assert "11 VNet links (10 gateway connections + 1 Global Reach)" in f.message


@pytest.mark.parametrize("text", [_links(10), _links(11, tier="Premium")])
def test_cap004_passes(text):
    assert run(cap.vnet_links_per_circuit, text) == []


# --------------------------------------------------------------------------- CAP005 / CAP006

def _gateway_with_circuits(sku: str, locations: list[str]) -> str:
    circuits = "".join(circuit(name=f"c{i}", location=loc) for i, loc in enumerate(locations))
    conns = "".join(f"  - {{name: x{i}, gateway: hub-gw, circuit: c{i}}}\n" for i in range(len(locations)))
    return ("circuits:\n" + circuits + HUB + f"gateways:\n  - {{name: hub-gw, vnet: hub, sku: {sku}}}\n"
            + "connections:\n" + conns)


LOCATIONS = ["Washington DC", "Chicago", "Dallas", "New York", "Atlanta", "Miami", "Seattle", "Denver", "Phoenix"]


def test_cap005_too_many_connections_for_the_sku():
    text = _gateway_with_circuits("ErGw1AZ", LOCATIONS[:5])
    f, loc = only(run(cap.circuit_connections_per_gateway, text), "CAP005")
    assert "gateway 'hub-gw' (ErGw1AZ): 5 circuit connections exceed the 4 its SKU allows" in f.message
    assert "ErGw2AZ" in f.hint
    assert loc.line == line_of(text, "sku: ErGw1AZ")


def test_cap005_ergwscale_by_minimum_scale_units():
    text = _gateway_with_circuits("ErGwScale, scale_units: {min: 2, max: 20}", LOCATIONS[:9])
    f, loc = only(run(cap.circuit_connections_per_gateway, text), "CAP005")
    assert "9 circuit connections exceed the 8 its SKU at 2 min scale units allows" in f.message
    assert f.field == ("scale_units", "min")


@pytest.mark.parametrize("sku, n", [("ErGw1AZ", 4), ("ErGw2AZ", 8), ("ErGwScale, scale_units: {min: 10, max: 10}", 9),
                                    ("ErGwScale", 9)])
def test_cap005_passes(sku, n):
    assert run(cap.circuit_connections_per_gateway, _gateway_with_circuits(sku, LOCATIONS[:n])) == []


def test_cap006_five_circuits_from_one_location():
    text = _gateway_with_circuits("ErGw2AZ", ["Washington DC", "washington dc", "Washington DC", "Washington DC",
                                              "Washington DC"])
    f, loc = only(run(cap.circuits_same_location_per_vnet, text), "CAP006")
    assert "connection 'x4': VNet 'hub' would link 5 circuits from peering location Washington DC" in f.message
    assert loc.line == line_of(text, "name: x4")


def test_cap006_four_per_location_passes():
    text = _gateway_with_circuits("ErGw2AZ", ["Washington DC"] * 4 + ["Chicago"] * 4)
    assert run(cap.circuits_same_location_per_vnet, text) == []


# --------------------------------------------------------------------------- CAP007

def _learned(sku: str, counts: list[int]) -> str:
    circuits = "".join(circuit(PRIVATE % f", advertised_prefix_count: {n}", tier="Premium", name=f"c{i}",
                               location=LOCATIONS[i]) for i, n in enumerate(counts))
    conns = "".join(f"  - {{name: x{i}, gateway: hub-gw, circuit: c{i}}}\n" for i in range(len(counts)))
    return ("circuits:\n" + circuits + HUB + f"gateways:\n  - {{name: hub-gw, vnet: hub, sku: {sku}}}\n"
            + "connections:\n" + conns)


def test_cap007_gateway_learns_more_than_its_sku_holds():
    text = _learned("ErGw1AZ", [2500, 2500])
    f, loc = only(run(cap.routes_learned_by_gateway, text), "CAP007")
    assert f.message == "gateway 'hub-gw' (ErGw1AZ): learns 5,000 on-premises routes from 2 circuits; the SKU holds 4,000"
    assert loc.line == line_of(text, "sku: ErGw1AZ")


def _site_behind_two_circuits(site_count: str, routers: str = "[{name: r1}, {name: r2}]") -> str:
    links = ", primary_link: {router: r1}, secondary_link: {router: r2}"
    return (f"sites:\n  - name: dc-lon\n    routers: {routers}\n    {site_count}\n"
            "circuits:\n" + circuit(PRIVATE % links, tier="Premium", name="c0", location=LOCATIONS[0])
            + circuit(PRIVATE % links, tier="Premium", name="c1", location=LOCATIONS[1]) + HUB
            + "gateways:\n  - {name: hub-gw, vnet: hub, sku: ErGw1AZ}\n"
            + "connections:\n  - {name: x0, gateway: hub-gw, circuit: c0}\n  - {name: x1, gateway: hub-gw, circuit: c1}\n")


def test_cap007_a_site_behind_two_circuits_counts_once():
    """5,000 prefixes from one site over two circuits are 5,000 routes, not 10,000 (ErGw1AZ holds 4,000)."""
    text = _site_behind_two_circuits("advertised_prefix_count: 5000")
    f, _ = only(run(cap.routes_learned_by_gateway, text), "CAP007")
    assert f.message == ("gateway 'hub-gw' (ErGw1AZ): learns 5,000 on-premises routes from 2 circuits (5,000 from "
                         "site 'dc-lon', counted once although it arrives over 2 circuits); the SKU holds 4,000")
    # 3,000 from the site would have been 6,000 when counted per circuit: now under the 4,000
    assert run(cap.routes_learned_by_gateway, _site_behind_two_circuits("advertised_prefix_count: 3000")) == []


def test_cap007_different_sources_add_up():
    text = _site_behind_two_circuits("advertised_prefix_count: 3000").replace(
        "secondary_link: {router: r2}}\n  - name: c1",
        "secondary_link: {router: r2}, advertised_prefix_count: 1500}\n  - name: c1", 1)
    f, _ = only(run(cap.routes_learned_by_gateway, text), "CAP007")
    # c0's own count replaces its site's: 1,500 (c0's peering) + 3,000 (the site, over c1 only)
    assert f.message == "gateway 'hub-gw' (ErGw1AZ): learns 4,500 on-premises routes from 2 circuits; the SKU holds 4,000"


def test_cap007_same_prefixes_on_two_circuits_count_once():
    prefixes = ", ".join(f"10.{i // 256}.{i % 256}.0/24" for i in range(3000))
    text = _learned("ErGw1AZ", [1, 1]).replace("advertised_prefix_count: 1", f"advertised_prefixes: [{prefixes}]")
    assert run(cap.routes_learned_by_gateway, text) == []


@pytest.mark.parametrize("sku", ["ErGw2AZ", "ErGwScale, scale_units: {min: 2, max: 4}"])
def test_cap007_bigger_skus_pass(sku):
    assert run(cap.routes_learned_by_gateway, _learned(sku, [2500, 2500])) == []


# --------------------------------------------------------------------------- CAP008

MSFT = "{type: MicrosoftPeering, peer_asn: 64500, prefix: 203.0.113.0/29, vlan_id: 200%s}"


def test_cap008_microsoft_peering_prefixes_over_200():
    public = ", ".join(f"198.{18 + i // 256}.{i % 256}.0/24" for i in range(201))
    text = "circuits:\n" + circuit(MSFT % f", advertised_public_prefixes: [{public}]")
    f, loc = only(run(cap.microsoft_peering_prefixes, text), "CAP008")
    assert ("circuit 'c1' peering MicrosoftPeering: 201 IPv4 prefixes advertised to Microsoft peering exceed the "
            "limit of 200") in f.message
    assert loc.line == line_of(text, "advertised_public_prefixes")


def test_cap008_at_200_passes():
    assert run(cap.microsoft_peering_prefixes, "circuits:\n" + circuit(MSFT % ", advertised_prefix_count: 200")) == []


# --------------------------------------------------------------------------- CAP009 and speed on a large design

def test_cap009_more_than_500_peerings_and_checks_stay_fast(thousand_spokes_text):
    design = load(thousand_spokes_text)
    from erdesign.checks import fastpath, gateway, vnet

    started = time.perf_counter()
    findings = []
    for module in (gateway, fastpath, cap, vnet):
        for name in dir(module):
            fn = getattr(module, name)
            if callable(fn) and getattr(fn, "rule_ids", None) and fn.__module__ == module.__name__:
                findings.extend(fn(design))
    elapsed = time.perf_counter() - started
    assert elapsed < 2.0, f"GW/FP/CAP/VNET checks took {elapsed:.2f}s on 1,001 VNets / 2,000 peerings"
    f = next(f for f in findings if f.rule == "CAP009")
    assert "VNet 'hub': peered with 1,000 VNets; a VNet can have at most 500 peerings" in f.message
    assert f.node.loc(*f.field).line == line_of(thousand_spokes_text, "  - name: hub")
    assert sorted({f.rule for f in findings}) == ["CAP003", "CAP009"]


def test_cap009_500_peerings_pass():
    assert run(cap.vnet_peerings_per_vnet, _hub_and_spokes(500)) == []


# --------------------------------------------------------------------------- CAP010

def _traffic(bw: str, egress: float, ingress: float = 0, extra: str = "") -> str:
    return ("circuits:\n" + circuit(bw=bw) + "traffic:\n  circuits:\n"
            f"    - {{circuit: c1, egress_gb_month: {egress}, ingress_gb_month: {ingress}}}\n" + extra)


def test_cap010_500000_gb_a_month_on_a_1gbps_circuit():
    text = _traffic("1Gbps", 500000)
    f, loc = only(run(cap.traffic_above_circuit_capacity, text), "CAP010")
    assert f.message == ("circuit 'c1': 500,000 GB/month egress (Azure -> on-premises) is more than a 1Gbps circuit "
                         "can carry: 328,500 GB/month at full rate for 730 hours (1.5x); bursting above 1Gbps is not "
                         "sustained or guaranteed")
    assert f.hint == "Check the figure (GB per month); if it is right, the traffic needs a 2Gbps circuit (657,000 GB/month) or more."
    assert loc.line == line_of(text, "egress_gb_month") and loc.col == text.splitlines()[loc.line - 1].index("500000") + 1
    assert [e.value for e in f.evidence] == [730, "not sustained, not guaranteed"]
    assert all(e.source.endswith("[rules/data/circuit_capacity.yaml]") for e in f.evidence)


def test_cap010_ingress_and_entries_for_one_circuit_add_up():
    extra = "    - {circuit: c1, ingress_gb_month: 10000}\n"
    text = _traffic("50Mbps", 100, ingress=10000, extra=extra)
    f, loc = only(run(cap.traffic_above_circuit_capacity, text), "CAP010")
    assert f.message.startswith("circuit 'c1': 20,000 GB/month ingress (on-premises -> Azure) over 2 traffic entries "
                                "is more than a 50Mbps circuit can carry: 16,425 GB/month")
    assert loc.line == line_of(text, "ingress_gb_month: 10000}", 2)


@pytest.mark.parametrize("bw, gb", [("1Gbps", 328500), ("10Gbps", 3000000), ("50Mbps", 16425)])
def test_cap010_at_or_below_capacity_passes(bw, gb):
    assert run(cap.traffic_above_circuit_capacity, _traffic(bw, gb, ingress=gb)) == []


def test_cap010_beyond_the_largest_circuit_suggests_more_circuits():
    f, _ = only(run(cap.traffic_above_circuit_capacity, _traffic("10Gbps", 4_000_000)), "CAP010")
    assert f.hint.endswith("the traffic needs a bigger circuit, or more circuits.")


def test_cap001_does_not_offer_premium_when_the_count_exceeds_premium_too():
    text = "circuits:\n" + circuit(PRIVATE % ", advertised_prefix_count: 12000", tier="Standard")
    f, _ = only(run(cap.onprem_prefixes_private_peering, text), "CAP001")
    assert "exceed the Standard limit of 4,000" in f.message
    assert "Premium allows" not in f.message and "Premium" not in f.hint
    assert "above the Premium limit of 10,000 too" in f.message
