"""Safe YAML reading that remembers where every value came from.

PyYAML's safe loader is used to compose the node tree; values are then built
by hand so that each one gets a path (('circuits', 0, 'bandwidth')) mapped to
its file:line:col, duplicated keys are refused, and any tag that is not a
plain YAML type (``!!python/...``) is rejected before it is constructed.
"""
from __future__ import annotations

from typing import Any, Optional

import yaml

from .errors import InputError, Loc
from .inputgate import max_values

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
_INT_TAG = "tag:yaml.org,2002:int"


_new_loc = tuple.__new__


class _Node:
    """A composed YAML node, lighter than PyYAML's (a design can hold a million): its tag (a scalar's
    is resolved only when built), value and 1-based line and column."""

    __slots__ = ("col", "implicit", "line", "tag", "value")

    def __init__(self, tag, value, mark, implicit=None):
        self.tag = tag
        self.value = value
        self.line = mark.line + 1
        self.col = mark.column + 1
        self.implicit = implicit


class _Scalar(_Node):
    __slots__ = ()


class _Seq(_Node):
    __slots__ = ()


class _Map(_Node):
    __slots__ = ()


_RESOLVER = yaml.resolver.Resolver()


def _scalar_tag(node: _Scalar) -> str:
    if node.tag is None or node.tag == "!":
        node.tag = _RESOLVER.resolve(yaml.ScalarNode, node.value, node.implicit)
    return node.tag


def _loc(file: str, node) -> Loc:
    return _new_loc(Loc, (file, node.line, node.col))


MAX_ALIAS_NODES = 100_000  # nodes that aliases (*name, <<: *name) may add, counted as what they expand to
MAX_DEPTH = 100  # nesting of mappings and lists; a design needs fewer than 10


def load_yaml(text: str, file: str) -> tuple[Any, LocMap]:
    """Parse YAML text into plain data plus a map from value path to location."""
    root = compose(text, file)
    locs: LocMap = {}
    if root is None:
        return None, locs
    builder = _Builder(file, locs)
    return builder.build(root, ()), locs


def compose(text: str, file: str):
    """The YAML node tree of `text` (None for an empty document), composed from the parser's events
    under budgets: at most inputgate.max_values() nodes with aliases counted as what they expand to, of which at
    most MAX_ALIAS_NODES come from aliases, nested at most MAX_DEPTH deep; an alias inside its own
    anchor is refused. Every problem is an InputError at file:line:col."""
    loader = _Loader(text)
    try:
        return _Composer(loader, file).compose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = Loc(file, mark.line + 1, mark.column + 1) if mark else None
        what = exc.problem or exc.context or "malformed YAML"
        raise InputError(f"malformed YAML: {what}", where, file) from None
    except yaml.reader.ReaderError as exc:  # a control character or bad byte, at an offset into the UTF-8 text
        from .inputgate import decode_error_loc

        raise InputError(f"malformed YAML: {exc.reason} (character {_codepoint(exc.character)})",
                         decode_error_loc(text.encode("utf-8", "surrogatepass"), exc.position, file)) from None
    except UnicodeEncodeError as exc:  # a lone surrogate cannot reach the parser
        prefix = text[:exc.start]
        where = Loc(file, prefix.count("\n") + 1, exc.start - (prefix.rfind("\n") + 1) + 1)
        raise InputError("malformed YAML: a lone surrogate character is not text", where) from None
    except yaml.YAMLError as exc:
        raise InputError(f"malformed YAML: {exc}", None, file) from None
    finally:
        loader.dispose()


def _codepoint(character) -> str:
    if isinstance(character, int):
        return f"0x{character:02x}" if character < 256 else f"U+{character:04X}"
    return f"U+{ord(character):04X}" if isinstance(character, str) and len(character) == 1 else "?"


_OPEN = object()  # an anchor whose node is still being composed


class _Composer:
    """An iterative composer (no recursion, so any nesting is safe) that keeps the budgets."""

    def __init__(self, loader, file: str):
        self.loader = loader
        self.file = file
        self.anchors: dict = {}
        self.nodes = 0
        self.alias_nodes = 0
        self.max_nodes = max_values()

    def _error(self, message: str, event) -> InputError:
        mark = event.start_mark
        return InputError(message, Loc(self.file, mark.line + 1, mark.column + 1) if mark else None, self.file)

    def _count(self, size: int, event, via_alias: bool = False) -> None:
        self.nodes += size
        if via_alias:
            self.alias_nodes += size
            if self.alias_nodes > MAX_ALIAS_NODES:
                raise self._error(f"aliases expand to more than {MAX_ALIAS_NODES:,} values (an alias bomb?); "
                                  "write the values out or use fewer nested aliases", event)
        if self.nodes > self.max_nodes:
            raise self._error(f"the YAML holds more than {self.max_nodes:,} values (aliases counted as what they "
                              "expand to); split the design into several files", event)

    def compose(self):
        loader = self.loader
        root: Optional[_Node] = None
        documents = 0
        stack: list = []  # [node, items, anchor, size, height]
        node: _Node
        get_event, scalar_event, max_nodes = loader.get_event, yaml.ScalarEvent, self.max_nodes
        while True:
            event = get_event()
            if type(event) is scalar_event:  # the common case, kept short
                node = _Scalar(event.tag, event.value, event.start_mark, event.implicit)
                self.nodes += 1
                if self.nodes > max_nodes:
                    self._count(0, event)
                if event.anchor is not None:
                    self.anchors[event.anchor] = (node, 1, 1)
                if stack:
                    top = stack[-1]
                    top[1].append(node)
                    top[3] += 1
                    if top[4] < 2:
                        top[4] = 2
                else:
                    root = node
                continue
            if event is None or isinstance(event, yaml.StreamEndEvent):
                return root
            if isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    raise self._error("malformed YAML: expected a single document in the stream "
                                      "(one design per file)", event)
                continue
            if isinstance(event, (yaml.StreamStartEvent, yaml.DocumentEndEvent)):
                continue
            if isinstance(event, yaml.AliasEvent):
                target = self.anchors.get(event.anchor)
                if target is None:
                    raise self._error(f"malformed YAML: found undefined alias '{event.anchor}'", event)
                if target is _OPEN:
                    raise self._error(f"recursive alias: '*{event.anchor}' is inside the value anchored as "
                                      f"'&{event.anchor}'", event)
                node, size, height = target
                if len(stack) + height > MAX_DEPTH:
                    raise self._error(f"the YAML nests more than {MAX_DEPTH} levels deep once alias "
                                      f"'*{event.anchor}' is expanded", event)
                self._count(size, event, via_alias=True)
            elif isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                if len(stack) >= MAX_DEPTH:
                    raise self._error(f"the YAML nests more than {MAX_DEPTH} levels deep", event)
                sequence = isinstance(event, yaml.SequenceStartEvent)
                tag = event.tag
                if tag is None or tag == "!":
                    tag = _SEQ_TAG if sequence else _MAP_TAG
                node = (_Seq if sequence else _Map)(tag, [], event.start_mark)
                self._count(1, event)
                if event.anchor is not None:
                    self.anchors[event.anchor] = _OPEN
                stack.append([node, [], event.anchor, 1, 1])
                continue
            else:  # SequenceEndEvent / MappingEndEvent
                node, items, anchor, size, height = stack.pop()
                if isinstance(node, _Map):
                    node.value = list(zip(items[0::2], items[1::2]))
                else:
                    node.value = items
                if anchor is not None:
                    self.anchors[anchor] = (node, size, height)
            if stack:
                stack[-1][1].append(node)
                stack[-1][3] += size
                stack[-1][4] = max(stack[-1][4], height + 1)
            else:
                root = node


class _Builder:
    def __init__(self, file: str, locs: LocMap):
        self.file = file
        self.locs = locs
        self._constructor = yaml.SafeLoader("")  # only its scalar constructors are used

    def build(self, node, path: Path):
        self.locs[path] = _loc(self.file, node)
        if isinstance(node, _Map):
            if node.tag != _MAP_TAG:
                raise self._bad_tag(node)
            return self._mapping(node, path)
        if isinstance(node, _Seq):
            if node.tag != _SEQ_TAG:
                raise self._bad_tag(node)
            return [self.build(item, path + (i,)) for i, item in enumerate(node.value)]
        return self._scalar(node)

    def _scalar(self, node):
        tag = _scalar_tag(node)
        if tag == _STR_TAG:
            return node.value
        if tag not in _PLAIN_SCALAR_TAGS:
            raise self._bad_tag(node)
        if tag == _BOOL_TAG and node.value.lower() not in ("true", "false"):
            return node.value  # YAML 1.2: yes/no/on/off are text (country codes, names), not booleans
        if tag == _INT_TAG and len(node.value) > 1000:
            raise InputError(f"an integer of {len(node.value):,} digits is not a plausible value", _loc(self.file, node))
        try:
            return self._constructor.yaml_constructors[tag](self._constructor, yaml.ScalarNode(tag, node.value))
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
            if isinstance(key_node, _Scalar) and _scalar_tag(key_node) == _MERGE_TAG:
                sources = value_node.value if isinstance(value_node, _Seq) else [value_node]
                for src in sources:
                    if not isinstance(src, _Map):
                        raise InputError("a merge key (<<) needs a mapping", _loc(self.file, src))
                    merged.extend(self._pairs(src))
            else:
                own.append((key_node, value_node))
        own_keys = {k.value for k, _ in own if isinstance(k, _Scalar)}
        return [(k, v) for k, v in merged if k.value not in own_keys] + own

    def _mapping(self, node, path: Path) -> dict:
        result: dict = {}
        first_seen: dict = {}
        for key_node, value_node in self._pairs(node):
            if not isinstance(key_node, _Scalar):
                raise InputError("a mapping key must be a plain value", _loc(self.file, key_node))
            key = self._scalar(key_node)
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
