"""The data as pandas tables (issue 15): for analysts' own pivots and for Power BI.

The tables are made from the same per-case facts the report is aggregated from (read -> check -> plan -> facts in
:mod:`samarbejde_xl.consolidation`), so every figure of the report can be recomputed from them; no rule is
re-implemented here. Like the facts, they hold no names, initials, CPR numbers or free text: young people are
known by their pseudonymous id and a running number, workbooks by their number in file-name order (the order of
the report's Datakvalitet sheet) and guides by a pseudonym. Columns are typed; coded values are categories with
the Danish labels of the dropdown lists, so a pivot shows every category (also those with no one).

Export (``consolidate --export DIR``): each table as Parquet (types kept) and as CSV for Danish Excel and Power BI:
UTF-8 with BOM, ``;`` between fields, ``,`` as decimal mark, dates YYYY-MM-DD, true/false as 1/0 (a sum counts,
a mean is a share), CRLF line ends, text that starts like a formula prefixed with an apostrophe.

pandas is imported by this module only, and this module only by ``read_folder`` and ``--export``: the other
commands start without it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, fields
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from samarbejde_xl import schema
from samarbejde_xl.consolidation import ConsolidationError, ConsolidationRun, gather_facts
from samarbejde_xl.core.aggregate import outcome_labels, programme_rule
from samarbejde_xl.core.facts import AGE_BANDS, MILESTONE_KINDS, OTHER_AGE_BAND, CaseFacts, MeetingFact, WorkbookFacts
from samarbejde_xl.core.outcomes import OUTCOME_BY_CODE, OUTCOME_CATEGORIES, OUTCOME_GROUPS
from samarbejde_xl.core.problems import Severity
from samarbejde_xl.core.quarter import ReportPeriod, last_complete_quarter
from samarbejde_xl.core.settings import DEFAULT_SETTINGS, Settings
from samarbejde_xl.fileio import atomic_output, nearest_existing
from samarbejde_xl.safe_text import csv_safe_text

IMPROVED, UNCHANGED, WORSENED = "forbedret", "uændret", "forværret"
DATE_DTYPE = "datetime64[ms]"
"""Parquet stores milliseconds at the coarsest; the tables use them so a Parquet file reads back to the same type."""


@dataclass(frozen=True)
class Tables:
    """The tables of one quarter. Keys: ``ung_nr`` (a young person), ``møde_nr`` (a meeting), ``arbejdsbog``."""

    cases: pd.DataFrame  # one row per young person (case sheet), active in the quarter or not
    meetings: pd.DataFrame  # meetings held in the quarter (Mødetjekliste rows dated in it, up to the reference day)
    milestones: pd.DataFrame  # milestone meetings that fell due in the quarter, and whether held within the window
    overdue: pd.DataFrame  # planned meetings past their window on the day of the run (course not ended)
    agreements: pd.DataFrame  # Mål og aftaler rows
    life_areas: pd.DataFrame  # first and latest score per area, of young people scored on two dates or more
    involvement: pd.DataFrame  # the young person's answers on the meetings held in the quarter
    problems: pd.DataFrame  # data-quality problems counted per workbook and kind
    workbooks: pd.DataFrame  # every workbook found, read or not

    def named(self) -> Iterator[tuple[str, pd.DataFrame]]:
        """(Danish file name without suffix, table), in a fixed order."""
        for table in fields(self):
            yield TABLE_FILE_NAMES[table.name], getattr(self, table.name)


TABLE_FILE_NAMES: dict[str, str] = {
    "cases": "unge",
    "meetings": "møder",
    "milestones": "milepælsmøder",
    "overdue": "overskredne_møder",
    "agreements": "aftaler",
    "life_areas": "livsområder",
    "involvement": "inddragelse",
    "problems": "datakvalitet",
    "workbooks": "arbejdsbøger",
}


def read_folder(
    path: str | os.PathLike[str] | Sequence[str | os.PathLike[str]],
    *,
    today: date | None = None,
    quarter: ReportPeriod | None = None,
    settings: Settings = DEFAULT_SETTINGS,
    jobs: int | None = None,
    password: str | None = None,
) -> Tables:
    """Read every case workbook under ``path`` (a folder, a file, or several) into :class:`Tables`.

    ``today``: the reference day for every rule (default: the computer's date); ``quarter``: the period (default:
    the last quarter that ended before ``today``). The arguments mean what they mean for ``consolidate``.
    Unreadable workbooks are rows of ``workbooks`` with their reason; they have no other rows.
    """
    today = today or date.today()
    quarter = quarter or last_complete_quarter(today)
    paths = [path] if isinstance(path, (str, os.PathLike)) else list(path)
    gathered = gather_facts(paths, quarter=quarter, today=today, settings=settings, password=password, jobs=jobs)
    return tables_from_facts(gathered.facts, quarter=quarter, today=today)


def tables_from_run(run: ConsolidationRun) -> Tables:
    """The tables behind a consolidation's report."""
    return tables_from_facts(run.facts, quarter=run.result.quarter, today=run.result.today)


def _categorical(values: Sequence[str | None], categories: Sequence[str]) -> pd.Categorical:
    return pd.Categorical(list(values), categories=list(dict.fromkeys(categories)))


def _labels(choice: schema.Choice, codes: Sequence[str | None]) -> pd.Categorical:
    return _categorical([choice.label_of(code) if code is not None else None for code in codes], choice.labels)


def _append(columns: dict[str, list[Any]], *values: Any) -> None:
    """Add one row to the column lists ``columns`` (in their order)."""
    for column, value in zip(columns.values(), values, strict=True):
        column.append(value)


def _frame(columns: dict[str, Any]) -> pd.DataFrame:
    return pd.DataFrame(columns)


def _ints(values: Sequence[int]) -> pd.Series:
    return pd.Series(values, dtype="int64")


def _flags(values: Sequence[bool]) -> pd.Series:
    return pd.Series(values, dtype="bool")


def _text(values: Sequence[str]) -> pd.Series:
    return pd.Series(values, dtype="string")


def _dates(values: Sequence[date]) -> pd.Series:
    return pd.Series(pd.to_datetime(list(values)), dtype=DATE_DTYPE) if values else pd.Series([], dtype=DATE_DTYPE)


def _coordinator_pseudonyms(workbooks: Sequence[WorkbookFacts]) -> dict[str, str]:
    """Casefolded initials -> "V01", "V02" … in order of first appearance (file order, then case order)."""
    pseudonyms: dict[str, str] = {}
    for facts in workbooks:
        for case in facts.cases:
            key = case.coordinator.casefold()
            if key and key not in pseudonyms:
                pseudonyms[key] = f"V{len(pseudonyms) + 1:02d}"
    return pseudonyms


def tables_from_facts(workbooks: Sequence[WorkbookFacts], *, quarter: ReportPeriod, today: date) -> Tables:
    """The tables of the facts ``gather_facts`` returns (earlier reports already left out)."""
    workbooks = sorted(workbooks, key=lambda facts: facts.file)
    labels = _Labels.of(workbooks)
    rows = _Rows()
    for workbook_number, facts in enumerate(workbooks, start=1):
        for fact in facts.cases:
            rows.add_case(workbook_number, fact, labels)
    kinds = schema.MEETING_KIND
    return Tables(
        cases=_cases(rows.case, labels, quarter, min(today, quarter.end)),
        meetings=_frame(
            {
                "ung_nr": _ints(rows.meeting["ung_nr"]),
                "møde_nr": _ints(rows.meeting["møde_nr"]),
                "mødetype": _labels(kinds, rows.meeting["mødetype"]),
                "den_unge_deltog": pd.Series(rows.meeting["den_unge_deltog"], dtype="boolean"),
                "den_unges_voksne_deltog": pd.Series(rows.meeting["den_unges_voksne_deltog"], dtype="boolean"),
                "fagpersoner_til_stede": _ints(rows.meeting["fagpersoner_til_stede"]),
                "aftaler_indgået": _ints(rows.meeting["aftaler_indgået"]),
                "aftaler_fulgt_op": _ints(rows.meeting["aftaler_fulgt_op"]),
            }
        ),
        milestones=_frame(
            {
                "ung_nr": _ints(rows.milestone["ung_nr"]),
                "milepæl": _categorical(rows.milestone["milepæl"], [kinds.label_of(kind) for kind in MILESTONE_KINDS]),
                "holdt_i_vinduet": _flags(rows.milestone["holdt_i_vinduet"]),
                "holdt_for_sent": _flags(rows.milestone["holdt_for_sent"]),
            }
        ),
        overdue=_frame(
            {
                "ung_nr": _ints(rows.overdue["ung_nr"]),
                "mødetype": _labels(kinds, rows.overdue["mødetype"]),
                "forfaldsdato": _dates(rows.overdue["forfaldsdato"]),
                "vinduet_sluttede": _dates(rows.overdue["vinduet_sluttede"]),
                "dage_over_vinduet": _ints(rows.overdue["dage_over_vinduet"]),
            }
        ),
        agreements=_frame(
            {
                "ung_nr": _ints(rows.agreement["ung_nr"]),
                "status": _labels(schema.GOAL_STATUS, rows.agreement["status"]),
                "indgået_i_kvartalet": _flags(rows.agreement["indgået_i_kvartalet"]),
                "overskredet": _flags(rows.agreement["overskredet"]),
            }
        ),
        life_areas=_life_areas(rows.area),
        involvement=_involvement(rows.answer),
        problems=_problems(workbooks),
        workbooks=_workbooks(workbooks),
    )


@dataclass(frozen=True)
class _Labels:
    """The Danish labels and pseudonyms the tables show for codes of the facts."""

    coordinators: dict[str, str]  # casefolded initials -> pseudonym
    bands: dict[str, str]  # age band code -> label
    outcomes: dict[str, str]  # outcome category code -> label, as the report names it

    @classmethod
    def of(cls, workbooks: Sequence[WorkbookFacts]) -> _Labels:
        bands = {band.code: band.label for band in (*AGE_BANDS, OTHER_AGE_BAND)}
        return cls(_coordinator_pseudonyms(workbooks), bands, outcome_labels(programme_rule(workbooks)))


@dataclass
class _Rows:
    """The tables' columns as lists, filled one young person at a time."""

    case: dict[str, list[Any]] = field(default_factory=lambda: {name: [] for name in _CASE_COLUMNS})
    meeting: dict[str, list[Any]] = field(default_factory=lambda: {name: [] for name in _MEETING_COLUMNS})
    milestone: dict[str, list[Any]] = field(
        default_factory=lambda: {name: [] for name in ("ung_nr", "milepæl", "holdt_i_vinduet", "holdt_for_sent")}
    )
    overdue: dict[str, list[Any]] = field(default_factory=lambda: {name: [] for name in _OVERDUE_COLUMNS})
    agreement: dict[str, list[Any]] = field(
        default_factory=lambda: {name: [] for name in ("ung_nr", "status", "indgået_i_kvartalet", "overskredet")}
    )
    area: dict[str, list[Any]] = field(
        default_factory=lambda: {name: [] for name in ("ung_nr", "livsområde", "første", "seneste", "udvikling")}
    )
    answer: dict[str, list[Any]] = field(
        default_factory=lambda: {name: [] for name in ("ung_nr", "møde_nr", "udsagn", "svar", "ved_ikke")}
    )
    cases: int = 0
    meetings: int = 0

    def add_case(self, workbook_number: int, fact: CaseFacts, labels: _Labels) -> None:
        self.cases += 1
        number = self.cases
        outcome = OUTCOME_BY_CODE[fact.outcome] if fact.outcome is not None else None
        _append(
            self.case,
            number,
            fact.case_id,
            workbook_number,
            labels.coordinators.get(fact.coordinator.casefold()),
            fact.variant,
            labels.bands[fact.age_band],
            fact.has_course,
            fact.active,
            fact.started,
            fact.ended,
            labels.outcomes[outcome.code] if outcome else None,
            outcome.group if outcome else None,
            fact.education,
            fact.job,
            fact.programme,
            fact.consent_valid,
            fact.has_adult,
            len(fact.meetings),
        )
        for held in fact.meetings:
            self.add_meeting(number, held)
        for due in fact.milestones:
            if due.kind in MILESTONE_KINDS:  # the facts also hold follow-up and quarterly meetings due
                label = schema.MEETING_KIND.label_of(due.kind)
                _append(self.milestone, number, label, due.held_in_window, due.held_late)
        for late in fact.overdue:
            _append(self.overdue, number, late.kind, late.due, late.window_end, late.days_overdue)
        for status, made, past_deadline in fact.agreements:
            _append(self.agreement, number, status, made, past_deadline)
        for code, first, latest in fact.life_areas:
            trend = IMPROVED if latest > first else WORSENED if latest < first else UNCHANGED
            _append(self.area, number, code, first, latest, trend)

    def add_meeting(self, number: int, held: MeetingFact) -> None:
        self.meetings += 1
        _append(
            self.meeting,
            number,
            self.meetings,
            held.kind,
            held.young_person_present,
            held.adult_present,
            len(held.professions_present),
            held.agreements_made,
            held.agreements_followed_up,
        )
        items = dict(schema.INVOLVEMENT_ITEMS)
        for item, score in held.involvement:
            _append(self.answer, number, self.meetings, items[item], score, score is None)


def _cases(case: dict[str, list[Any]], labels: _Labels, quarter: ReportPeriod, as_of: date) -> pd.DataFrame:
    number = len(case["ung_nr"])
    return _frame(
        {
            "ung_nr": _ints(case["ung_nr"]),
            "ung_id": _text(case["ung_id"]),
            "arbejdsbog": _ints(case["arbejdsbog"]),
            "vejleder": _categorical(case["vejleder"], sorted(labels.coordinators.values())),
            "kvartal": _categorical([quarter.code] * number, [quarter.code]),
            "opgjort_pr": _dates([as_of] * number),
            "variant": _labels(schema.VARIANT, case["variant"]),
            "aldersgruppe": _categorical(case["aldersgruppe"], list(labels.bands.values())),
            **{name: _flags(case[name]) for name in _CASE_FLAGS},
            "udfald": _categorical(case["udfald"], [labels.outcomes[category.code] for category in OUTCOME_CATEGORIES]),
            "udfaldsgruppe": _categorical(case["udfaldsgruppe"], OUTCOME_GROUPS),
            "uddannelse": _labels(schema.EDUCATION, case["uddannelse"]),
            "job": _labels(schema.JOB, case["job"]),
            **{name: _flags(case[name]) for name in _CASE_LATE_FLAGS},
            "møder_i_kvartalet": _ints(case["møder_i_kvartalet"]),
        }
    )


def _life_areas(area: dict[str, list[Any]]) -> pd.DataFrame:
    return _frame(
        {
            "ung_nr": _ints(area["ung_nr"]),
            "livsområde": _labels(schema.LIFE_AREA, area["livsområde"]),
            "første": _ints(area["første"]),
            "seneste": _ints(area["seneste"]),
            "udvikling": _categorical(area["udvikling"], (IMPROVED, UNCHANGED, WORSENED)),
        }
    )


def _involvement(answer: dict[str, list[Any]]) -> pd.DataFrame:
    return _frame(
        {
            "ung_nr": _ints(answer["ung_nr"]),
            "møde_nr": _ints(answer["møde_nr"]),
            "udsagn": _categorical(answer["udsagn"], [label for _, label in schema.INVOLVEMENT_ITEMS]),
            "svar": pd.Series(answer["svar"], dtype="Int64"),
            "ved_ikke": _flags(answer["ved_ikke"]),
        }
    )


_CASE_FLAGS: tuple[str, ...] = ("har_forløb", "aktiv", "startet", "afsluttet")
_CASE_LATE_FLAGS: tuple[str, ...] = ("beskæftigelsesrettet_forløb", "gyldigt_samtykke", "har_den_unges_voksne")
_CASE_COLUMNS: tuple[str, ...] = (
    "ung_nr",
    "ung_id",
    "arbejdsbog",
    "vejleder",
    "variant",
    "aldersgruppe",
    *_CASE_FLAGS,
    "udfald",
    "udfaldsgruppe",
    "uddannelse",
    "job",
    *_CASE_LATE_FLAGS,
    "møder_i_kvartalet",
)
_MEETING_COLUMNS: tuple[str, ...] = (
    "ung_nr",
    "møde_nr",
    "mødetype",
    "den_unge_deltog",
    "den_unges_voksne_deltog",
    "fagpersoner_til_stede",
    "aftaler_indgået",
    "aftaler_fulgt_op",
)
_OVERDUE_COLUMNS: tuple[str, ...] = ("ung_nr", "mødetype", "forfaldsdato", "vinduet_sluttede", "dage_over_vinduet")


def _problems(workbooks: Sequence[WorkbookFacts]) -> pd.DataFrame:
    rows = [
        (number, tally.code, tally.title, tally.severity, tally.count)
        for number, facts in enumerate(workbooks, start=1)
        for tally in facts.problems
    ]
    number, code, title, severity, count = (list(column) for column in zip(*rows, strict=True)) if rows else ([],) * 5
    return _frame(
        {
            "arbejdsbog": _ints(number),
            "kode": _text(code),
            "problem": _text(title),
            "alvor": _categorical(severity, [level.value for level in Severity]),
            "antal": _ints(count),
        }
    )


def _workbooks(workbooks: Sequence[WorkbookFacts]) -> pd.DataFrame:
    return _frame(
        {
            "arbejdsbog": _ints(range(1, len(workbooks) + 1)),
            "læst": _flags([facts.unreadable is None for facts in workbooks]),
            "ulæselig_fordi": _text([facts.unreadable_reason for facts in workbooks]),
            "skabelonversion": pd.Series([facts.template_version for facts in workbooks], dtype="Int64"),
            "unge": _ints([len(facts.cases) for facts in workbooks]),
            "fejl": _ints([facts.errors for facts in workbooks]),
            "advarsler": _ints([facts.warnings for facts in workbooks]),
        }
    )


# --------------------------------------------------------------------------------------------------
# Export: Parquet and CSV for Danish Excel and Power BI
# --------------------------------------------------------------------------------------------------

CSV_ENCODING = "utf-8-sig"  # the BOM tells Excel the file is UTF-8 (else æ, ø and å come out garbled)
CSV_SEPARATOR = ";"  # Danish Excel's list separator: "," is the decimal mark
CSV_DECIMAL = ","


def export_files(folder: Path, tables: Tables) -> list[Path]:
    """The files :func:`export_tables` writes for ``tables`` in ``folder``."""
    return [folder / f"{name}{suffix}" for name, _ in tables.named() for suffix in (".csv", ".parquet")]


def check_export_folder(folder: Path) -> None:
    """Refuse a folder the tables cannot be written to, before anything is read."""
    existing = nearest_existing(folder)
    if not existing.is_dir():
        raise ConsolidationError(
            f"Tabellerne kan ikke skrives i {folder}: {existing} er en fil, ikke en mappe. Angiv en mappe med --export"
        )
    if not os.access(existing, os.W_OK):
        raise ConsolidationError(f"Du har ikke lov til at skrive i {existing}. Angiv en anden mappe med --export")


def export_tables(tables: Tables, folder: Path, *, inputs: Sequence[Path] = ()) -> list[Path]:
    """Write each table as ``<name>.parquet`` and ``<name>.csv`` in ``folder`` (created when missing); each file
    atomically. Refuses to write over any of ``inputs``. Returns the files written."""
    check_export_folder(folder)
    targets = export_files(folder, tables)
    protected = {path.resolve() for path in inputs}
    clashes = [target for target in targets if target.resolve() in protected]
    if clashes:
        raise ConsolidationError(
            f"{clashes[0]} er en af de filer, der læses, og overskrives ikke. Angiv en anden mappe med --export"
        )
    folder.mkdir(parents=True, exist_ok=True)
    for name, table in tables.named():
        with atomic_output(folder / f"{name}.parquet") as temp:
            table.to_parquet(temp, index=False)
        write_csv(table, folder / f"{name}.csv")
    return targets


def write_csv(table: pd.DataFrame, target: Path) -> None:
    """``table`` as CSV for Danish Excel and Power BI (see the module docstring), atomically."""
    with atomic_output(target) as temp:
        csv_frame(table).to_csv(
            temp,
            sep=CSV_SEPARATOR,
            decimal=CSV_DECIMAL,
            encoding=CSV_ENCODING,
            index=False,
            date_format="%Y-%m-%d",
            lineterminator="\r\n",
        )


def csv_frame(table: pd.DataFrame) -> pd.DataFrame:
    """``table`` as written to CSV: true/false as 1/0 (blank when unknown), formula-like text made harmless."""
    columns: dict[str, pd.Series] = {}
    for name, column in table.items():
        if pd.api.types.is_bool_dtype(column.dtype):
            columns[str(name)] = column.astype("Int64")
        elif isinstance(column.dtype, pd.StringDtype):
            columns[str(name)] = column.map(csv_safe_text, na_action="ignore")
        else:
            columns[str(name)] = column
    return pd.DataFrame(columns)
