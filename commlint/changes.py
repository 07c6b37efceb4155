"""`commlint check --changed-since REF`: keep only the findings on lines changed since REF.

The changed lines are those added or modified in the working tree compared with REF, as
`git diff --unified=0 REF` shows them (a renamed file counts only its edited lines). A finding
is kept when one of its lines changed, or, for a finding across documents (a contradiction),
when any of its places is on a changed line: a new e-mail that contradicts an unchanged page is
reported, at whichever of the two places the report names.

What git cannot compare counts as changed as a whole, so nothing is hidden for want of a
history: a new or untracked file, a binary file (a .docx), a file git ignores or that lies
outside the repository, standard input and crawled pages.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from .git import GitError, decode_path, relative_to_top, run_git, toplevel
from .model import Finding

_HUNK = re.compile(rb"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@")
_ESCAPES = {b"a": 7, b"b": 8, b"t": 9, b"n": 10, b"v": 11, b"f": 12, b"r": 13, b'"': 34, b"\\": 92}


class ChangesError(Exception):
    """--changed-since cannot be worked out (not in git, unknown revision); the message says why."""


@dataclass
class ChangedLines:
    top: Path
    tracked: frozenset[str]  # paths in the index, from the top with "/"
    lines: dict[str, set[int]] = field(default_factory=dict)  # changed lines (1-based) of changed text files
    whole: set[str] = field(default_factory=set)  # changed files git shows no lines of (binary)
    _resolved: dict[str, str | None] = field(default_factory=dict)

    def _in_repository(self, path: str) -> str | None:
        if path not in self._resolved:
            outside = path == "-" or "://" in path
            self._resolved[path] = None if outside else relative_to_top(path, self.top)
        return self._resolved[path]

    def changed(self, path: str, line: int, end_line: int = 0) -> bool:
        """Whether any of the lines line..end_line of `path` (as reports name it) changed."""
        repo_path = self._in_repository(path)
        if repo_path is None or repo_path not in self.tracked or repo_path in self.whole:
            return True  # no earlier version in git to compare with: every line is new
        changed = self.lines.get(repo_path)
        return bool(changed) and any(number in changed for number in range(line, max(line, end_line) + 1))

    def filter(self, findings: list[Finding]) -> list[Finding]:
        return [finding for finding in findings
                if self.changed(finding.path, finding.line, finding.end_line)
                or any(self.changed(place.path, place.line) for place in finding.related)]


def changed_since(ref: str, cwd: str | None = None) -> ChangedLines:
    """The lines of the working tree changed since the revision `ref`. Raises ChangesError."""
    here = cwd or os.getcwd()
    try:
        top = toplevel(here)
    except GitError as error:
        raise ChangesError(f"needs a git repository, and {here} is not inside one") from error
    if not ref or ref.startswith("-"):
        raise ChangesError("expected a git revision: a branch, a tag or a commit")
    try:
        commit = run_git(["rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"], top).decode("ascii").strip()
    except GitError as error:
        raise ChangesError(f"git knows no commit by this name in {top} (in CI, fetch it first,"
                           " e.g. `git fetch origin main`)") from error
    try:
        tracked = frozenset(decode_path(p) for p in run_git(["ls-files", "-z"], top).split(b"\0") if p)
        numstat = run_git(["diff", "--numstat", "-z", "-M", "--no-ext-diff", "--no-textconv", commit, "--"], top)
        patch = run_git(["-c", "core.quotePath=false", "diff", "--unified=0", "--no-color", "--no-ext-diff",
                         "--no-textconv", "-M", commit, "--"], top)
    except GitError as error:
        raise ChangesError(str(error)) from error
    changes = ChangedLines(top, tracked, whole=_binary_files(numstat))
    changes.lines = _added_lines(patch)
    return changes


def _binary_files(numstat: bytes) -> set[str]:
    """Files `git diff --numstat -z` counts no lines of ("-\t-\t"): binary."""
    binary: set[str] = set()
    tokens = iter(numstat.split(b"\0"))
    for token in tokens:
        if not token:
            continue
        added, _, rest = token.partition(b"\t")
        _, _, path = rest.partition(b"\t")
        if not path:  # a rename: the old and the new path follow
            next(tokens, b"")
            path = next(tokens, b"")
        if added == b"-":
            binary.add(decode_path(path))
    return binary


def _added_lines(patch: bytes) -> dict[str, set[int]]:
    """New-side line numbers of every hunk, by the file's new path."""
    lines: dict[str, set[int]] = {}
    current: set[int] | None = None
    header = False  # between "diff --git" and the first hunk: an added line may start with "++ " too
    for line in patch.split(b"\n"):
        if line.startswith(b"diff --git "):
            header, current = True, None
        elif header and line.startswith(b"+++ "):
            target = _unquote(line[4:].removesuffix(b"\t"))
            current = None if target == b"/dev/null" else lines.setdefault(decode_path(target.removeprefix(b"b/")), set())
        elif line.startswith(b"@@"):
            header = False
            hunk = _HUNK.match(line) if current is not None else None
            if hunk and current is not None:
                start, count = int(hunk.group(1)), int(hunk.group(2) or 1)
                current.update(range(start, start + count))
    return lines


def _unquote(name: bytes) -> bytes:
    """A path as git's diff header writes it: "as C string" when it holds special characters."""
    if not (name.startswith(b'"') and name.endswith(b'"') and len(name) >= 2):
        return name
    out = bytearray()
    body, index = name[1:-1], 0
    while index < len(body):
        char = body[index:index + 1]
        if char == b"\\" and index + 1 < len(body):
            escape = body[index + 1:index + 2]
            if escape.isdigit() and re.fullmatch(rb"[0-7]{3}", body[index + 1:index + 4]):
                out.append(int(body[index + 1:index + 4], 8))
                index += 4
                continue
            out.append(_ESCAPES.get(escape, escape[0]))
            index += 2
            continue
        out += char
        index += 1
    return bytes(out)
