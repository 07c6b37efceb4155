"""Accuracy and speed of commlint.extraction.language.detect_language on real text.

Usage: python benchmarks/language_accuracy.py [CORPORA_DIR]   (default: ../shared/corpora)
Sets: NusaX sentiment test splits (one-sentence reviews: id, su, en) and mozilla.org Fluent strings
(values longer than 40 characters once `{ ... }` placeables and HTML tags are stripped, since commlint
detects on extracted text, not markup). Nothing from the corpora is stored in the repository.
"""
from __future__ import annotations

import csv
import re
import sys
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT = REPO.parent / "shared" / "corpora"
sys.path.insert(0, str(REPO))

from commlint.extraction.language import SUPPORTED, detect_language  # noqa: E402

FTL_LINE = re.compile(r"^[A-Za-z][\w-]*\s*=\s*(.+)$")
PLACEABLE = re.compile(r"\{[^{}]*\}")
TAG = re.compile(r"<[^<>]*>")
TARGETS = {"su": 0.90, "id": 0.95, "en": 0.97, "de": 0.95, "ja": 0.95, "nb": 0.95}


def nusax(corpora: Path, name: str) -> list[str]:
    with open(corpora / "nusax_senti_id_su_en" / f"{name}_test.csv", newline="", encoding="utf-8") as handle:
        return [row["text"] for row in csv.DictReader(handle)]


def fluent_values(path: Path) -> list[str]:
    values = []
    for line in path.read_text(encoding="utf-8").splitlines():
        match = FTL_LINE.match(line)
        if match:
            values.append(" ".join(TAG.sub(" ", PLACEABLE.sub(" ", match.group(1))).split()))
    return values


def fluent(corpora: Path, locale: str) -> list[str]:
    """Strings longer than 40 characters, one text each."""
    files = sorted((corpora / "mozilla_www_l10n_ftl" / locale).rglob("*.ftl"))
    return [value for path in files for value in fluent_values(path) if len(value) > 40]


def fluent_pages(corpora: Path, locale: str) -> list[str]:
    """Each file's strings, one per line, as one document (a page's worth of copy)."""
    files = sorted((corpora / "mozilla_www_l10n_ftl" / locale).rglob("*.ftl"))
    return [page for page in ("\n".join(fluent_values(path)) for path in files) if len(page) > 40]


def main() -> int:
    corpora = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT
    if not (corpora / "nusax_senti_id_su_en").is_dir() or not (corpora / "mozilla_www_l10n_ftl").is_dir():
        print(f"corpora not found at {corpora} (need nusax_senti_id_su_en/ and mozilla_www_l10n_ftl/); "
              "pass the folder as the first argument", file=sys.stderr)
        return 2
    with_nn = (*SUPPORTED, "nn")
    sets = [  # (name, expected, candidates, texts)
        ("nusax sundanese", "su", SUPPORTED, nusax(corpora, "sundanese")),
        ("nusax indonesian", "id", SUPPORTED, nusax(corpora, "indonesian")),
        ("nusax english", "en", SUPPORTED, nusax(corpora, "english")),
        ("mozilla en", "en", SUPPORTED, fluent(corpora, "en")),
        ("mozilla de", "de", SUPPORTED, fluent(corpora, "de")),
        ("mozilla ja", "ja", SUPPORTED, fluent(corpora, "ja")),
        ("mozilla id", "id", SUPPORTED, fluent(corpora, "id")),
        ("mozilla nb-NO", "nb", SUPPORTED, fluent(corpora, "nb-NO")),
        ("mozilla nn-NO (nn counts as nb)", "nb", SUPPORTED, fluent(corpora, "nn-NO")),
        *((f"mozilla {loc} files as pages", lang, SUPPORTED, fluent_pages(corpora, loc))
          for loc, lang in (("en", "en"), ("de", "de"), ("ja", "ja"), ("id", "id"), ("nb-NO", "nb"))),
        ("mozilla nb-NO, +nn candidate", "nb", with_nn, fluent(corpora, "nb-NO")),
        ("mozilla nn-NO, +nn candidate", "nn", with_nn, fluent(corpora, "nn-NO")),
    ]
    started = time.perf_counter()
    detect_language("warm-up: load the model before timing")
    load = time.perf_counter() - started
    print("command: python benchmarks/language_accuracy.py" + (f" {sys.argv[1]}" if len(sys.argv) > 1 else ""))
    print(f"model load {load * 1000:.0f} ms\n")
    print(f"{'set':<34}{'n':>6}{'expect':>8}{'accuracy':>10}{'target':>8}{'ms/text':>9}  most frequent other answers")
    failed = []
    for name, expected, candidates, texts in sets:
        started = time.perf_counter()
        answers = Counter(detect_language(text, candidates) for text in texts)
        per_text = (time.perf_counter() - started) / max(len(texts), 1) * 1e3
        accuracy = answers[expected] / max(len(texts), 1)
        scored = candidates == SUPPORTED and "nn-NO" not in name and "pages" not in name
        target = TARGETS.get(expected) if scored else None
        if target and accuracy < target:
            failed.append(name)
        others = ", ".join(f"{lang} {count}" for lang, count in answers.most_common() if lang != expected)[:60]
        shown = f"{target:.2f}" if target else "-"
        print(f"{name:<34}{len(texts):>6}{expected:>8}{accuracy:>10.3f}{shown:>8}{per_text:>9.3f}  {others}")
    print("\nall targets met" if not failed else f"\nbelow target: {', '.join(failed)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
