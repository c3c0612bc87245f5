"""Terminal habits: when to colour, and reading a design from stdin for editors."""
from __future__ import annotations

import os
import sys

import click

COLOR_CHOICES = ("auto", "always", "never")


def color_option(fn):
    return click.option(
        "--color", "color", type=click.Choice(COLOR_CHOICES), default="auto", show_default=True,
        help="Colour severities and rule IDs: auto = when stdout is a terminal, unless NO_COLOR is set "
             "(FORCE_COLOR forces it).",
    )(fn)


def use_color(choice: str = "auto", stream=None) -> bool:
    """--color always|never wins; else NO_COLOR (any value) turns colour off, FORCE_COLOR (any value) on,
    and otherwise colour is used when the stream is a terminal."""
    if choice == "always":
        return True
    if choice == "never":
        return False
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    stream = stream if stream is not None else sys.stdout
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


def _is_json(text: str) -> bool:
    import json

    try:
        json.loads(text.lstrip("\ufeff"))
    except ValueError:
        return False  # e.g. a YAML flow mapping: {version: 1, ...}
    return True


def read_stdin_design(name: str):
    """A design given on stdin (`erdesign lint - --stdin-filename design.yaml`), located as `name`.

    YAML unless `name` ends with .json (then the JSON importers read it); without a file name,
    text that starts like JSON (`az ... show | erdesign lint -`) goes to the JSON importers too.
    """
    from ..loader import parse_design_text, resolve

    text = sys.stdin.read()
    piped_json = name == "<stdin>" and text.lstrip("\ufeff \t\r\n")[:1] in ("{", "[") and _is_json(text)
    if name.lower().endswith(".json") or piped_json:
        from ..importers import import_json_many

        design = import_json_many([(text, name)])
    else:
        design = parse_design_text(text, name)
    resolve(design)
    return design
