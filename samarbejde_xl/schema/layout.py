"""The case workbook's layout in the current template version: sheets, fields, blocks, columns and cells.

Layout in short:
- ``Vejledning``: help text.
- ``Oversigt``: one computed row per young person.
- ``Sagsskabelon``: the case-sheet template; ``Ny sag`` copies it to a sheet named after the case id.
  A sheet is a case sheet when its title cell holds :data:`CASE_SHEET_TITLE`.
- ``Mødetjekliste``: an Excel table, one row per held meeting.
- ``Indstillinger``: municipality, template version and per-municipality overrides of the rules.
- ``Lister``: hidden sheet with the dropdown sources.
- ``Fejl``: written by refresh/validate: the list of problems.

Older template versions are described relative to this one in :mod:`samarbejde_xl.schema.history`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .cells import cell_address, column_letter, parse_cell, range_address
from .vocabulary import (
    CLOSENESS,
    CONSENT_GIVEN_BY,
    EDUCATION,
    END_REASON,
    GOAL_STATUS,
    INVOLVEMENT_ANSWER,
    INVOLVEMENT_ITEMS,
    INVOLVEMENT_PREFIX,
    JOB,
    LIFE_AREA,
    LISTS,
    MEETING_KIND,
    PROFESSION,
    PROFESSION_PRESENT_PREFIX,
    RESPONSIBLE,
    SCORE_PREFIX,
    SCORED_BY,
    SETTINGS_ROWS,
    VARIANT,
    YES_NO,
    Choice,
    Kind,
)

TEMPLATE_VERSION = 3
"""Version of the workbook layout. Bump it (and describe the old layout in :data:`LAYOUT_CHANGES`) whenever a cell
moves."""

DATE_FORMAT = "dd-mm-yyyy"  # shown as dd-mm-åååå in a Danish Excel
INTEGER_FORMAT = "0"
TEXT_FORMAT = "@"

WORKBOOK_TITLE = "Samarbejdsmodellen – sagsarbejdsbog"


# --------------------------------------------------------------------------------------------------
# Sheets
# --------------------------------------------------------------------------------------------------

SHEET_GUIDE = "Vejledning"
SHEET_OVERVIEW = "Oversigt"
SHEET_CASE_TEMPLATE = "Sagsskabelon"
SHEET_CHECKLIST = "Mødetjekliste"
SHEET_SETTINGS = "Indstillinger"
SHEET_LISTS = "Lister"
SHEET_PROBLEMS = "Fejl"

FIXED_SHEETS: tuple[str, ...] = (
    SHEET_GUIDE,
    SHEET_OVERVIEW,
    SHEET_CASE_TEMPLATE,
    SHEET_CHECKLIST,
    SHEET_SETTINGS,
    SHEET_LISTS,
)
"""Sheets every template has, in workbook order. Case sheets come after them."""

SHEET_NAME_MAX = 31
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def case_sheet_name(case_id: str) -> str:
    """The sheet name used for a case: its id, made safe for Excel."""
    name = _SHEET_FORBIDDEN.sub("-", case_id.strip())[:SHEET_NAME_MAX]
    return name or "Sag"


# --------------------------------------------------------------------------------------------------
# Case sheet
# --------------------------------------------------------------------------------------------------

CASE_SHEET_TITLE = "Samarbejdsmodellen – sag for en ung"
CASE_TITLE_CELL = "A1"
CASE_SUBTITLE_CELL = "A2"
CASE_SUBTITLE = (
    "Udfyld de hvide felter. Grå felter beregnes af værktøjet (knappen Opdatér mødeplan) – skriv ikke i dem."
)


@dataclass(frozen=True)
class Field:
    """One labelled cell: the label sits in the column left of the value."""

    key: str
    label: str
    cell: str
    kind: Kind
    choice: Choice | None = None
    required: bool = False
    entered: bool = True  # False: computed by the tools, locked
    help: str = ""

    @property
    def row(self) -> int:
        return parse_cell(self.cell)[0]

    @property
    def column(self) -> int:
        return parse_cell(self.cell)[1]

    @property
    def label_cell(self) -> str:
        return cell_address(self.row, self.column - 1)


def _fields(first_row: int, value_col: int, specs: list[tuple[Any, ...]]) -> tuple[Field, ...]:
    out = []
    for offset, spec in enumerate(specs):
        key, label, kind, *rest = spec
        options = rest[0] if rest else {}
        out.append(Field(key, label, cell_address(first_row + offset, value_col), kind, **options))
    return tuple(out)


CASE_FIELDS_FIRST_ROW = 4
CASE_FIELDS: tuple[Field, ...] = _fields(
    CASE_FIELDS_FIRST_ROW,
    2,
    [
        ("case_id", "Ung-id", Kind.TEXT, {"required": True, "help": "Pseudonymt id, fx U-0001. Aldrig CPR-nummer."}),
        ("initials", "Initialer", Kind.TEXT, {"help": "Den unges initialer – ikke fulde navn."}),
        ("birth_date", "Fødselsdato", Kind.DATE, {"required": True, "help": "dd-mm-åååå"}),
        ("variant", "Modelvariant", Kind.CHOICE, {"choice": VARIANT, "required": True}),
        ("inclusion_date", "Inklusionsdato", Kind.DATE, {"required": True, "help": "Dato for start i modellen."}),
        ("coordinator", "Koordinator/guide", Kind.TEXT, {"required": True, "help": "Initialer på koordinator/guide."}),
        ("end_date", "Slutdato", Kind.DATE, {"help": "Udfyldes når forløbet slutter før aldersgrænsen."}),
        ("end_reason", "Slutårsag", Kind.CHOICE, {"choice": END_REASON}),
        ("notes", "Bemærkninger", Kind.FREE_TEXT, {"help": "Skriv aldrig CPR-nummer eller diagnoser."}),
    ],
)
CASE_COMPUTED_FIELDS: tuple[Field, ...] = _fields(
    CASE_FIELDS_FIRST_ROW,
    5,
    [
        ("age", "Alder i dag", Kind.NUMBER, {"entered": False}),
        ("next_meeting_kind", "Næste møde", Kind.TEXT, {"entered": False}),
        ("next_meeting_due", "Næste møde senest", Kind.DATE, {"entered": False}),
        ("next_meeting_status", "Status", Kind.TEXT, {"entered": False}),
        ("outcome", "Udfald indtil nu", Kind.TEXT, {"entered": False}),
        ("refreshed_on", "Beregnet den", Kind.DATE, {"entered": False}),
    ],
)
CASE_REGISTRATION_FIELDS: tuple[Field, ...] = _fields(
    CASE_FIELDS_FIRST_ROW + len(CASE_COMPUTED_FIELDS),
    5,
    [
        (
            "register_kind",
            "Registrér: mødetype",
            Kind.CHOICE,
            {
                "choice": MEETING_KIND,
                "help": "Mødetypen til næste Registrér møde. Tom: værktøjet foreslår typen ud fra mødeplanen. "
                "Tømmes, når rækken er skrevet.",
            },
        ),
        (
            "register_attended",
            "Registrér: deltog",
            Kind.YES_NO,
            {
                "choice": YES_NO,
                "help": "Deltog den unge i mødet? Bruges af næste Registrér møde. Tom: udfyld »Den unge deltog« i "
                "Mødetjekliste bagefter. Tømmes, når rækken er skrevet.",
            },
        ),
    ],
)
"""The coordinator's choices for the next Registrér møde (ribbon): read before the Mødetjekliste row is written and
emptied after it, so every registration starts from the tool's suggestion. Not case data: the parser skips them."""
CASE_FIELDS_BY_KEY: dict[str, Field] = {f.key: f for f in CASE_FIELDS + CASE_COMPUTED_FIELDS + CASE_REGISTRATION_FIELDS}


@dataclass(frozen=True)
class Column:
    """One column of a table (a case-sheet block or the Mødetjekliste)."""

    key: str
    header: str
    kind: Kind
    choice: Choice | None = None
    width: float = 14
    required: bool = False
    entered: bool = True


@dataclass(frozen=True)
class Block:
    """A table on the case sheet: a title row, a header row and a fixed number of data rows."""

    key: str
    title: str
    title_row: int
    columns: tuple[Column, ...]
    rows: int
    entered: bool = True  # False: the tools write it (locked)
    help: str = ""

    first_col: int = 1

    @property
    def header_row(self) -> int:
        return self.title_row + 1

    @property
    def first_row(self) -> int:
        return self.header_row + 1

    @property
    def last_row(self) -> int:
        return self.first_row + self.rows - 1

    @property
    def last_col(self) -> int:
        return self.first_col + len(self.columns) - 1

    def column_of(self, key: str) -> int:
        for offset, column in enumerate(self.columns):
            if column.key == key:
                return self.first_col + offset
        raise KeyError(f"{self.key}: no column {key!r}")

    def cell(self, index: int, key: str) -> str:
        """Address of data row ``index`` (0-based) in column ``key``."""
        if not 0 <= index < self.rows:
            raise IndexError(f"{self.key}: row {index} outside 0..{self.rows - 1}")
        return cell_address(self.first_row + index, self.column_of(key))

    @property
    def data_range(self) -> str:
        return range_address(self.first_row, self.first_col, self.last_row, self.last_col)


_TEAM_COLUMNS = (
    Column("name", "Navn/initialer", Kind.TEXT, width=28),
    Column("profession", "Profession", Kind.CHOICE, PROFESSION, width=30),
    Column("department", "Afdeling/rolle", Kind.TEXT, width=22),
)
_NETWORK_COLUMNS = (
    Column("name", "Navn/initialer", Kind.TEXT, width=28),
    Column("relation", "Relation", Kind.TEXT, width=30),
    Column("closeness", "Nærhed", Kind.CHOICE, CLOSENESS, width=22),
    Column("is_adult", "Den unges voksne/netværksperson", Kind.YES_NO, YES_NO, width=16),
    Column("may_attend", "Må deltage i møder", Kind.YES_NO, YES_NO, width=16),
)
_CONSENT_COLUMNS = (
    Column("given_on", "Dato", Kind.DATE, width=28),
    Column("given_by", "Givet af", Kind.CHOICE, CONSENT_GIVEN_BY, width=30),
    Column("parties", "Må dele oplysninger med", Kind.FREE_TEXT, width=22),
    Column("revoked_on", "Tilbagekaldt dato", Kind.DATE, width=16),
)
_AGREEMENT_COLUMNS = (
    Column("goal", "Mål", Kind.FREE_TEXT, width=28),
    Column("life_area", "Livsområde", Kind.CHOICE, LIFE_AREA, width=30),
    Column("action", "Aftalt handling", Kind.FREE_TEXT, width=22),
    Column("responsible", "Ansvarlig", Kind.CHOICE, RESPONSIBLE, width=16),
    Column("deadline", "Frist", Kind.DATE, width=16),
    Column("followed_up_on", "Fulgt op dato", Kind.DATE, width=14),
    Column("status", "Status", Kind.CHOICE, GOAL_STATUS, width=14),
    Column("set_at", "Aftalt på møde (dato)", Kind.DATE, width=14),
)
_INTERVENTION_COLUMNS = (
    Column("kind", "Indsats", Kind.TEXT, width=28),
    Column("department", "Afdeling", Kind.TEXT, width=30),
    Column("start", "Start", Kind.DATE, width=22),
    Column("end", "Slut", Kind.DATE, width=16),
    Column("responsible", "Ansvarlig profession", Kind.CHOICE, PROFESSION, width=16),
)
_LIFE_AREA_SUMMARY_COLUMNS = (
    Column("life_area", "Livsområde", Kind.TEXT, entered=False),
    Column("first_score", "Første score", Kind.SCORE, entered=False),
    Column("first_date", "Dato", Kind.DATE, entered=False),
    Column("latest_score", "Seneste score", Kind.SCORE, entered=False),
    Column("latest_date", "Dato", Kind.DATE, entered=False),
    Column("change", "Udvikling", Kind.NUMBER, entered=False),
)
CASE_SCORE_HISTORY_ROWS = 12
"""Scored meetings shown over time: the latest 12 by date, three years of quarterly meetings (the psykisk variant's
four a year from 15 to 18), which is about what a line chart shows readably; earlier ones stay in Mødetjekliste."""
_SCORE_HISTORY_COLUMNS = (
    Column("date", "Mødedato", Kind.DATE, entered=False),
    *(Column(code, label, Kind.SCORE, entered=False) for code, label in LIFE_AREA.values),
)
_PLAN_COLUMNS = (
    Column("kind", "Møde", Kind.TEXT, entered=False),
    Column("due", "Forfalder", Kind.DATE, entered=False),
    Column("window_start", "Vindue fra", Kind.DATE, entered=False),
    Column("window_end", "Vindue til", Kind.DATE, entered=False),
    Column("held_on", "Afholdt", Kind.DATE, entered=False),
    Column("status", "Status", Kind.TEXT, entered=False),
)


def _stack_blocks(first_title_row: int, specs: list[tuple[Any, ...]]) -> tuple[Block, ...]:
    """Lay blocks out top to bottom with one blank row between them."""
    blocks = []
    row = first_title_row
    for key, title, columns, rows, entered, help_text in specs:
        block = Block(key, title, row, columns, rows, entered, help_text)
        blocks.append(block)
        row = block.last_row + 2
    return tuple(blocks)


CASE_BLOCKS: tuple[Block, ...] = _stack_blocks(
    CASE_FIELDS_FIRST_ROW + len(CASE_FIELDS) + 1,
    [
        ("team", "Tværfagligt team", _TEAM_COLUMNS, 10, True, "Alle fagpersoner omkring den unge."),
        (
            "network",
            "Den unges voksne og netværk",
            _NETWORK_COLUMNS,
            6,
            True,
            "Netværkskort: marker den unges voksne/netværksperson med ja.",
        ),
        ("consent", "Samtykke", _CONSENT_COLUMNS, 4, True, "Nyt samtykke skal gives, når den unge fylder 18."),
        (
            "agreements",
            "Mål og aftaler",
            _AGREEMENT_COLUMNS,
            15,
            True,
            "Bindende aftaler: hvem gør hvad, og hvornår følges der op.",
        ),
        ("interventions", "Indsatsoverblik", _INTERVENTION_COLUMNS, 8, True, ""),
        (
            "life_areas",
            "Livsområder – første og seneste score (beregnet)",
            _LIFE_AREA_SUMMARY_COLUMNS,
            len(LIFE_AREA.values),
            False,
            "",
        ),
        ("plan", "Mødeplan (beregnet)", _PLAN_COLUMNS, 30, False, "Skrives af knappen Opdatér mødeplan."),
        (
            "score_history",
            f"Livsområder over tid – de seneste {CASE_SCORE_HISTORY_ROWS} scorede møder (beregnet)",
            _SCORE_HISTORY_COLUMNS,
            CASE_SCORE_HISTORY_ROWS,
            False,
            "",
        ),
    ],
)
CASE_BLOCKS_BY_KEY: dict[str, Block] = {block.key: block for block in CASE_BLOCKS}
CASE_LAST_COLUMN = max(max(block.last_col for block in CASE_BLOCKS), CASE_COMPUTED_FIELDS[0].column)
CASE_COLUMN_WIDTHS: tuple[float, ...] = (30, 30, 22, 18, 22, 14, 14, 14)
CASE_LIFE_AREA_CHART_TITLE = "Livsområder – første og seneste score (1–10)"
CASE_LIFE_AREA_CHART_CELL = cell_address(CASE_BLOCKS_BY_KEY["life_areas"].title_row, CASE_LAST_COLUMN + 2)
"""Top-left corner of the case sheet's life-area chart (first vs latest score, from the computed block): right of
every table, so it covers no cell anyone types in. It lives in the template, so refresh only fills the block."""
CASE_LIFE_AREA_CHART_SIZE_CM = (16.0, 9.5)
CASE_SCORE_HISTORY_CHART_TITLE = "Livsområder over tid (score 1–10)"
CASE_SCORE_HISTORY_CHART_CELL = cell_address(CASE_BLOCKS_BY_KEY["score_history"].title_row, CASE_LAST_COLUMN + 2)
"""Top-left corner of the line chart over the score_history block, right of it like the radar chart."""
CASE_SCORE_HISTORY_CHART_SIZE_CM = (24.0, 12.0)


# --------------------------------------------------------------------------------------------------
# Mødetjekliste (an Excel table)
# --------------------------------------------------------------------------------------------------

CHECKLIST_TABLE_NAME = "Moeder"
CHECKLIST_HEADER_ROW = 1
CHECKLIST_FIRST_ROW = 2
CHECKLIST_TEMPLATE_ROWS = 500
"""Rows prepared with dropdowns and formats in a new template; the table grows beyond when needed."""

CHECKLIST_COLUMNS: tuple[Column, ...] = (
    Column("case_id", "Ung-id", Kind.TEXT, width=11, required=True),
    Column("date", "Mødedato", Kind.DATE, width=12, required=True),
    Column("kind", "Mødetype", Kind.CHOICE, MEETING_KIND, width=18, required=True),
    Column("young_person_present", "Den unge deltog", Kind.YES_NO, YES_NO, width=10, required=True),
    Column("adult_present", "Den unges voksne deltog", Kind.YES_NO, YES_NO, width=10),
    *(
        Column(PROFESSION_PRESENT_PREFIX + code, f"Til stede: {label}", Kind.YES_NO, YES_NO, width=14)
        for code, label in PROFESSION.values
    ),
    Column("tools_used", "Værktøjer brugt/opdateret", Kind.FREE_TEXT, width=40),  # two or three tools
    Column("agreements_made", "Aftaler indgået (antal)", Kind.INTEGER, width=10),
    Column("agreements_followed_up", "Aftaler fulgt op (antal)", Kind.INTEGER, width=10),
    Column("education", "Uddannelse", Kind.CHOICE, EDUCATION, width=18),
    Column("job", "Job", Kind.CHOICE, JOB, width=16),
    Column("programme", "Beskæftigelsesrettet forløb", Kind.YES_NO, YES_NO, width=12),
    # "Score: " keeps the headers unique (Excel table columns must be): "Uddannelse" is also the education column.
    *(Column(SCORE_PREFIX + code, f"Score: {label}", Kind.SCORE, width=9) for code, label in LIFE_AREA.values),
    Column("scored_by", "Scoret af", Kind.CHOICE, SCORED_BY, width=12),
    *(
        Column(INVOLVEMENT_PREFIX + code, label, Kind.INVOLVEMENT, INVOLVEMENT_ANSWER, width=10)
        for code, label in INVOLVEMENT_ITEMS
    ),
    Column("own_view", "Den unges egen vurdering", Kind.FREE_TEXT, width=30),
    Column("next_meeting", "Næste møde", Kind.DATE, width=12),
    Column("recorded_by", "Registreret af (initialer)", Kind.TEXT, width=10),
    Column("notes", "Bemærkninger", Kind.FREE_TEXT, width=30),
    # A row with a reason is no meeting: it marks the required meeting of its kind whose window holds its date
    # (a milestone: whatever the date) as not relevant, so it leaves the overdue list.
    Column("not_relevant_reason", "Ikke afholdt – ikke relevant, fordi", Kind.FREE_TEXT, width=30),
)
CHECKLIST_COLUMNS_BY_KEY: dict[str, Column] = {column.key: column for column in CHECKLIST_COLUMNS}


def checklist_column(key: str) -> int:
    """1-based column of a Mødetjekliste field."""
    for index, column in enumerate(CHECKLIST_COLUMNS, start=1):
        if column.key == key:
            return index
    raise KeyError(f"no Mødetjekliste column {key!r}")


def checklist_cell(row: int, key: str) -> str:
    return cell_address(row, checklist_column(key))


CHECKLIST_LAST_COLUMN = len(CHECKLIST_COLUMNS)


# --------------------------------------------------------------------------------------------------
# Oversigt (computed)
# --------------------------------------------------------------------------------------------------

OVERVIEW_HEADER_ROW = 1
OVERVIEW_FIRST_ROW = 2
OVERVIEW_COLUMNS: tuple[Column, ...] = (
    Column("case_id", "Ung-id", Kind.TEXT, width=11, entered=False),
    Column("initials", "Initialer", Kind.TEXT, width=10, entered=False),
    Column("coordinator", "Koordinator/guide", Kind.TEXT, width=16, entered=False),
    Column("variant", "Modelvariant", Kind.TEXT, width=12, entered=False),
    Column("age", "Alder", Kind.NUMBER, width=8, entered=False),
    Column("next_meeting_kind", "Næste møde", Kind.TEXT, width=20, entered=False),
    Column("next_meeting_due", "Senest", Kind.DATE, width=12, entered=False),
    Column("status", "Status", Kind.TEXT, width=28, entered=False),  # "forfalden (4 forfaldne møder)"
    Column("errors", "Fejl", Kind.INTEGER, width=8, entered=False),
    Column("warnings", "Advarsler", Kind.INTEGER, width=10, entered=False),
)


def overview_column(key: str) -> int:
    for index, column in enumerate(OVERVIEW_COLUMNS, start=1):
        if column.key == key:
            return index
    raise KeyError(f"no Oversigt column {key!r}")


# --------------------------------------------------------------------------------------------------
# Fejl (written by refresh / Validér)
# --------------------------------------------------------------------------------------------------

PROBLEMS_HEADER_ROW = 1
PROBLEMS_FIRST_ROW = 2
PROBLEMS_COLUMNS: tuple[Column, ...] = (
    Column("severity", "Alvor", Kind.TEXT, width=10, entered=False),
    Column("code", "Kode", Kind.TEXT, width=18, entered=False),  # "required-missing"
    Column("sheet", "Ark", Kind.TEXT, width=16, entered=False),
    Column("cell", "Celle", Kind.TEXT, width=8, entered=False),
    Column("message", "Besked", Kind.TEXT, width=100, entered=False),
)


# --------------------------------------------------------------------------------------------------
# Indstillinger
# --------------------------------------------------------------------------------------------------


SETTINGS_HEADER_ROW = 3
SETTINGS_FIRST_ROW = 4
SETTINGS_LABEL_COL = 1
SETTINGS_VALUE_COL = 2
SETTINGS_DEFAULT_COL = 3
SETTINGS_HELP_COL = 4
SETTINGS_TITLE_CELL = "A1"
SETTINGS_HEADERS = ("Indstilling", "Værdi", "Standard", "Forklaring")


def settings_row(key: str) -> int:
    for offset, row in enumerate(SETTINGS_ROWS):
        if row.key == key:
            return SETTINGS_FIRST_ROW + offset
    raise KeyError(f"no setting {key!r}")


def settings_value_cell(key: str) -> str:
    return cell_address(settings_row(key), SETTINGS_VALUE_COL)


TEMPLATE_VERSION_CELL = settings_value_cell("template_version")


# --------------------------------------------------------------------------------------------------
# Lister (hidden)
# --------------------------------------------------------------------------------------------------


def list_column(choice: Choice) -> int:
    return LISTS.index(choice) + 1


def list_range(choice: Choice) -> str:
    """Absolute reference used by data validations, e.g. ``Lister!$C$2:$C$9``."""
    column = column_letter(list_column(choice))
    return f"'{SHEET_LISTS}'!${column}$2:${column}${len(choice.values) + 1}"


# --------------------------------------------------------------------------------------------------
# Vejledning, frozen panes, template details
# --------------------------------------------------------------------------------------------------

GUIDE_COLUMN_WIDTH = 110


# Frozen panes: the first cell that scrolls.
CASE_FREEZE_CELL = cell_address(CASE_FIELDS_FIRST_ROW, 1)
OVERVIEW_FREEZE_CELL = cell_address(OVERVIEW_FIRST_ROW, 1)
PROBLEMS_FREEZE_CELL = cell_address(PROBLEMS_FIRST_ROW, 1)
CHECKLIST_FREEZE_CELL = cell_address(CHECKLIST_FIRST_ROW, 3)


# --------------------------------------------------------------------------------------------------
# Template layout details (used by workbook/template.py only)
# --------------------------------------------------------------------------------------------------

CASE_BLOCK_HELP_OFFSET = 2
"""A block's help text sits this many columns right of its title (the title may overflow one column)."""
CASE_PRINT_TITLE_ROWS = (1, CASE_FIELDS_FIRST_ROW - 1)
"""Rows repeated at the top of every printed page of a case sheet (first, last)."""
CHECKLIST_HEADER_HEIGHT = 90.0
"""Points: the narrow Mødetjekliste columns need several lines for their wrapped headers."""
CHECKLIST_PRINT_PAGES_WIDE = 3
"""The printed Mødetjekliste is scaled to this many landscape A4 pages across (one page would print at a quarter
size); its id and date columns and its header row are repeated on every page."""
CHECKLIST_PRINT_TITLE_KEYS = ("case_id", "date")
"""Mødetjekliste columns repeated at the left of every printed page (adjacent, from column A)."""
BLOCK_TEXT_ROW_HEIGHT = 30.0
"""Points: rows of a case-sheet block with a wrapped free-text column get room for two lines."""
SETTINGS_COLUMN_WIDTHS: tuple[float, ...] = (48, 16, 30, 70)
LISTS_COLUMN_WIDTH = 34


# Problem marks written by refresh (files) and Validér (live Excel): fill colour (RGB hex) by severity.
MARK_COLOURS: dict[str, str] = {"fejl": "F4B6B6", "advarsel": "FFE699"}
ENTERED_COLOUR = "FFFFFF"
"""Fill of entered cells in the template: what a cell gets back when its mark goes."""
