"""ARM template functions that Bicep and Azure Verified Modules emit, beyond the core set of
:mod:`arm_expr`.

Checked against Microsoft's "ARM template functions" reference
(https://learn.microsoft.com/azure/azure-resource-manager/templates/template-functions and its array,
object, lambda and resource pages; read 2026-11-28): every array, comparison, logical, object and lambda
function it lists is evaluated here or in arm_expr; of the resource functions, the *ResourceId family is
evaluated, reference()/references()/resourceInfo()/list*()/pickZones() are unknown (reference() of an
inline deployment of the same template gives its outputs); date, deployment and environment functions
are unknown; base64ToString/dataUri/uri and user-defined functions are reported as not evaluated.

Two kinds of functions live here:

* ``PLAIN``: take their arguments already evaluated (``name -> (min args, max args, impl)``),
  merged into the evaluator's function table. An Unknown argument makes the result Unknown
  before they are called, as for every core function.
* ``LAZY``: take the evaluation context and the call node, and evaluate their arguments
  themselves, so that an Unknown only spreads where ARM would need it: ``coalesce`` stops at
  the first known non-null value, ``and``/``or`` short-circuit, ``tryGet`` of a missing key is
  null, lambdas bind ``lambdaVariables``.

``guid()`` and ``uniqueString()`` return deterministic placeholders (a hash of their
arguments, shaped like the real result) so that names built from them stay stable and
distinct; the real values depend on the deployment. A call whose arguments are unknown is
still unknown. ``reference()``, ``list*()`` and ``resourceInfo()`` of a resource outside the
template stay unknown.
"""
from __future__ import annotations

import hashlib
import re
import uuid
from typing import Any, Callable

from .arm_budget import check_union
from .values import Unknown

# --------------------------------------------------------------------------- helpers


def _is_int(v) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _key(obj: dict, name) -> Any:
    """The key of obj matching name case-insensitively (ARM property names are), or None."""
    if not isinstance(name, str):
        return None
    if name in obj:
        return name
    lowered = name.lower()
    return next((k for k in obj if isinstance(k, str) and k.lower() == lowered), None)


def _same(a, b) -> bool:
    if isinstance(a, dict) and isinstance(b, dict):
        return len(a) == len(b) and all(k in b and _same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    return type(a) is type(b) and a == b or (_is_int(a) and _is_int(b) and a == b)


def _identity(value):
    """A hashable key that two values share exactly when _same() holds for them (so arrays are
    deduplicated in linear time, not by comparing every pair)."""
    if isinstance(value, dict):
        return ("object", frozenset((k, _identity(v)) for k, v in value.items()))
    if isinstance(value, list):
        return ("array", tuple(_identity(v) for v in value))
    if _is_int(value):
        return ("int", int(value))
    try:
        hash(value)
    except TypeError:
        return ("other", type(value).__name__, repr(value))
    return (type(value).__name__, value)


_PLACEHOLDER = re.compile(r"\{[^{}]*\([^{}]*\)[^{}]*\}")  # {resourceGroup().name} inside a built ID


def _has_unknown(value) -> bool:
    if isinstance(value, Unknown):
        return True
    if isinstance(value, str):
        return bool(_PLACEHOLDER.search(value))
    if isinstance(value, dict):
        return any(_has_unknown(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_unknown(v) for v in value)
    return False


def _text(value) -> str:
    if isinstance(value, bool):
        return "True" if value else "False"
    return "" if value is None else str(value)


# --------------------------------------------------------------------------- plain functions

def _deep_union(a: dict, b: dict) -> dict:
    out = dict(a)
    for k, v in b.items():
        existing = _key(out, k)
        if existing is not None and isinstance(out[existing], dict) and isinstance(v, dict):
            out[existing] = _deep_union(out[existing], v)
        else:
            if existing is not None and existing != k:
                del out[existing]
            out[k] = v
    return out


def union(*values):
    """Arrays: items of all, without duplicates. Objects: merged, nested objects merged too."""
    if all(isinstance(v, dict) for v in values):
        out: dict = {}
        for v in values:
            out = _deep_union(out, v)
        return out
    if all(isinstance(v, list) for v in values):
        check_union(values)
        items: list = []
        seen: set = set()
        for v in values:
            for item in v:
                key = _identity(item)
                if key not in seen:
                    seen.add(key)
                    items.append(item)
        return items
    raise ValueError("union() takes all arrays or all objects")


def intersection(*values):
    if all(isinstance(v, dict) for v in values):
        first = values[0]
        return {k: v for k, v in first.items()
                if all((other_key := _key(o, k)) is not None and _same(o[other_key], v) for o in values[1:])}
    if all(isinstance(v, list) for v in values):
        check_union(values)
        others = [{_identity(x) for x in o} for o in values[1:]]
        out: list = []
        seen: set = set()
        for item in values[0]:
            key = _identity(item)
            if key not in seen and all(key in o for o in others):
                seen.add(key)
                out.append(item)
        return out
    raise ValueError("intersection() takes all arrays or all objects")


def shallow_merge(objects):
    if not isinstance(objects, list) or not all(isinstance(o, dict) for o in objects):
        raise ValueError("shallowMerge() takes an array of objects")
    out: dict = {}
    for o in objects:
        out.update(o)
    return out


def object_keys(obj):
    if not isinstance(obj, dict):
        raise ValueError("objectKeys() takes an object")
    return list(obj)


def items(obj):
    """An object as an array of {key, value}, sorted by key as ARM does."""
    if not isinstance(obj, dict):
        raise ValueError("items() takes an object")
    return [{"key": k, "value": obj[k]} for k in sorted(obj, key=lambda k: str(k).lower())]


def join(values, delimiter):
    if not isinstance(values, list) or not isinstance(delimiter, str):
        raise ValueError("join() takes an array of strings and a delimiter")
    return delimiter.join(_text(v) for v in values)


def flatten(values):
    if not isinstance(values, list):
        raise ValueError("flatten() takes an array of arrays")
    out: list = []
    for v in values:
        out.extend(v if isinstance(v, list) else [v])
    return out


def index_of(values, item):
    if isinstance(values, str):
        return values.lower().find(_text(item).lower())
    if isinstance(values, list):
        return next((i for i, x in enumerate(values) if _same(x, item)), -1)
    raise ValueError("indexOf() takes a string or an array")


def last_index_of(values, item):
    if isinstance(values, str):
        return values.lower().rfind(_text(item).lower())
    if isinstance(values, list):
        return next((i for i in range(len(values) - 1, -1, -1) if _same(values[i], item)), -1)
    raise ValueError("lastIndexOf() takes a string or an array")


def unique_string(*parts):
    """A stable 13-character placeholder shaped like ARM's uniqueString (a hash of the arguments)."""
    digest = hashlib.sha256("|".join(_text(p) for p in parts).encode()).digest()
    alphabet = "abcdefghijklmnopqrstuvwxyz234567"
    return "".join(alphabet[b % 32] for b in digest[:13])


def guid(*parts):
    """A stable GUID-shaped placeholder (a name-based UUID of the arguments)."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "|".join(_text(p) for p in parts)))


def tenant_resource_id(rtype, *names):
    if not isinstance(rtype, str) or "/" not in rtype:
        raise ValueError("needs a resource type such as 'Microsoft.Management/managementGroups'")
    type_parts = rtype.split("/")
    path = f"/providers/{type_parts[0]}/{type_parts[1]}/{names[0] if names else ''}"
    for t, n in zip(type_parts[2:], names[1:]):
        path += f"/{t}/{n}"
    return path


def extension_resource_id(base, rtype, *names):
    if not isinstance(base, str) or not isinstance(rtype, str) or "/" not in rtype:
        raise ValueError("needs a resource ID, a resource type and names")
    type_parts = rtype.split("/")
    path = f"{base.rstrip('/')}/providers/{type_parts[0]}/{type_parts[1]}/{names[0] if names else ''}"
    for t, n in zip(type_parts[2:], names[1:]):
        path += f"/{t}/{n}"
    return path


def cidr_host(network, index):
    import ipaddress

    net = ipaddress.ip_network(network, strict=False)
    if not _is_int(index) or not 0 <= index < net.num_addresses - 2:
        raise ValueError(f"{network} has no host #{index}")
    return str(net.network_address + 1 + index)


def contains(container, item):
    """Strings and arrays compare case-sensitively, object keys case-insensitively (ARM's documented rule)."""
    if isinstance(container, str):
        return _text(item) in container
    if isinstance(container, dict):
        return _key(container, _text(item)) is not None
    if isinstance(container, list):
        return any(_same(x, item) for x in container)
    raise ValueError("contains() takes an array, an object or a string")


def index_from_end(values, index):
    if not isinstance(values, list) or not _is_int(index) or not 1 <= index <= len(values):
        raise ValueError("indexFromEnd() takes an array and a position from 1 to its length")
    return values[-index]


def try_index_from_end(values, index):
    if not isinstance(values, list) or not _is_int(index) or not 1 <= index <= len(values):
        return None
    return values[-index]


def management_group_resource_id(*segments):
    parts = list(segments)
    type_index = next((i for i, p in enumerate(parts) if isinstance(p, str) and "/" in p), None)
    if type_index is None:
        raise ValueError("needs a resource type")
    group = parts[0] if type_index == 1 else "{managementGroup().name}"
    type_parts = parts[type_index].split("/")
    names = parts[type_index + 1:]
    path = (f"/providers/Microsoft.Management/managementGroups/{group}/providers/{type_parts[0]}/{type_parts[1]}/"
            f"{names[0] if names else ''}")
    for t, n in zip(type_parts[2:], names[1:]):
        path += f"/{t}/{n}"
    return path


PLAIN: dict[str, tuple[int, int, Callable]] = {
    "contains": (2, 2, contains),
    "indexfromend": (2, 2, index_from_end),
    "tryindexfromend": (2, 2, try_index_from_end),
    "managementgroupresourceid": (1, -1, management_group_resource_id),
    "union": (1, -1, union),
    "intersection": (1, -1, intersection),
    "shallowmerge": (1, 1, shallow_merge),
    "objectkeys": (1, 1, object_keys),
    "items": (1, 1, items),
    "join": (2, 2, join),
    "flatten": (1, 1, flatten),
    "indexof": (2, 2, index_of),
    "lastindexof": (2, 2, last_index_of),
    "tenantresourceid": (1, -1, tenant_resource_id),
    "extensionresourceid": (2, -1, extension_resource_id),
    "cidrhost": (2, 2, cidr_host),
    "float": (1, 1, lambda v: float(v)),
    "base64": (1, 1, lambda s: __import__("base64").b64encode(_text(s).encode()).decode()),
    "uricomponent": (1, 1, lambda s: __import__("urllib.parse").parse.quote(_text(s), safe="")),
}


# --------------------------------------------------------------------------- lazy functions
# Each takes (ctx, node) where ctx is the evaluator's per-expression context: ctx.eval(node) ->
# (value, origin), ctx.args(node, low, high), ctx.error(node, message), ctx.unknown(node, why),
# ctx.ev the template evaluator.


def _try_get(ctx, node):
    if len(node.args) < 2:
        raise ctx.error(node, f"tryGet() takes at least 2 arguments, got {len(node.args)}")
    value, origin = ctx.eval(node.args[0])
    for key_node in node.args[1:]:
        key, _ = ctx.eval(key_node)
        if isinstance(value, Unknown):
            return value, None
        if isinstance(key, Unknown):
            return key, None
        if value is None:
            return None, None
        if isinstance(value, dict):
            found = _key(value, key)
            if found is None:
                return None, None
            origin = value.locs.get(found) if hasattr(value, "locs") else None
            value = value[found]
        elif isinstance(value, list):
            if not _is_int(key):
                raise ctx.error(key_node, f"tryGet() index into an array must be a whole number, got {key!r}")
            if not -len(value) <= key < len(value):
                return None, None
            origin = value.locs[key] if hasattr(value, "locs") and 0 <= key < len(value.locs) else None
            value = value[key]
        else:
            raise ctx.error(node, "tryGet() takes an object or an array")
    return value, origin


def _coalesce(ctx, node):
    if not node.args:
        raise ctx.error(node, "coalesce() takes at least 1 argument, got 0")
    for arg in node.args:
        value, origin = ctx.eval(arg)
        if isinstance(value, Unknown):
            return value, None
        if value is not None:
            return value, origin
    return None, None


def _logical(is_and: bool):
    def fn(ctx, node):
        if len(node.args) < 2:
            raise ctx.error(node, f"{node.name}() takes at least 2 arguments, got {len(node.args)}")
        unknown = None
        for arg in node.args:
            value, _ = ctx.eval(arg)
            if isinstance(value, Unknown):
                unknown = unknown or value
                continue
            if not isinstance(value, bool):
                raise ctx.error(arg, f"{node.name}() takes bools")
            if value is not is_and:  # and(...false...) is false, or(...true...) is true, whatever else is unknown
                return value, None
        return (unknown, None) if unknown is not None else (is_and, None)
    return fn


def _if(ctx, node):
    if len(node.args) != 3:
        raise ctx.error(node, f"if() takes 3 arguments, got {len(node.args)}")
    cond, _ = ctx.eval(node.args[0])
    if isinstance(cond, Unknown):
        a, _ = ctx.eval(node.args[1])
        b, _ = ctx.eval(node.args[2])
        if not _has_unknown(a) and _same(a, b):
            return a, None
        return cond, None
    if not isinstance(cond, bool):
        raise ctx.error(node, "if() needs a bool condition")
    return ctx.eval(node.args[1] if cond else node.args[2])


def _hash(fn):
    def call(ctx, node):
        saved, ctx.ev.placeholders = ctx.ev.placeholders, False
        try:
            values = [ctx.eval(a)[0] for a in node.args]
        finally:
            ctx.ev.placeholders = saved
        if not values:
            raise ctx.error(node, f"{node.name}() takes at least 1 argument")
        unknown = next((v for v in values if _has_unknown(v)), None)
        if unknown is not None:
            return ctx.unknown(node, f"{node.name}() of a value known only at deployment"), None
        return fn(*values), None
    return call


def _reference(ctx, node):
    """reference('module') of an inline deployment of the same template gives its evaluated outputs;
    anything else is the runtime state of a deployed resource, unknown at design time."""
    if not node.args:
        raise ctx.error(node, "reference() takes at least 1 argument")
    values = [ctx.eval(a)[0] for a in node.args]
    target = values[0]
    outputs = getattr(ctx.ev, "module_outputs", None) or {}
    if isinstance(target, str):
        found = outputs.get(target)
        if found is None:
            parts = target.rstrip("/").split("/")
            if len(parts) >= 2 and parts[-2].lower() == "deployments":
                found = outputs.get(parts[-1])
        if found is not None:
            return found, None
    return ctx.unknown(node, "reference() gives the runtime state of a deployed resource, known only when ARM "
                             "deploys the template"), None


def _resource_info(ctx, node):
    for a in node.args:
        ctx.eval(a)
    return ctx.unknown(node, f"{node.name}() gives a deployed resource's properties, known only when ARM "
                             "deploys the template"), None


# ---- lambdas

def _lambda_vars(ctx) -> list:
    stack = getattr(ctx.ev, "lambda_frames", None)
    if stack is None:
        stack = []
        ctx.ev.lambda_frames = stack
    return stack


def _lambda_parts(ctx, node, count_low: int, count_high: int):
    """(parameter names, body node) of a lambda('a', 'b', body) argument."""
    lam = node
    if type(lam).__name__ != "Call" or lam.name.lower() != "lambda":
        raise ctx.error(node, "expected a lambda(...) here")
    if len(lam.args) < 2:
        raise ctx.error(lam, "lambda() takes parameter names and a body")
    names = []
    for a in lam.args[:-1]:
        value, _ = ctx.eval(a)
        if not isinstance(value, str):
            raise ctx.error(a, "lambda() parameter names are strings")
        names.append(value)
    if not count_low <= len(names) <= count_high:
        raise ctx.error(lam, f"this lambda takes {count_low}" + (f" to {count_high}" if count_high != count_low else "")
                        + f" parameter{'s' if count_high > 1 else ''}, got {len(names)}")
    return names, lam.args[-1]


def _apply(ctx, names, body, values):
    frames = _lambda_vars(ctx)
    frames.append(dict(zip(names, values)))
    try:
        return ctx.eval(body)[0]
    finally:
        frames.pop()


def _lambda_variables(ctx, node):
    (name,) = ctx.args(node, 1, 1)
    for frame in reversed(_lambda_vars(ctx)):
        if name in frame:
            return frame[name], None
    raise ctx.error(node, f"lambdaVariables('{name}') is used outside a lambda that declares it")


def _lambda_alone(ctx, node):
    raise ctx.error(node, "lambda() can only be an argument of filter, map, reduce, sort, toObject, groupBy or "
                          "mapValues")


def _array_arg(ctx, node, what="an array"):
    value, _ = ctx.eval(node.args[0])
    if isinstance(value, Unknown) or value is None and what == "an array or null":
        return value
    if not isinstance(value, list):
        raise ctx.error(node, f"{node.name}() takes {what} first")
    return value


def _need(ctx, node, low, high):
    if not low <= len(node.args) <= high:
        raise ctx.error(node, f"{node.name}() takes {low}" + (f" to {high}" if high != low else "")
                        + f" arguments, got {len(node.args)}")


def _map(ctx, node):
    _need(ctx, node, 2, 2)
    values = _array_arg(ctx, node)
    names, body = _lambda_parts(ctx, node.args[1], 1, 2)
    if isinstance(values, Unknown):
        return values, None
    return [_apply(ctx, names, body, [v, i]) for i, v in enumerate(values)], None


def _filter(ctx, node):
    _need(ctx, node, 2, 2)
    values = _array_arg(ctx, node)
    names, body = _lambda_parts(ctx, node.args[1], 1, 2)
    if isinstance(values, Unknown):
        return values, None
    out = []
    for i, v in enumerate(values):
        keep = _apply(ctx, names, body, [v, i])
        if isinstance(keep, Unknown):
            return keep, None
        if not isinstance(keep, bool):
            raise ctx.error(node.args[1], "filter()'s lambda must give a bool")
        if keep:
            out.append(v)
    return out, None


def _reduce(ctx, node):
    _need(ctx, node, 3, 3)
    values = _array_arg(ctx, node)
    acc, _ = ctx.eval(node.args[1])
    names, body = _lambda_parts(ctx, node.args[2], 2, 3)
    if isinstance(values, Unknown):
        return values, None
    for i, v in enumerate(values):
        acc = _apply(ctx, names, body, [acc, v, i])
    return acc, None


def _sort(ctx, node):
    import functools

    _need(ctx, node, 2, 2)
    values = _array_arg(ctx, node)
    names, body = _lambda_parts(ctx, node.args[1], 2, 2)
    if isinstance(values, Unknown):
        return values, None

    def compare(a, b):
        before = _apply(ctx, names, body, [a, b])
        if isinstance(before, Unknown):
            raise _Unknowable(before)
        return -1 if before else (1 if _apply(ctx, names, body, [b, a]) is True else 0)

    try:
        return sorted(values, key=functools.cmp_to_key(compare)), None
    except _Unknowable as exc:
        return exc.value, None


class _Unknowable(Exception):
    def __init__(self, value):
        super().__init__(value.text)
        self.value = value


def _to_object(ctx, node):
    _need(ctx, node, 2, 3)
    values = _array_arg(ctx, node)
    key_names, key_body = _lambda_parts(ctx, node.args[1], 1, 1)
    value_lambda = _lambda_parts(ctx, node.args[2], 1, 1) if len(node.args) == 3 else None
    if isinstance(values, Unknown):
        return values, None
    out: dict = {}
    for v in values:
        key = _apply(ctx, key_names, key_body, [v])
        if isinstance(key, Unknown):
            return key, None
        if not isinstance(key, str):
            raise ctx.error(node.args[1], "toObject()'s key lambda must give a string")
        out[key] = _apply(ctx, value_lambda[0], value_lambda[1], [v]) if value_lambda else v
    return out, None


def _group_by(ctx, node):
    _need(ctx, node, 2, 2)
    values = _array_arg(ctx, node)
    names, body = _lambda_parts(ctx, node.args[1], 1, 1)
    if isinstance(values, Unknown):
        return values, None
    out: dict = {}
    for v in values:
        key = _apply(ctx, names, body, [v])
        if isinstance(key, Unknown):
            return key, None
        out.setdefault(_text(key), []).append(v)
    return out, None


def _map_values(ctx, node):
    _need(ctx, node, 2, 2)
    obj, _ = ctx.eval(node.args[0])
    names, body = _lambda_parts(ctx, node.args[1], 1, 1)
    if isinstance(obj, Unknown):
        return obj, None
    if not isinstance(obj, dict):
        raise ctx.error(node, "mapValues() takes an object first")
    return {k: _apply(ctx, names, body, [v]) for k, v in obj.items()}, None


def _create_object(ctx, node):
    """createObject('a', x, 'b', y): names must be known; a value may be unknown (only that member is)."""
    if len(node.args) % 2:
        raise ctx.error(node, "createObject() takes name/value pairs")
    out: dict = {}
    for i in range(0, len(node.args), 2):
        key, _ = ctx.eval(node.args[i])
        if isinstance(key, Unknown):
            return key, None
        out[str(key)] = ctx.eval(node.args[i + 1])[0]
    return out, None


def _create_array(ctx, node):
    return [ctx.eval(a)[0] for a in node.args], None


LAZY: dict[str, Callable] = {
    "createobject": _create_object,
    "createarray": _create_array,
    "tryget": _try_get,
    "coalesce": _coalesce,
    "and": _logical(True),
    "or": _logical(False),
    "if": _if,
    "uniquestring": _hash(unique_string),
    "guid": _hash(guid),
    "resourceinfo": _resource_info,
    "reference": _reference,
    "references": _resource_info,
    "lambda": _lambda_alone,
    "lambdavariables": _lambda_variables,
    "map": _map,
    "filter": _filter,
    "reduce": _reduce,
    "sort": _sort,
    "toobject": _to_object,
    "groupby": _group_by,
    "mapvalues": _map_values,
}
