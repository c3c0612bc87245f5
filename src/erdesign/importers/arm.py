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
        self.symbol: Optional[str] = None  # languageVersion 2.0 symbolic name of the resource being read
        self.condition: Optional[Unknown] = None  # an enclosing deployment's unknown condition
        self.module_outputs: dict = {}  # 'symbol[i]' / deployment name -> evaluated outputs of an inline deployment
        self.depth = 0  # nesting of inline Microsoft.Resources/deployments templates
        self.scope = Scope(self.parameter, self.variable)
        self.ev = Evaluator(self.scope, self._locate, self.notes)
        self.ev.module_outputs = self.module_outputs

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
            given = self.param_values is not None and key in self.param_values.values
            if given and self.param_values.values[key][0] is None and isinstance(body, dict) \
                    and _ci_get(body, "defaultValue") is not None:
                given = False  # ARM uses a parameter's default when it is passed null (as Bicep modules do)
                self.param_values.used.add(key)
            if given:
                value, loc, _ = self.param_values.values[key]
                self.param_values.used.add(key)
                result = (value, loc)
            elif isinstance(body, dict) and _ci_get(body, "defaultValue") is not None:
                dkey = _ci_get(body, "defaultValue")
                result = self.ev.tree(body[dkey], body.value_loc(dkey))
            elif self._nullable(body) and (self.param_values is not None or self.depth > 0):
                result = (None, decl_loc)  # languageVersion 2.0: a nullable parameter left out is null
            elif self._nullable(body):
                result = (Unknown(f"parameters('{pname}')", decl_loc,
                                  f"parameter '{pname}' is optional (null unless given) and no --parameters file "
                                  "says whether it is given"), decl_loc)
            else:
                result = (Unknown(f"parameters('{pname}')", decl_loc,
                                  f"parameter '{pname}' has no defaultValue and no value in a --parameters file"),
                          decl_loc)
        finally:
            self._busy.discard(key)
        self._param_cache[key] = result
        return result

    def _nullable(self, body: Any) -> bool:
        """A parameter declared `nullable: true`, directly or through its `$ref` type definition."""
        seen = 0
        while isinstance(body, dict) and seen < 20:
            if body.get("nullable") is True:
                return True
            ref = body.get("$ref")
            if not isinstance(ref, str) or not ref.startswith("#/definitions/"):
                return False
            definitions = self.root.get("definitions")
            body = definitions.get(ref.rsplit("/", 1)[-1]) if isinstance(definitions, dict) else None
            seen += 1
        return False

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
            entries = [(v, listed.value_loc(k), k) for k, v in listed.items()]
        elif isinstance(listed, LocList):
            entries = [(v, listed.value_loc(i), None) for i, v in enumerate(listed)]
        else:
            entries = []
        for res, loc, symbol in entries:
            self.symbol = symbol
            self._resource(res, loc, None, out, errors)
            if self.ev.budget.exhausted:  # said once; the rest would fail the same way
                break
        self.symbol = None
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
        condition = None
        try:
            if res.get("existing") is True:
                return  # a reference to a resource deployed elsewhere, not part of this template's deployment
            if "condition" in res:
                cond, cond_loc = self.ev.tree(res["condition"], res.value_loc("condition"))
                if cond is False or cond is None:
                    return
                if isinstance(cond, Unknown):
                    condition = Unknown(cond.text, cond_loc, cond.why, cond.rule)
            rtype, type_loc = self.ev.tree(res.get("type"), res.value_loc("type"))
            if isinstance(rtype, str) and rtype.lower() == DEPLOYMENTS and parent is None:
                self._deployment(res, loc, condition, out, errors)
                return
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
            if isinstance(name, str) and is_placeholder_name(split_name(name)[-1]):
                unknown_name = Unknown(split_name(name)[-1][1:-1], name_loc, "the name is known only at deployment")
            else:
                unknown_name = None
            if not isinstance(name, str) or not name:
                raise ArmError(f"{rtype}: resource name must be a non-empty string", name_loc or loc)
            if parent is not None and "/" not in name:
                name = f"{parent.extra['full_name']}/{name}"
            segments = rtype.split("/")
            names = split_name(name)
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
            shown = names[-1]
            if unknown_name is not None:
                shown = self.symbol or segments[-1]  # never the expression itself as a name
            extra = {"full_name": name}
            if unknown_name is not None:
                extra["unknown_name"] = unknown_name
            if condition is not None or self.condition is not None:
                extra["condition"] = condition or self.condition
            record = RawResource(type=rtype, id=rid, name=shown, body=body, loc=res.loc, file=self.file,
                                 source="arm", api_version=api, name_loc=name_loc, extra=extra)
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

    def _deployment(self, res: LocDict, loc: Optional[Loc], condition: Optional[Unknown], out: list, errors: list):
        """A nested Microsoft.Resources/deployments: its inline template's resources join the design; a linked
        template (templateLink) is not read, and says so."""
        props = res.get("properties")
        props = props if isinstance(props, LocDict) else LocDict()
        template = props.get("template")
        if not isinstance(template, LocDict):
            link = props.get("templateLink")
            if link is not None:
                self.notes.append(Unknown("templateLink", props.value_loc("templateLink"),
                                          "a linked template is not read (only inline templates are); its resources "
                                          "are not imported", "IMP002"))
            return
        if self.depth >= MAX_NESTING:
            errors.append(ArmError(f"nested deployments deeper than {MAX_NESTING} levels", loc))
            return
        options = props.get("expressionEvaluationOptions")
        inner_scope = isinstance(options, dict) and str(options.get("scope", "")).lower() == "inner"
        given = None
        if inner_scope:
            params, _ = self.ev.tree(props.get("parameters", LocDict()), props.value_loc("parameters"))
            given = GivenValues(self.file, params)
        nested = Template(template, self.doc, given)
        nested.depth = self.depth + 1
        nested.condition = condition or self.condition
        if not inner_scope:  # outer scope: the inline template sees this template's parameters and variables
            nested.scope.parameter = self.parameter
            nested.scope.variable = self.variable
        nested.scope.copy_index = dict(self.scope.copy_index)
        resources, nested_errors = nested.resources()
        out.extend(resources)
        errors.extend(nested_errors)
        self.notes.extend(nested.notes)
        self._remember_outputs(res, nested, template)

    def _remember_outputs(self, res: LocDict, nested: "Template", template: LocDict):
        """The inline deployment's outputs, so that reference('module').outputs.x.value resolves."""
        outputs = template.get("outputs")
        if not isinstance(outputs, LocDict):
            return
        values = {}
        for key, entry in outputs.items():
            if not isinstance(entry, LocDict) or "value" not in entry:
                continue
            try:
                value, _ = nested.ev.tree(entry["value"], entry.value_loc("value"))
            except ArmError:
                continue
            values[key] = {"type": entry.get("type"), "value": value}
        result = {"outputs": values}
        index = self.scope.copy_index.get(None)
        if self.symbol:
            self.module_outputs[self.symbol if index is None else f"{self.symbol}[{index}]"] = result
        name, _ = self.ev.tree(res.get("name"), res.value_loc("name"))
        if isinstance(name, str):
            self.module_outputs[name] = result

    def unused_parameter_values(self) -> list[tuple[str, Optional[Loc]]]:
        if self.param_values is None:
            return []
        return [(k, v[2]) for k, v in self.param_values.values.items() if k not in self.params]


DEPLOYMENTS = "microsoft.resources/deployments"
# Implementation guard against runaway nesting, not an Azure limit.
MAX_NESTING = 10


def split_name(name: str) -> list[str]:
    """'a/b' -> ['a', 'b']; a '/' inside an unknown part ('{resourceId(...)}') does not split."""
    parts, depth, current = [], 0, ""
    for ch in name:
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth = max(depth - 1, 0)
        if ch == "/" and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += ch
    parts.append(current)
    return parts


def is_placeholder_name(text: str) -> bool:
    return text.startswith("{") and text.endswith("}")


class GivenValues:
    """Parameter values a parent template hands a nested inline template (``{"x": {"value": ...}}``)."""

    def __init__(self, file: str, params: Any):
        self.file = file
        self.used: set = set()
        self.values: dict = {}
        if isinstance(params, dict):
            for name, entry in params.items():
                if isinstance(entry, dict) and "value" in entry:
                    where = entry.value_loc("value") if isinstance(entry, LocDict) else None
                    self.values[name.lower()] = (entry["value"], where, None)
                elif isinstance(entry, dict) and "reference" in entry:
                    where = entry.value_loc("reference") if isinstance(entry, LocDict) else None
                    self.values[name.lower()] = (Unknown(f"parameter '{name}' (Key Vault reference)", where,
                                                         "a Key Vault secret is read only at deployment"), where, None)


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
