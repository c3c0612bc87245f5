"""The seed example is clean for the BGP, NET and VLAN rules; each defect injected into a copy
of it gives exactly the expected finding at the expected line."""
from __future__ import annotations

import pytest

from erdesign.engine.runner import lint
from erdesign.loader import load_design_text

FAMILIES = ["BGP", "NET", "VLAN"]
# The seed note's on-premises summary 10.0.0.0/20 covers the transit VNet 10.0.4.0/24: NET011, a real
# finding on the seed as published (test_seed_vnet_inside_the_onprem_summary), left out of the defect tests.
SEED_FINDINGS = ["NET011"]
FILE = "seed.yaml"


@pytest.fixture
def seed(examples_dir) -> str:
    return (examples_dir / "seed.yaml").read_text(encoding="utf-8")


def findings(text: str) -> list[tuple[str, int]]:
    report = lint(load_design_text(text, FILE), select=FAMILIES, ignore=SEED_FINDINGS)
    assert not report.errors, report.errors
    return [(f.rule, f.loc.line) for f in report.findings]


def line_of(text: str, needle: str, after: str = "") -> int:
    start = text.index(after) + len(after) if after else 0
    pos = text.index(needle, start)
    return text.count("\n", 0, pos) + 1


def replace(text: str, old: str, new: str, count: int = -1) -> str:
    assert old in text, old
    return text.replace(old, new, count)


# A Microsoft peering and a second circuit added to the seed, both clean, so that defects
# that need them (public prefixes, overlaps between circuits, VLAN reuse) can be injected.
MS_PEERING = """\
      - type: MicrosoftPeering
        peer_asn: 100
        primary_prefix: 123.0.0.0/30
        secondary_prefix: 123.0.0.4/30
        vlan_id: 300
        advertised_public_prefixes: [123.1.0.0/24]
"""
SECOND_CIRCUIT = """\
  - name: useasterc2cust1
    provider: Equinix
    peering_location: Washington DC
    bandwidth: 1Gbps
    peerings:
      - type: AzurePrivatePeering
        peer_asn: 65001
        prefix: 192.0.2.104/29
        vlan_id: 28
        primary_link: {router: rtr1, interface: Te0/0/1.28}
        secondary_link: {router: rtr2, interface: Te0/0/1.28}
"""


def extended(seed: str) -> str:
    return replace(seed, "\nvnets:\n", MS_PEERING + SECOND_CIRCUIT + "\nvnets:\n")


def test_seed_is_clean(seed):
    assert findings(seed) == []


def test_extended_seed_is_clean(seed):
    assert findings(extended(seed)) == []


def test_seed_vnet_inside_the_onprem_summary(seed):
    report = lint(load_design_text(seed, FILE), select=FAMILIES)
    assert [(f.rule, f.severity, f.loc.line) for f in report.findings] == [
        ("NET011", "warning", line_of(seed, "address_space: [10.0.4.0/24]"))]
    assert report.findings[0].message.startswith(
        "VNet 'erspvnetcust1' address space 10.0.4.0/24 overlaps on-prem prefix 10.0.0.0/20 advertised by site "
        "'corp-pop'; traffic for 10.0.4.0/24 can't reach both sides")


# (name, base, [(old, new, count)], rule, needle whose line the finding is on)
DEFECTS = [
    ("azure-reserved ASN everywhere", "seed", [("65001", "65515", -1)], "BGP001", "peer_asn: 65515"),
    ("Microsoft's own ASN as peer", "seed", [("65001", "12076", -1)], "BGP001", "peer_asn: 12076"),
    ("IANA documentation ASN", "seed", [("65001", "64500", -1)], "BGP002", "peer_asn: 64500"),
    ("private peer ASN on Microsoft peering", "ext", [("peer_asn: 100", "peer_asn: 65100", 1)], "BGP003",
     "peer_asn: 65100"),
    ("private customer ASN", "ext", [("        vlan_id: 300\n", "        vlan_id: 300\n        customer_asn: 65010\n", 1)],
     "BGP004", "customer_asn: 65010"),
    ("missing peer ASN", "seed", [("        peer_asn: 65001\n", "", 1)], "BGP005", "- type: AzurePrivatePeering"),
    ("router ASN differs", "seed", [("asn: 65001", "asn: 65002", 1)], "BGP006", "asn: 65002"),
    ("Microsoft side not 12076", "seed", [("azure_asn: 12076", "azure_asn: 12077", 1)], "BGP007", "azure_asn: 12077"),
    ("secondary session missing", "seed",
     [("        secondary_link: {router: rtr2, interface: Te0/0/0.28, ip: 192.0.2.101}\n", "", 1)], "BGP008",
     "primary_link:"),
    ("both links on one router", "seed",
     [("secondary_link: {router: rtr2, interface: Te0/0/0.28,", "secondary_link: {router: rtr1,", 1)],
     "BGP009", "secondary_link:"),
    ("/31 instead of /30", "seed", [("primary_prefix: 192.0.2.96/30", "primary_prefix: 192.0.2.96/31", 1)], "NET001",
     "primary_prefix:"),
    ("host bits set", "seed", [("primary_prefix: 192.0.2.96/30", "primary_prefix: 192.0.2.97/30", 1)], "NET002",
     "primary_prefix:"),
    ("secondary subnet missing", "seed", [("        secondary_prefix: 192.0.2.100/30\n", "", 1)], "NET003",
     "primary_prefix:"),
    ("same subnet on both links", "seed", [("secondary_prefix: 192.0.2.100/30", "secondary_prefix: 192.0.2.96/30", 1),
                                           ("ip: 192.0.2.101}", "ip: 192.0.2.97}", 1),
                                           ("ip: 192.0.2.101/30", "ip: 192.0.2.97/30", 1)], "NET004", "secondary_prefix:"),
    ("link subnet inside a VNet", "seed", [("address_space: [10.0.100.32/27]",
                                            "address_space: [10.0.100.32/27, 192.0.2.96/30]", 1)], "NET005",
     "primary_prefix:"),
    ("second circuit reuses the first's /29", "ext", [("prefix: 192.0.2.104/29", "prefix: 192.0.2.96/29", 1)],
     "NET006", "prefix: 192.0.2.96/29"),
    ("link subnet advertised from on-prem", "seed", [("advertised_prefixes: [198.51.100.0/25",
                                                      "advertised_prefixes: [192.0.2.100/30, 198.51.100.0/25", 1)],
     "NET007", "secondary_prefix:"),
    ("Global Reach /29 reuses a link block", "ext",
     [("    s_tag: 29\n", "    s_tag: 29\n    global_reach:\n"
       "      - {peer_circuit: useasterc2cust1, address_prefix: 192.0.2.104/29}\n", 1)], "NET008",
     "prefix: 192.0.2.104/29\n        vlan_id"),
    ("private prefix advertised on Microsoft peering", "ext", [("[123.1.0.0/24]", "[10.1.0.0/24]", 1)], "NET009",
     "advertised_public_prefixes:"),
    ("CGNAT link subnet on Microsoft peering", "ext", [("primary_prefix: 123.0.0.0/30", "primary_prefix: 100.64.0.0/30", 1)],
     "NET009", "primary_prefix: 100.64.0.0/30"),
    ("router on Microsoft's address", "seed", [("ip: 192.0.2.97}", "ip: 192.0.2.98}", 1)], "NET010", "primary_link:"),
    ("router interface on Microsoft's address", "seed",
     [("primary_link: {router: rtr1, interface: Te0/0/0.28, ip: 192.0.2.97}", "primary_link: {router: rtr1, interface: Te0/0/0.28}", 1),
      ("ip: 192.0.2.97/30", "ip: 192.0.2.98/30", 1)], "NET010", "ip: 192.0.2.98/30"),
    # the routers' sub-interfaces lose their VLAN too, or VLAN006 (router VLAN != peering VLAN) would fire as well
    ("VLAN 4095", "seed", [("        vlan_id: 28\n", "        vlan_id: 4095\n", 1), (", vlan_id: 28}", "}", 2)],
     "VLAN001", "vlan_id: 4095"),
    ("router VLAN differs", "seed", [("s_tag: 29, vlan_id: 28}", "s_tag: 29, vlan_id: 27}", 1)], "VLAN006", "vlan_id: 27"),
    ("carrier S-tag differs", "seed", [("link: secondary, bandwidth: 1Gbps, s_tag: 29", "link: secondary, bandwidth: 1Gbps, s_tag: 30", 1)],
     "VLAN007", "s_tag: 30"),
    ("no VLAN", "seed", [("        vlan_id: 28\n", "", 1), (", vlan_id: 28}", "}", 2)], "VLAN005", "- type: AzurePrivatePeering"),
    ("Microsoft peering on the private peering's VLAN", "ext", [("vlan_id: 300", "vlan_id: 28", 1)], "VLAN002",
     "vlan_id: 28\n        advertised_public_prefixes"),
    ("second circuit on the same router port, S-tag and VLAN", "ext",
     [("primary_link: {router: rtr1, interface: Te0/0/1.28}", "primary_link: {router: rtr1, interface: Te0/0/0.128, s_tag: 29}", 1)],
     "VLAN004", "Te0/0/0.128"),
]


@pytest.mark.parametrize("name,base,edits,rule,needle", DEFECTS, ids=[d[0] for d in DEFECTS])
def test_injected_defect_gives_exactly_one_finding(seed, name, base, edits, rule, needle):
    text = seed if base == "seed" else extended(seed)
    for old, new, count in edits:
        text = replace(text, old, new, count)
    assert findings(text) == [(rule, line_of(text, needle))]


DIRECT = """\
express_route_ports:
  - {name: erd-wdc, peering_location: Washington DC, bandwidth: 10Gbps, encapsulation: ENCAP}

"""


@pytest.mark.parametrize("encapsulation,expected", [("QinQ", []), ("Dot1Q", ["VLAN003"])])
def test_two_direct_circuits_on_one_port_share_a_vlan(seed, encapsulation, expected):
    """Both circuits of the extended seed moved onto one ExpressRoute Direct port pair (VLAN 28 on each)."""
    text = replace(extended(seed), "\ncircuits:\n", "\n" + DIRECT.replace("ENCAP", encapsulation) + "circuits:\n", 1)
    text = replace(text, "    provider: Equinix\n    bandwidth: 1Gbps\n", "    express_route_port: erd-wdc\n    bandwidth: 1Gbps\n")
    text = replace(text, "    provider: Equinix\n    peering_location: Washington DC\n    bandwidth: 1Gbps\n",
                   "    express_route_port: erd-wdc\n    bandwidth: 1Gbps\n")
    got = findings(text)
    assert got == [(r, line_of(text, "vlan_id: 28", after="useasterc2cust1")) for r in expected]
