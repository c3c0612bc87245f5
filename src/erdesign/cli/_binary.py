"""Writing binary outputs (PNG/SVG pictures) with the same guarantees as text outputs:
never over an input file, atomically, and any OS error as one located line."""
from __future__ import annotations

import os
import tempfile

import click

from ._io import INPUTS_KEY


def _reads(path: str) -> bool:
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


def write_bytes_atomic(path: str, data: bytes, what: str = "picture") -> None:
    from ..errors import InputError

    if _reads(path):
        raise InputError(f"refusing to write the {what} over an input file (choose another -o)", file=path)
    folder = os.path.dirname(os.path.abspath(path))
    try:
        fd, tmp = tempfile.mkstemp(prefix=".erdesign-", dir=folder)
    except OSError as exc:
        raise InputError(f"cannot write the {what}: {exc.strerror or exc}", file=path) from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        current = os.umask(0)
        os.umask(current)
        os.chmod(tmp, 0o666 & ~current)
        os.replace(tmp, path)
    except OSError as exc:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise InputError(f"cannot write the {what}: {exc.strerror or exc}", file=path) from None
