"""`erdesign completion SHELL`: print the shell completion script (click's) for bash, zsh or fish."""
from __future__ import annotations

import click

SHELLS = ("bash", "zsh", "fish")
_INSTALL = {
    "bash": 'eval "$(erdesign completion bash)"            # in ~/.bashrc',
    "zsh": 'eval "$(erdesign completion zsh)"             # in ~/.zshrc',
    "fish": "erdesign completion fish > ~/.config/fish/completions/erdesign.fish",
}


@click.command(epilog="\b\nInstall:\n" + "\n".join(f"  {line}" for line in _INSTALL.values()))
@click.argument("shell", type=click.Choice(SHELLS))
def completion(shell):
    """Print the completion script for SHELL (commands, options, rule formats, file names)."""
    from click.shell_completion import get_completion_class

    from . import cli

    completer = get_completion_class(shell)(cli, {}, "erdesign", "_ERDESIGN_COMPLETE")
    click.echo(completer.source())
