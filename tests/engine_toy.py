"""A tiny registry and catalog for engine tests, independent of the real rule families."""
from __future__ import annotations

from erdesign.engine.finding import Evidence, Finding

_PAGE = {
    "applies_to": "peering",
    "what": "Toy rule for engine tests.",
    "why": "Lets the engine be tested without the real rules.",
    "example": {"bad": "circuits: []\n", "good": "circuits: []\n"},
    "references": ["https://learn.microsoft.com/azure/expressroute/expressroute-routing"],
}

PAGES = {
    "BGP901": {**_PAGE, "name": "toy-reserved-asn", "title": "Toy: peer ASN is reserved", "family": "BGP",
               "severity": "error", "fix": "Use a private ASN outside 65515-65520.",
               "aliases": {"psrule": "Azure.Toy.Rule"}},
    "BGP902": {**_PAGE, "name": "toy-no-description", "title": "Toy: circuit has no description", "family": "BGP",
               "severity": "warning", "applies_to": "circuit", "fix": "Describe the circuit.", "references": []},
    "NET901": {**_PAGE, "name": "toy-big-vnet", "title": "Toy: VNet address space is a /16", "family": "NET",
               "severity": "info", "applies_to": "vnet", "fix": "Use a smaller address space."},
}


def reserved_asn(design):
    for circuit in design.circuits:
        for peering in circuit.peerings:
            if peering.peer_asn is not None and 65515 <= peering.peer_asn <= 65520:
                yield Finding(
                    "BGP901",
                    f"circuit '{circuit.name}' peering {peering.type}: peer ASN {peering.peer_asn} is reserved",
                    node=peering, field=("peer_asn",),
                    evidence=[Evidence("Azure reserved ASNs", "65515-65520", source="toy table", as_of="2026-01-01")],
                )


def no_description(design, ctx):  # takes the context, like the registry docstring shows
    assert ctx.today is not None
    for circuit in design.circuits:
        if not circuit.description:
            yield Finding("BGP902", f"circuit '{circuit.name}' has no description", node=circuit, field=("name",))


def big_vnet(design):
    for vnet in design.vnets:
        for i, prefix in enumerate(vnet.address_space):
            if prefix.endswith("/16"):
                yield Finding("NET901", f"VNet '{vnet.name}': address space {prefix} is a /16",
                              node=vnet, field=("address_space", i))


REGISTRY = {"BGP901": reserved_asn, "BGP902": no_description, "NET901": big_vnet}

DESIGN = """\
version: 1
name: engine-test
circuits:
  - name: c1
    peering_location: Amsterdam
    provider: Equinix
    bandwidth: 200Mbps
    peerings:
      - type: AzurePrivatePeering
        peer_asn: 65515
        prefix: 172.16.0.0/29
        vlan_id: 100
vnets:
  - name: hub
    description: hub VNet
    address_space: [10.10.0.0/16]
"""


def catalog():
    """The toy pages plus the shipped SUP pages."""
    from erdesign.engine.catalog import as_catalog

    return as_catalog(PAGES)


def lint_text(text: str, file: str = "design.yaml", **options):
    """Lint a design given as text with the toy registry and catalog."""
    from erdesign.engine.runner import lint
    from erdesign.loader import load_design_text

    design = load_design_text(text, file)
    return lint(design, checks=REGISTRY, catalog=PAGES, **options)


def install(monkeypatch):
    """Make the CLI use the toy registry and catalog."""
    import erdesign.engine.catalog as catalog_module
    import erdesign.engine.runner as runner_module

    toy = catalog()
    monkeypatch.setattr(catalog_module, "load_catalog", lambda: toy)
    monkeypatch.setattr(runner_module, "_load_registry", lambda errors: dict(REGISTRY))
    return toy
