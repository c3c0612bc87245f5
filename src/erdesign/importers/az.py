"""az CLI JSON dumps (flattened layout) and ARM REST documents (``properties`` nested).

Accepted shapes: one resource (``az ... show``), an array (``az ... list``),
``{"value": [...]}`` (REST list, ``az rest``) and ``{"data": [...]}``
(``az graph query``). A resource is recognised by its ``type`` or ``id``;
the type may be in any case (Resource Graph writes it in lower case).
"""
from __future__ import annotations

from typing import Any

from ..errors import InputError
from .detect import resource_list
from .jsonloc import LocDict, LocList
from .resources import RawResource, format_id, parse_id


def read(root: Any, file: str) -> tuple[list[RawResource], list[InputError]]:
    found = resource_list(root)
    resources: list[RawResource] = []
    errors: list[InputError] = []
    if found is None:
        return resources, errors
    for i, item in enumerate(found):
        loc = found.value_loc(i) if isinstance(found, LocList) else getattr(item, "loc", None)
        if not isinstance(item, dict):
            errors.append(InputError(f"expected a resource object, found {type(item).__name__}", loc))
            continue
        res = _resource(item, file)
        if isinstance(res, InputError):
            errors.append(res)
        else:
            resources.append(res)
    return resources, errors


def _resource(item: LocDict, file: str):
    rid = item.get("id")
    rtype = item.get("type")
    name = item.get("name")
    aid = parse_id(rid) if isinstance(rid, str) else None
    if not isinstance(rtype, str) or "/" not in rtype:
        if aid is None:
            return InputError("resource has neither a type nor an ARM id", item.loc)
        rtype = aid.type
    if aid is None:
        if not isinstance(name, str) or not name:
            return InputError(f"{rtype} resource has no id and no name", item.loc)
        rg = item.get("resourceGroup") if isinstance(item.get("resourceGroup"), str) else "{resourceGroup}"
        segments = rtype.split("/")
        names = name.split("/")
        if len(names) != len(segments) - 1:
            return InputError(f"{rtype} resource '{name}' has no id, and its name does not give its parent",
                              item.value_loc("name"))
        rid = format_id("{subscription}", rg, ["/".join(segments[:2])] + segments[2:], names)
        aid = parse_id(rid)
    if not isinstance(name, str) or not name:
        name = aid.name
    return RawResource(
        type=rtype, id=rid, name=name.split("/")[-1], body=item, loc=item.loc, file=file, source="az",
        api_version=item.get("apiVersion") if isinstance(item.get("apiVersion"), str) else None,
        name_loc=item.value_loc("name") if "name" in item else item.loc,
    )
