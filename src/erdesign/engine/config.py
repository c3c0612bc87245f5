"""Lint configuration: which rules run, at what severity, and when the run fails.

Read from ``[tool.erdesign]`` in ``pyproject.toml`` or from ``.erdesign.yaml``,
found by walking up from the first design file's folder (in each folder
``.erdesign.yaml`` wins over ``pyproject.toml``; a pyproject without a
``[tool.erdesign]`` table is skipped). Keys (``-`` or ``_`` alike)::

    select = ["ALL"]                 # IDs, prefixes (BGP, NET0) or ALL; default ALL
    extend-select = []               # added to select
    ignore = ["COST"]                # IDs or prefixes to leave out
    fail-on = "error"                # error | warning | info
    format = "text"                  # text | concise | json | sarif | github
    docs-url = "https://wiki.example.com/erdesign/{id}"   # SARIF helpUri for rules without a reference

    [tool.erdesign.severity]         # per rule or prefix; the most specific wins
    BGP = "warning"
    BGP001 = "error"

When a rule matches both ``select`` and ``ignore``, the more specific selector
wins (a tie goes to ``ignore``). On the command line ``--select`` replaces the
file's selection and ``--ignore`` / ``--extend-select`` add to it.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field, replace
from typing import Any, Iterable, Optional

from ..errors import InputError, Loc, did_you_mean
from .catalog import SEVERITIES, SEVERITY_RANK

FORMATS = ("text", "concise", "json", "sarif", "github", "markdown")
CONFIG_FILES = (".erdesign.yaml", ".erdesign.yml", "pyproject.toml")
_KEYS = ("select", "extend-select", "ignore", "severity", "fail-on", "format", "docs-url", "nearing-limit")


@dataclass(frozen=True)
class Selection:
    """One layer of rule selection (the config file, then the command line)."""

    select: Optional[tuple[str, ...]] = None  # None: keep what earlier layers selected
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()


@dataclass(frozen=True)
class Config:
    layers: tuple[Selection, ...] = ()
    severity: dict = field(default_factory=dict)  # selector -> level
    fail_on: str = "error"
    format: str = "text"
    docs_url: Optional[str] = None
    source: Optional[str] = None  # the file it came from
    nearing_limit: Optional[float] = None  # percent of a limit from which CAP012 warns (None: the data's default)

    def with_overrides(self, *, select=None, extend_select=None, ignore=None, severity=None,
                       fail_on=None, format=None) -> "Config":
        """Command-line (or API) options on top of this configuration."""
        layer = Selection(
            select=tuple(split_selectors(select)) if select is not None else None,
            extend_select=tuple(split_selectors(extend_select or ())),
            ignore=tuple(split_selectors(ignore or ())),
        )
        layers = self.layers + ((layer,) if layer != Selection() else ())
        return replace(
            self,
            layers=layers,
            severity={**self.severity, **dict(severity or {})},
            fail_on=fail_on or self.fail_on,
            format=format or self.format,
        )

    def selectors(self) -> list[str]:
        out = [s for layer in self.layers for s in (layer.select or ()) + layer.extend_select + layer.ignore]
        return out + list(self.severity)

    def is_enabled(self, rule_id: str) -> bool:
        enabled = True  # default selection: ALL
        for layer in self.layers:
            ign = _best(layer.ignore, rule_id)
            ext = _best(layer.extend_select, rule_id)
            if layer.select is not None:
                sel = max(_best(layer.select, rule_id), ext)
                enabled = sel >= 0 and not (ign >= sel)
            elif ign >= 0 and ign >= ext:
                enabled = False
            elif ext >= 0:
                enabled = True
        return enabled

    def severity_of(self, rule_id: str) -> Optional[str]:
        """The configured severity for a rule (most specific selector), or None."""
        best, level = -1, None
        for selector, value in self.severity.items():
            spec = _specificity(selector, rule_id)
            if spec > best:
                best, level = spec, value
        return level


def _specificity(selector: str, rule_id: str) -> int:
    if selector == "ALL":
        return 0
    return len(selector) if rule_id.startswith(selector) else -1


def _best(selectors: Iterable[str], rule_id: str) -> int:
    return max((_specificity(s, rule_id) for s in selectors), default=-1)


def split_selectors(value) -> list[str]:
    """'BGP001, NET' or ['BGP001', 'NET'] -> ['BGP001', 'NET'] (upper-cased)."""
    if value is None:
        return []
    items = [value] if isinstance(value, str) else list(value)
    out = []
    for item in items:
        out.extend(part.strip().upper() for part in str(item).split(",") if part.strip())
    return out


def validate_selectors(config: Config, catalog, where: str = "") -> None:
    """Every selector names a known rule, prefix or ALL; every severity is a level."""
    for selector in config.selectors():
        if not catalog.is_selector(selector):
            raise InputError(f"{where}unknown rule or prefix '{selector}'{did_you_mean(selector, catalog)}")
    for selector, level in config.severity.items():
        if level not in SEVERITIES:
            raise InputError(f"{where}severity of {selector} must be one of {', '.join(SEVERITIES)}, not {level!r}")
    if config.fail_on not in SEVERITY_RANK:
        raise InputError(f"{where}fail-on must be one of {', '.join(SEVERITIES)}, not {config.fail_on!r}")


# --------------------------------------------------------------------------- finding and reading files

def find_config_file(start: str | os.PathLike) -> Optional[str]:
    """The nearest configuration file at or above `start` (a file or a folder)."""
    folder = os.path.abspath(start)
    if not os.path.isdir(folder):
        folder = os.path.dirname(folder)
    while True:
        for name in CONFIG_FILES:
            candidate = os.path.join(folder, name)
            if os.path.isfile(candidate):
                if name != "pyproject.toml" or _has_tool_table(candidate):
                    return candidate
        parent = os.path.dirname(folder)
        if parent == folder:
            return None
        folder = parent


def _has_tool_table(path: str) -> bool:
    from ..inputgate import read_input_text

    try:
        text = read_input_text(path, "configuration")
    except InputError:
        return False
    return re.search(r"^\s*\[\s*tool\s*\.\s*erdesign\s*[\].]", text, re.MULTILINE) is not None


def load_config_file(path: str, catalog=None) -> Config:
    """Read one configuration file; InputError (file:line) for anything wrong."""
    from ..inputgate import read_input_text

    text = read_input_text(path, "configuration")
    if path.endswith(".toml"):
        data, locate = _read_toml(text, path)
    else:
        data, locate = _read_yaml(text, path)
    config = _build(data, locate, path)
    if catalog is not None:
        _validate_located(config, data, locate, catalog)
    return config


def _read_toml(text: str, path: str):
    import tomllib

    try:
        doc = tomllib.loads(text)
    except RecursionError:
        from ..inputgate import deep_nesting_loc

        raise InputError("invalid TOML: nesting is too deep", deep_nesting_loc(text, path)) from None
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        m = re.search(r"\(at line (\d+), column (\d+)\)", message) or re.search(r"\(at end of document\)", message)
        if m and m.groups():
            loc = Loc(path, int(m.group(1)), int(m.group(2)))
        else:  # the end of the document: the line after the last one
            loc = Loc(path, len(text.splitlines()) + (1 if text.endswith("\n") or not text else 0), 1)
        raise InputError(f"invalid TOML: {message[:m.start()].strip() if m else message}", loc, path) from None
    except ValueError:  # a number of more digits than Python converts
        digits = re.search(r"\d{1001,}", text)
        start = digits.start() if digits else 0
        line = text.count("\n", 0, start) + 1
        loc = Loc(path, line, start - (text.rfind("\n", 0, start) + 1) + 1)
        raise InputError("invalid TOML: a number of more than 1,000 digits is not a plausible value", loc) from None
    tool = doc.get("tool", {}).get("erdesign", {})
    if not isinstance(tool, dict):
        raise InputError("[tool.erdesign] must be a table", Loc(path, 1, 1))

    def locate(*keys, key: bool = False) -> Loc:
        return Loc(path, _toml_line(text, keys), 1)

    return tool, locate


def _toml_line(text: str, keys: tuple) -> int:
    """Best-effort line of a setting in [tool.erdesign] (tomllib keeps no positions)."""
    base = "tool.erdesign"
    key = str(keys[0]) if keys else None
    sub = str(keys[1]) if len(keys) > 1 and isinstance(keys[1], str) else None
    current, base_line, key_line = "", 1, None
    for number, line in enumerate(text.splitlines(), start=1):
        head = re.match(r"^\s*\[\s*([^\[\]]+?)\s*\]", line)
        if head:
            current = re.sub(r"[\s\"']", "", head.group(1))
            if current == base:
                base_line = number
            elif key and current == f"{base}.{key}" and key_line is None:
                key_line = number
            continue
        if key and current == base and _assigns(line, key):
            if not sub:
                return number
            key_line = number
        if key and sub and current == f"{base}.{key}" and _assigns(line, sub):
            return number
    return key_line or base_line


def _assigns(line: str, key: str) -> bool:
    return re.match(rf"^\s*[\"']?{re.escape(key)}[\"']?\s*=", line) is not None


def _read_yaml(text: str, path: str):
    from ..yamlsource import load_yaml

    data, locs = load_yaml(text, path)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise InputError("the configuration is a mapping of settings (select:, ignore:, …)", locs.get((), Loc(path, 1, 1)))

    def locate(*keys, key: bool = False) -> Loc:
        """Where a setting's value is (or its key, with key=True)."""
        path_keys = tuple(keys)
        if key and path_keys[:-1] + ("<key>", path_keys[-1]) in locs:
            return locs[path_keys[:-1] + ("<key>", path_keys[-1])]
        while path_keys:
            if path_keys in locs:
                return locs[path_keys]
            if path_keys[:-1] + ("<key>", path_keys[-1]) in locs:
                return locs[path_keys[:-1] + ("<key>", path_keys[-1])]
            path_keys = path_keys[:-1]
        return locs.get((), Loc(path, 1, 1))

    return data, locate


def _norm_key(key: Any) -> str:
    return str(key).strip().lower().replace("_", "-")


def _build(data: dict, locate, path: str) -> Config:
    values: dict[str, Any] = {}
    raw_keys: dict[str, Any] = {}
    for raw, value in data.items():
        key = _norm_key(raw)
        if key not in _KEYS:
            raise InputError(f"unknown setting '{raw}'{did_you_mean(key, _KEYS)}", locate(raw, key=True))
        values[key] = value
        raw_keys[key] = raw

    def selectors(key: str) -> Optional[tuple[str, ...]]:
        if key not in values:
            return None
        value = values[key]
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise InputError(f"'{raw_keys[key]}' must be a list of rule IDs or prefixes", locate(raw_keys[key]))
        return tuple(split_selectors(value))

    severity = values.get("severity", {})
    if not isinstance(severity, dict):
        raise InputError("'severity' must map rule IDs or prefixes to error, warning or info", locate(raw_keys["severity"]))
    levels = {}
    for selector, level in severity.items():
        if not isinstance(level, str) or level.strip().lower() not in SEVERITIES:
            raise InputError(f"severity of {selector} must be one of {', '.join(SEVERITIES)}, not {level!r}",
                             locate(raw_keys["severity"], selector))
        levels[str(selector).strip().upper()] = level.strip().lower()

    def choice(key: str, allowed: tuple[str, ...], default: str) -> str:
        if key not in values:
            return default
        value = values[key]
        if not isinstance(value, str) or value.strip().lower() not in allowed:
            raise InputError(f"'{raw_keys[key]}' must be one of {', '.join(allowed)}, not {value!r}",
                             locate(raw_keys[key]))
        return value.strip().lower()

    docs_url = values.get("docs-url")
    if docs_url is not None and (not isinstance(docs_url, str) or not re.match(r"^https?://", docs_url)):
        raise InputError("'docs-url' must be an http(s) URL, optionally with {id}", locate(raw_keys["docs-url"]))

    nearing = values.get("nearing-limit")
    if nearing is not None and (isinstance(nearing, bool) or not isinstance(nearing, (int, float))
                                or not 1 <= nearing <= 100):
        raise InputError(f"'{raw_keys['nearing-limit']}' must be a percentage from 1 to 100, not {nearing!r}",
                         locate(raw_keys["nearing-limit"]))

    layer = Selection(select=selectors("select"), extend_select=selectors("extend-select") or (),
                      ignore=selectors("ignore") or ())
    return Config(
        layers=(layer,) if layer != Selection() else (),
        severity=levels,
        fail_on=choice("fail-on", SEVERITIES, "error"),
        format=choice("format", FORMATS, "text"),
        docs_url=docs_url,
        source=path,
        nearing_limit=float(nearing) if nearing is not None else None,
    )


def _validate_located(config: Config, data: dict, locate, catalog) -> None:
    raw = {_norm_key(k): k for k in data}
    for key in ("select", "extend-select", "ignore"):
        value = data.get(raw.get(key, key))
        items = [value] if isinstance(value, str) else (value or [])
        for i, item in enumerate(items):
            for selector in split_selectors(item):
                if not catalog.is_selector(selector):
                    loc = locate(raw[key], i) if not isinstance(value, str) else locate(raw[key])
                    raise InputError(f"{raw[key]}: unknown rule or prefix '{selector}'{did_you_mean(selector, catalog)}", loc)
    for selector in config.severity:
        if not catalog.is_selector(selector):
            raise InputError(f"severity: unknown rule or prefix '{selector}'{did_you_mean(selector, catalog)}",
                             locate(raw.get("severity", "severity"), selector))


def discover(start: Optional[str], catalog=None) -> Config:
    """The configuration that applies to a design at `start` (a default Config if none)."""
    if start is None:
        return Config()
    path = find_config_file(start)
    return load_config_file(path, catalog) if path else Config()
