"""What kind of JSON document a file holds."""
from __future__ import annotations

import re
from typing import Any

AZ = "az"  # az CLI show/list output, az rest / az resource / Resource Graph results
ARM_TEMPLATE = "arm-template"
ARM_PARAMETERS = "arm-parameters"
TERRAFORM = "terraform"
UNKNOWN_SCHEMA = "unknown-schema"
UNRECOGNISED = "unrecognised"
LIVE = "live"  # live-state views: route/ARP tables, BGP peers, learned routes (erdesign.live)

_TEMPLATE_SCHEMA = re.compile(r"deploymenttemplate\.json", re.IGNORECASE)
_PARAMETERS_SCHEMA = re.compile(r"deploymentparameters\.json", re.IGNORECASE)


def _looks_like_resource(value: Any) -> bool:
    if not isinstance(value, dict):
        return False
    rtype = value.get("type")
    rid = value.get("id")
    return (isinstance(rtype, str) and "/" in rtype) or (isinstance(rid, str) and "/providers/" in rid.lower())


def resource_list(root: Any):
    """The resources of an az / REST / Resource Graph document, or None if it is not one."""
    if isinstance(root, list):
        if not root or any(_looks_like_resource(x) for x in root):
            return root
        return None
    if isinstance(root, dict):
        if _looks_like_resource(root):
            return [root]
        for key in ("value", "data"):  # REST list / az rest; az graph query
            inner = root.get(key)
            if isinstance(inner, list) and (not inner or any(_looks_like_resource(x) for x in inner)):
                return inner
    return None


def detect(root: Any, file: str = "") -> str:
    if isinstance(root, dict):
        schema = root.get("$schema")
        if isinstance(schema, str):
            if _TEMPLATE_SCHEMA.search(schema):
                return ARM_TEMPLATE
            if _PARAMETERS_SCHEMA.search(schema):
                return ARM_PARAMETERS
            return UNKNOWN_SCHEMA
        if "format_version" in root and any(k in root for k in ("planned_values", "values", "resource_changes")):
            return TERRAFORM
        if "resources" in root and ("contentVersion" in root or "parameters" in root):
            return ARM_TEMPLATE  # a template without $schema
    from ..live import live_kind

    if live_kind(root, file):
        return LIVE
    if resource_list(root) is not None:
        return AZ
    return UNRECOGNISED
