"""A manager's pivots on the quarter's data: outcomes per model variant, and milestone meetings held in time per
guide (pseudonym). Run from the repository root:

    python examples/analysis.py                      # the example workbooks, read on 2026-10-01
    python examples/analysis.py MAPPE --today 2026-10-01 --quarter 2026Q3

The same tables are what ``samarbejde-xl consolidate ... --export DIR`` writes as CSV and Parquet for Excel and
Power BI; see the README, "The data as tables".
"""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

import pandas as pd

from samarbejde_xl import read_folder
from samarbejde_xl.core.quarter import parse_quarter


def outcomes_by_variant(cases: pd.DataFrame) -> pd.DataFrame:
    """Active young people with a status registration: how many per outcome and variant, with totals."""
    active = cases[cases["aktiv"] & cases["udfald"].notna()]
    table = active.pivot_table(
        index="udfald", columns="variant", values="ung_nr", aggfunc="count", fill_value=0, observed=False
    )  # observed=False: every outcome and variant, also those nobody has
    table.index, table.columns = table.index.astype(str), table.columns.astype(str)
    table["I alt"] = table.sum(axis=1)
    table.loc["I alt"] = table.sum()
    return table


def milestones_in_time_by_guide(cases: pd.DataFrame, milestones: pd.DataFrame) -> pd.DataFrame:
    """Milestone meetings due in the quarter (active young people): how many, and the share held in the window."""
    due = milestones.merge(cases[["ung_nr", "vejleder", "aktiv"]], on="ung_nr")
    due = due[due["aktiv"]]
    table = due.groupby("vejleder", observed=True).agg(
        milepælsmøder=("holdt_i_vinduet", "size"), holdt_i_tide=("holdt_i_vinduet", "sum")
    )
    table.loc["I alt"] = table.sum()
    table["andel_i_tide"] = (table["holdt_i_tide"] / table["milepælsmøder"]).map("{:.0%}".format)
    return table


def main() -> None:
    parser = argparse.ArgumentParser(description="Pivottabeller over kvartalets data.")
    parser.add_argument("folder", nargs="?", default=str(Path(__file__).parent), help="mappen med arbejdsbøger")
    parser.add_argument("--today", default="2026-10-01", help="referencedag, ÅÅÅÅ-MM-DD (eksemplerne: 2026-10-01)")
    parser.add_argument("--quarter", default=None, help="kvartal, fx 2026Q3 (standard: det seneste afsluttede)")
    arguments = parser.parse_args()
    quarter = parse_quarter(arguments.quarter) if arguments.quarter else None
    tables = read_folder(arguments.folder, today=date.fromisoformat(arguments.today), quarter=quarter, jobs=1)
    print(f"Udfald pr. modelvariant ({tables.cases['kvartal'].iloc[0]}, aktive unge med en statusregistrering)")
    print(outcomes_by_variant(tables.cases).to_string())
    print()
    print("Milepælsmøder holdt i tide pr. vejleder (pseudonym)")
    print(milestones_in_time_by_guide(tables.cases, tables.milestones).to_string())


if __name__ == "__main__":
    main()
