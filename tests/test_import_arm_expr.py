"""The ARM template expression language: parsing, evaluation, unknowns and located errors."""
from __future__ import annotations

import pytest

from erdesign.errors import Loc
from erdesign.importers.arm_expr import ArmError, Evaluator, ExprSyntaxError, Scope, parse
from erdesign.importers.jsonloc import parse as parse_json
from erdesign.importers.values import Unknown

PARAMS = {"name": ("Contoso", Loc("p.json", 5, 20)), "count": (3, None), "flag": (True, None),
          "cfg": ({"bw": 1000, "sku": {"tier": "Premium"}}, None), "list": (["a", "b", "c"], None)}
VARS = {"base": ("contoso", Loc("t.json", 9, 14))}


def _param(name, where):
    if name not in PARAMS:
        raise ArmError(f"no parameter {name}", where)
    return PARAMS[name]


def _var(name, where):
    return VARS[name]


def ev(text, copy=None):
    scope = Scope(_param, _var, copy_index=dict(copy or {}))
    evaluator = Evaluator(scope, lambda loc, i: Loc(loc.file, loc.line, loc.col + i), [])
    return evaluator.string(text, Loc("t.json", 1, 10))


@pytest.mark.parametrize("text, expected", [
    ("[concat('a', 'b', 'c')]", "abc"),
    ("[concat(createArray(1), createArray(2, 3))]", [1, 2, 3]),
    ("[format('{0}-er-{1}', 'x', 2)]", "x-er-2"),
    ("[format('{0:N0} Mbps', 1000)]", "1,000 Mbps"),
    ("[toLower(parameters('name'))]", "contoso"),
    ("[toUpper('ab')]", "AB"),
    ("[string(parameters('count'))]", "3"),
    ("[string(true())]", "True"),
    ("[int('42')]", 42),
    ("[if(parameters('flag'), 'Premium', 'Standard')]", "Premium"),
    ("[if(equals(parameters('count'), 4), 'x', 'y')]", "y"),
    ("[equals('a', 'a')]", True),
    ("[and(true(), not(false()))]", True),
    ("[parameters('cfg').sku.tier]", "Premium"),
    ("[parameters('cfg')['bw']]", 1000),
    ("[parameters('list')[1]]", "b"),
    ("[length(parameters('list'))]", 3),
    ("[add(copyIndex(), 1)]", 3),
    ("[copyIndex(10)]", 12),
    ("[copyIndex('subnets', 1)]", 6),
    ("[resourceId('Microsoft.Network/virtualNetworks/subnets', 'hub', 'GatewaySubnet')]",
     "/subscriptions/{subscription().subscriptionId}/resourceGroups/{resourceGroup().name}/providers/"
     "Microsoft.Network/virtualNetworks/hub/subnets/GatewaySubnet"),
    ("[resourceId('rg-x', 'Microsoft.Network/expressRouteCircuits', 'er1')]",
     "/subscriptions/{subscription().subscriptionId}/resourceGroups/rg-x/providers/"
     "Microsoft.Network/expressRouteCircuits/er1"),
    ("[cidrSubnet('10.0.0.0/16', 24, 3)]", "10.0.3.0/24"),
    ("[union(createObject('a', 1), createObject('b', 2))]", {"a": 1, "b": 2}),
    ("[split('a,b', ',')[1]]", "b"),
    ("[replace('a-b', '-', '_')]", "a_b"),
    ("[[notAnExpression]", "[notAnExpression]"),
    ("plain text", "plain text"),
    ("[concat('it''s', ' ok')]", "it's ok"),
])
def test_evaluates(text, expected):
    value, _ = ev(text, {None: 2, "subnets": 5})
    assert value == expected


def test_a_pass_through_value_is_located_where_it_is_written():
    assert ev("[parameters('name')]") == ("Contoso", Loc("p.json", 5, 20))
    assert ev("[variables('base')]") == ("contoso", Loc("t.json", 9, 14))
    # a computed value is located at the expression
    assert ev("[toLower(parameters('name'))]")[1] == Loc("t.json", 1, 10)


@pytest.mark.parametrize("text, unknown_text, rule", [
    ("[resourceGroup().location]", "resourceGroup().location", "IMP001"),
    ("[subscription().subscriptionId]", "subscription().subscriptionId", "IMP001"),
    ("[toLower(resourceGroup().location)]", "resourceGroup().location", "IMP001"),
    ("[uniqueString(resourceGroup().id)]", "uniqueString(resourceGroup().id)", "IMP001"),
    ("[reference('x').ipAddress]", "reference('x')", "IMP001"),
    ("[base64ToString('YQ==')]", "base64ToString('YQ==')", "IMP002"),
    ("[myns.myFunc(1)]", "myns.myFunc(1)", "IMP002"),
])
def test_unknown_values_name_what_and_where(text, unknown_text, rule):
    value, _ = ev(text)
    assert isinstance(value, Unknown)
    assert value.text == unknown_text and value.rule == rule
    assert value.loc.file == "t.json" and value.loc.col > 10  # inside the expression string


def test_if_evaluates_only_the_branch_it_takes():
    value, _ = ev("[if(true(), 'a', parameters('nope'))]")
    assert value == "a"


@pytest.mark.parametrize("text, pos, words", [
    ("concat('a', 'b'", 15, "expected ',' or ')'"),
    ("concat('a' 'b')", 11, "expected ',' or ')'"),
    ("parameters('x'", 14, "expected ',' or ')'"),
    ("concat('abc)", 7, "unterminated string"),
    ("concat(\"a\")", 7, "single quotes"),
    ("parameters", 10, "expected '('"),
    ("", 0, "empty expression"),
    ("concat('a')]", 11, "unexpected"),
    ("parameters('cfg').", 18, "property name"),
])
def test_syntax_errors_have_a_position(text, pos, words):
    with pytest.raises(ExprSyntaxError) as caught:
        parse(text)
    assert caught.value.pos == pos
    assert words in caught.value.message


def test_a_syntax_error_is_located_at_the_offending_character_of_the_json_string():
    doc_text = '{\n  "name": "[concat(\'a\', \'b\']"\n}'
    root, doc = parse_json(doc_text, "t.json")
    scope = Scope(_param, _var)
    evaluator = Evaluator(scope, doc.loc_in_string, [])
    with pytest.raises(ArmError) as caught:
        evaluator.string(root["name"], root.locs["name"])
    err = caught.value
    assert (err.loc.line, err.loc.col) == (2, 28)
    assert doc_text.splitlines()[1][27] == "]"  # the ']' where ')' was expected
    assert "ARM expression syntax error" in err.message and "concat" in err.message


@pytest.mark.parametrize("text, words", [
    ("[parameters('nope')]", "no parameter nope"),
    ("[copyIndex()]", "outside a copy loop"),
    ("[copyIndex('other')]", "names no enclosing copy loop"),
    ("[concat(createArray(1), 'a')]", "cannot mix arrays and strings"),
    ("[parameters('cfg').missing]", "has no property 'missing'"),
    ("[parameters('list')[7]]", "out of range"),
    ("[int('abc')]", "not a whole number"),
    ("[format('{1}', 'a')]", "has no argument"),
    ("[toLower()]", "takes 1 argument"),
])
def test_templates_arm_would_refuse_raise_located_errors(text, words):
    with pytest.raises(ArmError) as caught:
        ev(text)
    assert words in caught.value.message
    assert caught.value.loc is not None
