"""Run the stages in order: sources -> extraction -> rules -> reporters' input.

The per-input work (read, extract, lint) is one pure function of the input and the ruleset,
so it runs in a process pool; one unreadable input becomes an InputError, never a crash.
"""
from __future__ import annotations

import itertools
import os
import time
from collections import Counter
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Callable, Iterator, Mapping, NamedTuple

from .claims import CLAIM_RULES, Claim, ClaimSettings, Knowledge, Organisations, compare, extract_claims, load_knowledge
from .claims.compare import place
from .claims.extract import DURATION_FACTS, FACT_LABELS, read_declared
from .compiled import after_each_build, save_cache
from .config import Config, ConfigError, is_selected, severity_for
from .extraction import ExtractOptions, extract, is_skippable
from .extraction.generated import commlint_file
from .model import Document, ExtractionError, Finding, InputError, InputWarning, Unit
from .pool import END, Limits, SupervisedPool, TaskFailure, progress
from .ruledocs import doc_links, neutral_variants
from .rules import builtin_pack_folder
from .rules.accepted import AcceptedTerms
from .rules.engine import Ruleset, compile_all, lint, lint_document
from .rules.profiles import load_profiles
from .rules.spec import RuleSpec, load_packs
if TYPE_CHECKING:
    from .repository import RepositoryContext
    from .sources.crawl import CrawlOptions, CrawlReport
    from .distributed import DaskExecutor
from .sources import InputReadError, SourceData, SourceRef, discover, read_source


@dataclass(frozen=True)
class DocumentInfo:
    path: str
    channel: str
    lang: str
    unit: Unit | None = None
    words: int = 0
    digest: str = ""  # sha1 of the bytes read, so --fix can tell a file changed since

    def to_json(self) -> dict[str, object]:
        data: dict[str, object] = {"path": self.path, "channel": self.channel, "lang": self.lang, "words": self.words}
        if self.unit:
            data["unit"] = self.unit.to_json()
        return data


@dataclass
class RunOptions:
    targets: list[str]
    config: Config
    channel: str | None = None
    lang: str = "auto"
    select: tuple[str, ...] | None = None  # None: the config's
    ignore: tuple[str, ...] = ()  # added to the config's
    jobs: int | None = None
    stdin: bytes | None = None
    want_claims: bool = False  # `commlint facts`: extract claims even if no claim rule is on
    crawl: "CrawlOptions | None" = None
    crawl_report: "CrawlReport | None" = None
    time_limit: float | None = -1.0  # seconds per input; -1: the config's; None: no limit
    # the git hook: other tracked files give their claims, and only findings involving the
    # files linted here are kept (repository.py)
    context: "RepositoryContext | None" = None
    on_progress: "Callable[[RunProgress], None] | None" = None  # told as each input finishes (the CLI draws a bar)
    executor: "DaskExecutor | None" = None  # --executor dask: the inputs are linted, and claims compared, on a cluster


class RunProgress(NamedTuple):
    """How far the inputs are: files done of all, and their bytes (stdin counts 0 bytes)."""

    done: int
    total: int
    done_bytes: int
    total_bytes: int


@dataclass
class RunResult:
    documents: list[DocumentInfo] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    errors: list[InputError] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    own_files: list["OwnFile"] = field(default_factory=list)  # commlint's reports and baselines: never inputs
    warnings: list[InputWarning] = field(default_factory=list)  # left out of inputs otherwise read
    seconds: float = 0.0
    crawl_skipped: list[tuple[str, str]] = field(default_factory=list)  # (url, reason), not errors
    crawl_fetched: list[str] = field(default_factory=list)
    crawl_report: "CrawlReport | None" = None  # counts of skipped and not-visited URLs, for the reporters
    rule_help: dict[str, tuple[str, str, str]] = field(default_factory=dict)  # id -> (category, message, why)
    rule_docs: Mapping[str, str] = field(default_factory=dict)  # id -> its documentation page, for rules that have one
    unused_suppressions: list[str] = field(default_factory=list)
    baseline_hidden: int = 0
    unchanged_hidden: int = 0  # findings left out by --changed-since
    changed_since: str | None = None  # its REF, as given
    info_hidden: int = 0  # info findings -q left out of the text and concise reports
    claims: list[Claim] = field(default_factory=list)
    # documents per language that no rule pack covers: only language-neutral rules ran on them
    unsupported_languages: dict[str, int] = field(default_factory=dict)
    organisations: int = 0  # senders whose facts were compared apart
    unattributed: list[str] = field(default_factory=list)  # documents whose sender could not be told


@dataclass(frozen=True)
class OwnFile:
    """A file commlint wrote (a report, a baseline) met among the inputs: not checked."""

    path: str
    kind: str  # "a commlint report", "a commlint baseline", ...
    explicit: bool  # named on the command line: said once in the text report; else only listed in JSON


@dataclass
class _Outcome:
    documents: list[DocumentInfo]
    findings: list[Finding]
    error: InputError | None = None
    skipped: bool = False
    claims: list[Claim] = field(default_factory=list)
    errors: list[InputError] = field(default_factory=list)  # more than one (a crawl's failures)
    unused_suppressions: list[str] = field(default_factory=list)
    warnings: list[InputWarning] = field(default_factory=list)
    own_file: str | None = None  # what commlint file this input is, when it is one


def load_rules(config: Config) -> tuple[list[RuleSpec], dict]:
    from .vocab import vocab_rules

    folders = [builtin_pack_folder(), *config.rule_packs]
    return load_packs(folders) + vocab_rules(config.vocab), load_profiles(folders)


def build_ruleset(
    config: Config,
    select: tuple[str, ...] | None = None,
    ignore: tuple[str, ...] = (),
    loaded: tuple[list[RuleSpec], dict] | None = None,
) -> Ruleset:
    """Rules after select/ignore and severity overrides. Raises RuleFileError on bad packs."""
    specs, profiles = loaded or load_rules(config)
    chosen = config.select if select is None else select
    dropped = config.ignore + tuple(ignore)
    kept = [
        replace(spec, severity=severity_for(spec.id, spec.severity, config.severity))
        for spec in specs
        if is_selected(spec.id, chosen, dropped, config.extend_select)
    ]
    allow = frozenset(" ".join(word.casefold().split()) for word in config.allow)
    return Ruleset(kept, profiles, allow, AcceptedTerms(config.vocab.accepted()) or None)


def unknown_codes(specs: list[RuleSpec], codes: tuple[str, ...]) -> list[str]:
    """Codes in select/ignore that name no rule at all (most likely a typo)."""
    from .config import longest_match

    ids = [spec.id for spec in specs] + list(CLAIM_RULES)
    return [code for code in codes if not any(longest_match((code,), rule_id) >= 0 for rule_id in ids)]


# -- the per-input step ---------------------------------------------------------------------
# Filling an empty cache (the first run) is not a document's fault: it restarts the time limit.
after_each_build(progress)
_RULESET: Ruleset | None = None
_CONFIG: Config | None = None
_BASE_OPTIONS: ExtractOptions | None = None
_KNOWLEDGE: dict[str, Knowledge] | None = None  # None: no claim rule selected


def _options_for(ref: SourceRef, config: Config, base: ExtractOptions) -> ExtractOptions:
    options = base
    for scope in config.paths:
        if scope.pattern.match(ref.path.replace(os.sep, "/")):
            if scope.channel and base.channel is None:
                options = replace(options, channel=scope.channel)
            if scope.lang and base.lang == "auto":
                options = replace(options, lang=scope.lang)
    return options


def _scoped(finding: Finding, config: Config) -> Finding | None:
    """Apply [channels.X] and [[paths]] select/ignore/severity to one finding."""
    scopes = []
    if finding.channel in config.channels:
        scopes.append(config.channels[finding.channel])
    path = finding.path.replace(os.sep, "/")
    scopes.extend(p.scope for p in config.paths if p.pattern.match(path))
    for scope in scopes:
        if (scope.select or scope.ignore) and not is_selected(finding.rule, scope.select, scope.ignore):
            return None
        if scope.severity:
            finding = replace(finding, severity=severity_for(finding.rule, finding.severity, scope.severity))
    return finding


def languages_with_rules(ruleset: Ruleset) -> frozenset[str]:
    """Languages some rule names, or that have a language profile (a pack's language whose
    rules are all deselected still counts: that is the user's choice, not a gap)."""
    named = {lang for spec in ruleset.specs for lang in spec.languages if lang != "*"}
    return frozenset(named | set(ruleset.profiles))


def unsupported_notes(documents: list[Document], covered: frozenset[str]) -> list[str]:
    """One note per language without rules in this input: a clean pass on them says little."""
    from .extraction.copy import language_name

    counts: dict[str, list[Document]] = {}
    for doc in documents:
        if doc.lang not in covered and doc.lang != "und":
            counts.setdefault(doc.lang, []).append(doc)
    notes = []
    for lang, docs in counts.items():
        units = [doc.unit for doc in docs if doc.unit]
        what = f"{len(docs)} {units[0].kind}{'s' if len(docs) > 1 else ''} written" if units else "written"
        notes.append(
            f"{what} in {language_name(lang)} ({lang}): commlint has no rules for this language, "
            "so only language-neutral rules ran"
        )
    return notes


def lint_documents(documents: list[Document], ruleset: Ruleset, config: Config, notes: list[str] | None = None) -> tuple[list[DocumentInfo], list[Finding]]:
    infos: list[DocumentInfo] = []
    findings: list[Finding] = []
    for doc in documents:
        result = lint(doc, ruleset)
        progress()  # the time limit is per document, so a large export is not stopped for its size
        if notes is not None:
            notes.extend(result.notes)  # e.g. findings of one rule past its cap, counted
        infos.append(DocumentInfo(doc.path, doc.channel, doc.lang, doc.unit, result.words))
        for finding in result.findings:
            scoped = _scoped(finding, config)
            if scoped is not None:
                findings.append(scoped)
    return infos, findings


def process_source(ref: SourceRef, stdin: bytes | None = None) -> _Outcome:
    try:
        source: SourceData = read_source(ref, stdin)
    except InputReadError as error:
        return _Outcome([], [], InputError(ref.path, str(error)))
    return process_data(source)


def process_data(source: SourceData) -> _Outcome:
    """The per-document step for bytes already read (a file, stdin, or a crawled page)."""
    assert _RULESET is not None and _CONFIG is not None and _BASE_OPTIONS is not None
    ref = source.ref
    notes: list[str] = []
    documents = _documents_of(source, notes)
    if isinstance(documents, _Outcome):
        return documents
    outcome = _Outcome(*lint_documents(documents, _RULESET, _CONFIG, notes))
    notes.extend(unsupported_notes(documents, languages_with_rules(_RULESET)))
    outcome.warnings = [InputWarning(ref.path, note) for note in notes]
    if documents and ref.location is not None:
        import hashlib

        digest = hashlib.sha1(source.data).hexdigest()
        outcome.documents = [replace(d, digest=digest) for d in outcome.documents]
    if documents and "commlint-" in documents[0].positions.source:
        from .suppressions import apply_suppressions

        outcome.findings, outcome.unused_suppressions = apply_suppressions(outcome.findings, documents[0].positions.source, ref.path)
    if _KNOWLEDGE is not None:
        outcome.claims = [c for doc in documents for c in extract_claims(doc, _KNOWLEDGE, _CONFIG.default_country)]
    return outcome


@dataclass(frozen=True)
class ClaimsOnly:
    """A task: a tracked file read only for its claims (what the git hook compares with)."""

    source: SourceData


def _documents_of(source: SourceData, notes: list[str]) -> list[Document] | _Outcome:
    """The documents of one input, or the outcome that says why it has none: commlint's own
    output, a JSON or CSV file that is not a social export, or an input that cannot be extracted."""
    assert _CONFIG is not None and _BASE_OPTIONS is not None
    own = commlint_file(source.ref.path, source.data)
    if own:
        return _Outcome([], [], own_file=own)
    try:
        if is_skippable(source):
            return _Outcome([], [], skipped=True)
        return extract(source, _options_for(source.ref, _CONFIG, _BASE_OPTIONS), notes)
    except ExtractionError as error:
        return _Outcome([], [], InputError(source.ref.path, str(error)))


def process_claims(source: SourceData) -> _Outcome:
    """Extract one input and read its claims; no rule runs on it."""
    assert _CONFIG is not None
    documents = _documents_of(source, [])
    if isinstance(documents, _Outcome):
        return documents
    if _KNOWLEDGE is None:
        return _Outcome([], [])
    return _Outcome([], [], claims=[c for doc in documents for c in extract_claims(doc, _KNOWLEDGE, _CONFIG.default_country)])


def _work(task: "SourceRef | SourceData | ClaimsOnly | tuple[SourceRef, bytes | None]") -> _Outcome:
    """One task in a worker: a file to read, stdin's bytes, a crawled page, or a tracked file's claims."""
    try:
        if isinstance(task, ClaimsOnly):
            return process_claims(task.source)
        if isinstance(task, SourceData):
            return process_data(task)
        if isinstance(task, tuple):
            return process_source(*task)
        return process_source(task)
    except Exception as error:  # noqa: BLE001 - one bad input must not stop the run
        path = task.source.ref.path if isinstance(task, ClaimsOnly) else task.ref.path if isinstance(task, SourceData) else (task[0] if isinstance(task, tuple) else task).path
        return _Outcome([], [], InputError(path, f"internal error while reading this input ({type(error).__name__}: {error}); please report it"))
    finally:
        save_cache()  # what this worker compiled (nothing, once the cache is warm)


def _failed(path: str, failure: TaskFailure) -> _Outcome:
    return _Outcome([], [], InputError(path, failure.reason))


def _limits(options: RunOptions) -> Limits:
    seconds = options.config.time_limit if options.time_limit == -1.0 else options.time_limit
    return Limits(seconds=seconds, memory_mb=options.config.memory_limit)


def _crawl_outcomes(urls: list[str], options: RunOptions, jobs: int) -> Iterator[_Outcome]:
    """Crawl in a thread while the worker pool lints the pages already fetched: crawling and
    linting overlap, and a page's bytes are dropped once it is linted."""
    import queue
    import threading

    from .sources.crawl import CrawlOptions, crawl

    pages: "queue.Queue[object]" = queue.Queue(maxsize=jobs * 8)
    report_box: list = []
    # The pool forks its workers now, before the crawl thread starts.
    pool: SupervisedPool[str] = SupervisedPool(_work, jobs, _limits(options))

    def crawl_thread() -> None:
        try:
            report_box.append(crawl(urls, options.crawl or CrawlOptions(), lambda page: pages.put((page.ref.path, page))))
        except Exception as error:  # noqa: BLE001 - reported, and the run ends cleanly
            report_box.append(error)
        finally:
            pages.put(END)

    thread = threading.Thread(target=crawl_thread, name="commlint-crawl", daemon=True)
    thread.start()
    with pool:
        for path, result in pool.run(pages):
            yield _failed(path, result) if isinstance(result, TaskFailure) else result
    thread.join()
    report = report_box[0] if report_box else None
    if isinstance(report, Exception):
        yield _Outcome([], [], InputError(urls[0], f"crawl stopped: {type(report).__name__}: {report}"))
    elif report is not None:
        options.crawl_report = report
        yield _Outcome([], [], None, skipped=False, errors=list(report.errors))


def _outcomes(refs: list[SourceRef], options: RunOptions, jobs: int) -> Iterator[tuple[SourceRef, _Outcome]]:
    """Each input's outcome, in completion order. Every input runs in a watched worker, so one
    that hangs or eats memory is stopped and reported, and the others go on."""
    tasks = [(index, (ref, options.stdin) if ref.location is None else ref) for index, ref in enumerate(refs)]
    # Largest inputs first: a big file started last would keep one worker busy while the others
    # wait (outcomes are put back in input order by the caller).
    tasks.sort(key=lambda task: -_size(refs[task[0]]))
    context = options.context
    claims_only = ((source.ref.path, ClaimsOnly(source)) for source in context.sources()) if context else iter(())
    count = len(refs) + (len(context.pending) if context else 0)
    if not count:
        return
    with SupervisedPool(_work, min(jobs, count), _limits(options)) as pool:
        for index, result in pool.run(itertools.chain(tasks, claims_only)):
            if isinstance(index, str):  # a tracked file's claims, for the git hook
                assert context is not None
                if isinstance(result, TaskFailure):
                    context.failed(index, result.reason)  # (not kept: tried again next time)
                else:  # a file that cannot be extracted states no fact; kept as such, not read again
                    context.read(index, result.claims if result.error is None else [])
                continue
            ref = refs[index]
            yield ref, (_failed(ref.path, result) if isinstance(result, TaskFailure) else result)


def _reported(outcomes: Iterator[tuple[SourceRef, _Outcome]], refs: list[SourceRef],
              on_progress: "Callable[[RunProgress], None] | None") -> Iterator[tuple[SourceRef, _Outcome]]:
    """Pass the outcomes on, telling `on_progress` how many inputs and bytes are done so far."""
    if on_progress is None:
        yield from outcomes
        return
    sizes = {id(ref): _size(ref) for ref in refs}
    done, done_bytes, total_bytes = 0, 0, sum(sizes.values())
    on_progress(RunProgress(0, len(refs), 0, total_bytes))
    for ref, outcome in outcomes:
        done, done_bytes = done + 1, done_bytes + sizes[id(ref)]
        on_progress(RunProgress(done, len(refs), done_bytes, total_bytes))
        yield ref, outcome


def _size(ref: SourceRef) -> int:
    try:
        return os.stat(ref.location).st_size if ref.location else 0
    except OSError:
        return 0  # (read, and reported, by its worker)


def claim_rules_selected(options: RunOptions) -> list[str]:
    chosen = options.config.select if options.select is None else options.select
    dropped = options.config.ignore + tuple(options.ignore)
    return [rule for rule in CLAIM_RULES if is_selected(rule, chosen, dropped, options.config.extend_select)]


def claim_settings(config: Config, knowledge: dict[str, Knowledge]) -> ClaimSettings:
    declared = {}
    for name, text in config.facts.items():
        fact, _, subject = name.partition(":")
        if fact not in (*DURATION_FACTS, "price", "free-shipping-threshold", "discount", "support-hours", "phone", "email"):
            raise ConfigError(f"{config.file}, [facts] {name}: unknown fact; known: {', '.join(sorted(FACT_LABELS))}")
        value = read_declared(fact, text, knowledge, config.default_country)
        if value is None:
            raise ConfigError(f"{config.file}, [facts] {name}: cannot read {text!r} as a {FACT_LABELS[fact]}")
        declared[(fact, subject.casefold() or None)] = (value.key, value.display)
    preferred = {v.casefold(): term for term, variants in config.preferred_terms.items() for v in variants}
    organisations = Organisations(config.organisations, config.organisation)
    return ClaimSettings(declared=declared, subjects=config.subjects, preferred=preferred, organisations=organisations,
                         accepted=AcceptedTerms(config.vocab.accepted()) or None)


def _compare_claims(result: RunResult, options: RunOptions, rules: list[str]) -> None:
    config = options.config
    settings = claim_settings(config, _KNOWLEDGE or {})
    findings = compare(result.claims, settings)
    result.organisations, result.unattributed = settings.organisation_count, settings.unattributed
    add_claim_findings(result, options, rules, findings, {place(c): c.written for c in result.claims})


def add_claim_findings(result: RunResult, options: RunOptions, rules: list[str], findings: list[Finding], written: dict[tuple, str]) -> None:
    """Keep the selected claim findings, with their severity and scope; `written`: the words of
    the claim at each finding's place (what the reports mark)."""
    config = options.config
    for finding in findings:
        if finding.rule not in rules:
            continue
        finding = replace(finding, severity=severity_for(finding.rule, finding.severity, config.severity),
                          excerpt_span=_span_of(finding, written.get(place(finding))))
        scoped = _scoped(finding, config)
        if scoped is not None:
            result.findings.append(scoped)


def _add_repository_claims(result: RunResult, finished: list[tuple[SourceRef, _Outcome]], context: "RepositoryContext") -> None:
    """The git hook: keep the claims of the files linted here (by blob, for the next commit), and
    compare them with those of every other tracked file."""
    for ref, outcome in finished:
        if outcome.error is None:
            context.read(ref.path, outcome.claims)
    result.claims.extend(context.claims())


def _span_of(finding: Finding, words: str | None) -> tuple[int, int] | None:
    """Where the compared value stands in the finding's sentence, for reports that mark it."""
    at = finding.excerpt.find(words) if words else -1
    return (at, at + len(words)) if words and at >= 0 else finding.excerpt_span


def run(options: RunOptions, ruleset: Ruleset) -> RunResult:
    global _RULESET, _CONFIG, _BASE_OPTIONS, _KNOWLEDGE
    started = time.perf_counter()
    config = options.config
    _RULESET, _CONFIG = ruleset, config
    _BASE_OPTIONS = ExtractOptions(options.channel, options.lang, tuple(config.languages))
    claim_rules = claim_rules_selected(options)
    _KNOWLEDGE = load_knowledge([builtin_pack_folder(), *config.rule_packs]) if (claim_rules or options.want_claims) else None
    if _KNOWLEDGE is None and options.context is not None:
        options.context.unused()  # no claim is compared: the other tracked files are not needed
        options.context = None
    urls = [t for t in options.targets if t.startswith(("http://", "https://"))]
    stored = [t for t in options.targets if "://" in t and t not in urls]  # fsspec URLs (sources/remote.py)
    refs, errors, warnings = discover([t for t in options.targets if t not in urls and t not in stored])
    if stored:
        from .sources.remote import discover_remote

        stored_refs, stored_errors = discover_remote(stored)
        refs, errors = refs + stored_refs, errors + stored_errors
    # Files named on the command line are always linted; exclude only prunes folder walks.
    refs = [ref for ref in refs if ref.explicit or not config.excludes(ref.path)]
    result = RunResult(errors=list(errors), warnings=[w for w in warnings if not config.excludes(w.path)])
    result.rule_help = {rule: (spec.category, spec.message, spec.why or "") for rule, spec in neutral_variants(ruleset.specs).items()}
    result.rule_docs = doc_links(ruleset.specs)
    result.rule_help.update({rule: (rule.split("/")[0], text, text) for rule, text in CLAIM_RULES.items()})
    jobs = options.jobs or config.jobs or os.cpu_count() or 1
    builtin = str(builtin_pack_folder())
    if jobs > 1 and sum(1 for r in refs if r.location is not None) > 1:
        # Compile every rule before forking, so workers share the work (and a broken rule
        # stops the run at once). A single draft (a git hook) compiles only its language's rules.
        compile_all(ruleset, patterns_too=lambda spec: not spec.file.startswith(builtin))
    else:
        # The built-in packs are checked by the test suite; the user's own are checked now.
        compile_all(ruleset, only=lambda spec: not spec.file.startswith(builtin))
    save_cache()
    # Outcomes arrive as inputs finish; they are merged in input order so reports are stable.
    order = {id(ref): index for index, ref in enumerate(refs)}
    outcomes = options.executor.outcomes(refs, options) if options.executor else _outcomes(refs, options, jobs)
    finished = sorted(_reported(outcomes, refs, options.on_progress) if refs or options.context else (), key=lambda pair: order[id(pair[0])])
    for ref, outcome in finished:
        result.warnings.extend(outcome.warnings)
        if outcome.skipped:
            result.skipped.append(ref.path)
        if outcome.own_file:
            result.own_files.append(OwnFile(ref.path, outcome.own_file, ref.explicit))
        if outcome.error:
            result.errors.append(outcome.error)
        result.documents.extend(outcome.documents)
        result.findings.extend(outcome.findings)
        result.claims.extend(outcome.claims)
        result.unused_suppressions.extend(outcome.unused_suppressions)
    if urls:
        for outcome in _crawl_outcomes(urls, options, jobs):
            if outcome.error:
                result.errors.append(outcome.error)
            result.errors.extend(outcome.errors)
            result.warnings.extend(outcome.warnings)
            result.documents.extend(outcome.documents)
            result.findings.extend(outcome.findings)
            result.claims.extend(outcome.claims)
        if options.crawl_report is not None:
            result.crawl_skipped = list(options.crawl_report.skipped)
            result.crawl_fetched = list(options.crawl_report.fetched)
            result.crawl_report = options.crawl_report
            result.warnings.extend(options.crawl_report.warnings)  # robots.txt or a sitemap cut at its cap
    if options.context:
        _add_repository_claims(result, finished, options.context)
    if claim_rules:
        (options.executor.compare_claims if options.executor else _compare_claims)(result, options, claim_rules)
    if options.context:
        result.findings = [f for f in result.findings if options.context.reported(f)]
        result.unattributed = [path for path in result.unattributed if path in options.context.checked]
    covered = languages_with_rules(ruleset)
    unsupported = Counter(d.lang for d in result.documents if d.lang not in covered and d.lang != "und")
    result.unsupported_languages = dict(sorted(unsupported.items()))
    result.findings.sort(key=Finding.sort_key)
    result.errors.sort(key=lambda e: e.path)
    result.warnings.sort(key=lambda w: w.path)
    result.seconds = time.perf_counter() - started
    return result


def lint_text(text: str, ruleset: Ruleset, lang: str = "auto", channel: str = "draft", candidates: tuple[str, ...] | None = None) -> list[Finding]:
    """Lint a snippet as draft copy (used for rule examples and by library users)."""
    from .extraction import assign_languages
    from .extraction.builder import TextBuilder
    from .extraction.text import extract_plain_text

    builder = TextBuilder(text)
    extract_plain_text(text, builder)
    doc = builder.build("<text>", channel)
    assign_languages(doc, ExtractOptions(channel, lang, candidates or ExtractOptions().languages))
    return lint_document(doc, ruleset)
