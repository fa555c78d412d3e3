"""Issue 6 and domain §6: privacy. CPR-like numbers and full names planted in a workbook never reach the leader
report, the politicians' summary or the history store; the reader warns about every CPR-like number typed into
a text field (data minimisation).

The planted numbers and names are made up for this test (the brief allows CPR-like numbers only here).
"""

from __future__ import annotations

import re
import sqlite3
import zipfile
from datetime import date
from pathlib import Path

import pytest
from corpus import TODAY, Variant
from corpus.build import Package as CorpusPackage
from hypothesis import given
from hypothesis import strategies as st

from samarbejde_xl import schema
from samarbejde_xl.consolidation import consolidate
from samarbejde_xl.core.parse import contains_cpr_like
from samarbejde_xl.workbook.reader import read_workbook

CASE = "U-0001"
FIELDS = schema.CASE_FIELDS_BY_KEY
BLOCKS = schema.CASE_BLOCKS_BY_KEY

# (name, sheet, cell, text): CPR-like numbers with and without the dash, and with a space, in every kind of
# free-text place a guide writes in.
PLANTED_CPR: tuple[tuple[str, str, str, str], ...] = (
    ("case-notes-dash", CASE, FIELDS["notes"].cell, "CPR 010203-1234 står i fagsystemet."),
    ("case-notes-no-dash", "U-0002", FIELDS["notes"].cell, "cpr.nr. 0102031235"),
    ("case-notes-space", "U-0003", FIELDS["notes"].cell, "nr 010203 1236 (mor)"),
    ("initials", CASE, FIELDS["initials"].cell, "311299-4321"),
    ("team-department", CASE, BLOCKS["team"].cell(0, "department"), "Ungeenheden, 150607-2345"),
    ("network-relation", CASE, BLOCKS["network"].cell(0, "relation"), "mor 020370-2222"),
    ("consent-parties", CASE, BLOCKS["consent"].cell(0, "parties"), "skole, 2802081111"),
    ("agreement-goal", CASE, BLOCKS["agreements"].cell(0, "goal"), "Bolig til 111195-3333"),
    ("agreement-action", CASE, BLOCKS["agreements"].cell(0, "action"), "ring 121212-1212"),
    ("intervention-kind", CASE, BLOCKS["interventions"].cell(0, "kind"), "Bostøtte 290200-4444"),
    ("meeting-tools", schema.SHEET_CHECKLIST, schema.checklist_cell(2, "tools_used"), "netværkskort 240501-5555"),
    ("meeting-own-view", schema.SHEET_CHECKLIST, schema.checklist_cell(2, "own_view"), "mit cpr er 0306996666"),
    ("meeting-notes", schema.SHEET_CHECKLIST, schema.checklist_cell(2, "notes"), "far: 300688-7777"),
)
# Full names (made up, deliberately unlike real ones) in the places where a guide might write them.
PLANTED_NAMES: tuple[tuple[str, str, str, str], ...] = (
    ("team-name", CASE, BLOCKS["team"].cell(1, "name"), "Fiktiva Testesen Prøvegaard"),
    ("network-name", CASE, BLOCKS["network"].cell(0, "name"), "Opdigtet Navnesen Eksempelbjerg"),
    ("action-name", "U-0002", BLOCKS["agreements"].cell(0, "action"), "Talte med Pseudonia Skrivebordsen om bolig."),
    ("own-view-name", schema.SHEET_CHECKLIST, schema.checklist_cell(3, "own_view"), "Min kontakt Fantasius Dummybæk"),
    ("meeting-notes-name", schema.SHEET_CHECKLIST, schema.checklist_cell(3, "notes"), "Mødt: Imaginær Stråmandsen"),
)
# CPR numbers typed where a date or a list value belongs: an error (the message repeats the value for the guide),
# but still nothing for the report.
PLANTED_CPR_IN_VALUE_CELLS: tuple[tuple[str, str, str, str], ...] = (
    ("birth-date", "U-0003", FIELDS["birth_date"].cell, "010203-1237"),
    ("variant", "U-0002", FIELDS["variant"].cell, "0102031238"),
    ("meeting-kind", schema.SHEET_CHECKLIST, schema.checklist_cell(4, "kind"), "010203-1239"),
)
NAMES = ("Testesen", "Navnesen", "Skrivebordsen", "Dummybæk", "Stråmandsen")


def _cpr_digits(text: str) -> str:
    match = re.search(r"(\d{6})[- ]?(\d{4})", text)
    assert match is not None
    return match.group(1) + match.group(2)


@pytest.fixture(scope="module")
def planted_folder(corpus: list[Variant], tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = next(variant.path for variant in corpus if variant.name == "valid-base")
    package = CorpusPackage(base.read_bytes())
    for _name, sheet, cell, text in PLANTED_CPR + PLANTED_NAMES + PLANTED_CPR_IN_VALUE_CELLS:
        package.set_cell(sheet, cell, text)
    folder = tmp_path_factory.mktemp("privacy") / "kommune"
    folder.mkdir()
    (folder / "vejleder.xlsx").write_bytes(package.to_bytes())
    return folder


@pytest.fixture(scope="module")
def outputs(planted_folder: Path) -> dict[str, bytes]:
    """The leader report, the politicians' summary and the history store, as raw text to search."""
    out = planted_folder.parent / "out"
    report, history = out / "rapport.xlsx", out / "historik.sqlite"
    run = consolidate([planted_folder], report, today=TODAY, history=history, jobs=1, force=True)
    assert run.result.counts.young_people == 3
    summary = run.politicians  # written beside the report
    assert summary == out / "rapport-politikere.xlsx"
    with sqlite3.connect(history) as connection:
        dump = "\n".join(connection.iterdump())
    connection.close()
    return {"report": _xlsx_text(report), "politicians": _xlsx_text(summary), "history": dump.encode()}


def _xlsx_text(path: Path) -> bytes:
    """Every XML part of a workbook (cells, shared strings, sheet names, properties), entities decoded."""
    with zipfile.ZipFile(path) as package:
        parts = [package.read(name) for name in package.namelist() if name.endswith((".xml", ".rels"))]
    return b"\n".join(parts).replace(b"&amp;", b"&")


def test_the_search_sees_the_report_text(outputs: dict[str, bytes]) -> None:
    """Control: the municipality's name is on the report's cover, so a planted value would be found too."""
    assert "Demokommune" in outputs["report"].decode("utf-8")


def test_every_planted_cpr_number_is_warned_about(planted_folder: Path) -> None:
    problems = read_workbook(planted_folder / "vejleder.xlsx").problems
    warned = {(p.sheet, p.cell) for p in problems if p.code == "cpr-like"}
    assert {(sheet, cell) for _name, sheet, cell, _text in PLANTED_CPR} <= warned
    assert not warned & {(sheet, cell) for _name, sheet, cell, _text in PLANTED_NAMES}


def test_the_warning_does_not_repeat_the_number(planted_folder: Path) -> None:
    messages = [p.message for p in read_workbook(planted_folder / "vejleder.xlsx").problems if p.code == "cpr-like"]
    assert messages
    assert not any(re.search(r"\d{6}", message) for message in messages)


@pytest.mark.parametrize("output", ["report", "politicians", "history"])
@pytest.mark.parametrize(
    "planted", PLANTED_CPR + PLANTED_CPR_IN_VALUE_CELLS, ids=[p[0] for p in PLANTED_CPR + PLANTED_CPR_IN_VALUE_CELLS]
)
def test_no_cpr_number_reaches_the_outputs(outputs: dict[str, bytes], output: str, planted: tuple[str, ...]) -> None:
    text = re.sub(r"[- ]", "", outputs[output].decode("utf-8"))  # with or without dash, as typed
    assert _cpr_digits(planted[3]) not in text


@pytest.mark.parametrize("output", ["report", "politicians", "history"])
@pytest.mark.parametrize("name", NAMES)
def test_no_full_name_reaches_the_outputs(outputs: dict[str, bytes], output: str, name: str) -> None:
    assert name not in outputs[output].decode("utf-8")


@pytest.mark.parametrize("output", ["politicians", "history"])
def test_no_case_id_reaches_the_aggregate_outputs(outputs: dict[str, bytes], output: str) -> None:
    assert re.findall(r"U-\d{4}", outputs[output].decode("utf-8")) == []


# --------------------------------------------------------------------------------------------------
# The scanner itself
# --------------------------------------------------------------------------------------------------

NOT_CPR = (
    "Sagsnummer 991399-1234",  # no 13th month
    "320101-1234",  # no 32nd day
    "12345678901",  # 11 digits
    "tlf. 12 34 56 78",
    "Mødt 01-02-2024 kl. 10",
    "journal 2024-0001234",
    "",
)


@pytest.mark.parametrize("text", NOT_CPR)
def test_numbers_that_are_not_cpr_like_are_left_alone(text: str) -> None:
    assert not contains_cpr_like(text)


_DIGITS = st.text(alphabet="0123456789", min_size=4, max_size=4)
_FILLER = st.text(alphabet=st.characters(blacklist_categories=("Nd",), blacklist_characters="-"), max_size=20)


@given(day=st.dates(), serial=_DIGITS, separator=st.sampled_from(["-", "", " "]), before=_FILLER, after=_FILLER)
def test_any_ddmmyy_xxxx_in_text_is_found(day: date, serial: str, separator: str, before: str, after: str) -> None:
    assert contains_cpr_like(f"{before}{day:%d%m%y}{separator}{serial}{after}")
