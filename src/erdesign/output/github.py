"""GitHub Actions workflow commands: one annotation per active finding.

    ::error file=design.yaml,line=42,col=11,title=BGP001::circuit 'x' …%0Afix: …

Levels: error -> error, warning -> warning, info -> notice. Escaping follows
GitHub's runner: in the message, % CR LF; in properties also ':' and ','.
Paths are relative to the git work tree (the repository root GitHub resolves
them against), whatever folder erdesign ran in. Input errors become ::error
annotations at their file:line:col.
"""
from __future__ import annotations

from ._util import one_line, relative_path, source_root

_LEVEL = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _file_props(loc, file, root) -> list[str]:
    if loc is not None:
        return [f"file={escape_property(relative_path(loc.file, root))}", f"line={loc.line}", f"col={loc.col}"]
    return [f"file={escape_property(relative_path(file, root))}"] if file else []


def render(report, *, cwd=None, root=None, **_) -> str:
    root = root or source_root(cwd)
    lines = []
    for error in report.input_errors:
        props = _file_props(error.loc, error.file, root) + [f"title={escape_property('erdesign input error')}"]
        lines.append(f"::error {','.join(props)}::{escape_data(error.message)}")
    for f in report.active:
        props = []
        if f.loc is not None:
            props += _file_props(f.loc, None, root)
        props.append(f"title={escape_property(f.rule)}")
        message = f.message + (f"\nfix: {one_line(f.hint)}" if f.hint else "")
        lines.append(f"::{_LEVEL.get(f.severity, 'warning')} {','.join(props)}::{escape_data(message)}")
    for err in report.errors:
        lines.append(f"::error title={escape_property('erdesign internal error')}::{escape_data(str(err))}")
    lines.append(report.summary_line())
    return "\n".join(lines) + "\n"
