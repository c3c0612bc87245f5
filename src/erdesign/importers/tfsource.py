"""Terraform configurations read from their ``.tf`` source, without a plan or a cloud.

Every ``.tf`` file of a module folder is one configuration, parsed with python-hcl2 (its Lark
tree keeps the line and column of every expression). Variables take their values from defaults,
``terraform.tfvars``, ``*.auto.tfvars`` and ``--var-file`` files (later wins, as in Terraform);
locals, ``count``/``for_each`` over known values, nested and ``dynamic`` blocks and local modules
(``source = "./modules/er"``, followed with their inputs) are evaluated by :mod:`tfeval`.

The result is written in the shape of ``terraform show -json`` (``planned_values`` with child
modules, and ``configuration`` with each expression's references), and read by the same
:mod:`terraform` mapping as a plan, so a ``.tf`` file and the plan of the same configuration
give the same design. Every value keeps the ``.tf`` location of its expression; what cannot be
known without Azure is an :class:`~.values.Unknown` at that location, never absent.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any, Iterable, Optional

from ..errors import InputError, Loc
from .jsonloc import LocDict, LocList
from .tfeval import (MAX_INSTANCES, Budget, EvalError, Evaluator, Scope, identifier_name, loc_of, parts,
                     string_literal)
from .values import Unknown

TF_SUFFIX = ".tf"
TFVARS_SUFFIXES = (".tfvars",)
MAX_MODULE_DEPTH = 16
_META_ARGUMENTS = {"count", "for_each", "depends_on", "lifecycle", "provider", "provisioner", "connection"}
# Names Terraform computes at apply: a reference to any other attribute of a managed resource is
# to what the configuration sets.
_APPLY_TIME = "known only after apply: Azure assigns it when the resource is created"


@dataclass
class Block:
    kind: str
    labels: list[str]
    body: Any  # lark Tree of the block body
    file: str
    loc: Loc


@dataclass
class ModuleSource:
    """One module folder's blocks, by kind."""

    folder: str
    blocks: list[Block] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)

    def of(self, kind: str) -> list[Block]:
        return [b for b in self.blocks if b.kind == kind]


def parse_file(text: str, file: str):
    """python-hcl2's Lark tree of one file; a syntax error is an InputError at its line:col."""
    import hcl2
    from lark.exceptions import LarkError, UnexpectedInput

    try:
        return hcl2.parses_to_tree(text)
    except UnexpectedInput as exc:
        line, col = getattr(exc, "line", 1) or 1, getattr(exc, "column", 1) or 1
        token = getattr(exc, "token", None)
        what = f"unexpected {str(token)[:40]!r}" if token is not None else "unexpected input"
        raise InputError(f"not valid HCL (Terraform): {what}", Loc(file, max(line, 1), max(col, 1))) from None
    except (LarkError, RecursionError) as exc:
        raise InputError(f"not valid HCL (Terraform): {type(exc).__name__}", Loc(file, 1, 1)) from None


def blocks_of(tree, file: str) -> Iterable[Block]:
    body = tree.children[0] if tree.children else None
    for item in parts(body) if body is not None else []:
        if getattr(item, "data", None) != "block":
            continue
        yield block_from(item, file)


def block_from(item, file: str) -> Block:
    children = parts(item)
    kind = identifier_name(children[0]) or ""
    labels = [string_literal(c) or "" for c in children[1:-1]]
    return Block(kind, labels, children[-1], file, loc_of(item, file))


def body_items(body) -> tuple[list, list]:
    """(attributes, nested blocks) of a block body."""
    attributes, blocks = [], []
    for item in parts(body):
        if item.data == "attribute":
            attributes.append(item)
        elif item.data == "block":
            blocks.append(item)
    return attributes, blocks


def attribute_parts(attribute) -> tuple[str, Any]:
    inner = parts(attribute)
    return identifier_name(inner[0]) or "", inner[-1]


def read_module_folder(folder: str, read_text) -> ModuleSource:
    source = ModuleSource(folder)
    names = sorted(n for n in os.listdir(folder) if n.endswith(TF_SUFFIX) and not n.startswith("."))
    if not names:
        raise InputError("the module folder holds no .tf file", file=folder)
    for name in names:
        path = os.path.join(folder, name)
        text = read_text(path)
        source.texts[path] = text
        source.blocks.extend(blocks_of(parse_file(text, path), path))
    return source


# --------------------------------------------------------------------------- evaluation of one module

class Namespace(dict):
    """A mapping of names whose missing members are unknown rather than an error (data sources, …)."""

    def __init__(self, label: str, why: str, loc: Optional[Loc] = None, values: Optional[dict] = None):
        super().__init__(values or {})
        self.label, self.why, self.loc = label, why, loc

    def missing(self, name: str, loc: Loc) -> Unknown:
        sep = "" if name.startswith("[") else "."
        return Unknown(f"{self.label}{sep}{name}", loc, self.why)


class ResourceInstance(Namespace):
    """What other resources see of a resource: the attributes the configuration sets; the rest
    (`id`, a nested block's computed attribute) is assigned by Azure at apply."""

    def __init__(self, address: str, values: dict, loc: Loc):
        super().__init__(address, _APPLY_TIME, loc, {k: _apply_time_view(f"{address}.{k}", v, loc)
                                                      for k, v in values.items()})


def _apply_time_view(label: str, value: Any, loc: Loc) -> Any:
    if isinstance(value, dict):
        return Namespace(label, _APPLY_TIME, loc, {k: _apply_time_view(f"{label}.{k}", v, loc)
                                                   for k, v in value.items()})
    if isinstance(value, list):
        return [_apply_time_view(f"{label}[{i}]", v, loc) for i, v in enumerate(value)]
    return value


@dataclass
class Reader:
    read_text: Any
    var_files: list[str]
    problems: list[InputError] = field(default_factory=list)
    notes: list[Unknown] = field(default_factory=list)
    sources: dict[str, str] = field(default_factory=dict)
    instances: int = 0
    evaluator: Evaluator = field(default_factory=lambda: Evaluator(Budget()))


class ModuleEval:
    """Evaluates one module instance: variables, locals, resources, outputs, child modules."""

    def __init__(self, reader: Reader, source: ModuleSource, prefix: str, inputs: dict[str, Any], depth: int):
        self.reader = reader
        self.source = source
        self.prefix = prefix  # "" or "module.er." (with instance keys: module.er[0].)
        self.depth = depth
        self.ev = reader.evaluator
        self.variables = self._variables(inputs)
        self.local_exprs: dict[str, tuple[Any, str]] = {}
        for block in source.of("locals"):
            for attribute in body_items(block.body)[0]:
                name, expr = attribute_parts(attribute)
                self.local_exprs[name] = (expr, block.file)
        self.local_values: dict[str, Any] = {}
        self.locals_in_progress: set[str] = set()
        self.resources: dict[tuple[str, str], Block] = {(b.labels[0], b.labels[1]): b
                                                         for b in source.of("resource") if len(b.labels) == 2}
        self.resource_values: dict[tuple[str, str], Any] = {}
        self.modules: dict[str, Block] = {b.labels[0]: b for b in source.of("module") if b.labels}
        self.module_outputs: dict[str, Any] = {}
        self.children: list[ModuleEval] = []
        self.instances: list[LocDict] = []
        self.config_resources: list[dict] = []
        self.module_calls: dict[str, dict] = {}

    # ---------------------------------------------------------------- names
    def scope(self, file: str, **loops) -> Scope:
        names: dict[str, Any] = {
            "var": self.variables,
            "local": LazyNamespace(lambda name: self.local(name, Loc(self.source.folder, 1, 1))),
            "module": LazyNamespace(lambda name: self.module_output(name, Loc(self.source.folder, 1, 1))),
            "data": Namespace("data", "a data source is read from Azure at plan time"),
            "path": {"module": self.source.folder, "root": self.source.folder, "cwd": "."},
            "terraform": {"workspace": "default"},
        }
        return Scope(file, ResourceNames(self, names), dict(loops))

    def _variables(self, inputs: dict[str, Any]) -> Namespace:
        values: dict[str, Any] = {}
        for block in self.source.of("variable"):
            if not block.labels:
                continue
            name = block.labels[0]
            attributes = dict(attribute_parts(a) for a in body_items(block.body)[0])
            if name in inputs:
                values[name] = inputs[name]
            elif "default" in attributes:
                values[name] = self.ev.eval(attributes["default"], Scope(block.file, {}))
            else:
                values[name] = Unknown(f"var.{name}", block.loc,
                                       "the variable has no default and no value in the tfvars files read "
                                       "(pass one with --var-file)")
        return Namespace("var", "no such variable is declared", values=values)

    def local(self, name: str, loc: Loc) -> Any:
        if name in self.local_values:
            return self.local_values[name]
        if name not in self.local_exprs:
            return Unknown(f"local.{name}", loc, "no such local value is declared")
        if name in self.locals_in_progress:
            expr, file = self.local_exprs[name]
            raise InputError(f"local.{name} refers to itself", loc_of(expr, file))
        self.locals_in_progress.add(name)
        expr, file = self.local_exprs[name]
        try:
            value = self.ev.eval(expr, self.scope(file))
        finally:
            self.locals_in_progress.discard(name)
        self.local_values[name] = value
        return value

    def resource_value(self, rtype: str, name: str) -> Any:
        key = (rtype, name)
        if key not in self.resource_values:
            self.resource_values[key] = Unknown(f"{rtype}.{name}", self.resources[key].loc,
                                                "refers to itself through its own attributes")
            self.resource_values[key] = self._expand(self.resources[key], as_view=True)
        return self.resource_values[key]

    # ---------------------------------------------------------------- resources
    def run(self) -> None:
        for block in self.resources.values():
            self._emit_resource(block)
        for name, block in self.modules.items():
            self._module(name, block)

    def _instances(self, block: Block, tally: bool = True) -> list[tuple[str, dict]]:
        """(address suffix, loop names) of each instance of a resource or module block, from count/for_each."""
        attributes = dict(attribute_parts(a) for a in body_items(block.body)[0])
        scope = self.scope(block.file)
        if "count" in attributes:
            count = self.ev.eval(attributes["count"], scope)
            if isinstance(count, Unknown):
                self.reader.notes.append(Unknown(f"count of {'.'.join(block.labels)}", loc_of(attributes["count"], block.file),
                                                 f"count is not known ({count.why}); read as one instance"))
                return [("[0]", {"count": {"index": 0}})]
            if isinstance(count, bool) or not isinstance(count, int) or count < 0:
                raise InputError("count must be a whole number", loc_of(attributes["count"], block.file))
            if count > MAX_INSTANCES:
                raise InputError(f"count of {count:,} is past {MAX_INSTANCES:,} instances",
                                 loc_of(attributes["count"], block.file))
            if tally:
                self._count_instances(count, attributes["count"], block.file)
            return [(f"[{i}]", {"count": {"index": i}}) for i in range(count)]
        if "for_each" in attributes:
            collection = self.ev.eval(attributes["for_each"], scope)
            if isinstance(collection, Unknown):
                self.reader.notes.append(Unknown(f"for_each of {'.'.join(block.labels)}",
                                                 loc_of(attributes["for_each"], block.file),
                                                 f"for_each is not known ({collection.why}); read as one instance"))
                return [("", {"each": Namespace("each", collection.why, collection.loc)})]
            if isinstance(collection, list):
                pairs = [(str(v), v) for v in collection]
            elif isinstance(collection, dict):
                pairs = list(collection.items())
            else:
                raise InputError("for_each needs a map or a set of strings", loc_of(attributes["for_each"], block.file))
            if len(pairs) > MAX_INSTANCES:
                raise InputError(f"for_each over {len(pairs):,} items is past {MAX_INSTANCES:,} instances",
                                 loc_of(attributes["for_each"], block.file))
            if tally:
                self._count_instances(len(pairs), attributes["for_each"], block.file)
            return [(f'["{key}"]', {"each": {"key": key, "value": value}}) for key, value in pairs]
        return [("", {})]

    def _count_instances(self, n: int, node, file: str) -> None:
        """All blocks' instances together stay within twice one block's budget (about a 10,000-VNet estate)."""
        self.reader.instances += n
        if self.reader.instances > 2 * MAX_INSTANCES:
            raise InputError(f"the configuration expands to more than {2 * MAX_INSTANCES:,} instances",
                             loc_of(node, file))

    def _expand(self, block: Block, as_view: bool = False):
        """What `type.name` evaluates to for other expressions: one instance, a list (count) or a map (for_each)."""
        rtype, name = block.labels
        attributes = dict(attribute_parts(a) for a in body_items(block.body)[0])
        instances = self._instances(block, tally=False)  # counted once, when the block is emitted
        views = []
        for suffix, loops in instances:
            values, _ = self._body_values(block.body, block.file, loops)
            views.append((suffix, ResourceInstance(f"{self.prefix}{rtype}.{name}{suffix}", dict(values), block.loc)))
        if "count" in attributes:
            return [view for _, view in views]
        if "for_each" in attributes:
            return {suffix[2:-2]: view for suffix, view in views if suffix}
        return views[0][1]

    def _emit_resource(self, block: Block) -> None:
        rtype, name = block.labels
        for suffix, loops in self._instances(block):
            values, _ = self._body_values(block.body, block.file, loops)
            address = f"{self.prefix}{rtype}.{name}{suffix}"
            entry = LocDict({"address": address, "mode": "managed", "type": rtype, "name": name, "values": values},
                            loc=block.loc)
            entry.locs.update({"address": block.loc, "type": block.loc, "name": block.loc, "values": values.loc})
            if suffix:
                key = suffix[1:-1]
                entry["index"] = int(key) if key.isdecimal() else key.strip('"')
            self.instances.append(entry)
        self.config_resources.append({"address": f"{rtype}.{name}", "mode": "managed", "type": rtype, "name": name,
                                      "expressions": self._references(block.body, block.file)})

    def _body_values(self, body, file: str, loops: dict) -> tuple[LocDict, dict]:
        """A block body's attributes and nested blocks as located values."""
        values = LocDict(loc=loc_of(body, file))
        attributes, blocks = body_items(body)
        scope = self.scope(file, **loops)
        for attribute in attributes:
            name, expr = attribute_parts(attribute)
            if name in _META_ARGUMENTS:
                continue
            try:
                value = self.ev.eval(expr, scope)
            except EvalError as exc:
                self.reader.problems.append(InputError(exc.message, exc.loc or loc_of(expr, file)))
                value = Unknown(name, loc_of(expr, file), f"cannot be evaluated: {exc.message}")
            values[name] = located(value, loc_of(expr, file))
            values.locs[name] = loc_of(expr, file)
        for nested in blocks:
            inner = block_from(nested, file)
            if inner.kind in _META_ARGUMENTS:
                continue
            if inner.kind == "dynamic" and inner.labels:
                self._dynamic(inner, values, scope, loops)
                continue
            sub, _ = self._body_values(inner.body, file, loops)
            sub.loc = inner.loc
            target = values.setdefault(inner.kind, LocList(loc=inner.loc))
            if isinstance(target, LocList):
                target.append(sub)
                target.locs.append(inner.loc)
                values.locs.setdefault(inner.kind, inner.loc)
        return values, {}

    def _dynamic(self, block: Block, values: LocDict, scope: Scope, loops: dict) -> None:
        kind = block.labels[0]
        attributes, nested = body_items(block.body)
        attrs = dict(attribute_parts(a) for a in attributes)
        iterator = kind
        if "iterator" in attrs:
            iterator = identifier_name(parts(parts(attrs["iterator"])[0])[0]) if parts(attrs["iterator"]) else kind
        content = next((block_from(n, block.file) for n in nested if block_from(n, block.file).kind == "content"), None)
        if content is None or "for_each" not in attrs:
            return
        collection = self.ev.eval(attrs["for_each"], scope)
        target = values.setdefault(kind, LocList(loc=block.loc))
        values.locs.setdefault(kind, block.loc)
        if isinstance(collection, Unknown):
            self.reader.notes.append(Unknown(f"dynamic \"{kind}\"", loc_of(attrs["for_each"], block.file),
                                             f"its for_each is not known ({collection.why}); its blocks are left out"))
            return
        pairs = list(collection.items()) if isinstance(collection, dict) else list(enumerate(collection or []))
        for key, value in pairs:
            sub, _ = self._body_values(content.body, block.file, {**loops, iterator: {"key": key, "value": value}})
            sub.loc = content.loc
            target.append(sub)
            target.locs.append(content.loc)

    def _references(self, body, file: str) -> dict:
        """Terraform's `expressions` of a block: each attribute's references (locals followed to what they use)."""
        out: dict = {}
        attributes, blocks = body_items(body)
        for attribute in attributes:
            name, expr = attribute_parts(attribute)
            refs = self.references_of(expr, set())
            if refs:
                out[name] = {"references": refs}
        for nested in blocks:
            inner = block_from(nested, file)
            if inner.kind in ("dynamic", *_META_ARGUMENTS):
                continue
            out.setdefault(inner.kind, []).append(self._references(inner.body, file))
        return out

    def references_of(self, expr, seen: set) -> list[str]:
        refs: list[str] = []
        for chain in traversals(expr):
            if chain[0] == "local" and len(chain) > 1:
                if chain[1] not in seen and chain[1] in self.local_exprs:
                    seen.add(chain[1])
                    refs += [r for r in self.references_of(self.local_exprs[chain[1]][0], seen) if r not in refs]
                continue
            if chain[0] in ("var", "module") and len(chain) > 1:
                plain = [step.split("[", 1)[0] for step in chain]
                for ref in (".".join(plain[:3]) if chain[0] == "module" else ".".join(plain[:2]),):
                    if ref not in refs:
                        refs.append(ref)
            elif "_" in chain[0] and len(chain) >= 2 and (chain[0], chain[1].split("[", 1)[0]) in self.resources:
                for ref in (".".join(chain[:3]), ".".join(chain[:2])):
                    if ref not in refs:
                        refs.append(ref)
        return refs

    # ---------------------------------------------------------------- modules
    def _module(self, name: str, block: Block) -> None:
        if name in self.module_calls:
            return  # already read, when an earlier expression used its outputs
        attributes = dict(attribute_parts(a) for a in body_items(block.body)[0])
        source_expr = attributes.get("source")
        source = self.ev.eval(source_expr, self.scope(block.file)) if source_expr is not None else None
        call = {"source": source, "expressions": self._references(block.body, block.file)}
        self.module_calls[name] = call
        if not isinstance(source, str) or not source.startswith(("./", "../")):
            self.reader.notes.append(Unknown(f"module.{name}", block.loc,
                                             f"module source '{source}' is not a local folder: its resources are "
                                             "not read (only local modules are followed, offline)", "IMP004"))
            return
        if self.depth >= MAX_MODULE_DEPTH:
            raise InputError(f"modules nested deeper than {MAX_MODULE_DEPTH}", block.loc)
        folder = os.path.normpath(os.path.join(self.source.folder, source))
        if not os.path.isdir(folder):
            raise InputError(f"module source '{source}' is not a folder", loc_of(source_expr, block.file))
        child_source = read_module_folder(folder, self.reader.read_text)
        self.reader.sources.update(child_source.texts)
        instance_outputs: dict[str, Any] = {}
        for suffix, loops in self._instances(block):
            inputs = {}
            scope = self.scope(block.file, **loops)
            for arg, expr in attributes.items():
                if arg in _META_ARGUMENTS or arg in ("source", "version", "providers"):
                    continue
                try:
                    inputs[arg] = self.ev.eval(expr, scope)
                except EvalError as exc:
                    self.reader.problems.append(InputError(exc.message, exc.loc or loc_of(expr, block.file)))
                    inputs[arg] = Unknown(arg, loc_of(expr, block.file), f"cannot be evaluated: {exc.message}")
            child = ModuleEval(self.reader, child_source, f"{self.prefix}module.{name}{suffix}.", inputs, self.depth + 1)
            child.run()
            self.children.append(child)
            instance_outputs[suffix] = child.outputs()
        if "count" in attributes:
            self.module_outputs[name] = list(instance_outputs.values())
        elif "for_each" in attributes:
            self.module_outputs[name] = {suffix[2:-2]: out for suffix, out in instance_outputs.items() if suffix}
        elif instance_outputs:
            self.module_outputs[name] = instance_outputs[""]
        call["module"] = self.children[-1].configuration() if self.children else {}

    def outputs(self) -> Namespace:
        values = {}
        for block in self.source.of("output"):
            attributes = dict(attribute_parts(a) for a in body_items(block.body)[0])
            if block.labels and "value" in attributes:
                values[block.labels[0]] = self.ev.eval(attributes["value"], self.scope(block.file))
        return Namespace(self.prefix.rstrip("."), "no such output", values=values)

    def module_output(self, name: str, loc: Loc) -> Any:
        if name in self.module_outputs:
            return self.module_outputs[name]
        if name in self.modules:
            self._module(name, self.modules[name])
            if name in self.module_outputs:
                return self.module_outputs[name]
        return Namespace(f"module.{name}", "the module is not read", loc)

    def configuration(self) -> dict:
        outputs = {}
        for block in self.source.of("output"):
            attributes = dict(attribute_parts(a) for a in body_items(block.body)[0])
            if block.labels and "value" in attributes:
                outputs[block.labels[0]] = {"expression": {"references": self.references_of(attributes["value"], set())}}
        return {"resources": self.config_resources, "outputs": outputs, "module_calls": self.module_calls}

    def planned(self) -> LocDict:
        module = LocDict({"resources": LocList(self.instances, loc=None)}, loc=None)
        module["resources"].locs = [i.loc for i in self.instances]
        if self.prefix:
            module["address"] = self.prefix.rstrip(".")
        if self.children:
            module["child_modules"] = LocList([c.planned() for c in self.children])
            module["child_modules"].locs = [None] * len(self.children)
        return module


class LazyNamespace(dict):
    """`local.x` / `module.m`: every name is looked up on use (evaluated once, with cycles reported)."""

    def __init__(self, lookup):
        super().__init__()
        self.lookup = lookup

    def __contains__(self, name) -> bool:
        return True

    def __getitem__(self, name):
        return self.lookup(name)


class ResourceNames(dict):
    """Scope names: the fixed ones, then resource types of this module (`azurerm_virtual_network.hub`)."""

    def __init__(self, module: ModuleEval, fixed: dict):
        super().__init__(fixed)
        self.module = module

    def __contains__(self, name) -> bool:
        return dict.__contains__(self, name) or any(t == name for t, _ in self.module.resources)

    def __getitem__(self, name):
        if dict.__contains__(self, name):
            return dict.__getitem__(self, name)
        return ResourceType(self.module, name)


class ResourceType(Namespace):
    def __init__(self, module: ModuleEval, rtype: str):
        super().__init__(rtype, "no such resource in this module")
        self.module = module
        self.rtype = rtype

    def __contains__(self, name) -> bool:
        return (self.rtype, name) in self.module.resources

    def __getitem__(self, name):
        return self.module.resource_value(self.rtype, name)


def traversals(expr) -> list[list[str]]:
    """Every `a.b.c` chain in an expression, as names (index steps end a chain)."""
    chains: list[list[str]] = []

    def chain_of(node) -> Optional[list[str]]:
        if node.data == "expr_term":
            inner = parts(node)
            return chain_of(inner[0]) if len(inner) == 1 and hasattr(inner[0], "data") else None
        if node.data == "identifier":
            return [str(node.children[0])]
        if node.data == "get_attr_expr_term":
            base = chain_of(node.children[0])
            name = identifier_name(parts(node.children[-1])[0])
            return base + [name] if base is not None and name else base
        if node.data == "index_expr_term":
            base = chain_of(node.children[0])
            key = _literal_index(node.children[-1])
            if base is not None and key is not None:
                return base[:-1] + [f"{base[-1]}[{key}]"]  # as Terraform writes it: type.name[0]
            return base
        if node.data in ("attr_splat_expr_term", "full_splat_expr_term"):
            return chain_of(node.children[0])
        return None

    def walk(node) -> None:
        if not hasattr(node, "data"):
            return
        if node.data in ("get_attr_expr_term", "index_expr_term", "attr_splat_expr_term", "full_splat_expr_term"):
            found = chain_of(node)
            if found and len(found) > 1:
                chains.append(found)
                if node.data == "index_expr_term":
                    walk(node.children[-1])
                return
        for child in node.children:
            walk(child)

    walk(expr)
    return chains


def _literal_index(index_node) -> Optional[str]:
    """`0` or `"ams"` for a literal index (Terraform keeps those in references), else None."""
    inner = parts(index_node)
    if not inner:
        return None
    node = inner[0]
    while hasattr(node, "data") and node.data == "expr_term" and len(parts(node)) == 1:
        node = parts(node)[0]
    if hasattr(node, "data") and node.data == "int_lit":
        return str(node.children[0])
    if index_node.data == "short_index":
        return str(node)
    text = string_literal(node) if hasattr(node, "data") and node.data == "string" else None
    return f'"{text}"' if text is not None else None


def located(value: Any, loc: Loc) -> Any:
    """Lists and maps as LocList/LocDict whose members carry the expression's location."""
    if isinstance(value, dict) and not isinstance(value, LocDict):
        out = LocDict({k: located(v, loc) for k, v in value.items()}, loc=loc)
        out.locs = dict.fromkeys(value, loc)
        return out
    if isinstance(value, list) and not isinstance(value, LocList):
        out_list = LocList([located(v, loc) for v in value], loc=loc)
        out_list.locs = [loc] * len(value)
        return out_list
    return value


# --------------------------------------------------------------------------- entry point

def tfvars_values(paths: list[str], read_text, ev: Evaluator) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for path in paths:
        tree = parse_file(read_text(path), path)
        body = tree.children[0] if tree.children else None
        for item in parts(body) if body is not None else []:
            if getattr(item, "data", None) == "attribute":
                name, expr = attribute_parts(item)
                values[name] = ev.eval(expr, Scope(path, {}))
    return values


def auto_var_files(folder: str) -> list[str]:
    names = sorted(os.listdir(folder))
    out = [os.path.join(folder, "terraform.tfvars")] if "terraform.tfvars" in names else []
    out += [os.path.join(folder, n) for n in names if n.endswith(".auto.tfvars")]
    return out


def read_configuration(folder: str, read_text, var_files: Iterable[str] = ()) -> tuple[LocDict, Reader]:
    """The plan-shaped document of the configuration in `folder`, and the reader (problems, notes, sources)."""
    reader = Reader(read_text, list(var_files))
    source = read_module_folder(folder, read_text)
    reader.sources.update(source.texts)
    files = auto_var_files(folder) + list(var_files)
    for path in files:
        reader.sources[path] = read_text(path)
    declared = {b.labels[0] for b in source.of("variable") if b.labels}
    inputs = {k: v for k, v in tfvars_values(files, read_text, reader.evaluator).items() if k in declared}
    root = ModuleEval(reader, source, "", inputs, 0)
    root.run()
    first = next(iter(source.texts))
    plan = LocDict({
        "format_version": "1.2",
        "planned_values": LocDict({"root_module": root.planned()}, loc=Loc(first, 1, 1)),
        "configuration": {"root_module": root.configuration()},
    }, loc=Loc(first, 1, 1))
    return plan, reader
