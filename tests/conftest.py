"""Shared fixtures. Keep this small: fixtures used by one test file belong in that file."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

# isort: off
import samarbejde_xl  # noqa: F401  # first: it pins openpyxl's serialiser before anything imports openpyxl
from openpyxl import Workbook

# isort: on

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


# Issue 6 (hardening): the hostile-workbook corpus of tests/corpus, built once per session. Treat it as read-only.
@pytest.fixture(scope="session")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> list[Any]:
    from corpus import build_corpus

    return build_corpus(tmp_path_factory.mktemp("corpus"))


@pytest.fixture(scope="session")
def corpus_runs(corpus: list[Any], tmp_path_factory: pytest.TempPathFactory) -> Any:
    """validate, plan and consolidate run over the corpus and the examples (tests/corpus/runs.py)."""
    from corpus.runs import run_commands

    return run_commands(corpus, corpus[0].path.parent, tmp_path_factory.mktemp("corpus-outputs"))


@pytest.fixture(scope="session")
def corpus_refresh_runs(corpus: list[Any], tmp_path_factory: pytest.TempPathFactory) -> Any:
    """refresh -o run over every corpus variant and example (about a minute: used by slow tests only)."""
    from corpus.runs import WRITING_COMMANDS, run_commands

    outputs = tmp_path_factory.mktemp("corpus-refreshed")
    return run_commands(corpus, corpus[0].path.parent, outputs, WRITING_COMMANDS)


# CI runs the property tests with a fixed seed so a landing is never decided by chance; locally they roam freely.
from hypothesis import settings as hypothesis_settings  # noqa: E402

hypothesis_settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    hypothesis_settings.load_profile("ci")
hypothesis_settings.register_profile("thorough", max_examples=3000, deadline=None)


# Issue 17: the consolidate command's facts cache goes to a folder of this session, never the user's own cache.
@pytest.fixture(scope="session", autouse=True)
def _facts_cache_folder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    from samarbejde_xl.report.facts_cache import CACHE_ENV

    before = os.environ.get(CACHE_ENV)
    os.environ[CACHE_ENV] = os.fspath(tmp_path_factory.mktemp("facts-cache"))
    yield
    if before is None:
        del os.environ[CACHE_ENV]
    else:
        os.environ[CACHE_ENV] = before
