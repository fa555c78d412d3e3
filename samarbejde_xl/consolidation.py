"""Consolidation: a folder of case workbooks -> the leader-group report for one quarter (issue 5).

Steps: find the workbooks (lock files ``~$…`` skipped, the outputs never read back), read them in worker
processes into facts (``core.facts``), aggregate them into figures (``core.aggregate``), attach what only the run
knows (when, which version, the trend from the history, skipped files: :func:`_with_run`), write the internal report
and, as a workbook of its own, the politicians' summary (``core.publication`` decides what it shows; optionally its
PDF), and store the quarter's key figures in the history.

Each worker reads, parses, validates, plans and extracts :class:`~samarbejde_xl.core.facts.WorkbookFacts` for
its files and sends back only those small records, never cell grids: pickling grids back costs most of the gain of
running in parallel. A file that cannot be read becomes a data-quality row with its reason and the run goes on.
The cross-workbook check (a case id used in two workbooks) runs in the main process on the facts.

Settings: the base rules are the defaults or the ``--settings`` TOML file; each workbook's own Indstillinger
overrides apply on top of them, as they do when the guide refreshes the workbook.
"""

from __future__ import annotations

import dataclasses
import gc
import itertools
import multiprocessing
import os
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date, datetime
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any

from samarbejde_xl import __version__, schema
from samarbejde_xl.core.aggregate import aggregate, key_figures
from samarbejde_xl.core.check import check_data
from samarbejde_xl.core.errors import SamarbejdeError, WorkbookError
from samarbejde_xl.core.facts import Unreadable, WorkbookFacts, unreadable_facts, with_problems, workbook_facts
from samarbejde_xl.core.figures import ConsolidationResult, CopyNote, Figures, KeyFigures
from samarbejde_xl.core.identifiers import public_municipality
from samarbejde_xl.core.model import WorkbookData, case_id_key
from samarbejde_xl.core.problems import Problem
from samarbejde_xl.core.quarter import Quarter, ReportPeriod, last_complete_quarter
from samarbejde_xl.core.settings import DEFAULT_SETTINGS, Settings
from samarbejde_xl.core.suppression import DEFAULT_MIN_COUNT
from samarbejde_xl.core.survey import SurveyError, SurveyResult, count_answers
from samarbejde_xl.core.validation import ids_across_workbooks
from samarbejde_xl.core.wording import counted, os_reason
from samarbejde_xl.fileio import nearest_existing, refuse_overwriting, same_file
from samarbejde_xl.report.facts_cache import FactsCache, open_cache
from samarbejde_xl.report.history_store import load_history, save_snapshot
from samarbejde_xl.report.writers import import_steps, report_writers
from samarbejde_xl.safe_text import display_text
from samarbejde_xl.workbook.discover import Discovery, find_workbooks
from samarbejde_xl.workbook.reader import read_workbook

HISTORY_FILE_NAME = "samarbejde-historik.sqlite"
"""Default history store: beside the report."""

ProgressCallback = Callable[[int, int], None]
"""Called in the main process with (files done, files in total)."""


class ConsolidationError(SamarbejdeError):
    """Nothing to consolidate (no workbooks found) or an output that would overwrite an input."""


@dataclass(frozen=True)
class ReadTask:
    """One file for a worker: everything it needs, picklable."""

    path: str
    display: str  # file name as shown in messages and the report
    quarter: ReportPeriod
    today: date
    settings: Settings
    password: str | None = None  # for workbooks saved with "Encrypt with password"; decrypted in memory
    check_extent: bool = False  # the reader's full sheet scan: off in worker processes, which run under limits


@dataclass(frozen=True)
class ConsolidationRun:
    result: ConsolidationResult
    report: Path
    pdf: Path | None
    history: Path | None
    facts: tuple[WorkbookFacts, ...] = ()  # what the figures were aggregated from (for --export)
    politicians: Path | None = None  # the politicians' summary, a workbook of its own

    @property
    def unreadable(self) -> tuple[tuple[str, str], ...]:
        """(file, reason) of every workbook that could not be read."""
        return tuple(
            (row.file, row.unreadable_detail or row.unreadable_reason)
            for row in self.result.data_quality
            if row.unreadable is not None
        )

    @property
    def skipped_reports(self) -> tuple[str, ...]:
        """Earlier reports found among the workbooks: not read, not counted."""
        return self.result.skipped_reports

    @property
    def unreadable_folders(self) -> tuple[tuple[str, str], ...]:
        """(folder, Danish reason) of every folder that could not be searched."""
        return tuple(item for item in self.result.skipped_files if item[1].startswith(FOLDER_UNREADABLE))

    @property
    def exit_code(self) -> int:
        """0 every workbook read, 1 some unreadable or a folder could not be searched (the report was still written)."""
        return 1 if self.unreadable or self.unreadable_folders else 0

    def notes(self) -> list[str]:
        """What the run skipped or could not read, what it counted once and what else it wrote: shown before the
        summary (on stderr by the CLI, in the message of the ribbon's Kvartalsrapport)."""
        lines = [
            f"Sprunget over: {file}: en tidligere samarbejde-xl-rapport, ikke en sagsprojektmappe"
            for file in self.skipped_reports
        ]
        lines += [f"Kan ikke læses: {file}: {reason}" for file, reason in self.unreadable]
        lines += [f"Sprunget over: {file}: {why}" for file, why in self.result.skipped_files]
        for copy in self.result.copies:
            others = ", ".join(copy.others)
            lines.append(
                f"Kopi: {copy.case_id} (samme id og fødselsdato) findes i {copy.used} og {others}; "
                f"talt én gang, fra {copy.used}, fordi {copy.reason}"
            )
        if self.politicians is not None:
            lines.append(f"Til politikere: {self.politicians}")
        if self.pdf is not None:
            lines.append(f"PDF: {self.pdf}")
        return [display_text(line) for line in lines]

    def summary(self) -> str:
        counts = self.result.counts
        unreadable = f" ({counted(counts.workbooks_unreadable, 'ulæselig')})" if counts.workbooks_unreadable else ""
        text = (
            f"Læste {counted(counts.workbooks_found, 'arbejdsbog')}{unreadable}, "
            f"{counted(counts.young_people, 'ung')}, {counted(counts.errors, 'fejl')}, "
            f"{counted(counts.warnings, 'advarsel')} -> {self.report}"
        )
        if counts.errors or counts.warnings or counts.workbooks_unreadable:
            text += (
                f". Se arket {schema.REPORT_SHEET_DATA_QUALITY} i rapporten, eller kør samarbejde-xl validate MAPPE "
                "for at se hver fejl med ark og celle"
            )
        return text


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector. Reading and aggregating make hundreds of thousands of small objects
    and none of them form cycles, but each allocation burst triggers collections that rescan every live object
    (in the main process: all facts collected so far). Cycles made meanwhile are collected after."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


@contextmanager
def _gc_scans_new_objects_only() -> Iterator[None]:
    """Collect cycles in the block, but among the objects made in it only. The facts and figures alive at its start
    (hundreds of thousands of objects, none in a cycle) are set aside (``gc.freeze``) until it ends, so the report
    writer's cycles (XlsxWriter's workbook and its cells) are collected without scanning them: one full scan of
    them took about 0.15 s at 1,000 workbooks. Not when the program froze objects of its own (it may rely on them
    staying frozen)."""
    if gc.get_freeze_count():
        yield
        return
    collecting = gc.isenabled()
    gc.freeze()  # first, so no collection runs over them when the collector is enabled
    gc.enable()
    try:
        yield
    finally:
        if not collecting:
            gc.disable()
        gc.unfreeze()  # back into the oldest generation, as a collection would have left them


def read_facts(task: ReadTask) -> WorkbookFacts:
    """Worker: one file -> its facts. Never raises for a bad file: it becomes an unreadable row."""
    with _gc_paused():
        return _read_facts(task)


def _read_facts(task: ReadTask) -> WorkbookFacts:
    try:
        read = read_workbook(
            task.path, display_name=task.display, password=task.password, check_extent=task.check_extent
        )
        settings, problems = check_data(read.data, read.problems, task.settings, task.today)
        facts = workbook_facts(read.data, problems, settings, task.quarter, task.today)
        # The municipality is the one workbook text the politicians see: a name or CPR number typed there is dropped.
        return dataclasses.replace(
            facts, municipality=public_municipality(facts.municipality), identities=case_identities(read.data)
        )
    except WorkbookError as error:
        return unreadable_facts(task.display, Unreadable.of(error.code), f"{error.reason}. {error.hint}")
    except MemoryError:  # the worker's memory cap
        return _failed_in_worker(task, Unreadable.WORKER_DIED, FILE_SECONDS, FILE_MEMORY_BYTES)
    except Exception as error:  # a bug must not stop the other 999 files; the row says what happened
        detail = f"uventet fejl i samarbejde-xl ({type(error).__name__}: {error}); meld fejlen med denne tekst"
        return unreadable_facts(task.display, Unreadable.INTERNAL, detail)


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def chunksize(files: int, jobs: int) -> int:
    # Enough chunks per worker to balance uneven files and keep the progress bar moving; big enough to amortise IPC.
    return max(1, min(16, files // (jobs * 8)))


FILE_SECONDS = 10.0
"""Limit of wall time for reading one workbook in a worker process; past it the worker is stopped and the file
alone is listed as unreadable. A real workbook takes tens of milliseconds."""

FILE_MEMORY_BYTES = 500 * 1024 * 1024
"""Limit of memory a worker process may take on top of what it holds when it starts (its address space, so a
runaway allocation fails at once); a real workbook needs a few megabytes."""


def iter_facts(
    tasks: Sequence[ReadTask], *, jobs: int, meanwhile: Iterator[object] | None = None
) -> Iterator[WorkbookFacts]:
    """Facts of every task, in completion order. ``jobs == 1`` reads in this process (tests, debugging) with the
    reader's full extent check; otherwise supervised worker processes (:func:`_supervised`) read them, and this
    process takes steps of ``meanwhile`` while it waits for them (what is left of it is the caller's)."""
    if jobs <= 1 or len(tasks) <= 1:
        yield from (read_facts(dataclasses.replace(task, check_extent=True)) for task in tasks)
        return
    yield from _supervised(tasks, min(jobs, len(tasks)), FILE_SECONDS, FILE_MEMORY_BYTES, meanwhile)


def _limit_memory(extra_bytes: int) -> None:
    """Cap this process's address space at its current size plus ``extra_bytes`` (Linux)."""
    try:
        import resource

        with open("/proc/self/statm") as statm:
            current = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (ImportError, OSError, ValueError):
        return
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = current + extra_bytes
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _worker_main(connection: Connection, memory_bytes: int) -> None:
    _limit_memory(memory_bytes)
    while True:
        task = connection.recv()
        if task is None:
            return
        connection.send(read_facts(task))


TASKS_IN_FLIGHT = 2
"""Files sent to a worker before its answers come back: the next file waits in its pipe, so the worker does not idle
while this process receives and stores the facts of the last one."""


@dataclass
class _Worker:
    process: BaseProcess
    connection: Connection
    tasks: deque[ReadTask] = dataclasses.field(default_factory=deque)  # sent, not answered; the first is being read
    deadline: float = 0.0  # for the first of ``tasks``

    @classmethod
    def start(cls, memory_bytes: int) -> _Worker:
        context = multiprocessing.get_context()
        parent, child = context.Pipe()
        process = context.Process(target=_worker_main, args=(child, memory_bytes), daemon=True)
        process.start()
        child.close()
        return cls(process, parent)

    def give(self, task: ReadTask, seconds: float) -> bool:
        """Send ``task``; False when the worker is gone (it died on the file it was reading after it answered the
        one before): the task was not sent, and the worker's end is noticed by the supervising loop."""
        try:
            self.connection.send(task)
        except (OSError, ValueError):  # a broken pipe, or the connection closed
            return False
        if not self.tasks:
            self.deadline = time.monotonic() + seconds
        self.tasks.append(task)
        return True

    def answered(self, seconds: float) -> None:
        """The first task's facts came back; the next one (already in the pipe) is being read from now."""
        self.tasks.popleft()
        if self.tasks:
            self.deadline = time.monotonic() + seconds

    def stop(self, *, kill: bool) -> None:
        if kill:
            self.process.kill()
        else:
            try:
                self.connection.send(None)
            except (OSError, ValueError):
                self.process.kill()
        self.process.join(timeout=5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.connection.close()


def _failed_in_worker(task: ReadTask, reason: Unreadable, seconds: float, memory_bytes: int) -> WorkbookFacts:
    if reason is Unreadable.TOO_SLOW:
        detail = f"læsningen tog mere end {seconds:g} s og blev stoppet"
    else:
        detail = (
            f"processen, der læste den, stoppede (mere end {memory_bytes // (1024 * 1024)} MB hukommelse eller et "
            "nedbrud); de andre filer blev læst"
        )
    return unreadable_facts(task.display, reason, detail)


MEANWHILE_SECONDS = 0.005
"""Time spent on other work between two looks at the workers (a worker that answers waits at most this long)."""


def _supervised(
    tasks: Sequence[ReadTask], jobs: int, seconds: float, memory_bytes: int, meanwhile: Iterator[object] | None = None
) -> Iterator[WorkbookFacts]:
    """Read ``tasks`` in ``jobs`` worker processes, one file at a time each (with the next one waiting in its pipe),
    under a time and memory limit. A worker that dies (a native abort, the memory cap) or overruns fails the file it
    was reading only: it is replaced, the file waiting for it goes back in the queue, and the batch goes on. While
    no worker has answered, steps of ``meanwhile`` are taken, a few milliseconds' worth at a time."""
    queue = deque(tasks)
    idle = _Chores(meanwhile)
    workers: list[_Worker] = []

    def retire(worker: _Worker) -> None:
        workers.remove(worker)
        worker.stop(kill=True)

    def feed(worker: _Worker) -> None:
        while len(worker.tasks) < TASKS_IN_FLIGHT and queue:
            task = queue.popleft()
            if not worker.give(task, seconds):
                queue.appendleft(task)  # for another worker
                if not worker.tasks:  # gone between files: nothing of its own failed
                    retire(worker)
                return

    def fail(worker: _Worker, reason: Unreadable) -> WorkbookFacts:
        retire(worker)
        failed = worker.tasks.popleft()
        queue.extendleft(reversed(worker.tasks))  # not started: read by another worker
        return _failed_in_worker(failed, reason, seconds, memory_bytes)

    try:
        while queue or any(worker.tasks for worker in workers):
            while len(workers) < jobs and len(workers) < len(queue) + sum(bool(w.tasks) for w in workers):
                workers.append(_Worker.start(memory_bytes))
            for worker in list(workers):  # feed may drop a worker that is gone
                feed(worker)
            busy = [worker for worker in workers if worker.tasks]
            if not busy:  # every worker was gone between files: start others
                continue
            ready = _ready(busy, idle)
            if ready is None:  # no answer yet: other work was done meanwhile
                continue
            for worker in busy:
                if worker.connection in ready:
                    try:
                        facts: WorkbookFacts = worker.connection.recv()
                    except (EOFError, OSError):
                        pass
                    else:
                        worker.answered(seconds)
                        feed(worker)  # before the facts are stored: the worker never waits for that
                        yield facts
                        continue
                if worker.process.sentinel in ready or worker.connection in ready:
                    yield fail(worker, Unreadable.WORKER_DIED)
                elif time.monotonic() >= worker.deadline:
                    yield fail(worker, Unreadable.TOO_SLOW)
    finally:
        for worker in workers:
            worker.stop(kill=bool(worker.tasks))


def _ready(busy: list[_Worker], idle: _Chores) -> set[Any] | None:
    """The busy workers' connections and process sentinels that are ready (at the latest when the first deadline
    passes); None when none was, and a slice of ``idle`` work was done instead."""
    timeout = 0.0 if idle.left else max(0.0, min(worker.deadline for worker in busy) - time.monotonic())
    ready = set(wait([worker.connection for worker in busy] + [w.process.sentinel for w in busy], timeout))
    if not ready and idle.left:
        idle.work(MEANWHILE_SECONDS)
        return None
    return ready


class _Chores:
    """Steps of other work (None: none), taken a time slice at a time."""

    def __init__(self, steps: Iterator[object] | None) -> None:
        self._steps = steps

    @property
    def left(self) -> bool:
        return self._steps is not None

    def work(self, seconds: float) -> None:
        until = time.perf_counter() + seconds
        while self._steps is not None and time.perf_counter() < until:
            if next(self._steps, _DONE) is _DONE:
                self._steps = None


_DONE = object()


def collect_facts(
    tasks: Sequence[ReadTask],
    *,
    jobs: int,
    on_progress: ProgressCallback | None = None,
    cache: FactsCache | None = None,
    meanwhile: Iterable[object] = (),
) -> tuple[list[WorkbookFacts], tuple[CopyNote, ...]]:
    """All facts, sorted by file, copies of a young person in several workbooks counted once (:func:`drop_copies`),
    with the cross-workbook problems added; and the notes on those copies. With a ``cache``, only the files that
    changed since it was filled are read. The steps of ``meanwhile`` are all taken, while the workers read when
    there are any."""
    collected: list[WorkbookFacts] = []
    found = [None] * len(tasks) if cache is None else cache.find_all([(task.path, task.display) for task in tasks])
    damaged: list[ReadTask] = []  # cached facts that do not load: their files are read after all
    reported = 0

    def keep(facts: WorkbookFacts) -> None:
        nonlocal reported
        collected.append(facts)
        if cache is not None:
            cache.put(facts)
        if on_progress is not None:
            reported = len(collected)
            on_progress(reported, len(tasks))

    loading: Iterator[object] = iter(()) if cache is None else _load_cached(cache, tasks, found, collected, damaged)
    # The workers read the changed files while this process loads the cached facts of the others.
    chores = itertools.chain(loading, meanwhile)
    changed = [task for task, stored in zip(tasks, found, strict=True) if stored is None]
    for facts in iter_facts(changed, jobs=jobs, meanwhile=chores):
        keep(facts)
    for _ in chores:  # what was not done meanwhile (nothing to read, or no workers)
        pass
    if on_progress is not None and len(collected) != reported:
        on_progress(len(collected), len(tasks))
    for facts in iter_facts(damaged, jobs=jobs):
        keep(facts)
    collected.sort(key=lambda facts: facts.file)
    kept, copies = drop_copies(collected)
    return _add_batch_problems(kept), copies


def _load_cached(
    cache: FactsCache,
    tasks: Sequence[ReadTask],
    found: Sequence[bytes | None],
    collected: list[WorkbookFacts],
    damaged: list[ReadTask],
) -> Iterator[None]:
    """Load the ``found`` cached facts into ``collected``, a step per file; those that do not load go to
    ``damaged``."""
    for task, stored in zip(tasks, found, strict=True):
        if stored is not None:
            facts = cache.load(stored, task.display)
            if facts is None:
                damaged.append(task)
            else:
                collected.append(facts)
            yield None


def case_identities(data: WorkbookData) -> tuple[tuple[str, str, str], ...]:
    """Per case of ``data``, in order: (id, birth date, last meeting date), ISO dates or ""."""
    last: dict[str, date] = {}
    for meeting in data.meetings:
        if meeting.date is not None and (meeting.case_id not in last or meeting.date > last[meeting.case_id]):
            last[meeting.case_id] = meeting.date
    return tuple(
        (
            case.case_id,
            case.birth_date.isoformat() if case.birth_date else "",
            last[case.case_id].isoformat() if case.case_id in last else "",
        )
        for case in data.cases
    )


def _modified(file: str) -> float:
    try:
        return os.stat(file).st_mtime
    except OSError:
        return 0.0


def drop_copies(collected: list[WorkbookFacts]) -> tuple[list[WorkbookFacts], tuple[CopyNote, ...]]:
    """Count a young person found in several workbooks (same id, same birth date: a copied workbook) once: the copy
    with the latest meeting is kept, then the most recently saved file, then the first by name. ``collected`` is
    sorted by file."""
    holders: dict[tuple[str, str], list[tuple[int, int]]] = {}  # (id, birth date) -> [(workbook, case index)]
    for index, facts in enumerate(collected):
        if len(facts.identities) != len(facts.cases):
            continue
        for position, (case_id, birth, _last) in enumerate(facts.identities):
            key = case_id_key(case_id)
            if key and birth:
                holders.setdefault((key, birth), []).append((index, position))
    drop: dict[int, set[int]] = {}
    notes: list[CopyNote] = []
    for places in holders.values():
        books = {index for index, _ in places}
        if len(books) < 2:
            continue
        ranked = sorted(
            places,
            key=lambda place: (
                collected[place[0]].identities[place[1]][2],
                _modified(collected[place[0]].file),
                -place[0],
            ),
            reverse=True,
        )
        kept_index, kept_position = ranked[0]
        runner_up = ranked[1]
        kept_last = collected[kept_index].identities[kept_position][2]
        if kept_last != collected[runner_up[0]].identities[runner_up[1]][2]:
            reason = f"den har det seneste møde ({kept_last})"
        elif _modified(collected[kept_index].file) != _modified(collected[runner_up[0]].file):
            reason = "samme seneste møde; den er gemt senest"
        else:
            reason = "samme seneste møde og gemt samtidig; den første i navneorden"
        for index, position in ranked[1:]:
            if index != kept_index:
                drop.setdefault(index, set()).add(position)
        others = tuple(sorted({collected[index].file for index, _ in ranked[1:]} - {collected[kept_index].file}))
        case_id = collected[kept_index].identities[kept_position][0]
        notes.append(CopyNote(case_id, collected[kept_index].file, others, reason))
    kept = [
        dataclasses.replace(
            facts,
            cases=tuple(case for position, case in enumerate(facts.cases) if position not in drop[index]),
            identities=tuple(item for position, item in enumerate(facts.identities) if position not in drop[index]),
        )
        if index in drop
        else facts
        for index, facts in enumerate(collected)
    ]
    return kept, tuple(sorted(notes, key=lambda note: (note.used, note.case_id)))


def _add_batch_problems(collected: list[WorkbookFacts]) -> list[WorkbookFacts]:
    ids = (
        (facts.file, [(case.sheet, case.case_id) for case in facts.cases])
        for facts in collected
        if facts.unreadable is None
    )
    by_file: dict[str, list[Problem]] = {}
    for problem in ids_across_workbooks(ids):
        by_file.setdefault(problem.file, []).append(problem)
    return [with_problems(facts, by_file[facts.file]) if facts.file in by_file else facts for facts in collected]


def _display_name(path: Path) -> str:
    """The file as messages and the report show it: never raw control characters or undecodable bytes."""
    return display_text(path.as_posix())


def _tasks(
    paths: Iterable[Path], quarter: ReportPeriod, today: date, settings: Settings, password: str | None
) -> list[ReadTask]:
    return [ReadTask(os.fspath(path), _display_name(path), quarter, today, settings, password) for path in paths]


@dataclass(frozen=True)
class Gathered:
    """The facts of every workbook found, sorted by file, cross-workbook problems included."""

    facts: list[WorkbookFacts]  # earlier reports left out
    skipped_reports: list[str]  # earlier samarbejde-xl reports found among the workbooks: not read
    lock_files: tuple[Path, ...]
    copies: tuple[CopyNote, ...] = ()  # young people in several workbooks, counted once
    skipped: tuple[tuple[Path, str], ...] = ()  # hidden files, backups, special files, link loops (Danish reason)
    unreadable_folders: tuple[tuple[Path, str], ...] = ()


def gather_facts(
    paths: Sequence[str | os.PathLike[str]],
    *,
    quarter: ReportPeriod,
    today: date,
    settings: Settings = DEFAULT_SETTINGS,
    password: str | None = None,
    jobs: int | None = None,
    exclude: Sequence[Path] = (),
    on_progress: ProgressCallback | None = None,
    on_lock_file: Callable[[Path], None] | None = None,
    before_reading: Callable[[Discovery], None] | None = None,
    cache: FactsCache | None = None,
    meanwhile: Iterable[object] = (),
) -> Gathered:
    """Find the workbooks in ``paths`` (``exclude``: outputs that may lie among them) and read, check and plan
    each into its facts: the step consolidate and read_folder share. ``before_reading`` sees what was found first
    (consolidate refuses outputs that are inputs there). Raises ``ConsolidationError`` when a path is missing or no
    workbook is found. With a ``cache``, only the files changed since it was filled are read; ``meanwhile``: steps
    of other work to take while the workers read (:func:`collect_facts`)."""
    discovery = find_workbooks([os.fspath(path) for path in paths])
    if before_reading is not None:
        before_reading(discovery)
    workbooks = [path for path in discovery.workbooks if not any(same_file(path, output) for output in exclude)]
    if discovery.missing:
        missing = ", ".join(str(path) for path in discovery.missing)
        raise ConsolidationError(f"findes ikke: {missing}. Kontrollér stierne")
    if not workbooks:
        where = ", ".join(os.fspath(path) for path in paths)
        raise ConsolidationError(f"ingen arbejdsbøger (.xlsx/.xlsm) i {where}. Kontrollér mappen")
    if on_lock_file is not None:
        for lock in discovery.lock_files:
            on_lock_file(lock)
    tasks = _tasks(workbooks, quarter, today, settings, password)
    collected, copies = collect_facts(
        tasks, jobs=jobs or default_jobs(), on_progress=on_progress, cache=cache, meanwhile=meanwhile
    )
    return Gathered(
        [facts for facts in collected if facts.unreadable is not Unreadable.REPORT],
        [facts.file for facts in collected if facts.unreadable is Unreadable.REPORT],
        discovery.lock_files,
        copies,
        discovery.skipped,
        discovery.unreadable_folders,
    )


def consolidate(
    paths: Sequence[str | os.PathLike[str]],
    output: str | os.PathLike[str],
    *,
    today: date,
    quarter: ReportPeriod | None = None,
    history: str | os.PathLike[str] | None = None,
    settings: Settings = DEFAULT_SETTINGS,
    settings_source: str = "",
    jobs: int | None = None,
    min_count: int = DEFAULT_MIN_COUNT,
    pdf: bool = False,
    now: datetime | None = None,
    on_progress: ProgressCallback | None = None,
    on_lock_file: Callable[[Path], None] | None = None,
    password: str | None = None,
    force: bool = False,
    cache: str | os.PathLike[str] | None = None,
    survey: Sequence[str | os.PathLike[str]] = (),
    politicians: str | os.PathLike[str] | None = None,
) -> ConsolidationRun:
    """Consolidate the workbooks in ``paths`` into the report ``output`` (.xlsx) and the politicians' summary, a
    workbook of its own (``politicians``; by default :func:`politicians_path_for`), with ``pdf`` also as PDF.

    ``history``: the SQLite history store of the trend (None: none); ``cache``: the facts cache to reuse unchanged
    files' facts from (None: read all); ``survey``: filled-in survey workbooks; ``quarter``: by default the last
    quarter that ended (another period is not stored in the history). Raises ``ConsolidationError`` when no
    workbook is found or an output would replace an input; unreadable workbooks do not raise (``exit_code``).
    """
    quarter = quarter or last_complete_quarter(today)
    out = _Outputs.of(Path(output), politicians, history, pdf, quarter)
    out.check(quarter, today, keeps_history=history is not None and not force)
    answers = _survey_answers(survey, min(today, quarter.end))
    with _gc_paused():
        gathered = _gather_cached(
            paths,
            cache,
            quarter=quarter,
            today=today,
            settings=settings,
            password=password,
            jobs=jobs,
            exclude=(out.report, out.summary),
            on_progress=on_progress,
            on_lock_file=on_lock_file,
            before_reading=_refuse_outputs_over_inputs(out.report, out.extras, survey),
            meanwhile=import_steps(),  # the writers are imported while the workers read, not after them
        )
        result = _with_run(
            replace(aggregate(gathered.facts, quarter=quarter, today=today), survey=answers),
            gathered,
            out,
            generated_at=now or datetime.now().replace(microsecond=0),
            settings_source=settings_source,
        )
        if out.history is not None and not force:
            _refuse_quarter_without_data(result)
        with _gc_scans_new_objects_only():
            _write_outputs(result, out, min_count)
    return _after_writing(result, out, gathered)


@dataclass(frozen=True)
class _Outputs:
    """What a consolidation writes."""

    report: Path
    summary: Path  # the politicians' summary
    history: Path | None  # the history store, for a quarter only
    pdf: Path | None
    extras: tuple[tuple[str | os.PathLike[str] | None, str], ...]  # (output, its option) beside the report

    @classmethod
    def of(
        cls,
        report: Path,
        politicians: str | os.PathLike[str] | None,
        history: str | os.PathLike[str] | None,
        pdf: bool,
        quarter: ReportPeriod,
    ) -> _Outputs:
        summary = Path(politicians) if politicians is not None else politicians_path_for(report)
        pdf_path = pdf_path_for(report) if pdf else None
        stored = Path(history) if history is not None and isinstance(quarter, Quarter) else None
        extras = ((summary, "--politicians"), (history, "--history"), (pdf_path, "--pdf"))
        return cls(report, summary, stored, pdf_path, extras)

    @property
    def summary_name(self) -> str:
        """The summary as the report names it: its file name beside the report, else its path."""
        return self.summary.name if self.summary.parent == self.report.parent else os.fspath(self.summary)

    def check(self, quarter: ReportPeriod, today: date, *, keeps_history: bool) -> None:
        """Refuse what cannot work before reading a thousand workbooks."""
        _check_report_path(self.report)
        _check_report_path(self.summary, "--politicians")
        if self.summary.resolve() == self.report.resolve():
            raise ConsolidationError(
                f"--politicians {self.summary} er samme fil som rapporten (-o): sammenfatningen til politikere er en "
                "fil for sig. Angiv et andet filnavn"
            )
        if keeps_history:
            _refuse_unfinished_quarter(quarter, today)


def _gather_cached(
    paths: Sequence[str | os.PathLike[str]],
    cache: str | os.PathLike[str] | None,
    *,
    quarter: ReportPeriod,
    today: date,
    settings: Settings,
    **options: Any,
) -> Gathered:
    """:func:`gather_facts` with the facts cache at ``cache`` (None: none)."""
    with open_cache(cache, settings=settings, today=today, quarter=quarter) as facts_cache:
        return gather_facts(paths, quarter=quarter, today=today, settings=settings, cache=facts_cache, **options)


def _after_writing(result: ConsolidationResult, out: _Outputs, gathered: Gathered) -> ConsolidationRun:
    """Store the quarter in the history and render the PDF: after the report is written."""
    if out.history is not None:
        save_snapshot(out.history, key_figures(result), saved_at=result.generated_at, tool_version=__version__)
    if out.pdf is not None:
        from samarbejde_xl.report.pdf import render_pdf  # LibreOffice: only when asked

        render_pdf(out.summary, out.pdf)
    return ConsolidationRun(result, out.report, out.pdf, out.history, tuple(gathered.facts), out.summary)


def _write_outputs(result: ConsolidationResult, out: _Outputs, min_count: int) -> None:
    """The internal report and the politicians' summary, each atomically."""
    write_report, write_politicians_summary = report_writers()
    _write(lambda: write_report(result, out.report), f"rapporten {out.report}")
    _write(
        lambda: write_politicians_summary(result, out.summary, min_count=min_count), f"sammenfatningen {out.summary}"
    )


def _refuse_unfinished_quarter(quarter: ReportPeriod, today: date) -> None:
    """A quarter that has not ended has preliminary figures: they are not stored in the history."""
    if isinstance(quarter, Quarter) and quarter.end >= today:
        raise ConsolidationError(
            f"{quarter.label} ({quarter.code}) er ikke slut pr. {today.isoformat()}, så tallene er foreløbige og "
            "gemmes ikke i historikken. Vælg et afsluttet kvartal med --quarter, kør med --no-history for en "
            "foreløbig rapport, eller brug --force for at gemme alligevel"
        )


def _refuse_outputs_over_inputs(
    report: Path,
    extras: Sequence[tuple[str | os.PathLike[str] | None, str]],
    survey: Sequence[str | os.PathLike[str]],
) -> Callable[[Discovery], None]:
    """A check of what was found: no output (the report, then each given extra output with its option) may replace
    an input or an output written before it; an earlier report or politicians' summary may be replaced."""

    def refuse(discovery: Discovery) -> None:
        inputs = [*discovery.workbooks, *discovery.lock_files, *map(Path, survey)]
        refuse_overwriting(report, inputs, replaces_reports=True)
        written: list[str | os.PathLike[str]] = [report]
        for extra, option in extras:
            if extra is not None:
                replaces = option == "--politicians"  # an earlier summary, like an earlier report
                refuse_overwriting(extra, [*inputs, *written], option=option, replaces_reports=replaces)
                written.append(extra)

    return refuse


def _with_run(
    figures: Figures, gathered: Gathered, out: _Outputs, *, generated_at: datetime, settings_source: str
) -> ConsolidationResult:
    """The figures with what this run adds: when and by which version, the trend, and what was skipped."""
    skipped = [(_display_name(path), why) for path, why in gathered.skipped]
    skipped += [(_display_name(path), f"{FOLDER_UNREADABLE}: {why}") for path, why in gathered.unreadable_folders]
    return ConsolidationResult.of(
        figures,
        generated_at=generated_at,
        tool_version=__version__,
        trend=with_trend(load_history(out.history) if out.history is not None else (), key_figures(figures)),
        skipped_lock_files=tuple(_display_name(path) for path in gathered.lock_files),
        skipped_reports=tuple(gathered.skipped_reports),
        copies=gathered.copies,
        skipped_files=tuple(skipped),
        settings_source=settings_source,
        politicians_file=out.summary_name,
    )


def with_trend(history: Sequence[KeyFigures], current: KeyFigures) -> tuple[KeyFigures, ...]:
    """The stored quarters with ``current`` in place of any stored for its quarter, oldest first."""
    kept = [figures for figures in history if figures.quarter != current.quarter]
    return tuple(sorted([*kept, current], key=lambda figures: figures.quarter))


def _write(write: Callable[[], None], what: str) -> None:
    """Run ``write`` (which writes ``what``: "rapporten PATH"); a file system error becomes a message that says what
    to do."""
    try:
        write()
    except OSError as error:
        raise ConsolidationError(
            f"{what} kunne ikke skrives: {os_reason(error)}. Kontrollér, at du må skrive i mappen, og at filen ikke "
            "er åben i Excel, og kør igen"
        ) from error


def _refuse_quarter_without_data(result: ConsolidationResult) -> None:
    """A quarter in which none of the young people read was active, started, ended or met lies far from the data (a
    mistyped --quarter or --today): storing it would put an empty point into the trend."""
    figures = key_figures(result)
    if figures.young_people and not (figures.active or figures.started or figures.ended or figures.meetings_held):
        raise ConsolidationError(
            f"ingen af de {figures.young_people} unge var i forløb i {result.quarter.label} ({result.quarter.code}); "
            "kvartalet ligger langt fra dataene. Tjek --quarter og --today, kør med --no-history, eller brug --force "
            "for at gemme kvartalet i historikken alligevel"
        )


FOLDER_UNREADABLE = "mappen kunne ikke gennemsøges"


def _survey_answers(paths: Sequence[str | os.PathLike[str]], as_of: date) -> SurveyResult | None:
    if not paths:
        return None
    from samarbejde_xl.workbook.survey import read_survey  # openpyxl: only when a survey is given

    try:
        return count_answers([read_survey(path) for path in paths], as_of)
    except SurveyError as error:
        raise ConsolidationError(str(error)) from error


def _check_report_path(report: Path, option: str = "-o") -> None:
    """Refuse a report path that cannot work before reading a thousand workbooks."""
    what = "rapporten" if option == "-o" else f"{option}-filen"
    if report.suffix.lower() != ".xlsx":
        raise ConsolidationError(f"{what} skal være en .xlsx-fil, ikke {report.name!r}. Angiv {option} NAVN.xlsx")
    existing = nearest_existing(report.parent)  # a missing folder is created when the report is written
    if not existing.is_dir():
        raise ConsolidationError(
            f"{what} kan ikke skrives under {existing}: det er en fil, ikke en mappe. Vælg en anden mappe"
        )
    if not os.access(existing, os.W_OK):
        raise ConsolidationError(f"du må ikke skrive i {existing}, hvor {what} skulle ligge. Vælg en anden mappe")
    if report.is_dir():
        raise ConsolidationError(f"stien til {what} er en mappe: {report}. Angiv et filnavn, der ender på .xlsx")


def quarterly_report_path(folder: Path, today: date) -> Path:
    """Where the ribbon's Kvartalsrapport writes the report of ``folder``: in it, named after the last quarter that
    ended by ``today`` (an earlier report in the folder is skipped when the folder is read again)."""
    return folder / f"Kvartalsrapport {last_complete_quarter(today).code}.xlsx"


def politicians_path_for(report: Path) -> Path:
    """Where the politicians' summary goes by default: beside the report, ``<report>-politikere.xlsx``."""
    return report.with_name(f"{report.stem}-politikere.xlsx")


def pdf_path_for(report: Path) -> Path:
    """Where --pdf puts the politicians' summary: beside the report, ``<report>-politikere.pdf``."""
    return report.with_name(f"{report.stem}-politikere.pdf")
