"""Read the router configurations a lint run is given (`--router-config NAME=FILE`, or `config_file:` on a
router, relative to the design file) and attach them to the design for the RTR checks. Configurations are
read as text, never executed; a file that can't be read is an input error (exit 2)."""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Optional

from ..errors import InputError, InputErrors, did_you_mean
from ..model import Design
from .config import RouterConfig
from .links import platform_of

MAX_CONFIG_BYTES = 20 * 1024 * 1024  # a sanity bound on input: router configurations are far smaller


@dataclass
class AttachedConfig:
    router: Optional[str]  # design router name; None for a configuration given without a name
    config: RouterConfig


def router_configs(design: Design) -> list[AttachedConfig]:
    """The configurations attached to a design (none unless attach_router_configs ran)."""
    return list(getattr(design, "_router_configs", []) or [])


_EOS_HINTS = re.compile(r"^\s*(encapsulation dot1q vlan\b|vrf instance\b|neighbor \S+ maximum-routes\b|"
                        r"neighbor \S+ bfd\s*$|ip routing vrf\b|! device: .*\(.*EOS)", re.IGNORECASE | re.MULTILINE)
_JUNOS_HINTS = re.compile(r"^((set|deactivate) \S|\s*(interfaces|protocols|system|policy-options|routing-options|"
                          r"routing-instances)\s*\{|version \S+;)", re.MULTILINE)


_IOS_STYLE = re.compile(r"^(interface \S|router bgp \d|hostname \S|ip prefix-list \S|route-map \S)", re.MULTILINE)


def sniff_dialect(text: str) -> Optional[str]:
    """junos or eos when the text has statements only that dialect writes; ios-xe for other IOS-style text;
    None when the text says nothing."""
    if _JUNOS_HINTS.search(text):
        return "junos"
    if _EOS_HINTS.search(text):
        return "eos"
    if _IOS_STYLE.search(text):
        return "ios-xe"
    return None


def parse_config(text: str, file: str, dialect: Optional[str] = None) -> RouterConfig:
    """Read a configuration. The text is the better witness of its dialect: Junos or EOS statements win over the
    design's platform, and IOS-style text is never read as Junos (an EOS platform keeps EOS)."""
    sniffed = sniff_dialect(text)
    if sniffed in ("junos", "eos"):
        chosen = sniffed
    elif sniffed == "ios-xe":
        chosen = dialect if dialect == "eos" else "ios-xe"
    else:
        chosen = dialect or "ios-xe"
    if chosen == "junos":
        from .junos import read_junos

        return read_junos(text, file)
    from .ios import read_ios

    return read_ios(text, file, chosen)


def read_text(path: str) -> str:
    if not os.path.exists(path):
        raise InputError("router configuration not found", file=path)
    if not os.path.isfile(path):
        raise InputError("router configuration is not a regular file", file=path)
    if os.path.getsize(path) > MAX_CONFIG_BYTES:
        raise InputError(f"router configuration is larger than {MAX_CONFIG_BYTES // (1024 * 1024)} MiB", file=path)
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read the router configuration: {exc.strerror}", file=path) from None
    for encoding in ("utf-8-sig", "utf-16"):
        if encoding == "utf-16" and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
            continue
        try:
            return data.decode(encoding)
        except UnicodeDecodeError as exc:
            line = data[:exc.start].count(b"\n") + 1
            raise InputError(f"line {line}: not UTF-8 text (byte {exc.start})", file=path) from None
    return data.decode("utf-8", errors="replace")


def split_pairs(values: Iterable[str]) -> list[tuple[Optional[str], str]]:
    """('rtr1=a.cfg', 'b.cfg') -> [('rtr1', 'a.cfg'), (None, 'b.cfg')]."""
    out = []
    for value in values:
        name, sep, path = value.partition("=")
        if sep and name.strip() and path.strip() and not os.path.exists(value):
            out.append((name.strip(), path.strip()))
        else:
            out.append((None, value))
    return out


def attach_router_configs(design: Design, pairs: Iterable[tuple[Optional[str], str]] = ()) -> list[str]:
    """Read the configurations given (router name or None, path) plus each router's `config_file:` not overridden,
    attach them to the design and return the paths read. Unknown routers and unreadable files: InputError."""
    errors: list[InputError] = []
    wanted: list[tuple[Optional[str], str]] = []
    names = [r.name for r in design.routers]
    given = set()
    for name, path in pairs:
        if name is not None and design.router(name) is None:
            errors.append(InputError(f"--router-config {name}={path}: no router '{name}' in the design"
                                     f"{did_you_mean(name, names)}"))
            continue
        given.add(name)
        wanted.append((name, path))
    for router in design.routers:
        if router.config_file and router.name not in given:
            where = router.loc("config_file")
            base = Path(where.file).parent if where else Path(".")
            wanted.append((router.name, str(base / router.config_file)))
    attached: list[AttachedConfig] = []
    for name, path in wanted:
        try:
            text = read_text(path)
            router = design.router(name) if name else None
            attached.append(AttachedConfig(name, parse_config(text, path, platform_of(router))))
        except InputError as exc:
            errors.append(exc)
    InputErrors.raise_if_any(errors)
    set_router_configs(design, attached)
    return [a.config.file for a in attached]


def set_router_configs(design: Design, attached: list[AttachedConfig]) -> None:
    """Attach configurations already read (replacing any attached before)."""
    design._router_configs = list(attached)
