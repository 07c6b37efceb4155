"""The one way commlint writes a file the user owns: reports, baselines, hooks, snapshots, --fix.

What it guarantees:
- a regular file is replaced atomically (temporary file in the same folder, fsync, rename), keeping
  its mode; readers never see half a file;
- a symlink is written through: its target gets the new content and the link stays a link;
- a file with more than one hard link is rewritten in place, so every name sees the new content
  (a rename would split the names); a copy of the old content is kept until the write is done;
- a device or FIFO is written through (opened for writing, never created or truncated), and a FIFO
  with no reader is refused instead of blocking; a socket or folder is refused;
- a read-only file is refused with a message, even for root (who could write it);
- missing parent folders are created.
Every refusal is a WriteError whose message names the path and the reason in plain words.
"""
from __future__ import annotations

import errno
import fcntl
import os
import stat
import tempfile

TEMP_PREFIX = ".commlint-"
TEMP_SUFFIX = ".tmp"


class WriteError(Exception):
    """A file commlint was asked to write and did not; the message says why."""


def write_file(path: str | os.PathLike[str], data: bytes | str, *, mode: int | None = None, new_only: bool = False) -> None:
    """Write `data` (str is written as UTF-8) to `path` under the rules in the module docstring.

    `mode` sets the permission bits of a file created here (default: rw-r--r-- after umask);
    an existing file keeps its own. `new_only`: refuse if anything exists at `path` (a file, a
    link, even a dangling one); the new file appears whole or not at all, and a file made at
    the same moment by someone else is never overwritten.
    """
    payload = data.encode("utf-8") if isinstance(data, str) else data
    shown = os.fspath(path)
    if new_only:
        _create_new(shown, payload, _new_file_mode(mode))
        return
    target = os.path.realpath(shown)  # through every symlink, to the file that really gets written
    try:
        info = os.stat(target)
    except FileNotFoundError:
        info = None
    except OSError as error:
        raise WriteError(f"{shown}: cannot write here ({error.strerror or error})") from error
    try:
        if info is None:
            os.makedirs(os.path.dirname(target) or ".", exist_ok=True)
            _replace_atomically(target, payload, _new_file_mode(mode))
        elif stat.S_ISDIR(info.st_mode):
            raise WriteError(f"{shown}: is a folder; give a file name")
        elif stat.S_ISSOCK(info.st_mode):
            raise WriteError(f"{shown}: is a socket; not written")
        elif stat.S_ISCHR(info.st_mode) or stat.S_ISBLK(info.st_mode) or stat.S_ISFIFO(info.st_mode):
            _write_through(target, payload, shown, fifo=stat.S_ISFIFO(info.st_mode))
        elif not (info.st_mode & stat.S_IWUSR) or not os.access(target, os.W_OK):
            raise WriteError(f"{shown}: is read-only; not changed (make it writable first if you mean it)")
        elif info.st_nlink > 1:
            _rewrite_in_place(target, payload)
        else:
            _replace_atomically(target, payload, stat.S_IMODE(info.st_mode), info)
    except WriteError:
        raise
    except OSError as error:
        raise WriteError(f"{shown}: could not write ({error.strerror or error})") from error


def _new_file_mode(mode: int | None) -> int:
    umask = os.umask(0)
    os.umask(umask)
    return (0o666 if mode is None else mode) & ~umask


def _temporary_copy(folder: str, payload: bytes, mode: int) -> str:
    """`payload` in a new temporary file in `folder`, on disk (fsync) with `mode`: its path."""
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=TEMP_PREFIX, suffix=TEMP_SUFFIX)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(payload)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, mode)
    except BaseException:
        os.unlink(temporary)
        raise
    return temporary


def _replace_atomically(target: str, payload: bytes, mode: int, old: os.stat_result | None = None) -> None:
    folder = os.path.dirname(target) or "."
    temporary = _temporary_copy(folder, payload, mode)
    try:
        if old is not None and hasattr(os, "chown"):
            try:  # keep the owner when root rewrites someone else's file
                os.chown(temporary, old.st_uid, old.st_gid)
            except PermissionError:
                pass
        os.replace(temporary, target)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise
    _sync_folder(folder)


def _create_new(path: str, payload: bytes, mode: int) -> None:
    if os.path.lexists(path):
        raise WriteError(f"{path}: already exists; not overwritten")
    folder = os.path.dirname(path) or "."
    try:
        os.makedirs(folder, exist_ok=True)
        temporary = _temporary_copy(folder, payload, mode)
    except OSError as error:
        raise WriteError(f"{path}: could not write ({error.strerror or error})") from error
    try:
        os.link(temporary, path)  # unlike a rename, a link never replaces what is there
    except FileExistsError as error:
        raise WriteError(f"{path}: already exists; not overwritten") from error
    except OSError as error:
        raise WriteError(f"{path}: could not write ({error.strerror or error})") from error
    finally:
        os.unlink(temporary)
    _sync_folder(folder)


def _rewrite_in_place(target: str, payload: bytes) -> None:
    """Hard-linked: every name must see the change, so the inode is rewritten, not replaced.
    The old content is kept in a temporary copy until the new content is safely on disk."""
    folder = os.path.dirname(target) or "."
    with open(target, "rb") as current:
        old = current.read()
    handle, backup = tempfile.mkstemp(dir=folder, prefix=TEMP_PREFIX, suffix=".backup")
    with os.fdopen(handle, "wb") as out:
        out.write(old)
        out.flush()
        os.fsync(out.fileno())
    with open(target, "r+b") as out:
        out.write(payload)
        out.truncate()
        out.flush()
        os.fsync(out.fileno())
    os.unlink(backup)


def _write_through(target: str, payload: bytes, shown: str, fifo: bool) -> None:
    """Devices and FIFOs are written as they are (like a shell redirect), never replaced."""
    flags = os.O_WRONLY | (os.O_NONBLOCK if fifo else 0)
    try:
        descriptor = os.open(target, flags)
    except OSError as error:
        if fifo and error.errno == errno.ENXIO:
            raise WriteError(f"{shown}: is a FIFO that nobody is reading; not written") from error
        raise
    try:
        if fifo:  # opened without blocking; now write normally so a slow reader gets everything
            fcntl.fcntl(descriptor, fcntl.F_SETFL, fcntl.fcntl(descriptor, fcntl.F_GETFL) & ~os.O_NONBLOCK)
        view = memoryview(payload)
        while view:
            written = os.write(descriptor, view)
            view = view[written:]
    finally:
        os.close(descriptor)


def _sync_folder(folder: str) -> None:
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)
