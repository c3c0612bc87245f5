"""VLAN rules: one failing and one passing design per rule, called directly and through the engine."""
from __future__ import annotations

import pytest

from erdesign.checks import vlan
from erdesign.data import table
from rules_helpers import load, located, where


def one_circuit(vlans=(100,), name="er1", port="") -> str:
    where_from = f"express_route_port: {port}\n    bandwidth: 5Gbps" if port else "provider: Equinix\n    bandwidth: 1Gbps"
    kinds = ["AzurePrivatePeering", "MicrosoftPeering"]
    peerings = "".join(
        f"      - {{type: {kinds[i]}, peer_asn: {65001 if i == 0 else 100}, vlan_id: {v}, "
        f"prefix: {'10.0.0.0/29' if i == 0 else '123.0.0.0/29'}}}\n"
        for i, v in enumerate(vlans))
    return f"  - name: {name}\n    {where_from}\n    peerings:\n{peerings}"


# --------------------------------------------------------------------------- VLAN001 range

@pytest.mark.parametrize("tag", [0, 4095, 5000, -1])
def test_vlan001_peering_vlan_out_of_range(tag):
    text = "circuits:\n" + one_circuit((tag,))
    assert located(vlan.vlan_range, "VLAN001", text) == [
        (where(text, str(tag), after="vlan_id: "),
         f"circuit 'er1' peering AzurePrivatePeering: VLAN ID {tag} is outside the usable range 1–4094")]


def test_vlan001_evidence_is_marked_estimate():
    design = load("circuits:\n" + one_circuit((4095,)))
    (finding,) = vlan.vlan_range(design)
    (ev,) = finding.evidence
    assert ev.confidence == "estimate" == table("addressing")["vlan"]["confidence"]
    assert ev.value == "1–4094" and "802.1Q" in ev.label


def test_vlan001_tags_on_routers_and_links():
    text = """\
sites:
  - name: dc1
    routers:
      - {name: rtr1, interfaces: [{name: Te0/0/0.28, s_tag: 0, vlan_id: 28}]}
circuits:
  - name: er1
    provider: Equinix
    bandwidth: 1Gbps
    peerings:
      - {type: AzurePrivatePeering, peer_asn: 65001, vlan_id: 28, prefix: 10.0.0.0/29,
         primary_link: {router: rtr1, interface: Te0/0/0.28, s_tag: 4095}}
"""
    assert located(vlan.vlan_range, "VLAN001", text) == [
        (where(text, "4095"),
         "circuit 'er1' peering AzurePrivatePeering primary_link: S-tag 4095 is outside the usable range 1–4094"),
        (where(text, "0, vlan_id"), "router 'rtr1' interface Te0/0/0.28: S-tag 0 is outside the usable range 1–4094"),
    ]


@pytest.mark.parametrize("tag", [1, 28, 4094])
def test_vlan001_passes(tag):
    assert located(vlan.vlan_range, "VLAN001", "circuits:\n" + one_circuit((tag,))) == []


# --------------------------------------------------------------------------- VLAN002 per circuit

def test_vlan002_two_peerings_share_a_vlan():
    text = "circuits:\n" + one_circuit((100, 100))
    assert located(vlan.vlan_unique_in_circuit, "VLAN002", text) == [
        (where(text, "100", after="peer_asn: 100, vlan_id: "),
         "circuit 'er1' peering MicrosoftPeering: VLAN ID 100 is already used by peering AzurePrivatePeering of the "
         "same circuit; each peering needs its own VLAN")]


def test_vlan002_passes_and_other_circuits_may_reuse():
    assert located(vlan.vlan_unique_in_circuit, "VLAN002", "circuits:\n" + one_circuit((100, 300))) == []
    two = "circuits:\n" + one_circuit((100,)) + one_circuit((100,), name="er2").replace("10.0.0.0/29", "10.0.0.8/29")
    assert located(vlan.vlan_unique_in_circuit, "VLAN002", two) == []


# --------------------------------------------------------------------------- VLAN003 ExpressRoute Direct Dot1Q

def direct(encapsulation: str, second_vlan: int) -> str:
    return (
        f"express_route_ports:\n  - {{name: port1, bandwidth: 10Gbps, encapsulation: {encapsulation}}}\n"
        "circuits:\n" + one_circuit((100,), port="port1")
        + one_circuit((second_vlan,), name="er2", port="port1").replace("10.0.0.0/29", "10.0.0.8/29")
    )


def test_vlan003_dot1q_vlan_reused_across_circuits():
    text = direct("Dot1Q", 100)
    assert located(vlan.vlan_unique_on_dot1q_port, "VLAN003", text) == [
        (where(text, "100", after="name: er2"),
         "circuit 'er2' peering AzurePrivatePeering: VLAN ID 100 is already used by circuit 'er1' peering "
         "AzurePrivatePeering on the same ExpressRoute Direct port pair 'port1' (Dot1Q); with Dot1Q a VLAN must be "
         "unique across all circuits on the port")]


@pytest.mark.parametrize("encapsulation,second_vlan", [("Dot1Q", 200), ("QinQ", 100)])
def test_vlan003_passes_with_distinct_vlans_or_qinq(encapsulation, second_vlan):
    assert located(vlan.vlan_unique_on_dot1q_port, "VLAN003", direct(encapsulation, second_vlan)) == []


# --------------------------------------------------------------------------- VLAN004 router interface

def on_router(second_interface: str, second_stag: str = "", vlan2: int = 28) -> str:
    return f"""\
sites:
  - name: dc1
    routers:
      - {{name: rtr1, interfaces: [{{name: Te0/0/0.28, s_tag: 29}}]}}
      - {{name: rtr2}}
circuits:
  - name: er1
    provider: Equinix
    bandwidth: 1Gbps
    peerings:
      - {{type: AzurePrivatePeering, peer_asn: 65001, vlan_id: 28, prefix: 10.0.0.0/29,
         primary_link: {{router: rtr1, interface: Te0/0/0.28}}, secondary_link: {{router: rtr2, interface: Te0/0/0.28}}}}
  - name: er2
    provider: Equinix
    bandwidth: 1Gbps
    peerings:
      - {{type: AzurePrivatePeering, peer_asn: 65001, vlan_id: {vlan2}, prefix: 10.0.0.8/29,
         primary_link: {{router: rtr1, interface: {second_interface}{second_stag}}},
         secondary_link: {{router: rtr2, interface: Te0/0/1.28}}}}
"""


def test_vlan004_same_physical_interface_stag_and_vlan():
    text = on_router("Te0/0/0.128", ", s_tag: 29")
    assert located(vlan.vlan_unique_on_router_interface, "VLAN004", text) == [
        (where(text, "Te0/0/0.128"),
         "circuit 'er2' peering AzurePrivatePeering primary link: VLAN 28 with S-tag 29 on router 'rtr1' physical "
         "interface Te0/0/0 is already used by circuit 'er1' peering AzurePrivatePeering primary link; the router "
         "can't tell the two circuits apart")]


def test_vlan004_same_subinterface_takes_its_stag():
    text = on_router("Te0/0/0.28")
    (found,) = located(vlan.vlan_unique_on_router_interface, "VLAN004", text)
    assert found[0] == where(text, "Te0/0/0.28", after="name: er2")
    assert "VLAN 28 with S-tag 29 on router 'rtr1'" in found[1]


@pytest.mark.parametrize("iface,stag,vlan2", [("Te0/0/0.128", ", s_tag: 30", 28),   # another S-tag
                                              ("Te0/0/1.28", ", s_tag: 29", 28),    # another port
                                              ("Te0/0/0.128", ", s_tag: 29", 29)])  # another VLAN
def test_vlan004_passes(iface, stag, vlan2):
    assert located(vlan.vlan_unique_on_router_interface, "VLAN004", on_router(iface, stag, vlan2)) == []


def test_physical_interface_names():
    assert vlan.physical_interface("Te0/0/0.28") == "Te0/0/0"
    assert vlan.physical_interface("xe-0/0/1.100") == "xe-0/0/1"
    assert vlan.physical_interface("Ethernet1") == "Ethernet1"
