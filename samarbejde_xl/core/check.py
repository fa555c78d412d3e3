"""All problems of one workbook: what was read, the settings, and the rules.

Every problem names a logical place (``schema.Place``) and the file's template version, so nothing here moves
cells between layouts: the rules see the current layout only, and a problem gets its cell in the file's own layout
where it is shown (``Problem.cell``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from samarbejde_xl.core.identifiers import settings_identifier_problems, without_identifiers
from samarbejde_xl.core.model import WorkbookData
from samarbejde_xl.core.problems import Problem
from samarbejde_xl.core.settings import Settings
from samarbejde_xl.core.validation import flagged_places, validate_workbook, workbook_settings


def check_data(
    data: WorkbookData, read_problems: Sequence[Problem], base_settings: Settings, today: date
) -> tuple[Settings, list[Problem]]:
    """The workbook's settings and every problem: read problems first, then settings and rule problems."""
    settings, setting_problems = workbook_settings(without_identifiers(data), base_settings)
    flagged = flagged_places(read_problems)
    rule_problems = [*setting_problems, *validate_workbook(data, settings, today, flagged_cells=flagged)]
    identifiers = settings_identifier_problems(data.file, data.municipality, data.settings, data.template_version)
    return settings, [*read_problems, *identifiers, *rule_problems]
