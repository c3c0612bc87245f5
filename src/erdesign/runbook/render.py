"""Runbooks as markdown (for people), a bash script (dry run unless --execute) and JSON (for tools)."""
from __future__ import annotations

import json
import re
import shlex
from typing import Optional

from .model import Command, Runbook, Step, Var, Word

FORMATS = ("markdown", "sh", "json")

# Gate timeouts in the script: our defaults (Microsoft documents no upper bound), overridable from the environment.
_TIMEOUT_DEFAULTS = {"PROVIDER_TIMEOUT_MINUTES": 10080, "GATEWAY_TIMEOUT_MINUTES": 180, "GATE_TIMEOUT_MINUTES": 60,
                     "EMPTY_GROUP_TIMEOUT_MINUTES": 10, "ROUTERS_TIMEOUT_MINUTES": 1440}


def _word(word: Word) -> str:
    return word.shell if isinstance(word, Var) else shlex.quote(word)


def shell_line(cmd: Command) -> str:
    return " ".join(_word(w) for w in cmd.argv)


def _plain(word: Word) -> str:
    return word.text if isinstance(word, Var) and word.raw else ("$" + word.text if isinstance(word, Var) else word)


def render(runbook: Runbook, fmt: str = "markdown", *, origin: str = "") -> str:
    if fmt == "markdown":
        return to_markdown(runbook, origin=origin)
    if fmt == "sh":
        return to_sh(runbook, origin=origin)
    if fmt == "json":
        return to_json(runbook, origin=origin)
    raise ValueError(f"unknown runbook format {fmt!r} (one of {', '.join(FORMATS)})")


def _numbers(runbook: Runbook) -> dict[str, int]:
    return {s.id: i for i, s in enumerate(runbook.steps, 1)}


def _handoff_text(value) -> str:
    if isinstance(value, Var):
        return f"the output of the command above (${value.text})"
    return str(value)


# --------------------------------------------------------------------------- markdown

def to_markdown(runbook: Runbook, *, origin: str = "") -> str:
    num = _numbers(runbook)
    title = "Build" if runbook.kind == "build" else "Teardown"
    out = [f"# {title} runbook: {runbook.design}", ""]
    out.append(f"Derived by erdesign{' from ' + origin if origin else ''}: each step comes after the steps it "
               "needs; among the others, the order of the seed note and Microsoft's documentation applies. "
               "Do not start a step before the gate of the previous one is met.")
    out.append("")
    if runbook.assumptions:
        out += ["Assumptions:", ""] + [f"- {a}" for a in runbook.assumptions] + [""]
    if runbook.assumed_existing:
        out += ["Done already (outside this runbook):", ""] + [f"- `{s}`" for s in runbook.assumed_existing] + [""]
    if runbook.secrets:
        out += ["Secrets come from the environment and are never written here: "
                + ", ".join(f"`{s}`" for s in runbook.secrets), ""]
    for step in runbook.steps:
        out += _md_step(step, num)
    out += ["## Sources", ""]
    for src in runbook.sources:
        link = f" <{src['url']}>" if src.get("url") else ""
        out.append(f"- {src['id']}: {src['title']}{link}" + (f" ({src['as_of']})" if src.get("as_of") else ""))
    return "\n".join(out).rstrip() + "\n"


def _md_step(step: Step, num: dict[str, int]) -> list[str]:
    out = [f"## {num[step.id]}. {step.title}", "", f"- **Who:** {step.actor}"]
    needs = sorted(num[n] for n in step.needs if n in num)
    if needs:
        out.append("- **After:** " + ", ".join(f"step {n}" for n in needs))
    if step.duration:
        out.append(f"- **Usual duration:** {step.duration}" + (f" ({step.duration_source})" if step.duration_source
                                                                 else ""))
    out.append("")
    if step.commands:
        out.append("```sh")
        for cmd in step.commands:
            out.append((f"{cmd.capture}=$(" + shell_line(cmd) + ")") if cmd.capture else shell_line(cmd))
        out += ["```", ""]
    if step.handoff:
        who = "they" if step.actor != "you" and not step.actor.startswith("you") else "you"
        out.append(f"What {who} need:" if who == "they" else "Settings:")
        out.append("")
        out += [f"- {k}: {_handoff_text(v)}" for k, v in step.handoff.items()]
        out.append("")
    if step.gate:
        g = step.gate
        out += [f"**Gate:** wait until `{shell_line(g.command)}` prints `{g.expect}` ({g.what})."
                + (f" Source: {g.source}." if g.source else ""), ""]
    for note in step.notes:
        out += [f"> {note}", ""]
    if step.on_failure:
        out += [f"**If it fails:** {step.on_failure}", ""]
    return out


# --------------------------------------------------------------------------- sh

_SH_PRELUDE = r'''set -euo pipefail

EXECUTE=0
for arg in "$@"; do
  case "$arg" in
    --execute) EXECUTE=1 ;;
    -h|--help) echo "usage: $0 [--execute]   (without --execute the commands are only printed)"; exit 0 ;;
    *) echo "unknown argument: $arg (pass --execute to run the commands)" >&2; exit 2 ;;
  esac
done

# Minutes to wait at each kind of gate and seconds between polls: defaults of ours, not Microsoft
# figures (Microsoft documents no upper bound); override them from the environment.
{timeouts}
POLL_SECONDS="${{POLL_SECONDS:-60}}"

run() {{
  if [ "$EXECUTE" -eq 1 ]; then
    "$@"
  else
    printf '+'; printf ' %q' "$@"; printf '\n'
  fi
}}

capture() {{  # capture VAR COMMAND...: put the command's output in VAR
  local var=$1
  shift
  if [ "$EXECUTE" -eq 1 ]; then
    printf -v "$var" '%s' "$("$@")"
  else
    printf '+ %s=\x24(' "$var"; printf ' %q' "$@"; printf ' )\n'
    printf -v "$var" '<%s>' "$var"
  fi
}}

wait_for() {{  # wait_for WHAT EXPECTED TIMEOUT_MINUTES COMMAND...
  local what=$1 expected=$2 minutes=$3
  shift 3
  if [ "$EXECUTE" -ne 1 ]; then
    printf '+ wait until %s is %s (up to %s min):' "$what" "$expected" "$minutes"; printf ' %q' "$@"; printf '\n'
    return 0
  fi
  local deadline value
  deadline=$(( $(date +%s) + minutes * 60 ))
  while true; do
    value=$("$@" 2>/dev/null || true)
    if [ "$value" = "$expected" ]; then
      echo "$what is $value"
      return 0
    fi
    if [ "$(date +%s)" -ge "$deadline" ]; then
      echo "gave up after $minutes min: $what is '${{value:-?}}', expected '$expected'" >&2
      return 1
    fi
    echo "waiting: $what is '${{value:-?}}', expected '$expected'"
    sleep "$POLL_SECONDS"
  done
}}

step() {{ printf '\n== %s\n' "$*"; }}

tell() {{ printf '   %s\n' "$@"; }}
'''

_VAR_REF = re.compile(r"\$\{[A-Z_][A-Z0-9_]*\}")


def _dq(text: str) -> str:
    """Double-quoted shell text, literal except for ${NAME} references."""
    out, last = [], 0
    for m in _VAR_REF.finditer(text):
        out.append(_escape_dq(text[last:m.start()]) + m.group(0))
        last = m.end()
    out.append(_escape_dq(text[last:]))
    return '"' + "".join(out) + '"'


def _escape_dq(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("$", "\\$").replace("`", "\\`")


def to_sh(runbook: Runbook, *, origin: str = "") -> str:
    num = _numbers(runbook)
    title = "Build" if runbook.kind == "build" else "Teardown"
    used_timeouts = sorted({s.gate.timeout_variable for s in runbook.steps if s.gate})
    timeouts = "\n".join(f'{v}="${{{v}:-{_TIMEOUT_DEFAULTS.get(v, 60)}}}"' for v in used_timeouts) or ":"
    head = ["#!/usr/bin/env bash",
            f"# {title} runbook for design {runbook.design!r}, derived by erdesign{' from ' + origin if origin else ''}.",
            "# Dry run by default: every command is printed and nothing runs. Pass --execute to run them.",
            "# Steps marked (carrier) or (colocation provider) are done by someone else: the script prints what",
            "# they need and then waits at the gate until Azure shows their work is done."]
    for a in runbook.assumptions:
        head.append(f"# Assumption: {a}")
    for s in runbook.assumed_existing:
        head.append(f"# Done already (outside this runbook): {s}")
    out = head + [_SH_PRELUDE.format(timeouts=timeouts)]
    env_vars = list(runbook.secrets)
    if any("${SUBSCRIPTION_ID}" in shell_line(c) for s in runbook.steps for c in _all_commands(s)):
        env_vars.append("SUBSCRIPTION_ID")
    if env_vars:
        out.append("# Values from the environment (secrets are never written in the runbook).")
        for var in env_vars:
            out.append(f'{var}="${{{var}:-}}"')
        out.append("require_env() {")
        out.append("  local name")
        out.append('  for name in "$@"; do')
        out.append('    if [ -z "${!name}" ]; then echo "set $name before running with --execute" >&2; exit 2; fi')
        out.append("  done")
        out.append("}")
        out.append('if [ "$EXECUTE" -eq 1 ]; then')
        out.append("  require_env " + " ".join(env_vars))
        out.append("else")
        for var in env_vars:
            out.append(f"  {var}='<{var}>'")
        out.append("fi")
        out.append("")
    for step in runbook.steps:
        out += _sh_step(step, num)
    out.append("")
    out.append(f'echo "{title} runbook finished ({len(runbook.steps)} steps)."')
    return "\n".join(out) + "\n"


def _all_commands(step: Step):
    yield from step.commands
    if step.gate:
        yield step.gate.command


def _sh_step(step: Step, num: dict[str, int]) -> list[str]:
    out = ["", f"step {_dq(f'{num[step.id]}. {step.title} ({step.actor})')}"]
    for cmd in step.commands:
        if cmd.capture:
            out.append(f"capture {cmd.capture} " + shell_line(cmd))
        else:
            out.append("run " + shell_line(cmd))
    if step.handoff:
        lines = []
        for key, value in step.handoff.items():
            shown = "${" + value.text + "}" if isinstance(value, Var) else str(value)
            lines.append(_dq(f"{key}: {shown}"))
        out.append("tell " + " \\\n     ".join(lines))
    for note in step.notes:
        out.append("tell " + _dq(note))
    if step.gate:
        g = step.gate
        out.append(f"wait_for {shlex.quote(g.what)} {shlex.quote(g.expect)} \"${g.timeout_variable}\" "
                   + shell_line(g.command))
    return out


# --------------------------------------------------------------------------- json

def to_json(runbook: Runbook, *, origin: str = "") -> str:
    num = _numbers(runbook)

    def command(cmd: Optional[Command]):
        if cmd is None:
            return None
        return {"argv": [_plain(w) for w in cmd.argv], "line": shell_line(cmd), "capture": cmd.capture}

    steps = []
    for s in runbook.steps:
        steps.append({
            "number": num[s.id], "id": s.id, "title": s.title, "object": {"kind": s.kind, "name": s.name},
            "action": s.action, "who": s.actor, "commands": [command(c) for c in s.commands],
            "handoff": {k: (_handoff_text(v)) for k, v in s.handoff.items()},
            "gate": None if s.gate is None else {"what": s.gate.what, "command": command(s.gate.command),
                                                 "expect": s.gate.expect, "source": s.gate.source or None},
            "duration": s.duration, "duration_source": s.duration_source or None,
            "needs": [n for n in s.needs if n in num], "notes": list(s.notes), "on_failure": s.on_failure,
        })
    doc = {"runbook": runbook.kind, "design": runbook.design, "origin": origin or None,
           "assumptions": runbook.assumptions, "assumed_existing": runbook.assumed_existing,
           "secrets_from_environment": runbook.secrets, "steps": steps, "sources": runbook.sources}
    return json.dumps(doc, indent=2, default=str) + "\n"
