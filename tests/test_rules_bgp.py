"""BGP rules: one failing and one passing design per rule, called directly and through the engine."""
from __future__ import annotations

import pytest

from erdesign.checks import bgp
from erdesign.data import table
from rules_helpers import load, located, where


def peering(asn="65001", kind="AzurePrivatePeering", extra=""):
    if kind == "MicrosoftPeering":
        prefixes = "primary_prefix: 123.0.0.0/30\n        secondary_prefix: 123.0.0.4/30"
    else:
        prefixes = "primary_prefix: 192.168.100.128/30\n        secondary_prefix: 192.168.100.132/30"
    asn_line = f"peer_asn: {asn}\n        " if asn is not None else ""
    return f"""\
circuits:
  - name: er1
    provider: Equinix
    peering_location: Amsterdam
    bandwidth: 1Gbps
    peerings:
      - type: {kind}
        {asn_line}{prefixes}
        vlan_id: 100
{extra}"""


# --------------------------------------------------------------------------- BGP001 / BGP002 reserved ASNs

def test_bgp001_azure_range_on_private_peering():
    text = peering(65515)
    assert located(bgp.azure_reserved_asn, "BGP001", text) == [
        (where(text, "65515"),
         "circuit 'er1' peering AzurePrivatePeering: peer ASN 65515 is reserved by Azure (65515–65520)")]


@pytest.mark.parametrize("asn", [65520, 8074, 8075, 12076])
def test_bgp001_other_azure_reserved(asn):
    text = peering(asn)
    found = located(bgp.azure_reserved_asn, "BGP001", text)
    assert [loc for loc, _ in found] == [where(text, str(asn))]
    assert f"peer ASN {asn} is reserved by Azure" in found[0][1]


def test_bgp001_customer_asn_on_microsoft_peering():
    text = peering(100, "MicrosoftPeering", "        customer_asn: 12076\n")
    assert located(bgp.azure_reserved_asn, "BGP001", text) == [
        (where(text, "12076"), "circuit 'er1' peering MicrosoftPeering: customer ASN 12076 is reserved by Azure")]


@pytest.mark.parametrize("asn", [65001, 65514, 65521, 64512, 4200000001, 7224, 100])
def test_bgp001_passes_usable_asns(asn):
    assert located(bgp.azure_reserved_asn, "BGP001", peering(asn)) == []


@pytest.mark.parametrize("asn,span", [
    (0, ""), (23456, ""), (64496, " (64496–64511)"), (64511, " (64496–64511)"), (65535, ""),
    (65536, " (65536–65551)"), (65551, " (65536–65551)"), (4294967295, ""),
])
def test_bgp002_iana_reserved(asn, span):
    text = peering(asn)
    assert located(bgp.iana_reserved_asn, "BGP002", text) == [
        (where(text, str(asn), after="peer_asn: "),
         f"circuit 'er1' peering AzurePrivatePeering: peer ASN {asn} is reserved by IANA{span}")]


@pytest.mark.parametrize("asn", [64495, 64512, 65534, 65552, 4294967294, 65001])
def test_bgp002_passes_neighbours_of_reserved_ranges(asn):
    assert located(bgp.iana_reserved_asn, "BGP002", peering(asn)) == []


def test_reserved_evidence_quotes_table_and_source():
    design = load(peering(65515))
    (finding,) = bgp.azure_reserved_asn(design)
    (ev,) = finding.evidence
    routing = next(s for s in table("asns")["sources"] if s["id"] == "ROUTING")
    assert ev.value == "65515–65520"
    assert routing["url"] in ev.source and ev.as_of == str(routing["as_of"])


# --------------------------------------------------------------------------- BGP003 / BGP004 Microsoft peering

def test_bgp003_private_peer_asn_on_microsoft_peering():
    text = peering(65001, "MicrosoftPeering")
    assert located(bgp.microsoft_peering_private_peer_asn, "BGP003", text) == [
        (where(text, "65001"),
         "circuit 'er1' peering MicrosoftPeering: peer ASN 65001 is private; Microsoft peering accepts it only after "
         "manual validation, and Microsoft strips private ASNs from the AS path")]


def test_bgp003_four_byte_private_asn():
    assert len(located(bgp.microsoft_peering_private_peer_asn, "BGP003", peering(4200000000, "MicrosoftPeering"))) == 1


@pytest.mark.parametrize("asn,kind", [(100, "MicrosoftPeering"), (65001, "AzurePrivatePeering"),
                                      (65515, "MicrosoftPeering")])  # reserved: BGP001's job
def test_bgp003_passes(asn, kind):
    assert located(bgp.microsoft_peering_private_peer_asn, "BGP003", peering(asn, kind)) == []


def test_bgp004_private_customer_asn():
    text = peering(100, "MicrosoftPeering", "        customer_asn: 65010\n")
    assert located(bgp.microsoft_peering_customer_asn_public, "BGP004", text) == [
        (where(text, "65010"),
         "circuit 'er1' peering MicrosoftPeering: customer ASN 65010 is private; a customer ASN on Microsoft peering "
         "must be public")]


def test_bgp004_public_customer_asn_passes():
    assert located(bgp.microsoft_peering_customer_asn_public, "BGP004",
               peering(100, "MicrosoftPeering", "        customer_asn: 200\n")) == []


# --------------------------------------------------------------------------- BGP005 missing peer ASN

def test_bgp005_missing_peer_asn():
    text = peering(None)
    assert located(bgp.missing_peer_asn, "BGP005", text) == [
        (where(text, "type: AzurePrivatePeering"),
         "circuit 'er1' peering AzurePrivatePeering: no peer ASN; both BGP sessions need your side's AS number")]


def test_bgp005_passes():
    assert located(bgp.missing_peer_asn, "BGP005", peering(65001)) == []


# --------------------------------------------------------------------------- BGP006 router ASN

def with_routers(a1, a2, peer_asn=65001, secondary_router="rtr2"):
    return f"""\
sites:
  - name: dc1
    routers:
      - {{name: rtr1, asn: {a1}}}
      - {{name: rtr2, asn: {a2}}}
""" + peering(peer_asn, extra=f"""\
        primary_link: {{router: rtr1, ip: 192.168.100.129}}
        secondary_link: {{router: {secondary_router}, ip: 192.168.100.133}}
""")


def test_bgp006_routers_agree_peer_asn_differs():
    text = with_routers(65002, 65002)
    assert located(bgp.router_asn_matches_peer_asn, "BGP006", text) == [
        (where(text, "65001"),
         "circuit 'er1' peering AzurePrivatePeering: peer ASN 65001 differs from the ASN of routers 'rtr1' and 'rtr2' "
         "(65002); the BGP sessions won't come up")]


def test_bgp006_one_router_differs():
    text = with_routers(65001, 65003)
    assert located(bgp.router_asn_matches_peer_asn, "BGP006", text) == [
        (where(text, "65003"),
         "circuit 'er1' peering AzurePrivatePeering: router 'rtr2' has ASN 65003 but the peering's peer ASN is 65001; "
         "the BGP session won't come up")]


def test_bgp006_passes_when_asns_match_or_are_unknown():
    assert located(bgp.router_asn_matches_peer_asn, "BGP006", with_routers(65001, 65001)) == []
    unknown = with_routers(65001, 65001).replace("{name: rtr1, asn: 65001}", "{name: rtr1}")
    assert located(bgp.router_asn_matches_peer_asn, "BGP006", unknown) == []


# --------------------------------------------------------------------------- BGP007 Microsoft ASN

def test_bgp007_azure_asn_not_12076():
    text = peering(65001, extra="        azure_asn: 65515\n")
    assert located(bgp.microsoft_side_asn, "BGP007", text) == [
        (where(text, "65515"),
         "circuit 'er1' peering AzurePrivatePeering: azure_asn is 65515, but Microsoft's side of every ExpressRoute "
         "peering is AS 12076")]


def test_bgp007_passes():
    assert located(bgp.microsoft_side_asn, "BGP007", peering(65001, extra="        azure_asn: 12076\n")) == []
    assert located(bgp.microsoft_side_asn, "BGP007", peering(65001)) == []


# --------------------------------------------------------------------------- BGP008 both sessions

def test_bgp008_only_primary_session():
    text = with_routers(65001, 65001).replace("        secondary_link: {router: rtr2, ip: 192.168.100.133}\n", "")
    assert located(bgp.both_sessions, "BGP008", text) == [
        (where(text, "{router: rtr1, ip"),
         "circuit 'er1' peering AzurePrivatePeering: only the primary BGP session is configured (router 'rtr1'); "
         "without the secondary session the circuit has no redundancy and the availability SLA doesn't apply")]


def test_bgp008_only_secondary_session():
    text = with_routers(65001, 65001).replace("        primary_link: {router: rtr1, ip: 192.168.100.129}\n", "")
    (found,) = located(bgp.both_sessions, "BGP008", text)
    assert found[0] == where(text, "{router: rtr2")
    assert "only the secondary BGP session" in found[1]


def test_bgp008_passes_with_both_or_no_links():
    assert located(bgp.both_sessions, "BGP008", with_routers(65001, 65001)) == []
    assert located(bgp.both_sessions, "BGP008", peering(65001)) == []


# --------------------------------------------------------------------------- BGP009 distinct routers

def test_bgp009_same_router():
    text = with_routers(65001, 65001, secondary_router="rtr1")
    assert located(bgp.sessions_on_distinct_routers, "BGP009", text) == [
        (where(text, "rtr1", after="secondary_link"),
         "circuit 'er1' peering AzurePrivatePeering: primary and secondary links both terminate on router 'rtr1'; "
         "one device failure takes down both BGP sessions")]


def test_bgp009_passes_on_two_routers():
    assert located(bgp.sessions_on_distinct_routers, "BGP009", with_routers(65001, 65001)) == []
