"""A required value an imported input leaves unknown is written `unknown` and reads back as unknown."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

import erdesign
from erdesign.errors import InputError, InputErrors
from erdesign.loader import load_design_text

SEED_AZ = Path(__file__).parent / "fixtures" / "az" / "seed"


def test_a_gateway_without_sku_round_trips_through_import(tmp_path, run_cli):
    for name in ("circuit-show.json", "vnet-show.json", "vpn-connection-show.json"):
        (tmp_path / name).write_text((SEED_AZ / name).read_text())
    gateway = json.loads((SEED_AZ / "vnet-gateway-show.json").read_text())
    gateway.pop("sku", None)
    gateway.get("properties", {}).pop("sku", None)
    (tmp_path / "gw.json").write_text(json.dumps(gateway))
    out = tmp_path / "design.yaml"
    assert run_cli("import", tmp_path, "-o", out).code == 0
    assert "    sku: unknown\n" in out.read_text()
    design = erdesign.load(str(out))
    (gw,) = design.gateways
    assert gw.sku is None and gw.is_unknown("sku")
    assert run_cli("lint", out).code in (0, 1)


DESIGN = """\
vnets:
  - {name: hub, region: westeurope, address_space: [10.0.0.0/16], subnets: [{name: GatewaySubnet, prefix: 10.0.255.0/27}]}
gateways:
  - {name: gw1, vnet: hub, sku: %s}
  - {name: gw2, vnet: hub%s}
"""


def test_unknown_is_only_for_the_object_that_says_it():
    design = load_design_text(DESIGN % ("unknown", ", sku: ErGw1AZ"), "d.yaml")
    assert design.gateway("gw1").is_unknown("sku") and design.gateway("gw2").sku == "ErGw1AZ"
    with pytest.raises((InputError, InputErrors)) as raised:
        load_design_text(DESIGN % ("unknown", ""), "d.yaml")
    assert "gateways[1]: missing required key 'sku'" in str(raised.value)
