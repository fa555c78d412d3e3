"""Shared fixtures. Keep this small: fixtures used by one test file belong in that file."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook

from samarbejde_xl.workbook.template import build_template_workbook, save_template


@pytest.fixture
def template_workbook() -> Workbook:
    """A freshly built template workbook (in memory; each test gets its own and may change it)."""
    return build_template_workbook()


@pytest.fixture(scope="session")
def template_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A template written to disk once per test session. Treat it as read-only."""
    path = tmp_path_factory.mktemp("template") / "samarbejde.xlsx"
    save_template(path)
    return path
