"""Talking to git: the plumbing the hook (`hooks.py`, `repository.py`) and `check --changed-since`
(`changes.py`) share. Every command's output is read whole, so each one is bounded by what it
is asked: the index, sizes, or blobs checked against MAX_BYTES before they are read."""
from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

REGULAR_FILE_MODES = ("100644", "100755")  # not symlinks (120000) or submodules (160000)


class GitError(Exception):
    """A git command failed; the message says which and why."""


def run_git(args: list[str], cwd: str | Path | None = None, stdin: bytes | None = None) -> bytes:
    try:
        completed = subprocess.run(["git", *args], cwd=cwd, input=stdin, capture_output=True, check=False)
    except FileNotFoundError as error:
        raise GitError("git is not installed or not on PATH") from error
    if completed.returncode != 0:
        reason = completed.stderr.decode("utf-8", "replace").strip() or f"exit code {completed.returncode}"
        raise GitError(f"git {' '.join(args[:3])}: {reason}")
    return completed.stdout


def toplevel(cwd: str | Path | None = None) -> Path:
    """The top of the working tree. Raises GitError outside one (or in a bare repository)."""
    top = run_git(["rev-parse", "--show-toplevel"], cwd).decode("utf-8", "surrogateescape").strip()
    if not top:
        raise GitError("this is a bare git repository: it has no working tree")
    return Path(top)


def decode_path(raw: bytes) -> str:
    return raw.decode("utf-8", "surrogateescape")


@dataclass(frozen=True)
class IndexEntry:
    path: str  # relative to the top, with "/"
    blob: str


def index_entries(top: Path) -> list[IndexEntry]:
    """Every regular file in the index with its staged blob: HEAD's tree plus the staged changes
    (GIT_INDEX_FILE is honoured, so `git commit -a` and `git commit PATH` see their own index).
    Entries in conflict (stage 1-3) are left out."""
    entries = []
    for record in run_git(["ls-files", "--stage", "-z"], top).split(b"\0"):
        if not record:
            continue
        info, _, raw_path = record.partition(b"\t")
        mode, blob, stage = info.decode("ascii").split()
        if stage == "0" and mode in REGULAR_FILE_MODES:
            entries.append(IndexEntry(decode_path(raw_path), blob))
    return entries


def staged_paths(top: Path) -> set[str]:
    """Paths added, copied, modified, renamed or retyped in the index since HEAD."""
    names = run_git(["diff", "--cached", "--name-only", "--diff-filter=ACMRT", "-z", "--no-ext-diff"], top)
    return {decode_path(name) for name in names.split(b"\0") if name}


def blob_sizes(top: Path, blobs: list[str]) -> dict[str, int]:
    """The size of each blob, from `git cat-file --batch-check`, before anything is read."""
    if not blobs:
        return {}
    out = run_git(["cat-file", "--batch-check"], top, stdin="".join(f"{b}\n" for b in blobs).encode("ascii"))
    sizes = {}
    for line in out.decode("ascii", "replace").splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[1] == "blob":
            sizes[parts[0]] = int(parts[2])
    return sizes


def read_blobs(top: Path, blobs: list[str]) -> dict[str, bytes]:
    """The content of each blob, read with one `git cat-file --batch` (sizes checked first)."""
    if not blobs:
        return {}
    out = run_git(["cat-file", "--batch"], top, stdin="".join(f"{b}\n" for b in blobs).encode("ascii"))
    contents: dict[str, bytes] = {}
    position = 0
    for blob in blobs:
        end = out.index(b"\n", position)
        header = out[position:end].decode("ascii").split()
        if len(header) != 3 or header[1] != "blob":
            raise GitError(f"git cat-file: unexpected answer for {blob}: {' '.join(header)}")
        size = int(header[2])
        contents[blob] = out[end + 1:end + 1 + size]
        position = end + 1 + size + 1
    return contents


def hash_files(cwd: str | Path, paths: list[str]) -> dict[str, str]:
    """The blob id each file (relative to `cwd`) would have if it were added now, by path."""
    if not paths:
        return {}
    out = run_git(["hash-object", "--stdin-paths"], cwd, stdin="".join(f"{p}\n" for p in paths).encode("utf-8", "surrogateescape"))
    return dict(zip(paths, out.decode("ascii").split()))


def relative_to_top(path: str, top: Path) -> str | None:
    """`path` (as named, relative to the working folder) as a path from the top of the working
    tree with "/", or None when it lies outside it."""
    absolute = os.path.realpath(os.path.abspath(path))
    root = os.path.realpath(top)
    if absolute != root and not absolute.startswith(root.rstrip(os.sep) + os.sep):
        return None
    return os.path.relpath(absolute, root).replace(os.sep, "/")
