"""Properties of the addressing (NET) rules, checked on generated designs."""
from __future__ import annotations

import ipaddress

from hypothesis import given, settings
from hypothesis import strategies as st

from erdesign.checks import net
from erdesign.data import table
from erdesign.loader import load_design_text

RULES = table("addressing")["private_peering"]
V4_LINK, V4_WHOLE = RULES["ipv4"]["per_link_prefix_length"], RULES["ipv4"]["whole_prefix_length"]
V6_LINK, V6_WHOLE = RULES["ipv6"]["per_link_prefix_length"], RULES["ipv6"]["whole_prefix_length"]


def block(version: int, index: int, prefixlen: int) -> str:
    """The index-th aligned block of that length (IPv4 from 10.0.0.0, IPv6 from fd00::)."""
    base = ipaddress.ip_address("10.0.0.0" if version == 4 else "fd00::")
    size = 2 ** ((32 if version == 4 else 128) - prefixlen)
    return f"{base + index * size}/{prefixlen}"


def circuit(name: str, peering: str) -> str:
    return (f"  - name: {name}\n    provider: Equinix\n    bandwidth: 1Gbps\n    peerings:\n"
            f"      - {{type: AzurePrivatePeering, peer_asn: 65001, vlan_id: 100, {peering}}}\n")


def load(*circuits: str):
    return load_design_text("circuits:\n" + "".join(circuits), "design.yaml")


indexes = st.integers(min_value=0, max_value=2 ** 20)


@settings(max_examples=60, deadline=None)
@given(index=indexes, version=st.sampled_from([4, 6]))
def test_whole_block_splits_into_two_disjoint_halves(index, version):
    whole_len, link_len = (V4_WHOLE, V4_LINK) if version == 4 else (V6_WHOLE, V6_LINK)
    whole = block(version, index, whole_len)
    peering = f"prefix: {whole}" if version == 4 else f"ipv6: {{prefix: '{whole}'}}"
    design = load(circuit("er1", peering))
    c = design.circuits[0]
    primary, secondary = net.link_subnets(c, c.peerings[0])
    whole_net = ipaddress.ip_network(whole)
    lower, upper = whole_net.subnets(new_prefix=link_len)
    assert (primary.role, primary.network) == ("primary", lower)
    assert (secondary.role, secondary.network) == ("secondary", upper)
    assert not primary.network.overlaps(secondary.network)
    assert list(net.link_subnet_size(design)) == []
    assert list(net.link_subnets_distinct(design)) == []


@settings(max_examples=40, deadline=None)
@given(blocks=st.lists(st.integers(min_value=0, max_value=5000), min_size=1, max_size=25, unique=True),
       style=st.sampled_from(["whole", "pair"]), data=st.data())
def test_disjoint_link_subnets_never_overlap_and_a_duplicate_always_does(blocks, style, data):
    def peering(index: int) -> str:
        if style == "whole":
            return f"prefix: {block(4, index, V4_WHOLE)}"
        return (f"primary_prefix: {block(4, 2 * index, V4_LINK)}, "
                f"secondary_prefix: {block(4, 2 * index + 1, V4_LINK)}")

    circuits = [circuit(f"er{i}", peering(b)) for i, b in enumerate(blocks)]
    assert [f for f in net.link_subnet_overlaps(load(*circuits)) if f.rule == "NET006"] == []

    copied = data.draw(st.sampled_from(blocks))
    dup = load(*circuits, circuit("dup", peering(copied)))
    found = [f for f in net.link_subnet_overlaps(dup) if f.rule == "NET006"]
    expected = 1 if style == "whole" else 2  # a whole /29 is one block; a pair is two subnets
    assert len(found) == expected
    first = blocks.index(copied)
    assert all(f.message.startswith("circuit 'dup'") and f"circuit 'er{first}'" in f.message for f in found)


@settings(max_examples=80, deadline=None)
@given(index=indexes, version=st.sampled_from([4, 6]), offset=st.integers(min_value=0, max_value=3))
def test_router_must_hold_first_usable_and_microsoft_the_second(index, version, offset):
    link_len = V4_LINK if version == 4 else V6_LINK
    primary = ipaddress.ip_network(block(version, 2 * index, link_len))
    secondary = ipaddress.ip_network(block(version, 2 * index + 1, link_len))
    router_ip = primary.network_address + offset
    if version == 4:
        peering = (f"primary_prefix: {primary}, secondary_prefix: {secondary}, "
                   f"primary_link: {{ip: {router_ip}}}, secondary_link: {{ip: {secondary.network_address + 1}}}")
    else:
        peering = (f"ipv6: {{primary_prefix: '{primary}', secondary_prefix: '{secondary}'}}, "
                   f"primary_link: {{ipv6: '{router_ip}'}}, secondary_link: {{ipv6: '{secondary.network_address + 1}'}}")
    found = list(net.link_address_assignment(load(circuit("er1", peering))))
    if offset == 1:
        assert found == []
    else:
        (finding,) = found
        assert finding.rule == "NET010" and "on the primary link" in finding.message
        assert f"first usable, {primary.network_address + 1}" in finding.message or \
               f"takes {primary.network_address + 1}" in finding.message
        assert ("Microsoft's address" in finding.message) is (offset == 2)
