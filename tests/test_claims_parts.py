"""Claims compared in parts give what they give compared whole.

A cluster never holds every claim in one process: each batch of inputs gathers a few figures
for each subject step, the figures are merged, each batch applies them to its own claims, and
the claims are compared in parts by (organisation, fact, subject). Here DaskExecutor's own
reduce runs in this process with every input its own batch, on the fixture company and the
first three blind company sets, and must give the findings a local run gives. Dask's scheduling,
workers and faults are tests/test_dask.py's business.
"""
from __future__ import annotations

import sys
from collections import defaultdict
from dataclasses import replace
from pathlib import Path
from typing import Any, Callable

import pytest

from commlint.claims import Organisations
from commlint.claims.compare import ClaimSettings, compare_resolved, document_senders, merge_spread, spread_of, understand
from commlint.claims.extract import Claim
from commlint.claims.subjects import document_key
from commlint.config import Config
from commlint.distributed import DaskExecutor, Linted
from commlint.runner import RunOptions, RunResult, build_ruleset, claim_rules_selected, run

from conftest import REPO

sys.path.insert(0, str(REPO / "benchmarks"))
import company_eval  # noqa: E402

SELECT = ("contradiction", "terminology/spelling")


class InProcess:
    """What the reduce asks of a Dask client, done at once in this process: a task runs when it
    is submitted, so its result stands where Dask would put a future."""

    def __init__(self, workers: int) -> None:
        self._workers = workers
        self.reduced: list[int] = []  # claims each reducer was given

    def submit(self, task: Callable[..., Any], *args: Any, **_: Any) -> Any:
        if task.__name__ == "_reduce":
            self.reduced.append(sum(len(bucket) for bucket in args[2:]))
        return task(*args)

    def gather(self, results: list[Any]) -> list[Any]:
        return list(results)

    def scheduler_info(self) -> dict:
        return {"workers": dict.fromkeys(range(self._workers))}


def _local(folder: Path) -> tuple[RunOptions, RunResult]:
    config = Config()
    options = RunOptions([str(folder)], config, select=SELECT, jobs=2)
    return options, run(options, build_ruleset(config, SELECT))


def _by_input(claims: list[Claim], config: Config) -> list[Linted]:
    """One batch per input, in input order, as lint_batch leaves them on the workers."""
    batches: dict[str, list[Claim]] = defaultdict(list)
    for claim in claims:
        batches[claim.path].append(claim)
    organisations = Organisations(config.organisations, config.organisation)
    return [
        Linted([], [((number, nth), claim) for nth, claim in enumerate(found)], document_senders(found, organisations))
        for number, found in enumerate(batches.values())
    ]


def _in_parts(options: RunOptions, claims: list[Claim], workers: int) -> list:
    client = InProcess(workers)
    executor = DaskExecutor(client)  # type: ignore[arg-type]
    executor._linted = _by_input(claims, options.config)  # type: ignore[assignment]
    executor._batch_keys = [list(linted.senders) for linted in executor._linted]  # type: ignore[attr-defined]
    for linted in executor._linted:
        executor._senders.update(linted.senders)  # type: ignore[attr-defined]
    result = RunResult()
    executor.compare_claims(result, options, claim_rules_selected(options))
    assert len(client.reduced) == 2 * workers
    if workers > 1:  # no reducer holds every claim
        assert max(client.reduced) < sum(client.reduced), client.reduced
    return _ordered(result.findings)


def _settings(config: Config) -> ClaimSettings:
    return ClaimSettings(subjects=config.subjects, organisations=Organisations(config.organisations, config.organisation))


def _each_input_alone_differs(claims: list[Claim], config: Config) -> bool:
    """Whether a reduce that did not merge the figures would find otherwise: every input's
    subjects named from that input alone, then all compared together."""
    whole = understand(claims, _settings(config))
    org = {document_key(claim): claim.org for claim in whole}
    alone = [replace(claim, org=org[document_key(claim)])  # the organisation as the whole run tells it
             for linted in _by_input(claims, config) for claim in understand([c for _, c in linted.claims], _settings(config))]
    settings = _settings(config)
    return _ordered(compare_resolved(alone, settings, merge_spread([spread_of(alone)]))) != _ordered(
        compare_resolved(whole, settings, merge_spread([spread_of(whole)])))


def _ordered(findings: list) -> list:
    return sorted(findings, key=lambda f: (*f.sort_key(), f.message))


@pytest.fixture(scope="module")
def company_sets(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    folders = [REPO / "fixtures"]
    for number in (1, 2, 3):  # each subject step's merge changes findings in one of these (mutations tried)
        root = tmp_path_factory.mktemp(f"set{number}")
        company_eval.load(REPO / "tests" / "company" / f"set{number}", root)
        folders.append(root)
    return folders


def test_claims_compared_in_parts_give_the_local_findings(company_sets: list[Path]) -> None:
    merging_mattered = 0
    for folder in company_sets:
        options, result = _local(folder)
        local = _ordered([f for f in result.findings if f.category in ("contradiction", "terminology")])
        assert len({claim.path for claim in result.claims}) >= 10, folder
        for workers in (1, 3):
            assert _in_parts(options, result.claims, workers) == local, (folder, workers)
        merging_mattered += _each_input_alone_differs(result.claims, options.config)
    # the figures merged across inputs change what is found, so the equality above tests them
    assert merging_mattered >= 3
