"""A process pool that watches each task: one input that hangs or eats memory is stopped, reported,
and the run goes on with a fresh worker.

concurrent.futures cannot do this: it cannot stop one running task, and a killed worker breaks the
whole pool. Here every worker holds at most one task, so the parent always knows which input a
worker is on, since when, and how much memory it uses; it kills that worker when the input passes
its time or memory limit and reports the input with the reason.

Workers are forked, so they share the parent's compiled rules; a replacement is forked the same way.

The time limit is per unit of progress: a task that holds many documents (a social export of
thousands of posts) calls `progress()` after each one, and its clock starts again. So a slow
document is still stopped, and a large export is not stopped only for being large.
"""
from __future__ import annotations

import multiprocessing
import os
import queue
import signal
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any, Callable, Generic, Hashable, Iterator, TypeVar

Key = TypeVar("Key", bound=Hashable)

_PAGE_SIZE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096
_POLL_SECONDS = 0.05
END = object()  # put on a task queue to say no more tasks will come
_PROGRESS = "progress"  # a worker's message: one part of its task is done
_PROGRESS_EVERY = 0.5  # seconds between progress messages: a pipe message per post would be waste
_WORKER_CONNECTION: Connection | None = None  # set in a worker process only
_last_progress = 0.0


def progress() -> None:
    """Called by a task between its parts (documents): the time limit starts again."""
    global _last_progress
    if _WORKER_CONNECTION is None:
        return
    now = time.monotonic()
    if now - _last_progress >= _PROGRESS_EVERY:
        _last_progress = now
        _WORKER_CONNECTION.send(_PROGRESS)


@dataclass(frozen=True)
class TaskFailure:
    """A task that did not finish: the reason is plain words for the report."""

    reason: str


@dataclass(frozen=True)
class Limits:
    seconds: float | None = 20.0  # per task; None: no limit
    memory_mb: int | None = 2048  # resident memory of the worker; None: no limit


def _worker_loop(connection: Connection, function: Callable[[Any], Any]) -> None:
    global _WORKER_CONNECTION
    # A Ctrl-C goes to the whole process group; the parent decides what stops.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _WORKER_CONNECTION = connection
    while True:
        try:
            message = connection.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        key, payload = message
        try:
            reply: tuple[Any, bool, Any] = (key, True, function(payload))
        except BaseException as error:  # noqa: BLE001 - reported as this task's failure
            reply = (key, False, f"{type(error).__name__}: {error}")
        try:
            connection.send(reply)
        except Exception as error:  # noqa: BLE001 - e.g. a result that cannot be pickled
            connection.send((key, False, f"result could not be returned ({type(error).__name__}: {error})"))


class _Worker:
    def __init__(self, function: Callable[[Any], Any]) -> None:
        context = multiprocessing.get_context("fork")
        self.connection, child = context.Pipe()
        self.process = context.Process(target=_worker_loop, args=(child, function), daemon=True)
        self.process.start()
        child.close()
        self.task: Any = None  # key of the task it holds
        self.started = 0.0

    def give(self, key: Any, payload: Any) -> None:
        self.task, self.started = key, time.monotonic()
        self.connection.send((key, payload))

    def resident_mb(self) -> float:
        try:
            with open(f"/proc/{self.process.pid}/statm", "rb") as handle:
                return int(handle.read().split()[1]) * _PAGE_SIZE / (1024 * 1024)
        except (OSError, ValueError, IndexError):
            return 0.0

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)
        self.connection.close()

    def stop(self) -> None:
        try:
            self.connection.send(None)
        except OSError:
            pass
        self.process.join(2)
        self.kill()


class SupervisedPool(Generic[Key]):
    """Run `function(payload)` for each (key, payload) task in `jobs` forked workers.

    `run` yields (key, result) as tasks finish, in completion order; result is a TaskFailure when
    the task raised, passed a limit, or its worker died. Tasks come from an iterable, or from a
    queue.Queue (ended by END) that another thread fills, such as the crawler."""

    def __init__(self, function: Callable[[Any], Any], jobs: int, limits: Limits) -> None:
        self.function = function
        self.limits = limits
        # Forked now, before the caller starts any thread (a fork copies no thread's held lock).
        self.workers = [_Worker(function) for _ in range(max(1, jobs))]

    def __enter__(self) -> "SupervisedPool[Key]":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        for worker in self.workers:
            if worker.task is None and not worker.connection.closed:
                worker.stop()
            else:
                worker.kill()

    def run(self, tasks: "Iterator[tuple[Key, Any]] | queue.Queue[Any]") -> Iterator[tuple[Key, Any]]:
        source = tasks if isinstance(tasks, queue.Queue) else iter(tasks)
        workers = self.workers
        exhausted = False
        try:
            while True:
                idle = [w for w in workers if w.task is None]
                while idle and not exhausted:
                    task = self._next(source, block=len(idle) == len(workers))
                    if task is None:
                        break  # nothing ready yet (a queue still being filled)
                    if task is END:
                        exhausted = True
                        break
                    idle.pop().give(*task)
                busy = [w for w in workers if w.task is not None]
                if not busy:
                    if exhausted:
                        return
                    continue
                ready = wait([w.connection for w in busy] + [w.process.sentinel for w in busy], timeout=_POLL_SECONDS)
                for worker in busy:
                    outcome = self._collect(worker, ready)
                    if outcome is None:
                        continue
                    yield outcome
                    if not worker.process.is_alive() or worker.connection.closed:
                        workers[workers.index(worker)] = _Worker(self.function)
        finally:
            self.close()

    def _next(self, source: Any, block: bool) -> Any:
        if isinstance(source, queue.Queue):
            try:
                return source.get(timeout=_POLL_SECONDS) if block else source.get_nowait()
            except queue.Empty:
                return None
        return next(source, END)

    def _collect(self, worker: _Worker, ready: list[Any]) -> tuple[Any, Any] | None:
        """The finished task of `worker`, or its failure, or None while it is still working."""
        key = worker.task
        while worker.connection in ready:
            try:
                message = worker.connection.recv()
            except (EOFError, OSError):
                break  # died while answering: handled as a death below
            if message == _PROGRESS:
                worker.started = time.monotonic()
                if not worker.connection.poll():
                    break
                continue
            got_key, ok, value = message
            worker.task = None
            return got_key, (value if ok else TaskFailure(str(value)))
        if worker.process.sentinel in ready or not worker.process.is_alive():
            code = worker.process.exitcode
            worker.kill()
            worker.task = None
            return key, TaskFailure(f"the worker reading it stopped unexpectedly (exit code {code}); it may have run out of memory")
        elapsed = time.monotonic() - worker.started
        if self.limits.seconds is not None and elapsed > self.limits.seconds:
            worker.kill()
            worker.task = None
            return key, TaskFailure(f"took longer than {self.limits.seconds:g} s without finishing a document; stopped (the limit is `time-limit` in the config, or --time-limit)")
        if self.limits.memory_mb is not None and worker.resident_mb() > self.limits.memory_mb:
            worker.kill()
            worker.task = None
            return key, TaskFailure(f"needed more than {self.limits.memory_mb} MB of memory; stopped (the limit is `memory-limit` in the config)")
        return None
