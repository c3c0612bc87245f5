"""The one output gate for `-o`, shared by the subcommands.

`write_atomic` does not write the target: it checks it (a regular file or a new
path only, never a file the run read), writes the text completely to a temporary
file beside it, and keeps it pending. The command group commits pending outputs
(an atomic rename) only when the command ends with exit code 0 or 1; any other
end — an input error, an internal error, exit 2, Ctrl-C — discards them, so a
failed run writes nothing.
"""
from __future__ import annotations

import os
import stat

INPUTS_KEY = "erdesign.inputs"  # kept for callers; inputs are remembered by erdesign.inputgate

_pending: list[tuple[str, str, str]] = []  # (temporary file, target, what)


def remember_inputs(files) -> None:
    """Note files the current command read (beyond those read through the input gate)."""
    from ..inputgate import remember_file_read

    for name in files:
        remember_file_read(str(name))


def check_output_target(path: str, what: str = "output") -> None:
    """Refuse a target that is not a regular file or a new path, or that is a file the run read."""
    from ..errors import InputError
    from ..inputgate import files_read

    try:
        st = os.lstat(path)
    except FileNotFoundError:
        st = None
    except (OSError, ValueError) as exc:
        raise InputError(f"cannot write the {what}: {getattr(exc, 'strerror', None) or exc}", file=path) from None
    if st is not None:
        if stat.S_ISLNK(st.st_mode):
            raise InputError(f"refusing to write the {what} through a symlink (give the real path with -o)",
                             file=path)
        if not stat.S_ISREG(st.st_mode):
            raise InputError(f"refusing to write the {what} over {_kind(st.st_mode)}: -o takes a regular file "
                             "or a new path", file=path)
    resolved = os.path.realpath(path)
    for source in files_read():
        same_inode = st is not None and (source.device, source.inode) == (st.st_dev, st.st_ino)
        if same_inode or source.path == resolved:
            raise InputError(f"refusing to write the {what} over an input file (choose another -o)", file=path)


def write_atomic(path: str, text: str | bytes, what: str = "output", executable: bool = False) -> None:
    """Prepare `text` (or bytes: a picture) for `path`; it replaces the target (atomically) only if the run
    succeeds.

    A new file gets the usual permissions (umask; executable ones for a script), an existing one keeps
    its own; any OS error becomes a one-line InputError.
    """
    import tempfile

    from ..errors import InputError

    check_output_target(path, what)
    folder = os.path.dirname(os.path.abspath(path))
    try:
        umask = _umask()
        mode = os.stat(path).st_mode & 0o7777 if os.path.exists(path) else (0o777 if executable else 0o666) & ~umask
        if executable:
            mode |= 0o111 & ~umask
        fd, tmp = tempfile.mkstemp(prefix=".erdesign-", dir=folder)
    except OSError as exc:
        raise InputError(f"cannot write the {what}: {exc.strerror or exc}", file=path) from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(text if isinstance(text, bytes) else text.encode("utf-8"))
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
    except OSError as exc:
        _unlink(tmp)
        raise InputError(f"cannot write the {what}: {exc.strerror or exc}", file=path) from None
    except BaseException:
        _unlink(tmp)
        raise
    _pending.append((tmp, path, what))


def commit_outputs() -> None:
    """Move every pending output into place (checked again just before)."""
    from ..errors import InputError

    try:
        while _pending:
            tmp, path, what = _pending[0]
            check_output_target(path, what)
            try:
                os.replace(tmp, path)
            except OSError as exc:
                raise InputError(f"cannot write the {what}: {exc.strerror or exc}", file=path) from None
            _pending.pop(0)
    finally:
        discard_outputs()


def discard_outputs() -> None:
    """Forget every pending output; the targets stay as they were."""
    while _pending:
        tmp, _, _ = _pending.pop()
        _unlink(tmp)


def _unlink(tmp: str) -> None:
    try:
        os.unlink(tmp)
    except OSError:
        pass


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "something that is not a regular file"


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current
