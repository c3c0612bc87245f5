"""Evaluate Terraform expressions statically, over python-hcl2's parse tree.

What is knowable without a cloud is evaluated: literals, variables with a value, locals, string
templates, operators, conditionals, ``for`` expressions, splats and the functions network code
uses. What is not (a data source, an attribute Azure assigns at apply, a variable without a
value, a function this module does not know) is an :class:`Unknown` that says why and where,
never a guess. Work is bounded: string and list sizes, evaluation steps and nesting depth have
budgets, and exceeding one is an input error at the expression.
"""
from __future__ import annotations

import ipaddress
import json
import math
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator, Mapping, Optional

from lark import Token, Tree

from ..errors import InputError, Loc
from .values import Unknown
import contextlib

MAX_STRING = 1_000_000
MAX_ITEMS = 100_000
MAX_STEPS = 500_000  # a real configuration needs a few thousand; a hostile one stops in well under a second
MAX_INSTANCES = 10_000  # resource or module instances of one block (count / for_each), and 2× that in all
MAX_DEPTH = 150

_PUNCTUATION = {"LPAR", "RPAR", "LBRACE", "RBRACE", "LSQB", "RSQB", "COMMA", "DOT", "EQ", "COLON", "QMARK",
                "DBLQUOTE", "INTERP_START", "FOR_OBJECT_ARROW", "COLONS", "FOR", "IN", "IF"}


class BudgetExceeded(Exception):
    """A function asked for more than the evaluation budget allows (becomes a located InputError)."""


class EvalError(Exception):
    """An expression Terraform itself would refuse (a type error, a bad function argument)."""

    def __init__(self, message: str, loc: Optional[Loc] = None):
        super().__init__(message)
        self.message = message
        self.loc = loc


def parts(tree: Tree) -> list:
    """A node's meaningful children: no punctuation tokens, no newline/comment nodes."""
    out = []
    for child in tree.children:
        if isinstance(child, Token):
            if child.type not in _PUNCTUATION:
                out.append(child)
        elif child is not None and child.data != "new_line_or_comment":
            out.append(child)
    return out


def loc_of(node, file: str) -> Loc:
    if isinstance(node, Token):
        return Loc(file, node.line or 1, node.column or 1)
    meta = getattr(node, "meta", None)
    if meta is not None and not getattr(meta, "empty", True):
        return Loc(file, meta.line, meta.column)
    for child in getattr(node, "children", []):
        if child is not None:
            return loc_of(child, file)
    return Loc(file, 1, 1)


def identifier_name(node) -> Optional[str]:
    """The name of an identifier / keyword / literal node (block types, attribute names, object keys)."""
    if isinstance(node, Token):
        return str(node)
    if isinstance(node, Tree) and node.data in ("identifier", "keyword", "literal_value") and node.children:
        return str(node.children[0])
    return None


def string_literal(node) -> Optional[str]:
    """The text of a plain string node without interpolation (block labels)."""
    if isinstance(node, Tree) and node.data == "string":
        out = []
        for part in node.children:
            if isinstance(part, Tree) and part.data == "string_part":
                token = part.children[0]
                if not isinstance(token, Token):
                    return None
                out.append(unescape(str(token)))
        return "".join(out)
    return identifier_name(node)


def unescape(text: str) -> str:
    if "\\" not in text and "$${" not in text and "%%{" not in text:
        return text
    text = text.replace("$${", "${").replace("%%{", "%{")
    if "\\" in text:
        with contextlib.suppress(ValueError):
            text = json.loads(f'"{text}"')
    return text


@dataclass
class Scope:
    """Names an expression can see: var, local, module, resource types, count/each, loop variables."""

    file: str
    names: Mapping[str, Any]
    loops: dict[str, Any] = field(default_factory=dict)

    def with_loop(self, **bound) -> "Scope":
        return Scope(self.file, self.names, {**self.loops, **bound})


class Budget:
    def __init__(self) -> None:
        self.steps = 0

    def step(self, node, file: str) -> None:
        self.steps += 1
        if self.steps > MAX_STEPS:
            raise InputError(f"evaluation takes more than {MAX_STEPS:,} steps: erdesign stops here",
                             loc_of(node, file))


def check_size(value: Any, node, file: str) -> Any:
    if isinstance(value, str) and len(value) > MAX_STRING:
        raise InputError(f"a string grows past {MAX_STRING:,} characters", loc_of(node, file))
    if isinstance(value, (list, dict)) and len(value) > MAX_ITEMS:
        raise InputError(f"a collection grows past {MAX_ITEMS:,} items", loc_of(node, file))
    return value


def unknown_in(value: Any) -> Optional[Unknown]:
    if isinstance(value, Unknown):
        return value
    if isinstance(value, list):
        return next((u for u in map(unknown_in, value) if u is not None), None)
    if isinstance(value, dict):
        return next((u for u in map(unknown_in, value.values()) if u is not None), None)
    return None


class Evaluator:
    def __init__(self, budget: Optional[Budget] = None):
        self.budget = budget or Budget()
        self.depth = 0

    # ------------------------------------------------------------------ entry
    def eval(self, node, scope: Scope) -> Any:
        self.budget.step(node, scope.file)
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH:
                raise InputError(f"expression nested deeper than {MAX_DEPTH} levels", loc_of(node, scope.file))
            if isinstance(node, Token):
                return self._token(node, scope)
            handler = getattr(self, "_" + node.data, None)
            if handler is None:
                return Unknown(node.data, loc_of(node, scope.file), f"'{node.data}' expressions are not evaluated")
            return check_size(handler(node, scope), node, scope.file)
        finally:
            self.depth -= 1

    def _token(self, token: Token, scope: Scope) -> Any:
        if token.type in ("INT_LITERAL",):
            return int(token)
        if token.type == "FLOAT_LITERAL":
            return float(token)
        return str(token)

    # ------------------------------------------------------------------ literals
    def _expr_term(self, node, scope):
        inner = parts(node)
        return self.eval(inner[0], scope) if inner else None

    def _int_lit(self, node, scope):
        return int(str(node.children[0]))

    def _float_lit(self, node, scope):
        value = float(str(node.children[0]))
        return int(value) if value.is_integer() and abs(value) < 2 ** 53 else value

    def _literal_value(self, node, scope):
        return {"true": True, "false": False, "null": None}[str(node.children[0])]

    def _string(self, node, scope):
        out: list[str] = []
        for part in node.children:
            if not isinstance(part, Tree) or part.data != "string_part":
                continue
            inner = part.children[0]
            if isinstance(inner, Token):
                if inner.type in ("STRING_CHARS", "ESCAPED_INTERPOLATION", "ESCAPED_DIRECTIVE"):
                    out.append(unescape(str(inner)))
                continue
            if inner.data == "interpolation":
                value = self.eval(parts(inner)[0], scope)
                if isinstance(value, Unknown):
                    return value
                out.append(to_text(value, inner, scope.file))
            else:
                return Unknown("%{…}", loc_of(inner, scope.file), "template directives are not evaluated")
        return "".join(out)

    def _heredoc_template(self, node, scope, trim: bool = False):
        raw = str(node.children[0])
        lines = raw.split("\n")
        body = lines[1:-2] if len(lines) >= 3 else []
        if trim:
            indent = min((len(line) - len(line.lstrip()) for line in body if line.strip()), default=0)
            body = [line[indent:] for line in body]
        text = "\n".join(body) + ("\n" if body else "")
        if "${" in text or "%{" in text:
            return Unknown("heredoc", loc_of(node, scope.file), "templates inside heredocs are not evaluated")
        return text

    def _heredoc_template_trim(self, node, scope):
        return self._heredoc_template(node, scope, trim=True)

    def _tuple(self, node, scope):
        return [self.eval(child, scope) for child in parts(node)]

    def _object(self, node, scope):
        out: dict = {}
        for elem in parts(node):
            key_node, value_node = parts(elem)[0], parts(elem)[-1]
            key = self._object_key(key_node, scope)
            if isinstance(key, Unknown):
                return key
            out[to_text(key, key_node, scope.file)] = self.eval(value_node, scope)
        return out

    def _object_key(self, key_node, scope):
        inner = parts(key_node)
        target = inner[0] if inner else key_node
        if isinstance(target, Tree) and target.data == "expr_term":
            sub = parts(target)
            if len(sub) == 1 and isinstance(sub[0], Tree) and sub[0].data == "identifier":
                return str(sub[0].children[0])  # { name = … }: a bare word is the key itself
        if isinstance(target, Tree) and target.data in ("identifier", "keyword"):
            return str(target.children[0])
        return self.eval(target, scope)

    def _template_string(self, node, scope):
        return unescape(str(node.children[0])[2:-2])

    # ------------------------------------------------------------------ names and traversal
    def _identifier(self, node, scope):
        name = str(node.children[0])
        if name in scope.loops:
            return scope.loops[name]
        if name in scope.names:
            value = scope.names[name]
            return value() if callable(value) else value
        return Unknown(name, loc_of(node, scope.file), f"'{name}' is not a name erdesign can resolve here")

    def _get_attr_expr_term(self, node, scope):
        base_node, attr_node = node.children[0], node.children[-1]
        base = self.eval(base_node, scope)
        name = identifier_name(parts(attr_node)[0])
        return get_attr(base, name, node, scope.file)

    def _index_expr_term(self, node, scope):
        base = self.eval(node.children[0], scope)
        index_node = node.children[-1]
        key = self._index_key(index_node, scope)
        return get_index(base, key, node, scope.file)

    def _index_key(self, index_node, scope):
        if index_node.data == "short_index":
            return int(str(parts(index_node)[0]))
        return self.eval(parts(index_node)[0], scope)

    def _splat(self, node, scope):
        base = self.eval(node.children[0], scope)
        if isinstance(base, Unknown):
            return base
        items = base if isinstance(base, list) else list(base.values()) if isinstance(base, dict) else (
            [] if base is None else [base])
        steps = [s for s in parts(node.children[-1]) if isinstance(s, Tree)]
        out = []
        for item in items:
            for step in steps:
                if step.data == "get_attr":
                    item = get_attr(item, identifier_name(parts(step)[0]), step, scope.file)
                else:
                    item = get_index(item, self._index_key(step, scope), step, scope.file)
            out.append(item)
        return out

    _attr_splat_expr_term = _splat
    _full_splat_expr_term = _splat

    # ------------------------------------------------------------------ operators
    def _conditional(self, node, scope):
        cond_node, yes_node, no_node = parts(node)
        cond = self.eval(cond_node, scope)
        if isinstance(cond, Unknown):
            return cond
        if not isinstance(cond, bool):
            raise EvalError(f"a condition must be true or false, not {describe(cond)}", loc_of(cond_node, scope.file))
        return self.eval(yes_node if cond else no_node, scope)

    def _unary_op(self, node, scope):
        op, operand_node = node.children[0], node.children[-1]
        value = self.eval(operand_node, scope)
        if isinstance(value, Unknown):
            return value
        if str(op) == "!":
            if not isinstance(value, bool):
                raise EvalError(f"'!' needs true or false, not {describe(value)}", loc_of(node, scope.file))
            return not value
        return -number(value, operand_node, scope.file)

    def _binary_op(self, node, scope):
        left_node, term = node.children[0], node.children[1]
        term_parts = parts(term)
        op = str(term_parts[0].children[0]) if isinstance(term_parts[0], Tree) else str(term_parts[0])
        right_node = term_parts[-1]
        left = self.eval(left_node, scope)
        if (op == "&&" and left is False) or (op == "||" and left is True):
            return left
        right = self.eval(right_node, scope)
        for side in (left, right):
            if isinstance(side, Unknown):
                return side
        where = loc_of(node, scope.file)
        if op in ("==", "!="):
            return (left == right) == (op == "==")
        if op in ("&&", "||"):
            if not isinstance(left, bool) or not isinstance(right, bool):
                raise EvalError(f"'{op}' needs true or false", where)
            return left and right if op == "&&" else left or right
        a, b = number(left, left_node, scope.file), number(right, right_node, scope.file)
        if op == "+":
            return a + b
        if op == "-":
            return a - b
        if op == "*":
            result = a * b
            if abs(result) > 2 ** 63:
                raise InputError("a number grows past 64 bits", where)
            return result
        if op in ("/", "%"):
            if b == 0:
                raise EvalError("division by zero", where)
            if op == "%":
                return a % b
            result = a / b
            return int(result) if float(result).is_integer() else result
        return {"<": a < b, ">": a > b, "<=": a <= b, ">=": a >= b}[op]

    # ------------------------------------------------------------------ for expressions
    def _for_parts(self, node, scope):
        intro = next(c for c in node.children if isinstance(c, Tree) and c.data == "for_intro")
        names = [str(c.children[0]) for c in intro.children if isinstance(c, Tree) and c.data == "identifier"]
        exprs = [c for c in intro.children if isinstance(c, Tree) and c.data not in ("identifier", "new_line_or_comment")]
        collection = self.eval(exprs[-1], scope) if exprs else None
        cond = next((c for c in node.children if isinstance(c, Tree) and c.data == "for_cond"), None)
        bodies = [c for c in node.children if isinstance(c, Tree)
                  and c.data not in ("for_intro", "for_cond", "new_line_or_comment")]
        return names, collection, cond, bodies

    def _iterate(self, names, collection, node, scope) -> Iterator[Scope]:
        if isinstance(collection, dict):
            pairs = list(collection.items())
        elif isinstance(collection, list):
            pairs = list(enumerate(collection))
        else:
            raise EvalError(f"a for expression needs a list, set or map, not {describe(collection)}",
                            loc_of(node, scope.file))
        for key, value in pairs:
            if len(names) == 2:
                yield scope.with_loop(**{names[0]: key, names[1]: value})
            else:
                yield scope.with_loop(**{names[0]: value})

    def _passes(self, cond, inner: Scope) -> Any:
        if cond is None:
            return True
        return self.eval(parts(cond)[-1], inner)

    def _for_tuple_expr(self, node, scope):
        names, collection, cond, bodies = self._for_parts(node, scope)
        if isinstance(collection, Unknown):
            return collection
        out = []
        for inner in self._iterate(names, collection, node, scope):
            ok = self._passes(cond, inner)
            if isinstance(ok, Unknown):
                return ok
            if ok:
                out.append(self.eval(bodies[0], inner))
                check_size(out, node, scope.file)
        return out

    def _for_object_expr(self, node, scope):
        names, collection, cond, bodies = self._for_parts(node, scope)
        if isinstance(collection, Unknown):
            return collection
        grouped = any(isinstance(c, Token) and c.type == "ELLIPSIS" for c in node.children)
        out: dict = {}
        for inner in self._iterate(names, collection, node, scope):
            ok = self._passes(cond, inner)
            if isinstance(ok, Unknown):
                return ok
            if not ok:
                continue
            key = self.eval(bodies[0], inner)
            if isinstance(key, Unknown):
                return key
            value = self.eval(bodies[1], inner)
            key = to_text(key, bodies[0], scope.file)
            if grouped:
                out.setdefault(key, []).append(value)
            elif key in out:
                raise EvalError(f"duplicate key '{key}' in a for expression (add '...' to group)",
                                loc_of(node, scope.file))
            else:
                out[key] = value
            check_size(out, node, scope.file)
        return out

    # ------------------------------------------------------------------ functions
    def _function_call(self, node, scope):
        name_node = node.children[0]
        name = identifier_name(name_node) or ""
        names = [identifier_name(c) for c in node.children if isinstance(c, Tree) and c.data == "identifier"]
        if len(names) > 1:  # provider::ns::fn
            return Unknown("::".join(n or "" for n in names) + "()", loc_of(node, scope.file),
                           "provider-defined functions are not evaluated")
        args_node = next((c for c in node.children if isinstance(c, Tree) and c.data == "arguments"), None)
        arg_nodes = parts(args_node) if args_node is not None else []
        expand = args_node is not None and any(isinstance(c, Token) and c.type == "ELLIPSIS"
                                               for c in args_node.children)
        arg_nodes = [a for a in arg_nodes if not (isinstance(a, Token) and a.type == "ELLIPSIS")]
        where = loc_of(node, scope.file)
        if name in ("try", "can"):
            return self._try(name, arg_nodes, scope, where)
        fn = FUNCTIONS.get(name)
        if fn is None:
            return Unknown(f"{name}()", where, f"the Terraform function {name}() is not evaluated by erdesign")
        args = [self.eval(a, scope) for a in arg_nodes]
        if expand and args:
            last = args.pop()
            if isinstance(last, Unknown):
                return last
            args.extend(last if isinstance(last, list) else list(last.values()) if isinstance(last, dict) else [last])
        unknown = next((a for a in args if isinstance(a, Unknown)), None)
        if unknown is not None and name not in ("coalesce", "length", "concat", "merge", "flatten", "tolist",
                                                 "toset", "tomap", "distinct", "compact"):
            return unknown
        try:
            return check_size(fn(*args), node, scope.file)
        except BudgetExceeded as exc:
            raise InputError(f"{name}(): {exc}", where) from None
        except EvalError as exc:
            raise EvalError(f"{name}(): {exc.message}", where) from None
        except (TypeError, ValueError, KeyError, IndexError, AttributeError, OverflowError) as exc:
            raise EvalError(f"{name}(): {exc}", where) from None

    def _try(self, name, arg_nodes, scope, where):
        for arg in arg_nodes:
            try:
                value = self.eval(arg, scope)
            except EvalError:
                if name == "can":
                    return False
                continue
            if isinstance(value, Unknown):
                return value
            return True if name == "can" else value
        if name == "can":
            return False
        raise EvalError("try(): no argument could be evaluated", where)


# --------------------------------------------------------------------------- value helpers

def describe(value: Any) -> str:
    return {bool: "a bool", int: "a number", float: "a number", str: "a string", list: "a list",
            dict: "a map", type(None): "null"}.get(type(value), type(value).__name__)


def number(value: Any, node, file: str):
    if isinstance(value, bool) or value is None:
        raise EvalError(f"a number is needed, not {describe(value)}", loc_of(node, file))
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, str):
        try:
            return int(value)
        except ValueError:
            try:
                return float(value)
            except ValueError:
                pass
    raise EvalError(f"a number is needed, not {describe(value)}", loc_of(node, file))


def to_text(value: Any, node, file: str) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, str):
        return value
    raise EvalError(f"a string is needed, not {describe(value)}", loc_of(node, file))


def get_attr(base: Any, name: Optional[str], node, file: str) -> Any:
    if isinstance(base, Unknown):
        return Unknown(f"{base.text}.{name}", base.loc, base.why, base.rule)
    if isinstance(base, Mapping):
        if name in base:
            value = base[name]
            return value() if callable(value) else value
        if hasattr(base, "missing"):
            return base.missing(name, loc_of(node, file))
        raise EvalError(f"no attribute '{name}' here", loc_of(node, file))
    raise EvalError(f"'.{name}' on {describe(base)}", loc_of(node, file))


def get_index(base: Any, key: Any, node, file: str) -> Any:
    if isinstance(base, Unknown):
        return Unknown(f"{base.text}[{key}]", base.loc, base.why, base.rule)
    if isinstance(key, Unknown):
        return key
    if isinstance(base, list):
        try:
            return base[int(key)]
        except (ValueError, TypeError, IndexError):
            raise EvalError(f"index {key!r} is out of range for a list of {len(base)}", loc_of(node, file)) from None
    if isinstance(base, Mapping):
        key_text = to_text(key, node, file)
        if key_text in base:
            value = base[key_text]
            return value() if callable(value) else value
        if hasattr(base, "missing"):
            return base.missing(f"[{key_text!r}]", loc_of(node, file))
        raise EvalError(f"no key '{key_text}' in the map", loc_of(node, file))
    raise EvalError(f"cannot index {describe(base)}", loc_of(node, file))


# --------------------------------------------------------------------------- functions

def _network(prefix: str):
    try:
        return ipaddress.ip_network(prefix, strict=False)
    except ValueError:
        raise EvalError(f"'{prefix}' is not a CIDR prefix") from None


def _cidrsubnet(prefix: str, newbits: int, netnum: int) -> str:
    net = _network(prefix)
    newbits, netnum = int(newbits), int(netnum)
    new_len = net.prefixlen + newbits
    if newbits < 0 or new_len > net.max_prefixlen:
        raise EvalError(f"{newbits} more bits on a /{net.prefixlen} is past /{net.max_prefixlen}")
    if not 0 <= netnum < 2 ** newbits:
        raise EvalError(f"network number {netnum} does not fit in {newbits} bits")
    base = int(net.network_address) + (netnum << (net.max_prefixlen - new_len))
    return str(ipaddress.ip_network((base, new_len)))


def _cidrhost(prefix: str, hostnum: int) -> str:
    net = _network(prefix)
    hostnum = int(hostnum)
    size = net.num_addresses
    if not -size <= hostnum < size:
        raise EvalError(f"host number {hostnum} is outside {prefix}")
    return str(net.network_address + (hostnum % size))


def _cidrnetmask(prefix: str) -> str:
    net = _network(prefix)
    if net.version != 4:
        raise EvalError("cidrnetmask() is for IPv4 only")
    return str(net.netmask)


def _cidrsubnets(prefix: str, *newbits) -> list:
    net = _network(prefix)
    out, cursor = [], int(net.network_address)
    for bits in newbits:
        length = net.prefixlen + int(bits)
        if length > net.max_prefixlen:
            raise EvalError(f"{bits} more bits is past /{net.max_prefixlen}")
        block = 1 << (net.max_prefixlen - length)
        cursor = (cursor + block - 1) // block * block
        sub = ipaddress.ip_network((cursor, length))
        if not sub.subnet_of(net):
            raise EvalError(f"not enough room in {prefix}")
        out.append(str(sub))
        cursor += block
    return out


def _format(fmt: str, *args) -> str:
    out, i, n = [], 0, 0
    while i < len(fmt):
        ch = fmt[i]
        if ch != "%":
            out.append(ch)
            i += 1
            continue
        if fmt[i + 1:i + 2] == "%":
            out.append("%")
            i += 2
            continue
        j = i + 1
        while j < len(fmt) and fmt[j] in "0123456789.-+# ":
            j += 1
        if j >= len(fmt):
            raise EvalError("unfinished format verb")
        verb, flags = fmt[j], fmt[i + 1:j]
        if len(flags) > 6 or any(int(d) > 999 for d in flags.replace("-", " ").replace("+", " ").replace(".", " ").split() if d.isdecimal()):
            raise EvalError("format width or precision too large")
        if n >= len(args):
            raise EvalError("not enough arguments for the format")
        arg = args[n]
        n += 1
        if verb in "sv":
            text = arg if isinstance(arg, str) else json.dumps(arg) if isinstance(arg, (list, dict)) else (
                "true" if arg is True else "false" if arg is False else str(arg))
            out.append(("%" + flags + "s") % text)
        elif verb == "d":
            out.append(("%" + flags + "d") % int(arg))
        elif verb in "fFeEgG":
            out.append(("%" + flags + verb) % float(arg))
        elif verb in "xXob":
            out.append(format(int(arg), flags.replace("#", "") + verb))
        elif verb == "q":
            out.append(json.dumps(str(arg)))
        elif verb == "t":
            out.append("true" if arg else "false")
        else:
            raise EvalError(f"unknown format verb %{verb}")
        i = j + 1
    return "".join(out)


def _flatten(value) -> list:
    out: list = []
    for item in value if isinstance(value, list) else [value]:
        if isinstance(item, list):
            out.extend(_flatten(item))
        else:
            out.append(item)
    return out


def _range(*args) -> list:
    if not 1 <= len(args) <= 3:
        raise EvalError("range() takes 1 to 3 numbers")
    start, stop, step = (0, args[0], 1) if len(args) == 1 else (args[0], args[1], args[2] if len(args) == 3 else 1)
    if step == 0:
        raise EvalError("step must not be 0")
    count = max(0, math.ceil((stop - start) / step))
    if count > MAX_ITEMS:
        raise BudgetExceeded(f"range() of {count:,} items is past {MAX_ITEMS:,}")
    return [start + i * step for i in range(count)]


def _length(value):
    if isinstance(value, Unknown):
        return value
    if isinstance(value, (list, dict, str)):
        return len(value)
    raise EvalError(f"length() of {describe(value)}")


def _coalesce(*values):
    for value in values:
        if isinstance(value, Unknown):
            return value
        if value is not None and value != "":
            return value
    raise EvalError("no non-null argument")


def _collection(fn: Callable) -> Callable:
    """Functions over collections: an unknown anywhere makes the result unknown."""
    def wrapped(*args):
        unknown = next((u for u in map(unknown_in, args) if u is not None), None)
        return unknown if unknown is not None else fn(*args)
    return wrapped


def _lookup(mapping, key, *default):
    if not isinstance(mapping, dict):
        raise EvalError(f"lookup() needs a map, not {describe(mapping)}")
    if key in mapping:
        return mapping[key]
    if default:
        return default[0]
    raise EvalError(f"no key '{key}' and no default")


def _element(values, index):
    if not values:
        raise EvalError("element() of an empty list")
    return values[int(index) % len(values)]


def _distinct(values):
    out = []
    for v in values:
        if v not in out:
            out.append(v)
    return out


def _merge(*maps):
    out: dict = {}
    for m in maps:
        if m is None:
            continue
        if not isinstance(m, dict):
            raise EvalError(f"merge() needs maps, not {describe(m)}")
        out.update(m)
    return out


def _one(values):
    if not values:
        return None
    if len(values) > 1:
        raise EvalError("one() of a list with more than one item")
    return values[0]


def _tostring(value):
    if isinstance(value, (list, dict)):
        raise EvalError("tostring() of a collection")
    return None if value is None else to_text(value, None, "")


FUNCTIONS: dict[str, Callable] = {
    "cidrsubnet": _cidrsubnet, "cidrhost": _cidrhost, "cidrnetmask": _cidrnetmask, "cidrsubnets": _cidrsubnets,
    "concat": _collection(lambda *lists: [x for lst in lists for x in lst]),
    "merge": _collection(_merge),
    "lookup": _lookup, "coalesce": _coalesce,
    "coalescelist": lambda *lists: next((lst for lst in lists if lst), []),
    "format": _format,
    "formatlist": lambda fmt, *lists: [_format(fmt, *row) for row in zip(*lists)],
    "join": lambda sep, values: sep.join(to_text(v, None, "") for v in values),
    "split": lambda sep, text: text.split(sep),
    "tolist": _collection(lambda v: list(v) if not isinstance(v, dict) else list(v.values())),
    "toset": _collection(lambda v: _distinct(sorted(v, key=str) if all(isinstance(x, str) for x in v) else v)),
    "tomap": _collection(lambda v: dict(v)),
    "tostring": _tostring, "tonumber": lambda v: None if v is None else number(v, None, ""),
    "tobool": lambda v: v if isinstance(v, bool) or v is None else {"true": True, "false": False}[v],
    "length": _length, "element": _element, "flatten": _collection(_flatten),
    "keys": _collection(lambda m: sorted(m)), "values": _collection(lambda m: [m[k] for k in sorted(m)]),
    "upper": lambda s: s.upper(), "lower": lambda s: s.lower(), "title": lambda s: s.title(),
    "replace": lambda s, old, new: s.replace(old, new) if not (old.startswith("/") and old.endswith("/")) else Unknown(
        "replace()", None, "regular-expression replace() is not evaluated"),
    "substr": lambda s, offset, length: s[int(offset):] if int(length) < 0 else s[int(offset):int(offset) + int(length)],
    "trimspace": lambda s: s.strip(), "trimprefix": lambda s, p: s[len(p):] if s.startswith(p) else s,
    "trimsuffix": lambda s, p: s[:-len(p)] if p and s.endswith(p) else s, "trim": lambda s, chars: s.strip(chars),
    "startswith": lambda s, p: s.startswith(p), "endswith": lambda s, p: s.endswith(p),
    "contains": _collection(lambda values, v: v in values), "distinct": _collection(_distinct),
    "compact": _collection(lambda values: [v for v in values if v not in (None, "")]),
    "range": _range, "zipmap": _collection(lambda ks, vs: dict(zip(ks, vs))),
    "min": lambda *n: min(n), "max": lambda *n: max(n), "abs": abs, "ceil": math.ceil, "floor": math.floor,
    "sum": _collection(lambda values: sum(values)), "index": lambda values, v: values.index(v),
    "slice": lambda values, a, b: values[int(a):int(b)], "sort": _collection(lambda values: sorted(values)),
    "reverse": _collection(lambda values: list(reversed(values))), "one": _collection(_one),
    "jsonencode": _collection(lambda v: json.dumps(v, separators=(",", ":"))),
    "jsondecode": lambda s: json.loads(s), "can": None, "try": None,
}
FUNCTIONS = {k: v for k, v in FUNCTIONS.items() if v is not None}
