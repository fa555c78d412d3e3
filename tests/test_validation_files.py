"""Every problem code, triggered through a real .xlsx file: a clean workbook is written, exactly one mistake is
typed into it, the file is read back and validated, and the code, severity, place and message are checked."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from samarbejde_xl import schema
from samarbejde_xl.cli import cli
from samarbejde_xl.core.check import check_data
from samarbejde_xl.core.model import Agreement, Case, Consent, Meeting, NetworkPerson, TeamMember, WorkbookData
from samarbejde_xl.core.problems import PROBLEM_TYPES, Problem, Severity
from samarbejde_xl.core.settings import DEFAULT_SETTINGS
from samarbejde_xl.core.validation import validate_batch
from samarbejde_xl.workbook.data_writer import build_workbook, write_workbook
from samarbejde_xl.workbook.reader import read_workbook
from samarbejde_xl.workbook.save import save_workbook

TODAY = date(2025, 6, 15)
E, W = Severity.ERROR, Severity.WARNING
FIELDS = schema.CASE_FIELDS_BY_KEY
BLOCKS = schema.CASE_BLOCKS_BY_KEY
CHECKLIST = schema.SHEET_CHECKLIST
SETTINGS = schema.SHEET_SETTINGS


# --------------------------------------------------------------------------------------------------
# The clean workbook: three young people, every rule satisfied on TODAY
# --------------------------------------------------------------------------------------------------


def _meeting(case_id: str, held_on: date, kind: str) -> Meeting:
    return Meeting(
        row=0,
        case_id=case_id,
        date=held_on,
        kind=kind,
        young_person_present=True,
        adult_present=True,
        professions_present=frozenset({"coordinator"}),
        agreements_made=1,
        scores={"social": 5},
        involvement={"heard": 4},
        recorded_by="KO",
    )


UDSATTE = Case(
    sheet="U-0001",
    case_id="U-0001",
    initials="AB",
    birth_date=date(2008, 3, 10),
    variant="udsatte",
    inclusion_date=date(2024, 1, 15),
    coordinator="KO",
    team=(TeamMember("KO", "coordinator"), TeamMember("UV", "uu"), TeamMember("JC", "jobcenter")),
    network=(NetworkPerson("Moster", "moster", "close", True, True),),
    consents=(Consent(date(2024, 1, 15), "both", "UU, jobcenter"),),
    agreements=(
        Agreement(
            "Starte på FGU",
            "education",
            "Søge optagelse",
            "uu",
            date(2025, 8, 1),
            status="in_progress",
            set_at=date(2025, 3, 1),
        ),
    ),
)
PSYKISK = Case(
    sheet="U-0002",
    case_id="U-0002",
    initials="CD",
    birth_date=date(2006, 11, 20),
    variant="psykisk",
    inclusion_date=date(2023, 6, 1),
    coordinator="GU",
    team=(TeamMember("GU", "coordinator"), TeamMember("BU", "child_psychiatry")),
    network=(NetworkPerson("Nabo", "nabo", "medium", True, False),),
    consents=(Consent(date(2023, 6, 1), "custody_holder"), Consent(date(2024, 11, 25), "young_person")),
    agreements=(
        Agreement(
            "Egen bolig",
            "housing",
            "Søge bolig",
            "caseworker_adult",
            date(2025, 5, 1),
            date(2025, 5, 20),
            "in_progress",
        ),
    ),
)
NEW = Case(
    sheet="U-0003",
    case_id="U-0003",
    initials="EF",
    birth_date=date(2008, 9, 1),
    variant="psykisk",
    inclusion_date=date(2025, 6, 5),
    coordinator="GU",
    team=(TeamMember("GU", "coordinator"),),
)
MEETINGS = (
    _meeting("U-0001", date(2024, 1, 25), "start"),
    _meeting("U-0001", date(2024, 3, 12), "m16"),
    _meeting("U-0001", date(2024, 6, 10), "follow_up"),
    _meeting("U-0001", date(2024, 9, 10), "follow_up"),
    _meeting("U-0001", date(2024, 12, 10), "follow_up"),
    _meeting("U-0001", date(2025, 3, 1), "follow_up"),
    _meeting("U-0002", date(2023, 6, 10), "start"),
    _meeting("U-0002", date(2023, 9, 10), "quarterly"),
    _meeting("U-0002", date(2023, 12, 10), "quarterly"),
    _meeting("U-0002", date(2024, 3, 10), "quarterly"),
    _meeting("U-0002", date(2024, 6, 10), "quarterly"),
    _meeting("U-0002", date(2024, 9, 10), "quarterly"),
    _meeting("U-0002", date(2024, 11, 25), "extra"),
    _meeting("U-0002", date(2025, 5, 20), "m18_5"),
)
CLEAN = WorkbookData(
    file="guide.xlsx",
    template_version=schema.TEMPLATE_VERSION,
    municipality="Testkommune",
    cases=(UDSATTE, PSYKISK, NEW),
    meetings=MEETINGS,
)


# --------------------------------------------------------------------------------------------------
# Writing the file (the writer, then the mistake)
# --------------------------------------------------------------------------------------------------

Overrides = dict[tuple[str, str], object]
Edit = Callable[[openpyxl.Workbook], None]


def write_file(
    path: Path, overrides: Overrides | None = None, edit: Edit | None = None, data: WorkbookData = CLEAN
) -> Path:
    """Write ``data`` with the raw ``overrides`` typed over it (None empties a cell); ``edit`` changes sheets."""
    if edit is None:
        write_workbook(data, path, cell_overrides=overrides, today=TODAY)
    else:
        workbook = build_workbook(data, cell_overrides=overrides, today=TODAY)
        edit(workbook)
        save_workbook(workbook, path)
    return path


def check_file(path: Path) -> list[Problem]:
    """Read, apply the workbook's settings and validate: every problem of one file, as the tools report them."""
    result = read_workbook(path, display_name=path.name, detect_formulas=True)
    return check_data(result.data, result.problems, DEFAULT_SETTINGS, TODAY)[1]


# --------------------------------------------------------------------------------------------------
# Places
# --------------------------------------------------------------------------------------------------


def case_cell(case: Case, key: str) -> tuple[str, str]:
    return case.sheet, FIELDS[key].cell


def block_cell(case: Case, block: str, index: int, key: str) -> tuple[str, str]:
    return case.sheet, BLOCKS[block].cell(index, key)


def checklist_cell(index: int, key: str) -> tuple[str, str]:
    """Mødetjekliste cell of ``MEETINGS[index]``."""
    return CHECKLIST, schema.checklist_cell(schema.CHECKLIST_FIRST_ROW + index, key)


def checklist_header(key: str) -> tuple[str, str]:
    return CHECKLIST, schema.checklist_cell(schema.CHECKLIST_HEADER_ROW, key)


def setting_cell(key: str) -> tuple[str, str]:
    return SETTINGS, schema.settings_value_cell(key)


AGREEMENT_ROW = BLOCKS["agreements"].first_row


def _add_sheet(name: str) -> Edit:
    def edit(workbook: openpyxl.Workbook) -> None:
        workbook.create_sheet(name).cell(1, 1, "Egne noter")

    return edit


def _remove_sheet(name: str) -> Edit:
    def edit(workbook: openpyxl.Workbook) -> None:
        workbook.remove(workbook[name])

    return edit


def _hide_sheet(name: str) -> Edit:
    def edit(workbook: openpyxl.Workbook) -> None:
        workbook[name].sheet_state = "hidden"

    return edit


def _error_value(place: tuple[str, str], error: str) -> Edit:
    """The cell shows an Excel error value: written as <c t="e"><v>#REF!</v></c>, as Excel saves one."""

    def edit(workbook: openpyxl.Workbook) -> None:
        cell = workbook[place[0]][place[1]]
        cell.value = error
        cell.data_type = "e"

    return edit


@dataclass(frozen=True)
class Mistake:
    """One mistake typed into the clean workbook and the problem it must give."""

    id: str
    code: str
    severity: Severity
    place: tuple[str, str]  # (sheet, cell); cell "" for a whole sheet
    overrides: Overrides
    message: tuple[str, ...]  # parts the Danish message must contain
    also: tuple[str, ...] = ()  # other codes the same mistake causes as well
    edit: Edit | None = field(default=None, compare=False)


MISTAKES: tuple[Mistake, ...] = (
    # ---- reading single cells (core/parse.py)
    Mistake(
        "required-missing",
        "required-missing",
        E,
        case_cell(UDSATTE, "birth_date"),
        {case_cell(UDSATTE, "birth_date"): None},
        ("Fødselsdato mangler. Udfyld feltet.",),
    ),
    Mistake(
        "date-text",
        "date-text",
        E,
        block_cell(UDSATTE, "agreements", 0, "deadline"),
        {block_cell(UDSATTE, "agreements", 0, "deadline"): "1/8/2025"},
        ("'1/8/2025' i Frist er tekst, ikke en dato.",),
    ),
    Mistake(
        "date-text-dotted",
        "date-text",
        E,
        case_cell(UDSATTE, "birth_date"),
        {case_cell(UDSATTE, "birth_date"): "10.03.2008"},
        ("'10.03.2008' i Fødselsdato er tekst",),
    ),
    Mistake(
        "date-invalid",
        "date-invalid",
        E,
        case_cell(UDSATTE, "birth_date"),
        {case_cell(UDSATTE, "birth_date"): True},
        ("i Fødselsdato er ikke en gyldig dato. Skriv datoen som dd-mm-åååå.",),
    ),
    Mistake(
        "not-in-list",
        "not-in-list",
        E,
        case_cell(UDSATTE, "variant"),
        {case_cell(UDSATTE, "variant"): "udsat"},
        ("'udsat' i Modelvariant findes ikke på listen. Vælg en af: udsatte, psykisk.",),
    ),
    Mistake(
        "score-range",
        "score-range",
        E,
        checklist_cell(0, "score.social"),
        {checklist_cell(0, "score.social"): 11},
        ("'11' i Score: Socialt liv skal være et helt tal fra 1 til 10.",),
    ),
    Mistake(
        "number-invalid",
        "number-invalid",
        E,
        checklist_cell(0, "agreements_made"),
        {checklist_cell(0, "agreements_made"): -1},
        ("'-1' i Aftaler indgået (antal) skal være et helt tal (0 eller derover).",),
    ),
    Mistake(
        "number-as-text",
        "number-as-text",
        W,
        checklist_cell(0, "agreements_made"),
        {checklist_cell(0, "agreements_made"): "3"},
        ("'3' i Aftaler indgået (antal) er gemt som tekst.",),
    ),
    Mistake(
        "involvement-range",
        "involvement-range",
        E,
        checklist_cell(0, "involvement.heard"),
        {checklist_cell(0, "involvement.heard"): 7},
        ("'7' i Jeg blev hørt skal være 1, 2, 3, 4, 5 eller 'ved ikke'.",),
    ),
    Mistake(
        "formula-in-data",
        "formula-in-data",
        W,
        case_cell(UDSATTE, "initials"),
        {case_cell(UDSATTE, "initials"): '=UPPER("ab")'},
        ("Initialer indeholder en formel.",),
    ),
    Mistake(
        "error-value",
        "error-value",
        E,
        case_cell(UDSATTE, "birth_date"),
        {},
        (
            "Fødselsdato viser fejlværdien #REF! i stedet for en værdi. Skriv værdien direkte i cellen (uden formel), "
            "eller slet cellens indhold, hvis feltet skal stå tomt.",
        ),
        edit=_error_value(case_cell(UDSATTE, "birth_date"), "#REF!"),
    ),
    Mistake(
        "error-value-checklist",
        "error-value",
        E,
        checklist_cell(0, "young_person_present"),
        {},
        ("Den unge deltog viser fejlværdien #N/A i stedet for en værdi.",),
        edit=_error_value(checklist_cell(0, "young_person_present"), "#N/A"),
    ),
    Mistake(
        "cpr-like",
        "cpr-like",
        W,
        case_cell(UDSATTE, "notes"),
        {case_cell(UDSATTE, "notes"): "Ringede til kommunen, nr. 010203-1234"},
        ("Bemærkninger ser ud til at indeholde et CPR-nummer. Slet det",),
    ),
    Mistake(
        "text-too-long",
        "text-too-long",
        W,
        case_cell(UDSATTE, "notes"),
        {case_cell(UDSATTE, "notes"): "a" * 2001},
        ("Bemærkninger er 2001 tegn lang. Kort teksten ned",),
    ),
    Mistake(
        "unknown-sheet",
        "unknown-sheet",
        W,
        ("Noter", ""),
        {},
        ("Arket 'Noter' er hverken et sagsark eller et af skabelonens ark",),
        edit=_add_sheet("Noter"),
    ),
    Mistake(
        "missing-sheet",
        "missing-sheet",
        E,
        (CHECKLIST, ""),
        {},
        (f"Arket '{CHECKLIST}' mangler i projektmappen.",),
        also=("no-meetings", "no-meetings"),
        edit=_remove_sheet(CHECKLIST),
    ),
    Mistake(
        "hidden-case-sheet",
        "hidden-case-sheet",
        W,
        (NEW.sheet, ""),
        {},
        (f"Sagsarket '{NEW.sheet}' er skjult, men bliver læst med.",),
        edit=_hide_sheet(NEW.sheet),
    ),
    Mistake(
        "checklist-header",
        "checklist-header",
        E,
        checklist_header("tools_used"),
        {checklist_header("tools_used"): "Værktøjer"},
        ("Kolonnen skulle hedde 'Værktøjer brugt/opdateret' men hedder 'Værktøjer'.",),
    ),
    Mistake(
        "checklist-not-read",
        "checklist-not-read",
        E,
        (CHECKLIST, ""),
        {checklist_header("date"): "Dato"},
        ("Møderne i", "er ikke læst, fordi kolonnen 'Mødedato' mangler."),
        also=("checklist-header", "no-meetings", "no-meetings"),
    ),
    Mistake(
        "setting-invalid",
        "setting-invalid",
        E,
        setting_cell("soon_days"),
        {setting_cell("soon_days"): "mange"},
        ("skal være et helt tal fra 0 til 180, ikke 'mange'", f"Ret værdien på arket {SETTINGS}"),
    ),
    Mistake(
        "municipality-unknown",
        "municipality-unknown",
        W,
        setting_cell("municipality"),
        {setting_cell("municipality"): "Fiktiva Testesen"},
        ("ligner ikke navnet på en kommune", "vises ikke i sammenfatningen til politikere"),
    ),
    Mistake(
        "cpr-like-in-settings",
        "cpr-like",
        W,
        setting_cell("soon_days"),
        {setting_cell("soon_days"): "010203\u20131234"},
        ("ser ud til at indeholde et CPR-nummer",),
        also=("setting-invalid",),
    ),
    # ---- validation rules (core/validation.py)
    Mistake(
        "inclusion-before-birth",
        "inclusion-before-birth",
        E,
        case_cell(UDSATTE, "inclusion_date"),
        {case_cell(UDSATTE, "inclusion_date"): date(2008, 1, 1)},
        ("Inklusionsdatoen 01-01-2008 ligger før fødselsdatoen 10-03-2008. Ret inklusionsdatoen eller fødselsdatoen.",),
    ),
    Mistake(
        "end-before-inclusion",
        "end-before-inclusion",
        E,
        case_cell(NEW, "end_date"),
        {case_cell(NEW, "end_date"): date(2025, 6, 1)},
        ("Slutdatoen 01-06-2025 ligger før inklusionsdatoen 05-06-2025.",),
    ),
    Mistake(
        "inclusion-too-young",
        "inclusion-too-young",
        E,
        case_cell(NEW, "inclusion_date"),
        {case_cell(NEW, "birth_date"): date(2009, 12, 1)},
        ("Den unge var 15 år ved inklusionen den 05-06-2025", "skal den unge være mindst 16 år"),
    ),
    Mistake(
        "inclusion-before-start-age",
        "inclusion-before-start-age",
        W,
        case_cell(UDSATTE, "inclusion_date"),
        {case_cell(UDSATTE, "inclusion_date"): date(2023, 1, 15)},
        ("Den unge var 14 år ved inklusionen den 15-01-2023", "først på 15-årsdagen 10-03-2023"),
    ),
    Mistake(
        "inclusion-after-end-age",
        "inclusion-after-end-age",
        E,
        case_cell(NEW, "inclusion_date"),
        {case_cell(NEW, "birth_date"): date(1999, 1, 1)},
        ("Den unge var 26 år ved inklusionen", "slutter på 25-årsdagen 01-01-2024"),
        also=("active-past-end-age", "consent-not-renewed"),
    ),
    Mistake(
        "active-past-end-age",
        "active-past-end-age",
        W,
        case_cell(UDSATTE, "end_date"),
        {case_cell(UDSATTE, "birth_date"): date(2001, 3, 10)},
        ("Den unge fyldte 23 år den 10-03-2024", "Udfyld slutdato og slutårsag ('aldersgrænse nået')."),
    ),
    Mistake(
        "end-after-end-age",
        "end-after-end-age",
        W,
        case_cell(NEW, "end_date"),
        {case_cell(NEW, "end_date"): date(2034, 1, 1)},
        ("Slutdatoen 01-01-2034 ligger efter 25-årsdagen 01-09-2033", "Ret slutdatoen til senest 01-09-2033."),
    ),
    Mistake(
        "meeting-before-birth",
        "meeting-before-birth",
        E,
        checklist_cell(0, "date"),
        {checklist_cell(0, "date"): date(2007, 1, 2)},
        ("Mødet den 02-01-2007 ligger før fødselsdatoen 10-03-2008 for U-0001. Ret mødedatoen eller fødselsdatoen.",),
    ),
    Mistake(
        "meeting-in-future",
        "meeting-in-future",
        E,
        checklist_cell(5, "date"),
        {checklist_cell(5, "date"): date(2025, 7, 1)},
        ("Mødet den 01-07-2025 ligger efter dags dato (15-06-2025).", f"{CHECKLIST} er kun til afholdte møder"),
    ),
    Mistake(
        "meeting-before-inclusion",
        "meeting-before-inclusion",
        W,
        checklist_cell(0, "date"),
        {checklist_cell(0, "date"): date(2024, 1, 5)},
        ("Mødet den 05-01-2024 ligger før inklusionsdatoen 15-01-2024 for U-0001",),
    ),
    Mistake(
        "meeting-after-end",
        "meeting-after-end",
        W,
        checklist_cell(13, "date"),
        {case_cell(PSYKISK, "end_date"): date(2025, 5, 1), case_cell(PSYKISK, "end_reason"): "flyttet"},
        ("Mødet den 20-05-2025 ligger efter slutdatoen 01-05-2025 for U-0002.",),
    ),
    Mistake(
        "meeting-unknown-case",
        "meeting-unknown-case",
        E,
        checklist_cell(0, "case_id"),
        {checklist_cell(0, "case_id"): "U-0099"},
        (f"Der er intet sagsark med Ung-id 'U-0099'. Ret id'et i {CHECKLIST}, eller opret sagen",),
    ),
    Mistake(
        "meeting-case-id-spelling",
        "meeting-case-id-spelling",
        E,
        checklist_cell(0, "case_id"),
        {checklist_cell(0, "case_id"): "u-0001"},
        (f"Ung-id 'u-0001' i {CHECKLIST} er stavet anderledes end 'U-0001' på arket 'U-0001', så mødet",),
    ),
    Mistake(
        "no-meetings",
        "no-meetings",
        W,
        case_cell(NEW, "case_id"),
        {case_cell(NEW, "inclusion_date"): date(2025, 4, 1)},
        ("Startmødet for U-0003 skulle være holdt senest 01-05-2025 (30 dage efter 01-04-2025)",),
    ),
    Mistake(
        "duplicate-case-id",
        "duplicate-case-id",
        E,
        case_cell(NEW, "case_id"),
        {case_cell(NEW, "case_id"): "u-0002"},
        (
            "Ung-id 'u-0002' bruges også på arket 'U-0002' (store og små bogstaver og mellemrum gør ikke id'et til "
            "et andet).",
        ),
    ),
    Mistake(
        "agreement-no-responsible",
        "agreement-no-responsible",
        W,
        block_cell(UDSATTE, "agreements", 0, "responsible"),
        {block_cell(UDSATTE, "agreements", 0, "responsible"): None},
        (f"Aftalen 'Starte på FGU' (række {AGREEMENT_ROW}) har ingen ansvarlig. Vælg i kolonnen 'Ansvarlig'",),
    ),
    Mistake(
        "agreement-no-deadline",
        "agreement-no-deadline",
        W,
        block_cell(UDSATTE, "agreements", 0, "deadline"),
        {block_cell(UDSATTE, "agreements", 0, "deadline"): None},
        (f"Aftalen 'Starte på FGU' (række {AGREEMENT_ROW}) har ingen frist. Skriv en dato i kolonnen 'Frist'",),
    ),
    Mistake(
        "agreement-overdue",
        "agreement-overdue",
        W,
        block_cell(UDSATTE, "agreements", 0, "deadline"),
        {block_cell(UDSATTE, "agreements", 0, "deadline"): date(2025, 6, 1)},
        ("Fristen 01-06-2025 for aftalen 'Starte på FGU'", "skriv datoen i 'Fulgt op dato' og opdatér 'Status'"),
    ),
    Mistake(
        "no-network-adult",
        "no-network-adult",
        W,
        block_cell(UDSATTE, "network", 0, "is_adult"),
        {block_cell(UDSATTE, "network", 0, "is_adult"): schema.NO},
        ("ingen i netværket er markeret som den unges voksne.",),
    ),
    Mistake(
        "no-network-adult-psykisk",
        "no-network-adult",
        W,
        block_cell(PSYKISK, "network", 0, "is_adult"),
        {block_cell(PSYKISK, "network", 0, "is_adult"): None},
        ("markeret som en netværksperson. Find en netværksperson sammen med den unge",),
    ),
    Mistake(
        "team-no-coordinator",
        "team-no-coordinator",
        E,
        block_cell(UDSATTE, "team", 0, "profession"),
        {block_cell(UDSATTE, "team", 0, "profession"): "kontaktperson"},
        ("Ingen i teamet har professionen 'koordinator/guide'. Tilføj koordinatoren i Tværfagligt team",),
    ),
    Mistake(
        "team-no-uu",
        "team-no-uu",
        W,
        block_cell(UDSATTE, "team", 0, "profession"),
        {block_cell(UDSATTE, "team", 1, "profession"): "kontaktperson"},
        ("ingen har professionen 'UU-vejleder'. Tilføj UU-vejlederen i Tværfagligt team.",),
    ),
    Mistake(
        "team-no-jobcenter",
        "team-no-jobcenter",
        W,
        block_cell(UDSATTE, "team", 0, "profession"),
        {block_cell(UDSATTE, "team", 2, "profession"): "kontaktperson"},
        ("ingen har professionen 'jobcenterkonsulent'. Tilføj jobcenterkonsulenten",),
    ),
    Mistake(
        "consent-missing",
        "consent-missing",
        E,
        block_cell(UDSATTE, "consent", 0, "given_on"),
        {block_cell(UDSATTE, "consent", 0, "given_on"): None},
        ("der er intet gyldigt samtykke (med dato og ikke tilbagekaldt)", "skriv datoen i Samtykke."),
    ),
    Mistake(
        "consent-missing-revoked",
        "consent-missing",
        E,
        block_cell(UDSATTE, "consent", 0, "given_on"),
        {block_cell(UDSATTE, "consent", 0, "revoked_on"): date(2025, 1, 1)},
        ("der er intet gyldigt samtykke",),
    ),
    Mistake(
        "consent-not-renewed",
        "consent-not-renewed",
        W,
        block_cell(PSYKISK, "consent", 1, "given_on"),
        {block_cell(PSYKISK, "consent", 1, "given_on"): None, block_cell(PSYKISK, "consent", 1, "given_by"): None},
        ("Den unge fyldte 18 år den 20-11-2024, og der er ikke givet samtykke siden.",),
    ),
)
BATCH_CODES = ("duplicate-case-id-across",)  # tested with two files below


def test_the_clean_workbook_reads_back_without_problems(tmp_path: Path) -> None:
    path = write_file(tmp_path / "guide.xlsx")
    assert check_file(path) == []
    data = read_workbook(path).data
    assert [case.case_id for case in data.cases] == ["U-0001", "U-0002", "U-0003"]
    assert len(data.meetings) == len(MEETINGS)


@pytest.mark.parametrize("mistake", MISTAKES, ids=[mistake.id for mistake in MISTAKES])
def test_one_mistake_gives_its_problem(mistake: Mistake, tmp_path: Path) -> None:
    path = write_file(tmp_path / "guide.xlsx", mistake.overrides, mistake.edit)
    problems = check_file(path)
    found = [problem for problem in problems if problem.code == mistake.code]
    assert len(found) == 1 + mistake.also.count(mistake.code), problems
    problem = found[0]
    assert problem.severity is mistake.severity
    assert (problem.file, problem.sheet, problem.cell) == ("guide.xlsx", *mistake.place)
    for part in mistake.message:
        assert part in problem.message
    others = Counter(p.code for p in problems if p is not problem)
    assert others == Counter(mistake.also)


def test_the_same_id_in_two_workbooks(tmp_path: Path) -> None:
    first = read_workbook(write_file(tmp_path / "a.xlsx"), display_name="a.xlsx").data
    other = replace(CLEAN, cases=(replace(NEW, sheet="U-0003"),), meetings=())
    second_path = write_file(tmp_path / "b.xlsx", data=other)
    second = read_workbook(second_path, display_name="b.xlsx").data
    assert check_file(second_path) == []
    problems = validate_batch([first, second])
    assert [(p.code, p.severity, p.file, p.sheet, p.cell) for p in problems] == [
        ("duplicate-case-id-across", E, "b.xlsx", NEW.sheet, FIELDS["case_id"].cell)
    ]
    assert problems[0].message.startswith("Ung-id 'U-0003' findes også i a.xlsx (arket 'U-0003'; store og små")


def test_the_cli_shows_an_error_value_with_file_sheet_and_cell(tmp_path: Path) -> None:
    sheet, cell = case_cell(UDSATTE, "birth_date")
    path = write_file(tmp_path / "guide.xlsx", {}, _error_value((sheet, cell), "#REF!"))
    result = CliRunner().invoke(cli, ["validate", str(path), "--today", TODAY.isoformat()])
    assert result.exit_code == 1, result.output
    assert (
        f"{path}: {sheet}!{cell}: fejl [error-value] Fødselsdato viser fejlværdien #REF! i stedet for en værdi. "
        "Skriv værdien direkte i cellen (uden formel)"
    ) in result.output
    assert "required-missing" not in result.output


def test_every_registered_code_is_triggered_through_a_file() -> None:
    triggered = {mistake.code for mistake in MISTAKES} | set(BATCH_CODES)
    assert sorted(set(PROBLEM_TYPES) - triggered) == []
    assert sorted(triggered - set(PROBLEM_TYPES)) == []
