"""Consolidation: a folder of case workbooks -> the leader-group report for one quarter (issue 5).

Steps: find the workbooks (lock files ``~$…`` skipped, the report itself never read back), read them in worker
processes, aggregate, write the report (and optionally its PDF), store the quarter's key figures in the history.

Each worker reads, parses, validates, plans and extracts :class:`~samarbejde_xl.core.aggregate.WorkbookFacts` for
its files and sends back only those small records, never cell grids: pickling grids back costs most of the gain of
running in parallel. A file that cannot be read becomes a data-quality row with its reason and the run goes on.
The cross-workbook check (a case id used in two workbooks) runs in the main process on the facts.

Settings: the base rules are the defaults or the ``--settings`` TOML file; each workbook's own Indstillinger
overrides apply on top of them, as they do when the guide refreshes the workbook.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path

from samarbejde_xl import __version__
from samarbejde_xl.core.aggregate import (
    ConsolidationResult,
    WorkbookFacts,
    aggregate,
    key_figures,
    unreadable_facts,
    with_problems,
    workbook_facts,
)
from samarbejde_xl.core.check import check_data
from samarbejde_xl.core.errors import SamarbejdeError, WorkbookError
from samarbejde_xl.core.problems import Problem
from samarbejde_xl.core.quarter import Quarter, ReportPeriod, last_complete_quarter
from samarbejde_xl.core.settings import DEFAULT_SETTINGS, Settings
from samarbejde_xl.core.survey import SurveyError, SurveyResult, count_answers
from samarbejde_xl.core.validation import ids_across_workbooks
from samarbejde_xl.report.facts_cache import FactsCache, open_cache
from samarbejde_xl.report.history import load_history, save_snapshot
from samarbejde_xl.workbook.discover import find_workbooks
from samarbejde_xl.workbook.reader import read_workbook

DEFAULT_MIN_COUNT = 5
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


@dataclass(frozen=True)
class ConsolidationRun:
    result: ConsolidationResult
    report: Path
    pdf: Path | None
    history: Path | None
    facts: tuple[WorkbookFacts, ...] = ()  # what the figures were aggregated from (for --export)

    @property
    def unreadable(self) -> tuple[tuple[str, str], ...]:
        """(file, English reason) of every workbook that could not be read."""
        return tuple(
            (row.file, row.unreadable_detail or row.unreadable_reason)
            for row in self.result.data_quality
            if row.unreadable_reason
        )

    @property
    def skipped_reports(self) -> tuple[str, ...]:
        """Earlier reports found among the workbooks: not read, not counted."""
        return self.result.skipped_reports

    @property
    def exit_code(self) -> int:
        """0 every workbook read, 1 some unreadable (the report was still written)."""
        return 1 if self.unreadable else 0

    def summary(self) -> str:
        counts = self.result.counts
        unreadable = f" ({counts.workbooks_unreadable} unreadable)" if counts.workbooks_unreadable else ""
        return (
            f"Read {_plural(counts.workbooks_found, 'workbook')}{unreadable}, "
            f"{_plural(counts.young_people, 'young person', 'young people')}, {_plural(counts.errors, 'error')}, "
            f"{_plural(counts.warnings, 'warning')} -> {self.report}"
        )


def _plural(count: int, singular: str, plural: str = "") -> str:
    return f"{count} {singular if count == 1 else plural or singular + 's'}"


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


def read_facts(task: ReadTask) -> WorkbookFacts:
    """Worker: one file -> its facts. Never raises for a bad file: it becomes an unreadable row."""
    with _gc_paused():
        return _read_facts(task)


def _read_facts(task: ReadTask) -> WorkbookFacts:
    try:
        read = read_workbook(task.path, display_name=task.display, password=task.password)
        settings, problems = check_data(read.data, read.problems, task.settings, task.today)
        return workbook_facts(read.data, problems, settings, task.quarter, task.today)
    except WorkbookError as error:
        return unreadable_facts(task.display, error.code, f"{error.reason}. {error.hint}")
    except Exception as error:  # a bug must not stop the other 999 files; the row says what happened
        detail = f"unexpected error ({type(error).__name__}: {error}); please report it"
        return unreadable_facts(task.display, "internal", detail)


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def chunksize(files: int, jobs: int) -> int:
    # Enough chunks per worker to balance uneven files and keep the progress bar moving; big enough to amortise IPC.
    return max(1, min(16, files // (jobs * 8)))


def iter_facts(tasks: Sequence[ReadTask], *, jobs: int) -> Iterator[WorkbookFacts]:
    """Facts of every task, in completion order. ``jobs == 1`` reads in this process (tests, debugging)."""
    if jobs <= 1 or len(tasks) <= 1:
        yield from map(read_facts, tasks)
        return
    with multiprocessing.get_context().Pool(processes=min(jobs, len(tasks))) as pool:
        yield from pool.imap_unordered(read_facts, tasks, chunksize=chunksize(len(tasks), jobs))


def collect_facts(
    tasks: Sequence[ReadTask],
    *,
    jobs: int,
    on_progress: ProgressCallback | None = None,
    cache: FactsCache | None = None,
) -> list[WorkbookFacts]:
    """All facts, sorted by file, with the cross-workbook problems added. With a ``cache``, only the files that
    changed since it was filled are read."""
    collected: list[WorkbookFacts] = []
    pending = tasks
    if cache is not None:
        pending = []
        for task in tasks:
            cached = cache.get(task.path, task.display)
            if cached is None:
                pending.append(task)
            else:
                collected.append(cached)
    for facts in iter_facts(pending, jobs=jobs):
        collected.append(facts)
        if cache is not None:
            cache.put(facts)
        if on_progress is not None:
            on_progress(len(collected), len(tasks))
    collected.sort(key=lambda facts: facts.file)
    return _add_batch_problems(collected)


def _add_batch_problems(collected: list[WorkbookFacts]) -> list[WorkbookFacts]:
    ids = (
        (facts.file, [(case.sheet, case.case_id) for case in facts.cases])
        for facts in collected
        if not facts.unreadable_reason
    )
    by_file: dict[str, list[Problem]] = {}
    for problem in ids_across_workbooks(ids):
        by_file.setdefault(problem.file, []).append(problem)
    return [with_problems(facts, by_file[facts.file]) if facts.file in by_file else facts for facts in collected]


def _display_name(path: Path) -> str:
    return path.as_posix()


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


def gather_facts(
    paths: Sequence[str | os.PathLike[str]],
    *,
    quarter: ReportPeriod,
    today: date,
    settings: Settings = DEFAULT_SETTINGS,
    password: str | None = None,
    jobs: int | None = None,
    exclude: Path | None = None,
    on_progress: ProgressCallback | None = None,
    on_lock_file: Callable[[Path], None] | None = None,
    cache: FactsCache | None = None,
) -> Gathered:
    """Find the workbooks in ``paths`` (``exclude``: an output that may lie among them) and read, check and plan
    each into its facts: the step consolidate and read_folder share. Raises ``ConsolidationError`` when a path is
    missing or no workbook is found. With a ``cache``, only the files changed since it was filled are read."""
    discovery = find_workbooks([os.fspath(path) for path in paths])
    workbooks = [path for path in discovery.workbooks if exclude is None or path.resolve() != exclude.resolve()]
    if discovery.missing:
        missing = ", ".join(str(path) for path in discovery.missing)
        raise ConsolidationError(f"not found: {missing}. Check the paths")
    if not workbooks:
        where = ", ".join(os.fspath(path) for path in paths)
        raise ConsolidationError(f"no .xlsx/.xlsm workbooks found in {where}. Check the folder")
    if on_lock_file is not None:
        for lock in discovery.lock_files:
            on_lock_file(lock)
    tasks = _tasks(workbooks, quarter, today, settings, password)
    collected = collect_facts(tasks, jobs=jobs or default_jobs(), on_progress=on_progress, cache=cache)
    return Gathered(
        [facts for facts in collected if facts.unreadable_code != REPORT_CODE],
        [facts.file for facts in collected if facts.unreadable_code == REPORT_CODE],
        discovery.lock_files,
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
    cache: str | os.PathLike[str] | None = None,
    survey: Sequence[str | os.PathLike[str]] = (),
) -> ConsolidationRun:
    """Consolidate the workbooks found in ``paths`` into the report ``output`` (an .xlsx file); with ``pdf``, also
    the politicians' summary as PDF (:func:`pdf_path_for`).

    ``history``: the SQLite history store to read the trend from and store this quarter in; ``None`` = none.
    ``cache``: the facts cache (:mod:`samarbejde_xl.report.facts_cache`) to reuse unchanged files' facts from
    and keep this run's in; ``None`` = read every file.
    ``survey``: filled-in copies of the professionals' survey workbook (Fagpersoners vurdering); a file that is
    not one, or an answer that is not one of the three, raises ``ConsolidationError`` before anything is written.
    ``quarter``: the report's period, by default the last quarter that ended; another period (a half-year, a year,
    any dates, a cohort) is neither stored in the history nor shown with its trend, which is quarter by quarter.
    Raises ``ConsolidationError`` when no workbook is found; unreadable workbooks do not raise (see
    ``ConsolidationRun.exit_code``).
    """
    from samarbejde_xl.report.writer import write_report  # XlsxWriter: only when a report is written

    report = Path(output)
    _check_report_path(report)
    quarter = quarter or last_complete_quarter(today)
    answers = _survey_answers(survey, min(today, quarter.end))
    generated_at = now or datetime.now().replace(microsecond=0)
    history_path = Path(history) if history is not None and isinstance(quarter, Quarter) else None
    with _gc_paused():
        with open_cache(cache, settings=settings, today=today, quarter=quarter) as facts_cache:
            gathered = gather_facts(
                paths,
                quarter=quarter,
                today=today,
                settings=settings,
                password=password,
                jobs=jobs,
                exclude=report,
                on_progress=on_progress,
                on_lock_file=on_lock_file,
                cache=facts_cache,
            )
        result = aggregate(
            gathered.facts,
            quarter=quarter,
            today=today,
            generated_at=generated_at,
            tool_version=__version__,
            history=load_history(history_path) if history_path is not None else (),
            lock_files=[_display_name(path) for path in gathered.lock_files],
            skipped_reports=gathered.skipped_reports,
            settings_source=settings_source,
        )
        if answers is not None:
            result = replace(result, survey=answers)
        try:
            write_report(result, report, min_count=min_count)
        except OSError as error:
            raise ConsolidationError(
                f"could not write the report {report}: {error.strerror or error}. Check that you may write in "
                "that folder and that the report is not open in Excel, then run again"
            ) from error
    if history_path is not None:
        save_snapshot(history_path, key_figures(result), saved_at=generated_at, tool_version=__version__)
    pdf_path = None
    if pdf:
        from samarbejde_xl.report.pdf import render_pdf  # LibreOffice: only when asked

        pdf_path = render_pdf(report, pdf_path_for(report))
    return ConsolidationRun(result, report, pdf_path, history_path, tuple(gathered.facts))


def _survey_answers(paths: Sequence[str | os.PathLike[str]], as_of: date) -> SurveyResult | None:
    if not paths:
        return None
    from samarbejde_xl.workbook.survey import read_survey  # openpyxl: only when a survey is given

    try:
        return count_answers([read_survey(path) for path in paths], as_of)
    except SurveyError as error:
        raise ConsolidationError(str(error)) from error


REPORT_CODE = "report"
"""``WorkbookError.code`` of an earlier samarbejde-xl report found among the workbooks: skipped, not unreadable."""


def _check_report_path(report: Path) -> None:
    """Refuse a report path that cannot work before reading a thousand workbooks."""
    if report.suffix.lower() != ".xlsx":
        raise ConsolidationError(f"the report must be an .xlsx file, not {report.name!r}. Give -o NAME.xlsx")
    existing = report.parent  # a missing folder is created when the report is written
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        raise ConsolidationError(f"the report cannot be written under {existing}: it is a file, not a folder")
    if not os.access(existing, os.W_OK):
        raise ConsolidationError(f"you may not write in {existing}, where the report would go. Choose another folder")
    if report.is_dir():
        raise ConsolidationError(f"the report path is a folder: {report}. Give a file name ending in .xlsx")


def pdf_path_for(report: Path) -> Path:
    """Where --pdf puts the politicians' summary: beside the report, ``<report>-politikere.pdf``."""
    return report.with_name(f"{report.stem}-politikere.pdf")


# --------------------------------------------------------------------------------------------------
# Demo: the main job on a synthetic municipality
# --------------------------------------------------------------------------------------------------

DEMO_FOLDER = "samarbejde-demo"
DEMO_WORKBOOK_FOLDER = "arbejdsbøger"
DEMO_WORKBOOKS = 12
DEMO_CASES = 20
DEMO_SEED = 1


def write_demo_workbooks(folder: Path, *, workbooks: int, cases: int, seed: int, today: date) -> list[Path]:
    """Synthetic guide workbooks (with a few planted entry mistakes) written to ``folder``."""
    from samarbejde_xl.workbook.writer import write_demo_municipality  # openpyxl: only when writing workbooks

    generated = write_demo_municipality(folder, workbooks=workbooks, cases=cases, seed=seed, today=today, clean=False)
    return [folder / book.file_name for book in generated]


def run_demo(outdir: Path, *, today: date, jobs: int | None = None) -> ConsolidationRun:
    """Generate the demo municipality in ``outdir`` and consolidate it; the report lands in ``outdir``."""
    quarter = last_complete_quarter(today)
    paths = write_demo_workbooks(
        outdir / DEMO_WORKBOOK_FOLDER, workbooks=DEMO_WORKBOOKS, cases=DEMO_CASES, seed=DEMO_SEED, today=today
    )
    return consolidate(
        paths,
        outdir / f"ledelsesrapport-{quarter.code}.xlsx",
        today=today,
        quarter=quarter,
        history=outdir / HISTORY_FILE_NAME,
        jobs=jobs,
    )
