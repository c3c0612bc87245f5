"""The one gate every file erdesign reads goes through.

Designs, folders' files, JSON imports, ARM parameters, configuration, price books
and Retail Prices pages are all read with :func:`read_input_text`, which

- reads regular files only: a FIFO, device, socket or folder is refused from its
  ``stat`` without being opened for reading (so nothing blocks or streams forever);
- reads standard input only when the name is exactly ``-``;
- refuses a file larger than the input size limit (``ERDESIGN_MAX_INPUT_BYTES``,
  default :data:`DEFAULT_MAX_INPUT_BYTES`) before reading it;
- names a symlink loop as such;
- turns a decoding error into file:line:col;
- remembers every file it read, so that an output (``-o``) is never written over one.
"""
from __future__ import annotations

import errno
import os
import stat
import sys
from typing import NamedTuple

from .errors import InputError, Loc, clip

STDIN = "-"
STDIN_LABEL = "<stdin>"
MAX_INPUT_BYTES_ENV = "ERDESIGN_MAX_INPUT_BYTES"
# A generated 5,000-customer design (10,000 VNets) is about 4.5 MB; 10,000 customers about 9 MB.
DEFAULT_MAX_INPUT_BYTES = 16 * 1024 * 1024


class FileIdentity(NamedTuple):
    """A file the run read: its resolved path and its (device, inode) pair."""

    path: str
    device: int
    inode: int


_files_read: dict[FileIdentity, None] = {}


def files_read() -> list[FileIdentity]:
    """Every file read through the gate since the last :func:`forget_files_read`."""
    return list(_files_read)


def forget_files_read() -> None:
    _files_read.clear()


def remember_file_read(path: str | os.PathLike) -> None:
    """Note a file read outside :func:`read_input_text` (kept for outputs' sake)."""
    try:
        st = os.stat(path)
    except (OSError, ValueError):
        return
    _files_read[FileIdentity(os.path.realpath(path), st.st_dev, st.st_ino)] = None


def max_input_bytes() -> int:
    """The input size limit in bytes: ERDESIGN_MAX_INPUT_BYTES (a positive integer, with an optional
    K, M or G suffix) or the default."""
    raw = os.environ.get(MAX_INPUT_BYTES_ENV, "").strip()
    if not raw:
        return DEFAULT_MAX_INPUT_BYTES
    factor = {"K": 1024, "M": 1024 ** 2, "G": 1024 ** 3}.get(raw[-1:].upper(), 1)
    digits = raw[:-1] if factor != 1 else raw
    if not digits.isdecimal() or len(digits) > 15 or int(digits) <= 0:
        raise InputError(f"{MAX_INPUT_BYTES_ENV} must be a positive number of bytes (e.g. 67108864 or 64M), "
                         f"not {clip(raw)!r}")
    return int(digits) * factor


DEFAULT_MAX_VALUES = 1_000_000  # values in one YAML or JSON input; the 10,000-VNet estate of benchmarks/generate.py
#                                 (S3: 100,000 prefixes, 9.9 MB of YAML) has 841,000


def max_values() -> int:
    """How many values (YAML nodes, JSON values) one input may hold: DEFAULT_MAX_VALUES, raised in
    proportion when ERDESIGN_MAX_INPUT_BYTES raises the size limit."""
    limit = max_input_bytes()
    if limit <= DEFAULT_MAX_INPUT_BYTES:
        return DEFAULT_MAX_VALUES
    return DEFAULT_MAX_VALUES * limit // DEFAULT_MAX_INPUT_BYTES


def describe_size(size: int) -> str:
    if size >= 1024 ** 2 and size % (1024 ** 2) == 0:
        return f"{size // 1024 ** 2} MiB"
    if size >= 1024 ** 2:
        return f"{size / 1024 ** 2:.1f} MiB"
    return f"{size} bytes"


def check_readable_file(path: str, what: str = "file") -> os.stat_result:
    """stat `path` (following symlinks) and refuse anything that is not a regular file within the limit."""
    try:
        st = os.stat(path)
    except OSError as exc:
        raise _os_error(exc, path, what) from None
    except ValueError:  # an embedded NUL byte
        raise InputError(f"cannot read {what}: the name is not a valid path", file=_label(path)) from None
    if stat.S_ISDIR(st.st_mode):
        raise InputError(f"cannot read {what}: it is a folder, a file was expected", file=path)
    if not stat.S_ISREG(st.st_mode):
        hint = " (use - to read standard input)" if what == "file" else ""
        raise InputError(f"cannot read {what}: it is {_kind(st.st_mode)}, not a regular file{hint}", file=path)
    limit = max_input_bytes()
    if st.st_size > limit:
        raise InputError(f"{what} is too large: {describe_size(st.st_size)}, the limit is {describe_size(limit)} "
                         f"(set {MAX_INPUT_BYTES_ENV} to raise it)", Loc(path, 1, 1))
    return st


def read_input_bytes(path: str | os.PathLike, what: str = "file") -> bytes:
    """The bytes of one input file (or of standard input for ``-``), through the gate."""
    path = os.fspath(path)
    limit = max_input_bytes()
    if path == STDIN:
        data = sys.stdin.buffer.read(limit + 1)
        if len(data) > limit:
            raise InputError(f"{what} on standard input is too large: more than {describe_size(limit)} "
                             f"(set {MAX_INPUT_BYTES_ENV} to raise it)", Loc(STDIN_LABEL, 1, 1))
        return data
    check_readable_file(path, what)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise _os_error(exc, path, what) from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):  # replaced between stat and open
            raise InputError(f"cannot read {what}: it is {_kind(st.st_mode)}, not a regular file", file=path)
        chunks, total = [], 0
        while total <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
    except OSError as exc:
        raise _os_error(exc, path, what) from None
    finally:
        os.close(fd)
    if total > limit:
        raise InputError(f"{what} is too large: more than {describe_size(limit)} "
                         f"(set {MAX_INPUT_BYTES_ENV} to raise it)", Loc(path, 1, 1))
    _files_read[FileIdentity(os.path.realpath(path), st.st_dev, st.st_ino)] = None
    return b"".join(chunks)


def read_input_text(path: str | os.PathLike, what: str = "file", *, utf16: bool = False) -> str:
    """The text of one input (UTF-8, a leading byte-order mark dropped; UTF-16 with a BOM when
    `utf16`); a decoding error is an InputError at file:line:col."""
    path = os.fspath(path)
    data = read_input_bytes(path, what)
    label = STDIN_LABEL if path == STDIN else path
    if utf16 and data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        # Windows PowerShell 5.1 writes `az ... > file.json` as UTF-16 with a byte-order mark.
        encoding = "utf-16"
    else:
        encoding = "utf-8-sig"
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise InputError(f"not {'UTF-16' if encoding == 'utf-16' else 'UTF-8'} text: {exc.reason} "
                         f"(byte 0x{data[exc.start]:02x})", decode_error_loc(data, exc.start, label, encoding)) from None


def decode_error_loc(data: bytes, offset: int, file: str, encoding: str = "utf-8-sig") -> Loc:
    """The line:col (in characters) of byte `offset` of `data`."""
    if encoding == "utf-16":
        text = data[:offset - offset % 2].decode("utf-16", errors="replace")
        line_start = text.rfind("\n") + 1
        return Loc(file, text.count("\n") + 1, len(text) - line_start + 1)
    line_start = data.rfind(b"\n", 0, offset) + 1
    line = data.count(b"\n", 0, offset) + 1
    prefix = data[line_start:offset]
    if line == 1 and prefix.startswith(b"\xef\xbb\xbf"):
        prefix = prefix[3:]
    return Loc(file, line, len(prefix.decode("utf-8", errors="replace")) + 1)


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISDIR(mode):
        return "a folder"
    return "not a regular file"


def _label(path: str) -> str:
    return path.replace("\x00", "\\x00")


def _os_error(exc: OSError, path: str, what: str) -> InputError:
    if exc.errno == errno.ELOOP:
        reason = "symlink loop (the link points back to itself)"
    elif exc.errno == errno.ENOENT:
        reason = "no such file" if not os.path.islink(path) else "the symlink points to a missing file"
    elif exc.errno == errno.ENAMETOOLONG:
        reason = "the name is too long"
    else:
        reason = exc.strerror or str(exc)
    if exc.errno == errno.ENOENT and what == "file":
        return InputError(reason, file=_label(path))
    return InputError(f"cannot read {what}: {reason}", file=_label(path))


def deep_nesting_loc(text: str, file: str, limit: int = 100) -> Loc:
    """Where brackets ([ {) in `text` first nest deeper than `limit` (quoted text skipped roughly);
    for parsers that only report a RecursionError."""
    depth, line, line_start, quote = 0, 1, 0, ""
    for i, ch in enumerate(text):
        if ch == "\n":
            line, line_start = line + 1, i + 1
        elif quote:
            if ch == quote and text[i - 1] != "\\":
                quote = ""
        elif ch in "\"'":
            quote = ch
        elif ch in "[{":
            depth += 1
            if depth > limit:
                return Loc(file, line, i - line_start + 1)
        elif ch in "]}":
            depth -= 1
    return Loc(file, 1, 1)
