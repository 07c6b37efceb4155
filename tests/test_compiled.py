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


def test_yaml_is_parsed_once_and_each_caller_gets_its_own_copy(cache: Path, tmp_path: Path) -> None:
    pack = tmp_path / "pack.yaml"
    pack.write_text("rules:\n  - id: tone/x\n    terms: [a, b]\n", encoding="utf-8")
    first = compiled.load_yaml(pack)
    compiled.save_cache()
    assert (cache / compiled.YAML).is_file()
    fresh = compiled.YamlCache()
    second = fresh.parse(pack.read_text(encoding="utf-8"))
    assert fresh._new == {}  # read from the cache, not parsed again
    assert second == first == {"rules": [{"id": "tone/x", "terms": ["a", "b"]}]}
    second["rules"].clear()
    assert compiled.load_yaml(pack)["rules"]  # a caller's change does not reach the next one


def test_a_broken_yaml_file_raises_as_before(tmp_path: Path) -> None:
    import yaml

    broken = tmp_path / "broken.yaml"
    broken.write_text("rules: [unclosed\n", encoding="utf-8")
    with pytest.raises(yaml.YAMLError):
        compiled.load_yaml(broken)
    broken.write_bytes(b"\xff\xfe not utf-8")
    with pytest.raises(UnicodeDecodeError):
        compiled.load_yaml(broken)


def test_a_word_table_is_kept_in_sqlite_and_read_word_by_word(cache: Path) -> None:
    words = {"refund": 2.5e-05, "delivery": 1.1e-04}
    table = compiled.cached_words("words-test", lambda: words)
    assert table.get("refund") == 2.5e-05 and table.get("missing") is None
    again = compiled.cached_words("words-test", lambda: pytest.fail("built twice"))  # type: ignore[no-any-return]
    assert again.get("delivery") == 1.1e-04


def test_a_planted_link_for_the_word_table_is_left_alone(cache: Path, tmp_path: Path) -> None:
    victim = tmp_path / "victim.db"
    victim.write_text("keep me")
    cache.mkdir(parents=True)
    (cache / "words-test.sqlite").symlink_to(victim)
    table = compiled.cached_words("words-test", lambda: {"a": 1.0})
    assert table.get("a") == 1.0
    assert victim.read_text() == "keep me"
