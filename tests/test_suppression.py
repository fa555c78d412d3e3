"""Small-cell suppression: primary (1-4 hidden) and complementary (nothing recomputable from the totals)."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from samarbejde_xl.core.suppression import (
    SuppressedTable,
    is_small,
    share,
    suppress_count,
    suppress_counts,
    suppress_table,
)


def _constraint_lines(table: SuppressedTable) -> list[list[tuple[int, int]]]:
    grid = table.grid()
    height, width = len(grid), len(grid[0])
    lines: list[list[tuple[int, int]]] = []
    if table.has_row_totals:
        lines += [[(r, c) for c in range(width)] for r in range(height)]
    if table.has_column_totals:
        lines += [[(r, c) for r in range(height)] for c in range(width)]
    return lines


def _rank(rows: list[list[Fraction]]) -> int:
    matrix = [row[:] for row in rows]
    rank = 0
    columns = len(matrix[0]) if matrix else 0
    for col in range(columns):
        pivot = next((r for r in range(rank, len(matrix)) if matrix[r][col] != 0), None)
        if pivot is None:
            continue
        matrix[rank], matrix[pivot] = matrix[pivot], matrix[rank]
        for r in range(len(matrix)):
            if r != rank and matrix[r][col] != 0:
                factor = matrix[r][col] / matrix[rank][col]
                matrix[r] = [a - factor * b for a, b in zip(matrix[r], matrix[rank], strict=True)]
        rank += 1
    return rank


def recoverable_cells(table: SuppressedTable) -> list[tuple[int, int]]:
    """Hidden cells whose value follows exactly from the sum constraints (linear algebra, independent oracle).

    Each line of the extended grid says: inner cells - total = 0. With visible values moved to the right-hand side,
    a hidden cell is determined exactly when its unit vector lies in the row space of the hidden part.
    """
    grid = table.grid()
    hidden = [(r, c) for r, row in enumerate(grid) for c, value in enumerate(row) if value is None]
    if not hidden:
        return []
    height, width = len(grid), len(grid[0])
    matrix: list[list[Fraction]] = []
    for line in _constraint_lines(table):
        total_cell = line[-1]
        coefficients = []
        for cell in hidden:
            if cell not in line:
                coefficients.append(Fraction(0))
            else:
                coefficients.append(Fraction(-1) if cell == total_cell else Fraction(1))
        matrix.append(coefficients)
    assert height and width
    base_rank = _rank(matrix) if matrix else 0
    determined = []
    for index, cell in enumerate(hidden):
        unit = [Fraction(1) if i == index else Fraction(0) for i in range(len(hidden))]
        if _rank([*matrix, unit]) == base_rank:
            determined.append(cell)
    return determined


@pytest.mark.parametrize(
    ("count", "hidden"),
    [(0, False), (1, True), (4, True), (5, False), (17, False)],
    ids=["zero-shown", "one", "four", "five", "many"],
)
def test_single_count(count: int, hidden: bool) -> None:
    assert is_small(count) is hidden
    assert suppress_count(count) == (None if hidden else count)


def test_min_count_is_a_parameter() -> None:
    assert suppress_count(7, min_count=10) is None
    assert suppress_count(7, min_count=3) == 7


CASES = [
    # (rows, row_totals, column_totals, expected grid)
    ([[20, 30, 40]], True, False, [[20, 30, 40, 90]]),
    ([[3, 30, 40]], True, False, [[None, None, 40, 73]]),
    ([[3, 0, 40]], True, False, [[None, 0, None, 43]]),  # next-smallest positive cell, zero stays visible
    ([[3, 2, 40]], True, False, [[None, None, 40, 45]]),  # two small cells protect each other
    ([[3, 40]], True, False, [[None, None, 43]]),
    ([[3]], True, False, [[None, None]]),  # a lone cell equals its total: the total goes too
    ([[3, 0]], True, False, [[None, 0, None]]),  # total 3 is small itself
    ([[10, 20], [30, 40]], True, True, [[10, 20, 30], [30, 40, 70], [40, 60, 100]]),
    ([[3, 20], [30, 40]], True, True, [[None, None, 23], [None, None, 70], [33, 60, 93]]),
    ([[3, 20, 9], [30, 40, 50]], True, True, [[None, 20, None, 32], [None, 40, None, 120], [33, 60, 59, 152]]),
    ([[1, 2], [3, 4]], False, False, [[None, None], [None, None]]),
    ([[0, 0], [0, 0]], True, True, [[0, 0, 0], [0, 0, 0], [0, 0, 0]]),
]


@pytest.mark.parametrize(
    ("rows", "row_totals", "column_totals", "expected"),
    CASES,
    ids=[
        "nothing-small",
        "one-small-in-row",
        "zero-not-used-as-complement",
        "two-small",
        "two-cells",
        "single-cell",
        "small-total",
        "2x2-nothing-small",
        "2x2-one-small",
        "2x3-one-small-rectangle",
        "no-totals-primary-only",
        "all-zero",
    ],
)
def test_suppress_table_examples(
    rows: list[list[int]], row_totals: bool, column_totals: bool, expected: list[list[int | None]]
) -> None:
    table = suppress_table(rows, row_totals=row_totals, column_totals=column_totals)
    assert table.grid() == expected
    assert recoverable_cells(table) == []


def test_bridge_between_two_rectangles_is_closed() -> None:
    # Two 2x2 rectangles of small cells joined by one more small cell (row 0, column 3): every line already hides
    # two or more cells, yet the joining cell lies on no cycle and follows from the totals. It needs another cell.
    rows = [
        [1, 1, 50, 1, 50],
        [1, 1, 50, 50, 50],
        [50, 50, 50, 1, 1],
        [50, 50, 50, 1, 1],
    ]
    primary_only = suppress_table(rows, row_totals=False, column_totals=False)
    assert primary_only.hidden_count == 9
    table = suppress_table(rows)
    assert recoverable_cells(table) == []
    assert table.hidden_count > 9


def test_visible_cells_keep_their_values_and_totals_add_up() -> None:
    table = suppress_table([[3, 20, 9], [30, 40, 50]])
    assert table.cells[1][1] == 40
    assert table.column_totals == (33, 60, 59)
    assert table.row_totals == (32, 120)
    assert table.hidden_count == 4


def test_suppress_counts_is_one_row_with_total() -> None:
    table = suppress_counts([1, 44, 7, 2, 3, 3, 11])
    assert table.has_row_totals and not table.has_column_totals
    assert table.row_totals == (71,)
    assert table.cells[0] == (None, 44, 7, None, None, None, 11)


def test_ragged_or_negative_input_is_rejected() -> None:
    with pytest.raises(ValueError, match="same number"):
        suppress_table([[1, 2], [3]])
    with pytest.raises(ValueError, match=">= 0"):
        suppress_table([[1, -2]])


@pytest.mark.parametrize(
    ("count", "total", "expected"),
    [(3, 10, 0.3), (None, 10, None), (3, None, None), (0, 0, None)],
    ids=["visible", "hidden-count", "hidden-total", "zero-total"],
)
def test_share(count: int | None, total: int | None, expected: float | None) -> None:
    assert share(count, total) == expected


small_biased_counts = st.one_of(st.integers(0, 6), st.integers(0, 60))


@st.composite
def count_tables(draw: st.DrawFn) -> list[list[int]]:
    height = draw(st.integers(1, 4))
    width = draw(st.integers(1, 5))
    return [[draw(small_biased_counts) for _ in range(width)] for _ in range(height)]


@settings(max_examples=150, deadline=None)
@example(
    rows=[[1, 1, 50, 1, 50], [1, 1, 50, 50, 50], [50, 50, 50, 1, 1], [50, 50, 50, 1, 1]],
    row_totals=True,
    column_totals=True,
    min_count=5,
)
@given(
    rows=count_tables(),
    row_totals=st.booleans(),
    column_totals=st.booleans(),
    min_count=st.integers(2, 6),
)
def test_no_hidden_cell_can_be_recomputed(
    rows: list[list[int]], row_totals: bool, column_totals: bool, min_count: int
) -> None:
    table = suppress_table(rows, row_totals=row_totals, column_totals=column_totals, min_count=min_count)
    grid = table.grid()
    full = suppress_table(rows, row_totals=row_totals, column_totals=column_totals, min_count=0).grid()
    # Every small count (inner or total) is hidden; every visible value is the true value.
    for shown_row, true_row in zip(grid, full, strict=True):
        for shown, true in zip(shown_row, true_row, strict=True):
            assert true is not None
            if 0 < true < min_count:
                assert shown is None
            assert shown is None or shown == true
    # Complementary suppression: nothing hidden follows from the published totals.
    assert recoverable_cells(table) == []
    # With one kind of totals that means: every line hides 0 or at least 2 cells.
    for line in _constraint_lines(table):
        assert sum(grid[r][c] is None for r, c in line) != 1
