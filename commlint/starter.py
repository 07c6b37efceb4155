"""`commlint init`: write a commented commlint.toml that fits the folder it is run in.

It looks before it writes: the files commlint would read there, their channels and languages
(a sample of at most SAMPLE_FILES, spread over the folder, so a large site stays quick), and
writes a config whose active lines match what it found and whose comments show the rest.
An existing config is never overwritten.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import click

from .config import CONFIG_NAMES, Config, check_language
from .model import CHANNELS

SAMPLE_FILES = 200
# The six languages with full rule packs: the comment lists them whatever was found.
PACK_LANGUAGES = ("en", "de", "nb", "ja", "id", "su")
CHANNEL_WORDS = {"web": "web page", "email": "e-mail", "social": "social post", "draft": "draft"}


@dataclass
class Survey:
    files: int = 0  # files commlint would read in the folder
    sampled: int = 0
    channels: Counter[str] = field(default_factory=Counter)  # documents per channel, in the sample
    languages: Counter[str] = field(default_factory=Counter)  # documents per language, in the sample
    unreadable: int = 0
    git: bool = False


def existing_config(folder: Path) -> Path | None:
    """The config `commlint check` would use from this folder, if one lives right here."""
    for name in CONFIG_NAMES:
        if (folder / name).exists() or (folder / name).is_symlink():
            return folder / name
    pyproject = folder / "pyproject.toml"
    if pyproject.is_file():
        try:
            text = pyproject.read_text(encoding="utf-8", errors="replace")[:1_000_000]
        except OSError:
            return None
        if "[tool.commlint" in text:
            return pyproject
    return None


def survey(folder: Path, jobs: int | None = None) -> Survey:
    """Channels and languages of a sample of the folder's files, read as `check` reads them."""
    from .runner import RunOptions, build_ruleset, load_rules, run
    from .sources import discover

    refs, _errors, _warnings = discover([str(folder)])
    found = Survey(files=len(refs), git=_in_git(folder))
    if not refs:
        return found
    step = max(1, len(refs) // SAMPLE_FILES)
    sample = [ref.path for ref in refs[::step][:SAMPLE_FILES]]
    config = Config(root=folder)
    nothing = ("none/none",)  # no rule runs: extraction alone tells channel and language
    result = run(RunOptions(sample, config, None, "auto", nothing, (), jobs), build_ruleset(config, nothing, (), load_rules(config)))
    found.sampled = len(sample)
    found.unreadable = len(result.errors)
    for document in result.documents:
        found.channels[document.channel] += 1
        if document.lang != "und":
            found.languages[document.lang] += 1
    return found


def _in_git(folder: Path) -> bool:
    return any((candidate / ".git").exists() for candidate in (folder, *folder.parents))


def chosen_languages(found: Survey) -> list[str]:
    """Detection candidates: the pack languages found, and other languages seen at least twice
    (one document in an odd language is more often a misread short text than a market)."""
    chosen = [lang for lang, count in found.languages.most_common() if lang in PACK_LANGUAGES or count >= 2]
    chosen = [lang for lang in chosen if check_language(lang) is None]
    return chosen or list(PACK_LANGUAGES)


def _counted(counter: Counter[str], words: dict[str, str] | None = None) -> str:
    from .extraction.copy import language_name

    parts = []
    for key, count in counter.most_common():
        if words is not None:
            noun = words.get(key, key)
            parts.append(f"{count} {noun}{'s' if count != 1 else ''}")
        else:
            parts.append(f"{language_name(key)} ({key}) {count}")
    return ", ".join(parts) or "none"


def render_config(found: Survey, folder_name: str, today: date | None = None) -> str:
    languages = chosen_languages(found)
    sampled = f"a sample of {found.sampled} of {found.files} files" if found.sampled < found.files else f"{found.files} files"
    lines = [
        f"# commlint.toml for {folder_name}, written by `commlint init` on {(today or date.today()).isoformat()}.",
        "# Every key is optional: delete what you don't need. All keys: the README's \"Configuration\".",
        "#",
        f"# What commlint found here ({sampled}):",
        f"#   documents: {_counted(found.channels, CHANNEL_WORDS)}",
        f"#   languages: {_counted(found.languages)}",
        "#",
        "# Next: `commlint check .` checks everything; `commlint rules` lists the rules.",
        "",
        "# Lowest severity that makes a run fail (exit code 1): \"error\", \"warning\", \"info\" or \"never\".",
        'fail-on = "warning"',
        "",
        "# Languages a document may be in: detection chooses among these. Found here: the list below.",
        f"# commlint has full rule packs for {', '.join(PACK_LANGUAGES)}; add a code when you publish in it.",
        f"languages = [{', '.join(repr(lang).replace(chr(39), chr(34)) for lang in languages)}]",
        "",
        "# Words never flagged as jargon or unknown: your brand, product and plan names.",
        "allow = []",
        "",
        "# Rules or whole categories to skip, e.g. [\"readability/long-sentence\"] or [\"tone\"].",
        "ignore = []",
        "",
        "# Files and folders that are not customer copy (a name without / matches anywhere).",
        '# exclude = ["archive/**", "CHANGELOG.md"]',
        "",
        "# Make a rule or category stricter or milder: \"error\", \"warning\" or \"info\".",
        "# [severity]",
        '# "overpromise" = "error"',
        "",
        "# The facts every channel must agree on, your source of truth. A page or e-mail that",
        "# says otherwise is reported. `commlint facts .` shows the facts commlint reads here.",
        "# [facts]",
        '# refund-window = "30 days"',
        '# delivery-time = "2-4 working days"',
        "",
    ]
    present = [channel for channel in CHANNELS if found.channels.get(channel)]
    if present:
        lines.append("# Settings for one channel only (found here: " + ", ".join(present) + ").")
        for channel in present:
            lines.append(f"# [channels.{channel}]")
            lines.append("# ignore = []")
        lines.append("")
    lines += [
        "# Settings for part of the folder. Files in a folder named email(s), mail, newsletter(s),",
        "# social, posts or tweets get that channel; name others here, e.g. e-mail templates:",
        "# [[paths]]",
        '# glob = "templates/mail/**"',
        '# channel = "email"',
        "",
    ]
    return "\n".join(lines)


@click.command("init")
@click.argument("folder", default=".", type=click.Path(exists=True, file_okay=False))
@click.option("--stdout", "to_stdout", is_flag=True, help="Print the config instead of writing commlint.toml.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None, help="Parallel workers for the survey (default: number of CPUs).")
def init(folder: str, to_stdout: bool, jobs: int | None) -> None:
    """Write a commented commlint.toml for FOLDER (default: here), set to the channels and
    languages found in it. An existing config is never overwritten.

    \b
    Examples:
      commlint init              # look at this folder, write ./commlint.toml
      commlint init site/        # write site/commlint.toml
      commlint init --stdout     # show what it would write
    """
    from .safewrite import WriteError, write_file

    root = Path(folder).resolve()
    target = root / "commlint.toml"
    there = existing_config(root)
    if there is not None and not to_stdout:
        raise click.UsageError(f"{_shown(there)} already holds a commlint config; not overwritten (edit it, or delete it and run init again)")
    found = survey(root, jobs)
    text = render_config(found, root.name or str(root))
    if to_stdout:
        click.echo(text, nl=False)
        return
    try:
        write_file(target, text, new_only=True)
    except WriteError as error:
        raise click.UsageError(str(error)) from error
    files = f"{found.files} file{'s' if found.files != 1 else ''}"
    looked = f", {found.sampled} of them read" if found.sampled < found.files else ""
    click.echo(f"Wrote {_shown(target)}. Found {files}{looked}: {_counted(found.channels, CHANNEL_WORDS)}; "
               f"languages {', '.join(chosen_languages(found))}.")
    click.echo("Next: commlint check " + (folder if folder != "." else "."))
    if found.git:
        click.echo("To check every commit: commlint install-hook")
    if found.unreadable:
        click.echo(f"{found.unreadable} file{'s' if found.unreadable != 1 else ''} could not be read; `commlint check` will say why.", err=True)


def _shown(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)
