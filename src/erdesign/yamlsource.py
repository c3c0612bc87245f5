"""Safe YAML reading that remembers where every value came from.

Values are built straight from the parser's event stream (LibYAML's when PyYAML has it), without
composing PyYAML's node tree: duplicated keys are refused, any tag that is not a plain YAML type
(``!!python/...``) is rejected before it is constructed, merge keys (``<<``) are expanded, and the
input is read under budgets: at most inputgate.max_values() values with aliases counted as what they
expand to, of which at most MAX_ALIAS_NODES come from aliases, nested at most MAX_DEPTH deep (once
aliases are expanded too); an alias inside its own anchor is refused.

Where each value is comes back as :class:`Locations`: a map from a value's path
(``('circuits', 0, 'bandwidth')``, or ``('circuits', 0, '<key>', 'bandwidth')`` for the key) to its
file:line:col. Positions are kept packed, one integer per value in one array, and a
:class:`~erdesign.errors.Loc` is made only when asked for, so a large design costs little more to
read than its data.
"""
from __future__ import annotations

from array import array
from typing import Any, Iterator, Optional

import yaml

from .errors import InputError, Loc
from .inputgate import max_values

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

Path = tuple

MAX_ALIAS_NODES = 100_000  # nodes that aliases (*name, <<: *name) may add, counted as what they expand to
MAX_DEPTH = 100  # nesting of mappings and lists; a design needs fewer than 10

_TAG_PREFIX = "tag:yaml.org,2002:"
_CONSTRUCTED_TAGS = {_TAG_PREFIX + kind for kind in ("int", "float", "bool", "null", "timestamp")}
_STR_TAG = _TAG_PREFIX + "str"
_BOOL_TAG = _TAG_PREFIX + "bool"
_INT_TAG = _TAG_PREFIX + "int"
_MAP_TAGS = (None, "!", _TAG_PREFIX + "map")
_SEQ_TAGS = (None, "!", _TAG_PREFIX + "seq")
_MERGE_TAG = _TAG_PREFIX + "merge"

_COLUMN_BITS = 32
_COLUMN_MASK = (1 << _COLUMN_BITS) - 1
_MISSING = object()
_MERGE = object()  # the key of a merge entry (<<) until the mapping is complete
_OPEN = object()  # an anchor whose value is still being built


def _packed(mark) -> int:
    return (mark.line << _COLUMN_BITS) | mark.column


class Locations:
    """Path -> Loc for the data of one YAML document: ``get(path)``, ``path in locs``, ``locs[path]``.

    A mapping's key is located at ``parent + ('<key>', key)``. Positions live in one packed array
    indexed by container (aliased values share their anchor's positions), so lookups walk the data.
    """

    __slots__ = ("_keep", "_key_index", "_offsets", "_packed", "_root_at", "file", "root")

    def __init__(self, file: str, root: Any = None, root_at: Optional[int] = None):
        self.file = file
        self.root = root
        self._root_at = root_at
        self._offsets: dict[int, int] = {}  # id(container) -> offset of its first position
        self._packed = array("q")  # lists: one position per item; mappings: (key, value) per entry
        self._keep: list = []  # containers located but not in the data (merge sources), kept alive
        self._key_index: dict[int, dict] = {}

    # ------------------------------------------------------------------ lookups

    def loc(self, packed: Optional[int]) -> Optional[Loc]:
        """The Loc of a packed position (None stays None)."""
        if packed is None:
            return None
        return Loc(self.file, (packed >> _COLUMN_BITS) + 1, (packed & _COLUMN_MASK) + 1)

    def position(self, path: Path) -> Optional[int]:
        """The packed position of the value (or key) at `path`, None when the path is not in the data."""
        obj, at = self.root, self._root_at
        if at is None:
            return None
        last = len(path) - 1
        for i, step in enumerate(path):
            kind = type(obj)
            if kind is dict:
                if step == "<key>" and i == last - 1:
                    index = self.entry_index(obj, path[last])
                    return None if index is None else self._packed[self._offsets[id(obj)] + 2 * index]
                index = self.entry_index(obj, step)
                if index is None:
                    return None
                at = self._packed[self._offsets[id(obj)] + 2 * index + 1]
                obj = obj[step]
            elif kind is list:
                if type(step) is not int or not 0 <= step < len(obj):
                    return None
                at = self._packed[self._offsets[id(obj)] + step]
                obj = obj[step]
            else:
                return None
        return at

    def entry_index(self, mapping: dict, key: Any) -> Optional[int]:
        """Position of `key` among the mapping's entries (None when absent)."""
        try:
            if key not in mapping:
                return None
        except TypeError:  # an unhashable path step
            return None
        if len(mapping) <= 16:
            for index, k in enumerate(mapping):
                if k == key:
                    return index
        index_of = self._key_index.get(id(mapping))
        if index_of is None:
            index_of = self._key_index[id(mapping)] = {k: n for n, k in enumerate(mapping)}
        return index_of[key]

    def value_position(self, mapping: dict, key: Any) -> Optional[int]:
        """Packed position of ``mapping[key]`` for a mapping of this document."""
        index = self.entry_index(mapping, key)
        return None if index is None else self._packed[self._offsets[id(mapping)] + 2 * index + 1]

    def item_position(self, sequence: list, index: int) -> Optional[int]:
        """Packed position of ``sequence[index]`` for a list of this document."""
        if not 0 <= index < len(sequence):
            return None
        return self._packed[self._offsets[id(sequence)] + index]

    def value_at(self, path: Path) -> Any:
        """The data at `path` (KeyError when it is not there)."""
        obj = self.root
        for step in path:
            if (type(obj) is dict and step in obj) or (type(obj) is list and type(step) is int and 0 <= step < len(obj)):
                obj = obj[step]
            else:
                raise KeyError(path)
        return obj

    def get(self, path: Path, default: Any = None) -> Any:
        found = self.position(path)
        return default if found is None else self.loc(found)

    def __contains__(self, path: Path) -> bool:
        return self.position(path) is not None

    def __getitem__(self, path: Path) -> Loc:
        found = self.position(path)
        if found is None:
            raise KeyError(path)
        return self.loc(found)

    def __iter__(self) -> Iterator[Path]:
        """Every located path: values, then each mapping's keys (for debugging and tests)."""
        if self._root_at is None:
            return
        stack: list = [((), self.root)]
        while stack:
            path, obj = stack.pop()
            yield path
            if type(obj) is dict:
                for key, value in obj.items():
                    yield path + ("<key>", key)
                    stack.append((path + (key,), value))
            elif type(obj) is list:
                stack.extend((path + (i,), item) for i, item in enumerate(obj))

    def __len__(self) -> int:
        return sum(1 for _ in self)

    # ------------------------------------------------------------------ building

    def add(self, container: Any, positions: list) -> None:
        if id(container) in self._offsets:  # the same (aliased) container again: positions are its anchor's
            return
        self._offsets[id(container)] = len(self._packed)
        self._packed.extend(positions)

    def positions_of(self, mapping: dict) -> list:
        start = self._offsets[id(mapping)]
        return self._packed[start:start + 2 * len(mapping)].tolist()


LocMap = Locations


class FieldLocations(dict):
    """The locations of one object of a validated model, read from its YAML mapping when asked for.

    Keys are what :meth:`erdesign.model.Node.loc` looks up: ``()`` for the object, ``(field,)`` for a
    field's value and ``(field, i)`` for a plain (non-mapping) item of a list field. Entries set
    explicitly (``locs[sub] = loc``) take precedence over the source.
    """

    __slots__ = ("_at", "_fields", "_mapping", "_source")

    def __init__(self, source: Locations, mapping: Optional[dict], at: Optional[int], fields, explicit=()):
        super().__init__(explicit)
        self._source = source
        self._mapping = mapping
        self._at = at
        self._fields = fields

    def _position(self, sub) -> Optional[int]:
        if not sub:
            return self._at
        mapping = self._mapping
        name = sub[0]
        if mapping is None or len(sub) > 2 or type(name) is not str or name not in self._fields:
            return None
        if len(sub) == 1:
            return self._source.value_position(mapping, name)
        items, index = mapping.get(name), sub[1]
        if type(items) is not list or type(index) is not int or not 0 <= index < len(items) \
                or type(items[index]) is dict:
            return None
        return self._source.item_position(items, index)

    def get(self, sub, default=None):
        found = dict.get(self, sub)
        if found is None:
            found = self._source.loc(self._position(sub))
        return default if found is None else found

    def __contains__(self, sub) -> bool:
        return self.get(sub) is not None

    def __getitem__(self, sub):
        found = self.get(sub)
        if found is None:
            raise KeyError(sub)
        return found


def load_yaml(text: str, file: str) -> tuple[Any, Locations]:
    """Parse YAML text into plain data plus where each value is (see :class:`Locations`)."""
    loader = _Loader(text)
    try:
        return _Builder(loader, file).build()
    except yaml.MarkedYAMLError as exc:
        raise _syntax_error(exc, file) from None
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


def _syntax_error(exc: yaml.MarkedYAMLError, file: str) -> InputError:
    mark = exc.problem_mark or exc.context_mark
    where = Loc(file, mark.line + 1, mark.column + 1) if mark else None
    what = exc.problem or exc.context or "malformed YAML"
    return InputError(f"malformed YAML: {what}", where, file)


class _Frame:
    """A mapping or list being built: its items (key, value, key, value … for a mapping) and positions."""

    __slots__ = ("anchor", "at", "height", "items", "mapping", "merges", "positions", "start_nodes")

    def __init__(self, mapping: bool, anchor: Optional[str], start_nodes: int, at: int):
        self.mapping = mapping
        self.items: list = []
        self.positions: list = []
        self.anchor = anchor
        self.start_nodes = start_nodes
        self.height = 1
        self.at = at
        self.merges = False


class _Builder:
    def __init__(self, loader, file: str):
        self.loader = loader
        self.file = file
        self.locs = Locations(file)
        self.anchors: dict = {}  # name -> (value, packed position, nodes, height) or _OPEN
        self.nodes = 0
        self.alias_nodes = 0
        self.max_nodes = max_values()  # aliases counted as what they expand to
        self._constructor = yaml.SafeLoader("")  # only its scalar constructors are used
        self._plain: dict = {}  # plain scalar text -> its value (also shares repeated keys and values)

    def _at(self, packed: int) -> Loc:
        return self.locs.loc(packed)

    def _error(self, message: str, packed: int) -> InputError:
        return InputError(message, self._at(packed), self.file)

    def build(self):
        try:
            return self._events()
        except InputError:
            self._raise_syntax_error_first()
            raise

    def _raise_syntax_error_first(self) -> None:
        """A malformed document is reported as such, before any problem with its values."""
        get_event, end = self.loader.get_event, yaml.StreamEndEvent
        try:
            while True:
                event = get_event()
                if event is None or type(event) is end:
                    return
        except yaml.MarkedYAMLError as exc:
            raise _syntax_error(exc, self.file) from None
        except yaml.YAMLError:
            return

    def _events(self):
        get_event = self.loader.get_event
        ScalarEvent, AliasEvent = yaml.ScalarEvent, yaml.AliasEvent
        MappingStartEvent, SequenceStartEvent = yaml.MappingStartEvent, yaml.SequenceStartEvent
        MappingEndEvent, SequenceEndEvent = yaml.MappingEndEvent, yaml.SequenceEndEvent
        plain, missing, scalar = self._plain, _MISSING, self._scalar
        max_nodes = self.max_nodes
        stack: list[_Frame] = []
        top: Optional[_Frame] = None
        items: list = []
        positions: list = []
        is_key = False  # the next value is a mapping key
        documents = 0
        root = root_at = None
        nodes = 0
        while True:
            event = get_event()
            kind = type(event)
            if kind is ScalarEvent:
                mark = event.start_mark
                at = (mark.line << _COLUMN_BITS) | mark.column
                nodes += 1
                if nodes > max_nodes:
                    self.nodes = nodes
                    raise self._too_many(at)
                text = event.value
                tag = event.tag
                if event.implicit[0]:  # plain and untagged (or tagged '!', which LibYAML resolves alike)
                    value = plain.get(text, missing)
                    if value is missing:
                        value = self._plain_scalar(text, at)
                elif tag is None or tag == "!" or tag == _STR_TAG:
                    value = text
                else:
                    value = scalar(tag, text, at)
                if event.anchor is not None:
                    self.anchors[event.anchor] = (value, at, 1, 1)
                if is_key:
                    if value is _MERGE:
                        top.merges = True
                    elif type(value) is not str:
                        value = _key_text(value)
                    is_key = False
                else:
                    if value is _MERGE:
                        raise self._bad_tag(_MERGE_TAG, at)
                    if top is not None and top.mapping:
                        is_key = True
            elif kind is MappingEndEvent or kind is SequenceEndEvent:
                frame = stack.pop()
                value, at = self._finish(frame, items, positions)
                height = frame.height
                if frame.anchor is not None:
                    self.anchors[frame.anchor] = (value, at, nodes - frame.start_nodes + 1, height)
                if stack:
                    top = stack[-1]
                    items, positions = top.items, top.positions
                    if top.height <= height:
                        top.height = height + 1
                    is_key = top.mapping  # a container is never a key: that was refused at its start
                else:
                    top = None
            elif kind is MappingStartEvent or kind is SequenceStartEvent:
                mark = event.start_mark
                at = (mark.line << _COLUMN_BITS) | mark.column
                nodes += 1
                self.nodes = nodes
                if nodes > max_nodes:
                    raise self._too_many(at)
                if len(stack) >= MAX_DEPTH:
                    raise self._error(f"the YAML nests more than {MAX_DEPTH} levels deep", at)
                mapping = kind is MappingStartEvent
                if event.tag not in (_MAP_TAGS if mapping else _SEQ_TAGS):
                    raise self._bad_tag(event.tag, at)
                if event.anchor is not None:
                    self.anchors[event.anchor] = _OPEN
                if is_key:
                    raise self._error("a mapping key must be a plain value", at)
                top = _Frame(mapping, event.anchor, nodes, at)
                stack.append(top)
                items, positions = top.items, top.positions
                is_key = mapping
                continue
            elif kind is AliasEvent:
                mark = event.start_mark
                self.nodes = nodes
                value, at, height = self._alias(event.anchor, (mark.line << _COLUMN_BITS) | mark.column,
                                                len(stack))
                nodes = self.nodes
                if top is not None and top.height <= height:
                    top.height = height + 1
                if is_key:
                    if type(value) is dict or type(value) is list:
                        raise self._error("a mapping key must be a plain value", at)
                    if value is _MERGE:
                        top.merges = True
                    elif type(value) is not str:
                        value = _key_text(value)
                    is_key = False
                else:
                    if value is _MERGE:
                        raise self._bad_tag(_MERGE_TAG, at)
                    if top is not None and top.mapping:
                        is_key = True
            elif event is None or kind is yaml.StreamEndEvent:
                self.nodes = nodes
                self.locs.root, self.locs._root_at = root, root_at
                return root, self.locs
            elif kind is yaml.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    mark = event.start_mark
                    raise InputError("malformed YAML: expected a single document in the stream (one design per file)",
                                     Loc(self.file, mark.line + 1, mark.column + 1), self.file)
                continue
            else:  # StreamStart, DocumentEnd
                continue
            if top is None:
                root, root_at = value, at
            else:
                items.append(value)
                positions.append(at)

    # ------------------------------------------------------------------ containers

    def _finish(self, frame: _Frame, items: list, positions: list):
        """The dict or list of a completed frame, its positions recorded."""
        if items and frame.height < 2:
            frame.height = 2  # a container of scalars
        if not frame.mapping:
            self.locs.add(items, positions)
            return items, frame.at
        if frame.merges:
            items, positions = self._merged(items, positions)
        result = dict(zip(items[::2], items[1::2]))
        if len(result) * 2 != len(items):
            self._duplicate(items, positions)
        self.locs.add(result, positions)
        return result, frame.at

    def _duplicate(self, items: list, positions: list) -> None:
        first: dict = {}
        for n in range(0, len(items), 2):
            key = items[n]
            if key in first:
                raise self._error(f"duplicated key '{key}' (first at line {(first[key] >> _COLUMN_BITS) + 1}); "
                                  "YAML would silently keep the last one", positions[n])
            first[key] = positions[n]

    def _merged(self, items: list, positions: list):
        """Entries with merge keys (<<) expanded: merged entries first, those the mapping sets itself win."""
        merged_items: list = []
        merged_positions: list = []
        own_items: list = []
        own_positions: list = []
        for n in range(0, len(items), 2):
            if items[n] is not _MERGE:
                own_items += items[n:n + 2]
                own_positions += positions[n:n + 2]
                continue
            value = items[n + 1]
            if type(value) is list:
                self.locs._keep.append(value)
                sources = [(src, self.locs.item_position(value, i)) for i, src in enumerate(value)]
            else:
                sources = [(value, positions[n + 1])]
            for src, at in sources:
                if type(src) is not dict:
                    raise self._error("a merge key (<<) needs a mapping", at)
                self.locs._keep.append(src)
                merged_items.extend(x for pair in src.items() for x in pair)
                merged_positions.extend(self.locs.positions_of(src))
        own_keys = set(own_items[::2])
        kept_items: list = []
        kept_positions: list = []
        for n in range(0, len(merged_items), 2):
            if merged_items[n] not in own_keys:
                kept_items += merged_items[n:n + 2]
                kept_positions += merged_positions[n:n + 2]
        return kept_items + own_items, kept_positions + own_positions

    # ------------------------------------------------------------------ aliases

    def _alias(self, name: str, at: int, depth: int):
        target = self.anchors.get(name)
        if target is None:
            raise self._error(f"malformed YAML: found undefined alias '{name}'", at)
        if target is _OPEN:
            raise self._error(f"recursive alias: '*{name}' is inside the value anchored as '&{name}'", at)
        value, where, size, height = target
        if depth + height > MAX_DEPTH:
            raise self._error(f"the YAML nests more than {MAX_DEPTH} levels deep once alias '*{name}' is expanded",
                              at)
        self.nodes += size
        self.alias_nodes += size
        if self.alias_nodes > MAX_ALIAS_NODES:
            raise self._error(f"aliases expand to more than {MAX_ALIAS_NODES:,} values (an alias bomb?); "
                              "write the values out or use fewer nested aliases", at)
        if self.nodes > self.max_nodes:
            raise self._too_many(at)
        return value, where, height

    def _too_many(self, at: int) -> InputError:
        return self._error(f"the YAML holds more than {self.max_nodes:,} values (aliases counted as what they "
                           "expand to); split the design into several files", at)

    # ------------------------------------------------------------------ scalars

    def _plain_scalar(self, text: str, at: int):
        """The value of an untagged plain scalar, remembered by its text."""
        tag = self.loader.resolve(yaml.ScalarNode, text, (True, False))
        if tag == _STR_TAG:
            value = text
        elif tag == _MERGE_TAG:
            value = _MERGE
        else:
            value = self._scalar(tag, text, at)
        self._plain[text] = value
        return value

    def _scalar(self, tag: str, text: str, at: int):
        """The value of a scalar with a resolved or explicit tag; only plain YAML types are allowed."""
        if tag == _STR_TAG or tag == "!":
            return text
        if tag == _MERGE_TAG:
            return _MERGE
        if tag not in _CONSTRUCTED_TAGS:
            raise self._bad_tag(tag, at)
        if tag == _BOOL_TAG and text.lower() not in ("true", "false"):
            return text  # YAML 1.2: yes/no/on/off are text (country codes, names), not booleans
        if tag == _INT_TAG and len(text) > 1000:
            raise self._error(f"an integer of {len(text):,} digits is not a plausible value", at)
        try:
            return self._constructor.yaml_constructors[tag](self._constructor, yaml.ScalarNode(tag, text))
        except (yaml.YAMLError, ValueError) as exc:
            raise self._error(f"bad value: {exc}", at) from None

    def _bad_tag(self, tag: str, at: int) -> InputError:
        return self._error(
            f"tag '{tag.replace(_TAG_PREFIX, '!!')}' is not allowed: erdesign reads plain YAML only "
            "(mappings, lists, strings, numbers, booleans, dates)", at)


def _key_text(key: Any) -> Any:
    """Mapping keys are text: 1, 2.5, true and null keys become '1', '2.5', 'True' and 'null'."""
    if key is None:
        return "null"
    if isinstance(key, (int, float, bool)):
        return str(key)
    return key
