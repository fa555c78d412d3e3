"""The report writers, imported only by what writes (XlsxWriter is a tenth of a second of start-up): a command that
reads never loads them, and a consolidation imports them in steps while its workers read (:func:`import_steps`)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from samarbejde_xl.core.figures import ConsolidationResult


def report_writers() -> tuple[Callable[[ConsolidationResult, Path], None], Callable[..., None]]:
    """The writers of the leader-group report and of the politicians' summary."""
    from samarbejde_xl.report.leader_report import write_report
    from samarbejde_xl.report.politicians import write_politicians_summary

    return write_report, write_politicians_summary


def import_steps() -> Iterator[Any]:
    """Steps that import the writers, for a process with other work to interleave. XlsxWriter is a step of its own,
    so no step takes much longer than a worker needs for one file."""
    import xlsxwriter  # noqa: F401

    yield None
    report_writers()
    yield None
