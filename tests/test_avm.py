"""Azure Verified Modules compiled from Bicep (tests/fixtures/avm, see SOURCE.md): no error that
Microsoft's documentation does not support, Microsoft peering kept as Microsoft peering, and
templates without parameter values linted with unknowns."""
from __future__ import annotations

from pathlib import Path

from erdesign import lint
from erdesign.loader import load_design

AVM = Path(__file__).parent / "fixtures" / "avm"
CIRCUIT = AVM / "express-route-circuit.main.json"


def _by_severity(report, severity):
    return sorted({f.rule for f in report.findings if f.severity == severity and not f.suppressed})


def test_circuit_module_with_max_parameters():
    design = load_design([CIRCUIT], parameters=AVM / "express-route-circuit.max.parameters.json")
    (circuit,) = design.circuits
    assert (circuit.name, circuit.provider, circuit.peering_location, circuit.bandwidth) == (
        "nercmax001", "Equinix", "Amsterdam", 50)
    assert [p.type for p in circuit.peerings] == ["AzurePrivatePeering", "MicrosoftPeering"]
    private, microsoft = circuit.peerings
    assert (private.peer_asn, private.vlan_id, private.primary_prefix) == (65001, 100, "10.0.0.0/30")
    assert private.azure_asn == 12076  # coalesce(tryGet(..., 'azureASN'), 12076)
    assert microsoft.state == "Disabled" and microsoft.advertised_public_prefixes == ["203.0.113.0/24"]
    assert microsoft.ipv6.advertised_prefixes == ["2001:db8:200::/48"]
    report = lint(design)
    # only errors the documentation supports: documentation prefixes / private customer ASN on Microsoft peering
    assert _by_severity(report, "error") == ["BGP004", "NET009"]
    assert all("peering MicrosoftPeering" in f.message for f in report.findings if f.severity == "error")
    assert "RES006" in _by_severity(report, "info")  # no connection; locks etc. don't count as use
    assert not any(f.rule.startswith("IMP") and f.severity != "info" for f in report.findings)


def test_circuit_module_without_parameters_is_linted_with_unknowns():
    design = load_design(CIRCUIT)
    (circuit,) = design.circuits
    assert circuit.name == "expressRouteCircuit"  # the symbolic name, never the expression
    assert circuit.bandwidth is None and all(circuit.is_unknown(f) for f in ("provider", "peering_location", "bandwidth"))
    report = lint(design)
    assert _by_severity(report, "error") == []
    assert "RES007" not in {f.rule for f in report.findings}  # provider unknown, not missing
    held = [f for f in report.findings if f.rule == "IMP008"]
    assert held and "RES007" in held[0].message and "parameters('serviceProviderName')" in held[0].message


def test_no_resource_is_named_after_an_expression():
    for params in (None, AVM / "express-route-circuit.max.parameters.json"):
        design = load_design([CIRCUIT], parameters=params) if params else load_design(CIRCUIT)
        for node in design.iter_nodes():
            name = getattr(node, "name", None)
            assert not (isinstance(name, str) and ("(" in name or name.startswith("{"))), name


def test_virtual_hub_module_with_and_without_parameters():
    design = load_design([AVM / "virtual-hub.main.json"], parameters=AVM / "virtual-hub.parameters.json")
    (hub,) = design.virtual_hubs
    assert (hub.name, hub.address_prefix, hub.virtual_wan, hub.sku) == ("nvhmax", "10.1.0.0/16", "wan1", "Standard")
    assert _by_severity(lint(design), "error") == []
    bare = load_design(AVM / "virtual-hub.main.json")
    (hub,) = bare.virtual_hubs
    assert hub.name == "virtualHub" and hub.address_prefix is None and hub.is_unknown("address_prefix")
    assert _by_severity(lint(bare), "error") == []


def test_virtual_network_gateway_module_expressroute_and_without_parameters():
    design = load_design([AVM / "virtual-network-gateway.main.json"],
                         parameters=AVM / "virtual-network-gateway.expressRoute.parameters.json")
    (gw,) = design.gateways
    assert (gw.name, gw.type, gw.sku, gw.vnet) == ("nvngexr002", "ExpressRoute", "ErGw1AZ", "dep-vnet-nvngexr")
    report = lint(design)
    assert _by_severity(report, "error") == [] and "RES005" in _by_severity(report, "warning")
    bare = load_design(AVM / "virtual-network-gateway.main.json")
    (gw,) = bare.gateways
    assert gw.is_unknown("type") and gw.is_unknown("region") and gw.vnet == "vnet-of-virtualNetworkGateway"
    report = lint(bare)
    assert _by_severity(report, "error") == [] and "RES005" not in {f.rule for f in report.findings}
    assert any(f.rule == "IMP008" and "parameters('gatewayType')" in f.message for f in report.findings)
