"""NET (addressing) rules: one failing and one passing design per rule, called directly and through the engine."""
from __future__ import annotations

import time

import pytest

from erdesign.checks import net
from erdesign.loader import load_design_text
from rules_helpers import FILE, located, where


def circuit(lines: str, name: str = "er1", kind: str = "AzurePrivatePeering", extra: str = "") -> str:
    body = "".join(f"        {line}\n" for line in lines.strip("\n").split("\n"))
    return f"""\
  - name: {name}
    provider: Equinix
    peering_location: Amsterdam
    bandwidth: 1Gbps{extra}
    peerings:
      - type: {kind}
        peer_asn: 65001
        vlan_id: 100
{body}"""


def design(*circuits: str, head: str = "", tail: str = "") -> str:
    return head + "circuits:\n" + "".join(circuits) + tail


GOOD = "primary_prefix: 192.168.100.128/30\nsecondary_prefix: 192.168.100.132/30"


# --------------------------------------------------------------------------- NET001 size

def test_net001_per_link_subnet_too_big():
    text = design(circuit("primary_prefix: 192.168.100.128/29\nsecondary_prefix: 192.168.100.136/30"))
    assert located(net.link_subnet_size, "NET001", text) == [
        (where(text, "192.168.100.128/29"),
         "circuit 'er1' peering AzurePrivatePeering: primary_prefix 192.168.100.128/29 is a /29; each link subnet "
         "must be a /30 (or give one /29 as prefix)")]


def test_net001_whole_block_wrong_size():
    text = design(circuit("prefix: 192.168.100.128/28"))
    (found,) = located(net.link_subnet_size, "NET001", text)
    assert found[0] == where(text, "192.168.100.128/28")
    assert "prefix 192.168.100.128/28 is a /28; give the whole block as a /29" in found[1]


def test_net001_ipv6_per_link_and_whole():
    text = design(circuit("ipv6: {primary_prefix: 'fd00::/64', secondary_prefix: 'fd00:0:0:1::/126'}"))
    assert located(net.link_subnet_size, "NET001", text) == [
        (where(text, "'fd00::/64'"),
         "circuit 'er1' peering AzurePrivatePeering: ipv6.primary_prefix fd00::/64 is a /64; each link subnet must be "
         "a /126 (or give one /125 as prefix)")]


@pytest.mark.parametrize("lines", [GOOD, "prefix: 192.168.100.128/29", "ipv6: {prefix: 'fd00::/125'}",
                                   "ipv6: {primary_prefix: 'fd00::/126', secondary_prefix: 'fd00::4/126'}"])
def test_net001_passes(lines):
    assert located(net.link_subnet_size, "NET001", design(circuit(lines))) == []


# --------------------------------------------------------------------------- NET002 host bits

def test_net002_host_bits_name_the_network():
    text = design(circuit("primary_prefix: 192.0.2.97/30\nsecondary_prefix: 192.0.2.100/30"))
    assert located(net.link_subnet_host_bits, "NET002", text) == [
        (where(text, "192.0.2.97/30"),
         "circuit 'er1' peering AzurePrivatePeering: primary_prefix 192.0.2.97/30 has host bits set; "
         "the network is 192.0.2.96/30")]


def test_net002_ipv6_host_bits():
    text = design(circuit("ipv6: {prefix: 'fd00::3/125'}"))
    (found,) = located(net.link_subnet_host_bits, "NET002", text)
    assert found == (where(text, "'fd00::3/125'"),
                     "circuit 'er1' peering AzurePrivatePeering: ipv6.prefix fd00::3/125 has host bits set; "
                     "the network is fd00::/125")


def test_net002_passes():
    assert located(net.link_subnet_host_bits, "NET002", design(circuit(GOOD))) == []
    assert located(net.link_subnet_host_bits, "NET002", design(circuit("ipv6: {prefix: 'FD00::/125'}"))) == []


# --------------------------------------------------------------------------- NET003 both links

def test_net003_secondary_missing():
    text = design(circuit("primary_prefix: 192.168.100.128/30"))
    assert located(net.missing_link_subnet, "NET003", text) == [
        (where(text, "192.168.100.128/30"),
         "circuit 'er1' peering AzurePrivatePeering: primary_prefix is given but secondary_prefix is missing; "
         "both BGP sessions (primary and secondary) are needed for the SLA")]


def test_net003_no_subnets_at_all():
    text = design(circuit("md5: true"))
    assert located(net.missing_link_subnet, "NET003", text) == [
        (where(text, "type: AzurePrivatePeering"),
         "circuit 'er1' peering AzurePrivatePeering: no link subnets; give primary_prefix and secondary_prefix "
         "(or prefix as one block) so that both BGP sessions can be set up")]


def test_net003_ipv6_primary_missing():
    text = design(circuit(GOOD + "\nipv6: {secondary_prefix: 'fd00::4/126'}"))
    (found,) = located(net.missing_link_subnet, "NET003", text)
    assert found[0] == where(text, "'fd00::4/126'")
    assert "IPv6 ipv6.secondary_prefix is given but ipv6.primary_prefix is missing" in found[1]


@pytest.mark.parametrize("lines", [GOOD, "prefix: 192.168.100.128/29", "ipv6: {prefix: 'fd00::/125'}"])
def test_net003_passes(lines):
    assert located(net.missing_link_subnet, "NET003", design(circuit(lines))) == []


# --------------------------------------------------------------------------- NET004 distinct links

def test_net004_same_subnet_twice():
    text = design(circuit("primary_prefix: 192.168.100.128/30\nsecondary_prefix: 192.168.100.128/30"))
    assert located(net.link_subnets_distinct, "NET004", text) == [
        (where(text, "192.168.100.128/30", after="secondary_prefix"),
         "circuit 'er1' peering AzurePrivatePeering: secondary link subnet 192.168.100.128/30 is the same as the "
         "primary link subnet 192.168.100.128/30; the two links need distinct, non-overlapping subnets")]


def test_net004_passes():
    assert located(net.link_subnets_distinct, "NET004", design(circuit(GOOD))) == []


# --------------------------------------------------------------------------- NET005-NET008 overlaps

def test_net005_overlaps_vnet():
    text = design(circuit(GOOD), tail="vnets:\n  - {name: hub, address_space: [10.0.0.0/16, 192.168.100.132/30]}\n")
    assert located(net.link_subnet_overlaps, "NET005", text) == [
        (where(text, "192.168.100.132/30"),
         "circuit 'er1' peering AzurePrivatePeering: secondary link subnet 192.168.100.132/30 overlaps VNet 'hub' "
         "address space 192.168.100.132/30; peering subnets must not overlap address ranges used in Azure")]


def test_net005_vnet_without_address_space_uses_subnets():
    text = design(circuit("prefix: 192.168.100.128/29"),
                  tail="vnets:\n  - name: hub\n    subnets: [{name: GatewaySubnet, prefix: 192.168.100.0/24}]\n")
    (found,) = located(net.link_subnet_overlaps, "NET005", text)
    assert found[0] == where(text, "192.168.100.128/29")
    assert "link subnets 192.168.100.128/29 overlap VNet 'hub'" in found[1]


def test_net005_passes():
    text = design(circuit(GOOD), tail="vnets:\n  - {name: hub, address_space: [192.168.100.0/25, 192.168.100.136/29]}\n")
    assert located(net.link_subnet_overlaps, "NET005", text) == []


def test_net006_same_link_subnet_on_two_circuits_reported_once_on_the_later():
    text = design(circuit("prefix: 192.168.100.128/29"), circuit("prefix: 192.168.100.128/29", name="er2"))
    assert located(net.link_subnet_overlaps, "NET006", text) == [
        (where(text, "192.168.100.128/29", after="er2"),
         "circuit 'er2' peering AzurePrivatePeering: link subnets 192.168.100.128/29 overlap link subnets "
         "192.168.100.128/29 of circuit 'er1' peering AzurePrivatePeering; each peering needs its own link subnets")]


def test_net006_names_the_first_and_counts_the_rest():
    text = design(circuit(GOOD), circuit(GOOD, name="er2"), circuit("prefix: 192.168.100.128/29", name="er3"))
    found = located(net.link_subnet_overlaps, "NET006", text)
    assert [loc for loc, _ in found] == [where(text, "192.168.100.128/30", after="er2"),
                                         where(text, "192.168.100.132/30", after="er2"),
                                         where(text, "192.168.100.128/29", after="er3")]
    assert found[2][1].endswith("subnets 192.168.100.128/29 overlap primary link subnet 192.168.100.128/30 of circuit 'er1' peering "
                                "AzurePrivatePeering (and 3 more); each peering needs its own link subnets")


def test_net006_between_peerings_of_one_circuit():
    text = design(circuit(GOOD) + "      - {type: MicrosoftPeering, peer_asn: 100, vlan_id: 300, "
                                  "prefix: 192.168.100.128/29}\n")
    (found,) = located(net.link_subnet_overlaps, "NET006", text)
    assert found[0] == where(text, "192.168.100.128/29")
    assert found[1].startswith("circuit 'er1' peering MicrosoftPeering: link subnets 192.168.100.128/29 overlap "
                               "primary link subnet 192.168.100.128/30 of circuit 'er1' peering AzurePrivatePeering")


def test_net006_passes_for_adjacent_blocks():
    text = design(circuit("prefix: 192.168.100.128/29"), circuit("prefix: 192.168.100.136/29", name="er2"))
    assert located(net.link_subnet_overlaps, "NET006", text) == []


def test_net007_overlaps_on_prem_prefix():
    head = "sites:\n  - {name: dc1, advertised_prefixes: [192.168.0.0/16]}\n"
    text = design(circuit("prefix: 192.168.100.128/29"), head=head)
    assert located(net.link_subnet_overlaps, "NET007", text) == [
        (where(text, "192.168.100.128/29"),
         "circuit 'er1' peering AzurePrivatePeering: link subnets 192.168.100.128/29 overlap on-prem prefix "
         "192.168.0.0/16 advertised by site 'dc1'; the link addresses would be ambiguous in your routing domain")]


def test_net007_passes():
    head = "sites:\n  - {name: dc1, advertised_prefixes: [10.0.0.0/8, 192.168.101.0/24]}\n"
    assert located(net.link_subnet_overlaps, "NET007", design(circuit(GOOD), head=head)) == []


def test_net008_overlaps_global_reach_prefix():
    gr = "\n    global_reach:\n      - {peer_circuit: er2, address_prefix: 192.168.100.128/29}"
    text = design(circuit("prefix: 10.9.0.0/29", name="er2"), circuit(GOOD, extra=gr))
    found = located(net.link_subnet_overlaps, "NET008", text)
    assert [loc for loc, _ in found] == [where(text, "192.168.100.128/30"), where(text, "192.168.100.132/30")]
    assert found[0][1] == ("circuit 'er1' peering AzurePrivatePeering: primary link subnet 192.168.100.128/30 overlaps "
                           "Global Reach prefix 192.168.100.128/29 of circuit 'er1' to 'er2'; a Global Reach prefix "
                           "must not be used anywhere else")


def test_net008_passes():
    gr = "\n    global_reach:\n      - {peer_circuit: er2, address_prefix: 10.255.0.0/29}"
    text = design(circuit("prefix: 10.9.0.0/29", name="er2"), circuit(GOOD, extra=gr))
    assert located(net.link_subnet_overlaps, "NET008", text) == []


def test_overlaps_are_fast_on_hundreds_of_circuits():
    circuits = [circuit(f"prefix: 10.{i // 32}.{(i % 32) * 8}.0/29", name=f"er{i}") for i in range(600)]
    vnets = "vnets:\n" + "".join(f"  - {{name: v{i}, address_space: [172.{16 + i // 256}.{i % 256}.0/24]}}\n"
                                 for i in range(600))
    design_obj = load_design_text(design(*circuits, tail=vnets), FILE)
    started = time.perf_counter()
    assert list(net.link_subnet_overlaps(design_obj)) == []
    assert time.perf_counter() - started < 1.0


def test_overlapping_pairs_reports_each_pair_once():
    import ipaddress

    def rng(kind, text, seq):
        n = ipaddress.ip_network(text)
        return net._Range(kind, int(n.network_address), int(n.broadcast_address), n.version, n, None, text, seq)

    ranges = [rng("vnet", "10.0.0.0/8", 0), rng("link", "10.1.0.0/30", 1), rng("link", "10.1.0.0/30", 2),
              rng("vnet", "10.1.0.0/16", 3), rng("link", "10.2.0.0/30", 4), rng("onprem", "10.1.0.2/31", 5),
              rng("link", "fd00::/126", 6), rng("vnet", "fd00::/64", 7), rng("vnet", "11.0.0.0/8", 8)]
    pairs = sorted((a.seq, b.seq) for a, b in net.overlapping_pairs(ranges))
    assert pairs == [(1, 0), (1, 3), (1, 5), (2, 0), (2, 1), (2, 3), (2, 5), (4, 0), (6, 7)]


# --------------------------------------------------------------------------- NET009 Microsoft peering public

MS_GOOD = "primary_prefix: 123.0.0.0/30\nsecondary_prefix: 123.0.0.4/30\nadvertised_public_prefixes: [123.1.0.0/24]"


@pytest.mark.parametrize("bad,what", [
    ("10.1.0.0/24", "it lies in 10.0.0.0/8 (Private-Use, RFC 1918)"),
    ("100.64.10.0/24", "it lies in 100.64.0.0/10 (Shared Address Space (CGNAT), RFC 6598)"),
    ("203.0.113.0/24", "it lies in 203.0.113.0/24 (Documentation (TEST-NET-3), RFC 5737)"),
    ("192.0.0.0/16", "it overlaps 192.0.0.0/24 (IETF Protocol Assignments, RFC 6890)"),
])
def test_net009_non_public_advertised_prefix(bad, what):
    text = design(circuit(MS_GOOD.replace("123.1.0.0/24", bad), kind="MicrosoftPeering"))
    assert located(net.microsoft_peering_public, "NET009", text) == [
        (where(text, bad),
         f"circuit 'er1' peering MicrosoftPeering: advertised prefix {bad} is not public: {what}; Microsoft peering "
         "needs public addresses you own")]


def test_net009_private_link_subnets_and_ipv6():
    lines = ("prefix: 172.16.0.0/29\nadvertised_public_prefixes: [123.1.0.0/24]\n"
             "ipv6: {prefix: '2001:db8::/125', advertised_prefixes: ['2001:db8:1::/48']}")
    text = design(circuit(lines, kind="MicrosoftPeering"))
    found = located(net.microsoft_peering_public, "NET009", text)
    assert [loc for loc, _ in found] == [where(text, "172.16.0.0/29"), where(text, "'2001:db8::/125'"),
                                         where(text, "'2001:db8:1::/48'")]
    assert "link subnets 172.16.0.0/29 are not public: they lie in 172.16.0.0/12 (Private-Use, RFC 1918)" in found[0][1]
    assert "IPv6 link subnets 2001:db8::/125 are not public: they lie in 2001:db8::/32 (Documentation" in found[1][1]


def test_net009_default_route():
    text = design(circuit(MS_GOOD.replace("123.1.0.0/24", "0.0.0.0/0"), kind="MicrosoftPeering"))
    assert located(net.microsoft_peering_public, "NET009", text) == [
        (where(text, "0.0.0.0/0"),
         "circuit 'er1' peering MicrosoftPeering: advertised prefix 0.0.0.0/0 is a default route, which Microsoft "
         "peering doesn't accept")]


def test_net009_passes_and_ignores_private_peering():
    assert located(net.microsoft_peering_public, "NET009", design(circuit(MS_GOOD, kind="MicrosoftPeering"))) == []
    assert located(net.microsoft_peering_public, "NET009", design(circuit("prefix: 10.0.0.0/29"))) == []


# --------------------------------------------------------------------------- NET010 address assignment

def links(primary: str, secondary: str = "{ip: 192.168.100.133}") -> str:
    return GOOD + f"\nprimary_link: {primary}\nsecondary_link: {secondary}"


def test_net010_router_on_microsofts_address():
    text = design(circuit(links("{ip: 192.168.100.130}")))
    assert located(net.link_address_assignment, "NET010", text) == [
        (where(text, "192.168.100.130"),
         "circuit 'er1' peering AzurePrivatePeering: the router address 192.168.100.130 on the primary link is "
         "Microsoft's address (second usable of 192.168.100.128/30); the router takes the first usable, "
         "192.168.100.129")]


def test_net010_address_outside_subnet_via_router_interface():
    head = ("sites:\n  - name: dc1\n    routers:\n      - {name: rtr2, interfaces: [{name: Te0/1.100, ip: 192.168.100.137/30}]}\n")
    text = design(circuit(links("{ip: 192.168.100.129}", "{router: rtr2, interface: Te0/1.100}")), head=head)
    assert located(net.link_address_assignment, "NET010", text) == [
        (where(text, "192.168.100.137/30"),
         "circuit 'er1' peering AzurePrivatePeering: router 'rtr2' address 192.168.100.137/30 on the secondary link "
         "is not in the link subnet 192.168.100.132/30; the router takes 192.168.100.133 (first usable), Microsoft "
         "192.168.100.134")]


def test_net010_wrong_mask_and_ipv6():
    lines = links("{ip: 192.168.100.129/29, ipv6: 'fd00::2'}") + "\nipv6: {prefix: 'fd00::/125'}"
    text = design(circuit(lines))
    found = located(net.link_address_assignment, "NET010", text)
    assert found == [
        (where(text, "192.168.100.129/29"),
         "circuit 'er1' peering AzurePrivatePeering: the router address 192.168.100.129/29 on the primary link has "
         "mask /29 but the link subnet is 192.168.100.128/30"),
        (where(text, "'fd00::2'"),
         "circuit 'er1' peering AzurePrivatePeering: the router address fd00::2 on the primary link is Microsoft's "
         "address (second usable of fd00::/126); the router takes the first usable, fd00::1"),
    ]


def test_net010_passes():
    assert located(net.link_address_assignment, "NET010", design(circuit(links("{ip: 192.168.100.129/30}")))) == []
    whole = "prefix: 192.168.100.128/29\nprimary_link: {ip: 192.168.100.129}\nsecondary_link: {ip: 192.168.100.133}"
    assert located(net.link_address_assignment, "NET010", design(circuit(whole))) == []


ROUTERS = ("sites:\n  - name: dc1\n    routers:\n"
           "      - {name: rtr1, interfaces: [{name: Te0/1.100, ip: IP1}]}\n"
           "      - {name: rtr2, interfaces: [{name: Te0/1.100, ip: IP2}, {name: Lo0, ip: 10.255.0.1/32}]}\n")


def routers(ip1: str = "192.168.100.129/30", ip2: str = "192.168.100.133/30") -> str:
    return ROUTERS.replace("IP1", ip1).replace("IP2", ip2)


def test_net010_router_without_interface_or_ip_uses_the_interface_in_the_link_subnet():
    head = routers(ip2="192.168.100.134/30")
    text = design(circuit(links("{router: rtr1}", "{router: rtr2}")), head=head)
    assert located(net.link_address_assignment, "NET010", text) == [
        (where(text, "192.168.100.134/30"),
         "circuit 'er1' peering AzurePrivatePeering: router 'rtr2' address 192.168.100.134/30 (interface 'Te0/1.100', "
         "found by its address) on the secondary link is Microsoft's address (second usable of 192.168.100.132/30); "
         "the router takes the first usable, 192.168.100.133")]
    assert located(net.link_address_assignment, "NET010", design(circuit(links("{router: rtr1}", "{router: rtr2}")),
                                                                  head=routers())) == []


def test_net010_interface_found_by_its_overlapping_subnet():
    head = routers(ip2="192.168.100.137/28")  # not in 192.168.100.132/30, but its /28 holds it
    text = design(circuit(links("{router: rtr1}", "{router: rtr2}")), head=head)
    (found,) = located(net.link_address_assignment, "NET010", text)
    assert found[0] == where(text, "192.168.100.137/28")
    assert ("address 192.168.100.137/28 (interface 'Te0/1.100', found by its address) on the secondary link is not in "
            "the link subnet 192.168.100.132/30") in found[1]


def test_net010_link_ip_and_interface_ip_differ_reported_once_on_the_wrong_one():
    head = routers(ip2="192.168.100.134/30")
    text = design(circuit(links("{router: rtr1, interface: Te0/1.100}",
                                "{router: rtr2, interface: Te0/1.100, ip: 192.168.100.133}")), head=head)
    assert located(net.link_address_assignment, "NET010", text) == [
        (where(text, "192.168.100.134/30"),
         "circuit 'er1' peering AzurePrivatePeering: router 'rtr2' interface 'Te0/1.100' has address 192.168.100.134/30 "
         "but the secondary link says 192.168.100.133; 192.168.100.134/30 is Microsoft's address (second usable of "
         "192.168.100.132/30); the router takes the first usable, 192.168.100.133")]
    # the link's ip is the wrong one: reported on the link
    text = design(circuit(links("{router: rtr1, interface: Te0/1.100}",
                                "{router: rtr2, interface: Te0/1.100, ip: 192.168.100.135}")), head=routers())
    (found,) = located(net.link_address_assignment, "NET010", text)
    assert found == (where(text, "192.168.100.135"),
                     "circuit 'er1' peering AzurePrivatePeering: the secondary link says router 'rtr2' has address "
                     "192.168.100.135 but its interface 'Te0/1.100' has 192.168.100.133/30; 192.168.100.135 is not the "
                     "first usable of 192.168.100.132/30; the router takes 192.168.100.133, Microsoft 192.168.100.134")


def test_net010_other_interface_of_a_named_router_on_microsofts_address():
    head = routers() + "      - {name: rtr3, interfaces: [{name: Te9, ip: 192.168.100.130/30}]}\n"
    head = head.replace("{name: Lo0, ip: 10.255.0.1/32}", "{name: Te0/2, ip: 192.168.100.130/30}")
    text = design(circuit(links("{router: rtr1, ip: 192.168.100.129}", "{router: rtr2, ip: 192.168.100.133}")), head=head)
    assert located(net.link_address_assignment, "NET010", text) == [
        (where(text, "192.168.100.130/30"),
         "circuit 'er1' peering AzurePrivatePeering: router 'rtr2' interface 'Te0/2' has address 192.168.100.130/30, "
         "Microsoft's address on the primary link (second usable of 192.168.100.128/30); the router takes the first "
         "usable, 192.168.100.129")]  # rtr3 is not on this peering: not reported


def test_net010_link_ip_on_microsofts_address_and_the_same_on_an_interface_is_one_finding():
    head = routers(ip1="192.168.100.130/30")
    text = design(circuit(links("{router: rtr1, ip: 192.168.100.130}")), head=head)
    (found,) = located(net.link_address_assignment, "NET010", text)
    assert found[0] == where(text, "192.168.100.130}")


def test_net010_same_address_on_link_and_interface_is_one_check():
    head = routers(ip1="192.168.100.130/30")
    text = design(circuit(links("{router: rtr1, interface: Te0/1.100, ip: 192.168.100.130}")), head=head)
    (found,) = located(net.link_address_assignment, "NET010", text)
    assert found[0] == where(text, "192.168.100.130}") and "is Microsoft's address" in found[1]


# --------------------------------------------------------------------------- NET011 VNet overlaps on-prem

def test_net011_spoke_inside_an_onprem_summary():
    text = ("sites:\n  - {name: dc-lon, advertised_prefixes: [10.10.0.0/16]}\n"
            "vnets:\n  - {name: spoke, address_space: [172.16.0.0/24, 10.10.1.0/24]}\n")
    assert located(net.vnet_overlaps_onprem, "NET011", text) == [
        (where(text, "10.10.1.0/24"),
         "VNet 'spoke' address space 10.10.1.0/24 overlaps on-prem prefix 10.10.0.0/16 advertised by site 'dc-lon'; "
         "traffic for 10.10.1.0/24 can't reach both sides: Azure keeps it in the VNet (VNet routes win over routes "
         "learned from on-premises), so that part of on-premises is unreachable from Azure")]


def test_net011_peering_advertised_prefixes_and_one_finding_per_address_space():
    text = design(circuit(GOOD + "\nadvertised_prefixes: [10.0.0.0/8, 10.20.0.0/16]\n"
                                 "ipv6: {prefix: 'fd00::/125', advertised_prefixes: ['fd10::/48']}"),
                  head="sites:\n  - {name: dc1, advertised_prefixes: [10.20.0.0/16]}\n",
                  tail="vnets:\n  - {name: hub, address_space: [10.20.5.0/24, 'fd10:0:0:1::/64']}\n")
    found = located(net.vnet_overlaps_onprem, "NET011", text)
    assert [loc for loc, _ in found] == [where(text, "10.20.5.0/24"), where(text, "'fd10:0:0:1::/64'")]
    assert found[0][1].startswith("VNet 'hub' address space 10.20.5.0/24 overlaps on-prem prefix 10.20.0.0/16 "
                                  "advertised by site 'dc1' (and 1 more); ")
    assert found[1][1].startswith("VNet 'hub' address space fd10:0:0:1::/64 overlaps on-prem prefix fd10::/48 "
                                  "advertised on circuit 'er1' peering AzurePrivatePeering; ")


def test_net011_passes_for_disjoint_ranges_and_microsoft_peering():
    text = design(circuit(MS_GOOD, kind="MicrosoftPeering"),
                  head="sites:\n  - {name: dc1, advertised_prefixes: [10.10.0.0/16, 10.12.0.0/16]}\n",
                  tail="vnets:\n  - {name: hub, address_space: [10.11.0.0/16, 123.1.0.0/24]}\n")
    assert located(net.vnet_overlaps_onprem, "NET011", text) == []


def test_net011_is_fast_on_thousands_of_prefixes():
    sites = "sites:\n  - name: dc1\n    advertised_prefixes: [" + ", ".join(
        f"10.{i // 256}.{i % 256}.0/24" for i in range(4000)) + "]\n"
    vnets = "vnets:\n" + "".join(f"  - {{name: v{i}, address_space: [172.{16 + i // 256}.{i % 256}.0/24]}}\n"
                                 for i in range(2000))
    design_obj = load_design_text(sites + vnets, FILE)
    started = time.perf_counter()
    assert list(net.vnet_overlaps_onprem(design_obj)) == []
    assert time.perf_counter() - started < 1.0


# --------------------------------------------------------------------------- hints name the missing field

def test_net003_hint_names_the_missing_field():
    from rules_helpers import run

    [f] = run(net.missing_link_subnet, design(circuit("secondary_prefix: 192.168.100.132/30")))
    assert f.hint == "Add primary_prefix (a /30 for the primary link), or give the whole /29 as prefix."
    [f] = run(net.missing_link_subnet, design(circuit(GOOD + "\nipv6: {primary_prefix: 'fd00::/126'}")))
    assert f.hint == "Add ipv6.secondary_prefix (a /126 for the secondary link), or give the whole /125 as ipv6.prefix."
    [f] = run(net.missing_link_subnet, design(circuit("md5: true")))
    assert f.hint == "Add primary_prefix and secondary_prefix (two /30), or prefix (one /29)."
