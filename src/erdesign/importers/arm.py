"""ARM deployment templates: parameters, variables, copy loops, nested child resources.

Each resource of the template is evaluated (every ``[...]`` expression inside
it) into the REST layout :mod:`build` reads. A resource ARM itself would refuse
(expression syntax error, unknown parameter, a name that does not fit its type)
is left out with a located error; the rest of the template still loads.
"""
from __future__ import annotations

from typing import Any, Optional

from ..errors import InputError, Loc, did_you_mean
from .arm_budget import BudgetExceeded, over_budget
from .arm_expr import CURRENT_RG, CURRENT_SUB, MAX_EXPANSION, ArmError, Evaluator, Scope
from .jsonloc import Document, LocDict, LocList
from .resources import RawResource, format_id
from .values import Unknown

_NOT_EVALUATED = {"resources", "copy", "condition", "dependson", "comments", "metadata", "existing"}


class ParameterValues:
    """Values from an ARM parameters file (``{"parameters": {"x": {"value": ...}}}``)."""

    def __init__(self, root: Any, doc: Document):
        self.file = doc.file
        self.values: dict[str, tuple[Any, Optional[Loc], Optional[Loc]]] = {}  # name.lower() -> (value, loc, key loc)
        self.used: set[str] = set()
        if not isinstance(root, dict):
            raise InputError("an ARM parameters file is a JSON object with a 'parameters' member",
                             getattr(root, "loc", None), file=doc.file)
        schema = root.get("$schema")
        if isinstance(schema, str) and "deploymentparameters" not in schema.lower():
            raise InputError(f"$schema '{schema}' is not an ARM parameters file schema "
                             "(…/deploymentParameters.json#)", root.value_loc("$schema"))
        params = root.get("parameters", None if "$schema" in root or "contentVersion" in root else root)
        if not isinstance(params, dict):
            raise InputError("an ARM parameters file needs a 'parameters' object", root.loc)
        for name, entry in params.items():
            key_loc = params.key_locs.get(name) if isinstance(params, LocDict) else None
            if not isinstance(entry, dict) or not ("value" in entry or "reference" in entry):
                raise InputError(f"parameter '{name}': expected {{\"value\": ...}} or a Key Vault "
                                 "{\"reference\": ...}", params.value_loc(name) if isinstance(params, LocDict) else None)
            if "value" in entry:
                self.values[name.lower()] = (entry["value"], entry.value_loc("value"), key_loc)
            else:
                self.values[name.lower()] = (
                    Unknown(f"parameter '{name}' (Key Vault reference)", entry.value_loc("reference"),
                            "a Key Vault secret is read only at deployment"),
                    entry.value_loc("reference"), key_loc)


class Template:
    def __init__(self, root: LocDict, doc: Document, parameters: Optional[ParameterValues]):
        self.root = root
        self.doc = doc
        self.file = doc.file
        self.param_values = parameters
        self.params = _ci_members(root.get("parameters"))
        self.vars = _ci_members(root.get("variables"))
        self.var_copies: dict[str, tuple[Any, Optional[Loc]]] = {}
        copies = root.get("variables", {}).get("copy") if isinstance(root.get("variables"), dict) else None
        if isinstance(copies, list):
            for i, loop in enumerate(copies):
                if isinstance(loop, dict) and isinstance(loop.get("name"), str):
                    self.var_copies[loop["name"].lower()] = (loop, copies.value_loc(i))
        self._param_cache: dict = {}
        self._var_cache: dict = {}
        self._busy: set = set()
        self.notes: list[Unknown] = []
        self.scope = Scope(self.parameter, self.variable)
        self.ev = Evaluator(self.scope, self._locate, self.notes)

    def _locate(self, loc: Loc, index: int) -> Loc:
        if loc is None or loc.file != self.file:
            return loc
        return self.doc.loc_in_string(loc, index)

    # ---- scope callbacks
    def parameter(self, name: str, where: Optional[Loc]):
        key = name.lower()
        if key in self._param_cache:
            return self._param_cache[key]
        decl = self.params.get(key)
        if decl is None:
            raise ArmError(f"parameters('{name}'): the template declares no parameter '{name}'"
                           f"{did_you_mean(name, [d[0] for d in self.params.values()])}", where)
        pname, body, decl_loc = decl
        if key in self._busy:
            raise ArmError(f"parameter '{pname}' depends on itself", where)
        self._busy.add(key)
        try:
            if self.param_values is not None and key in self.param_values.values:
                value, loc, _ = self.param_values.values[key]
                self.param_values.used.add(key)
                result = (value, loc)
            elif isinstance(body, dict) and _ci_get(body, "defaultValue") is not None:
                dkey = _ci_get(body, "defaultValue")
                result = self.ev.tree(body[dkey], body.value_loc(dkey))
            else:
                result = (Unknown(f"parameters('{pname}')", decl_loc,
                                  f"parameter '{pname}' has no defaultValue and no value in a --parameters file"),
                          decl_loc)
        finally:
            self._busy.discard(key)
        self._param_cache[key] = result
        return result

    def variable(self, name: str, where: Optional[Loc]):
        key = name.lower()
        if key in self._var_cache:
            return self._var_cache[key]
        if key in self._busy or ("var:" + key) in self._busy:
            raise ArmError(f"variable '{name}' depends on itself", where)
        self._busy.add("var:" + key)
        try:
            if key in self.var_copies:
                loop, loop_loc = self.var_copies[key]
                holder = LocDict(loc=loop_loc)
                self.ev._property_copy(LocList([loop], loc=loop_loc), loop_loc, holder)
                result = (holder[loop["name"]], loop_loc)
            else:
                decl = self.vars.get(key)
                if decl is None:
                    raise ArmError(f"variables('{name}'): the template defines no variable '{name}'"
                                   f"{did_you_mean(name, [d[0] for d in self.vars.values()] + list(self.var_copies))}",
                                   where)
                result = self.ev.tree(decl[1], decl[2])
        finally:
            self._busy.discard("var:" + key)
        self._var_cache[key] = result
        return result

    # ---- resources
    def resources(self) -> tuple[list[RawResource], list[InputError]]:
        out: list[RawResource] = []
        errors: list[InputError] = []
        listed = self.root.get("resources")
        if isinstance(listed, LocDict):  # languageVersion 2.0: symbolic names
            entries = [(v, listed.value_loc(k)) for k, v in listed.items()]
        elif isinstance(listed, LocList):
            entries = [(v, listed.value_loc(i)) for i, v in enumerate(listed)]
        else:
            entries = []
        for res, loc in entries:
            self._resource(res, loc, None, out, errors)
            if self.ev.budget.exhausted:  # said once; the rest would fail the same way
                break
        return out, errors

    def _resource(self, res: Any, loc: Optional[Loc], parent: Optional[RawResource], out: list, errors: list):
        if not isinstance(res, LocDict):
            errors.append(InputError("a template resource must be a JSON object", loc))
            return
        copy = res.get("copy")
        if isinstance(copy, dict):
            try:
                count, count_loc = self.ev.tree(copy.get("count", 0), copy.value_loc("count"))
            except ArmError as exc:
                errors.append(exc)
                return
            loop_name = copy.get("name") if isinstance(copy.get("name"), str) else None
            if isinstance(count, Unknown):
                self.notes.append(Unknown(count.text, count_loc, f"the copy count is unknown ({count.why}); "
                                                                 "the resource is left out", "IMP002"))
                return
            if not isinstance(count, int) or isinstance(count, bool) or not 0 <= count <= MAX_EXPANSION:
                errors.append(ArmError(f"copy count must be a whole number from 0 to {MAX_EXPANSION}, got {count!r}",
                                       count_loc))
                return
            saved = dict(self.scope.copy_index)
            try:
                self.ev.budget.enter_copy(count, loop_name or "copy")
            except BudgetExceeded as exc:
                errors.append(over_budget(ArmError(str(exc), count_loc)))
                return
            try:
                for i in range(count):
                    self.scope.copy_index[None] = i
                    if loop_name:
                        self.scope.copy_index[loop_name] = i
                    self._one(res, loc, parent, out, errors)
                    if self.ev.budget.exhausted:
                        break
            finally:
                self.scope.copy_index = saved
                self.ev.budget.leave_copy(count)
            return
        self._one(res, loc, parent, out, errors)

    def _one(self, res: LocDict, loc: Optional[Loc], parent: Optional[RawResource], out: list, errors: list):
        try:
            if "condition" in res:
                cond, cond_loc = self.ev.tree(res["condition"], res.value_loc("condition"))
                if cond is False:
                    return
                if isinstance(cond, Unknown):
                    self.notes.append(Unknown(cond.text, cond_loc, f"the resource's condition is unknown ({cond.why}); "
                                                                   "it is imported as if deployed", "IMP002"))
            rtype, type_loc = self.ev.tree(res.get("type"), res.value_loc("type"))
            if not isinstance(rtype, str) or "/" not in rtype and parent is None:
                raise ArmError(f"resource type must be a string such as 'Microsoft.Network/virtualNetworks', "
                               f"got {rtype!r}", type_loc or loc)
            if parent is not None and not rtype.lower().startswith(parent.type.split("/")[0].lower() + "/"):
                rtype = f"{parent.type}/{rtype}"
            self.ev.placeholders = True
            try:
                name, name_loc = self.ev.tree(res.get("name"), res.value_loc("name"))
            finally:
                self.ev.placeholders = False
            if isinstance(name, Unknown):
                name = "{" + name.text + "}"
            if not isinstance(name, str) or not name:
                raise ArmError(f"{rtype}: resource name must be a non-empty string", name_loc or loc)
            if parent is not None and "/" not in name:
                name = f"{parent.extra['full_name']}/{name}"
            segments = rtype.split("/")
            names = name.split("/")
            if len(names) != len(segments) - 1:
                raise ArmError(f"name '{name}' has {len(names)} segment{'s' if len(names) > 1 else ''} but type "
                               f"{rtype} needs {len(segments) - 1}", name_loc)
            body = LocDict(loc=res.loc)
            for key, value in res.items():
                if key.lower() in _NOT_EVALUATED:
                    continue
                if key.lower() == "name":
                    body["name"] = names[-1]
                    body.locs["name"] = name_loc
                    continue
                evaluated, where = self.ev.tree(value, res.value_loc(key))
                body[key] = evaluated
                body.locs[key] = where
                body.key_locs[key] = res.key_locs.get(key)
            rid = format_id(CURRENT_SUB, CURRENT_RG, ["/".join(segments[:2])] + segments[2:], names)
            api = res.get("apiVersion") if isinstance(res.get("apiVersion"), str) else None
            record = RawResource(type=rtype, id=rid, name=names[-1], body=body, loc=res.loc, file=self.file,
                                 source="arm", api_version=api, name_loc=name_loc,
                                 extra={"full_name": name})
        except ArmError as exc:
            errors.append(exc)
            return
        except (TypeError, AttributeError, ValueError, KeyError, IndexError) as exc:
            errors.append(InputError(f"template resource: a value has an unexpected shape "
                                     f"({type(exc).__name__}: {exc})", loc))
            return
        out.append(record)
        children = res.get("resources")
        if isinstance(children, LocList):
            for i, child in enumerate(children):
                self._resource(child, children.value_loc(i), record, out, errors)

    def unused_parameter_values(self) -> list[tuple[str, Optional[Loc]]]:
        if self.param_values is None:
            return []
        return [(k, v[2]) for k, v in self.param_values.values.items() if k not in self.params]


def _ci_members(obj: Any) -> dict[str, tuple[str, Any, Optional[Loc]]]:
    """name.lower() -> (name, value, value loc) for the members of a parameters/variables object."""
    if not isinstance(obj, LocDict):
        return {}
    return {k.lower(): (k, v, obj.value_loc(k)) for k, v in obj.items() if k.lower() != "copy"}


def _ci_get(obj: dict, key: str):
    lowered = key.lower()
    return next((k for k in obj if k.lower() == lowered), None)


def read(root: LocDict, doc: Document, parameters: Optional[ParameterValues]):
    """Resources of one template; returns (resources, errors, unknown notes)."""
    template = Template(root, doc, parameters)
    resources, errors = template.resources()
    return resources, errors, template.notes, template
