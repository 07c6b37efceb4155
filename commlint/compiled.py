"""Compile once: regular expressions and word lists kept, ready to load, in the user's cache folder.

Turning the rule packs into regular expressions costs a cold process about two seconds (the
`regex` module parses and case-folds every pattern in Python), and a git hook pays it on every
commit. A compiled `regex` pattern pickles with its compiled code, and loads in microseconds, so
each compiled pattern is kept in a cache file keyed by its own source and flags: a changed rule is
a new key, and an unchanged one is never compiled twice. Word-frequency lists are kept the same
way, as plain dictionaries.

The cache is only ever a shortcut. A file that is missing, damaged, too large, not a regular
file, or writable by anyone but the user is ignored (and, where it can be, replaced); a cache
folder that cannot be written leaves every run as correct as before, only slower.
`COMMLINT_CACHE_DIR` names another folder; `COMMLINT_CACHE_DIR=off` turns the cache off.
"""
from __future__ import annotations

import hashlib
import marshal
import os
import pickle
import stat
import sys
import tempfile
from typing import Any, Callable

import regex

from . import __version__

MAX_CACHE_BYTES = 64 * 1024 * 1024  # one cache file; a larger one is not read
PATTERNS = "patterns"
YAML = "yaml"


def cache_folder() -> str | None:
    """The folder for this version of commlint, Python and `regex`; None when turned off."""
    chosen = os.environ.get("COMMLINT_CACHE_DIR")
    if chosen is not None and chosen.strip().lower() in ("", "0", "off", "no", "false"):
        return None
    if not chosen:
        base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
        chosen = os.path.join(base, "commlint")
    # (a compiled pattern is only valid for the `regex` build that made it)
    versions = f"{__version__}|{sys.version}|{regex.__version__}"
    return os.path.join(chosen, hashlib.sha1(versions.encode()).hexdigest()[:16])


def read_cache(name: str) -> bytes | None:
    """The bytes of one cache file, or None when it is absent or not to be trusted."""
    folder = cache_folder()
    if folder is None:
        return None
    path = os.path.join(folder, name)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        # A pickle runs code when loaded: only a regular file of the user's own, that no one
        # else may write, is read.
        if not _own_file(info) or info.st_size > MAX_CACHE_BYTES:
            return None
        with os.fdopen(fd, "rb", closefd=False) as handle:
            return handle.read(MAX_CACHE_BYTES + 1)
    except OSError:
        return None
    finally:
        os.close(fd)


def write_cache(name: str, data: bytes) -> None:
    """Replace one cache file atomically; silently nothing when the folder cannot be written."""
    from .safewrite import WriteError, write_file

    folder = cache_folder()
    if folder is None or len(data) > MAX_CACHE_BYTES:
        return
    path = os.path.join(folder, name)
    try:
        os.makedirs(folder, mode=0o700, exist_ok=True)
        existing = os.lstat(path)
        if not stat.S_ISREG(existing.st_mode) or existing.st_nlink > 1:
            return  # a link or anything else planted here is left alone, never written through
    except FileNotFoundError:
        pass
    except OSError:
        return
    try:
        write_file(path, data, mode=0o600)
    except WriteError:
        return


class _Store:
    """One cache file holding a dictionary of key -> bytes: read whole on first use, written back
    with what this process added. Past `budget` bytes, only the entries this process used are
    kept (old packs' entries would otherwise pile up)."""

    def __init__(self, name: str, dumps: Callable[[Any], bytes], loads: Callable[[bytes], Any], budget: int) -> None:
        self.name, self._dumps, self._loads, self._budget = name, dumps, loads, budget
        self._stored: dict[Any, bytes] | None = None
        self._new: dict[Any, bytes] = {}
        self._used: set[Any] = set()

    def get(self, key: Any) -> bytes | None:
        self._used.add(key)
        if key in self._new:
            return self._new[key]
        if self._stored is None:
            self._stored = {}
            data = read_cache(self.name)
            if data:
                try:
                    stored = self._loads(data)
                except Exception:  # noqa: BLE001 - a damaged cache is a cache miss
                    stored = None
                if isinstance(stored, dict):
                    self._stored = stored
        return self._stored.get(key)

    def add(self, key: Any, packed: bytes) -> None:
        self._new[key] = packed

    def save(self) -> None:
        if not self._new:
            return
        stored = {**(self._stored or {}), **self._new}
        self._new = {}
        if sum(len(v) for v in stored.values()) > self._budget:
            stored = {key: packed for key, packed in stored.items() if key in self._used}
        self._stored = stored
        write_cache(self.name, self._dumps(stored))


def plain_store(name: str, budget: int) -> _Store:
    """A cache file of key -> bytes for plain data (marshal), read whole on first use and written
    back atomically by save(); past `budget` bytes only the entries this process asked for stay."""
    return _Store(name, marshal.dumps, marshal.loads, budget)


_AFTER_BUILD: list["Callable[[], None]"] = []


def after_each_build(callback: "Callable[[], None]") -> None:
    """Call `callback` whenever something missing from the cache was built (a pattern compiled,
    a word list or table made). The runner uses it so that filling an empty cache, a one-off
    cost of the first run, is not counted against a document's time limit."""
    if callback not in _AFTER_BUILD:
        _AFTER_BUILD.append(callback)


def _built() -> None:
    for callback in _AFTER_BUILD:
        callback()


class PatternCache:
    """Compiled patterns by (source, flags): loaded from the cache file on first use, and the
    ones compiled since written back by save()."""

    def __init__(self) -> None:
        self._store = _Store(PATTERNS, lambda data: pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL), pickle.loads, MAX_CACHE_BYTES // 2)
        self._loaded: dict[tuple[str, int], Any] = {}

    @property
    def _new(self) -> dict[Any, bytes]:
        return self._store._new  # compiled here, not yet saved

    def compile(self, source: str, flags: int = 0) -> "regex.Pattern[str]":
        key = (source, flags)
        pattern = self._loaded.get(key)
        if pattern is not None:
            return pattern
        packed = self._store.get(key)
        if packed is not None:
            try:
                pattern = pickle.loads(packed)
            except Exception:  # noqa: BLE001 - compiled again below
                pattern = None
        if pattern is None or getattr(pattern, "pattern", None) != source:
            pattern = regex.compile(source, flags)  # raises regex.error for a broken pattern
            self._store.add(key, pickle.dumps(pattern, protocol=pickle.HIGHEST_PROTOCOL))
            _built()
        self._loaded[key] = pattern
        return pattern

    def known(self, key: tuple[str, int]) -> bool:
        """Compiled before (in this process, or by an earlier run that kept it)."""
        return key in self._loaded or self._store.get(key) is not None

    def save(self) -> None:
        """Write the patterns compiled in this process since the last save, if any."""
        self._store.save()


_PATTERNS = PatternCache()


def compile_pattern(source: str, flags: int = 0, simple_source: str | None = None) -> "regex.Pattern[str]":
    """regex.compile, through the cache: the one way commlint compiles the patterns of its packs.

    A case-insensitive pattern of `regex`'s version 1 folds case fully ("ß" matches "ss"), which
    makes it five to seven times slower than simple case folding. The two give the same answer
    unless the pattern or the text holds one of the hundred-odd characters that fold to several
    (ß, ẞ, ﬁ, İ, ŉ, some Greek); so such a pattern is returned with a simple-folding twin, used
    for every text without those characters (FoldAwarePattern). `simple_source`, when given, is
    the twin's source: the same pattern less what only full folding needs.

    Both are loaded on first use when the cache already holds them (so known to compile): a
    compiled pattern takes tens of kilobytes, and most texts never need the full-folding one."""
    key = (source, flags, simple_source)
    made = _MADE.get(key)
    if made is None:
        made = _MADE[key] = _compile_pattern(source, flags, simple_source)
    return made


_MADE: dict[tuple[str, int, str | None], Any] = {}  # what compile_pattern returned: asked again in hot paths


def _compile_pattern(source: str, flags: int, simple_source: str | None) -> Any:
    simple_source = source if simple_source is None else simple_source
    if not flags & regex.IGNORECASE or not flags & (regex.V1 | regex.FULLCASE) or _MULTI_FOLD.search(simple_source):
        return _PATTERNS.compile(source, flags)
    full_key, simple_key = (source, flags), ("(?-f)" + simple_source, flags)
    if _PATTERNS.known(full_key) and _PATTERNS.known(simple_key):
        return FoldAwarePattern(full_key, simple_key)
    full = _PATTERNS.compile(source, flags)  # (raises regex.error for a broken pattern)
    try:
        _PATTERNS.compile(*simple_key)
    except regex.error:
        return full
    return FoldAwarePattern(full_key, simple_key)


def multi_folds() -> tuple[tuple[str, str], ...]:
    """(character, first character of its case folding) for the characters that fold to several."""
    if not _FOLDS:
        # every such character (Unicode 15) lies in these blocks: Latin, Greek, Armenian,
        # Latin Extended Additional, Greek Extended, Alphabetic Presentation Forms
        for first, last in ((0, 0x600), (0x1E00, 0x2000), (0xFB00, 0xFB50)):
            for code in range(first, last):
                fold = chr(code).casefold()
                if len(fold) > 1:
                    _FOLDS.append((chr(code), fold[0]))
    return tuple(_FOLDS)


_FOLDS: list[tuple[str, str]] = []
_MULTI_FOLD = regex.compile("[" + "".join(regex.escape(char) for char, _ in multi_folds()) + "]")
_LAST_TEXT: list[Any] = [None, False]  # (a text, whether it holds such a character): asked once


def _folds_to_several(text: str) -> bool:
    if text is _LAST_TEXT[0]:
        return _LAST_TEXT[1]  # type: ignore[no-any-return]
    found = _MULTI_FOLD.search(text) is not None
    _LAST_TEXT[0], _LAST_TEXT[1] = text, found
    return found


class FoldAwarePattern:
    """A pattern with full case folding, and its twin with simple folding for texts in which the
    two cannot differ, each loaded from the pattern cache when first needed. Anything not listed
    here is the full pattern's."""

    __slots__ = ("_full_key", "_simple_key", "_full", "_simple")

    def __init__(self, full_key: tuple[str, int], simple_key: tuple[str, int]) -> None:
        self._full_key, self._simple_key = full_key, simple_key
        self._full: Any = None
        self._simple: Any = None

    @property
    def full(self) -> "regex.Pattern[str]":
        if self._full is None:
            self._full = _PATTERNS.compile(*self._full_key)
        return self._full  # type: ignore[no-any-return]

    @property
    def simple(self) -> "regex.Pattern[str]":
        if self._simple is None:
            self._simple = _PATTERNS.compile(*self._simple_key)
        return self._simple  # type: ignore[no-any-return]

    def _for(self, text: str) -> "regex.Pattern[str]":
        return self.full if _folds_to_several(text) else self.simple

    def search(self, text: str, *args: Any, **kwargs: Any) -> Any:
        return self._for(text).search(text, *args, **kwargs)

    def match(self, text: str, *args: Any, **kwargs: Any) -> Any:
        return self._for(text).match(text, *args, **kwargs)

    def fullmatch(self, text: str, *args: Any, **kwargs: Any) -> Any:
        return self._for(text).fullmatch(text, *args, **kwargs)

    def finditer(self, text: str, *args: Any, **kwargs: Any) -> Any:
        return self._for(text).finditer(text, *args, **kwargs)

    def findall(self, text: str, *args: Any, **kwargs: Any) -> Any:
        return self._for(text).findall(text, *args, **kwargs)

    def sub(self, replacement: Any, text: str, *args: Any, **kwargs: Any) -> Any:
        return self._for(text).sub(replacement, text, *args, **kwargs)

    def split(self, text: str, *args: Any, **kwargs: Any) -> Any:
        return self._for(text).split(text, *args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.full, name)

    def __reduce__(self) -> Any:
        return FoldAwarePattern, (self._full_key, self._simple_key)


class YamlCache:
    """Parsed YAML by the SHA-1 of its text, kept as marshal bytes (plain data only): the packs
    are parsed once, not on every run."""

    def __init__(self) -> None:
        self._store = _Store(YAML, marshal.dumps, marshal.loads, MAX_CACHE_BYTES // 4)

    @property
    def _new(self) -> dict[Any, bytes]:
        return self._store._new

    def parse(self, text: str) -> Any:
        import yaml

        key = hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()
        packed = self._store.get(key)
        if packed is not None:
            try:
                return marshal.loads(packed)  # a fresh copy for each caller
            except (ValueError, EOFError, TypeError):
                pass
        data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        try:
            self._store.add(key, marshal.dumps(data))
        except ValueError:
            pass  # (a date or another type marshal cannot keep: parsed each time)
        return data

    def save(self) -> None:
        self._store.save()


_YAML = YamlCache()


def load_yaml(path: "str | os.PathLike[str]") -> Any:
    """A YAML file (rule packs, language data), parsed through the cache: the one way commlint
    reads its YAML. Raises OSError, UnicodeDecodeError or yaml.YAMLError as reading it would."""
    with open(path, encoding="utf-8") as handle:
        text = handle.read()
    return _YAML.parse(text)


def save_cache() -> None:
    """Write what this process compiled or parsed since the last save (nothing, once warm)."""
    _PATTERNS.save()
    _YAML.save()


class WordTable:
    """A word -> number table, read word by word from an SQLite file in the cache: opening it
    costs a millisecond, where loading a list of 300,000 words whole costs a cold process a
    tenth of a second or more. Each word is asked of the file once per process."""

    def __init__(self, path: str | None, table: dict[str, float] | None = None) -> None:
        self._path = path
        self._table = table  # used instead of the file when there is none
        self._memo: dict[str, float | None] = {}
        self._connection: Any = None
        self._pid = -1

    def get(self, word: str, default: float | None = None) -> float | None:
        if self._table is not None:
            return self._table.get(word, default)
        if word in self._memo:
            found = self._memo[word]
            return default if found is None else found
        if self._pid != os.getpid():  # (an SQLite connection is not carried across a fork)
            import sqlite3

            self._connection = sqlite3.connect(f"file:{self._path}?mode=ro", uri=True, check_same_thread=False)
            self._pid = os.getpid()
        row = self._connection.execute("SELECT value FROM words WHERE word = ?", (word,)).fetchone()
        found = row[0] if row else None
        if len(self._memo) > 500_000:
            self._memo.clear()
        self._memo[word] = found
        return default if found is None else found


def cached_words(name: str, build: "Callable[[], dict[str, float]]") -> WordTable:
    """A WordTable from the cache, else built (by `build`, returning a dict) and kept."""
    import sqlite3

    folder = cache_folder()
    if folder is None:
        return WordTable(None, build())
    path = os.path.join(folder, name + ".sqlite")
    if _trusted(path):
        try:
            table = WordTable(path)
            table.get("")  # opens the file and checks its table
            return table
        except sqlite3.Error:
            pass
    words = build()
    _built()
    try:
        os.makedirs(folder, mode=0o700, exist_ok=True)
        if os.path.lexists(path) and not _trusted(path, check_owner=False):
            return WordTable(None, words)  # something else planted here is left alone
        fd, temporary = tempfile.mkstemp(dir=folder, prefix=".words-", suffix=".tmp")
        os.close(fd)
        try:
            with sqlite3.connect(temporary) as connection:
                connection.execute("CREATE TABLE words (word TEXT PRIMARY KEY, value REAL) WITHOUT ROWID")
                connection.executemany("INSERT OR IGNORE INTO words VALUES (?, ?)", words.items())
            connection.close()
            os.chmod(temporary, 0o600)
            os.replace(temporary, path)
        finally:
            if os.path.exists(temporary):
                os.unlink(temporary)
        return WordTable(path)
    except (OSError, sqlite3.Error):
        return WordTable(None, words)


def _trusted(path: str, check_owner: bool = True) -> bool:
    """A regular file (not a link) of the user's own that no one else may write."""
    try:
        info = os.lstat(path)
    except OSError:
        return False
    if not check_owner:
        return stat.S_ISREG(info.st_mode) and info.st_nlink == 1
    return _own_file(info) and info.st_nlink == 1


def _own_file(info: os.stat_result) -> bool:
    return (
        stat.S_ISREG(info.st_mode)
        and (not hasattr(os, "getuid") or info.st_uid == os.getuid())
        and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)
    )


def cached_table(name: str, build: "Callable[[], dict[str, Any]]") -> dict[str, Any]:
    """A dictionary of plain values (a language's tokenizer data) from the cache, else built and kept."""
    data = read_cache(name)
    if data:
        try:
            table = marshal.loads(data)
        except (ValueError, EOFError, TypeError):
            table = None
        if isinstance(table, dict):
            return table
    table = build()
    _built()
    write_cache(name, marshal.dumps(table))
    return table
