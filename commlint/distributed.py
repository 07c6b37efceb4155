"""`commlint check --executor dask`: the same check, on a Dask cluster.

Imported only for --executor dask, so a local run never loads Dask.

The map: the inputs are listed on the client and linted on the workers in batches, by the very
step the local pool runs (runner._work). A worker builds the ruleset once, from the configuration
and the rule selection shipped with each batch (not from compiled patterns), and keeps it while
that configuration is the one in use.

The reduce: each batch's claims stay on the worker that found them. The client gathers one small
record per document (its sender), which is all that attributing a document to an organisation
needs. Naming each claim's subject reads the whole run (a plan named in a price table names the
trial in a sentence; two language versions of one table rename rows), but only through a few
figures per step (claims.subjects.STEPS): each batch gathers its figures, one task merges them,
and each batch applies the result to its own claims. Then the claims are split by (organisation,
fact, subject), and each part is compared on one worker in the run's input order, so the
findings equal a local run's and no process holds every claim.
"""
from __future__ import annotations

import hashlib
import importlib.util
import itertools
import operator
import os
import pickle
import uuid
import zlib
from collections import Counter
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Iterator

from .claims.compare import ClaimSettings, attribute_documents, comparison_part, compare_resolved, document_senders, merge_spread, place, spread_of
from .claims.extract import Claim
from .claims.subjects import STEPS, document_key
from .model import Finding, InputError
from .pool import Limits, SupervisedPool, TaskFailure
from .sources import InputReadError, SourceData, SourceRef, read_source

if TYPE_CHECKING:
    from distributed import Client, Future

    from .config import Config
    from .runner import RunOptions, RunResult, _Outcome

INSTALL_HINT = "pip install 'commlint[dask]'"
CONNECT_SECONDS = 5.0  # an unreachable scheduler is a usage error, told this soon
RETRIES = 3  # a batch whose worker died is run again elsewhere, this many times
MAX_BATCH = 64  # inputs per task: enough to amortise a task's cost, small enough to spread
BATCHES_PER_WORKER = 4


class ExecutorError(Exception):
    """The cluster cannot be used as asked (not installed, not reachable): a usage error."""


def ensure_installed() -> None:
    try:
        import distributed  # noqa: F401
        import fsspec  # noqa: F401
    except ImportError as error:
        raise ExecutorError(f"--executor dask needs Dask, which is not installed ({error.name or error}): {INSTALL_HINT}") from error


@dataclass(frozen=True)
class WorkerSetup:
    """What a worker needs to lint as the client would: the configuration and rule selection."""

    config: "Config"
    select: tuple[str, ...] | None
    ignore: tuple[str, ...]
    channel: str | None
    lang: str
    claims: bool  # a claim rule is selected: claims are read
    limits: Limits = Limits()  # per input, as in a local run
    key: str = ""  # a digest of the above: a worker builds its ruleset once per key

    def keyed(self) -> "WorkerSetup":
        digest = hashlib.sha256(pickle.dumps((self.config, self.select, self.ignore, self.channel, self.lang, self.claims))).hexdigest()
        return replace(self, key=digest)


_PREPARED: str | None = None  # in a worker: the setup key its runner globals hold


def _prepare(setup: WorkerSetup) -> None:
    """Set the per-input step's globals in this worker, once per configuration."""
    global _PREPARED
    if _PREPARED == setup.key:
        return
    from . import runner
    from .claims import load_knowledge
    from .extraction import ExtractOptions
    from .rules import builtin_pack_folder

    config = setup.config
    runner._RULESET = runner.build_ruleset(config, setup.select, setup.ignore)
    runner._CONFIG = config
    runner._BASE_OPTIONS = ExtractOptions(setup.channel, setup.lang, tuple(config.languages))
    runner._KNOWLEDGE = load_knowledge([builtin_pack_folder(), *config.rule_packs]) if setup.claims else None
    _PREPARED = setup.key


@dataclass
class Linted:
    """One batch's result. `outcomes` (without claims) and `senders` go to the client; `claims`
    stay on the worker for the reduce."""

    outcomes: list[tuple[int, "_Outcome"]]
    claims: list[tuple[tuple[int, int], Claim]] = field(default_factory=list)  # ((input, nth claim), claim)
    senders: dict[str, tuple[str, str | None, bool]] = field(default_factory=dict)


Task = tuple[int, "SourceRef | SourceData"]


def lint_batch(setup: WorkerSetup, batch: list[Task]) -> Linted:
    """The map step, on a worker: the local pool's per-input step for each input of the batch."""
    from .claims.senders import Organisations

    _prepare(setup)
    linted = Linted([])
    for index, outcome in _watched(batch, setup.limits):
        linted.claims.extend(((index, nth), claim) for nth, claim in enumerate(outcome.claims))
        outcome.claims = []
        linted.outcomes.append((index, outcome))
    claims = [claim for _, claim in linted.claims]
    linted.senders = document_senders(claims, Organisations(setup.config.organisations, setup.config.organisation))
    return linted


def _watched(batch: list[Task], limits: Limits) -> list[tuple[int, "_Outcome"]]:
    """Each input of the batch through the local run's watched pool (one forked child), so an
    input that hangs or eats memory is stopped and reported as on one machine, and the worker
    goes on with the rest of the batch."""
    import multiprocessing

    from . import runner

    # A Dask worker is a daemonic process, which multiprocessing forbids to have children: a
    # daemon's children could outlive it. This child cannot: it reads its tasks from a pipe and
    # ends at the pipe's end, when its parent goes.
    # (The pool forks a fresh child whenever one was stopped, so the flag stays off while it runs.)
    config = multiprocessing.current_process()._config  # type: ignore[attr-defined]
    daemon = config.pop("daemon", None)
    paths = {index: (task.ref.path if isinstance(task, SourceData) else task.path) for index, task in batch}
    try:
        with SupervisedPool(runner._work, 1, limits) as pool:
            done = [
                (index, runner._failed(paths[index], result) if isinstance(result, TaskFailure) else result)
                for index, result in pool.run(iter(batch))
            ]
    finally:
        if daemon is not None:
            config["daemon"] = daemon
    return sorted(done, key=operator.itemgetter(0))


def _summary(linted: Linted) -> Linted:
    """What the client gathers of a batch: everything but its claims."""
    return Linted(linted.outcomes, [], linted.senders)


Part = list[tuple[tuple[int, int], Claim]]  # a batch's claims, each with its place in the run's order


def _attributed(linted: Linted, organisations: dict[str, str | None]) -> Part:
    return [(order, replace(claim, org=organisations.get(document_key(claim)))) for order, claim in linted.claims]


def _gather(number: int, part: Part) -> Any:
    return STEPS[number].gather([claim for _, claim in part])


def _merge(number: int, figures: list[Any]) -> Any:
    return STEPS[number].merge(figures)


def _apply(number: int, part: Part, merged: Any, extra: tuple[str, ...]) -> Part:
    changed = STEPS[number].apply([claim for _, claim in part], merged, extra)
    return [(order, claim) for (order, _), claim in zip(part, changed, strict=True)]


def _spread(part: Part) -> Counter:
    return spread_of([claim for _, claim in part])


def _split(part: Part, partitions: int) -> list[Part]:
    """A batch's claims in one bucket per reducer, by what they are compared within. Claims no
    organisation could be told for are compared with nothing, so they are dropped here."""
    buckets: list[Part] = [[] for _ in range(partitions)]
    for order, claim in part:
        if claim.org is not None:
            # (hash() differs between processes)
            buckets[zlib.crc32(repr(comparison_part(claim)).encode("utf-8")) % partitions].append((order, claim))
    return buckets


def _reduce(settings: ClaimSettings, spread: Counter, *buckets: Part) -> list[Finding]:
    """The reduce step, on a worker: some parts' claims, compared in input order."""
    claims = [claim for _, claim in sorted(itertools.chain.from_iterable(buckets), key=operator.itemgetter(0))]
    return compare_resolved(claims, settings, spread) if claims else []


def _written(linted: Linted, places: set[tuple]) -> dict[tuple, str]:
    """The words the reports mark at each finding's place: the last claim there, as a local run
    takes it."""
    return {where: claim.written for _, claim in linted.claims if (where := place(claim)) in places}


def _read_here(ref: SourceRef) -> SourceData | InputError:
    """memory:// lives in this process only: its bytes are read here and shipped."""
    try:
        return read_source(ref)
    except InputReadError as error:
        return InputError(ref.path, str(error))


class DaskExecutor:
    """Lints on a Dask cluster and compares claims there. Made by connect()."""

    def __init__(self, client: "Client", cluster: Any = None) -> None:
        self.client = client
        self.cluster = cluster  # a LocalCluster started for this run, closed with it
        self._linted: list["Future"] = []
        self._batch_keys: list[list[str]] = []  # document keys of each batch, from its summary
        self._senders: dict[str, tuple[str, str | None, bool]] = {}

    def workers(self) -> int:
        return max(1, len(self.client.scheduler_info().get("workers", {})))

    def outcomes(self, refs: list[SourceRef], options: "RunOptions") -> Iterator[tuple[SourceRef, "_Outcome"]]:
        from distributed import as_completed

        from . import runner

        setup = WorkerSetup(options.config, options.select, options.ignore, options.channel, options.lang,
                            runner._KNOWLEDGE is not None, runner._limits(options)).keyed()
        tasks: list[Task] = []
        for index, ref in enumerate(refs):
            if ref.location is None:
                tasks.append((index, SourceData(ref, options.stdin or b"")))
            elif ref.location.startswith("memory://"):
                read = _read_here(ref)
                if isinstance(read, InputError):
                    yield ref, runner._Outcome([], [], read)
                    continue
                tasks.append((index, read))
            elif "://" in ref.location:
                tasks.append((index, ref))
            else:  # a worker's working folder is not the client's: it reads by absolute path
                tasks.append((index, replace(ref, location=os.path.abspath(ref.location))))
        size = max(1, min(MAX_BATCH, -(-len(tasks) // (self.workers() * BATCHES_PER_WORKER))))
        batches = [tasks[start:start + size] for start in range(0, len(tasks), size)]
        # The setup travels once to the cluster, not once per batch.
        [shared] = self.client.scatter([setup], broadcast=True)
        run = uuid.uuid4().hex[:12]
        # the key names the batch's first and last input, so the task stream tells who linted what
        self._linted = [self.client.submit(lint_batch, shared, batch, retries=RETRIES, key=f"commlint-lint-{batch[0][0]}-{batch[-1][0]}-{run}")
                        for batch in batches]
        summaries = {self.client.submit(_summary, linted, pure=False): number for number, linted in enumerate(self._linted)}
        self._batch_keys = [[] for _ in batches]
        gathered: dict[int, Linted] = {}
        for future in as_completed(summaries):
            number = summaries[future]
            try:
                summary: Linted = future.result()
            except Exception as error:  # noqa: BLE001 - a batch whose workers kept dying
                reason = f"the cluster could not check this input ({type(error).__name__}: {error})"
                for index, task in batches[number]:
                    yield refs[index], runner._Outcome([], [], InputError(refs[index].path, reason))
                continue
            gathered[number] = summary
            self._batch_keys[number] = list(summary.senders)
            for index, outcome in summary.outcomes:
                yield refs[index], outcome
        # senders in the run's input order, as a local run meets them
        for number in sorted(gathered):
            self._senders.update(gathered[number].senders)

    def compare_claims(self, result: "RunResult", options: "RunOptions", rules: list[str]) -> None:
        """The reduce, all on the cluster: the subject steps gather a few figures from each
        batch's claims and merge them into the run's; then the claims go to reducers by
        (organisation, fact, subject), and each part is compared where it lands."""
        from . import runner

        settings = runner.claim_settings(options.config, runner._KNOWLEDGE or {})
        organisations, result.unattributed, result.organisations = attribute_documents(self._senders)
        submit = self.client.submit
        batches = [(linted, keys) for linted, keys in zip(self._linted, self._batch_keys) if keys]
        parts = [submit(_attributed, linted, {key: organisations.get(key) for key in keys}, retries=RETRIES, pure=False)
                 for linted, keys in batches]
        if not parts:
            return  # no claim anywhere
        extra = tuple(settings.subjects)
        for number in range(len(STEPS)):
            merged = submit(_merge, number, [submit(_gather, number, part, retries=RETRIES, pure=False) for part in parts],
                            retries=RETRIES, pure=False)
            parts = [submit(_apply, number, part, merged, extra, retries=RETRIES, pure=False) for part in parts]
        spread = submit(merge_spread, [submit(_spread, part, retries=RETRIES, pure=False) for part in parts], retries=RETRIES, pure=False)
        partitions = max(1, self.workers() * 2)
        splits = [submit(_split, part, partitions, retries=RETRIES, pure=False) for part in parts]
        reduced = [
            submit(_reduce, settings, spread, *[submit(operator.getitem, split, number, pure=False) for split in splits],
                   retries=RETRIES, pure=False)
            for number in range(partitions)
        ]
        findings = [finding for found in self.client.gather(reduced) for finding in found]
        places = {place(f) for f in findings}
        written: dict[tuple, str] = {}
        for found in self.client.gather([submit(_written, linted, places, pure=False) for linted, _ in batches]):
            written.update(found)  # in input order: the last claim at a place is the one kept
        runner.add_claim_findings(result, options, rules, findings, written)

    def close(self) -> None:
        self._linted = []
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()


def connect(scheduler: str | None, workers: int | None = None) -> DaskExecutor:
    """A client of the cluster at `scheduler`, or of a LocalCluster started here. Raises
    ExecutorError when Dask is missing or the scheduler cannot be reached."""
    ensure_installed()
    import logging

    from distributed import Client, LocalCluster

    if scheduler:
        try:
            client = Client(scheduler, timeout=CONNECT_SECONDS)
        except (OSError, TimeoutError, ValueError) as error:
            raise ExecutorError(f"cannot reach the Dask scheduler at {scheduler} within {CONNECT_SECONDS:g} seconds ({error})") from error
        executor = DaskExecutor(client)
    else:
        logging.getLogger("distributed").setLevel(logging.ERROR)  # its start-up chatter is not the user's business
        cluster = LocalCluster(n_workers=workers or os.cpu_count() or 1, threads_per_worker=1, processes=True,
                               dashboard_address=":0")
        executor = DaskExecutor(Client(cluster), cluster)
    return executor


def dashboard_line(executor: DaskExecutor) -> str:
    """What the run prints first: where to watch it."""
    services = executor.client.scheduler_info().get("services", {})
    workers = executor.workers()
    if "dashboard" not in services:
        where = "Dask dashboard: not running on this scheduler"
    else:
        where = f"Dask dashboard: {executor.client.dashboard_link}"
        if executor.cluster is not None and importlib.util.find_spec("bokeh") is None:
            where += " (its graphs need bokeh: pip install bokeh)"
    return f"Running on Dask ({workers} worker{'s' if workers != 1 else ''}). {where}"

