"""Safe YAML reading that remembers where every value came from.

PyYAML's safe loader is used to compose the node tree; values are then built
by hand so that each one gets a path (('circuits', 0, 'bandwidth')) mapped to
its file:line:col, duplicated keys are refused, and any tag that is not a
plain YAML type (``!!python/...``) is rejected before it is constructed.
"""
from __future__ import annotations

from typing import Any

import yaml

from .errors import InputError, Loc

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

Path = tuple
LocMap = dict  # Path -> Loc

_PLAIN_SCALAR_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
}
_MAP_TAG = "tag:yaml.org,2002:map"
_SEQ_TAG = "tag:yaml.org,2002:seq"
_MERGE_TAG = "tag:yaml.org,2002:merge"
_BOOL_TAG = "tag:yaml.org,2002:bool"
_STR_TAG = "tag:yaml.org,2002:str"


_new_loc = tuple.__new__


def _loc(file: str, node) -> Loc:
    mark = node.start_mark
    return _new_loc(Loc, (file, mark.line + 1, mark.column + 1))


def load_yaml(text: str, file: str) -> tuple[Any, LocMap]:
    """Parse YAML text into plain data plus a map from value path to location."""
    try:
        loader = _Loader(text)
        try:
            root = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = Loc(file, mark.line + 1, mark.column + 1) if mark else None
        what = exc.problem or exc.context or "malformed YAML"
        raise InputError(f"malformed YAML: {what}", where, file) from None
    except yaml.YAMLError as exc:
        raise InputError(f"malformed YAML: {exc}", None, file) from None
    locs: LocMap = {}
    if root is None:
        return None, locs
    builder = _Builder(file, locs)
    return builder.build(root, ()), locs


class _Builder:
    def __init__(self, file: str, locs: LocMap):
        self.file = file
        self.locs = locs
        self._constructor = yaml.SafeLoader("")  # only its scalar constructors are used

    def build(self, node, path: Path):
        self.locs[path] = _loc(self.file, node)
        if isinstance(node, yaml.MappingNode):
            if node.tag != _MAP_TAG:
                raise self._bad_tag(node)
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            if node.tag != _SEQ_TAG:
                raise self._bad_tag(node)
            return [self.build(item, path + (i,)) for i, item in enumerate(node.value)]
        return self._scalar(node)

    def _scalar(self, node):
        if node.tag not in _PLAIN_SCALAR_TAGS:
            raise self._bad_tag(node)
        if node.tag == _BOOL_TAG and node.value.lower() not in ("true", "false"):
            return node.value  # YAML 1.2: yes/no/on/off are text (country codes, names), not booleans
        if node.tag == _STR_TAG:
            return node.value
        try:
            return self._constructor.yaml_constructors[node.tag](self._constructor, node)
        except (yaml.YAMLError, ValueError) as exc:
            raise InputError(f"bad value: {exc}", _loc(self.file, node)) from None

    def _bad_tag(self, node) -> InputError:
        return InputError(
            f"tag '{node.tag.replace('tag:yaml.org,2002:', '!!')}' is not allowed: erdesign reads plain YAML only "
            "(mappings, lists, strings, numbers, booleans, dates)",
            _loc(self.file, node),
        )

    def _pairs(self, node):
        """Key/value node pairs, with YAML merge keys (<<) expanded first."""
        merged, own = [], []
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE_TAG:
                sources = value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]
                for src in sources:
                    if not isinstance(src, yaml.MappingNode):
                        raise InputError("a merge key (<<) needs a mapping", _loc(self.file, src))
                    merged.extend(self._pairs(src))
            else:
                own.append((key_node, value_node))
        own_keys = {k.value for k, _ in own if isinstance(k, yaml.ScalarNode)}
        return [(k, v) for k, v in merged if k.value not in own_keys] + own

    def _mapping(self, node, path: Path) -> dict:
        result: dict = {}
        first_seen: dict = {}
        for key_node, value_node in self._pairs(node):
            if not isinstance(key_node, yaml.ScalarNode):
                raise InputError("a mapping key must be a plain value", _loc(self.file, key_node))
            key = key_node.value if key_node.tag == _STR_TAG else self._scalar(key_node)
            if isinstance(key, (int, float, bool)) or key is None:
                key = str(key) if key is not None else "null"
            if key in first_seen:
                prev = first_seen[key]
                raise InputError(
                    f"duplicated key '{key}' (first at line {prev.line}); "
                    "YAML would silently keep the last one",
                    _loc(self.file, key_node),
                )
            first_seen[key] = _loc(self.file, key_node)
            result[key] = self.build(value_node, path + (key,))
            self.locs[path + ("<key>", key)] = first_seen[key]
        return result
