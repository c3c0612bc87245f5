"""Small output helpers shared by the subcommands."""
from __future__ import annotations

import os
import tempfile

import click

INPUTS_KEY = "erdesign.inputs"  # click context meta: the files this invocation read


def remember_inputs(files) -> None:
    """Note the files the current command read, so that -o can never overwrite one of them."""
    ctx = click.get_current_context(silent=True)
    if ctx is not None:
        ctx.meta.setdefault(INPUTS_KEY, []).extend(str(f) for f in files)


def _is_an_input(path: str) -> bool:
    ctx = click.get_current_context(silent=True)
    if ctx is None or not os.path.exists(path):
        return False
    for name in ctx.meta.get(INPUTS_KEY, []):
        try:
            if os.path.samefile(name, path):
                return True
        except OSError:
            continue
    return False


def write_atomic(path: str, text: str, what: str = "output") -> None:
    """Write `text` to `path` only once it is complete: a failure leaves the old file untouched.

    Refuses to overwrite a file the command read; any OS error becomes a one-line InputError.
    A new file gets the usual permissions (umask), an existing one keeps its own.
    """
    from ..errors import InputError

    if _is_an_input(path):
        raise InputError(f"refusing to write the {what} over an input file (choose another -o)", file=path)
    folder = os.path.dirname(os.path.abspath(path))
    try:
        mode = os.stat(path).st_mode & 0o7777 if os.path.exists(path) else 0o666 & ~_umask()
        fd, tmp = tempfile.mkstemp(prefix=".erdesign-", dir=folder)
    except OSError as exc:
        raise InputError(f"cannot write the {what}: {exc.strerror or exc}", file=path) from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except OSError as exc:
        _discard(tmp)
        raise InputError(f"cannot write the {what}: {exc.strerror or exc}", file=path) from None
    except BaseException:
        _discard(tmp)
        raise


def _discard(tmp: str) -> None:
    if os.path.exists(tmp):
        os.unlink(tmp)


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current
