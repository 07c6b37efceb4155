"""Stage 1, sources: find the inputs named on the command line and read their bytes.

Nothing here looks inside a file beyond its name; formats are decided by extension.
"""
from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

from ..model import InputError

# extension -> format understood by the extraction stage
FORMATS: dict[str, str] = {
    ".html": "html", ".htm": "html", ".xhtml": "html", ".shtml": "html",
    ".md": "markdown", ".markdown": "markdown", ".mdx": "markdown",
    ".txt": "text", ".text": "text",
    ".eml": "eml", ".mbox": "mbox",
    ".json": "social-json", ".jsonl": "social-json", ".ndjson": "social-json",
    ".csv": "social-csv", ".tsv": "social-csv",
    ".ftl": "fluent",
}
# Folder names that tell the channel of what they hold (documented in the README).
CHANNEL_FOLDERS = {
    "email": "email", "emails": "email", "mail": "email", "newsletter": "email", "newsletters": "email",
    "social": "social", "posts": "social", "tweets": "social",
}
SKIPPED_FOLDERS = {".git", ".hg", ".svn", "node_modules", "__pycache__", ".venv", "venv", ".tox", ".mypy_cache"}
MAX_BYTES = 50 * 1024 * 1024


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
    return "draft" if format_name == "text" else "web"


def discover(targets: list[str]) -> tuple[list[SourceRef], list[InputError]]:
    """Expand files and folders into SourceRefs; "-" is stdin. Missing or unsupported inputs
    named explicitly are errors; unsupported files inside folders are skipped silently."""
    refs: list[SourceRef] = []
    errors: list[InputError] = []
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
                    if fmt:
                        refs.append(SourceRef(path, fmt, path, False, channel_of(path, fmt)))
            continue
        if not os.path.exists(target):
            errors.append(InputError(target, "no such file or folder"))
            continue
        fmt = format_of(target)
        if fmt is None:
            supported = ", ".join(sorted(set(FORMATS)) + ["tweets.js"])
            errors.append(InputError(target, f"unsupported file type; commlint reads {supported}"))
            continue
        refs.append(SourceRef(target, fmt, target, True, channel_of(target, fmt)))
    return refs, errors


def _saved_crawl(folder: str, errors: list[InputError]) -> list[SourceRef]:
    """A folder written by `check URL --save DIR`: its pages, reported under their URLs."""
    import json

    manifest = os.path.join(folder, "manifest.json")
    try:
        with open(manifest, encoding="utf-8") as handle:
            pages = json.load(handle)["pages"]
    except (OSError, ValueError, KeyError, TypeError) as error:
        errors.append(InputError(manifest, f"not a commlint crawl manifest: {error}"))
        return []
    refs = []
    for relative, page in sorted(pages.items(), key=lambda item: item[1].get("url", "")):
        location = os.path.join(folder, relative)
        if not os.path.isfile(location):
            errors.append(InputError(page.get("url", relative), f"saved page missing: {location}"))
            continue
        fmt = page.get("format", "html")
        refs.append(SourceRef(page["url"], fmt, location, True, "social" if fmt == "feed" else None, page.get("charset")))
    return refs


def read_source(ref: SourceRef, stdin: bytes | None = None) -> SourceData:
    """Read an input's bytes. Raises InputReadError with a plain reason."""
    if ref.location is None:
        return SourceData(ref, stdin if stdin is not None else sys.stdin.buffer.read())
    try:
        size = os.path.getsize(ref.location)
        if size > MAX_BYTES:
            raise InputReadError(f"file is {size // (1024 * 1024)} MB; commlint reads files up to {MAX_BYTES // (1024 * 1024)} MB")
        with open(ref.location, "rb") as handle:
            return SourceData(ref, handle.read())
    except PermissionError as error:
        raise InputReadError("permission denied") from error
    except IsADirectoryError as error:
        raise InputReadError("is a folder") from error
    except OSError as error:
        raise InputReadError(error.strerror or str(error)) from error


class InputReadError(Exception):
    """An input whose bytes could not be read."""
