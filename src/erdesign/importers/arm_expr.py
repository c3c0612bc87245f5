"""The ARM template expression language, as far as network templates use it.

A JSON string ``"[...]"`` is an expression (``"[[...]"`` is a literal starting
with '['). :func:`parse` turns the text between the brackets into a small tree
(:class:`Lit`, :class:`Call`, :class:`Prop`, :class:`Index`); :class:`Evaluator`
computes it against a template's parameters, variables and copy loops.

Evaluation returns ``(value, origin)``: ``origin`` is the location of the JSON
literal the value was taken from when the expression only passes a value
through (``[parameters('peerASN')]`` -> the parameter's default or the
parameters-file value), else None (the caller then uses the expression's own
location). Values that depend on the deployment (``resourceGroup().location``,
``uniqueString(...)``) or need a function erdesign does not implement become
:class:`~erdesign.importers.values.Unknown`; a template that ARM itself would
reject (syntax error, unknown parameter) raises :class:`ArmError`.
"""
from __future__ import annotations

import ipaddress
import json
import re
from dataclasses import dataclass, field
from typing import Any, Callable, Optional

from ..errors import InputError, Loc, clip, did_you_mean
from .arm_budget import (
    MAX_EXPRESSION_DEPTH, MAX_STRING_LENGTH, BudgetExceeded, EvalBudget, check_format_number, check_index,
    check_replace, check_union, over_budget,
)
from .arm_functions import LAZY as LAZY_FUNCTIONS
from .arm_functions import PLAIN as PLAIN_FUNCTIONS
from .jsonloc import LocDict, LocList
from .values import Unknown


class ArmError(InputError):
    """An expression ARM would refuse: bad syntax, unknown parameter, wrong arguments."""


# --------------------------------------------------------------------------- syntax

@dataclass(frozen=True)
class Lit:
    value: Any
    pos: int


@dataclass(frozen=True)
class Call:
    name: str
    args: tuple
    pos: int
    end: int = 0


@dataclass(frozen=True)
class Prop:
    obj: Any
    name: str
    pos: int


@dataclass(frozen=True)
class Index:
    obj: Any
    index: Any
    pos: int


class ExprSyntaxError(Exception):
    def __init__(self, message: str, pos: int):
        super().__init__(message)
        self.message = message
        self.pos = pos


_TOKEN = re.compile(
    r"""\s*(?:
        (?P<string>'(?:[^']|'')*')
      | (?P<unterminated>'(?:[^']|'')*$)
      | (?P<number>-?\d+(?:\.\d+)?)
      | (?P<ident>[A-Za-z_][A-Za-z0-9_]*)
      | (?P<punct>[().,\[\]])
      | (?P<other>\S)
    )""",
    re.VERBOSE,
)


def _tokens(text: str) -> list[tuple[str, Any, int]]:
    out = []
    pos = 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None:  # only trailing whitespace left
            break
        kind = m.lastgroup
        start = m.start(kind)
        raw = m.group(kind)
        if kind == "unterminated":
            raise ExprSyntaxError("unterminated string (a ' without its closing ')", start)
        if kind == "other":
            hint = " (strings use single quotes)" if raw == '"' else ""
            raise ExprSyntaxError(f"unexpected character '{raw}'{hint}", start)
        if kind == "string":
            out.append(("string", raw[1:-1].replace("''", "'"), start))
        elif kind == "number":
            out.append(("number", float(raw) if "." in raw else int(raw), start))
        elif kind == "ident":
            out.append(("ident", raw, start))
        else:
            out.append((raw, raw, start))
        pos = m.end()
    out.append(("end", None, len(text)))
    return out


class _Parser:
    def __init__(self, text: str):
        self.text = text
        self.toks = _tokens(text)
        self.i = 0
        self.depth = 0

    def peek(self):
        return self.toks[self.i]

    def take(self, kind: str, what: str):
        tok = self.toks[self.i]
        if tok[0] != kind:
            found = "the end of the expression" if tok[0] == "end" else f"'{self.text[tok[2]:].split()[0][:20]}'"
            raise ExprSyntaxError(f"expected {what}, found {found}", tok[2])
        self.i += 1
        return tok

    def parse(self):
        if self.peek()[0] == "end":
            raise ExprSyntaxError("empty expression '[]'", 0)
        node = self.expr()
        tok = self.peek()
        if tok[0] != "end":
            raise ExprSyntaxError(f"unexpected '{tok[1]}' after the end of the expression", tok[2])
        return node

    def expr(self):
        self.depth += 1
        if self.depth > MAX_EXPRESSION_DEPTH:
            raise ExprSyntaxError(f"the expression nests more than {MAX_EXPRESSION_DEPTH} calls deep", self.peek()[2])
        node = self._postfix()
        self.depth -= 1
        return node

    def _postfix(self):
        node = self.primary()
        while True:
            kind, _, pos = self.peek()
            if kind == ".":
                self.i += 1
                name = self.take("ident", "a property name after '.'")
                node = Prop(node, name[1], pos)
            elif kind == "[":
                self.i += 1
                index = self.expr()
                self.take("]", "']' to close the index")
                node = Index(node, index, pos)
            else:
                return node

    def primary(self):
        kind, value, pos = self.peek()
        if kind in ("string", "number"):
            self.i += 1
            return Lit(value, pos)
        if kind == "ident":
            self.i += 1
            name = value
            if self.peek()[0] == "." and self.toks[self.i + 1][0] == "ident" and self.toks[self.i + 2][0] == "(":
                self.i += 1
                name = f"{name}.{self.take('ident', 'a function name')[1]}"  # user-defined function
            if self.peek()[0] != "(":
                raise ExprSyntaxError(f"expected '(' after function name '{name}'", self.peek()[2])
            self.i += 1
            args = []
            if self.peek()[0] != ")":
                while True:
                    args.append(self.expr())
                    if self.peek()[0] == ",":
                        self.i += 1
                        continue
                    break
            end = self.take(")", f"',' or ')' in the arguments of {name}()")[2]
            return Call(name, tuple(args), pos, end + 1)
        if kind == "end":
            raise ExprSyntaxError("the expression ends too early", pos)
        raise ExprSyntaxError(f"expected a function call, a 'string' or a number, found '{value}'", pos)


_PARSED: dict[str, Any] = {}


def parse(text: str):
    """Parse the inside of ``[...]``; raises ExprSyntaxError(message, pos)."""
    node = _PARSED.get(text)
    if node is None:
        node = _Parser(text).parse()
        if len(_PARSED) < 20000:
            _PARSED[text] = node
    return node


def is_expression(value: Any) -> bool:
    return isinstance(value, str) and len(value) >= 2 and value[0] == "[" and value[-1] == "]" and value[1] != "["


def unescape_literal(value: str) -> str:
    """'[[notAnExpression]' is the literal '[notAnExpression]'."""
    if isinstance(value, str) and value.startswith("[[") and value.endswith("]"):
        return value[1:]
    return value


# --------------------------------------------------------------------------- evaluation

def source_text(text: str, node) -> str:
    """The source text of a sub-expression (for messages and unknown placeholders)."""
    if isinstance(node, Call) and node.end:
        return text[node.pos: node.end]
    if isinstance(node, Prop):
        return f"{source_text(text, node.obj)}.{node.name}"
    if isinstance(node, Index):
        return f"{source_text(text, node.obj)}[{source_text(text, node.index)}]"
    if isinstance(node, Lit):
        return repr(node.value) if isinstance(node.value, str) else str(node.value)
    return "?"


@dataclass
class Scope:
    """What an expression may refer to: provided by the template reader."""

    parameter: Callable[[str, Loc], tuple[Any, Optional[Loc]]]
    variable: Callable[[str, Loc], tuple[Any, Optional[Loc]]]
    copy_index: dict = field(default_factory=dict)  # loop name (or None for the resource loop) -> index
    subscription_id: Any = None
    resource_group: Any = None


# Functions whose value exists only at deployment time.
_RUNTIME = {
    "reference": "the runtime state of a deployed resource",
    "list": "a runtime list* call", "listkeys": "a runtime list* call", "listsecrets": "a runtime list* call",
    "uniquestring": "a hash computed at deployment", "guid": "a hash computed at deployment",
    "newguid": "a new GUID at each deployment", "utcnow": "the deployment time",
    "deployment": "the deployment's own properties", "tenant": "the deployment's tenant",
    "managementgroup": "the deployment's management group", "pickzones": "the zones a region offers at deployment",
}


class Evaluator:
    """Evaluates expression strings of one template file."""

    def __init__(self, scope: Scope, locate: Callable[[Loc, int], Loc], notes: list):
        self.scope = scope
        self.locate = locate  # (loc of the JSON string, index in it) -> loc of that character
        self.notes = notes  # Unknowns met outside resource fields (copy counts, conditions), for notes
        self.placeholders = False  # render unknown parts of strings as {text} (used for resource names)
        self.budget = EvalBudget()

    # ---- entry points
    def string(self, value: str, loc: Optional[Loc]) -> tuple[Any, Optional[Loc]]:
        """Evaluate one JSON string value of the template (expression or literal)."""
        if not is_expression(value):
            return unescape_literal(value), loc
        inner = value[1:-1]
        try:
            node = parse(inner)
        except ExprSyntaxError as exc:
            where = self.locate(loc, exc.pos + 1) if loc else None
            raise ArmError(f"ARM expression syntax error: {exc.message} in {_clip(value)}", where) from None
        ctx = _Ctx(self, inner, loc)
        result, origin = ctx.eval(node)
        return result, origin or loc

    def tree(self, value: Any, loc: Optional[Loc]) -> tuple[Any, Optional[Loc]]:
        """Evaluate every expression inside a JSON value; property `copy` loops are expanded."""
        if isinstance(value, str):
            return self.string(value, loc)
        if isinstance(value, LocDict):
            return self._dict(value), value.loc
        if isinstance(value, LocList):
            out = LocList(loc=value.loc)
            for i, item in enumerate(value):
                v, where = self.tree(item, value.value_loc(i))
                out.append(v)
                out.locs.append(where)
            return out, value.loc
        return value, loc

    def _dict(self, value: LocDict) -> LocDict:
        out = LocDict(loc=value.loc)
        for key, item in value.items():
            if key.lower() == "copy" and isinstance(item, list):
                self._property_copy(item, value.value_loc(key), out)
                continue
            v, where = self.tree(item, value.value_loc(key))
            out[key] = v
            out.locs[key] = where
            out.key_locs[key] = value.key_locs.get(key)
        return out

    def _property_copy(self, loops: list, loc: Optional[Loc], out: LocDict) -> None:
        """"copy": [{"name": "subnets", "count": 2, "input": {...}}] -> out["subnets"] = [...]."""
        for i, loop in enumerate(loops):
            where = loops.value_loc(i) if isinstance(loops, LocList) else loc
            if not isinstance(loop, dict) or "name" not in loop or "input" not in loop:
                raise ArmError("a property copy loop needs name, count and input", where)
            name = loop["name"]
            if not isinstance(name, str) or not name:
                raise ArmError("a property copy loop's name must be a string", _loc_of(loop, "name", where))
            count, count_loc = self.tree(loop.get("count", 0), _loc_of(loop, "count", where))
            if isinstance(count, Unknown):
                self.notes.append(Unknown(f"copy count of '{name}'", count_loc,
                                          f"the loop count is not known ({count.why}); its items are left out",
                                          "IMP002"))
                count = 0
            if not isinstance(count, int) or isinstance(count, bool) or not 0 <= count <= MAX_EXPANSION:
                raise ArmError(f"copy loop '{name}': count must be a whole number from 0 to {MAX_EXPANSION}, "
                               f"got {count!r}", count_loc)
            items = LocList(loc=_loc_of(loop, "input", where))
            saved = dict(self.scope.copy_index)
            try:
                self.budget.enter_copy(count, name)
            except BudgetExceeded as exc:
                raise over_budget(ArmError(str(exc), count_loc)) from None
            try:
                for n in range(count):
                    self.scope.copy_index[name] = n
                    v, w = self.tree(loop["input"], _loc_of(loop, "input", where))
                    items.append(v)
                    items.locs.append(w)
            finally:
                self.scope.copy_index = saved
                self.budget.leave_copy(count)
            out[name] = items
            out.locs[name] = items.loc
            out.key_locs[name] = _key_loc_of(loop, "name", where)


def _loc_of(obj, key, default):
    return obj.value_loc(key) if isinstance(obj, LocDict) else default


def _key_loc_of(obj, key, default):
    return obj.key_locs.get(key, default) if isinstance(obj, LocDict) else default


def _clip(text: str, width: int = 70) -> str:
    return f'"{text}"' if len(text) <= width else f'"{text[:width - 1]}…"'


def _type_name(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, str):
        return "string"
    if isinstance(value, dict):
        return "object"
    if isinstance(value, list):
        return "array"
    if value is None:
        return "null"
    return type(value).__name__


def _get_ci(obj: dict, name: str):
    if name in obj:
        return name
    lowered = name.lower()
    return next((k for k in obj if isinstance(k, str) and k.lower() == lowered), None)


class _Ctx:
    """Evaluation of one expression string."""

    def __init__(self, ev: Evaluator, text: str, loc: Optional[Loc]):
        self.ev = ev
        self.text = text
        self.loc = loc

    def where(self, node) -> Optional[Loc]:
        pos = getattr(node, "pos", 0)
        return self.ev.locate(self.loc, pos + 1) if self.loc else None

    def error(self, node, message: str) -> ArmError:
        return ArmError(message, self.where(node))

    def unknown(self, node, why: str, rule: str = "IMP001") -> Unknown:
        return Unknown(source_text(self.text, node), self.where(node), why, rule)

    def eval(self, node) -> tuple[Any, Optional[Loc]]:
        """Evaluate one node under the template's budget (an exceeded budget is an error here)."""
        budget = self.ev.budget
        try:
            budget.enter()
            value = self._eval(node)
            budget.leave()
            if isinstance(node, Call):
                budget.check_value(value[0])
        except BudgetExceeded as exc:
            raise over_budget(self.error(node, f"{clip(source_text(self.text, node))}: {exc}")) from None
        return value

    def _eval(self, node) -> tuple[Any, Optional[Loc]]:
        if isinstance(node, Lit):
            return node.value, None
        if isinstance(node, Prop):
            obj, _origin = self.eval(node.obj)
            if isinstance(obj, Unknown):
                return obj, None
            if not isinstance(obj, dict):
                raise self.error(node, f"'.{node.name}' needs an object, but {source_text(self.text, node.obj)} "
                                       f"is {_type_name(obj)}")
            key = _get_ci(obj, node.name)
            if key is None:
                raise self.error(node, f"{source_text(self.text, node.obj)} has no property '{node.name}'"
                                       f"{did_you_mean(node.name, [k for k in obj if isinstance(k, str)])}")
            where = obj.locs.get(key) if isinstance(obj, LocDict) else None
            return obj[key], where
        if isinstance(node, Index):
            obj, _ = self.eval(node.obj)
            index, _ = self.eval(node.index)
            if isinstance(obj, Unknown):
                return obj, None
            if isinstance(index, Unknown):
                return index, None
            if isinstance(obj, list):
                if not isinstance(index, int) or isinstance(index, bool):
                    raise self.error(node, f"an array index must be a whole number, got {index!r}")
                if not 0 <= index < len(obj):
                    raise self.error(node, f"index {index} is out of range (the array has {len(obj)} items)")
                return obj[index], obj.locs[index] if isinstance(obj, LocList) else None
            if isinstance(obj, dict):
                key = _get_ci(obj, str(index))
                if key is None:
                    raise self.error(node, f"no property '{index}'")
                return obj[key], obj.locs.get(key) if isinstance(obj, LocDict) else None
            raise self.error(node, f"cannot index {_type_name(obj)}")
        if isinstance(node, Call):
            return self.call(node)
        raise self.error(node, "cannot evaluate")  # pragma: no cover

    # ---- functions
    def args(self, node: Call, low: int, high: Optional[int] = None) -> list:
        n = len(node.args)
        high = low if high is None else high
        if n < low or (high >= 0 and n > high):
            want = f"{low}" if low == high else (f"at least {low}" if high < 0 else f"{low} to {high}")
            raise self.error(node, f"{node.name}() takes {want} argument{'s' if want != '1' else ''}, got {n}")
        return [self.eval(a)[0] for a in node.args]

    def call(self, node: Call) -> tuple[Any, Optional[Loc]]:
        name = node.name.lower()
        scope = self.ev.scope
        if name == "parameters":
            (pname,) = self.args(node, 1)
            self._need_str(node, pname, "parameters()")
            return scope.parameter(pname, self.where(node))
        if name == "variables":
            (vname,) = self.args(node, 1)
            self._need_str(node, vname, "variables()")
            return scope.variable(vname, self.where(node))
        lazy = LAZY_FUNCTIONS.get(name)
        if lazy is not None:  # functions that evaluate their own arguments (arm_functions)
            return lazy(self, node)
        if name == "if":
            if len(node.args) != 3:
                raise self.error(node, f"if() takes 3 arguments, got {len(node.args)}")
            cond, _ = self.eval(node.args[0])
            if isinstance(cond, Unknown):
                return cond, None
            if not isinstance(cond, bool):
                raise self.error(node, f"if() needs a bool condition, got {_type_name(cond)}")
            return self.eval(node.args[1] if cond else node.args[2])
        if name in _RUNTIME or (name.startswith("list") and name not in _FUNCTIONS):
            for a in node.args:  # still check the arguments (bad parameter names are errors)
                self.eval(a)
            what = _RUNTIME.get(name, "a runtime list* call")
            return self.unknown(node, f"{node.name}() gives {what}, known only when ARM deploys the template"), None
        if name == "resourcegroup":
            self.args(node, 0)
            return self._resource_group(node), None
        if name == "subscription":
            self.args(node, 0)
            return self._subscription(node), None
        if name == "environment":
            self.args(node, 0)
            return self.unknown(node, "environment() is the cloud ARM deploys to"), None
        if name == "copyindex":
            return self._copy_index(node), None
        fn = _FUNCTIONS.get(name)
        if fn is None:
            for a in node.args:
                self.eval(a)
            return self.unknown(node, f"erdesign does not evaluate the function {node.name}()", "IMP002"), None
        low, high, impl = fn
        if name in ("resourceid", "subscriptionresourceid"):
            # IDs keep placeholders for unknown parts, rendered like resource names, so references still match
            saved, self.ev.placeholders = self.ev.placeholders, True
            try:
                values = [_placeholder(v) for v in self.args(node, low, high)]
            finally:
                self.ev.placeholders = saved
        else:
            values = self.args(node, low, high)
        if any(isinstance(v, Unknown) for v in values):
            if self.ev.placeholders and name in ("concat", "format", "tolower", "toupper", "string", "trim"):
                values = [_placeholder(v) if isinstance(v, Unknown) else v for v in values]
            else:
                return next(v for v in values if isinstance(v, Unknown)), None
        try:
            return impl(*values), None
        except _FnError as exc:
            raise self.error(node, f"{node.name}(): {exc}") from None
        except BudgetExceeded as exc:
            raise over_budget(self.error(node, f"{node.name}(): {exc}")) from None
        except RecursionError:
            raise self.error(node, f"{node.name}(): the value nests too deeply") from None
        except (TypeError, ValueError, ZeroDivisionError, KeyError, IndexError) as exc:
            raise self.error(node, f"{node.name}() cannot take these arguments ({exc})") from None

    def _need_str(self, node, value, what):
        if isinstance(value, Unknown):
            raise self.error(node, f"{what} needs a literal name")
        if not isinstance(value, str):
            raise self.error(node, f"{what} needs a string name, got {_type_name(value)}")

    def _resource_group(self, node) -> dict:
        scope = self.ev.scope
        rg_name = scope.resource_group if scope.resource_group is not None else Unknown(
            "resourceGroup().name", self.where(node), "the resource group is chosen at deployment")
        sub = _subscription_placeholder(scope)
        return {
            "id": f"/subscriptions/{sub}/resourceGroups/{_placeholder(rg_name)}",
            "name": rg_name,
            "type": "Microsoft.Resources/resourceGroups",
            "location": Unknown("resourceGroup().location", self.where(node),
                                "the resource group's location is known only at deployment"),
            "properties": {"provisioningState": "Succeeded"},
            "tags": {},
        }

    def _subscription(self, node) -> dict:
        scope = self.ev.scope
        sub_id = scope.subscription_id if scope.subscription_id is not None else Unknown(
            "subscription().subscriptionId", self.where(node), "the subscription is chosen at deployment")
        return {
            "id": f"/subscriptions/{_placeholder(sub_id)}",
            "subscriptionId": sub_id,
            "tenantId": Unknown("subscription().tenantId", self.where(node), "known only at deployment"),
            "displayName": Unknown("subscription().displayName", self.where(node), "known only at deployment"),
        }

    def _copy_index(self, node) -> Any:
        values = self.args(node, 0, 2)
        loops = self.ev.scope.copy_index
        loop, offset = None, 0
        if values and isinstance(values[0], str):
            loop = values[0]
            offset = values[1] if len(values) > 1 else 0
        elif values:
            offset = values[0]
        if loop not in loops:
            if loop is None:
                raise self.error(node, "copyIndex() is used outside a copy loop")
            raise self.error(node, f"copyIndex('{loop}') names no enclosing copy loop"
                                   f"{did_you_mean(loop, [k for k in loops if k])}")
        if not isinstance(offset, int):
            raise self.error(node, "copyIndex() offset must be a whole number")
        return loops[loop] + offset


def _placeholder(value) -> str:
    return "{" + value.text + "}" if isinstance(value, Unknown) else str(value)


def _subscription_placeholder(scope: Scope) -> str:
    sub = scope.subscription_id
    return "{subscription().subscriptionId}" if sub is None else _placeholder(sub)


class _FnError(Exception):
    pass


def _fn(fmt_value):
    if isinstance(fmt_value, bool):
        return "True" if fmt_value else "False"
    if isinstance(fmt_value, (dict, list)):
        return json.dumps(_plain(fmt_value), separators=(",", ":"))
    if fmt_value is None:
        return ""
    return str(fmt_value)


def _plain(value):
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, Unknown):
        return str(value)
    return value


def _concat(*values):
    if not values:
        return ""
    if all(isinstance(v, list) for v in values):
        out = []
        for v in values:
            out.extend(v)
        return out
    if any(isinstance(v, (list, dict)) for v in values):
        raise _FnError("cannot mix arrays and strings")
    return "".join(_fn(v) for v in values)


_FORMAT_ITEM = re.compile(r"\{\{|\}\}|\{(\d+)(?:,(-?\d+))?(?::([^}]*))?\}")


def _format(fmt, *values):
    if not isinstance(fmt, str):
        raise _FnError("the format must be a string")

    def repl(m):
        if m.group(0) == "{{":
            return "{"
        if m.group(0) == "}}":
            return "}"
        i = int(m.group(1))
        if i >= len(values):
            raise _FnError(f"format item {{{i}}} has no argument")
        value, spec = values[i], m.group(3)
        if spec and isinstance(value, (int, float)) and not isinstance(value, bool):
            kind, digits = spec[:1].upper(), spec[1:]
            if digits.isdecimal():
                check_format_number(int(digits), "precision")
            if kind == "N":
                return f"{value:,.{int(digits or 2)}f}"
            if kind == "D":
                return f"{int(value):0{int(digits or 0)}d}"
            if kind == "X":
                return format(int(value), f"0{int(digits or 0)}{'X' if spec[0] == 'X' else 'x'}")
        text = _fn(value)
        width = m.group(2)
        if width:
            w = check_format_number(int(width), "width")
            text = text.rjust(w) if w > 0 else text.ljust(-w)
        return text

    return _FORMAT_ITEM.sub(repl, fmt)


def _string(v):
    return _fn(v)


def _int(v):
    if isinstance(v, bool):
        raise _FnError("cannot convert a bool to int")
    if isinstance(v, str):
        try:
            return int(v.strip())
        except ValueError:
            raise _FnError(f"'{v}' is not a whole number") from None
    if isinstance(v, float):
        return int(v)
    if isinstance(v, int):
        return v
    raise _FnError(f"cannot convert {_type_name(v)} to int")


def _bool(v):
    if isinstance(v, bool):
        return v
    if isinstance(v, str) and v.lower() in ("true", "false"):
        return v.lower() == "true"
    if isinstance(v, int):
        return v != 0
    raise _FnError(f"cannot convert {v!r} to bool")


def _equals(a, b):
    if isinstance(a, str) and isinstance(b, str):
        return a == b  # ARM string comparison is case-sensitive
    return _plain(a) == _plain(b)


def _need_bools(*vs):
    for v in vs:
        if not isinstance(v, bool):
            raise _FnError(f"expected bool, got {_type_name(v)}")
    return vs


def _compare(op):
    def fn(a, b):
        if type(a) is not type(b) and not (isinstance(a, (int, float)) and isinstance(b, (int, float))):
            raise _FnError("compares two ints or two strings")
        return op(a, b)
    return fn


def _length(v):
    if isinstance(v, (str, list, dict)):
        return len(v)
    raise _FnError(f"length of {_type_name(v)}")


def _contains(container, item):
    if isinstance(container, str):
        return _fn(item).lower() in container.lower()
    if isinstance(container, dict):
        return _get_ci(container, str(item)) is not None
    if isinstance(container, list):
        return any(_equals(x, item) for x in container)
    raise _FnError(f"contains() on {_type_name(container)}")


def _empty(v):
    return v is None or (isinstance(v, (str, list, dict)) and len(v) == 0)


def _first(v):
    if isinstance(v, (str, list)):
        return v[0] if v else ("" if isinstance(v, str) else None)
    raise _FnError(f"first() of {_type_name(v)}")


def _last(v):
    if isinstance(v, (str, list)):
        return v[-1] if v else ("" if isinstance(v, str) else None)
    raise _FnError(f"last() of {_type_name(v)}")


def _union(*values):
    check_union(values)
    if all(isinstance(v, dict) for v in values):
        out: dict = {}
        for v in values:
            out.update(v)
        return out
    if all(isinstance(v, list) for v in values):
        out_list: list = []
        for v in values:
            for item in v:
                if not any(_equals(item, x) for x in out_list):
                    out_list.append(item)
        return out_list
    raise _FnError("union() takes all arrays or all objects")


def _create_object(*pairs):
    if len(pairs) % 2:
        raise _FnError("takes name/value pairs")
    return {str(pairs[i]): pairs[i + 1] for i in range(0, len(pairs), 2)}


def _json(text):
    if not isinstance(text, str):
        raise _FnError("needs a string")
    if len(text) > MAX_STRING_LENGTH:
        raise _FnError(f"the text is longer than {MAX_STRING_LENGTH:,} characters")
    try:
        return json.loads(text)
    except ValueError as exc:
        raise _FnError(f"not valid JSON ({exc})") from None
    except RecursionError:
        raise _FnError("the JSON nests too deeply") from None


def _coalesce(*values):
    return next((v for v in values if v is not None), None)


def _substring(s, start=0, length=None):
    if length is None:
        return s[start:]
    if start < 0 or length < 0 or start + length > len(s):
        raise _FnError("start/length out of range")
    return s[start: start + length]


def _replace(s, old, new):
    check_replace(s, old, new)
    return s.replace(old, new)


def _split(s, sep):
    if isinstance(sep, list):
        pattern = "|".join(re.escape(x) for x in sep)
        return re.split(pattern, s)
    return s.split(sep)


# Expansion cap: an implementation guard against runaway loops, not an Azure limit (ARM's own is lower).
MAX_EXPANSION = 10_000


def _whole(*values):
    for v in values:
        if not isinstance(v, int) or isinstance(v, bool):
            raise _FnError(f"expected whole numbers, got {_type_name(v)}")
    return values


def _range(start, count):
    _whole(start, count)
    if not 0 <= count <= MAX_EXPANSION:
        raise _FnError(f"count {count} is out of range")
    return list(range(start, start + count))


def _pad_left(s, n, c=" "):
    _whole(n)
    if n > MAX_EXPANSION:
        raise _FnError(f"width {n} is too large")
    return _fn(s).rjust(n, c)


def _resource_id(*segments):
    """resourceId([subscriptionId], [resourceGroupName], type, name1, name2...) within the current scope."""
    parts = list(segments)
    for p in parts:
        if not isinstance(p, str):
            raise _FnError(f"segments must be strings, got {_type_name(p)}")
    type_index = next((i for i, p in enumerate(parts) if "/" in p and "." in p.split("/")[0]), None)
    if type_index is None:
        raise _FnError("needs a resource type such as 'Microsoft.Network/virtualNetworks'")
    prefix, rtype, names = parts[:type_index], parts[type_index], parts[type_index + 1:]
    type_parts = rtype.split("/")
    if len(names) != len(type_parts) - 1:
        raise _FnError(f"type '{rtype}' needs {len(type_parts) - 1} name(s), got {len(names)}")
    sub = CURRENT_SUB
    rg = CURRENT_RG
    if len(prefix) == 1:
        rg = prefix[0]
    elif len(prefix) >= 2:
        sub, rg = prefix[0], prefix[1]
    path = f"/subscriptions/{sub}/resourceGroups/{rg}/providers/{type_parts[0]}/{type_parts[1]}/{names[0]}"
    for t, n in zip(type_parts[2:], names[1:]):
        path += f"/{t}/{n}"
    return path


def _subscription_resource_id(*segments):
    parts = list(segments)
    type_index = next((i for i, p in enumerate(parts) if isinstance(p, str) and "/" in p), None)
    if type_index is None:
        raise _FnError("needs a resource type")
    sub = parts[0] if type_index == 1 else CURRENT_SUB
    type_parts = parts[type_index].split("/")
    names = parts[type_index + 1:]
    path = f"/subscriptions/{sub}/providers/{type_parts[0]}/{type_parts[1]}/{names[0] if names else ''}"
    for t, n in zip(type_parts[2:], names[1:]):
        path += f"/{t}/{n}"
    return path


def _cidr_subnet(network, new_cidr, index):
    net = ipaddress.ip_network(network, strict=False)
    if isinstance(new_cidr, bool) or not isinstance(new_cidr, int) or not net.prefixlen <= new_cidr <= net.max_prefixlen:
        raise _FnError(f"the new prefix length must be from {net.prefixlen} to {net.max_prefixlen}, got {new_cidr!r}")
    check_index(index, 2 ** (new_cidr - net.prefixlen), f"{network} has no subnet #{index} of /{new_cidr}:")
    size = 2 ** (net.max_prefixlen - new_cidr)
    return str(ipaddress.ip_network((int(net.network_address) + index * size, new_cidr)))


def _parse_cidr(network):
    net = ipaddress.ip_network(network, strict=False)
    hosts = list(net.hosts()) if net.num_addresses <= 65536 else []
    return {
        "network": str(net.network_address), "netmask": str(net.netmask), "cidr": net.prefixlen,
        "broadcast": str(net.broadcast_address) if net.version == 4 else None,
        "firstUsable": str(hosts[0]) if hosts else str(net.network_address + 1),
        "lastUsable": str(hosts[-1]) if hosts else str(net.broadcast_address - 1),
    }


# Placeholders used in IDs built by resourceId() for "this deployment's" subscription / group;
# the template reader builds every resource's own ID the same way, so references match.
CURRENT_SUB = "{subscription().subscriptionId}"
CURRENT_RG = "{resourceGroup().name}"

_FUNCTIONS: dict[str, tuple[int, int, Callable]] = {
    "concat": (0, -1, _concat),
    "format": (1, -1, _format),
    "string": (1, 1, _string),
    "int": (1, 1, _int),
    "bool": (1, 1, _bool),
    "tolower": (1, 1, lambda s: s.lower()),
    "toupper": (1, 1, lambda s: s.upper()),
    "trim": (1, 1, lambda s: s.strip()),
    "replace": (3, 3, _replace),
    "split": (2, 2, _split),
    "substring": (1, 3, _substring),
    "startswith": (2, 2, lambda s, p: s.lower().startswith(p.lower())),
    "endswith": (2, 2, lambda s, p: s.lower().endswith(p.lower())),
    "indexof": (2, 2, lambda s, p: s.lower().find(p.lower())),
    "lastindexof": (2, 2, lambda s, p: s.lower().rfind(p.lower())),
    "padleft": (2, 3, _pad_left),
    "equals": (2, 2, _equals),
    "not": (1, 1, lambda v: not _need_bools(v)[0]),
    "and": (2, -1, lambda *vs: all(_need_bools(*vs))),
    "or": (2, -1, lambda *vs: any(_need_bools(*vs))),
    "greater": (2, 2, _compare(lambda a, b: a > b)),
    "greaterorequals": (2, 2, _compare(lambda a, b: a >= b)),
    "less": (2, 2, _compare(lambda a, b: a < b)),
    "lessorequals": (2, 2, _compare(lambda a, b: a <= b)),
    "true": (0, 0, lambda: True),
    "false": (0, 0, lambda: False),
    "null": (0, 0, lambda: None),
    "add": (2, 2, lambda a, b: sum(_whole(a, b))),
    "sub": (2, 2, lambda a, b: _whole(a, b)[0] - b),
    "mul": (2, 2, lambda a, b: _whole(a, b)[0] * b),
    "div": (2, 2, lambda a, b: int(_whole(a, b)[0] / b)),
    "mod": (2, 2, lambda a, b: _whole(a, b)[0] % b),
    "min": (1, -1, lambda *vs: min(vs[0]) if len(vs) == 1 and isinstance(vs[0], list) else min(vs)),
    "max": (1, -1, lambda *vs: max(vs[0]) if len(vs) == 1 and isinstance(vs[0], list) else max(vs)),
    "length": (1, 1, _length),
    "empty": (1, 1, _empty),
    "contains": (2, 2, _contains),
    "first": (1, 1, _first),
    "last": (1, 1, _last),
    "take": (2, 2, lambda v, n: v[:max(n, 0)]),
    "skip": (2, 2, lambda v, n: v[max(n, 0):]),
    "union": (1, -1, _union),
    "createarray": (0, -1, lambda *vs: list(vs)),
    "array": (1, 1, lambda v: v if isinstance(v, list) else [v]),
    "createobject": (0, -1, _create_object),
    "json": (1, 1, _json),
    "coalesce": (1, -1, _coalesce),
    "range": (2, 2, _range),
    "resourceid": (2, -1, _resource_id),
    "subscriptionresourceid": (2, -1, _subscription_resource_id),
    "cidrsubnet": (3, 3, _cidr_subnet),
    "parsecidr": (1, 1, _parse_cidr),
}
_FUNCTIONS.update(PLAIN_FUNCTIONS)
