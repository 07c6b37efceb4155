"""The command line: a thin layer over the runner and reporters. `main(argv) -> int`."""
from __future__ import annotations

import os
import sys
from dataclasses import replace

import click

from . import __version__
from .config import FAIL_ON, Config, ConfigError, load_config
from .model import CATEGORIES, CHANNELS, SEVERITY_RANK
from .reporters import FORMATS, HUMAN_FORMATS, renderer
from .rules.spec import RuleFileError, RuleSpec

LANG_HELP = "auto, or a language code: en, de, nb, ja, id, su, ..."


def _codes(value: str | None) -> tuple[str, ...]:
    return tuple(code.strip() for code in (value or "").split(",") if code.strip())


def write_report(path: str, text: str) -> bool:
    """Write a report file through the one safe-write helper. If it cannot be written, say why
    and print the report on stdout instead, so no finding is lost; the caller exits 2."""
    from .safewrite import WriteError, write_file

    try:
        write_file(path, text)
        return True
    except WriteError as error:
        click.echo(f"commlint: error: {error}; the report follows on standard output", err=True)
        click.echo(text, nl=False)
        return False


def _stdin() -> bytes:
    from .sources import InputReadError, read_stdin

    try:
        return read_stdin()
    except InputReadError as error:
        raise click.UsageError(f"standard input: {error}") from error


def _load(config_path: str | None, lang: str = "auto") -> Config:
    try:
        config = load_config(config_path)
    except ConfigError as error:
        raise click.UsageError(f"configuration error: {error}") from error
    if lang != "auto":
        from .config import check_language

        problem = check_language(lang, config.rule_packs)
        if problem:
            raise click.BadParameter(problem, param_hint="--lang")
    return config


def exit_code(result: "object", fail_on: str) -> int:
    from .runner import RunResult

    assert isinstance(result, RunResult)
    if result.errors:
        return 2
    if fail_on == "never":
        return 0
    threshold = SEVERITY_RANK[fail_on]
    return 1 if any(SEVERITY_RANK[f.severity] >= threshold for f in result.findings) else 0

QUIET_HELP = (
    "No progress on the terminal, and the text and concise reports leave out info findings (saying how many). "
    "The exit code still counts them; json, sarif, github, junit and html reports stay complete for the tools that read them."
)
ORGANISATION_HELP = (
    "Every input is this one organisation, so all their facts are compared (default: each document's "
    "sender decides: its site, e-mail domain or account, or the [organisations] of the config)."
)



@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="commlint")
def cli() -> None:
    """commlint: check customer-facing copy (web pages, emails, posts, drafts) for jargon,
    overpromising, missing wait times, placeholders, tone and more, in six languages."""


@cli.command()
@click.argument("paths", nargs=-1, metavar="[PATH | -]...")
@click.option("--format", "output_format", type=click.Choice(FORMATS), default="text", show_default=True, help="Report format.")
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="Write the report to FILE instead of the terminal.")
@click.option("--channel", type=click.Choice(CHANNELS), help="Treat every input as this channel.")
@click.option("--lang", default="auto", show_default=True, help=LANG_HELP)
@click.option("--config", "config_path", type=click.Path(exists=True, dir_okay=False), help="Use this config file (default: commlint.toml or pyproject.toml found upward).")
@click.option("--select", help="Only these rules: ids, id prefixes or categories, comma-separated.")
@click.option("--extend-select", help="Also these rules, on top of the selection: ids, id prefixes or categories, comma-separated.")
@click.option("--ignore", help="Skip these rules: ids, id prefixes or categories, comma-separated.")
@click.option("--fail-on", type=click.Choice(FAIL_ON), default=None, help="Exit 1 when a finding is at least this severe (default: warning).")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None, help="Parallel workers (default: number of CPUs).")
@click.option("--color/--no-color", default=None, help="Colour the text and concise reports (default: only on a terminal).")
@click.option("--executor", type=click.Choice(["local", "dask"]), default="local", show_default=True, help="Where inputs are checked: this machine, or a Dask cluster (needs pip install 'commlint[dask]').")
@click.option("--scheduler", metavar="ADDRESS", default=None, help="With --executor dask: the cluster's scheduler, e.g. tcp://host:8786 (default: start a local cluster of --jobs workers).")
@click.option("--max-pages", type=click.IntRange(min=1), default=500, show_default=True, help="Crawling: stop after this many pages.")
@click.option("--max-depth", type=click.IntRange(min=0), default=10, show_default=True, help="Crawling: links followed from a start URL.")
@click.option("--include", "include", multiple=True, help="Crawling: only URLs matching this regular expression (repeatable).")
@click.option("--exclude", "exclude", multiple=True, help="Crawling: skip URLs matching this regular expression (repeatable).")
@click.option("--delay", type=click.FloatRange(min=0), default=0.5, show_default=True, help="Crawling: seconds between requests to one host (robots.txt Crawl-delay wins if longer).")
@click.option("--connections", type=click.IntRange(min=1, max=8), default=2, show_default=True, help="Crawling: connections per host.")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=15.0, show_default=True, help="Crawling: seconds one request may take in all (connecting, headers and body).")
@click.option("--user-agent", default=None, help="Crawling: the User-Agent to send (default: commlint/VERSION with a contact URL).")
@click.option("--save", "save_dir", type=click.Path(file_okay=False), help="Crawling: keep the fetched pages in DIR with a manifest, to lint offline later.")
@click.option("--quiet", "-q", is_flag=True, help=QUIET_HELP)
@click.option("--statistics", is_flag=True, help="After a text or concise report, count the findings of each rule, most first.")
@click.option("--baseline", "baseline_path", type=click.Path(dir_okay=False), help="Hide findings recorded in this baseline file; only new ones are reported.")
@click.option("--update-baseline", is_flag=True, help="Record the current findings in the --baseline file and exit 0.")
@click.option("--fix", "apply_fix", is_flag=True, help="Apply the fixes of rules with exactly one safe replacement (text, Markdown, HTML files).")
@click.option("--diff", "show_diff", is_flag=True, help="Show the fixes as a unified diff; change nothing.")
@click.option("--html", "html_path", type=click.Path(dir_okay=False), help="Also write the HTML report to FILE (besides the chosen --format).")
@click.option("--time-limit", type=click.FloatRange(min=0), default=None, help="Seconds one document may take before its input is stopped and reported (default: the config's time-limit, 20; 0: no limit).")
@click.option("--organisation", default=None, help=ORGANISATION_HELP)
@click.option("--sarif", "sarif_path", type=click.Path(dir_okay=False), help="Also write the SARIF report to FILE (besides the chosen --format).")
@click.option("--changed-since", "changed_since", metavar="REF", help="Only findings on lines changed since the git revision REF (a branch, tag or commit), plus contradictions that involve them.")
def check(
    paths: tuple[str, ...],
    output_format: str,
    output: str | None,
    channel: str | None,
    lang: str,
    config_path: str | None,
    select: str | None,
    extend_select: str | None,
    ignore: str | None,
    fail_on: str | None,
    jobs: int | None,
    color: bool | None,
    max_pages: int = 500,
    max_depth: int = 10,
    include: tuple[str, ...] = (),
    exclude: tuple[str, ...] = (),
    delay: float = 0.5,
    connections: int = 2,
    timeout: float = 15.0,
    user_agent: str | None = None,
    save_dir: str | None = None,
    quiet: bool = False,
    baseline_path: str | None = None,
    update_baseline: bool = False,
    apply_fix: bool = False,
    show_diff: bool = False,
    html_path: str | None = None,
    time_limit: float | None = None,
    organisation: str | None = None,
    statistics: bool = False,
    sarif_path: str | None = None,
    changed_since: str | None = None,
    executor: str = "local",
    scheduler: str | None = None,
) -> None:
    """Lint files, folders (recursively), web sites (http/https URLs: crawled politely) or
    draft copy from stdin (-).

    \b
    Examples:
      commlint check .                  # every file in this folder and below
      commlint check site/ --html report.html    # and a report to open in a browser
      commlint check - --lang de        # draft copy typed or piped in (Ctrl-D ends it)
      commlint check https://www.example.com --max-pages 50    # crawl a site
      commlint check . --select overpromise,wait-time --fail-on error
      commlint check . --format sarif -o commlint.sarif        # GitHub code scanning

    \b
    Exit codes:
      0  no finding at or above --fail-on (default: warning)
      1  findings at or above --fail-on
      2  a usage or configuration error, or an input that could not be read
         (every other input is still checked and reported)
    """
    from .runner import RunOptions, build_ruleset, load_rules, run, unknown_codes

    if not paths:
        raise click.UsageError("name at least one file or folder, or - to read draft copy from stdin")
    _check_statistics(statistics, output_format)
    config = _load(config_path, lang)
    selected = _codes(select) if select is not None else None
    ignored = _codes(ignore)
    if extend_select:
        config = replace(config, extend_select=config.extend_select + _codes(extend_select))
    if organisation is not None:
        config = replace(config, organisation=_organisation_name(organisation))
    try:
        loaded = load_rules(config)
        typos = unknown_codes(loaded[0], (selected or ()) + ignored + config.select + config.extend_select + config.ignore)
        if typos:
            raise click.UsageError(f"no rule, prefix or category matches: {', '.join(typos)} (see `commlint rules`)")
        ruleset = build_ruleset(config, selected, ignored, loaded)
    except RuleFileError as error:
        raise click.UsageError(f"rule pack error: {error}") from error
    stdin = _stdin() if "-" in paths else None
    options = RunOptions(list(paths), config, channel, lang, selected, ignored, jobs, stdin)
    if time_limit is not None:
        options.time_limit = time_limit or None
    changed = _changed_lines(changed_since) if changed_since is not None else None
    options.context = _repository_context()
    if any(p.startswith(("http://", "https://")) for p in paths):
        options.crawl = _crawl_options(max_pages, max_depth, include, exclude, delay, connections, timeout, user_agent, save_dir, quiet)
    options.executor = _dask_executor(executor, scheduler, options, quiet)
    bar = _progress_bar(quiet)
    options.on_progress = bar.update if bar else None
    try:
        result = run(options, ruleset)
    except RuleFileError as error:
        raise click.UsageError(f"rule pack error: {error}") from error
    except ConfigError as error:
        raise click.UsageError(str(error)) from error
    finally:
        if bar:
            bar.close()
        if options.executor:
            options.executor.close()
    if changed is not None:
        kept = changed.filter(result.findings)
        result.unchanged_hidden, result.changed_since = len(result.findings) - len(kept), changed_since
        result.findings = kept
    if update_baseline and not baseline_path:
        raise click.UsageError("--update-baseline needs --baseline FILE")
    if baseline_path:
        from .baseline import BaselineError, apply_baseline, read_baseline, write_baseline

        if update_baseline:
            write_baseline(baseline_path, result.findings)
            click.echo(f"Recorded {len(result.findings)} findings in {baseline_path}; from now on only new ones are reported.")
            sys.exit(0)
        try:
            result.findings, result.baseline_hidden = apply_baseline(result.findings, read_baseline(baseline_path))
        except BaselineError as error:
            raise click.UsageError(str(error)) from error
    if apply_fix or show_diff:
        from .fixes import apply_fixes

        report = apply_fixes(result.findings, write=apply_fix and not show_diff, digests={d.path: d.digest for d in result.documents})
        click.echo(report.text, nl=False)
        if apply_fix and not show_diff:
            result.findings = report.remaining
    for message in result.unused_suppressions:
        click.echo(message, err=True)
    use_color = color if color is not None else (output is None and sys.stdout.isatty() and "NO_COLOR" not in os.environ)
    report = _render_report(result, output_format, bool(use_color), quiet, statistics)
    written = True
    if output:
        written = write_report(output, report)
    else:
        click.echo(report, nl=False, color=use_color)
    if html_path:
        if write_report(html_path, renderer("html")(result, False)):
            click.echo(f"HTML report: {html_path}", err=True)
        else:
            written = False
    if sarif_path:
        if write_report(sarif_path, renderer("sarif")(result, False)):
            click.echo(f"SARIF report: {sarif_path}", err=True)
        else:
            written = False
    sys.exit(exit_code(result, fail_on or config.fail_on) if written else 2)


def _changed_lines(ref: str):  # type: ignore[no-untyped-def]
    """--changed-since: the lines changed since REF, or a usage error (exit 2) saying why not."""
    from .changes import ChangesError, changed_since

    try:
        return changed_since(ref)
    except ChangesError as error:
        raise click.UsageError(f"--changed-since {ref}: {error}") from error


def _repository_context():  # type: ignore[no-untyped-def]
    """What `commlint hook-run` hands to check (the other tracked files' claims), else None."""
    from .hooks import REPOSITORY_CONTEXT

    context = click.get_current_context(silent=True)
    return context.meta.get(REPOSITORY_CONTEXT) if context else None


def _dask_executor(executor: str, scheduler: str | None, options: "object", quiet: bool):  # type: ignore[no-untyped-def]
    """--executor dask: connect to the cluster (or start a local one) and say where to watch it."""
    from .runner import RunOptions

    assert isinstance(options, RunOptions)
    if executor != "dask":
        if scheduler:
            raise click.UsageError("--scheduler needs --executor dask")
        return None
    if options.crawl is not None:
        raise click.UsageError("--executor dask checks files and storage URLs; crawl web sites without it (or --save them first)")
    if options.context is not None:
        raise click.UsageError("the git hook checks locally: --executor dask is for large runs")
    from .distributed import ExecutorError, connect, dashboard_line

    try:
        found = connect(scheduler, options.jobs)
    except ExecutorError as error:
        raise click.UsageError(str(error)) from error
    if not quiet:
        click.echo(dashboard_line(found), err=True)
    return found


def _check_statistics(statistics: bool, output_format: str) -> None:
    if statistics and output_format not in HUMAN_FORMATS:
        where = "; --format json has them in summary.by_rule" if output_format == "json" else ""
        raise click.UsageError(f"--statistics adds per-rule counts to the text and concise reports, not to --format {output_format}{where}")


def _progress_bar(quiet: bool):  # type: ignore[no-untyped-def]
    """A bar on stderr while files are checked: only on a terminal, never with -q."""
    if quiet or not sys.stderr.isatty():
        return None
    from .progress_bar import ProgressBar

    return ProgressBar(sys.stderr)


def _render_report(result: "object", output_format: str, color: bool, quiet: bool, statistics: bool) -> str:
    """The report in `output_format`; a human one (text, concise) coloured, shortened by -q and
    followed by --statistics. Machine formats get the whole result."""
    from .reporters import hide_info
    from .runner import RunResult

    assert isinstance(result, RunResult)
    if output_format not in HUMAN_FORMATS:
        return renderer(output_format)(result, False)
    shown = hide_info(result) if quiet else result
    report = renderer(output_format)(shown, color)
    if statistics:
        from .reporters.statistics import render_statistics

        report += render_statistics(shown, color)
    return report


def _crawl_options(max_pages: int, max_depth: int, include: tuple[str, ...], exclude: tuple[str, ...], delay: float,
                   connections: int, timeout: float, user_agent: str | None, save_dir: str | None, quiet: bool):  # type: ignore[no-untyped-def]
    import re

    from .sources.crawl import DEFAULT_AGENT, CrawlOptions

    for pattern in (*include, *exclude):
        try:
            re.compile(pattern)
        except re.error as error:
            raise click.UsageError(f"--include/--exclude {pattern!r}: {error}") from error
    return CrawlOptions(
        max_pages=max_pages, max_depth=max_depth, include=include, exclude=exclude, delay=delay,
        per_host=connections, read_timeout=timeout, user_agent=user_agent or DEFAULT_AGENT.replace("0.1", __version__),
        save_dir=save_dir, progress=not quiet and sys.stderr.isatty(),
    )


def _all_rules(config_path: str | None) -> list[RuleSpec]:
    from .runner import load_rules

    try:
        return load_rules(_load(config_path))[0]
    except RuleFileError as error:
        raise click.UsageError(f"rule pack error: {error}") from error


def _check_fact(fact: str | None) -> None:
    """A misspelt --fact must not print an empty table that reads as "no such facts found"."""
    from .claims import FACT_LABELS

    known = sorted(name for name in FACT_LABELS if name != "name")
    if fact is not None and fact not in known:
        raise click.BadParameter(f"unknown fact {fact!r}; known facts: {', '.join(known)}", param_hint="--fact")


@cli.command("facts")
@click.argument("paths", nargs=-1, metavar="[PATH | -]...")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="Write the table to FILE.")
@click.option("--channel", type=click.Choice(CHANNELS), help="Treat every input as this channel.")
@click.option("--lang", default="auto", show_default=True, help=LANG_HELP)
@click.option("--config", "config_path", type=click.Path(exists=True, dir_okay=False))
@click.option("--fact", "only_fact", help="Only this fact type, e.g. refund-window.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None)
@click.option("--organisation", default=None, help=ORGANISATION_HELP)
def facts(paths: tuple[str, ...], output_format: str, output: str | None, channel: str | None, lang: str,
          config_path: str | None, only_fact: str | None, jobs: int | None, organisation: str | None = None) -> None:
    """Print the facts commlint read from PATHS: fact, subject, value, where."""
    from .reporters.facts import render_facts
    from .runner import RunOptions, build_ruleset, load_rules, run

    if not paths:
        raise click.UsageError("name at least one file or folder, or - to read draft copy from stdin")
    _check_fact(only_fact)
    config = _load(config_path, lang)
    if organisation is not None:
        config = replace(config, organisation=_organisation_name(organisation))
    try:
        ruleset = build_ruleset(config, ("none/none",), (), load_rules(config))
    except RuleFileError as error:
        raise click.UsageError(f"rule pack error: {error}") from error
    stdin = _stdin() if "-" in paths else None
    options = RunOptions(list(paths), config, channel, lang, ("none/none",), (), jobs, stdin, want_claims=True)
    result = run(options, ruleset)
    from .claims import Organisations
    from .claims.compare import ClaimSettings, understand

    settings = ClaimSettings(subjects=tuple(config.subjects), organisations=Organisations(config.organisations, config.organisation))
    resolved = understand(result.claims, settings)
    claims = [c for c in resolved if c.fact != "name" and (not only_fact or c.fact == only_fact)]
    report = render_facts(claims, result.errors, output_format)
    written = write_report(output, report) if output else click.echo(report, nl=False) is None
    sys.exit(2 if result.errors or not written else 0)


@cli.command("rules")
@click.option("--lang", help="Only rules for this language, described as its rule pack describes them.")
@click.option("--category", type=click.Choice(CATEGORIES), help="Only rules of this category.")
@click.option("--config", "config_path", type=click.Path(exists=True, dir_okay=False))
def list_rules(lang: str | None, category: str | None, config_path: str | None) -> None:
    """List the rules: id, severity, languages and what they flag."""
    from .reporters.rules import render_rule_list

    specs = _all_rules(config_path)
    click.echo(render_rule_list(specs, _rule_language(lang, config_path, specs), category), nl=False)


def _rule_language(lang: str | None, config_path: str | None, specs: list[RuleSpec]) -> str | None:
    """`--lang` of `rules` and `rule` as a language code; an unknown one is a usage error that
    names the languages the rule packs cover."""
    if lang is None:
        return None
    from .config import check_language
    from .extraction import normalise_lang

    problem = check_language(lang, _load(config_path).rule_packs)
    if problem:
        packs = sorted({code for spec in specs for code in spec.languages if code != "*"})
        raise click.BadParameter(f"{problem}; rule packs cover: {', '.join(packs)}", param_hint="--lang")
    return normalise_lang(lang)


def _organisation_name(name: str) -> str:
    if not name.strip():
        raise click.BadParameter("expected a name, e.g. --organisation Acme", param_hint="--organisation")
    return name.strip()


@cli.command("rule")
@click.argument("rule_id")
@click.option("--lang", help="Only this language's variant of the rule.")
@click.option("--config", "config_path", type=click.Path(exists=True, dir_okay=False))
def explain_rule(rule_id: str, lang: str | None, config_path: str | None) -> None:
    """Explain one rule: what it flags, why, and examples, with a link to its page."""
    from .claims import CLAIM_RULES
    from .reporters.rules import render_claim_rule, render_rule
    from .ruledocs import by_id, variant_for

    from .config import RENAMED_RULES

    specs = _all_rules(config_path)
    code = _rule_language(lang, config_path, specs)
    if rule_id in RENAMED_RULES:
        click.echo(f"{rule_id} is now called {RENAMED_RULES[rule_id]}.\n", err=True)
        rule_id = RENAMED_RULES[rule_id]
    group = by_id(specs).get(rule_id, [])
    if not group and rule_id in CLAIM_RULES:
        click.echo(render_claim_rule(rule_id), nl=False)
        return
    if not group:
        close = sorted({s.id for s in specs if rule_id.split("/")[0] in s.id})[:8]
        hint = f" Did you mean: {', '.join(close)}?" if close else ""
        raise click.UsageError(f"no rule '{rule_id}'.{hint}")
    if code and variant_for(group, code) is None:
        has = sorted({c for s in group for c in s.languages})
        raise click.BadParameter(f"{rule_id} has no variant for '{code}'; it has: {', '.join(has)}", param_hint="--lang")
    click.echo(render_rule(rule_id, group, code), nl=False)


def _register_extra_commands() -> None:
    from .hooks import hook_run, install_hook
    from .starter import init

    cli.add_command(install_hook)
    cli.add_command(hook_run)
    cli.add_command(init)


_register_extra_commands()


def main(argv: list[str] | None = None) -> int:
    """Run the CLI and return its exit code (for tests and `python -m commlint`)."""
    try:
        cli.main(args=argv, prog_name="commlint", standalone_mode=False)
    except click.exceptions.Exit as done:
        return int(done.exit_code or 0)
    except click.ClickException as error:
        error.show()
        return 2 if isinstance(error, click.UsageError) else error.exit_code
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        return 130
    except SystemExit as done:
        return int(done.code or 0) if not isinstance(done.code, str) else 2
    return 0


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())
