"""The compile cache: a shortcut that is never trusted blindly and never changes a result."""
from __future__ import annotations

import os
import pickle
import stat
from pathlib import Path

import pytest
import regex

from commlint import compiled
from commlint.compiled import PatternCache, cache_folder, cached_table, read_cache, write_cache


@pytest.fixture()
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("COMMLINT_CACHE_DIR", str(tmp_path / "cache"))
    folder = cache_folder()
    assert folder is not None
    return Path(folder)


def test_a_pattern_compiled_once_is_loaded_from_the_cache_by_the_next_process(cache: Path) -> None:
    first = PatternCache()
    source = r"(?<!\w)(?:garantiert|sofort)(?!\w)"
    pattern = first.compile(source, regex.V1 | regex.IGNORECASE)
    first.save()
    assert (cache / compiled.PATTERNS).is_file()
    assert stat.S_IMODE((cache / compiled.PATTERNS).stat().st_mode) == 0o600

    second = PatternCache()
    loaded = second.compile(source, regex.V1 | regex.IGNORECASE)
    assert second._new == {}  # nothing compiled again
    assert loaded.search("Wir liefern SOFORT.").group() == pattern.search("Wir liefern SOFORT.").group() == "SOFORT"


def test_same_source_with_other_flags_is_another_entry(cache: Path) -> None:
    store = PatternCache()
    assert store.compile("abc", 0).search("ABC") is None
    assert store.compile("abc", regex.IGNORECASE).search("ABC") is not None


def test_a_broken_pattern_raises_and_is_not_kept(cache: Path) -> None:
    store = PatternCache()
    with pytest.raises(regex.error):
        store.compile("(unclosed", 0)
    store.save()
    assert not (cache / compiled.PATTERNS).exists()


def test_a_damaged_cache_file_is_a_miss_and_is_replaced(cache: Path) -> None:
    cache.mkdir(parents=True)
    (cache / compiled.PATTERNS).write_bytes(b"\x80\x05 not a pickle at all")
    os.chmod(cache / compiled.PATTERNS, 0o600)
    store = PatternCache()
    assert store.compile("x+", 0).fullmatch("xxx")
    store.save()
    assert isinstance(pickle.loads((cache / compiled.PATTERNS).read_bytes()), dict)


def test_a_file_others_may_write_is_not_read(cache: Path) -> None:
    cache.mkdir(parents=True)
    target = cache / "table"
    target.write_bytes(b"data")
    os.chmod(target, 0o666)
    assert read_cache("table") is None
    os.chmod(target, 0o600)
    assert read_cache("table") == b"data"


def test_a_planted_symlink_is_neither_read_nor_written_through(cache: Path, tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    os.chmod(victim, 0o600)
    cache.mkdir(parents=True)
    (cache / "table").symlink_to(victim)
    assert read_cache("table") is None
    write_cache("table", b"overwritten")
    assert victim.read_text() == "keep me"
    assert (cache / "table").is_symlink()


def test_an_unwritable_cache_folder_leaves_the_result_unchanged(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file-not-folder"
    blocker.write_text("")
    monkeypatch.setenv("COMMLINT_CACHE_DIR", str(blocker))
    assert cached_table("words", lambda: {"hello": 1.0}) == {"hello": 1.0}
    store = PatternCache()
    assert store.compile("a|b", 0).search("b")
    store.save()  # no error: the cache is only a shortcut


def test_the_cache_can_be_turned_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COMMLINT_CACHE_DIR", "off")
    assert cache_folder() is None
    assert read_cache(compiled.PATTERNS) is None


def test_a_word_table_is_built_once(cache: Path) -> None:
    calls: list[int] = []

    def build() -> dict[str, float]:
        calls.append(1)
        return {"refund": 2.5e-05}

    assert cached_table("wordfreq-test", build) == {"refund": 2.5e-05}
    assert cached_table("wordfreq-test", build) == {"refund": 2.5e-05}
    assert len(calls) == 1
