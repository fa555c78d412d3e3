"""The one map of the case workbook.

Every sheet name, cell address, table column and dropdown list of the template lives here and nowhere
else. The template builder, the reader, the validator, the refresh writer and the add-in all ask this
module where things are. Texts users see are Danish; identifiers are English.

Layout in short:
- ``Vejledning``: help text.
- ``Oversigt``: one computed row per young person.
- ``Sagsskabelon``: the case-sheet template; ``Ny sag`` copies it to a sheet named after the case id.
  A sheet is a case sheet when its title cell holds :data:`CASE_SHEET_TITLE`.
- ``Mødetjekliste``: an Excel table, one row per held meeting.
- ``Indstillinger``: municipality, template version and per-municipality overrides of the rules.
- ``Lister``: hidden sheet with the dropdown sources.
- ``Fejl``: written by refresh/validate: the list of problems.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from enum import StrEnum
from functools import cached_property
from typing import Any

TEMPLATE_VERSION = 3
"""Version of the workbook layout. Bump it (and describe the old layout in :data:`LAYOUT_CHANGES`) whenever a cell
moves."""

SUPPORTED_TEMPLATE_VERSIONS: tuple[int, ...] = (1, 2, 3)
"""Versions the reader reads directly (older layouts are mapped onto the current one by ``core.migrate``)."""

DATE_FORMAT = "dd-mm-yyyy"  # shown as dd-mm-åååå in a Danish Excel
INTEGER_FORMAT = "0"
TEXT_FORMAT = "@"

WORKBOOK_TITLE = "Samarbejdsmodellen – sagsarbejdsbog"


# --------------------------------------------------------------------------------------------------
# Cell address helpers (the only code that spells addresses)
# --------------------------------------------------------------------------------------------------

_CELL_RE = re.compile(r"^([A-Z]{1,3})([0-9]+)$")


def column_letter(index: int) -> str:
    """1 -> 'A', 27 -> 'AA'."""
    if index < 1:
        raise ValueError(f"column index must be >= 1, got {index}")
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def column_index(letter: str) -> int:
    """'A' -> 1, 'AA' -> 27."""
    index = 0
    for char in letter.upper():
        if not "A" <= char <= "Z":
            raise ValueError(f"not a column letter: {letter!r}")
        index = index * 26 + ord(char) - 64
    return index


def cell_address(row: int, column: int) -> str:
    """1-based row and column -> 'B5'."""
    return f"{column_letter(column)}{row}"


def parse_cell(address: str) -> tuple[int, int]:
    """'B5' -> (5, 2), 1-based row and column."""
    match = _CELL_RE.match(address.upper())
    if not match:
        raise ValueError(f"not a cell address: {address!r}")
    return int(match.group(2)), column_index(match.group(1))


def range_address(first_row: int, first_col: int, last_row: int, last_col: int) -> str:
    return f"{cell_address(first_row, first_col)}:{cell_address(last_row, last_col)}"


# --------------------------------------------------------------------------------------------------
# Value kinds and lists
# --------------------------------------------------------------------------------------------------


class Kind(StrEnum):
    """What a cell holds; decides parsing, validation and number format."""

    TEXT = "text"  # short text (names, initials, ids)
    FREE_TEXT = "free_text"  # notes: scanned for CPR-like numbers
    DATE = "date"
    INTEGER = "integer"  # whole number >= 0 (counts)
    SCORE = "score"  # life-area score, whole number 1-10
    INVOLVEMENT = "involvement"  # 1-5 or "ved ikke"
    CHOICE = "choice"  # a value from a dropdown list
    YES_NO = "yes_no"  # "ja" / "nej"
    NUMBER = "number"  # any number (settings)


YES = "ja"
NO = "nej"
DONT_KNOW = "ved ikke"


@dataclass(frozen=True)
class Choice:
    """A dropdown list: the Danish values users pick from, and the stable code for each."""

    name: str
    title: str  # header on the Lister sheet
    values: tuple[tuple[str, str], ...]  # (code, Danish label)

    @cached_property
    def labels(self) -> tuple[str, ...]:
        return tuple(label for _, label in self.values)

    @cached_property
    def codes(self) -> tuple[str, ...]:
        return tuple(code for code, _ in self.values)

    def code_of(self, label: str) -> str | None:
        """Danish label (case and surrounding space ignored) -> code, or None."""
        wanted = label.strip().casefold()
        for code, text in self.values:
            if text.casefold() == wanted:
                return code
        return None

    def label_of(self, code: str) -> str:
        for known, text in self.values:
            if known == code:
                return text
        raise KeyError(f"{self.name}: unknown code {code!r}")


def _choice(name: str, title: str, *values: tuple[str, str]) -> Choice:
    return Choice(name, title, tuple(values))


VARIANT = _choice(
    "variant",
    "Modelvariant",
    ("udsatte", "udsatte"),
    ("psykisk", "psykisk"),
)
YES_NO = _choice("yes_no", "Ja/nej", ("yes", YES), ("no", NO))
MEETING_KIND = _choice(
    "meeting_kind",
    "Mødetype",
    ("start", "Startmøde"),
    ("m16", "Møde ved 16 år"),
    ("m17_5", "Møde ved 17½ år"),
    ("m18_5", "Møde ved 18½ år"),
    ("quarterly", "Kvartalsmøde"),
    ("follow_up", "Opfølgningsmøde"),
    ("extra", "Ekstra møde"),
    ("end", "Slutmøde"),
)
PROFESSION = _choice(
    "profession",
    "Profession",
    ("coordinator", "koordinator/guide"),
    ("caseworker_youth", "sagsbehandler børn og unge"),
    ("caseworker_adult", "sagsbehandler voksen"),
    ("jobcenter", "jobcenterkonsulent"),
    ("rehab_team", "rehabiliteringsteam/koordinerende sagsbehandler"),
    ("uu", "UU-vejleder"),
    ("child_psychiatry", "børne- og ungdomspsykiatri"),
    ("adult_psychiatry", "voksenpsykiatri"),
    ("contact_person", "kontaktperson"),
    ("substance_abuse", "misbrugskonsulent/-behandler"),
    ("treatment_institution", "behandlingsinstitution"),
    ("placement", "anbringelsessted"),
    ("education_institution", "uddannelsesinstitution"),
    ("icm", "ICM/case manager (bostøtte)"),
    ("other", "andet"),
)
RESPONSIBLE = Choice(
    "responsible",
    "Ansvarlig",
    (("young_person", "den unge"), *PROFESSION.values),
)
EDUCATION = _choice(
    "education",
    "Uddannelse",
    ("none", "ingen"),
    ("primary", "grundskole/10. klasse"),
    ("fgu", "FGU"),
    ("stu", "STU"),
    ("youth_education", "ungdomsuddannelse"),
    ("higher", "videregående uddannelse"),
    ("other", "anden uddannelse"),
)
JOB = _choice(
    "job",
    "Job",
    ("none", "intet job"),
    ("ordinary", "ordinært job"),
    ("flex", "fleksjob/løntilskud"),
    ("internship", "praktik"),
)
GOAL_STATUS = _choice(
    "goal_status",
    "Status på aftale",
    ("not_started", "ikke startet"),
    ("in_progress", "i gang"),
    ("met", "nået"),
    ("abandoned", "opgivet"),
)
CONSENT_GIVEN_BY = _choice(
    "consent_given_by",
    "Samtykke givet af",
    ("young_person", "den unge"),
    ("custody_holder", "forældremyndighedsindehaver"),
    ("both", "begge"),
)
CLOSENESS = _choice(
    "closeness",
    "Nærhed",
    ("close", "tæt"),
    ("medium", "mellem"),
    ("distant", "fjern"),
)
END_REASON = _choice(
    "end_reason",
    "Slutårsag",
    ("goals_met", "mål nået"),
    ("declined", "ønsker ikke at deltage"),
    ("moved", "flyttet"),
    ("age", "aldersgrænse nået"),
    ("other", "andet"),
)
SCORED_BY = _choice(
    "scored_by",
    "Scoret af",
    ("young_person", "den unge"),
    ("professional", "fagperson"),
    ("together", "sammen"),
)
INVOLVEMENT_ANSWER = _choice(
    "involvement",
    "Inddragelse",
    ("1", "1"),
    ("2", "2"),
    ("3", "3"),
    ("4", "4"),
    ("5", "5"),
    ("dont_know", DONT_KNOW),
)
LIFE_AREA = _choice(
    "life_area",
    "Livsområde",
    ("social", "Socialt liv"),
    ("economy", "Økonomi"),
    ("work", "Arbejde"),
    ("wellbeing", "Psykisk velbefindende"),
    ("substances", "Rusmidler"),
    ("practical", "Praktiske opgaver"),
    ("education", "Uddannelse"),
    ("physical", "Fysisk tilstand"),
    ("family", "Familieforhold"),
    ("housing", "Bolig"),
)
QUARTERLY_MODE = _choice(
    "quarterly_mode",
    "Kvartalsmøder",
    ("rolling", "3 måneder efter seneste møde"),
    ("calendar", "ét pr. kvartal"),
)
PLAN_STATUS = _choice(
    "plan_status",
    "Mødestatus",
    ("held", "afholdt"),
    ("held_late", "afholdt for sent"),
    ("soon", "snart"),
    ("overdue", "forfalden"),
    ("planned", "planlagt"),
    ("not_applicable", "ikke relevant"),
)

LISTS: tuple[Choice, ...] = (
    VARIANT,
    YES_NO,
    MEETING_KIND,
    PROFESSION,
    RESPONSIBLE,
    EDUCATION,
    JOB,
    GOAL_STATUS,
    CONSENT_GIVEN_BY,
    CLOSENESS,
    END_REASON,
    SCORED_BY,
    INVOLVEMENT_ANSWER,
    LIFE_AREA,
    QUARTERLY_MODE,
    PLAN_STATUS,
)
LISTS_BY_NAME: dict[str, Choice] = {choice.name: choice for choice in LISTS}


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

PROFESSION_PRESENT_PREFIX = "professions_present."
SCORE_PREFIX = "score."
INVOLVEMENT_PREFIX = "involvement."

INVOLVEMENT_ITEMS: tuple[tuple[str, str], ...] = (
    ("heard", "Jeg blev hørt"),
    ("decided_goals", "Jeg var med til at bestemme mine mål"),
    ("knows_who", "Jeg ved, hvem der gør hvad"),
    ("useful", "Mødet var nyttigt for mig"),
    ("safe", "Jeg er tryg ved min guide/koordinator"),
)

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
    Column("tools_used", "Værktøjer brugt/opdateret", Kind.FREE_TEXT, width=24),
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
    Column("status", "Status", Kind.TEXT, width=16, entered=False),
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
    Column("code", "Kode", Kind.TEXT, width=12, entered=False),
    Column("sheet", "Ark", Kind.TEXT, width=16, entered=False),
    Column("cell", "Celle", Kind.TEXT, width=8, entered=False),
    Column("message", "Besked", Kind.TEXT, width=100, entered=False),
)


# --------------------------------------------------------------------------------------------------
# Indstillinger
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SettingRow:
    """A row on Indstillinger. ``key`` names the setting in core.settings; an empty value = default."""

    key: str
    label: str
    kind: Kind
    choice: Choice | None = None
    help: str = ""


SETTINGS_HEADER_ROW = 3
SETTINGS_FIRST_ROW = 4
SETTINGS_LABEL_COL = 1
SETTINGS_VALUE_COL = 2
SETTINGS_DEFAULT_COL = 3
SETTINGS_HELP_COL = 4
SETTINGS_TITLE_CELL = "A1"
SETTINGS_HEADERS = ("Indstilling", "Værdi", "Standard", "Forklaring")

SETTINGS_ROWS: tuple[SettingRow, ...] = (
    SettingRow("municipality", "Kommune", Kind.TEXT, help="Kommunens navn, vises i rapporten."),
    SettingRow("template_version", "Skabelonversion", Kind.INTEGER, help="Sættes af værktøjet. Ændr ikke."),
    SettingRow(
        "default_variant", "Standard-modelvariant", Kind.CHOICE, VARIANT, help="Forvalgt variant for nye sager."
    ),
    SettingRow("udsatte.start_age", "udsatte: forløb starter ved alder (år)", Kind.INTEGER),
    SettingRow("udsatte.end_age", "udsatte: forløb slutter ved alder (år)", Kind.INTEGER),
    SettingRow("psykisk.min_inclusion_age", "psykisk: laveste alder ved inklusion (år)", Kind.INTEGER),
    SettingRow("psykisk.end_age", "psykisk: forløb slutter ved alder (år)", Kind.INTEGER),
    SettingRow("start_window_days", "Startmøde: dage efter inklusion", Kind.INTEGER),
    SettingRow("m16.before_days", "Møde ved 16 år: dage før", Kind.INTEGER),
    SettingRow("m16.after_days", "Møde ved 16 år: dage efter", Kind.INTEGER),
    SettingRow("m17_5.before_days", "Møde ved 17½ år: dage før", Kind.INTEGER),
    SettingRow("m17_5.after_days", "Møde ved 17½ år: dage efter", Kind.INTEGER),
    SettingRow("m18_5.before_days", "Møde ved 18½ år: dage før", Kind.INTEGER),
    SettingRow("m18_5.after_days", "Møde ved 18½ år: dage efter", Kind.INTEGER),
    SettingRow("follow_up_months", "udsatte: opfølgning hver (måneder)", Kind.INTEGER),
    SettingRow("follow_up_window_days", "udsatte: opfølgning, dage efter forfald", Kind.INTEGER),
    SettingRow("quarterly_mode", "psykisk: kvartalsmøder", Kind.CHOICE, QUARTERLY_MODE),
    SettingRow("quarterly_window_days", "psykisk: kvartalsmøde, dage efter forfald", Kind.INTEGER),
    SettingRow("soon_days", "Vis 'snart' når vinduet lukker inden for (dage)", Kind.INTEGER),
    SettingRow(
        "attendance_strict",
        "Mødet tæller kun, hvis den unge deltog",
        Kind.YES_NO,
        YES_NO,
    ),
    SettingRow(
        "programme_counts_as_job",
        "Beskæftigelsesrettet forløb tæller som job",
        Kind.YES_NO,
        YES_NO,
    ),
)
SETTINGS_ROWS_BY_KEY: dict[str, SettingRow] = {row.key: row for row in SETTINGS_ROWS}


def settings_row(key: str) -> int:
    for offset, row in enumerate(SETTINGS_ROWS):
        if row.key == key:
            return SETTINGS_FIRST_ROW + offset
    raise KeyError(f"no setting {key!r}")


def settings_value_cell(key: str) -> str:
    return cell_address(settings_row(key), SETTINGS_VALUE_COL)


TEMPLATE_VERSION_CELL = settings_value_cell("template_version")


# --------------------------------------------------------------------------------------------------
# Template versions: how older layouts differ from the current one (read by core.migrate and the upgrade)
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LayoutChange:
    """What an older template version lacked compared with the current layout (keys of the current schema).

    Case fields are stacked one per row from :data:`CASE_FIELDS_FIRST_ROW`, the case-sheet blocks below them with
    one blank row between, the Mødetjekliste columns left to right and the settings rows from
    :data:`SETTINGS_FIRST_ROW`: so everything below a missing field or setting sat higher, and every Mødetjekliste
    column right of a missing column sat further left. Nothing else differed. When the layout changes again, add
    the new differences to every older version's entry (each entry is relative to the current layout).
    """

    version: int
    description: str
    case_fields_added: tuple[str, ...] = ()
    checklist_columns_added: tuple[str, ...] = ()
    settings_added: tuple[str, ...] = ()
    case_blocks_added: tuple[str, ...] = ()  # computed blocks: the tables below one sat higher by its rows


LAYOUT_CHANGES: dict[int, LayoutChange] = {
    1: LayoutChange(
        1,
        "Version 1 (the pilot municipalities' workbooks) had no field 'Slutårsag' on the case sheet (the notes and "
        "every table below sat one row higher), no involvement columns ('Jeg blev hørt' …) and no 'Den unges egen "
        "vurdering' in the meeting checklist (added with the local involvement instrument; the columns after them "
        "sat six columns further left), and no setting 'Standard-modelvariant' (the settings below sat one row "
        "higher), nor what version 2 lacked.",
        case_fields_added=("end_reason",),
        checklist_columns_added=(
            *(INVOLVEMENT_PREFIX + code for code, _ in INVOLVEMENT_ITEMS),
            "own_view",
            "not_relevant_reason",
        ),
        settings_added=("default_variant",),
        case_blocks_added=("score_history",),
    ),
    2: LayoutChange(
        2,
        "Version 2 had no last column 'Ikke afholdt – ikke relevant, fordi' in the meeting checklist (added so that "
        "a missed required meeting can be marked not relevant with a reason), no life-area chart on the case "
        "sheets (no cell moved for it; an upgraded workbook gets it on every case sheet), and no block 'Livsområder "
        "over tid' with its line chart below the meeting plan (anything typed below the plan moves below the block).",
        checklist_columns_added=("not_relevant_reason",),
        case_blocks_added=("score_history",),
    ),
}


@dataclass(frozen=True)
class Layout:
    """Where everything sits in one template version (the current version is the schema above)."""

    version: int
    case_fields: tuple[Field, ...]
    case_computed_fields: tuple[Field, ...]
    case_blocks: tuple[Block, ...]
    checklist_columns: tuple[Column, ...]
    settings_rows: tuple[SettingRow, ...]

    def settings_row(self, key: str) -> int:
        for offset, row in enumerate(self.settings_rows):
            if row.key == key:
                return SETTINGS_FIRST_ROW + offset
        raise KeyError(f"template version {self.version}: no setting {key!r}")

    def checklist_column(self, key: str) -> int:
        for index, column in enumerate(self.checklist_columns, start=1):
            if column.key == key:
                return index
        raise KeyError(f"template version {self.version}: no checklist column {key!r}")


def _restack(blocks: tuple[Block, ...], first_title_row: int) -> tuple[Block, ...]:
    """The same blocks laid out from ``first_title_row`` like :func:`_stack_blocks` does."""
    out = []
    row = first_title_row
    for block in blocks:
        moved = replace(block, title_row=row)
        out.append(moved)
        row = moved.last_row + 2
    return tuple(out)


def template_layout(version: int) -> Layout:
    """The layout of ``version`` (one of :data:`SUPPORTED_TEMPLATE_VERSIONS`)."""
    if version == TEMPLATE_VERSION:
        return Layout(version, CASE_FIELDS, CASE_COMPUTED_FIELDS, CASE_BLOCKS, CHECKLIST_COLUMNS, SETTINGS_ROWS)
    change = LAYOUT_CHANGES[version]
    kept = [field for field in CASE_FIELDS if field.key not in change.case_fields_added]
    fields = tuple(
        replace(field, cell=cell_address(CASE_FIELDS_FIRST_ROW + offset, field.column))
        for offset, field in enumerate(kept)
    )
    return Layout(
        version,
        fields,
        CASE_COMPUTED_FIELDS,
        _restack(
            tuple(block for block in CASE_BLOCKS if block.key not in change.case_blocks_added),
            CASE_FIELDS_FIRST_ROW + len(fields) + 1,
        ),
        tuple(column for column in CHECKLIST_COLUMNS if column.key not in change.checklist_columns_added),
        tuple(row for row in SETTINGS_ROWS if row.key not in change.settings_added),
    )


def _check_layout_changes() -> None:
    """The reader finds the version and the case-sheet title at the same cells in every version."""
    if tuple(sorted((*LAYOUT_CHANGES, TEMPLATE_VERSION))) != SUPPORTED_TEMPLATE_VERSIONS:
        raise RuntimeError("SUPPORTED_TEMPLATE_VERSIONS must be the current version and those in LAYOUT_CHANGES")
    for version, change in LAYOUT_CHANGES.items():
        unknown = (
            set(change.case_fields_added) - {field.key for field in CASE_FIELDS if field.entered}
            | set(change.checklist_columns_added) - set(CHECKLIST_COLUMNS_BY_KEY)
            | set(change.settings_added) - set(SETTINGS_ROWS_BY_KEY)
            | set(change.case_blocks_added) - {block.key for block in CASE_BLOCKS if not block.entered}
        )
        if unknown or version >= TEMPLATE_VERSION:
            raise RuntimeError(f"LAYOUT_CHANGES[{version}]: unknown keys {sorted(unknown)} or not an older version")
        old = template_layout(version)
        if cell_address(old.settings_row("template_version"), SETTINGS_VALUE_COL) != TEMPLATE_VERSION_CELL:
            raise RuntimeError(f"template version {version}: the version cell must not move")
        if old.case_blocks[0].title_row <= CASE_FIELDS_FIRST_ROW or old.case_fields[0].row != CASE_FIELDS_FIRST_ROW:
            raise RuntimeError(f"template version {version}: the case fields must start where they do now")


_check_layout_changes()


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
# Vejledning
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RibbonButton:
    """A button of the Samarbejde ribbon tab; ``control_id`` is also the dispatcher key."""

    control_id: str
    label: str
    screentip: str
    image_mso: str  # an Excel control id (tests/data/excel-control-ids.txt), else the button shows blank
    cli_command: str


RIBBON_BUTTONS: tuple[RibbonButton, ...] = (
    RibbonButton("NewCase", "Ny sag", "Opretter et nyt sagsark med næste ledige id.", "FileNew", "new-case"),
    RibbonButton(
        "RegisterMeeting",
        "Registrér møde",
        "Tilføjer en udfyldt række i Mødetjekliste for den aktive sag.",
        "TableRowsInsertBelowExcel",
        "register-meeting",
    ),
    RibbonButton(
        "Validate", "Validér", "Markerer fejl i cellerne og samler dem på arket Fejl.", "ErrorChecking", "validate"
    ),
    RibbonButton(
        "RefreshPlan",
        "Opdatér mødeplan",
        "Beregner mødeplanen og skriver den som værdier, så kolleger uden Python også kan se den.",
        "RefreshAll",
        "refresh",
    ),
    RibbonButton("Overview", "Oversigt", "Opdaterer Oversigt og springer til den.", "ViewNormalViewExcel", "overview"),
    RibbonButton(
        "Diagnose",
        "Diagnose",
        "Viser Python-, xlwings-, tilføjelses- og skabelonversioner.",
        "FormulaEvaluate",
        "diagnose",
    ),
    RibbonButton("Help", "Hjælp", "Åbner arket Vejledning.", "Help", "help"),
)
"""The guides' buttons, on the case workbook's Vejledning sheet too."""

MANAGER_BUTTONS: tuple[RibbonButton, ...] = (
    RibbonButton(
        "QuarterlyReport",
        "Kvartalsrapport",
        "Vælg mappen med vejledernes arbejdsbøger; ledergruppens rapport for det seneste afsluttede kvartal "
        "skrives i mappen.",
        "Consolidate",
        "consolidate",
    ),
)
"""The managers' buttons, in a group of their own: they work on a folder of workbooks, not on the open one."""

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
SETTINGS_COLUMN_WIDTHS: tuple[float, ...] = (48, 16, 30, 70)
LISTS_COLUMN_WIDTH = 34


# --------------------------------------------------------------------------------------------------
# Leader-group report (a separate workbook written by report/writer.py; added by H8)
# --------------------------------------------------------------------------------------------------

REPORT_TITLE = "Samarbejdsmodellen – kvartalsrapport til ledergruppen"
REPORT_SHEET_COVER = "Forside"
REPORT_SHEET_OUTCOMES = "Udfald"
REPORT_SHEET_MEETINGS = "Møder"
REPORT_SHEET_AGREEMENTS = "Aftaler"
REPORT_SHEET_LIFE_AREAS = "Livsområder"
REPORT_SHEET_INVOLVEMENT = "Inddragelse"
REPORT_SHEET_SURVEY = "Fagpersoner"
REPORT_SHEET_TREND = "Udvikling"
REPORT_SHEET_DATA_QUALITY = "Datakvalitet"
REPORT_SHEET_POLITICIANS = "Til politikere"
REPORT_SHEETS: tuple[str, ...] = (
    REPORT_SHEET_COVER,
    REPORT_SHEET_OUTCOMES,
    REPORT_SHEET_MEETINGS,
    REPORT_SHEET_AGREEMENTS,
    REPORT_SHEET_LIFE_AREAS,
    REPORT_SHEET_INVOLVEMENT,
    REPORT_SHEET_SURVEY,
    REPORT_SHEET_TREND,
    REPORT_SHEET_DATA_QUALITY,
    REPORT_SHEET_POLITICIANS,
)
"""Sheets of the leader-group report, in workbook order."""


# --------------------------------------------------------------------------------------------------
# The Excel add-in (samarbejde_xl.xlam) — added by the add-in helper
# --------------------------------------------------------------------------------------------------

ADDIN_NAME = "samarbejde_xl"
"""xlwings' PROJECT_NAME in the add-in: it reads its settings from the sheet ``<name>.conf``."""
ADDIN_FILE = f"{ADDIN_NAME}.xlam"
ADDIN_CONFIG_SHEET = f"{ADDIN_NAME}.conf"
ADDIN_FUNCTIONS_SHEET = "Funktioner"
"""Add-in sheet with the function wizard help (category, descriptions) the add-in registers when it opens."""
ADDIN_FUNCTIONS_HEADERS = ("Funktion", "Kategori", "Beskrivelse", "Argumenter (hjælpetekst)")
RIBBON_TAB_ID = "SamarbejdeTab"
RIBBON_TAB_LABEL = "Samarbejde"
RIBBON_GROUP_ID = "SamarbejdeGroup"
RIBBON_GROUP_LABEL = "Samarbejdsmodellen"
RIBBON_MANAGER_GROUP_ID = "SamarbejdeLedelse"
RIBBON_MANAGER_GROUP_LABEL = "Ledelse"
RIBBON_CALLBACK = "OnRibbonAction"
"""The one VBA Sub every ribbon button calls; it hands the control id to Python."""


# Problem marks written by refresh (files) and Validér (live Excel): fill colour (RGB hex) by severity.
MARK_COLOURS: dict[str, str] = {"fejl": "F4B6B6", "advarsel": "FFE699"}
ENTERED_COLOUR = "FFFFFF"
"""Fill of entered cells in the template: what a cell gets back when its mark goes."""


# --------------------------------------------------------------------------------------------------
# Fagpersoners vurdering: the professionals' survey workbook (seed 001), read by consolidate --survey
# --------------------------------------------------------------------------------------------------

SURVEY_ANSWER = _choice(
    "survey_answer",
    "Svar",
    ("high", "Meget høj eller høj grad"),
    ("some", "Nogen grad"),
    ("low", "Mindre grad eller slet ikke"),
)
SURVEY_QUESTION = (
    "I hvilken grad vurderer du, at arbejdet med samarbejdsmodellen overordnet har haft følgende positive effekter?"
)
SURVEY_STATEMENTS: tuple[tuple[str, str], ...] = (
    ("holistic", "De unge får en mere dækkende og helhedsorienteret indsats"),
    ("complement", "Initiativer rettet mod den unge supplerer hinanden i højere grad"),
    ("barriers", "Nedbryde barrierer på tværs af fag- og ansvarsområder"),
    ("partners", "Samarbejdspartnere bidrager konstruktivt til samarbejdet om de unges sager"),
)
SURVEY_STATEMENT_PREFIX = "statement."
SURVEY_TITLE = "Samarbejdsmodellen – fagpersoners vurdering af samarbejdet"
SURVEY_SHEET = "Vurdering"
SURVEY_LISTS_SHEET = "Lister"
SURVEY_TITLE_CELL = "A1"
SURVEY_QUESTION_CELL = "A2"
SURVEY_HELP_CELL = "A3"
SURVEY_HELP = (
    "Én række pr. fagperson. Vælg et svar til hvert udsagn. Skriv ikke navne: svarene samles uden navne i "
    "ledergruppens rapport."
)
SURVEY_HEADER_ROW = 5
SURVEY_FIRST_ROW = 6
SURVEY_TEMPLATE_ROWS = 200
SURVEY_COLUMNS: tuple[Column, ...] = (
    Column("date", "Dato for besvarelsen", Kind.DATE, width=14),
    Column("profession", "Profession", Kind.CHOICE, PROFESSION, width=30),
    *(
        Column(SURVEY_STATEMENT_PREFIX + code, text, Kind.CHOICE, SURVEY_ANSWER, width=30)
        for code, text in SURVEY_STATEMENTS
    ),
)
SURVEY_LISTS: tuple[Choice, ...] = (SURVEY_ANSWER, PROFESSION)


def survey_column(key: str) -> int:
    for index, column in enumerate(SURVEY_COLUMNS, start=1):
        if column.key == key:
            return index
    raise KeyError(f"no survey column {key!r}")


def survey_list_range(choice: Choice) -> str:
    column = column_letter(SURVEY_LISTS.index(choice) + 1)
    return f"'{SURVEY_LISTS_SHEET}'!${column}$2:${column}${len(choice.values) + 1}"
