"""All problems of one workbook: what was read, the settings, and the rules — placed in the file's own layout."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from samarbejde_xl.core.identifiers import settings_identifier_problems, without_identifiers
from samarbejde_xl.core.migrate import current_problem_places, original_problem_places
from samarbejde_xl.core.model import WorkbookData
from samarbejde_xl.core.problems import Problem
from samarbejde_xl.core.settings import Settings
from samarbejde_xl.core.validation import flagged_places, validate_workbook, workbook_settings


def check_data(
    data: WorkbookData, read_problems: Sequence[Problem], base_settings: Settings, today: date
) -> tuple[Settings, list[Problem]]:
    """The workbook's settings and every problem: read problems first, then settings and rule problems.

    Read problems point at the file's own cells; the rules work in the current layout (older template versions
    differ), so their problems are moved back to where the values really are in the file.
    """
    settings, setting_problems = workbook_settings(without_identifiers(data), base_settings)
    flagged = flagged_places(current_problem_places(read_problems, data))
    rule_problems = [*setting_problems, *validate_workbook(data, settings, today, flagged_cells=flagged)]
    identifiers = settings_identifier_problems(data.file, data.municipality, data.settings)
    return settings, [*read_problems, *identifiers, *original_problem_places(rule_problems, data)]
