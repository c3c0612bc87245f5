"""References between objects are declared in the model (model.Ref); the resolver, the JSON Schema
and the importers read that declaration."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from erdesign import model as m
from erdesign.errors import InputErrors
from erdesign.loader import load_design

REPO = Path(__file__).resolve().parent.parent
BROKEN = REPO / "tests" / "fixtures" / "references" / "every-reference-broken.yaml"

# What the loader said before references were declared in the model (issue 9): unchanged.
EXPECTED = """\
{f}:11:45: provider 'prov' virtual circuit 'vc1' refers to circuit 'er-amz', which is not defined (did you mean 'er-ams'?)
{f}:12:40: provider 'prov' cross-connect 'xc1' refers to site 'dc2', which is not defined (did you mean 'dc1'?)
{f}:17:25: circuit 'er-ams' express_route_port refers to ExpressRoute Direct port 'port9', which is not defined (the design defines no ExpressRoute Direct port)
{f}:24:23: circuit 'er-ams' peering AzurePrivatePeering refers to route filter 'rf1', which is not defined (the design defines no route filter)
{f}:25:32: circuit 'er-ams' peering AzurePrivatePeering primary_link refers to router 'r2', which is not defined
{f}:26:35: circuit 'er-ams' global_reach refers to circuit 'er-x', which is not defined (did you mean 'er-ams'?)
{f}:32:68: VNet 'hub' subnet 'GatewaySubnet' refers to route table 'rt1', which is not defined (the design defines no route table)
{f}:32:78: VNet 'hub' subnet 'GatewaySubnet' refers to NSG 'nsg1', which is not defined (the design defines no NSG)
{f}:34:28: gateway 'hub-ergw' vnet refers to VNet 'hubb', which is not defined (did you mean 'hub'?)
{f}:34:79: gateway 'hub-ergw' public_ip refers to public IP 'pip', which is not defined (the design defines no public IP)
{f}:36:25: connection 'c1' gateway refers to gateway 'hub-ergww', which is not defined (did you mean 'hub-ergw'?)
{f}:36:45: connection 'c1' circuit refers to circuit 'er-am', which is not defined (did you mean 'er-ams'?)
{f}:38:40: VNet peering 'p1' remote_vnet refers to VNet 'spoke', which is not defined
{f}:40:33: hub ExpressRoute gateway 'hg1' hub refers to virtual hub 'vh2', which is not defined (did you mean 'vh1'?)
{f}:41:44: hub connection 'hc1' hub_gateway refers to hub ExpressRoute gateway 'hg2', which is not defined (did you mean 'hg1'?)
{f}:41:58: hub connection 'hc1' circuit refers to circuit 'er-ams2', which is not defined (did you mean 'er-ams'?)
{f}:43:24: traffic.circuits entry refers to circuit 'er-amx', which is not defined (did you mean 'er-ams'?)
{f}:44:34: traffic.vnet_peerings entry refers to VNet peering 'p2', which is not defined
{f}:45:50: traffic.global_reach entry refers to circuit 'nope', which is not defined
{f}:46:19: traffic.vpn entry refers to gateway 'g9', which is not defined"""


def _all_model_classes():
    seen, todo = set(), [m.Design]
    while todo:
        cls = todo.pop()
        if cls in seen:
            continue
        seen.add(cls)
        for field in cls.model_fields.values():
            for arg in _classes_in(field.annotation):
                todo.append(arg)
    return seen


def _classes_in(annotation):
    import typing

    if isinstance(annotation, type) and issubclass(annotation, m.Node):
        yield annotation
    for arg in typing.get_args(annotation):
        yield from _classes_in(arg)


def test_every_broken_reference_is_reported_where_it_is_written():
    with pytest.raises(InputErrors) as caught:
        load_design(BROKEN)
    assert "\n".join(str(e) for e in caught.value.errors) == EXPECTED.format(f=BROKEN)


def test_the_fixture_breaks_every_declared_reference_field():
    """So that the expected messages above cover each reference field the model declares."""
    declared = {(cls.__name__, field) for cls in _all_model_classes() for field in m.reference_fields(cls)}
    data = m.Design.model_validate(yaml.safe_load(BROKEN.read_text(encoding="utf-8")))  # validated, not resolved
    used = {(type(ref.owner).__name__, ref.field) for ref in m.references(data) if ref.name is not None}
    assert used == declared


def test_references_point_into_sections_the_design_has():
    sections = set(m.Design.model_fields) | {"routers"}
    for cls in _all_model_classes():
        for field, section in m.reference_fields(cls).items():
            assert section in sections, f"{cls.__name__}.{field} refers to unknown section {section}"
            assert section in m.section_labels()


def test_the_schema_marks_each_reference_with_its_section():
    schema = json.loads((REPO / "schema" / "design-v1.json").read_text(encoding="utf-8"))
    marked = {(name, prop, spec["x-refers-to"]) for name, definition in schema["$defs"].items()
              for prop, spec in definition.get("properties", {}).items() if "x-refers-to" in spec}
    declared = {(cls.__name__, field, section) for cls in _all_model_classes()
                for field, section in m.reference_fields(cls).items()}
    assert marked == declared


def test_the_object_graph_is_one_call_away():
    design = load_design(REPO / "examples" / "minimal.yaml")
    edges = {(ref.owner_text(), ref.section, ref.name) for ref in m.references(design) if ref.name}
    assert ("gateway 'hub-ergw' public_ip", "public_ips", "hub-ergw-pip") in edges
    assert ("connection 'hub-ergw-to-er-ams' circuit", "circuits", "er-ams") in edges
    assert ("traffic.circuits entry", "circuits", "er-ams") in edges
