"""Issue 12 point 2: no CPR-like number or person's name reaches the politicians' summary or its PDF from any text
a workbook carries — case fields, the municipality and other settings cells, the document title, the file name and
sheet names — whatever separator the CPR number is typed with. ``validate`` warns about identifiers in settings.

The planted numbers and names are made up for this test.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from corpus import TODAY, Variant
from corpus.build import Package

from samarbejde_xl import actions, schema
from samarbejde_xl.consolidation import consolidate
from samarbejde_xl.core.identifiers import contains_cpr_like, public_municipality
from samarbejde_xl.core.parse import IGNORED_SHEETS

SEPARATORS = {
    "none": "",
    "hyphen": "-",
    "en-dash": "\u2013",
    "em-dash": "\u2014",
    "minus-sign": "\u2212",
    "non-breaking-hyphen": "\u2011",
    "space": " ",
    "no-break-space": "\u00a0",
    "thin-space": "\u2009",
    "narrow-no-break-space": "\u202f",
    "figure-space": "\u2007",
    "spaced-hyphen": " - ",
    "dot": ".",
    "slash": "/",
}


@pytest.mark.parametrize("separator", SEPARATORS.values(), ids=SEPARATORS.keys())
def test_every_separator_is_recognised(separator: str) -> None:
    assert contains_cpr_like(f"ring til 010203{separator}1234 i morgen")
    assert not contains_cpr_like(f"ring til 310203{separator}1234 i morgen")  # 31 February: not a date


@pytest.mark.parametrize("text", ["300201-1234", "290201-1234", "320199-1234", "001299-1234", "011399-1234"])
def test_dates_that_do_not_exist_are_not_cpr_numbers(text: str) -> None:
    assert not contains_cpr_like(text)


def test_290200_is_a_date_in_2000() -> None:
    assert contains_cpr_like("290200-1234")


def test_the_scan_is_linear_on_hostile_text() -> None:
    import time

    digits = "0102031" * 200_000 + "x"
    spaced = ("010203" + " " * 3) * 100_000
    started = time.perf_counter()
    contains_cpr_like(digits)
    contains_cpr_like(spaced)
    baseline_started = time.perf_counter()
    contains_cpr_like("x" * len(digits))
    baseline = time.perf_counter() - baseline_started
    assert time.perf_counter() - started < 2.0 + 50 * baseline


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("Aarhus Kommune", "Aarhus Kommune"),
        ("aarhus", "aarhus"),
        ("Københavns Kommune", "Københavns Kommune"),
        ("Lyngby-Taarbæk Kommune", "Lyngby-Taarbæk Kommune"),
        ("Demokommune", "Demokommune"),
        ("Fiktiva Testesen", ""),
        ("Fiktiva Testesen Prøvegaard", ""),
        ("Aarhus Kommune 010203-1234", ""),
        ("Kommune: Fiktiva Testesen Prøvegaard Nielsen", ""),
        ('=HYPERLINK("x")', ""),
    ],
)
def test_only_a_municipalitys_name_is_shown(text: str, shown: str) -> None:
    assert public_municipality(text) == shown


# --------------------------------------------------------------------------------------------------
# Planted everywhere, end to end
# --------------------------------------------------------------------------------------------------

PLANTED_NAMES = ("Fiktiva Testesen", "Opdigtet Navnesen", "Imaginær Stråmandsen", "Pseudonia Skrivebordsen")
PLANTED_DIGITS = ("0102031234", "1405991234", "2802081111", "1212121212", "3006887777", "0107051111", "1503022222")
CASE = "U-0001"


def _planted_workbooks(base: bytes, folder: Path) -> list[Path]:
    notes = schema.CASE_FIELDS_BY_KEY["notes"].cell
    first = Package(base)
    first.set_cell(schema.SHEET_SETTINGS, schema.settings_value_cell("municipality"), "Fiktiva Testesen")
    first.set_cell(schema.SHEET_SETTINGS, schema.settings_value_cell("soon_days"), "140599\u00a01234")
    first.set_cell(CASE, notes, "cpr 010705\u20091111 (mor)")
    core = first.text("docProps/core.xml")
    first.put(
        "docProps/core.xml",
        re.sub(r"<dc:title>.*?</dc:title>", "<dc:title>Imaginær Stråmandsen 2802081111</dc:title>", core),
    )
    ignored = sorted(IGNORED_SHEETS & set(re.findall(r'<sheet name="([^"]+)"', first.text("xl/workbook.xml"))))
    first.copy_sheet(ignored[0], "Skrivebordsen 3006887777")
    second = Package(base)
    second.set_cell(
        schema.SHEET_SETTINGS, schema.settings_value_cell("municipality"), "Opdigtet Navnesen 010203\u20131234"
    )
    second.set_cell(CASE, notes, "far 150302\u202f2222")
    paths = [folder / "Pseudonia Skrivebordsen 121212\u20141212.xlsx", folder / "vejleder-02.xlsx"]
    for path, package in zip(paths, (first, second), strict=True):
        path.write_bytes(package.to_bytes())
    return paths


@pytest.fixture(scope="module")
def planted(corpus: list[Variant], tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    base = next(variant.path for variant in corpus if variant.name == "valid-base").read_bytes()
    folder = tmp_path_factory.mktemp("privacy-everywhere") / "Fiktiva Testesen 010203-1234"
    folder.mkdir()
    return _planted_workbooks(base, folder)


def _identifiers_in(text: str) -> list[str]:
    squeezed = re.sub(r"[\W_]", "", text)
    found = [digits for digits in PLANTED_DIGITS if digits in squeezed]
    found += [name for name in PLANTED_NAMES for part in name.split() if part in text]
    return found


def _xlsx_text(path: Path) -> str:
    with zipfile.ZipFile(path) as package:
        return "\n".join(package.read(name).decode("utf-8", "replace") for name in package.namelist())


def test_the_summary_and_its_pdf_hold_no_planted_identifier(planted: list[Path], tmp_path: Path) -> None:
    out = tmp_path / "Opdigtet Navnesen 0102031234"
    report = out / "rapport.xlsx"
    with_pdf = shutil.which("soffice") is not None and shutil.which("pdftotext") is not None
    run = consolidate([planted[0].parent], report, today=TODAY, history=None, jobs=1, pdf=with_pdf)
    assert run.result.counts.workbooks_read == 2
    summary = run.politicians
    assert summary is not None
    assert "Samarbejdsmodellen" in _xlsx_text(summary)  # control: the search sees the summary's text
    assert _identifiers_in(_xlsx_text(summary)) == []
    if not with_pdf:
        pytest.skip("LibreOffice (soffice) or pdftotext is not installed: the PDF part is not checked")
    assert run.pdf is not None
    pdf_text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(run.pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    assert "politikere" in pdf_text  # control: pdftotext reads the summary
    assert _identifiers_in(pdf_text) == []
    assert "(ikke angivet)" in pdf_text  # neither planted municipality text is shown


def test_validate_warns_about_identifiers_in_settings_cells(planted: list[Path]) -> None:
    run = actions.validate_paths([str(path) for path in planted], today=TODAY)
    places = {(p.file.rsplit("/", 1)[-1], p.code, p.cell) for p in run.problems if p.sheet == schema.SHEET_SETTINGS}
    municipality = schema.settings_value_cell("municipality")
    assert (planted[0].name, "municipality-unknown", municipality) in places
    assert (planted[0].name, "cpr-like", schema.settings_value_cell("soon_days")) in places
    assert (planted[1].name, "cpr-like", municipality) in places
    messages = [p.message for p in run.problems if p.sheet == schema.SHEET_SETTINGS]
    assert not any(_identifiers_in(message) for message in messages)
