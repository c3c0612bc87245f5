"""The Bicep/AVM function set (importers/arm_functions.py) and languageVersion 2.0 templates:
values, unknowns that stay unknown only where ARM would need them, located errors."""
from __future__ import annotations

import json

import pytest

from erdesign.errors import InputError, Loc
from erdesign.importers.arm_expr import ArmError, Evaluator, Scope
from erdesign.importers.values import Unknown
from erdesign.loader import load_design

PARAMS = {"cfg": ({"bw": 1000, "sku": {"tier": "Premium"}, "tags": None}, None),
          "list": ([{"name": "a", "n": 1}, {"name": "b", "n": 2}, {"name": "c", "n": 3}], None),
          "nothing": (None, None)}


def _param(name, where):
    if name == "later":
        return Unknown("parameters('later')", where, "no value"), where
    if name not in PARAMS:
        raise ArmError(f"no parameter {name}", where)
    return PARAMS[name]


def ev(text):
    scope = Scope(_param, lambda n, w: (None, None))
    evaluator = Evaluator(scope, lambda loc, i: Loc(loc.file, loc.line, loc.col + i), [])
    return evaluator.string(text, Loc("t.json", 1, 10))[0]


@pytest.mark.parametrize("text, expected", [
    ("[tryGet(parameters('cfg'), 'sku', 'tier')]", "Premium"),
    ("[tryGet(parameters('cfg'), 'SKU', 'Tier')]", "Premium"),  # property names are case-insensitive
    ("[tryGet(parameters('cfg'), 'nope')]", None),
    ("[tryGet(parameters('nothing'), 'x')]", None),
    ("[tryGet(parameters('list'), 5)]", None),
    ("[coalesce(tryGet(parameters('cfg'), 'azureASN'), 12076)]", 12076),
    ("[coalesce(parameters('cfg').bw, parameters('later'))]", 1000),  # stops at the first known non-null
    ("[and(false(), parameters('later'))]", False),
    ("[or(true(), parameters('later'))]", True),
    ("[if(parameters('later'), 'same', 'same')]", "same"),
    ("[empty(coalesce(parameters('nothing'), createObject()))]", True),
    ("[contains(parameters('cfg'), 'BW')]", True),  # object keys: case-insensitive
    ("[contains('OneTwo', 'two')]", False),  # strings: case-sensitive, as the reference says
    ("[indexFromEnd(createArray(1, 2, 3), 1)]", 3),
    ("[tryIndexFromEnd(createArray(1, 2, 3), 4)]", None),
    ("[managementGroupResourceId('mg1', 'Microsoft.Authorization/policyDefinitions', 'p')]",
     "/providers/Microsoft.Management/managementGroups/mg1/providers/Microsoft.Authorization/policyDefinitions/p"),
    ("[union(createObject('a', createObject('x', 1)), createObject('a', createObject('y', 2)))]",
     {"a": {"x": 1, "y": 2}}),  # nested objects merge
    ("[union(createArray(1, 2), createArray(2, 3))]", [1, 2, 3]),
    ("[intersection(createArray(1, 2, 3), createArray(2, 3, 4))]", [2, 3]),
    ("[intersection(createObject('a', 1, 'b', 2), createObject('a', 1, 'b', 3))]", {"a": 1}),
    ("[shallowMerge(createArray(createObject('a', createObject('x', 1)), createObject('a', createObject('y', 2))))]",
     {"a": {"y": 2}}),
    ("[objectKeys(createObject('b', 1, 'a', 2))]", ["b", "a"]),
    ("[items(createObject('b', 1, 'a', 2))]", [{"key": "a", "value": 2}, {"key": "b", "value": 1}]),
    ("[join(createArray('a', 'b'), ',')]", "a,b"),
    ("[split('a,b', ',')]", ["a", "b"]),
    ("[first(parameters('list')).name]", "a"),
    ("[last(parameters('list')).name]", "c"),
    ("[map(parameters('list'), lambda('x', lambdaVariables('x').name))]", ["a", "b", "c"]),
    ("[map(parameters('list'), lambda('x', 'i', lambdaVariables('i')))]", [0, 1, 2]),
    ("[filter(parameters('list'), lambda('x', greater(lambdaVariables('x').n, 1)))]",
     [{"name": "b", "n": 2}, {"name": "c", "n": 3}]),
    ("[reduce(parameters('list'), 0, lambda('acc', 'x', add(lambdaVariables('acc'), lambdaVariables('x').n)))]", 6),
    ("[toObject(parameters('list'), lambda('x', lambdaVariables('x').name), lambda('x', lambdaVariables('x').n))]",
     {"a": 1, "b": 2, "c": 3}),
    ("[sort(createArray(3, 1, 2), lambda('a', 'b', less(lambdaVariables('a'), lambdaVariables('b'))))]", [1, 2, 3]),
    ("[extensionResourceId('/subscriptions/s/resourceGroups/r', 'Microsoft.Authorization/locks', 'l')]",
     "/subscriptions/s/resourceGroups/r/providers/Microsoft.Authorization/locks/l"),
    ("[tenantResourceId('Microsoft.Management/managementGroups', 'mg')]",
     "/providers/Microsoft.Management/managementGroups/mg"),
    ("[createObject('a', parameters('later')).a]", Unknown("parameters('later')", None, "no value")),
])
def test_values(text, expected):
    value = ev(text)
    if isinstance(expected, Unknown):
        assert isinstance(value, Unknown) and value.text == expected.text
    else:
        assert value == expected


def test_guid_and_unique_string_are_stable_placeholders_shaped_like_the_real_ones():
    a, b = ev("[uniqueString('x', 'y')]"), ev("[uniqueString('x', 'z')]")
    assert a == ev("[uniqueString('x', 'y')]") and a != b and len(a) == 13 and a.isalnum() and a.islower()
    g = ev("[guid('seed')]")
    assert g == ev("[guid('seed')]") and len(g) == 36 and g.count("-") == 4
    # a hash of something known only at deployment stays unknown
    assert isinstance(ev("[uniqueString(resourceGroup().id)]"), Unknown)


@pytest.mark.parametrize("text", ["[reference('x').id]", "[resourceInfo('x').id]", "[tryGet(parameters('later'), 'a')]",
                                  "[coalesce(parameters('nothing'), parameters('later'))]",
                                  "[and(true(), parameters('later'))]"])
def test_unknowns_stay_unknown(text):
    assert isinstance(ev(text), Unknown)


@pytest.mark.parametrize("text, message", [
    ("[lambdaVariables('x')]", "outside a lambda"),
    ("[map(createArray(1), 'x')]", "expected a lambda"),
    ("[filter(createArray(1), lambda('x', 1))]", "must give a bool"),
    ("[tryGet(createArray(1), 'a')]", "whole number"),
])
def test_errors_are_located(text, message):
    with pytest.raises(ArmError) as caught:
        ev(text)
    assert message in caught.value.message and caught.value.loc.file == "t.json"


# --------------------------------------------------------------------------- templates

def _write(tmp_path, template, name="t.json"):
    path = tmp_path / name
    path.write_text(json.dumps(template, indent=2))
    return path


SCHEMA = "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#"


def _circuit(peering_type):
    return {"type": "Microsoft.Network/expressRouteCircuits", "apiVersion": "2023-09-01", "name": "er1",
            "location": "westeurope", "sku": {"name": "Standard_MeteredData", "tier": "Standard", "family": "MeteredData"},
            "properties": {"serviceProviderProperties": {"serviceProviderName": "Equinix", "peeringLocation": "Amsterdam",
                                                         "bandwidthInMbps": 1000},
                           "peerings": [{"name": "p", "properties": {"peeringType": peering_type, "peerASN": 65010,
                                                                      "vlanId": 100}}]}}


@pytest.mark.parametrize("written, expected", [("MicrosoftPeering", "MicrosoftPeering"),
                                               ("microsoftpeering", "MicrosoftPeering"),
                                               ("AzurePublicPeering", "AzurePublicPeering")])
def test_peering_types_map_exhaustively(tmp_path, written, expected):
    design = load_design(_write(tmp_path, {"$schema": SCHEMA, "contentVersion": "1.0.0.0",
                                           "resources": [_circuit(written)]}))
    assert [p.type for p in design.circuits[0].peerings] == [expected]


def test_an_unrecognised_peering_type_is_an_error_at_its_location_never_a_default(tmp_path):
    path = _write(tmp_path, {"$schema": SCHEMA, "contentVersion": "1.0.0.0", "resources": [_circuit("PrivatePeering")]})
    design = load_design(path)
    assert design.circuits[0].peerings == []
    (note,) = [n for n in design._notes if n.rule == "IMP005"]
    assert "peering type 'PrivatePeering' is not one of AzurePrivatePeering, MicrosoftPeering, AzurePublicPeering" \
        in note.message
    assert note.loc.line == next(i for i, line in enumerate(path.read_text().splitlines(), 1) if "PrivatePeering" in line)


def test_language_version_2_symbolic_nested_deployment_existing_and_conditions(tmp_path):
    template = {
        "$schema": SCHEMA, "languageVersion": "2.0", "contentVersion": "1.0.0.0",
        "parameters": {"deployVnet": {"type": "bool"}, "vnetName": {"type": "string", "defaultValue": "hub"}},
        "resources": {
            "existingVnet": {"existing": True, "type": "Microsoft.Network/virtualNetworks", "apiVersion": "2023-09-01",
                             "name": "elsewhere"},
            "hub": {"condition": "[parameters('deployVnet')]", "type": "Microsoft.Network/virtualNetworks",
                    "apiVersion": "2023-09-01", "name": "[parameters('vnetName')]", "location": "westeurope",
                    "properties": {"addressSpace": {"addressPrefixes": ["10.1.0.0/16"]}}},
            "module": {"type": "Microsoft.Resources/deployments", "apiVersion": "2022-09-01", "name": "inner",
                       "properties": {"mode": "Incremental", "expressionEvaluationOptions": {"scope": "inner"},
                                      "parameters": {"prefix": {"value": "10.2.0.0/16"}},
                                      "template": {"$schema": SCHEMA, "contentVersion": "1.0.0.0",
                                                   "parameters": {"prefix": {"type": "string"}},
                                                   "resources": [{"type": "Microsoft.Network/virtualNetworks",
                                                                  "apiVersion": "2023-09-01", "name": "spoke",
                                                                  "location": "westeurope",
                                                                  "properties": {"addressSpace": {
                                                                      "addressPrefixes": ["[parameters('prefix')]"]}}}]}}},
            "linked": {"type": "Microsoft.Resources/deployments", "apiVersion": "2022-09-01", "name": "linked",
                       "properties": {"mode": "Incremental", "templateLink": {"uri": "https://example.org/t.json"}}},
        }}
    design = load_design(_write(tmp_path, template))
    assert sorted(v.name for v in design.vnets) == ["hub", "spoke"]  # 'existing' is not deployed here
    assert design.vnet("spoke").address_space == ["10.2.0.0/16"]
    rules = {n.rule: n.message for n in design._notes}
    assert "deployed only if parameters('deployVnet')" in rules["IMP009"]
    assert "linked template is not read" in rules["IMP002"]


def test_a_name_known_only_at_deployment_uses_the_symbolic_name(tmp_path):
    template = {"$schema": SCHEMA, "languageVersion": "2.0", "contentVersion": "1.0.0.0",
                "parameters": {"name": {"type": "string"}},
                "resources": {"hubVnet": {"type": "Microsoft.Network/virtualNetworks", "apiVersion": "2023-09-01",
                                          "name": "[parameters('name')]", "location": "westeurope",
                                          "properties": {"addressSpace": {"addressPrefixes": ["10.1.0.0/16"]}}}}}
    design = load_design(_write(tmp_path, template))
    assert [v.name for v in design.vnets] == ["hubVnet"]
    assert any(n.rule == "IMP001" and "name of Microsoft.Network/virtualNetworks 'hubVnet'" in n.message
               for n in design._notes)


def test_inputs_without_anything_modelled_still_fail_clearly(tmp_path):
    with pytest.raises(InputError):
        load_design(_write(tmp_path, {"$schema": SCHEMA, "contentVersion": "1.0.0.0", "resources": []}))


# --------------------------------------------------------------------------- properties

from hypothesis import given, strategies as st  # noqa: E402

from erdesign.importers import arm_functions as F  # noqa: E402

_scalars = st.one_of(st.integers(-5, 5), st.text(alphabet="ab", max_size=2), st.booleans())
_objects = st.dictionaries(st.text(alphabet="abc", min_size=1, max_size=2), _scalars, max_size=4)


def _key(x):
    return (type(x).__name__, x)  # ARM compares typed values: true is not 1


@given(st.lists(_scalars, max_size=6), st.lists(_scalars, max_size=6))
def test_union_and_intersection_of_arrays(a, b):
    u, i = F.union(a, b), F.intersection(a, b)
    assert {_key(x) for x in u} == {_key(x) for x in a + b} and len(u) == len({_key(x) for x in u})
    assert {_key(x) for x in i} == {_key(x) for x in a} & {_key(x) for x in b}


@given(_objects, _objects)
def test_union_of_objects_lets_the_last_win_and_keeps_every_key(a, b):
    merged = F.union(a, b)
    assert {k.lower() for k in merged} == {k.lower() for k in list(a) + list(b)}
    assert all(merged[k] == v for k, v in b.items())


def test_an_unknown_sku_tier_is_not_assumed_standard(tmp_path):
    """sku.tier from a parameter without a value: SKU001 (which would judge a Standard circuit) waits, and the
    port fee is unpriced rather than priced as Standard."""
    from erdesign import cost, lint

    circuit = {"type": "Microsoft.Network/expressRouteCircuits", "apiVersion": "2023-09-01", "name": "er1",
               "location": "westeurope", "sku": {"tier": "[parameters('tier')]", "family": "MeteredData"},
               "properties": {"serviceProviderProperties": {"serviceProviderName": "Equinix",
                                                            "peeringLocation": "Washington DC",
                                                            "bandwidthInMbps": 1000}}}
    vnet = {"type": "Microsoft.Network/virtualNetworks", "apiVersion": "2023-09-01", "name": "hub",
            "location": "westeurope", "properties": {"addressSpace": {"addressPrefixes": ["10.1.0.0/16"]},
                                                     "subnets": [{"name": "GatewaySubnet",
                                                                  "properties": {"addressPrefix": "10.1.0.0/27"}}]}}
    gateway = {"type": "Microsoft.Network/virtualNetworkGateways", "apiVersion": "2023-09-01", "name": "gw",
               "location": "westeurope",
               "properties": {"gatewayType": "ExpressRoute", "sku": {"name": "ErGw1AZ"}, "ipConfigurations": [
                   {"name": "c", "properties": {"subnet": {
                       "id": "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'hub', 'GatewaySubnet')]"}}}]}}
    connection = {"type": "Microsoft.Network/connections", "apiVersion": "2023-09-01", "name": "cx",
                  "location": "westeurope", "properties": {
                      "connectionType": "ExpressRoute",
                      "virtualNetworkGateway1": {"id": "[resourceId('Microsoft.Network/virtualNetworkGateways', 'gw')]"},
                      "peer": {"id": "[resourceId('Microsoft.Network/expressRouteCircuits', 'er1')]"}}}
    design = load_design(_write(tmp_path, {"$schema": SCHEMA, "contentVersion": "1.0.0.0",
                                           "parameters": {"tier": {"type": "string"}},
                                           "resources": [circuit, vnet, gateway, connection]}))
    assert design.circuits[0].sku.is_unknown("tier")
    rules = [f.rule for f in lint(design).findings]
    assert "SKU001" not in rules and "IMP008" in rules
    (fee,) = [line for line in cost(design).lines if line.component == "circuit_port"]
    assert fee.confidence == "unpriced" and "known only at deployment" in fee.note
