"""Benchmark: read_workbook vs openpyxl (the issue's baseline) vs raw python-calamine, same file, same run.

Run: /work/venv/bin/python benchmarks/read.py [--repeats 30] [--keep PATH]

Builds one realistic workbook (25 case sheets with team, network, consent, agreements and interventions rows,
and a 150-row Mødetjekliste), then prints the median milliseconds of each reader and the ratios:
- reader vs openpyxl.load_workbook(path) (default mode): target >= 5x faster
- reader / raw calamine reading ALL sheets to Python values: target <= 1.5

Ratios use CPU time (time.process_time): the machine is shared, and wall-clock medians swing with other load.
Wall-clock figures are printed too.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import python_calamine

from samarbejde_xl import schema
from samarbejde_xl.workbook.reader import read_workbook
from samarbejde_xl.workbook.save import save_workbook
from samarbejde_xl.workbook.template import add_case_sheet, build_template_workbook

CASES = 25
MEETINGS = 150


def build_workbook(path: Path, seed: int = 7) -> None:
    """A plausible filled workbook, synthetic data only."""
    rng = random.Random(seed)
    workbook = build_template_workbook()
    workbook[schema.SHEET_SETTINGS][schema.settings_value_cell("municipality")] = "Eksempel Kommune"
    fields = schema.CASE_FIELDS_BY_KEY
    case_ids = [f"U-{n:04d}" for n in range(1, CASES + 1)]
    births: dict[str, dt.date] = {}
    for case_id in case_ids:
        sheet = add_case_sheet(workbook, case_id)
        birth = dt.date(2006, 1, 1) + dt.timedelta(days=rng.randrange(0, 3 * 365))
        births[case_id] = birth
        variant = rng.choice(schema.VARIANT.labels)
        sheet[fields["initials"].cell] = "".join(rng.choice("ABDEFHJKLMNST") for _ in range(2))
        sheet[fields["birth_date"].cell] = birth
        sheet[fields["variant"].cell] = variant
        sheet[fields["inclusion_date"].cell] = birth + dt.timedelta(days=15 * 365 + rng.randrange(0, 300))
        sheet[fields["coordinator"].cell] = rng.choice(["KL", "MJ", "SP"])
        sheet[fields["notes"].cell] = "Aftalt at følge op med UU-vejleder efter sommerferien."
        blocks = schema.CASE_BLOCKS_BY_KEY
        team = blocks["team"]
        for index, profession in enumerate(rng.sample(schema.PROFESSION.labels, 5)):
            sheet[team.cell(index, "name")] = f"Fagperson {index + 1}"
            sheet[team.cell(index, "profession")] = profession
            sheet[team.cell(index, "department")] = "Ungeenheden"
        network = blocks["network"]
        for index in range(3):
            sheet[network.cell(index, "name")] = f"Netværk {index + 1}"
            sheet[network.cell(index, "relation")] = rng.choice(["moster", "træner", "nabo"])
            sheet[network.cell(index, "closeness")] = rng.choice(schema.CLOSENESS.labels)
            sheet[network.cell(index, "is_adult")] = schema.YES if index == 0 else schema.NO
            sheet[network.cell(index, "may_attend")] = schema.YES
        consent = blocks["consent"]
        sheet[consent.cell(0, "given_on")] = dt.date(2023, 5, 1)
        sheet[consent.cell(0, "given_by")] = rng.choice(schema.CONSENT_GIVEN_BY.labels)
        sheet[consent.cell(0, "parties")] = "UU, jobcenter, skole"
        agreements = blocks["agreements"]
        for index in range(6):
            sheet[agreements.cell(index, "goal")] = "Starte på FGU og møde op hver dag"
            sheet[agreements.cell(index, "life_area")] = rng.choice(schema.LIFE_AREA.labels)
            sheet[agreements.cell(index, "action")] = "Besøge skolen sammen med kontaktpersonen"
            sheet[agreements.cell(index, "responsible")] = rng.choice(schema.RESPONSIBLE.labels)
            sheet[agreements.cell(index, "deadline")] = dt.date(2024, 9, 1)
            sheet[agreements.cell(index, "status")] = rng.choice(schema.GOAL_STATUS.labels)
            sheet[agreements.cell(index, "set_at")] = dt.date(2024, 3, 1)
        interventions = blocks["interventions"]
        for index in range(3):
            sheet[interventions.cell(index, "kind")] = rng.choice(["kontaktperson", "mentor", "bostøtte"])
            sheet[interventions.cell(index, "department")] = "Familieafdelingen"
            sheet[interventions.cell(index, "start")] = dt.date(2023, 1, 1)
            sheet[interventions.cell(index, "responsible")] = rng.choice(schema.PROFESSION.labels)

    checklist = workbook[schema.SHEET_CHECKLIST]
    for offset in range(MEETINGS):
        row = schema.CHECKLIST_FIRST_ROW + offset
        case_id = rng.choice(case_ids)

        def put(key: str, value: Any, row: int = row) -> None:
            checklist[schema.checklist_cell(row, key)] = value

        put("case_id", case_id)
        put("date", dt.date(2023, 1, 1) + dt.timedelta(days=rng.randrange(0, 700)))
        put("kind", rng.choice(schema.MEETING_KIND.labels))
        put("young_person_present", rng.choice([schema.YES, schema.YES, schema.NO]))
        put("adult_present", rng.choice([schema.YES, schema.NO]))
        for code in rng.sample(schema.PROFESSION.codes, 4):
            put(schema.PROFESSION_PRESENT_PREFIX + code, schema.YES)
        put("tools_used", "netværkskort, mål- og aftaleskema")
        put("agreements_made", rng.randrange(0, 4))
        put("agreements_followed_up", rng.randrange(0, 4))
        put("education", rng.choice(schema.EDUCATION.labels))
        put("job", rng.choice(schema.JOB.labels))
        put("programme", rng.choice([schema.YES, schema.NO]))
        for code in schema.LIFE_AREA.codes:
            put(schema.SCORE_PREFIX + code, rng.randint(1, 10))
        put("scored_by", rng.choice(schema.SCORED_BY.labels))
        for item, _label in schema.INVOLVEMENT_ITEMS:
            put(schema.INVOLVEMENT_PREFIX + item, rng.choice([1, 2, 3, 4, 5, schema.DONT_KNOW]))
        put("own_view", "Det gik godt, jeg vil gerne i praktik.")
        put("recorded_by", "KL")
    save_workbook(workbook, path)


def read_all_with_calamine(path: Path) -> int:
    book = python_calamine.load_workbook(path)
    cells = 0
    for name in book.sheet_names:
        rows = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
        cells += sum(len(row) for row in rows)
    book.close()
    return cells


def measure(actions: dict[str, Callable[[], object]], repeats: int) -> dict[str, tuple[list[float], list[float]]]:
    """Run the actions round-robin (so load on the shared machine hits all alike); (wall, cpu) seconds each."""
    times: dict[str, tuple[list[float], list[float]]] = {name: ([], []) for name in actions}
    for _ in range(repeats):
        for name, action in actions.items():
            wall, cpu = time.perf_counter(), time.process_time()
            action()
            times[name][0].append(time.perf_counter() - wall)
            times[name][1].append(time.process_time() - cpu)
    return times


def paired_ratio(numerator: list[float], denominator: list[float]) -> float:
    return statistics.median(a / b for a, b in zip(numerator, denominator, strict=True))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=30)
    parser.add_argument("--keep", type=Path, help="also write the benchmark workbook here")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "benchmark.xlsx"
        build_workbook(path)
        if args.keep:
            args.keep.write_bytes(path.read_bytes())
        result = read_workbook(path)
        print(
            f"workbook: {path.stat().st_size // 1024} KB, {len(result.data.cases)} cases, "
            f"{len(result.data.meetings)} meetings, {len(result.problems)} problems"
        )
        read_all_with_calamine(path)  # warm the file cache
        times = measure(
            {
                "reader": lambda: read_workbook(path),
                "calamine": lambda: read_all_with_calamine(path),
                "reader+formulas": lambda: read_workbook(path, detect_formulas=True),
            },
            args.repeats,
        )
        times.update(measure({"openpyxl": lambda: openpyxl.load_workbook(path)}, max(5, args.repeats // 3)))

    print(f"median of {args.repeats} interleaved runs (openpyxl: {max(5, args.repeats // 3)}); wall ms / CPU ms")
    labels = {
        "reader": "read_workbook",
        "reader+formulas": "read_workbook(detect_formulas=True)",
        "calamine": "raw calamine, all sheets",
        "openpyxl": "openpyxl.load_workbook (default)",
    }
    for name, label in labels.items():
        wall, cpu = times[name]
        print(f"  {label:38} {statistics.median(wall) * 1000:8.1f} {statistics.median(cpu) * 1000:8.1f}")
    # openpyxl runs separately, so compare medians; calamine runs paired with the reader: median of pair ratios.
    faster = statistics.median(times["openpyxl"][1]) / statistics.median(times["reader"][1])
    ratio = paired_ratio(times["reader"][1], times["calamine"][1])
    ratio_wall = paired_ratio(times["reader"][0], times["calamine"][0])
    ratio_formulas = paired_ratio(times["reader+formulas"][1], times["calamine"][1])
    print(f"reader vs openpyxl: {faster:.1f}x faster (target >= 5x)")
    print(f"reader / raw calamine: {ratio:.2f} (target <= 1.5) [wall clock: {ratio_wall:.2f}]")
    print(f"reader with formula detection / raw calamine: {ratio_formulas:.2f} (informational)")
    return 0 if faster >= 5 and ratio <= 1.5 else 1


if __name__ == "__main__":
    sys.exit(main())
