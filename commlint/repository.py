"""What the git hook compares the copy being committed with: the facts of every tracked file.

The index (`git ls-files --stage`) is HEAD's tree plus the staged changes: every tracked path
with the blob it will have in the commit. The files being committed are linted in full, as
before; every other tracked file that a folder walk of `commlint check` would read (same formats,
same `exclude` globs, no hidden or vendored folders) only gives its facts (claims). So a staged
e-mail that says "14 days" where a committed page says "30 days" is the contradiction
`commlint check .` reports, and the commit is blocked.

Reading every tracked file on every commit would cost seconds, so each file's claims are kept
in the user's cache folder (compiled.py's storage: safe reads, atomic writes) under the key
(settings, path, blob id): a blob is read once, and later commits read only what changed.
`settings` is a hash of what claims depend on besides the bytes: commlint's code and packs, the
config's language, country and path settings, and --channel/--lang.

Reported: every finding in the files being committed, and the findings across documents
(contradictions, terminology) with at least one place in them, wherever they are reported.
"""
from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

from . import __version__
from .claims import Claim
from .claims.plain import pack_claims, unpack_claims
from .compiled import MAX_CACHE_BYTES, plain_store
from .config import Config
from .git import blob_sizes, index_entries, read_blobs
from .model import Finding
from .packs import builtin_pack_folder
from .sources import MAX_BYTES, SKIPPED_FOLDERS, SourceData, SourceRef, channel_of, format_of

CLAIMS_CACHE = "claims"
READ_BATCH_BYTES = 32 * 1024 * 1024  # blobs read from git at once; the rest waits its turn
_CLAIMS = plain_store(CLAIMS_CACHE, MAX_CACHE_BYTES // 2)


@dataclass
class RepositoryContext:
    """The run's link to the repository (RunOptions.context): the claims of the other tracked
    files, the blobs still to read for them, and which findings the hook reports."""

    top: Path
    checked: frozenset[str]  # the files linted in full, as reports name them
    settings: str
    checked_blobs: dict[str, str] = field(default_factory=dict)  # their blobs: their claims are kept too
    known: dict[str, list[Claim]] = field(default_factory=dict)  # other tracked files' claims, by path
    pending: list[tuple[str, str, int]] = field(default_factory=list)  # (path, blob, size) to read
    compared_files: int = 0  # other tracked files whose facts are compared
    from_cache: int = 0  # of those, the files whose claims the cache held
    blobs_read: int = 0  # of those, read from git in this run (the rest came from the cache)
    problems: list[str] = field(default_factory=list)  # files left out of the comparison, and why
    used: bool = True  # False when no rule compares facts: then nothing is read
    notice: Callable[[str], None] | None = None  # told before many files are read
    _pending_blobs: dict[str, str] = field(default_factory=dict)

    # -- what the runner asks ----------------------------------------------------------------
    def sources(self) -> Iterator[SourceData]:
        """The tracked files whose claims are not cached, largest first, read in batches."""
        if self.notice and len(self.pending) >= 20:
            self.notice(f"reading the facts of {len(self.pending)} tracked files once; later commits read only"
                        " the files that changed")
        batch: list[tuple[str, str, int]] = []
        total = 0
        for item in sorted(self.pending, key=lambda item: -item[2]):
            if batch and total + item[2] > READ_BATCH_BYTES:
                yield from self._read(batch)
                batch, total = [], 0
            batch.append(item)
            total += item[2]
        if batch:
            yield from self._read(batch)

    def _read(self, batch: list[tuple[str, str, int]]) -> Iterator[SourceData]:
        from .git import GitError

        try:
            contents = read_blobs(self.top, sorted({blob for _, blob, _ in batch}))
        except GitError as error:
            self.problems.extend(f"{path}: cannot read it from git ({error})" for path, _, _ in batch)
            return
        for path, blob, _ in batch:
            self.blobs_read += 1
            fmt = format_of(path)
            assert fmt is not None  # (only files of a known format are pending)
            yield SourceData(SourceRef(path, fmt, None, False, channel_of(path, fmt)), contents[blob])

    def read(self, path: str, claims: list[Claim]) -> None:
        """The claims of a file read in this run (a tracked file, or one linted in full): kept."""
        blob = self._pending_blobs.get(path) or self.checked_blobs.get(path)
        if blob is None:
            return
        if path in self._pending_blobs:
            self.known[path] = claims
        packed = pack_claims(claims)
        if packed is not None:
            _CLAIMS.add((self.settings, path, blob), packed)

    def failed(self, path: str, reason: str) -> None:
        """A tracked file whose facts could not be read in time (left out of this comparison)."""
        self.problems.append(f"{path}: {reason}")

    def unused(self) -> None:
        """No rule compares facts in this run: nothing is read, compared or kept."""
        self.used, self.pending, self.known, self.checked_blobs = False, [], {}, {}
        self._pending_blobs = {}

    def claims(self) -> list[Claim]:
        """The claims of the other tracked files, in path order."""
        return [claim for path in sorted(self.known) for claim in self.known[path]]

    def reported(self, finding: Finding) -> bool:
        return finding.path in self.checked or any(place.path in self.checked for place in finding.related)

    def save(self) -> None:
        _CLAIMS.save()


def compared(path: str, config: Config) -> bool:
    """Whether `commlint check .` at the top would read this tracked file."""
    folders = path.split("/")[:-1]
    if any(part in SKIPPED_FOLDERS or part.startswith(".") for part in folders):
        return False
    return format_of(path) is not None and not config.excludes(path)


def load_context(top: Path, config: Config, checked: dict[str, tuple[str, str | None]], channel: str | None,
                 lang: str, shown: Callable[[str], str] = lambda path: path) -> RepositoryContext:
    """The context of a hook run. `checked`: the files linted in full, as reports name them ->
    (their path in the repository, their blob id or None). `shown`: a repository path as the
    reports name it. Raises GitError when the index cannot be read."""
    settings = settings_key(config, channel, lang)
    checked_blobs = {path: blob for path, (_, blob) in checked.items() if blob}
    context = RepositoryContext(top, frozenset(checked), settings, checked_blobs)
    skip = {repo_path for repo_path, _ in checked.values()}
    missing: list[tuple[str, str]] = []
    for entry in index_entries(top):
        if entry.path in skip or not compared(entry.path, config):
            continue
        path = shown(entry.path)
        context.compared_files += 1
        packed = _CLAIMS.get((settings, path, entry.blob))
        if packed is not None:
            try:
                context.known[path] = unpack_claims(packed)
                context.from_cache += 1
                continue
            except ValueError:
                pass  # damaged or from another version: read again
        missing.append((path, entry.blob))
    sizes = blob_sizes(top, sorted({blob for _, blob in missing}))
    for path, blob in missing:
        size = sizes.get(blob)
        if size is None or size > MAX_BYTES:
            context.problems.append(f"{path}: larger than commlint reads ({MAX_BYTES // (1024 * 1024)} MB)" if size else f"{path}: not in git's object store")
            continue
        context.pending.append((path, blob, size))
        context._pending_blobs[path] = blob
    return context


def settings_key(config: Config, channel: str | None, lang: str) -> str:
    """A hash of what a file's claims depend on besides its bytes and path."""
    digest = hashlib.sha1()
    options = (__version__, channel, lang, config.languages, config.default_country,
               tuple((scope.glob, scope.channel, scope.lang) for scope in config.paths))
    digest.update(repr(options).encode("utf-8", "surrogateescape"))
    package = Path(__file__).resolve().parent
    folders = dict.fromkeys([package, builtin_pack_folder(), *(Path(p).resolve() for p in config.rule_packs)])
    for folder in folders:
        # Sizes and modification times of the code and packs: a changed pack or an upgrade is a new key.
        for root, dirs, files in os.walk(folder):
            dirs[:] = sorted(d for d in dirs if d != "__pycache__")
            for name in sorted(files):
                location = os.path.join(root, name)
                try:
                    info = os.stat(location)
                except OSError:
                    continue
                digest.update(f"{location}\0{info.st_size}\0{info.st_mtime_ns}\n".encode("utf-8", "surrogateescape"))
    return digest.hexdigest()[:16]
