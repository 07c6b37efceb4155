"""Stage 1, sources: find the inputs named on the command line and read their bytes.

Nothing here looks inside a file beyond its name; formats are decided by extension.
"""
from __future__ import annotations

import os
import stat
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from ..model import InputError, InputWarning

# extension -> format understood by the extraction stage
FORMATS: dict[str, str] = {
    ".html": "html", ".htm": "html", ".xhtml": "html", ".shtml": "html",
    ".md": "markdown", ".markdown": "markdown", ".mdx": "markdown",
    ".txt": "text", ".text": "text",
    ".eml": "eml", ".mbox": "mbox",
    ".json": "social-json", ".jsonl": "social-json", ".ndjson": "social-json",
    ".csv": "social-csv", ".tsv": "social-csv",
    ".ftl": "fluent",
    ".docx": "docx",
}
# Files named on the command line that commlint cannot read, but the user can convert.
CONVERT_HINTS = {
    ".doc": "an old Word document (.doc); open it in Word, Google Docs or LibreOffice and save it as .docx",
    ".docm": "a Word document with macros (.docm); save it as .docx (Word Document) to have it checked",
}
# Folder names that tell the channel of what they hold (documented in the README).
CHANNEL_FOLDERS = {
    "email": "email", "emails": "email", "mail": "email", "newsletter": "email", "newsletters": "email",
    "social": "social", "posts": "social", "tweets": "social",
}
SKIPPED_FOLDERS = {".git", ".hg", ".svn", "node_modules", "__pycache__", ".venv", "venv", ".tox", ".mypy_cache"}
MAX_BYTES = 50 * 1024 * 1024
MANIFEST_MAX_BYTES = 64 * 1024 * 1024  # a 300,000-page snapshot's manifest stays well under this


@dataclass(frozen=True)
class SourceRef:
    """An input to read: its display path, where it lives, its format and what we know of it."""

    path: str  # as the user named it (relative stays relative)
    format: str
    location: str | None = None  # filesystem path; None for stdin
    explicit: bool = True  # named on the command line (not found by walking a folder)
    channel: str | None = None  # from the folder name; config and --channel override later
    charset: str | None = None  # declared by an HTTP header, for crawled pages


@dataclass(frozen=True)
class SourceData:
    ref: SourceRef
    data: bytes


def format_of(path: str) -> str | None:
    name = os.path.basename(path).lower()
    if name.endswith(".js") and name.startswith("tweet"):
        return "tweets-js"
    return FORMATS.get(os.path.splitext(name)[1])


def channel_of(path: str, format_name: str) -> str:
    if format_name in ("eml", "mbox"):
        return "email"
    if format_name in ("social-json", "social-csv", "tweets-js"):
        return "social"
    for part in reversed(Path(path).parts[:-1]):
        if part.lower() in CHANNEL_FOLDERS:
            return CHANNEL_FOLDERS[part.lower()]
    return "draft" if format_name in ("text", "docx") else "web"


def _special_kind(mode: int) -> str | None:
    """What a non-regular file is, in plain words; None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISDIR(mode):
        return "a folder"
    return "not a regular file"


def _check_regular(path: str) -> str | None:
    """Why `path` (followed through symlinks) cannot be read as a file, or None if it can."""
    try:
        kind = _special_kind(os.stat(path).st_mode)
    except OSError as error:
        return error.strerror or str(error)
    return f"is {kind}, not a regular file; skipped" if kind else None


def discover(targets: list[str]) -> tuple[list[SourceRef], list[InputError], list[InputWarning]]:
    """Expand files and folders into SourceRefs; "-" is stdin. Missing or unsupported inputs
    named explicitly are errors; unsupported files inside folders are skipped silently, and
    special files (FIFOs, devices, sockets) inside folders are skipped with a warning: reading
    one could block forever or never end."""
    refs: list[SourceRef] = []
    errors: list[InputError] = []
    warnings: list[InputWarning] = []
    for target in targets:
        if target == "-":
            refs.append(SourceRef("-", "text", None, True, "draft"))
            continue
        if os.path.isdir(target) and os.path.isfile(os.path.join(target, "manifest.json")):
            refs.extend(_saved_crawl(target, errors))
            continue
        if os.path.isdir(target):
            for root, dirs, files in os.walk(target):
                dirs[:] = sorted(d for d in dirs if d not in SKIPPED_FOLDERS and not d.startswith("."))
                for name in sorted(files):
                    path = os.path.normpath(os.path.join(root, name))
                    fmt = format_of(path)
                    if not fmt:
                        continue
                    problem = _check_regular(path)
                    if problem:
                        warnings.append(InputWarning(path, problem))
                        continue
                    refs.append(SourceRef(path, fmt, path, False, channel_of(path, fmt)))
            continue
        if not os.path.lexists(target):
            errors.append(InputError(target, "no such file or folder"))
            continue
        fmt = format_of(target)
        if fmt is None and os.path.splitext(target)[1].lower() in CONVERT_HINTS:
            errors.append(InputError(target, f"commlint cannot read {CONVERT_HINTS[os.path.splitext(target)[1].lower()]}"))
            continue
        if fmt is None:
            supported = ", ".join(sorted(set(FORMATS)) + ["tweets.js"])
            errors.append(InputError(target, f"unsupported file type; commlint reads {supported}"))
            continue
        problem = _check_regular(target)
        if problem:
            errors.append(InputError(target, problem))
            continue
        refs.append(SourceRef(target, fmt, target, True, channel_of(target, fmt)))
    return refs, errors, warnings


def _inside(folder: str, relative: object) -> str | None:
    """The real path of `relative` if it stays inside `folder` (after every symlink), else None.
    A snapshot is often a contributor's upload: it must never make commlint read the runner's
    own files (`../x`, `/etc/hostname`, or a symlink pointing out)."""
    if not isinstance(relative, str) or not relative or os.path.isabs(relative) or "\x00" in relative:
        return None
    root = os.path.realpath(folder)
    location = os.path.realpath(os.path.join(root, relative))
    return location if location.startswith(root + os.sep) else None


def _saved_crawl(folder: str, errors: list[InputError]) -> list[SourceRef]:
    """A folder written by `check URL --save DIR`: its pages, reported under their URLs."""
    import json

    manifest = os.path.join(folder, "manifest.json")
    try:
        pages = json.loads(read_file_bytes(manifest, MANIFEST_MAX_BYTES))["pages"]
        if not isinstance(pages, dict):
            raise TypeError("'pages' is not an object")
    except (InputReadError, ValueError, KeyError, TypeError, RecursionError) as error:
        errors.append(InputError(manifest, f"not a commlint crawl manifest: {error}"))
        return []
    refs = []
    for relative, page in sorted(pages.items(), key=lambda item: str(item[1].get("url", "")) if isinstance(item[1], dict) else ""):
        if not isinstance(page, dict) or not isinstance(page.get("url"), str):
            errors.append(InputError(manifest, f"entry {str(relative)[:200]!r} has no page URL; skipped"))
            continue
        location = _inside(folder, relative)
        if location is None:
            errors.append(InputError(page["url"], f"manifest entry {str(relative)[:200]!r} points outside the snapshot folder {folder}; not read"))
            continue
        if not os.path.isfile(location):
            errors.append(InputError(page["url"], f"saved page missing: {os.path.join(folder, relative)}"))
            continue
        fmt = page.get("format", "html")
        if fmt not in ("html", "feed"):
            errors.append(InputError(page["url"], f"unknown saved format {str(fmt)[:40]!r}; not read"))
            continue
        charset = page.get("charset") if isinstance(page.get("charset"), str) else None
        refs.append(SourceRef(page["url"], fmt, location, True, "social" if fmt == "feed" else None, charset))
    return refs


def read_file_bytes(location: str, limit: int = MAX_BYTES) -> bytes:
    """Read a regular file, capped by the bytes actually read (a device reports size 0).
    FIFOs, sockets and devices are refused without reading, so nothing blocks or runs forever.
    Raises InputReadError with a plain reason."""
    try:
        problem = _check_regular(location)
        if problem:
            raise InputReadError(problem)
        # O_NONBLOCK: if the path was swapped for a FIFO since the check, open must not block.
        descriptor = os.open(location, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
        with os.fdopen(descriptor, "rb") as handle:
            info = os.fstat(descriptor)
            kind = _special_kind(info.st_mode)
            if kind:
                raise InputReadError(f"is {kind}, not a regular file; skipped")
            if info.st_size > limit:  # no need to read it to know
                raise InputReadError(f"file is {info.st_size // (1024 * 1024)} MB; commlint reads inputs up to {limit // (1024 * 1024)} MB")
            return _read_capped(handle, limit)
    except PermissionError as error:
        raise InputReadError("permission denied") from error
    except IsADirectoryError as error:
        raise InputReadError("is a folder") from error
    except OSError as error:
        raise InputReadError(error.strerror or str(error)) from error


def read_stdin(limit: int = MAX_BYTES) -> bytes:
    """Draft copy from standard input, under the same cap as files."""
    return _read_capped(sys.stdin.buffer, limit)


def _read_capped(handle: BinaryIO, limit: int) -> bytes:
    data = handle.read(limit + 1)
    if len(data) > limit:
        raise InputReadError(f"more than {limit // (1024 * 1024)} MB; commlint reads inputs up to {limit // (1024 * 1024)} MB")
    return data


def read_source(ref: SourceRef, stdin: bytes | None = None) -> SourceData:
    """Read an input's bytes. Raises InputReadError with a plain reason."""
    if ref.location is None:
        return SourceData(ref, stdin if stdin is not None else read_stdin())
    if "://" in ref.location:  # shared storage (fsspec), imported only when named
        from .remote import read_remote

        return SourceData(ref, read_remote(ref.location))
    return SourceData(ref, read_file_bytes(ref.location))


class InputReadError(Exception):
    """An input whose bytes could not be read."""
