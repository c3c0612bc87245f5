"""What a runbook is made of: steps with their az commands, who does them, and the gates between them."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional, Union


@dataclass(frozen=True)
class Var:
    """A shell word that expands a variable, e.g. Var('SERVICE_KEY') or Var('/subscriptions/${SUB}/…', raw=True).

    Rendered double-quoted in scripts, so secrets (MD5 keys, authorization keys) never appear in the runbook.
    """

    text: str
    raw: bool = False

    @property
    def shell(self) -> str:
        body = self.text if self.raw else "${" + self.text + "}"
        return '"' + body.replace("\\", "\\\\").replace('"', '\\"').replace("`", "\\`") + '"'


Word = Union[str, Var]


@dataclass(frozen=True)
class Command:
    """One az command line; `capture` names the shell variable its output (-o tsv) goes into."""

    argv: tuple[Word, ...]
    capture: Optional[str] = None

    def text(self) -> str:
        from .render import shell_line

        return shell_line(self)


@dataclass(frozen=True)
class Gate:
    """What to wait for before the next step: run `command` until it prints `expect`."""

    what: str
    command: Command
    expect: str
    timeout_variable: str = "GATE_TIMEOUT_MINUTES"
    source: str = ""


@dataclass
class Step:
    """One step of a runbook.

    kind/name/action identify the design object and what happens to it (for the order checks);
    needs are the ids of the steps that must come first (dropped when they are outside the runbook).
    """

    id: str
    title: str
    kind: str
    name: str
    action: str
    actor: str = "you"
    commands: list[Command] = field(default_factory=list)
    gate: Optional[Gate] = None
    duration: Optional[str] = None
    duration_source: str = ""
    on_failure: str = ""
    handoff: dict = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    needs: list[str] = field(default_factory=list)
    phase: int = 0


@dataclass
class Runbook:
    kind: str  # "build" or "teardown"
    design: str
    steps: list[Step]
    assumptions: list[str] = field(default_factory=list)
    assumed_existing: list[str] = field(default_factory=list)
    sources: list[dict] = field(default_factory=list)
    secrets: list[str] = field(default_factory=list)
