"""plan / validate / refresh / new-case / register-meeting / overview on real files, through the CLI."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from openpyxl import load_workbook

from samarbejde_xl import schema
from samarbejde_xl.cli import cli
from samarbejde_xl.core.sheet_writes import MARK_AUTHOR
from samarbejde_xl.demo.generator import generate_municipality
from samarbejde_xl.fileio import sha256_of
from samarbejde_xl.workbook.canonical import canonical_dump
from samarbejde_xl.workbook.data_writer import write_workbook
from samarbejde_xl.workbook.reader import read_workbook

TODAY = date(2026, 10, 1)
TODAY_ARG = ["--today", TODAY.isoformat()]


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.fixture(scope="module")
def demo_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("demo")
    clean = generate_municipality(workbooks=1, cases=6, seed=11, today=TODAY, clean=True)[0]
    write_workbook(clean.data, folder / "clean.xlsx", today=TODAY)
    # A workbook with planted mistakes: find one whose mistakes include a cell mark.
    messy = next(
        demo
        for seed in range(40)
        for demo in generate_municipality(workbooks=1, cases=6, seed=seed, today=TODAY, clean=False)
        if len(demo.planted) >= 2
    )
    write_workbook(messy.data, folder / "messy.xlsx", cell_overrides=messy.cell_overrides, today=TODAY)
    return {"clean": folder / "clean.xlsx", "messy": folder / "messy.xlsx"}


def entered_values(path: Path) -> dict[tuple[str, str], object]:
    """Every cell people type in: everything but the computed areas, Oversigt and Fejl."""
    computed: set[tuple[str, str]] = set()
    workbook = load_workbook(path)
    values: dict[tuple[str, str], object] = {}
    for sheet in workbook.worksheets:
        if sheet.title in (schema.SHEET_OVERVIEW, schema.SHEET_PROBLEMS):
            continue
        for field in schema.CASE_COMPUTED_FIELDS:
            computed.add((sheet.title, field.cell))
        for block in schema.CASE_BLOCKS:
            if not block.entered:
                for index in range(block.rows):
                    for column in block.columns:
                        computed.add((sheet.title, block.cell(index, column.key)))
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value is not None and (sheet.title, cell.coordinate) not in computed:
                    values[(sheet.title, cell.coordinate)] = cell.value
    return values


def test_validate_clean_workbook_exits_0(demo_files: dict[str, Path]) -> None:
    result = run("validate", str(demo_files["clean"]), *TODAY_ARG)
    assert result.exit_code == 0, result.output
    assert "1 arbejdsbog: 0 fejl, 0 advarsler, 0 ulæselige" in result.stderr


def test_validate_reports_planted_mistakes_and_exits_1(demo_files: dict[str, Path]) -> None:
    result = run("validate", str(demo_files["messy"]), *TODAY_ARG, "--json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["problems"], "planted mistakes must be reported"
    assert all(p["file"].endswith("messy.xlsx") and p["sheet"] and p["message"] for p in report["problems"])


def test_validate_unreadable_file_exits_2_and_names_it(tmp_path: Path) -> None:
    bad = tmp_path / "notes.xlsx"
    bad.write_text("just text", encoding="utf-8")
    result = run("validate", str(bad), *TODAY_ARG)
    assert result.exit_code == 2
    assert "notes.xlsx" in result.stderr and "Traceback" not in result.output


def test_plan_json_lists_each_young_person(demo_files: dict[str, Path]) -> None:
    data = read_workbook(demo_files["clean"]).data
    result = run("plan", str(demo_files["clean"]), *TODAY_ARG, "--json")
    assert result.exit_code == 0
    plans = json.loads(result.stdout)
    assert [p["case_id"] for p in plans] == [case.case_id for case in data.cases]
    statuses = {m["status"] for p in plans for m in p["meetings"]}
    assert statuses <= set(schema.PLAN_STATUS.codes)


def test_plan_for_one_id_and_unknown_id(demo_files: dict[str, Path]) -> None:
    case_id = read_workbook(demo_files["clean"]).data.cases[0].case_id
    one = run("plan", str(demo_files["clean"]), "--id", case_id, *TODAY_ARG)
    assert one.exit_code == 0 and case_id in one.output and "Forfalder" in one.output
    unknown = run("plan", str(demo_files["clean"]), "--id", "U-9999", *TODAY_ARG)
    assert unknown.exit_code == 1 and "U-9999" in unknown.output


def test_refresh_keeps_typed_cells_is_idempotent_and_leaves_input(demo_files: dict[str, Path], tmp_path: Path) -> None:
    source = demo_files["messy"]
    before = sha256_of(source)
    first, second = tmp_path / "first.xlsx", tmp_path / "second.xlsx"
    assert run("refresh", str(source), "-o", str(first), *TODAY_ARG).exit_code == 0
    assert sha256_of(source) == before
    assert entered_values(first) == entered_values(source)
    assert run("refresh", str(first), "-o", str(second), *TODAY_ARG).exit_code == 0
    assert canonical_dump(second) == canonical_dump(first)


def test_refresh_writes_plan_overview_marks_and_problem_list(demo_files: dict[str, Path], tmp_path: Path) -> None:
    output = tmp_path / "out.xlsx"
    run("refresh", str(demo_files["messy"]), "-o", str(output), *TODAY_ARG)
    data = read_workbook(demo_files["messy"]).data
    workbook = load_workbook(output)
    overview = workbook[schema.SHEET_OVERVIEW]
    ids = [overview.cell(schema.OVERVIEW_FIRST_ROW + i, 1).value for i in range(len(data.cases))]
    assert ids == [case.case_id for case in data.cases]
    plan_block = schema.CASE_BLOCKS_BY_KEY["plan"]
    first_case = workbook[data.cases[0].sheet]
    assert first_case[plan_block.cell(0, "kind")].value in schema.MEETING_KIND.labels
    assert first_case[plan_block.cell(0, "status")].value in schema.PLAN_STATUS.labels
    problems_sheet = workbook[schema.SHEET_PROBLEMS]
    listed = [problems_sheet.cell(r, 2).value for r in range(schema.PROBLEMS_FIRST_ROW, problems_sheet.max_row + 1)]
    marked = [
        cell
        for sheet in workbook.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.comment is not None and cell.comment.author == MARK_AUTHOR
    ]
    assert listed and all(listed) and marked


def test_marks_disappear_when_the_mistake_is_fixed(tmp_path: Path) -> None:
    demo = generate_municipality(workbooks=1, cases=3, seed=5, today=TODAY, clean=True)[0]
    case = demo.data.cases[0]
    score_cell = schema.checklist_cell(2, "score.social")
    source = tmp_path / "source.xlsx"
    write_workbook(demo.data, source, cell_overrides={(schema.SHEET_CHECKLIST, score_cell): 11}, today=TODAY)
    marked = tmp_path / "marked.xlsx"
    run("refresh", str(source), "-o", str(marked), *TODAY_ARG)
    workbook = load_workbook(marked)
    assert workbook[schema.SHEET_CHECKLIST][score_cell].comment is not None
    workbook[schema.SHEET_CHECKLIST][score_cell].value = 7
    fixed = tmp_path / "fixed.xlsx"
    workbook.save(fixed)
    cleaned = tmp_path / "cleaned.xlsx"
    run("refresh", str(fixed), "-o", str(cleaned), *TODAY_ARG)
    cell = load_workbook(cleaned)[schema.SHEET_CHECKLIST][score_cell]
    assert cell.comment is None and cell.value == 7
    assert case.case_id


def test_refresh_in_place_writes_backup_first(demo_files: dict[str, Path], tmp_path: Path) -> None:
    target = tmp_path / "mine.xlsx"
    target.write_bytes(demo_files["clean"].read_bytes())
    original = sha256_of(target)
    result = run("refresh", str(target), "--in-place", *TODAY_ARG)
    assert result.exit_code == 0
    backups = list(tmp_path.glob("mine.backup-*.xlsx"))
    assert len(backups) == 1 and sha256_of(backups[0]) == original
    assert sha256_of(target) != original and read_workbook(target).data.cases


def test_refresh_needs_exactly_one_output_choice(demo_files: dict[str, Path], tmp_path: Path) -> None:
    neither = run("refresh", str(demo_files["clean"]), *TODAY_ARG)
    both = run("refresh", str(demo_files["clean"]), "-o", str(tmp_path / "x.xlsx"), "--in-place", *TODAY_ARG)
    assert neither.exit_code == both.exit_code == 2
    assert "angiv enten -o FIL eller --in-place" in neither.output
    same = run("refresh", str(demo_files["clean"]), "-o", str(demo_files["clean"]), *TODAY_ARG)
    assert same.exit_code == 2 and "--in-place" in same.output


def test_new_case_adds_next_id_and_overview_row(demo_files: dict[str, Path], tmp_path: Path) -> None:
    before = read_workbook(demo_files["clean"]).data
    output = tmp_path / "new.xlsx"
    result = run("new-case", str(demo_files["clean"]), "-o", str(output), *TODAY_ARG)
    assert result.exit_code == 0, result.output
    numbers = [int(case.case_id[2:]) for case in before.cases]
    expected = f"U-{max(numbers) + 1:04d}"
    assert expected in result.output
    after = read_workbook(output).data
    assert [c.case_id for c in after.cases] == [*(c.case_id for c in before.cases), expected]
    overview = load_workbook(output)[schema.SHEET_OVERVIEW]
    assert overview.cell(schema.OVERVIEW_FIRST_ROW + len(before.cases), 1).value == expected
    duplicate = run("new-case", str(output), "-o", str(tmp_path / "dup.xlsx"), "--id", expected, *TODAY_ARG)
    assert duplicate.exit_code == 1 and "findes allerede" in duplicate.output


def test_register_meeting_appends_prefilled_row(demo_files: dict[str, Path], tmp_path: Path) -> None:
    before = read_workbook(demo_files["clean"]).data
    case_id = before.cases[0].case_id
    output = tmp_path / "meeting.xlsx"
    result = run("register-meeting", str(demo_files["clean"]), "-o", str(output), "--id", case_id, *TODAY_ARG)
    assert result.exit_code == 0, result.output
    after = read_workbook(output).data
    assert len(after.meetings) == len(before.meetings) + 1
    added = after.meetings[-1]
    assert (added.case_id, added.date) == (case_id, TODAY) and added.kind in schema.MEETING_KIND.codes
    table = load_workbook(output)[schema.SHEET_CHECKLIST].tables[schema.CHECKLIST_TABLE_NAME]
    assert table.ref.endswith(str(added.row))
    unknown = run("register-meeting", str(demo_files["clean"]), "-o", str(tmp_path / "x.xlsx"), "--id", "U-9999")
    assert unknown.exit_code == 1 and "U-9999" in unknown.output


def test_register_meeting_finds_the_id_in_another_letter_case_and_writes_the_sheet_s_spelling(
    demo_files: dict[str, Path], tmp_path: Path
) -> None:
    case_id = read_workbook(demo_files["clean"]).data.cases[0].case_id
    output = tmp_path / "meeting.xlsx"
    typed = f" {case_id.lower()}"
    result = run("register-meeting", str(demo_files["clean"]), "-o", str(output), "--id", typed, *TODAY_ARG)
    assert result.exit_code == 0, result.output
    assert f"er tilføjet for {case_id} (" in result.output
    assert read_workbook(output).data.meetings[-1].case_id == case_id


def test_overview_diagnose_and_help(demo_files: dict[str, Path]) -> None:
    overview = run("overview", str(demo_files["clean"]), *TODAY_ARG, "--json")
    rows = json.loads(overview.stdout)
    assert overview.exit_code == 0 and {"case_id", "next_meeting_due", "status"} <= set(rows[0])
    diagnose = run("diagnose", str(demo_files["clean"]))
    assert diagnose.exit_code == 0 and f"{schema.TEMPLATE_VERSION} (understøttet)" in diagnose.output
    help_text = run("help")
    assert all(button.label in help_text.output for button in schema.RIBBON_BUTTONS)


EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def test_validate_on_examples_reports_exactly_the_planted_mistakes() -> None:
    from samarbejde_xl.demo.generator import EXAMPLES_PARAMETERS as P

    books = generate_municipality(workbooks=P.workbooks, cases=P.cases, seed=P.seed, today=P.today, clean=P.clean)
    planted = sorted((book.file_name, m.sheet, m.cell, m.code) for book in books for m in book.planted)
    result = run("validate", str(EXAMPLES), "--today", P.today.isoformat(), "--json")
    assert result.exit_code == 1
    reported = sorted(
        (Path(p["file"]).name, p["sheet"], p["cell"], p["code"]) for p in json.loads(result.stdout)["problems"]
    )
    assert planted and reported == planted


def test_validate_on_clean_demo_data_reports_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "clean"
    made = run("demo-data", str(folder), "--workbooks", "3", "--cases", "10", "--seed", "4", "--clean", *TODAY_ARG)
    assert made.exit_code == 0, made.output
    result = run("validate", str(folder), *TODAY_ARG, "--json")
    assert json.loads(result.stdout)["problems"] == [] and result.exit_code == 0


@pytest.mark.parametrize("command", ["refresh", "new-case", "register-meeting"])
def test_writing_commands_refuse_an_older_template_and_point_to_upgrade(
    demo_files: dict[str, Path], tmp_path: Path, command: str
) -> None:
    from v1_workbook import downgrade_to_v1

    old = tmp_path / "old.xlsx"
    downgrade_to_v1(demo_files["clean"], old)
    before = sha256_of(old)
    extra = ["--id", read_workbook(old).data.cases[0].case_id] if command == "register-meeting" else []
    result = run(command, str(old), "-o", str(tmp_path / "out.xlsx"), *extra, *TODAY_ARG)
    assert result.exit_code == 2
    assert "old.xlsx" in result.output and "samarbejde-xl upgrade" in result.output
    assert not (tmp_path / "out.xlsx").exists() and sha256_of(old) == before


def test_batch_settings_file_changes_the_rules_and_bad_values_name_the_setting(tmp_path: Path) -> None:
    workbook = str(EXAMPLES / "vejleder-01.xlsx")
    rules = tmp_path / "regler.toml"
    rules.write_text("follow_up_months = 6\n", encoding="utf-8")

    def follow_ups(*extra: str) -> list[str]:
        """Each young person's first follow-up (a missed one stays in the plan, so the counts differ)."""
        result = run("plan", workbook, *TODAY_ARG, "--json", *extra)
        assert result.exit_code == 0, result.output
        firsts = ([m["due"] for m in p["meetings"] if m["kind"] == "follow_up"][:1] for p in json.loads(result.stdout))
        return [due for first in firsts for due in first]

    default, six_months = follow_ups(), follow_ups("--settings", str(rules))
    assert default and len(default) == len(six_months) and all(a < b for a, b in zip(default, six_months, strict=True))
    rules.write_text("[udsatte]\nend_age = 99\n", encoding="utf-8")
    for command in ("plan", "validate"):
        bad = run(command, workbook, *TODAY_ARG, "--settings", str(rules))
        assert bad.exit_code == 2 and "udsatte.end_age" in bad.output and "regler.toml" in bad.output


def test_validate_never_prints_control_characters_from_a_workbook(tmp_path: Path) -> None:
    demo = generate_municipality(workbooks=1, cases=2, seed=5, today=TODAY, clean=True)[0]
    notes = schema.CASE_FIELDS_BY_KEY["initials"].cell
    source = tmp_path / "escape.xlsx"
    sheet = demo.data.cases[0].sheet
    score = schema.checklist_cell(2, "score.social")
    # Excel stores control characters escaped as _xHHHH_; readers turn them back into the characters.
    overrides = {(sheet, notes): "A_x001B_[2JB", (schema.SHEET_CHECKLIST, score): "_x001B_]0;x_x0007_syv"}
    write_workbook(demo.data, source, cell_overrides=overrides, today=TODAY)
    result = run("validate", str(source), *TODAY_ARG)
    assert result.exit_code == 1 and "score-range" in result.output
    assert "\x1b" not in result.output and "\x07" not in result.output


# --------------------------------------------------------------------------------------------------
# register-meeting: what it prefills, what the coordinator sets, and a duplicate (issue 14)
# --------------------------------------------------------------------------------------------------


def test_register_meeting_prefills_the_window_and_sets_attendance(tmp_path: Path) -> None:
    from meeting_case import CASE, DAY, write_meeting_case

    source = write_meeting_case(tmp_path / "sag.xlsx")
    output = tmp_path / "ud.xlsx"
    result = run("register-meeting", str(source), "-o", str(output), "--id", CASE.case_id, "--attended", "ja",
                 "--today", DAY.isoformat())  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "Møde ved 17½ år" in result.output and "tæller først" not in result.output
    added = read_workbook(output).data.meetings[-1]
    assert (added.case_id, added.date, added.kind, added.young_person_present) == (CASE.case_id, DAY, "m17_5", True)
    plan = json.loads(run("plan", str(output), "--id", CASE.case_id, "--today", DAY.isoformat(), "--json").stdout)
    assert [m["status"] for m in plan[0]["meetings"] if m["kind"] == "m17_5"] == ["held"]


def test_register_meeting_without_attendance_says_the_meeting_does_not_count_yet(tmp_path: Path) -> None:
    from meeting_case import CASE, DAY, write_meeting_case

    source = write_meeting_case(tmp_path / "sag.xlsx")
    output = tmp_path / "ud.xlsx"
    result = run("register-meeting", str(source), "-o", str(output), "--id", CASE.case_id, "--kind", "Startmøde",
                 "--today", DAY.isoformat())  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "'Den unge deltog' er tom: mødet tæller først, når der står ja (--attended ja)" in result.output
    added = read_workbook(output).data.meetings[-1]
    assert (added.kind, added.young_person_present) == ("start", None)
    bad = run("register-meeting", str(source), "-o", str(output), "--id", CASE.case_id, "--kind", "kaffe")
    assert bad.exit_code == 2 and "'kaffe' er ikke en mødetype" in bad.output and "m17_5" in bad.output


def test_register_meeting_twice_on_one_day_is_refused_unless_allowed(tmp_path: Path) -> None:
    from meeting_case import CASE, DAY, write_meeting_case

    source = write_meeting_case(tmp_path / "sag.xlsx")
    first, second = tmp_path / "1.xlsx", tmp_path / "2.xlsx"
    common = ["--id", CASE.case_id, "--today", DAY.isoformat()]
    assert run("register-meeting", str(source), "-o", str(first), *common).exit_code == 0
    refused = run("register-meeting", str(first), "-o", str(second), *common)
    assert refused.exit_code == 1 and not second.exists()
    assert f"{CASE.case_id} har allerede et møde den 01-10-2026" in refused.output
    assert "--allow-duplicate" in refused.output and "Traceback" not in refused.output
    allowed = run("register-meeting", str(first), "-o", str(second), *common, "--allow-duplicate")
    assert allowed.exit_code == 0, allowed.output
    assert [m.date for m in read_workbook(second).data.meetings if m.case_id == CASE.case_id] == [DAY, DAY]


def test_register_meeting_uses_and_empties_the_choice_made_on_the_case_sheet(tmp_path: Path) -> None:
    from meeting_case import CASE, DAY, write_meeting_case

    choice = {"register_kind": "Ekstra møde", "register_attended": "nej"}
    source = write_meeting_case(tmp_path / "valgt.xlsx", choice)
    output = tmp_path / "ud.xlsx"
    result = run("register-meeting", str(source), "-o", str(output), "--id", CASE.case_id, "--today", DAY.isoformat())
    assert result.exit_code == 0, result.output
    added = read_workbook(output).data.meetings[-1]
    assert (added.kind, added.young_person_present) == ("extra", False)
    sheet = load_workbook(output)[CASE.sheet]
    assert [sheet[schema.CASE_FIELDS_BY_KEY[key].cell].value for key in choice] == [None, None]
