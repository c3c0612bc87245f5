"""The erdesign command line: a thin layer over the library.

Subcommands live in their own modules and are imported only when run, so that
`erdesign --version` and pre-commit hooks start fast.
"""
from __future__ import annotations

import importlib
import importlib.util
import sys

import click

from .. import __version__

# command name -> (module, attribute, one-line help shown in `erdesign --help`)
_COMMANDS = {
    "lint": ("erdesign.cli.lint", "lint", "Check a design for ExpressRoute limits and mistakes."),
    "cost": ("erdesign.cli.cost", "cost", "Price a design: the whole TCO, metered vs unlimited."),
    "import": ("erdesign.cli.importcmd", "import_", "Turn az CLI JSON / ARM / Terraform plans into a design YAML."),
    "rules": ("erdesign.cli.rules", "rules", "List the rule catalog, or explain one rule."),
    "pricing": ("erdesign.cli.pricing", "pricing", "Work with price books (fetch or import Azure Retail Prices)."),
    "schema": ("erdesign.cli.schema", "schema", "Print the JSON Schema of the design format."),
    "diff": ("erdesign.cli.diff", "diff", "Compare two designs: change safety, findings and cost deltas."),
    "diagram": ("erdesign.cli.diagram", "diagram", "Draw a design's topology (Mermaid, DOT, SVG/PNG)."),
    "completion": ("erdesign.cli.completion", "completion", "Print the shell completion script (bash, zsh, fish)."),
    "router-config": ("erdesign.cli.routerconfig", "router_config", "Render the router side of the ExpressRoute links."),
    "runbook": ("erdesign.cli.runbook", "runbook", "Build or teardown runbook of a design: order, az commands, gates."),
}


class LazyGroup(click.Group):
    def list_commands(self, ctx):
        return [name for name, (mod, _, _) in _COMMANDS.items() if _module_exists(mod)]

    def get_command(self, ctx, name):
        if name not in _COMMANDS:
            return None
        module_name, attr, _ = _COMMANDS[name]
        if not _module_exists(module_name):
            return None
        return getattr(importlib.import_module(module_name), attr)

    def invoke(self, ctx):
        """Run the subcommand; its -o outputs are committed only if it ends with exit code 0 or 1."""
        _start_run()
        try:
            result = super().invoke(ctx)
        except SystemExit as exc:
            _end_run(exc.code in (0, 1, None))
            raise
        except click.exceptions.Exit as exc:
            _end_run(exc.exit_code in (0, 1))
            raise
        except BaseException:
            _end_run(False)
            raise
        _end_run(True)
        return result

    def format_commands(self, ctx, formatter):
        rows = [(name, _COMMANDS[name][2]) for name in self.list_commands(ctx)]
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


def _start_run() -> None:
    from ..inputgate import forget_files_read

    forget_files_read()


def _end_run(success: bool) -> None:
    """Commit (or, on failure, discard) the outputs a command prepared; imports nothing if none."""
    io = sys.modules.get("erdesign.cli._io")
    if io is not None:
        io.commit_outputs() if success else io.discard_outputs()


def _module_exists(module_name: str) -> bool:
    return importlib.util.find_spec(module_name) is not None


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="erdesign")
def cli():
    """erdesign: lint and cost Azure ExpressRoute designs offline, before you order the circuit."""


def main(argv=None):
    """Console entry point: no traceback ever reaches the user."""
    from ..errors import InputError, InputErrors

    try:
        try:
            cli.main(args=argv, prog_name="erdesign", standalone_mode=False)
        except BaseException:
            _end_run(False)  # whatever went wrong, nothing is written
            raise
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(130)
    except click.exceptions.ClickException as exc:
        exc.show()
        sys.exit(2)
    except (InputError, InputErrors) as exc:
        click.echo(str(exc), err=True)
        sys.exit(2)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except BrokenPipeError:
        sys.exit(1)
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as exc:  # a bug of ours: say so in one line, keep the trace for --debug users
        if "--debug" in sys.argv or __import__("os").environ.get("ERDESIGN_DEBUG"):
            raise
        from ..errors import clip_message, one_line

        click.echo(f"erdesign: internal error: {type(exc).__name__}: {clip_message(one_line(str(exc)))} "
                   "(set ERDESIGN_DEBUG=1 for the traceback; please report it)", err=True)
        sys.exit(2)
    sys.exit(0)
