"""Inputs on shared storage, named by fsspec URLs (`s3://bucket/archive/*.mbox`, `file:///srv/x/`,
`memory://...`). fsspec is imported only when such a URL is named; a cloud store needs only its
own fsspec package (s3fs, gcsfs, adlfs).

Reads are bounded as local ones are: by bytes (the size is asked first, and the read stops one
byte past the cap) and by time (a store that stops answering does not hold the run).
"""
from __future__ import annotations

import posixpath
import threading
from typing import Any

from ..model import InputError
from . import CONVERT_HINTS, MAX_BYTES, InputReadError, SourceRef, channel_of, format_of

READ_SECONDS = 120.0  # one input's read from a store, connecting included
INSTALL_HINT = "pip install 'commlint[dask]'"
_GLOB_CHARACTERS = "*?["


def is_remote(target: str) -> bool:
    """An fsspec URL: a scheme other than the web's (http and https are crawled instead)."""
    scheme, sep, _ = target.partition("://")
    return bool(sep) and scheme.isidentifier() and scheme.lower() not in ("http", "https")


def _filesystem(url: str) -> tuple[Any, str]:
    try:
        import fsspec
        from fsspec.core import url_to_fs
    except ImportError as error:
        raise InputReadError(f"reading storage URLs needs fsspec: {INSTALL_HINT}") from error
    del fsspec
    try:
        return url_to_fs(url)
    except (ImportError, ValueError) as error:  # an unknown scheme, or a store whose package is missing
        raise InputReadError(f"cannot open this storage: {error}") from error


def discover_remote(targets: list[str]) -> tuple[list[SourceRef], list[InputError]]:
    """The files a list of URLs names: a file, a folder (walked) or a glob. Listed here, on the
    client; read later, on a worker."""
    refs: list[SourceRef] = []
    errors: list[InputError] = []
    for target in targets:
        try:
            fs, path = _filesystem(target)
            scheme = target.partition("://")[0]
            if any(c in path for c in _GLOB_CHARACTERS):
                found, explicit = sorted(fs.glob(path)), False
            elif fs.isdir(path):
                found, explicit = sorted(fs.find(path)), False
            elif fs.exists(path):
                found, explicit = [path], True
            else:
                errors.append(InputError(target, "no such file or folder"))
                continue
        except InputReadError as error:
            errors.append(InputError(target, str(error)))
            continue
        except Exception as error:  # noqa: BLE001 - a store's own errors (credentials, network)
            errors.append(InputError(target, f"cannot list this storage ({type(error).__name__}: {error})"))
            continue
        for name in found:
            url = target if explicit else _url(scheme, name)
            fmt = format_of(name)
            if fmt is None:
                if explicit:
                    extension = posixpath.splitext(name)[1].lower()
                    reason = f"commlint cannot read {CONVERT_HINTS[extension]}" if extension in CONVERT_HINTS else "unsupported file type"
                    errors.append(InputError(target, reason))
                continue
            refs.append(SourceRef(url, fmt, url, explicit, channel_of(name, fmt)))
    return refs, errors


def _url(scheme: str, path: str) -> str:
    return path if "://" in path else f"{scheme}://{path}" if scheme != "file" else f"file://{path}"


def read_remote(url: str, limit: int = MAX_BYTES, seconds: float = READ_SECONDS) -> bytes:
    """An input's bytes from its store, capped in bytes and in time. Raises InputReadError."""
    box: list[object] = []

    def read() -> None:
        try:
            fs, path = _filesystem(url)
            size = fs.size(path)
            if size is not None and size > limit:
                raise InputReadError(f"file is {size // (1024 * 1024)} MB; commlint reads inputs up to {limit // (1024 * 1024)} MB")
            with fs.open(path, "rb") as handle:
                data = handle.read(limit + 1)
            if len(data) > limit:
                raise InputReadError(f"more than {limit // (1024 * 1024)} MB; commlint reads inputs up to {limit // (1024 * 1024)} MB")
            box.append(data)
        except InputReadError as error:
            box.append(error)
        except FileNotFoundError as error:
            box.append(InputReadError("no such file"))
            del error
        except Exception as error:  # noqa: BLE001 - a store's own errors, in plain words
            box.append(InputReadError(f"cannot read from storage ({type(error).__name__}: {error})"))

    # A daemon thread: a store that never answers is left behind, and the run goes on.
    thread = threading.Thread(target=read, name="commlint-remote-read", daemon=True)
    thread.start()
    thread.join(seconds)
    if not box:
        raise InputReadError(f"storage did not answer within {seconds:g} seconds")
    result = box[0]
    if isinstance(result, InputReadError):
        raise result
    assert isinstance(result, bytes)
    return result
